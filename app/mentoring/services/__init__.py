"""Mentoring services: mentor profiles and students, proposals and the state machine, sessions,
outcomes, and the programme figures. Matching (suggested mentors) is `app.mentoring.matching`."""

from app.mentoring.services.figures import (
    MENTORED_STATES,
    ProgrammeFigures,
    engaged_mentors,
    mentoring_activity,
    mentorships_of_mentor,
    own_mentorship,
    programme_figures,
)
from app.mentoring.services.outcomes import (
    OUTCOME_LINK_DAYS,
    issue_student_outcome_link,
    mentorship_for_outcome_token,
    notify_mentor_of_proposal,
    record_mentor_outcome,
    record_student_outcome,
    record_student_outcome_by_link,
    request_student_outcome,
)
from app.mentoring.services.profiles import (
    MAX_CAPACITY,
    MentorProfileData,
    StudentData,
    create_student,
    mentor_profile_for,
    save_mentor_profile,
    update_student,
)
from app.mentoring.services.workflow import (
    CLOSED_STATES,
    MENTOR,
    OFFICER,
    TRANSITIONS,
    SessionData,
    allowed_next,
    change_status,
    is_mentor_of,
    log_session,
    open_mentorship_of,
    propose_mentorship,
)

__all__ = [
    "CLOSED_STATES", "MAX_CAPACITY", "MENTOR", "MENTORED_STATES", "OFFICER", "OUTCOME_LINK_DAYS",
    "TRANSITIONS", "MentorProfileData", "ProgrammeFigures", "SessionData", "StudentData",
    "allowed_next", "change_status", "create_student", "engaged_mentors", "mentoring_activity",
    "is_mentor_of", "issue_student_outcome_link", "log_session", "mentor_profile_for",
    "mentorship_for_outcome_token", "mentorships_of_mentor", "notify_mentor_of_proposal",
    "open_mentorship_of", "own_mentorship", "programme_figures", "propose_mentorship",
    "record_mentor_outcome", "record_student_outcome", "record_student_outcome_by_link",
    "save_mentor_profile", "request_student_outcome", "update_student",
]
