"""The printable certificate of participation (PDF) for a completed exchange.

Names may be in any script. Each line is set in the first installed font that has the
script's glyphs: Noto fonts when the machine has them (Debian fonts-noto-core: Thai, Khmer,
Myanmar), else DejaVu Sans (Latin with Vietnamese diacritics, Debian fonts-dejavu-core).
"""

from __future__ import annotations

import os
from datetime import date
from functools import cache
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from app.core.countries import country_name
from app.exchange.models import ExchangeParticipation

FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/opentype/noto",
             "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/tlwg",
             "/usr/local/share/fonts", os.path.expanduser("~/.fonts"))
# script -> candidate font files (regular, bold), first found wins
FONT_FILES: dict[str, list[tuple[str, str]]] = {
    "latin": [("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
              ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")],
    "thai": [("NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
             ("NotoSansThaiLooped-Regular.ttf", "NotoSansThaiLooped-Bold.ttf"),
             ("Garuda.ttf", "Garuda-Bold.ttf")],
    "khmer": [("NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf")],
    "myanmar": [("NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf")],
}
MODE_WORDS = {"virtual": "virtual", "physical": "on-site", "blended": "blended"}
SCRIPT_RANGES = {"thai": (0x0E00, 0x0E7F), "khmer": (0x1780, 0x17FF),
                 "myanmar": (0x1000, 0x109F)}


def _find(filename: str) -> str | None:
    for folder in FONT_DIRS:
        path = os.path.join(folder, filename)
        if os.path.isfile(path):
            return path
    return None


@cache
def font_for_script(script: str) -> tuple[str, str] | None:
    """Registered (regular, bold) font names for a script, or None when none is installed."""
    for regular, bold in FONT_FILES.get(script, []):
        reg_path = _find(regular)
        if reg_path is None:
            continue
        bold_path = _find(bold) or reg_path
        reg_name, bold_name = regular.rsplit(".", 1)[0], bold.rsplit(".", 1)[0]
        pdfmetrics.registerFont(TTFont(reg_name, reg_path))
        if bold_path != reg_path:
            pdfmetrics.registerFont(TTFont(bold_name, bold_path))
        else:
            bold_name = reg_name
        return reg_name, bold_name
    return None


def script_of(text: str) -> str:
    """The first non-Latin script the text uses, else "latin"."""
    for ch in text:
        code = ord(ch)
        for script, (low, high) in SCRIPT_RANGES.items():
            if low <= code <= high:
                return script
    return "latin"


def fonts_for(text: str) -> tuple[str, str]:
    """(regular, bold) font names able to show `text`; built-in Helvetica as a last resort."""
    return (font_for_script(script_of(text)) or font_for_script("latin")
            or ("Helvetica", "Helvetica-Bold"))


def _centred(pdf: canvas.Canvas, text: str, y: float, size: float, bold: bool = False,
             width: float = 0) -> None:
    regular, heavy = fonts_for(text)
    font = heavy if bold else regular
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > width - 80:
        size -= 1  # long names shrink to fit the page
    pdf.setFont(font, size)
    pdf.drawCentredString(width / 2, y, text)


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
        _page(pdf, p, issued or date.today(), width, height)
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
    _centred(pdf, p.full_name, height - 240, 30, bold=True, width=width)
    _centred(pdf, f"of {sending.name}, {country_name(sending.country)},", height - 275, 14,
             width=width)
    mode = MODE_WORDS.get(batch.mode, batch.mode)
    _centred(pdf, f"took part in the {mode} exchange hosted by {receiving.name}, "
                  f"{country_name(receiving.country)},", height - 300, 14, width=width)
    hours = f", {p.hours.normalize():f} hours" if p.hours is not None else ""
    _centred(pdf, f"{_when(p)}{hours}.", height - 325, 14, width=width)
    if p.project:
        _centred(pdf, f"Project: {p.project}", height - 355, 12, width=width)

    regular, _ = fonts_for("Latin")
    pdf.setFont(regular, 10)
    pdf.drawString(70, 80, f"Certificate number: {p.certificate_number or '—'}")
    pdf.drawString(70, 64, f"Issued: {issued:%d %B %Y}")
    pdf.line(width - 300, 95, width - 70, 95)
    signer = batch.coordinator or "Exchange coordinator"
    sig_regular, _ = fonts_for(signer)
    pdf.setFont(sig_regular, 10)
    pdf.drawCentredString(width - 185, 80, signer)
    pdf.setFont(regular, 10)
    pdf.drawCentredString(width - 185, 64, "Exchange coordinator")
    pdf.showPage()
