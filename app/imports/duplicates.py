"""Possible duplicates: records that are probably one person under two student numbers.

Records are compared only within blocks that share something (the same e-mail, phone or birth
date, or the same programme and cohort), never every pair, so 100,000 records take seconds.
Names are compared folded (case and Latin accents removed) with RapidFuzz's token ratios,
which ignore word order ("Nguyen Van An" = "An Nguyen Van").
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from flask_babel import gettext
from rapidfuzz import fuzz, process
from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import joinedload

from app.alumni.models import Alumnus, Institution
from app.core.audit import record_audit
from app.core.db import utcnow
from app.core.errors import Conflict
from app.core.permissions import require_writer_in_scope, scope
from app.extensions import db
from app.imports.alumni_values import fold_series
from app.imports.models import DuplicateCandidate

NAME_SAME_BLOCK = 90  # same programme and cohort: names this similar are suspicious
NAME_SAME_BIRTH = 85  # same birth date: a looser name match is enough
MAX_EXACT_BLOCK = 50  # a shared office phone or e-mail on hundreds of rows is no signal


def name_score(a: str, b: str) -> int:
    """Similarity of two folded names, 0-100, whatever the word order."""
    return int(fuzz.token_sort_ratio(a, b))


def _blocks(frame: pd.DataFrame, columns: list[str]) -> list[Any]:
    """Row positions of each group of two or more rows sharing a value in `columns`.

    Rows that share their value with no other row are dropped before grouping: most e-mails
    and phones are unique, and iterating 100,000 one-row groups took seconds.
    """
    present = frame[columns].notna().all(axis=1)
    shared = present & frame.duplicated(subset=columns, keep=False)
    if not shared.any():
        return []
    positions = np.flatnonzero(shared.to_numpy())
    groups = frame.iloc[positions].groupby(columns, sort=False).indices
    return [positions[at] for at in groups.values()]


def _pairs_in_groups(frame: pd.DataFrame, column: str) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    ids = frame["id"].to_numpy()
    for at in _blocks(frame, [column]):
        if len(at) <= MAX_EXACT_BLOCK:
            pairs.update((min(a, b), max(a, b)) for a, b in combinations(ids[at].tolist(), 2))
    return pairs


def find_candidates(institution_id: int) -> list[dict[str, Any]]:
    """Score the probable duplicate pairs of an institution's register (reads only)."""
    rows = db.session.execute(
        select(Alumnus.id, Alumnus.given_name, Alumnus.family_name, Alumnus.email,
               Alumnus.phone, Alumnus.birth_date, Alumnus.programme_id, Alumnus.cohort_year)
        .where(Alumnus.institution_id == institution_id, Alumnus.archived_at.is_(None))
    ).all()
    if len(rows) < 2:
        return []
    frame = pd.DataFrame([tuple(r) for r in rows],
                         columns=["id", "given_name", "family_name", "email", "phone",
                                  "birth_date", "programme_id", "cohort_year"])
    frame["name"] = (fold_series(frame["given_name"]) + " "
                     + fold_series(frame["family_name"])).str.strip()
    frame["sorted_name"] = [" ".join(sorted(n.split())) for n in frame["name"]]
    frame["email"] = frame["email"].str.lower()
    names = dict(zip(frame["id"], frame["name"], strict=True))

    reasons: dict[tuple[int, int], set[str]] = {}
    # Exact blocks: a shared e-mail or phone is a strong signal on its own.
    for column, reason in (("email", "same e-mail"), ("phone", "same phone")):
        for pair in _pairs_in_groups(frame, column):
            reasons.setdefault(pair, set()).add(reason)
    # Looser blocks: within the same birth date, or the same programme and cohort, only
    # similar names count; RapidFuzz compares each block as a matrix, not pair by pair.
    for columns, reason, cutoff in ((["birth_date"], "same birth date", NAME_SAME_BIRTH),
                                    (["programme_id", "cohort_year"],
                                     "same programme and cohort", NAME_SAME_BLOCK)):
        all_ids, all_names = frame["id"].to_numpy(), frame["sorted_name"].to_numpy()
        for at in _blocks(frame, columns):
            ids = all_ids[at].tolist()
            names_in_block = all_names[at].tolist()
            # ratio() of the sorted words is token_sort_ratio, without re-sorting every pair.
            matrix = process.cdist(names_in_block, names_in_block, scorer=fuzz.ratio,
                                   score_cutoff=cutoff, workers=-1 if len(at) > 500 else 1)
            for i, j in zip(*matrix.nonzero(), strict=True):
                if i < j:
                    pair = (min(ids[i], ids[j]), max(ids[i], ids[j]))
                    reasons.setdefault(pair, set()).add(reason)
    # A pair found in one block may share the other block too: say so.
    born = dict(zip(frame["id"], frame["birth_date"], strict=True))
    group = dict(zip(frame["id"], zip(frame["programme_id"], frame["cohort_year"],
                                      strict=True), strict=True))
    for (a, b), why in reasons.items():
        if born[a] is not None and not pd.isna(born[a]) and born[a] == born[b]:
            why.add("same birth date")
        if not any(pd.isna(v) for v in group[a]) and group[a] == group[b]:
            why.add("same programme and cohort")

    out = []
    for (a, b), why in reasons.items():
        score_n = name_score(names[a], names[b])
        strong = "same e-mail" in why or "same phone" in why
        if not strong and "same birth date" in why and score_n < NAME_SAME_BIRTH:
            continue
        if not strong and "same birth date" not in why and score_n < NAME_SAME_BLOCK:
            continue
        score = min(100, int(score_n * 0.5 + 30 * ("same e-mail" in why)
                             + 25 * ("same phone" in why) + 20 * ("same birth date" in why)
                             + 10 * ("same programme and cohort" in why)))
        listed = sorted(why) + [f"similar names ({score_n})"] if score_n >= 70 else sorted(why)
        out.append({"first_id": a, "second_id": b, "score": score, "reasons": listed})
    return sorted(out, key=lambda c: -c["score"])


