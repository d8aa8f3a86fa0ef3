"""The printable certificate of participation (PDF) for a completed exchange.

Names may be in any script, and mix them (a Thai given name with a Latin family name): every
line is drawn run by run, each script in its own font, and centred on its whole width
(app.core.pdf_text). The fixed text is in the language of the request (the alumnus's own, when
they download it from their profile), dates by Babel for it (Buddhist Era years on Thai pages
where the institution says so).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

from flask_babel import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from app.core.db import today
from app.core.i18n import country_name_in_language, format_date, format_number
from app.core.pdf_text import draw_centred, draw_runs, font_for_script, text_width
from app.exchange.models import ExchangeParticipation

__all__ = ["certificate_pdf", "certificates_pdf", "font_for_script"]

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


def _took_part(mode: str, host: str, country: str) -> str:
    """The line that says where: a whole sentence per mode, so each language words it."""
    if mode == "virtual":
        return gettext("took part in the virtual exchange hosted by %(host)s, %(country)s,",
                       host=host, country=country)
    if mode == "blended":
        return gettext("took part in the blended exchange hosted by %(host)s, %(country)s,",
                       host=host, country=country)
    return gettext("took part in the on-site exchange hosted by %(host)s, %(country)s,",
                   host=host, country=country)


def _when(p: ExchangeParticipation) -> str:
    """When, and for how many hours: one whole sentence for each case."""
    start, end = format_date(p.start_date, "long"), format_date(p.end_date, "long")
    if p.hours is None:
        if p.start_date and p.end_date:
            return gettext("from %(start)s to %(end)s.", start=start, end=end)
        if p.start_date:
            return gettext("from %(start)s.", start=start)
        return gettext("in %(year)s.", year=p.batch.year)
    hours = format_number(p.hours.normalize())
    if p.start_date and p.end_date:
        return gettext("from %(start)s to %(end)s, %(hours)s hours.", start=start, end=end,
                       hours=hours)
    if p.start_date:
        return gettext("from %(start)s, %(hours)s hours.", start=start, hours=hours)
    return gettext("in %(year)s, %(hours)s hours.", year=p.batch.year, hours=hours)


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
    pdf.setTitle(gettext("Certificate of participation — %(name)s", name=first.full_name)
                 if len(participations) == 1
                 else gettext("Certificates of participation — %(batch)s",
                              batch=first.batch.label))
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
    _centred(pdf, gettext("CERTIFICATE OF PARTICIPATION"), height - 110, 30, bold=True,
             width=width)
    pdf.setFillColor(colors.black)
    _centred(pdf, batch.name, height - 145, 16, width=width)
    _centred(pdf, gettext("This is to certify that"), height - 195, 14, width=width)
    _name(pdf, p.full_name, height - 240, width)
    _centred(pdf, gettext("of %(institution)s, %(country)s,", institution=sending.name,
                          country=country_name_in_language(sending.country)),
             height - 275, 14, width=width)
    _centred(pdf, _took_part(batch.mode, receiving.name,
                             country_name_in_language(receiving.country)),
             height - 300, 14, width=width)
    _centred(pdf, _when(p), height - 325, 14, width=width)
    if p.project:
        _centred(pdf, gettext("Project: %(project)s", project=p.project), height - 355, 12,
                 width=width)

    draw_runs(pdf, 70, 80, gettext("Certificate number: %(number)s",
                                   number=p.certificate_number or "—"), 10)
    draw_runs(pdf, 70, 64, gettext("Issued: %(date)s", date=format_date(issued, "long")), 10)
    pdf.line(width - 300, 95, width - 70, 95)
    signer = batch.coordinator or gettext("Exchange coordinator")
    draw_centred(pdf, width - 185, 80, signer, 10, max_width=230)
    draw_centred(pdf, width - 185, 64, gettext("Exchange coordinator"), 10)
    pdf.showPage()
