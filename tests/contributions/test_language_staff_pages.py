"""The contributions staff pages in every language: the list (filtered too), a receipt of money
(acknowledged) and one in kind (an organisation's, enabled by an alumnus, then voided), the
form (empty and with errors), the totals (plain, combined at stated rates, refused rates) and
the linkages, the panel on a record's page, and the routes' flash messages; opened by an
officer and (where allowed) by quality staff. No English text of the catalogue is left on them
(the fixed pieces of messages with placeholders too), amounts are written by Babel in the
page's language, and the downloads keep their English header (README "Languages")."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import format_currency

from app.contributions.models import Contribution
from app.contributions.services import ContributionData, record_contribution
from app.core.i18n import LANGUAGES
from app.extensions import db
from tests.conftest import sign_in, user_in
from tests.core.test_mail_languages import _english, _left
from tests.employment.test_language_crawl import ROOT

TRANSLATED = [code for code in LANGUAGES if code != "en"]
# words each language must show: a category, the kind, the form's legend, the totals' heading
EXPECTED = {
    "th": ("ทุนการศึกษา", "สิ่งของ", "ผู้สนับสนุน", "ยอดรวมการสนับสนุน"),
    "id": ("Beasiswa", "Natura (barang/jasa)", "Penyumbang", "Total sumbangan"),
    "ms": ("Biasiswa", "Barangan", "Penyumbang", "Jumlah sumbangan"),
    "vi": ("Học bổng", "Hiện vật", "Nhà tài trợ", "Tổng đóng góp"),
    "fil": ("Iskolarsip", "In-kind", "Nagbigay", "Kabuuan ng mga ambag"),
}
# short English words (12 characters or fewer: the catalogue check leaves them out), checked as
# an element's whole text where the language's word differs
SHORT = ("Receipt", "Received", "Category", "Donor", "Donors", "Void", "Totals", "Gifts",
         "Items", "Filter", "Show", "Kind", "Amount", "Quantity", "What", "Money", "In kind",
         "Acknowledged", "Hours given", "Linkage", "Organisation", "Notes", "Given by",
         "Combine", "Express in", "Rates as of", "All years", "Scholarship", "Equipment")


def _short_words(language: str) -> list[str]:
    from babel.messages.pofile import read_po

    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    return [f">{word}<" for word in SHORT if catalogue.get(word).string != word]


def _check(pages: dict, language: str) -> str:
    english = _english(language)
    short = _short_words(language)
    shown = []
    for name, page in pages.items():
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, name
        left = _left(html, english)
        at = html.find(left[0]) if left else 0
        assert not left, f"{name} in {language} still says: {left}\n{html[at - 300:at + 100]}"
        for word in short:
            assert word not in html, (name, word)
        shown.append(re.sub(r"<[^>]+>", " ", html))
    return "".join(shown)


@pytest.fixture
def gifts(world, smtp_server):
    """A scholarship of money from an alumnus and equipment in kind from an organisation that
    the second alumnus enabled (linkages count it)."""
    officer = world.users["officer"]
    money = record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=world.alumnus.id, kind="monetary",
        category="scholarship", received_on=date(2026, 3, 2), amount="12500", currency="THB",
        purpose="Scholarship fund"), institution=world.home, actor=officer)
    usd = record_contribution(ContributionData(
        donor_kind="alumnus", alumnus_id=world.alumnus.id, kind="monetary",
        category="donation", received_on=date(2026, 3, 3), amount="40", currency="USD"),
        institution=world.home, actor=officer)
    goods = record_contribution(ContributionData(
        donor_kind="organisation", organisation_name="Acme Sdn Bhd",
        alumnus_id=world.second_alumnus.id, kind="in_kind", category="internship",
        received_on=date(2026, 3, 4), description="Six internship places", quantity=6,
        estimated_value="9000", value_currency="MYR", valuation_basis="market price",
        hours="120"), institution=world.home, actor=officer)
    db.session.commit()
    return money, usd, goods


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_contribution_pages_of_an_officer_leave_no_english(app, world, gifts, language):
    money, usd, goods = gifts
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    pages = {
        "list": client.get("/contributions/"),
        "list filtered": client.get("/contributions/?kind=in_kind&category=internship&void=1"),
        "list, none found": client.get("/contributions/?year=2001"),
        "money receipt": client.get(f"/contributions/{money.id}"),
        "form": client.get(f"/contributions/new?alumnus={world.alumnus.id}"),
        # an unknown student number, an in-kind gift without its description, a value without
        # its currency and basis, a quantity and an amount that are not numbers
        "form with errors": client.post("/contributions/new", data={
            "donor_kind": "organisation", "student_number": "NOPE", "kind": "in_kind",
            "category": "donation", "received_on": "2026-02-01", "quantity": "many",
            "estimated_value": "lots", "contact_email": "not-an-address"}),
        "form with service errors": client.post("/contributions/new", data={
            "donor_kind": "organisation", "kind": "in_kind", "category": "donation",
            "received_on": "2099-02-01", "estimated_value": "9000",
            "contact_email": "someone@@example.org"}),
        "money form with errors": client.post("/contributions/new", data={
            "donor_kind": "alumnus", "kind": "monetary", "category": "equipment",
            "received_on": "2026-02-01", "amount": "-3"}),
        "recorded and acknowledged": client.post("/contributions/new", data={
            "donor_kind": "alumnus", "student_number": world.alumnus.student_number,
            "kind": "monetary", "category": "donation", "received_on": "2026-02-01",
            "amount": "250", "currency": "MYR", "send_acknowledgement": "y"},
            follow_redirects=True),
        "acknowledged again": client.post(f"/contributions/{money.id}/acknowledge",
                                          follow_redirects=True),
        "void without a reason": client.post(f"/contributions/{goods.id}/void",
                                             follow_redirects=True),
        "voided": client.post(f"/contributions/{goods.id}/void",
                              data={"reason": "Entered twice"}, follow_redirects=True),
        "not acknowledged (void)": client.post(f"/contributions/{goods.id}/acknowledge",
                                               follow_redirects=True),
        "in-kind receipt, void": client.get(f"/contributions/{goods.id}"),
        "totals": client.get("/contributions/totals"),
        "totals of a year": client.get("/contributions/totals?year=2026"),
        "totals combined": client.get("/contributions/totals?target=MYR&rate_date=2026-03-31"
                                      "&rates=THB+0.13%0D%0AUSD+4.70"),
        "totals, rates refused": client.get(
            "/contributions/totals?target=XYZ&rates=THB%0D%0AUSD+x%0D%0AABC+2%0D%0AEUR+0"
            "%0D%0AJPY+9999999"),
        "totals, rates missing": client.get("/contributions/totals?target=MYR"),
        "totals, unknown currency": client.get("/contributions/totals?target=XYZ"),
        "linkages": client.get("/contributions/linkages"),
        "linkages of a year": client.get("/contributions/linkages?year=2026"),
    }
    shown = _check(pages, language)
    for word in EXPECTED[language]:
        assert word in shown, word
    # amounts by Babel in the page's language
    assert format_currency(Decimal("12500"), "THB", locale=language) in shown
    assert format_currency(Decimal("9000"), "MYR", locale=language) in shown
    errors = pages["form with errors"].get_data(as_text=True)
    assert "is-invalid" in errors and "No alumnus with student number" not in errors
    refused = pages["totals, rates refused"].get_data(as_text=True)
    assert refused.count('class="invalid-feedback"') >= 2 and "Line 1" not in refused
    recorded = pages["recorded and acknowledged"].get_data(as_text=True)
    assert recorded.count('class="alert alert-success') >= 2  # recorded, acknowledgement sent
    assert "alert-warning" in pages["not acknowledged (void)"].get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contribution, goods.id).is_void
    # the downloads keep the product's English header and words, whoever downloads them
    csv = client.get("/contributions/totals.csv").get_data(as_text=True)
    assert csv.lstrip("\ufeff").startswith("Part,Currency,Category") and "Scholarship" in csv
    assert "Category,Alumnus" in client.get("/contributions/linkages.csv").get_data(
        as_text=True)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_contribution_pages_of_quality_staff_leave_no_english(app, world, gifts, language):
    money, _usd, goods = gifts
    client = app.test_client()
    sign_in(client, user_in(world, "quality", language))
    pages = {
        "list": client.get("/contributions/"),
        "money receipt": client.get(f"/contributions/{money.id}"),
        "in-kind receipt": client.get(f"/contributions/{goods.id}"),
        "totals": client.get("/contributions/totals"),
        "totals combined": client.get("/contributions/totals?target=USD&rate_date=2026-03-31"
                                      "&rates=THB+0.028%0D%0AMYR+0.21"),
        "linkages": client.get("/contributions/linkages"),
    }
    shown = _check(pages, language)
    for word in EXPECTED[language][:2] + EXPECTED[language][3:]:
        assert word in shown, word
    assert client.get("/contributions/new").status_code == 403  # quality staff read only


def _panel(html: str) -> str:
    """The contributions panel of a record's page (the other features' panels are not
    translated yet: README "Languages")."""
    start = html.rindex('<h2 class="h5">', 0, html.index('href="/contributions/new?alumnus='))
    end = html.find('<h2 class="h5', start + 10)
    return html[start:end if end > 0 else len(html)]


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_panel_on_a_record_s_page_leaves_no_english(app, world, gifts, language):
    client = app.test_client()
    sign_in(client, user_in(world, "officer", language))
    english = _english(language)
    for alumnus in (world.alumnus, world.second_alumnus):
        html = client.get(f"/alumni/{alumnus.id}").get_data(as_text=True)
        panel = _panel(html)
        assert "contributions/" in panel and not _left(panel, english), _left(panel, english)
        for word in _short_words(language):
            assert word not in panel, word
    html = client.get(f"/alumni/{world.alumnus.id}").get_data(as_text=True)
    assert format_currency(Decimal("12500"), "THB", locale=language) in _panel(html)