def scan_duplicates(institution: Institution, *, actor: Any) -> int:
    """Refresh the open queue of an institution; pairs marked "not a duplicate" stay out."""
    if actor is not None:
        require_writer_in_scope(actor, institution_as_owned(institution),
                                message="No such institution.")
    found = find_candidates(institution.id)
    dismissed = set(db.session.execute(
        select(DuplicateCandidate.first_id, DuplicateCandidate.second_id)
        .where(DuplicateCandidate.institution_id == institution.id,
               DuplicateCandidate.status == "dismissed")).all())
    db.session.execute(delete(DuplicateCandidate).where(
        DuplicateCandidate.institution_id == institution.id,
        DuplicateCandidate.status == "open"))
    now = utcnow()
    rows = [{**c, "institution_id": institution.id, "status": "open", "found_at": now}
            for c in found if (c["first_id"], c["second_id"]) not in dismissed]
    for start in range(0, len(rows), 5_000):
        db.session.execute(insert(DuplicateCandidate), rows[start:start + 5_000])
    db.session.flush()
    return len(rows)


class _Owned:
    def __init__(self, institution_id: int) -> None:
        self.institution_id = institution_id


def institution_as_owned(institution: Institution) -> _Owned:
    return _Owned(institution.id)


def open_candidates(actor: Any):
    """The queue the actor may see, most likely duplicates first (both records of each pair
    and their institution loaded with it: one statement per page, not two per pair)."""
    first, second = DuplicateCandidate.first, DuplicateCandidate.second
    return (scope(select(DuplicateCandidate), DuplicateCandidate, actor)
            .options(joinedload(first).joinedload(Alumnus.institution), joinedload(second))
            .where(DuplicateCandidate.status == "open")
            .order_by(DuplicateCandidate.score.desc(), DuplicateCandidate.id))


def dismiss_duplicate(candidate: DuplicateCandidate, *, actor: Any) -> DuplicateCandidate:
    """An officer decides two records are different people; the pair stays out of the queue."""
    require_writer_in_scope(actor, candidate, message="No such pair.")
    if candidate.status != "open":
        raise Conflict(gettext("This pair has already been decided."))
    candidate.status = "dismissed"
    candidate.decided_by_id = getattr(actor, "id", None)
    candidate.decided_at = utcnow()
    db.session.flush()
    record_audit(actor, "duplicate.dismiss", candidate,
                 after={"first_id": candidate.first_id, "second_id": candidate.second_id})
    return candidate


def forget_candidates(alumnus_id: int) -> None:
    """A merged-away record leaves the queue (its pairs are decided by the merge)."""
    db.session.execute(delete(DuplicateCandidate).where(or_(
        DuplicateCandidate.first_id == alumnus_id, DuplicateCandidate.second_id == alumnus_id)))
