"""The permission helpers every service calls (app/core/permissions.py): who may read, write,
add to an institution, and act on an alumnus's own record."""

from __future__ import annotations

import pytest

from app.core.errors import NotFound, PermissionDenied
from app.core.permissions import (
    in_scope,
    is_self,
    require_in_scope,
    require_own_institution,
    require_self,
    require_self_or_writer,
    require_writer_in_scope,
    writes_to,
)


def test_scope_lets_administrators_see_every_institution_and_staff_their_own(world):
    u = world.users
    for role in ("officer", "quality"):
        require_in_scope(u[role], world.alumnus, world.second_alumnus)
        with pytest.raises(NotFound, match="No such alumnus"):
            require_in_scope(u[role], world.alumnus, world.other_alumnus,
                             message="No such alumnus.")
    require_in_scope(u["admin"], world.alumnus, world.other_alumnus)
    assert in_scope(world.other_alumnus, u["other_officer"])
    assert not in_scope(world.other_alumnus, u["officer"])


def test_writers_change_records_of_their_institution_only(world):
    u = world.users
    require_writer_in_scope(u["officer"], world.alumnus)
    require_writer_in_scope(u["admin"], world.alumnus, world.other_alumnus)
    # Another institution's record is answered as missing, not as forbidden.
    with pytest.raises(NotFound, match="No such alumnus"):
        require_writer_in_scope(u["officer"], world.other_alumnus, message="No such alumnus.")
    # Reading staff and alumni may not write even in their own institution; nor may nobody.
    for actor in (u["quality"], u["alumnus"], None):
        with pytest.raises(PermissionDenied):
            require_writer_in_scope(actor, world.alumnus)


def test_new_records_go_to_the_writers_own_institution(world):
    u = world.users
    require_own_institution(u["officer"], world.home.id, "own only")
    require_own_institution(u["admin"], world.other.id, "own only")
    assert writes_to(u["admin"], None)
    assert writes_to(u["officer"], world.home.id) and not writes_to(u["officer"], world.other.id)
    with pytest.raises(PermissionDenied, match="own only"):
        require_own_institution(u["officer"], world.other.id, "own only")
    for actor in (u["quality"], u["alumnus"], None):
        with pytest.raises(PermissionDenied):
            require_own_institution(actor, world.home.id, "own only")


def test_self_service_is_for_the_alumnus_of_the_record_only(world):
    u = world.users
    require_self(world.alumnus, u["alumnus"], "yours only")
    assert is_self(world.alumnus, u["alumnus"])
    # Staff do not act as the alumnus, and an unlinked record belongs to nobody.
    for record, actor in ((world.second_alumnus, u["alumnus"]), (world.alumnus, u["officer"]),
                          (world.alumnus, u["admin"]), (world.alumnus, None)):
        assert not is_self(record, actor)
        with pytest.raises(PermissionDenied, match="yours only"):
            require_self(record, actor, "yours only")


def test_self_or_writer(world):
    u = world.users
    require_self_or_writer(world.alumnus, u["alumnus"], self_message="yours only")
    require_self_or_writer(world.alumnus, u["officer"], self_message="yours only")
    require_self_or_writer(world.other_alumnus, u["admin"], self_message="yours only")
    with pytest.raises(PermissionDenied, match="yours only"):
        require_self_or_writer(world.second_alumnus, u["alumnus"], self_message="yours only")
    with pytest.raises(NotFound):
        require_self_or_writer(world.other_alumnus, u["officer"], self_message="yours only")
    for actor in (u["quality"], None):
        with pytest.raises(PermissionDenied):
            require_self_or_writer(world.alumnus, actor, self_message="yours only")
