"""What the exchanges led to: certificates (staff and /me), exchange alumni, figures X1–X5."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from app.alumni.models import display_name
from app.alumni.pages import own_alumnus_or_404
from app.core.audit import record_export
from app.core.figure_cache import kept_fragment
from app.core.i18n import current_language, institution_settings
from app.core.pagination import seek_args
from app.core.permissions import ALUMNUS, STAFF_READ, get_scoped_or_404, roles_required
from app.core.spreadsheet import table_download
from app.exchange import bp, exports, figures, services
from app.exchange.certificate import certificates_pdf
from app.exchange.models import ExchangeBatch, ExchangeParticipation
from app.exchange.routes._common import batch_label, batches, render
from app.extensions import db

# --- certificates ---------------------------------------------------------------------------


def _certificates(done: list[ExchangeParticipation], name: str, none_done: str, back: str):
    """The certificates of completed exchanges as one PDF; with none, say why and go back."""
    if not done:
        flash(none_done, "info")
        return redirect(back)
    return send_file(BytesIO(certificates_pdf(done)), mimetype="application/pdf",
                     download_name=name)


def _certificate_response(p: ExchangeParticipation, back: str):
    return _certificates([p] if p.status == "completed" else [],
                         f"certificate-{p.certificate_number}.pdf",
                         gettext("A certificate is issued for a completed exchange only."), back)


@bp.route("/exchange/batches/<int:batch_id>/certificates.pdf")
@roles_required(*STAFF_READ)
def batch_certificates(batch_id: int):
    record = get_scoped_or_404(ExchangeBatch, batch_id)
    return _certificates([p for p in record.participations if p.status == "completed"],
                         f"certificates-{record.year}-{record.batch_number}.pdf",
                         gettext("No participant of this batch has completed the exchange yet."),
                         url_for("exchange.batch", batch_id=record.id))


@bp.route("/exchange/participations/<int:participation_id>/certificate.pdf")
@roles_required(*STAFF_READ)
def certificate(participation_id: int):
    p = get_scoped_or_404(ExchangeParticipation, participation_id)
    return _certificate_response(
        p, url_for("exchange.participation", participation_id=p.id))


@bp.route("/me/exchanges/<int:participation_id>/certificate.pdf")
@roles_required(ALUMNUS)
def my_certificate(participation_id: int):
    alumnus = own_alumnus_or_404()
    p = db.session.get(ExchangeParticipation, participation_id)
    if p is None or p.alumnus_id != alumnus.id:  # only the alumnus's own exchanges
        abort(404)
    return _certificate_response(p, url_for("alumni.me"))


# --- exchange alumni and figures ------------------------------------------------------------


def _exchanges_of(alumni: list) -> dict[int, list[ExchangeParticipation]]:
    exchanges: dict[int, list[ExchangeParticipation]] = {}
    ids = [a.id for a in alumni]
    if ids:
        for p in db.session.scalars(select(ExchangeParticipation)
                                    .where(ExchangeParticipation.alumnus_id.in_(ids))):
            exchanges.setdefault(p.alumnus_id, []).append(p)
    return exchanges


@bp.route("/exchange/alumni")
@roles_required(*STAFF_READ)
def alumni():
    q = request.args.get("q", "").strip()
    page = db.paginate(services.exchange_alumni(actor=current_user, q=q),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render("exchange/alumni.html", page=page, q=q, exchanges=_exchanges_of(page.items))


@bp.route("/exchange/alumni.<fmt>")
@roles_required(*STAFF_READ)
def alumni_download(fmt: str):
    q = request.args.get("q", "").strip()
    everyone = list(db.session.scalars(services.exchange_alumni(actor=current_user, q=q)))
    response = table_download(fmt, "exchange-alumni", "Exchange alumni", exports.ALUMNI_HEADER,
                              exports.alumni_rows(everyone, _exchanges_of(everyone)))
    record_export(current_user, f"exchange-alumni.{fmt}", len(everyone),
                  institution_id=current_user.institution_id,
                  details={"search": q} if q else None)
    db.session.commit()
    return response


@bp.route("/exchange/figures")
@roles_required(*STAFF_READ)
def figures_page():
    batch_id = request.args.get("batch", type=int)
    show = request.args.get("show")
    report = figures.exchange_figures(actor=current_user, batch_id=batch_id, kept=True)
    shown = batches()
    labels = {b.id: batch_label(b) for b in shown}
    # X1-X4's cards drawn once per count (and language, batch names, application root)
    cards = kept_fragment(
        ("exchange_figures", current_user.role, current_user.institution_id, batch_id,
         report.counted_at, current_language(), institution_settings(), request.script_root,
         tuple(labels.items())),
        lambda: render("exchange/_figure_cards.html", report=report, batch_labels=labels,
                       batch_id=batch_id)
    ) if current_app.config["FIGURE_CACHE_SECONDS"] else None
    # X5's records (every alumnus of the exchange cohorts) a page at a time, as the register
    x5_page = report.employment.records_page(**seek_args()) if show == "X5" else None
    return render("exchange/figures.html", report=report, batches=shown, batch_labels=labels,
                  batch_id=batch_id, show=show, status_words=_employment_status_words(),
                  x5_page=x5_page, figure_cards=cards)


def _employment_status_words() -> dict[str, str]:
    """X5's latest employment statuses in words (marked N_ by the employment feature, said in
    the page's language); none when employment records are not installed."""
    try:  # the code list the employment services check statuses against
        from app.employment.services.cleaning import codes
    except ImportError:
        return {}
    return dict(codes.EMPLOYMENT_STATUSES)


@bp.route("/exchange/figures/x5-records.<fmt>")
@roles_required(*STAFF_READ)
def x5_records_download(fmt: str):
    """X5's records, the whole list (the page shows it a page at a time)."""
    employment = figures.employment_comparison(actor=current_user, kept=True)
    words = _employment_status_words()
    rows = [[r.student_number, display_name(r.given_name, r.preferred_name, r.family_name),
             r.cohort_year, words.get(r.status, r.status), "Yes" if r.exchange else "No"]
            for r in employment.records]
    response = table_download(fmt, "exchange-x5-records", "X5 records", exports.X5_HEADER,
                              rows)
    record_export(current_user, f"exchange-x5-records.{fmt}", len(rows),
                  institution_id=current_user.institution_id)
    db.session.commit()
    return response


@bp.route("/exchange/figures.<fmt>")
@roles_required(*STAFF_READ)
def figures_download(fmt: str):
    batch_id = request.args.get("batch", type=int)
    report = figures.exchange_figures(actor=current_user, batch_id=batch_id)
    return table_download(fmt, f"exchange-figures{f'-batch-{batch_id}' if batch_id else ''}",
                          "Exchange figures", exports.FIGURES_HEADER,
                          exports.figures_rows(report))
