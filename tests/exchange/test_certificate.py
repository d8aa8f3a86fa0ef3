"""The certificate of participation: a PDF with the participant's name in their script."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from app.exchange.certificate import certificate_pdf, font_for_script, fonts_for
from tests.conftest import sign_in


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
    assert fonts_for("Nguyễn")[0] != "Helvetica"  # a TrueType font with Vietnamese glyphs


def test_certificate_only_for_completed(xw, add_participation):
    with pytest.raises(ValueError):
        certificate_pdf(add_participation("X-1", "in_progress"))


def test_thai_name_uses_a_thai_font_when_installed(xw, add_participation):
    if font_for_script("thai") is None:
        pytest.skip("no Thai font installed (Debian fonts-noto-core or fonts-thai-tlwg)")
    p = add_participation("TH-1", "completed", given_name="สมชาย", family_name="ใจดี")
    assert fonts_for(p.full_name)[0] == font_for_script("thai")[0]
    assert "สมชาย" in _text(certificate_pdf(p))


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
