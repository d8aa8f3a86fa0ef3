"""The rules of the house that a reader could break without noticing, checked on the tree."""

from __future__ import annotations

import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 400


def _modules():
    return sorted(APP.rglob("*.py"))


def _rel(path: Path) -> str:
    return str(path.relative_to(APP.parent))


def test_no_app_module_passes_400_lines():
    long = {_rel(p): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these into a package before they grow further: {long}"


_REGISTRATION = re.compile(
    r"^\s*(?:\w+\.)?(add_panel|add_timeline_source|add_engagement_source|register_kind|"
    r"register_merge_handler|add_search_matcher|on_alumni_written|register_mail_gate)\(", re.M)


def test_features_register_their_hooks_only_in_hooks_py():
    found = [f"{_rel(p)}: {m.group(1)}" for p in _modules() if p.name != "hooks.py"
             for m in _REGISTRATION.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_no_feature_listens_to_every_session():
    """A global ORM listener in a feature watches the others' tables behind their back."""
    found = [_rel(p) for p in _modules() if not _rel(p).startswith("app/core/")
             and "listens_for(Session" in p.read_text(encoding="utf-8")]
    assert found == []


def test_mail_goes_through_the_queue():
    found = [_rel(p) for p in _modules() if _rel(p) != "app/core/mail.py"
             and re.search(r"\bsend_(bulk|email)\(|mail\.send\(", p.read_text(encoding="utf-8"))]
    assert found == []


def test_create_app_registers_every_hook(app):
    from app.alumni.services import SEARCH_MATCHERS
    from app.alumni.written import _HOOKS
    from app.core.panels import _PANELS
    from app.core.timeline import _SOURCES
    from app.imports.merge import _HANDLERS
    from app.imports.pipeline import kinds

    assert {k.name for k in kinds()} >= {"alumni", "exchange"}
    assert {p.name for p in _PANELS} >= {"employment", "mentoring", "feedback", "contributions",
                                          "engagement", "exchange", "merge"}
    assert set(_SOURCES) >= {"employment", "mentoring", "feedback", "contributions", "events",
                             "exchange"}
    assert "duplicate_candidate" in _HANDLERS and SEARCH_MATCHERS and _HOOKS
    from app.core.mail import _GATE
    from app.mailings.gate import decide_mail

    assert [decide_mail] == _GATE


_HAND_WRITTEN_SCOPE = re.compile(
    r"if not in_scope\(|\.role != (?:ADMIN|\"admin\") and [\w.]*institution_id|"
    r"\.role != ALUMNUS or [\w.]+\.user_id != ")


def test_permission_checks_go_through_the_helpers():
    """Scope, own-institution and self-service checks call app/core/permissions.py."""
    found = [_rel(p) for p in _modules() if _rel(p) != "app/core/permissions.py"
             and _HAND_WRITTEN_SCOPE.search(p.read_text(encoding="utf-8"))]
    assert found == []
