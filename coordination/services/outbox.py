"""The outbox: publish a domain event in the caller's transaction (it is committed with the change, or not at
all); the relay (jobs/relay.py) moves it to rq, or, without Redis, the unit of work's dispatcher handles it
right after the commit (db.UnitOfWork.published).

The relay's side of the table is here too, so the relay itself holds no SQL: claiming due messages, marking
them dispatched, recording a failed hand-over or a failed handling (with the back-off of
coordination.domain.outbox), finding leases that ran out and settling each by its verdict, and the operator's
view of parked messages. Errors recorded are exception types or verdict names, never content.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.outbox import Verdict, parked, retry_delay
from coordination.models import OutboxMessage
from coordination.repositories import outbox as repo

HANDLER = "notifications"  # the one handler of outbox messages (services.notifications.process)


def publish(uow: UnitOfWork, topic: str, payload: dict, *, dedupe_key: str | None = None,
            available_at: dt.datetime | None = None) -> OutboxMessage:
    """Add an outbox message (payload: ids only, never case content) to the unit of work's transaction."""
    message = repo.add(uow.session, OutboxMessage(topic=topic, payload=dict(payload), dedupe_key=dedupe_key,
                                                  available_at=available_at or uow.now(), attempts=0))
    uow.published(message.id)
    return message


# ---- the relay's side ----------------------------------------------------------------------------

def claim_due(uow: UnitOfWork, batch: int) -> list[uuid.UUID]:
    """Lock up to `batch` due, undispatched messages for this transaction; their ids, oldest first."""
    return [m.id for m in repo.claim_due(uow.session, uow.now(), batch)]


def mark_dispatched(uow: UnitOfWork, ids: list[uuid.UUID]) -> None:
    repo.mark_dispatched(uow.session, ids, uow.now())


def record_enqueue_failure(uow: UnitOfWork, ids: list[uuid.UUID], error: str) -> None:
    """Redis did not take these messages: one more attempt each (not a failure of the messages)."""
    repo.record_failure(uow.session, ids, error)


def record_handler_failure(uow: UnitOfWork, message_id: uuid.UUID, error: str) -> bool:
    """The message's handling failed: count it, back it off; True when it is now parked."""
    message = repo.get(uow.session, message_id)
    if message is None:
        return False
    _fail(uow, message, error)
    return parked(message.failures)


def _fail(uow: UnitOfWork, message: OutboxMessage, error: str) -> None:
    message.failures = (message.failures or 0) + 1
    message.dispatched_at = None
    message.available_at = uow.now() + dt.timedelta(seconds=retry_delay(message.failures))
    message.last_error = error[:200]


@dataclass(frozen=True)
class Lease:
    message_id: uuid.UUID
    dispatched_at: dt.datetime


def leases_run_out(uow: UnitOfWork, lease_seconds: int, batch: int) -> list[Lease]:
    """Messages dispatched over `lease_seconds` ago and still not handled, locked for this transaction."""
    before = uow.now() - dt.timedelta(seconds=lease_seconds)
    return [Lease(m.id, m.dispatched_at) for m in repo.unhandled_since(uow.session, before, HANDLER, batch)
            if m.dispatched_at is not None]


@dataclass
class Settled:
    renewed: int = 0
    requeued: int = 0
    failed: int = 0
    parked: int = 0


def settle(uow: UnitOfWork, verdicts: dict[uuid.UUID, Verdict]) -> Settled:
    """Act on each run-out lease's verdict: renew it, requeue it now, or count a failure and back off."""
    settled = Settled()
    for message_id, verdict in verdicts.items():
        message = repo.get(uow.session, message_id)
        if message is None:
            continue
        if verdict is Verdict.RENEW:
            message.dispatched_at = uow.now()
            settled.renewed += 1
        elif verdict is Verdict.REQUEUE:
            message.dispatched_at, message.available_at, message.last_error = None, uow.now(), "lost from the queue"
            settled.requeued += 1
        else:
            _fail(uow, message, "handling did not finish")
            settled.failed += 1
            settled.parked += parked(message.failures)
    return settled


@dataclass(frozen=True)
class Parked:
    message_id: uuid.UUID
    topic: str
    created_at: dt.datetime
    failures: int
    last_error: str | None


def parked_messages(uow: UnitOfWork) -> list[Parked]:
    """What an operator must look at: messages that failed too often to be tried again on their own."""
    return [Parked(m.id, m.topic, m.created_at, m.failures, m.last_error) for m in repo.parked(uow.session)]


def retry(uow: UnitOfWork, actor: Actor, message_id: uuid.UUID) -> bool:
    """An operator's retry of a parked message: its failures forgotten, due now, audited. False: no such parked
    message."""
    message = repo.get(uow.session, message_id)
    if message is None or not parked(message.failures):
        return False
    uow.audit(actor, "retry", "outbox_message", message.id, topic=message.topic, failures=message.failures)
    message.failures, message.dispatched_at, message.available_at = 0, None, uow.now()
    return True
