"""Outbox messages and their handling records: what the publisher, the handlers and the relay ask of them.

The relay's claim is one statement: due messages (available_at <= now, not yet dispatched), oldest first,
locked with SKIP LOCKED on PostgreSQL so relays on several hosts never claim the same message
(repositories.dialect.skip_locked).
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coordination.domain.outbox import MAX_FAILURES
from coordination.models import OutboxMessage, ProcessedMessage

from . import dialect


def add(session: Session, message: OutboxMessage) -> OutboxMessage:
    session.add(message)
    session.flush()
    return message


def get(session: Session, message_id: uuid.UUID) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)


def dedupe_key_taken(session: Session, dedupe_key: str) -> bool:
    return session.execute(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)).first() is not None


def claim_for_handler(session: Session, message_id: uuid.UUID, handler: str) -> bool:
    """Record (in a savepoint) that `handler` handles the message; False when it already has: a second delivery,
    or a concurrent one whose row won the primary key."""
    if session.get(ProcessedMessage, (message_id, handler)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(ProcessedMessage(message_id=message_id, handler=handler))
    except IntegrityError:
        return False
    return True


def claim_due(session: Session, now: dt.datetime, batch: int) -> list[OutboxMessage]:
    """Up to `batch` undispatched messages due by `now`, oldest first, locked for this transaction (parked
    messages, those that failed MAX_FAILURES times, wait for an operator)."""
    query = (select(OutboxMessage)
             .where(OutboxMessage.dispatched_at.is_(None), OutboxMessage.available_at <= now,
                    OutboxMessage.failures < MAX_FAILURES)
             .order_by(OutboxMessage.available_at, OutboxMessage.id).limit(batch))
    return list(session.execute(dialect.skip_locked(session, query)).scalars())


def mark_dispatched(session: Session, ids: list[uuid.UUID], now: dt.datetime) -> None:
    session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(dispatched_at=now))


def record_failure(session: Session, ids: list[uuid.UUID], error: str) -> None:
    """One more attempt, and the error (an exception type: never content), on each of these messages."""
    session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                    .values(attempts=OutboxMessage.attempts + 1, last_error=error[:200]))


def unhandled_since(session: Session, dispatched_before: dt.datetime, handler: str, batch: int) -> list[OutboxMessage]:
    """Up to `batch` messages dispatched before `dispatched_before` that `handler` has not handled (no
    ProcessedMessage row), oldest dispatch first, locked for this transaction: the leases that ran out."""
    handled = exists().where(ProcessedMessage.message_id == OutboxMessage.id, ProcessedMessage.handler == handler)
    query = (select(OutboxMessage)
             .where(OutboxMessage.dispatched_at.is_not(None), OutboxMessage.dispatched_at < dispatched_before,
                    ~handled)
             .order_by(OutboxMessage.dispatched_at, OutboxMessage.id).limit(batch))
    return list(session.execute(dialect.skip_locked(session, query)).scalars())


def parked(session: Session) -> list[OutboxMessage]:
    """Messages left for an operator after MAX_FAILURES failures, oldest first."""
    return list(session.execute(select(OutboxMessage).where(OutboxMessage.failures >= MAX_FAILURES)
                                .order_by(OutboxMessage.created_at, OutboxMessage.id)).scalars())
