"""Tracer survey campaigns: `surveys` (set-up and own questions), `audience` (who is invited),
`sending` (invitations and reminders by e-mail, a background job), `links` (the one-time answer
links), `counts` (the campaign page's figures and the engagement source) and `responses` (one
answer in full, all answers as CSV).

Callers import from here (`from app.employment import tracer`); queued jobs name
"app.employment.tracer:send_invitations_job", which this package re-exports."""

from app.employment.tracer.audience import (
    cohort_population,
    invitable,
    prepare_invitations,
)
from app.employment.tracer.counts import campaign_stats, engaged_answering, response_count
from app.employment.tracer.links import (
    check_answerable,
    find_invitation,
    open_invitations_for,
)
from app.employment.tracer.responses import (
    CHANNELS,
    competency_levels,
    core_answers,
    own_answers,
    responses_csv,
    shown_core_answers,
    shown_own_answers,
)
from app.employment.tracer.sending import (
    CHUNK,
    SURVEY_LINK_DAYS_AFTER_CLOSE,
    InvitationMail,
    deliver,
    is_sending_job,
    send_invitations_job,
    start_sending,
)
from app.employment.tracer.surveys import (
    QuestionData,
    SurveyData,
    SurveyWords,
    add_question,
    create_survey,
    surveys_for,
    update_survey_words,
    words_stamp,
)

__all__ = [
    "CHANNELS",
    "CHUNK",
    "SURVEY_LINK_DAYS_AFTER_CLOSE",
    "InvitationMail",
    "QuestionData",
    "SurveyData",
    "SurveyWords",
    "add_question",
    "campaign_stats",
    "check_answerable",
    "competency_levels",
    "core_answers",
    "cohort_population",
    "invitable",
    "create_survey",
    "deliver",
    "engaged_answering",
    "find_invitation",
    "is_sending_job",
    "open_invitations_for",
    "own_answers",
    "prepare_invitations",
    "response_count",
    "responses_csv",
    "send_invitations_job",
    "shown_core_answers",
    "update_survey_words",
    "words_stamp",
    "shown_own_answers",
    "start_sending",
    "surveys_for",
]
