"""The mail campaign through RQ on a real Redis (the shared `redis_queue` fixture: skipped
without TEST_REDIS_URL, unless ALUMNET_REQUIRE_SERVICES=1)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.jobs import Job, job_state
from app.employment import tracer
from app.employment.models import SurveyInvitation
from tests.employment.conftest import good_answers, link_in


def test_campaign_sent_by_an_rq_worker(db, world, campaign, smtp_server, redis_queue, client):
    from rq import SimpleWorker

    # The worker ends its session when the job is done: keep plain values, not records.
    email, survey_id = world.second_alumnus.email, campaign.survey.id
    field = campaign.survey.questions[0].field_name
    job = tracer.start_sending(campaign.survey, mode="invite", actor=world.users["officer"])
    db.session.commit()
    job_id = job.id
    assert redis_queue.count == 1  # dispatched to Redis, not to the in-process thread
    assert db.session.get(Job, job_id).status == "queued"
    assert smtp_server.messages == []

    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    job = db.session.get(Job, job_id)
    state = job_state(job)
    assert state["status"] == "done", job.error
    assert state["percent"] == 100 and state["done"] == state["total"] == 7
    assert job.result["sent"] == 6 and job.result["undeliverable"] == 1
    assert len(smtp_server.messages) == 6
    assert db.session.scalar(select(func.count(SurveyInvitation.id)).where(
        SurveyInvitation.sent_at.is_not(None))) == 6

    path = link_in(smtp_server, smtp_server.to(email)[0])
    assert client.post(path, data=good_answers(**{field: "no"})).status_code == 200
    survey = db.session.get(type(campaign.survey), survey_id)
    assert tracer.campaign_stats(survey)["total"]["responded"] == 1
