"""The relay moves outbox messages into a real Redis; an rq worker handles them, once."""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.jobs.relay import relay_once
from coordination.jobs.runtime import worker_app
from coordination.models import OutboxMessage, ProcessedMessage, Referral
from coordination.services import admin
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family
from coordination.services.outbox import publish

from .test_checkpoint_job import worker_env  # noqa: F401  (fixture: worker environment over fresh_database)


@pytest.fixture
def relay_env(worker_env, monkeypatch):  # noqa: F811
    name = f"outbox-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    monkeypatch.setenv("OUTBOX_QUEUE", name)
    worker_app.cache_clear()
    return name


@dataclass
class World:
    council_id: uuid.UUID
    school_id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    child_id: uuid.UUID


def make_world(app_state) -> World:
    """A council, a school with one staff user (its mailbox) and a family."""
    unit = app_state.unit_of_work()
    system = Actor.system("test")
    council = admin.add_agency(unit, system, "Relay Test Hub", "council_early_help")
    school = admin.add_agency(unit, system, "Relay Test School", "school")
    user = admin.add_user(unit, system, "relay@example.org", "R", council.id, "practitioner", "a-long-test-password")
    admin.add_user(unit, system, "office@relay-school.example.org", "O", school.id, "practitioner",
                   "a-long-test-password")
    unit.commit()
    family = create_family(unit, actor_for_user(user), [NewPerson("child", "Jules", "Relaycase", dt.date(2016, 1, 1))],
                           confirm_new=True)
    unit.commit()
    unit.session.close()
    return World(council.id, school.id, user.id, family.id, family.people[0].id)


def refer(app_state, world: World, n: int = 1) -> list[uuid.UUID]:
    """`n` referrals to the school, each with its outbox message, committed in one unit of work."""
    unit = app_state.unit_of_work()
    ids = []
    for _ in range(n):
        now = unit.now()
        referral = Referral(family_id=world.family_id, child_id=world.child_id, pathway="early_help",
                            from_agency_id=world.council_id, to_agency_id=world.school_id,
                            referred_by_user_id=world.user_id, status="received", stage="received",
                            received_on=now.date(), received_at=now)
        unit.session.add(referral)
        unit.session.flush()
        ids.append(publish(unit, "referral.created", {"referral_id": str(referral.id)}).id)
    unit.commit()
    unit.session.close()
    return ids


def seed(app_state, *, referrals: int = 1) -> list[uuid.UUID]:
    return refer(app_state, make_world(app_state), referrals)


def counts(app_state, ids) -> tuple[int, int, int]:
    """(mail log lines, ProcessedMessage rows, undispatched messages) for these messages."""
    path = app_state.settings.mail_log
    lines = len(path.read_text().splitlines()) if path.exists() else 0
    session = app_state.sessions()
    try:
        processed = session.scalar(select(func.count()).select_from(ProcessedMessage)
                                   .where(ProcessedMessage.message_id.in_(ids)))
        waiting = session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.id.in_(ids), OutboxMessage.dispatched_at.is_(None)))
    finally:
        session.close()
    return lines, processed, waiting


def test_the_relay_enqueues_into_redis_and_a_worker_handles_each_message_once(relay_env, redis_url):
    app_state = state(worker_app())
    ids = seed(app_state, referrals=3)
    assert counts(app_state, ids) == (0, 0, 3)
    assert relay_once(app_state).dispatched == 3
    assert relay_once(app_state).dispatched == 0  # marked dispatched: never enqueued twice
    connection = Redis.from_url(redis_url)
    queue = Queue(relay_env, connection=connection)
    assert sorted(queue.job_ids) == sorted(str(i) for i in ids)  # job id = message id
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert counts(app_state, ids) == (3, 3, 0)
    lines = [json.loads(line) for line in app_state.settings.mail_log.read_text().splitlines()]
    assert {tuple(m["to"]) for m in lines} == {("office@relay-school.example.org",)}
    assert not any("Jules" in json.dumps(m) or "Relaycase" in json.dumps(m) for m in lines)


def test_a_message_enqueued_twice_is_handled_once(relay_env, redis_url):
    app_state = state(worker_app())
    [message_id] = seed(app_state)
    relay_once(app_state)
    connection = Redis.from_url(redis_url)
    queue = Queue(relay_env, connection=connection)
    # A relay that enqueued but crashed before marking the message dispatched enqueues it again.
    from coordination.jobs.handlers import handle

    queue.enqueue(handle, str(message_id))
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert counts(app_state, [message_id]) == (1, 1, 0)


def test_relays_on_two_hosts_never_claim_the_same_message(relay_env, redis_url, fresh_database):
    if fresh_database.name != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): there is no concurrent claim to test")
    app_state = state(worker_app())
    ids = seed(app_state, referrals=4)
    holder = app_state.sessions()
    try:
        held = holder.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids[:2]))
                              .with_for_update()).scalars().all()
        assert len(held) == 2
        assert relay_once(app_state).dispatched == 2  # the other host's claim is skipped, not waited for
    finally:
        holder.rollback()
        holder.close()
    assert relay_once(app_state).dispatched == 2
    assert counts(app_state, ids)[2] == 0
