"""The outbox: publish a domain event in the caller's transaction (it is committed with the change, or not at
all); the relay (jobs/relay.py) moves it to rq, or, without Redis, the unit of work's dispatcher handles it
right after the commit (db.UnitOfWork.published)."""
from __future__ import annotations

import datetime as dt

from coordination.db import UnitOfWork
from coordination.models import OutboxMessage
from coordination.repositories import outbox as repo


def publish(uow: UnitOfWork, topic: str, payload: dict, *, dedupe_key: str | None = None,
            available_at: dt.datetime | None = None) -> OutboxMessage:
    """Add an outbox message (payload: ids only, never case content) to the unit of work's transaction."""
    message = repo.add(uow.session, OutboxMessage(topic=topic, payload=dict(payload), dedupe_key=dedupe_key,
                                                  available_at=available_at or uow.now(), attempts=0))
    uow.published(message.id)
    return message
