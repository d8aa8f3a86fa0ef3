"""The printable certificate of participation (PDF) for a completed exchange.

Names may be in any script, and mix them (a Thai given name with a Latin family name): every
line is drawn run by run, each script in its own font, and centred on its whole width
(app.core.pdf_text).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from app.core.countries import country_name
from app.core.db import today
from app.core.pdf_text import draw_centred, draw_runs, font_for_script, text_width
from app.exchange.models import ExchangeParticipation

__all__ = ["certificate_pdf", "certificates_pdf", "font_for_script"]

MODE_WORDS = {"virtual": "virtual", "physical": "on-site", "blended": "blended"}
MARGIN = 80  # the frame and some air on both sides


def _centred(pdf: canvas.Canvas, text: str, y: float, size: float, bold: bool = False,
             width: float = 0) -> None:
    draw_centred(pdf, width / 2, y, text, size, bold=bold, max_width=width - MARGIN)


def _name(pdf: canvas.Canvas, name: str, y: float, width: float) -> None:
    """The participant's name, whole: shrunk to fit, and on two lines when even 16 pt is too
    wide (a very long name)."""
    room = width - MARGIN
    if text_width(name, 16, bold=True) <= room:
        draw_centred(pdf, width / 2, y, name, 30, bold=True, max_width=room, min_size=16)
        return
    words = name.split()
    cut = max(1, min(range(1, len(words)), default=1,
                     key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:])))))
    first, second = " ".join(words[:cut]), " ".join(words[cut:])
    size = 20
    while size > 8 and max(text_width(first, size, True), text_width(second, size, True)) > room:
        size -= 1
    draw_centred(pdf, width / 2, y + size * 0.55, first, size, bold=True, max_width=room)
    draw_centred(pdf, width / 2, y - size * 0.55, second, size, bold=True, max_width=room)


def _when(p: ExchangeParticipation) -> str:
    if p.start_date and p.end_date:
        return f"from {p.start_date:%d %B %Y} to {p.end_date:%d %B %Y}"
    if p.start_date:
        return f"from {p.start_date:%d %B %Y}"
    return f"in {p.batch.year}"


def certificate_pdf(p: ExchangeParticipation, *, issued: date | None = None) -> bytes:
    """The certificate of participation for a completed exchange, as PDF bytes."""
    return certificates_pdf([p], issued=issued)


def certificates_pdf(participations: list[ExchangeParticipation], *,
                     issued: date | None = None) -> bytes:
    """One page per completed exchange (a batch's certificates to print at once)."""
    if not participations or any(p.status != "completed" for p in participations):
        raise ValueError("A certificate is issued for a completed exchange only.")
    buffer = BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    first = participations[0]
    pdf.setTitle(f"Certificate of participation — {first.full_name}" if len(participations) == 1
                 else f"Certificates of participation — {first.batch.label}")
    pdf.setAuthor(first.receiving_institution.name)
    for p in participations:
        _page(pdf, p, issued or today(), width, height)
    pdf.save()
    return buffer.getvalue()


def _page(pdf: canvas.Canvas, p: ExchangeParticipation, issued: date, width: float,
          height: float) -> None:
    pdf.setStrokeColor(colors.HexColor("#1f4e79"))
    pdf.setLineWidth(4)
    pdf.rect(24, 24, width - 48, height - 48)
    pdf.setLineWidth(1)
    pdf.rect(34, 34, width - 68, height - 68)

    batch = p.batch
    sending, receiving = p.sending_institution, p.receiving_institution
    pdf.setFillColor(colors.HexColor("#1f4e79"))
    _centred(pdf, "CERTIFICATE OF PARTICIPATION", height - 110, 30, bold=True, width=width)
    pdf.setFillColor(colors.black)
    _centred(pdf, batch.name, height - 145, 16, width=width)
    _centred(pdf, "This is to certify that", height - 195, 14, width=width)
    _name(pdf, p.full_name, height - 240, width)
    _centred(pdf, f"of {sending.name}, {country_name(sending.country)},", height - 275, 14,
             width=width)
    mode = MODE_WORDS.get(batch.mode, batch.mode)
    _centred(pdf, f"took part in the {mode} exchange hosted by {receiving.name}, "
                  f"{country_name(receiving.country)},", height - 300, 14, width=width)
    hours = f", {p.hours.normalize():f} hours" if p.hours is not None else ""
    _centred(pdf, f"{_when(p)}{hours}.", height - 325, 14, width=width)
    if p.project:
        _centred(pdf, f"Project: {p.project}", height - 355, 12, width=width)

    draw_runs(pdf, 70, 80, f"Certificate number: {p.certificate_number or '—'}", 10)
    draw_runs(pdf, 70, 64, f"Issued: {issued:%d %B %Y}", 10)
    pdf.line(width - 300, 95, width - 70, 95)
    signer = batch.coordinator or "Exchange coordinator"
    draw_centred(pdf, width - 185, 80, signer, 10, max_width=230)
    draw_centred(pdf, width - 185, 64, "Exchange coordinator", 10)
    pdf.showPage()
