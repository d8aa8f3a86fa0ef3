"""The catalogues: complete for the pages translated so far, and compiled from their sources.

`pybabel extract` runs over app/ as scripts/translations.sh does; every message found in a
COVERED file must be in every language's messages.po, translated (every plural form), not
fuzzy, with the same named placeholders. COVERED grows as pages are translated; README
"Languages" lists what is and is not translated yet.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from app.core.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in LANGUAGES if code != "en"]

# Files whose every message is translated in every language: the base layout; what a tracer
# survey respondent sees (the e-mailed invitation and reminder with their subjects, the public
# answer form with its code lists and the service's messages, its thanks and link pages); and
# the alumnus's own pages: sign-in, password reset and change, claiming the profile, the
# profile with its panels, contact details and the e-mail change, choices and privacy notice,
# corrections, a copy of one's data and erasure, job history and its form, surveys for me,
# with the flash messages and service errors they show and WTForms' own messages; the rest of
# what an alumnus sees (mentoring, curriculum feedback, events, the directory, the exchange
# panel and certificate, the timeline entries of every feature); every e-mail; the
# unsubscribe, error and mentoring outcome link pages; the staff menus and the landing page of
# officers and quality staff. Not yet: the other staff pages (README "Languages").
COVERED = {
    "app/__init__.py",
    "app/templates/base.html",
    "app/templates/email/tracer_invite.txt",
    "app/templates/email/tracer_remind.txt",
    "app/templates/employment/answer.html",
    "app/templates/employment/_answer_fields.html",
    "app/templates/employment/thanks.html",
    "app/templates/employment/link_problem.html",
    "app/employment/answers.py",
    "app/employment/codes.py",
    "app/employment/forms.py",
    "app/employment/services/cleaning.py",
    "app/employment/tracer/sending.py",
    # the alumnus's own pages
    "app/core/form_messages.py",
    "app/core/countries.py",
    "app/templates/auth/login.html",
    "app/templates/auth/claim.html",
    "app/templates/auth/reset_request.html",
    "app/templates/auth/new_password.html",
    "app/templates/auth/token_problem.html",
    "app/templates/auth/change_password.html",
    "app/auth/forms.py",
    "app/auth/routes.py",
    "app/auth/alumnus_routes.py",
    "app/auth/services.py",
    "app/auth/passwords.py",
    "app/auth/email_change.py",
    "app/templates/alumni/me.html",
    "app/templates/alumni/me_contact.html",
    "app/templates/alumni/me_correction.html",
    "app/templates/alumni/me_privacy.html",
    "app/templates/alumni/confirm_email.html",
    "app/alumni/forms.py",
    "app/alumni/models.py",
    "app/alumni/privacy.py",
    "app/alumni/routes.py",
    "app/alumni/services.py",
    "app/templates/privacy/me_rights.html",
    "app/templates/privacy/me_download.html",
    "app/privacy/forms.py",
    "app/privacy/routes.py",
    "app/privacy/services.py",
    "app/templates/employment/my_jobs.html",
    "app/templates/employment/my_surveys.html",
    "app/templates/employment/job_form.html",
    "app/templates/employment/_self_panel.html",
    "app/employment/routes/history.py",
    "app/employment/routes/public.py",
    "app/employment/services/records.py",
    "app/templates/feedback/_self_panel.html",
    "app/templates/mentoring/_self_panel.html",
    "app/templates/engagement/_panel.html",
    "app/engagement/services.py",
    "app/employment/hooks.py",
    "app/core/permissions.py",
    # the employer satisfaction survey: its invitation e-mail and the form from its link
    "app/templates/email/employer_survey.txt",
    "app/templates/employment/employer_answer.html",
    "app/employment/employer_survey.py",
    # e-mails an alumnus receives about their account
    "app/templates/email/invitation.txt",
    "app/templates/email/password_reset.txt",
    "app/templates/email/email_change_confirm.txt",
    "app/templates/email/email_change_notice.txt",
    # the alumnus's menu entries
    "app/alumni/__init__.py",
    "app/employment/__init__.py",
    "app/feedback/__init__.py",
    "app/mentoring/__init__.py",
    "app/engagement/__init__.py",
    "app/directory/__init__.py",
    "app/privacy/__init__.py",
    # the rest of what an alumnus sees: mentoring, curriculum feedback, events, the directory,
    # the exchange panel and certificate, and the timeline entries the features add
    "app/templates/mentoring/me.html",
    "app/templates/mentoring/me_mentorship.html",
    "app/templates/mentoring/me_offer.html",
    "app/templates/mentoring/_sessions.html",
    "app/templates/mentoring/_transitions.html",
    "app/templates/mentoring/_outcome_form.html",
    "app/mentoring/forms.py",
    "app/mentoring/models.py",
    "app/mentoring/routes/_common.py",
    "app/mentoring/routes/self_service.py",
    "app/mentoring/services/profiles.py",
    "app/mentoring/services/workflow.py",
    "app/mentoring/services/outcomes.py",
    "app/mentoring/timeline.py",
    "app/templates/feedback/me.html",
    "app/templates/feedback/form.html",
    "app/feedback/forms.py",
    "app/feedback/models.py",
    "app/feedback/routes.py",
    "app/feedback/services.py",
    "app/feedback/hooks.py",
    "app/templates/engagement/my_events.html",
    "app/engagement/models.py",
    "app/engagement/routes.py",
    "app/engagement/events.py",
    "app/engagement/hooks.py",
    "app/templates/directory/index.html",
    "app/templates/directory/me.html",
    "app/templates/directory/person.html",
    "app/directory/forms.py",
    "app/directory/models.py",
    "app/directory/routes.py",
    "app/directory/services.py",
    "app/templates/exchange/_panel.html",
    "app/exchange/models.py",
    "app/exchange/panels.py",
    "app/exchange/certificate.py",
    "app/contributions/models.py",
    "app/contributions/hooks.py",
    # every other e-mail, in the recipient's language: the contribution receipt, the
    # mentoring proposal and outcome request, the staff invitation, the text around a
    # mailing and the unsubscribe footer the mail gate adds
    "app/templates/email/contribution_acknowledgement.txt",
    "app/contributions/services/receipts.py",
    "app/templates/email/mentorship_proposed.txt",
    "app/templates/email/mentoring_outcome.txt",
    "app/templates/email/staff_invitation.txt",
    "app/auth/invitations.py",
    "app/templates/auth/welcome.html",
    "app/templates/email/mailing.txt",
    "app/templates/email/mailing.html",
    "app/mailings/gate.py",
    # pages anybody may open: the unsubscribe page, the error pages, the mentoring outcome
    # link; and why an e-mail address is not valid
    "app/templates/mailings/unsubscribe.html",
    "app/mailings/unsubscribe.py",
    "app/templates/errors/error.html",
    "app/templates/errors/too_many.html",
    "app/core/throttle.py",
    "app/templates/mentoring/outcome_link.html",
    "app/core/email_words.py",
    # quality staff's pages: the staff menus and the landing page (the register's counts, the
    # kept figures with their labels, the refresh and its messages)
    "app/core/nav.py",
    "app/admin/__init__.py",
    "app/breaches/__init__.py",
    "app/contributions/__init__.py",
    "app/exchange/__init__.py",
    "app/imports/__init__.py",
    "app/mailings/__init__.py",
    "app/packs/__init__.py",
    "app/reports/__init__.py",
    "app/templates/alumni/dashboard.html",
    "app/templates/packs/_dashboard.html",
    "app/templates/packs/_dashboard_panels.html",
    "app/packs/dashboard.py",
    "app/packs/routes.py",
    "app/reports/listing.py",
    "app/templates/_macros.html",
    # the Outcome figures page and the records behind a figure
    "app/templates/reports/outcomes.html",
    "app/templates/reports/records.html",
    "app/reports/routes.py",
    "app/reports/services.py",
    # the figures' names, definitions and notes (N_: exports and packs keep the English)
    "app/reports/indicators/outcomes.py",
    "app/reports/indicators/match.py",
    "app/reports/indicators/income.py",
    "app/reports/indicators/engagement.py",
    "app/reports/indicators/exchange.py",
    "app/reports/indicators/employers.py",
    "app/exchange/hooks.py",
    "app/mentoring/hooks.py",
    # the Reports page (building a pack, the kept snapshots) and a snapshot's page
    "app/templates/packs/build.html",
    "app/templates/packs/reports.html",
    "app/templates/packs/snapshot.html",
    "app/packs/forms.py",
    "app/packs/services.py",
    # the evidence pack's fixed text in the language chosen when it is built (the HTML, PDF
    # and workbook: cover, headings, annexes' columns and notes, charts; the CSV stays English)
    "app/templates/packs/pack.html",
    "app/packs/render.py",
    "app/packs/content.py",
    "app/packs/annexes.py",
    "app/packs/registers.py",
    "app/packs/charts.py",
    # the register's staff pages (the list, a record, its form, correction requests), the
    # shared background-job page and the download links under a table
    "app/templates/alumni/index.html",
    "app/templates/alumni/detail.html",
    "app/templates/alumni/corrections.html",
    "app/templates/alumni/form.html",
    "app/templates/alumni/_programme_filter.html",
    "app/alumni/pages.py",
    "app/templates/main/job.html",
    "app/core/job_words.py",
    "app/templates/_downloads.html",
    # imports and duplicates: the wizard (upload, mapping, a batch with its problems said in
    # the page's language, progress), the import log, the register export, the duplicates
    # queue and the merge pages; the register rules' messages
    "app/templates/imports/upload.html",
    "app/templates/imports/mapping.html",
    "app/templates/imports/batch.html",
    "app/templates/imports/index.html",
    "app/templates/imports/job.html",
    "app/templates/imports/export.html",
    "app/templates/imports/export_job.html",
    "app/templates/imports/duplicates.html",
    "app/templates/imports/merge.html",
    "app/templates/imports/merge_find.html",
    "app/templates/imports/_merge_panel.html",
    "app/imports/words.py",
    "app/imports/forms.py",
    "app/imports/exports.py",
    "app/imports/merge.py",
    "app/imports/duplicates.py",
    "app/imports/alumni_kind.py",
    "app/imports/routes/wizard.py",
    "app/imports/routes/duplicates.py",
    "app/alumni/rule_words.py",
    # the two-factor pages of staff (set-up, the code at sign-in, recovery codes)
    "app/templates/auth/two_factor.html",
    "app/templates/auth/second_factor.html",
    "app/templates/auth/recovery_codes.html",
    "app/auth/two_factor.py",
    "app/auth/two_factor_routes.py",
    # the tracer survey staff pages: the survey list, the sending page and the routes'
    # messages (a campaign's page is translated but for its own questions' list and editor)
    "app/templates/employment/surveys.html",
    "app/templates/employment/sending.html",
    "app/employment/routes/surveys.py",
    "app/templates/employment/responses.html",
    "app/templates/employment/response.html",
    "app/employment/tracer/responses.py",
    # a campaign's page in full: its list of the survey's own questions and the question editor
    "app/templates/employment/survey.html",
    # setting up a new tracer survey and a survey's "Texts and languages" page, with the
    # service's errors
    "app/templates/employment/survey_form.html",
    "app/templates/employment/survey_words.html",
    "app/employment/tracer/surveys.py",
    # the employment panel of a record's staff page
    "app/templates/employment/_staff_panel.html",
    # an upload's refusals and the import's settings errors, shown at once in the page's
    # language (their str() stays English: a job's stored error, the command)
    "app/imports/reading.py",
    "app/imports/workbook.py",
    "app/imports/pipeline/kinds.py",
    "app/imports/services.py",
    "app/imports/batches.py",
    # the employers (list, an employer, its form and the office's record of its ratings) and
    # the employer satisfaction figures
    "app/templates/employment/employers.html",
    "app/templates/employment/employer.html",
    "app/templates/employment/employer_form.html",
    "app/templates/employment/employer_record.html",
    "app/templates/employment/satisfaction.html",
    "app/employment/routes/employers.py",
    "app/employment/services/employers.py",
    # the administrator's minimum wages (the income figure's reference)
    "app/templates/reports/minimum_wages.html",
    "app/reports/forms.py",
    "app/reports/wages.py",
    # administration: user accounts, institutions and programmes (the two-factor rule), the
    # privacy notice, with their forms, flash messages and the services' errors
    "app/templates/admin/users.html",
    "app/templates/admin/user_form.html",
    "app/templates/admin/institutions.html",
    "app/templates/admin/institution.html",
    "app/templates/admin/institution_form.html",
    "app/templates/admin/programme_form.html",
    "app/templates/admin/privacy_notice.html",
    "app/admin/forms.py",
    "app/admin/routes.py",
    "app/admin/notice_routes.py",
    "app/alumni/institutions.py",
    "app/alumni/notices.py",
    "app/alumni/isced.py",
    "app/auth/sessions.py",
    # the events staff pages (the list, an event with its participants and attendance, the
    # event form) and the engagement rate page, with their messages and service errors
    "app/templates/engagement/events.html",
    "app/templates/engagement/event.html",
    "app/templates/engagement/event_form.html",
    "app/templates/engagement/rate.html",
    "app/engagement/forms.py",
    "app/engagement/registration.py",
    # the contributions staff pages (the list, a receipt, the form, totals and linkages, the
    # panel on a record's page) and the mailing pages (the list, the form, a mailing, the
    # messages held back), with their flash messages, the services' errors and code lists
    "app/templates/contributions/index.html",
    "app/templates/contributions/detail.html",
    "app/templates/contributions/form.html",
    "app/templates/contributions/totals.html",
    "app/templates/contributions/linkages.html",
    "app/templates/contributions/_panel.html",
    "app/templates/contributions/_year_filter.html",
    "app/contributions/forms.py",
    "app/contributions/routes.py",
    "app/contributions/services/rules.py",
    "app/contributions/services/figures.py",
    "app/templates/mailings/index.html",
    "app/templates/mailings/form.html",
    "app/templates/mailings/show.html",
    "app/templates/mailings/held.html",
    "app/mailings/forms.py",
    "app/mailings/routes.py",
    "app/mailings/services.py",
    "app/mailings/segments.py",
    "app/mailings/models.py",
    # the student exchange staff pages: the batches, a batch, the figures X1-X5 with their
    # records, the participants with the status moves and credit recognition, partner
    # institutions, agreements and their document, the credit rule, the exchange alumni; with
    # the forms, the routes' messages and the services' errors
    "app/templates/exchange/index.html",
    "app/templates/exchange/batch.html",
    "app/templates/exchange/form.html",
    "app/templates/exchange/figures.html",
    "app/templates/exchange/_subnav.html",
    "app/templates/exchange/_participation_table.html",
    "app/templates/exchange/participations.html",
    "app/templates/exchange/participation.html",
    "app/templates/exchange/partners.html",
    "app/templates/exchange/agreement_form.html",
    "app/templates/exchange/credit_rule.html",
    "app/templates/exchange/alumni.html",
    "app/exchange/forms.py",
    "app/exchange/figures.py",
    "app/exchange/routes/_common.py",
    "app/exchange/routes/batches.py",
    "app/exchange/routes/outcomes.py",
    "app/exchange/routes/participations.py",
    "app/exchange/routes/partners.py",
    "app/exchange/services/batches.py",
    "app/exchange/services/credits.py",
    "app/exchange/services/participations.py",
    "app/exchange/services/workflow.py",
    # the breach log: the list, a breach with its clocks, the forms, the landing page's
    # overdue clocks; each country's rule, law and authority
    "app/templates/breaches/index.html",
    "app/templates/breaches/detail.html",
    "app/templates/breaches/form.html",
    "app/templates/breaches/_dashboard.html",
    "app/breaches/forms.py",
    "app/breaches/routes.py",
    "app/breaches/services.py",
    "app/breaches/rules.py",
    "app/breaches/models.py",
    # the mentoring staff pages (the figures, mentors, students, a student with the suggested
    # mentors and how they are scored, the student form, a mentorship) and the mentoring panel
    # of a record, with the routes' messages and the services' errors
    "app/templates/mentoring/index.html",
    "app/templates/mentoring/mentors.html",
    "app/templates/mentoring/students.html",
    "app/templates/mentoring/student.html",
    "app/templates/mentoring/student_form.html",
    "app/templates/mentoring/mentorship.html",
    "app/templates/mentoring/_staff_panel.html",
    "app/mentoring/routes/office.py",
    # the office's queue of privacy requests (its routes, forms and services were covered for
    # the alumnus's pages already)
    "app/templates/privacy/queue.html",
    "app/privacy/models.py",
    # the audit log page, and the actions in words on it and in a record's "Recent changes"
    "app/templates/admin/audit.html",
    "app/admin/audit_log.py",
    "app/core/audit.py",
    # the curriculum feedback staff pages (the review list, an input with its steps, the review
    # meetings, a programme's chain, the employer follow-up, the forms) and the record's
    # feedback panel, with the routes' messages and the services' errors
    "app/templates/feedback/index.html",
    "app/templates/feedback/detail.html",
    "app/templates/feedback/meetings.html",
    "app/templates/feedback/programme.html",
    "app/templates/feedback/employer_follow_up.html",
    "app/templates/feedback/_staff_panel.html",
    "app/feedback/follow_up.py",
}
# Every accreditation framework's own words (its title, tables' titles, columns and notes, as
# app/reports/frameworks/extract.py gives them to pybabel): a new framework file is covered
# as soon as it is added.
COVERED |= {f"app/reports/frameworks/{p.name}"
            for p in (ROOT / "app" / "reports" / "frameworks").glob("*.toml")}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages in the code now, with where each is used."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([str(Path(sys.executable).with_name("pybabel")), "extract",
                    "-F", "babel.cfg", "-k", "lazy_gettext", "-k", "_l", "-k", "N_",
                    "-o", str(pot), "app"], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    with pot.open("rb") as f:
        return read_po(f)


def _catalogue(code: str):
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=code)


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)[sd]", text))


def _covered(message) -> bool:
    return any(path in COVERED for path, _line in message.locations)


def test_covered_files_exist(extracted):
    used = {path for m in extracted if m.id for path, _ in m.locations}
    assert used >= COVERED, sorted(COVERED - used)


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_covered_message_is_translated(extracted, code):
    catalogue = _catalogue(code)
    problems = []
    for message in extracted:
        if not message.id or not _covered(message):
            continue
        entry = catalogue.get(message.id, message.context)
        where = ", ".join(p for p, _ in message.locations)
        if entry is None:
            problems.append(f"missing: {message.id!r} ({where})")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            problems.append(f"untranslated: {message.id!r} ({where})")
            continue
        wanted = set().union(*map(_placeholders, ids))
        for text in strings:  # a plural form may say "one" in words instead of %(num)d
            if _placeholders(text) not in (wanted, wanted - {"num"}):
                problems.append(f"placeholders differ: {message.id!r} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalogue_matches_its_source(code):
    """messages.mo is committed: it must hold what compiling messages.po gives now (run
    `scripts/translations.sh compile` after editing a .po)."""
    fresh = io.BytesIO()
    write_mo(fresh, _catalogue(code))
    fresh.seek(0)
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        committed = read_mo(f)

    def entries(catalogue) -> dict:
        return {str(m.id): str(m.string) for m in catalogue if m.id}

    assert entries(committed) == entries(read_mo(fresh)), (
        "stale messages.mo: run scripts/translations.sh compile")
