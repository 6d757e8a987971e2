"""The outbox is written in the same transaction as the change; without Redis (the `app` fixture's
settings have no REDIS_URL) its messages are handled inline, right after commit, exactly once."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.jobs.relay import relay_once
from coordination.models import Agency, OutboxMessage, ProcessedMessage
from coordination.services import admin
from coordination.services.outbox import publish

from ..factories import AgencyFactory, UserFactory
from ..integration.consent_support import household
from .test_handlers import make_referral


def _count(uow, model, *where) -> int:
    return uow.session.scalar(select(func.count()).select_from(model).where(*where))


def _mail(app) -> list[dict]:
    path = state(app).settings.mail_log
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_rolled_back_change_leaves_no_outbox_message(uow):
    agency = admin.add_agency(uow, Actor.system("test"), "Rolled Back Team", "school")
    publish(uow, "noop", {"agency_id": str(agency.id)})
    uow.rollback()
    assert _count(uow, Agency, Agency.name == "Rolled Back Team") == 0
    assert _count(uow, OutboxMessage) == 0


def test_a_committed_change_and_its_message_are_committed_together(uow):
    agency = admin.add_agency(uow, Actor.system("test"), "Committed Team", "school")
    message = publish(uow, "noop", {"agency_id": str(agency.id)})
    uow.commit()
    assert _count(uow, Agency, Agency.name == "Committed Team") == 1
    assert uow.session.get(OutboxMessage, message.id).topic == "noop"


def test_inline_mode_handles_a_message_after_commit_exactly_once_when_redis_is_not_configured(app, uow, practitioner):
    home = household(uow, practitioner)
    school = AgencyFactory(name="Inline Primary", type="school")
    UserFactory(agency=school, role="practitioner", email="office@inline.example.org")
    referral = make_referral(uow, home.id, home.little, school, practitioner)
    message = publish(uow, "referral.created", {"referral_id": str(referral.id)})
    uow.session.flush()
    assert _mail(app) == []  # nothing is sent before the commit
    uow.commit()
    assert [m["to"] for m in _mail(app)] == [["office@inline.example.org"]]
    assert _count(uow, ProcessedMessage, ProcessedMessage.message_id == message.id) == 1
    uow.session.expire_all()
    assert uow.session.get(OutboxMessage, message.id).dispatched_at is not None
    # `flask jobs relay --once` without Redis finds nothing left to do, and a later commit sends nothing again.
    assert relay_once(state(app)).handled == 0
    uow.commit()
    assert len(_mail(app)) == 1


def test_inline_mode_handles_nothing_when_the_change_rolls_back(app, uow, practitioner):
    home = household(uow, practitioner)
    school = AgencyFactory(name="Rollback Primary", type="school")
    UserFactory(agency=school, role="practitioner", email="office@rollback.example.org")
    uow.commit()
    referral = make_referral(uow, home.id, home.little, school, practitioner)
    publish(uow, "referral.created", {"referral_id": str(referral.id)})
    uow.session.flush()
    uow.rollback()
    uow.commit()
    assert _mail(app) == []


def test_a_message_whose_inline_handler_failed_is_handled_by_relay_once_without_redis(
        app, uow, practitioner, monkeypatch):
    home = household(uow, practitioner)
    school = AgencyFactory(name="Retry Primary", type="school")
    UserFactory(agency=school, role="practitioner", email="office@retry.example.org")
    referral = make_referral(uow, home.id, home.little, school, practitioner)
    message = publish(uow, "referral.created", {"referral_id": str(referral.id)})

    def broken(self, email):
        raise OSError("mail server down")

    monkeypatch.setattr("coordination.services.mail.LogSender.send", broken)
    uow.commit()  # the change is committed even though the handler failed
    assert _mail(app) == []
    monkeypatch.undo()
    result = relay_once(state(app))
    assert (result.handled, result.failed) == (1, 0)
    assert len(_mail(app)) == 1
    assert _count(uow, ProcessedMessage, ProcessedMessage.message_id == message.id) == 1
