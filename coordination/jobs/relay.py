"""The outbox relay: moves undispatched outbox messages into rq (or, without Redis, handles them here).

Decisions:
- One batch is one transaction: claim up to `batch` messages that are due (available_at <= now), oldest
  first; on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so relays on several hosts never claim the same
  message; SQLite has no row locks, but BEGIN IMMEDIATE serialises writers, which is enough there.
- The batch is enqueued in one Redis pipeline (job id = message id, function `handlers.handle`), and only
  after Redis accepted it are the messages marked dispatched, in the same transaction as the claim. If
  Redis is down the claim rolls back (nothing is lost) and a second short transaction records `attempts`
  and `last_error` (the exception type only: no content), so the web keeps working and the work waits.
- If the commit fails after Redis accepted the jobs, the next run enqueues them again under the same job
  id; handlers are idempotent (ProcessedMessage), so a duplicate delivery changes nothing.
- Without REDIS_URL (the embedded default) `relay_once` handles due messages directly: messages whose
  inline handling failed after commit are retried by `flask jobs relay --once`.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redis import Redis
from rq import Queue

from coordination.repositories import outbox

from .handlers import handle
from .queue import queue_for

if TYPE_CHECKING:
    from coordination.extensions import AppState

log = logging.getLogger("coordination.jobs")


@dataclass(frozen=True)
class RelayResult:
    dispatched: int = 0
    failed: int = 0
    handled: int = 0  # handled in-process (no Redis)


def _record_failure(app_state: AppState, ids: list[uuid.UUID], error: str) -> None:
    session = app_state.sessions()
    try:
        outbox.record_failure(session, ids, error)
        session.commit()
    finally:
        session.close()


def relay_once(app_state: AppState, batch: int = 500, *, connection: Redis | None = None,
               queue: Queue | None = None) -> RelayResult:
    """Move one batch of due messages along; returns what happened."""
    if not app_state.settings.redis_url and queue is None:
        return _handle_directly(app_state, batch)
    now = dt.datetime.now(dt.UTC)
    session = app_state.sessions()
    try:
        messages = outbox.claim_due(session, now, batch)
        if not messages:
            session.rollback()
            return RelayResult()
        ids = [m.id for m in messages]
        try:
            target = queue or queue_for(app_state.settings, connection)
            with target.connection.pipeline() as pipe:
                target.enqueue_many([Queue.prepare_data(handle, args=(str(i),), job_id=str(i)) for i in ids],
                                    pipeline=pipe)
                pipe.execute()
        except Exception as exc:  # noqa: BLE001 - Redis unreachable: the messages wait in the outbox
            session.rollback()
            log.warning("outbox relay: enqueue failed for %d message(s) (%s)", len(ids), type(exc).__name__)
            _record_failure(app_state, ids, type(exc).__name__)
            return RelayResult(failed=len(ids))
        outbox.mark_dispatched(session, ids, now)
        session.commit()
        return RelayResult(dispatched=len(ids))
    finally:
        session.close()


def _handle_directly(app_state: AppState, batch: int) -> RelayResult:
    now = dt.datetime.now(dt.UTC)
    session = app_state.sessions()
    try:
        ids = [m.id for m in outbox.claim_due(session, now, batch)]
        session.rollback()
    finally:
        session.close()
    handled = failed = 0
    for message_id in ids:
        try:
            handle(str(message_id), app_state)
            handled += 1
        except Exception as exc:  # noqa: BLE001 - recorded, retried on the next run
            log.warning("outbox relay: handler failed for message %s (%s)", message_id, type(exc).__name__)
            _record_failure(app_state, [message_id], type(exc).__name__)
            failed += 1
    return RelayResult(handled=handled, failed=failed)


def run(app_state: AppState, *, once: bool = False, interval: float = 2.0, batch: int = 500) -> RelayResult:
    """The relay loop (`flask jobs relay`): drain what is due, then poll every `interval` seconds."""
    while True:
        result = relay_once(app_state, batch)
        if once:
            return result
        if result.dispatched < batch and result.handled < batch:
            time.sleep(interval)
