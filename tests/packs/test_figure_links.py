"""A kept figure's link lists the records it counted: E1's link carries the figure's own day,
so activity after that day (or today's window) does not change the list."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from app.contributions.models import Contribution
from app.core.db import today
from app.packs.content import PackRequest, gather
from app.packs.dashboard import panel_figures
from app.reports.indicators import Params, compute, make_selection


def _listed(client, href: str) -> list[str]:
    """The student numbers a records page lists (its first column)."""
    parts = urlsplit(href)
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    rows = re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)
    return re.findall(r"<tr><td>([^<]+)</td>", rows)


def _give(db, cohort, alumnus, on: date) -> None:
    db.session.add(Contribution(
        institution_id=cohort.institution.id, donor_kind="alumnus", alumnus_id=alumnus.id,
        kind="monetary", category="donation", received_on=on, receipt_year=on.year,
        receipt_number=f"LATE-{alumnus.id}-{on:%Y%m%d}", amount=Decimal("10"), currency="IDR"))


def test_the_packs_e1_link_lists_the_records_of_the_figures_own_day(pack_cohort, as_role, db):
    a = pack_cohort.alumni
    content = gather(PackRequest(pack_cohort.institution.id, "ban-pt",
                                 (pack_cohort.programme.id,), (2024,)), built_by="Quality")
    e1 = content.get(2024, "E1.rate")
    assert e1.as_of == date(2024, 12, 31)  # the cohort year's end, carried with the figure
    figure = content.figure(e1, years=[2024])
    assert parse_qs(urlsplit(figure.href).query)["as_of"] == ["2024-12-31"]
    counted = sorted(x.student_number for x in db.session.scalars(e1.counted.query))
    assert len(counted) == e1.numerator == 2  # a1's internship places, a3's scholarship
    # activity after the figure's day, inside today's window
    for who in ("a5", "a6", "a7"):
        _give(db, pack_cohort, a[who], today())
    db.session.commit()
    client = as_role("quality")
    assert sorted(_listed(client, figure.href)) == counted
    # without the figure's day the list would be today's window: the three late givers
    today_href = re.sub(r"&as_of=[0-9-]+", "", figure.href)
    assert sorted(_listed(client, today_href)) == sorted(a[w].student_number
                                                        for w in ("a5", "a6", "a7"))


def test_the_dashboards_e1_link_keeps_the_day_it_was_counted(pack_cohort, as_role, db, app):
    a = pack_cohort.alumni
    inst, programme = pack_cohort.institution, pack_cohort.programme
    figures, _ = panel_figures(inst, [programme], [2024], [2024])
    e1 = next(f for f in figures if f["key"] == "E1.rate")
    assert "as_of=2024-12-31" in e1["href"]
    kept = compute("E1", make_selection(inst, [programme], [2024], 12,
                                        Params(as_of=date(2024, 12, 31))), "rate")
    counted = sorted(x.student_number for x in db.session.scalars(kept.counted.query))
    for who in ("a8", "a9"):
        _give(db, pack_cohort, a[who], today())  # after the figure's day
    db.session.commit()
    assert sorted(_listed(as_role("officer"), e1["href"])) == counted
    assert len(counted) == kept.numerator == 2


def test_a_malformed_day_is_not_found(pack_cohort, as_role):
    programme = pack_cohort.programme
    url = (f"/outcomes/records?code=E1&variant=rate&which=counted&programme={programme.id}"
           f"&cohort=2024&months=12")
    client = as_role("quality")
    assert client.get(url + "&as_of=2024-12-31").status_code == 200
    assert "Counted as of 31 Dec 2024" in client.get(url + "&as_of=2024-12-31").get_data(
        as_text=True)
    assert client.get(url + "&as_of=yesterday").status_code == 404
