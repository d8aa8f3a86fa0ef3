"""The certificate of participation: a PDF with the participant's name in their script."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics

from app.core.pdf_text import font_for, measure_runs, script_runs
from app.exchange.certificate import certificate_pdf, font_for_script
from tests.conftest import sign_in

# (given name, family name): scripts mixed as participants write them
MIXED_NAMES = [
    ("ณัฐวุฒิ", "Smith"),                 # Thai given name, Latin family name
    ("Aung", "ကျော်စွာ"),                  # Latin and Burmese (stacked and reordered vowels)
    ("Nguyễn Thị", "Đào"),                # Vietnamese: Latin with stacked diacritics
    ("ស្រីមុំ", "Dara"),                    # Khmer with a subscript consonant, then Latin
    ("สมศรี ស្រីមុំ", "မောင် Nguyễn"),      # four scripts in one name
    ("Maria Lourdes Concepcion Esperanza Guadalupe Magdalena Remedios",
     "de los Santos Villanueva-Dimaculangan y Bartolome Macapagal Arroyo"),  # very long
]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_certificate_has_the_vietnamese_name_with_its_diacritics(xw, add_participation):
    p = add_participation("VN-1", "completed", given_name="Nguyễn Thị", family_name="Đào",
                          project="Smart farm sensors")
    pdf = certificate_pdf(p)
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Nguyễn Thị Đào" in text
    assert p.certificate_number in text
    assert "Bangkok Polytechnic" in text


def test_certificate_only_for_completed(xw, add_participation):
    with pytest.raises(ValueError):
        certificate_pdf(add_participation("X-1", "in_progress"))


def test_thai_name_uses_a_thai_font_when_installed(xw, add_participation):
    if font_for_script("thai") is None:
        pytest.skip("no Thai font installed (Debian fonts-noto-core or fonts-thai-tlwg)")
    p = add_participation("TH-1", "completed", given_name="สมชาย", family_name="ใจดี")
    assert {run.font for run in measure_runs(p.full_name, 30)} == {font_for_script("thai")[0]}
    assert "สมชาย ใจดี" in _text(certificate_pdf(p))


def _words(pdf: bytes) -> list[tuple[float, float, float, str]]:
    """(x min, x max, y min, word) of every word on the first page, as poppler reads it."""
    out = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode()
    return [(float(x0), float(x1), float(y0), word) for x0, y0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        out)]


@pytest.mark.parametrize(("given", "family"), MIXED_NAMES)
def test_mixed_script_names_print_whole_and_centred(xw, add_participation, given, family):
    for script in ("thai", "khmer", "myanmar"):
        if font_for_script(script) is None:
            pytest.skip(f"no {script} font installed (Debian fonts-noto-core)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian poppler-utils)")
    p = add_participation("MX-1", "completed", given_name=given, family_name=family)
    pdf = certificate_pdf(p)
    name = f"{given} {family}"
    # every character is drawn in a font that has a glyph for it (no empty boxes)
    for script, part in script_runs(name):
        face = pdfmetrics.getFont(font_for(script, bold=True)).face
        missing = [ch for ch in part if not ch.isspace() and ord(ch) not in face.charToGlyph]
        assert not missing, f"{font_for(script, bold=True)} has no glyph for {missing}"
    # the whole name comes out of the PDF, in order, on one line (or two, when very long)
    text = " ".join(_text(pdf).split())
    assert name in text
    # centred: the words of the name span a line (or lines) whose middle is the page's
    words = _words(pdf)
    name_words = name.split()
    found = [w for w in words if w[3] in name_words]
    assert [w[3] for w in found] == name_words
    width = landscape(A4)[0]
    lines: list[list[tuple]] = []
    for word in found:  # a new line where a word starts well below the one before
        if lines and abs(word[2] - lines[-1][-1][2]) < 10:
            lines[-1].append(word)
        else:
            lines.append([word])
    assert len(lines) <= 2
    for line in lines:
        left, right = min(w[0] for w in line), max(w[1] for w in line)
        assert abs((left + right) / 2 - width / 2) < 3, (left, right)
        assert left > 40 and right < width - 40  # inside the frame


def test_certificate_pages(app, xw, add_participation, as_role, make_user):
    done = add_participation(xw.world.alumnus.student_number, "completed",
                             given_name=xw.world.alumnus.given_name)
    running = add_participation("R-1", "in_progress")
    staff = as_role("quality").get(f"/exchange/participations/{done.id}/certificate.pdf")
    assert staff.status_code == 200 and staff.mimetype == "application/pdf"
    assert xw.world.alumnus.given_name in _text(staff.data)
    assert staff.headers["Content-Disposition"] == (
        f"inline; filename=certificate-{done.certificate_number}.pdf")
    mine = as_role("alumnus").get(f"/me/exchanges/{done.id}/certificate.pdf")
    assert mine.status_code == 200
    assert as_role("alumnus").get(f"/me/exchanges/{running.id}/certificate.pdf").status_code == 404
    unlinked = app.test_client()  # an alumnus account linked to no record: not found
    sign_in(unlinked, make_user("alumnus", xw.world.home))
    assert unlinked.get(f"/me/exchanges/{done.id}/certificate.pdf").status_code == 404
    refused = as_role("officer").get(f"/exchange/participations/{running.id}/certificate.pdf",
                                     follow_redirects=True)
    assert refused.request.path == f"/exchange/participations/{running.id}"
    assert "A certificate is issued for a completed exchange only." in refused.get_data(
        as_text=True)


def test_batch_certificates_one_page_each(xw, add_participation, as_role):
    client = as_role("officer")
    none_yet = client.get(f"/exchange/batches/{xw.batch.id}/certificates.pdf",
                          follow_redirects=True)
    assert none_yet.request.path == f"/exchange/batches/{xw.batch.id}"
    assert "No participant of this batch has completed the exchange yet." in none_yet.get_data(
        as_text=True)
    add_participation("A-1", "completed", given_name="Ánh")
    add_participation("A-2", "completed", given_name="Budi")
    add_participation("A-3", "in_progress")
    response = client.get(f"/exchange/batches/{xw.batch.id}/certificates.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "inline; filename=certificates-2022-1.pdf"
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 2
    assert "Ánh" in reader.pages[0].extract_text() + reader.pages[1].extract_text()


def test_a_thai_certificate_prints_its_digits_and_full_stops(app, xw, add_participation):
    """In Thai the dates and hours mix Thai words with digits and stops ("23 พฤษภาคม พ.ศ.
    2565"), which Noto Sans Thai has no glyphs for: they are drawn in the Latin font, so none
    goes missing."""
    from datetime import date

    from flask_babel import force_locale

    if font_for_script("thai") is None:
        pytest.skip("no Thai font installed (Debian fonts-noto-core or fonts-thai-tlwg)")
    line = "ตั้งแต่วันที่ 23 พฤษภาคม พ.ศ. 2565 ถึงวันที่ 20 มิถุนายน พ.ศ. 2565 รวม 90 ชั่วโมง"
    for bold in (False, True):
        for script, part in script_runs(line):
            face = pdfmetrics.getFont(font_for(script, bold=bold)).face
            missing = [ch for ch in part if not ch.isspace() and ord(ch) not in face.charToGlyph]
            assert not missing, f"{font_for(script, bold=bold)} has no glyph for {missing}"
    p = add_participation("TH-2", "completed", start_date=date(2022, 5, 23),
                          end_date=date(2022, 6, 20))
    with app.test_request_context(), force_locale("th"):
        text = _text(certificate_pdf(p))
    assert "เกียรติบัตรการเข้าร่วมโครงการ" in text
    for number in ("23", "20", "2565", "90"):
        assert number in text, number
