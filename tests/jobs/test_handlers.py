"""Outbox handlers: a duplicate delivery changes nothing, consent is re-checked at send time, emails carry
no case content. (REDIS_URL is set to an unused address here, so nothing is handled inline: the tests call
`handle` the way an rq worker would.)"""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

import audit
from coordination.extensions import state
from coordination.jobs.handlers import handle
from coordination.models import ProcessedMessage, Referral
from coordination.services.notifications import reference
from coordination.services.outbox import publish
from coordination.services.sharing import consent

from ..conftest import actor_of, make_settings
from ..factories import AgencyFactory, UserFactory
from ..integration.consent_support import give, household, write


@pytest.fixture
def settings(database, tmp_path):
    return make_settings(database.url, tmp_path, redis_url="redis://127.0.0.1:9/0")


def mail_lines(app) -> list[dict]:
    path = state(app).settings.mail_log
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def make_referral(uow, family_id, child_id, to_agency, from_user, *, sections=(), pathway="early_help"):
    now = uow.now()
    referral = Referral(family_id=family_id, child_id=child_id, pathway=pathway, from_agency_id=from_user.agency_id,
                        to_agency_id=to_agency.id, referred_by_user_id=from_user.id, urgency="routine",
                        status="received", stage="received", received_on=now.date(), received_at=now,
                        sections_shared=list(sections))
    uow.session.add(referral)
    uow.session.flush()
    return referral


@pytest.fixture
def referred(uow, practitioner):
    """A family whose health section is shared, under consent, with a school that receives a referral."""
    home = household(uow, practitioner)
    write(uow, practitioner, home.id, ["health", "strengths"])
    school = AgencyFactory(name="Brookside Primary", type="school")
    UserFactory(agency=school, role="practitioner", email="senco@brookside.example.org")
    given = give(uow, practitioner, home.id, home.parent, sections=("health",), agencies=(school,))
    referral = make_referral(uow, home.id, home.little, school, practitioner, sections=("health", "strengths"))
    message = publish(uow, "referral.created", {"referral_id": str(referral.id)})
    uow.commit()
    return referral, message, given


def test_a_duplicate_delivery_sends_one_email_and_records_one_processed_message(app, uow, referred):
    referral, message, _ = referred
    assert handle(str(message.id), state(app)) == "done"
    assert handle(str(message.id), state(app)) == "duplicate"
    assert len(mail_lines(app)) == 1
    assert uow.session.scalar(select(func.count()).select_from(ProcessedMessage)
                              .where(ProcessedMessage.message_id == message.id)) == 1


def test_the_referral_email_names_only_consented_sections_and_no_case_content_when_consent_holds(
        app, uow, referred):
    referral, message, _ = referred
    handle(str(message.id), state(app))
    [email] = mail_lines(app)
    assert email["to"] == ["senco@brookside.example.org"]
    assert email["subject"] == f"New referral {reference(referral.id)}"
    assert "shared with your team: health." in email["body"]
    assert "strengths" not in email["body"]
    for content in ("Larkspur", "Pip", "Text of health"):
        assert content not in json.dumps(email)
    uow.seal_audit()  # with Redis the relay chains what jobs wrote (PostgreSQL); do it here
    event = uow.session.execute(select(audit.AuditEvent).where(audit.AuditEvent.action == "notify")).scalar_one()
    assert event.sections == ["health"] and event.details["withheld"] == ["strengths"]
    assert event.authority["recipient_agency_id"] == str(referral.to_agency_id)


def test_the_referral_email_says_only_that_a_referral_exists_when_consent_was_withdrawn_after_publishing(
        app, uow, practitioner, referred):
    referral, message, given = referred
    consent.withdraw_consent(uow, actor_of(practitioner), given.id, "Family changed their mind")
    uow.commit()
    handle(str(message.id), state(app))
    [email] = mail_lines(app)
    assert "No assessment sections are shared" in email["body"]
    assert "health" not in email["body"]
    uow.seal_audit()  # with Redis the relay chains what jobs wrote (PostgreSQL); do it here
    event = uow.session.execute(select(audit.AuditEvent).where(audit.AuditEvent.action == "notify")).scalar_one()
    assert event.sections == [] and event.details["withheld"] == ["health", "strengths"]
    assert event.authority is None


def test_the_referrer_is_emailed_when_the_referral_is_decided(app, uow, practitioner, referred):
    referral, _, _ = referred
    referral.decision, referral.decided_at = "accept", uow.now()
    message = publish(uow, "referral.decided", {"referral_id": str(referral.id)})
    uow.commit()
    assert handle(str(message.id), state(app)) == "done"
    [email] = mail_lines(app)
    assert email["to"] == [practitioner.email]
    assert email["subject"] == f"Referral {reference(referral.id)}: decision accept"


def test_a_message_not_yet_due_is_left_for_later(app, uow, referred):
    referral, _, _ = referred
    later = publish(uow, "referral.decided", {"referral_id": str(referral.id)},
                    available_at=uow.now() + dt.timedelta(hours=1))
    uow.commit()
    assert handle(str(later.id), state(app)) == "not due"
    assert mail_lines(app) == []


def test_a_failing_send_rolls_back_so_the_message_is_retried(app, uow, referred, monkeypatch):
    _, message, _ = referred

    def broken(self, email):
        raise OSError("mail server down")

    monkeypatch.setattr("coordination.services.mail.LogSender.send", broken)
    with pytest.raises(OSError):
        handle(str(message.id), state(app))
    assert uow.session.scalar(select(func.count()).select_from(ProcessedMessage)) == 0
    monkeypatch.undo()
    assert handle(str(message.id), state(app)) == "done"
    assert len(mail_lines(app)) == 1

