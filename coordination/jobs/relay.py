"""The outbox relay: moves undispatched outbox messages into rq (or, without Redis, handles them here), and
re-sends what Redis was given but nobody handled.

Decisions:
- One batch is one transaction: claim up to `batch` messages that are due (available_at <= now), oldest
  first; on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so relays on several hosts never claim the same
  message; SQLite has no row locks, but BEGIN IMMEDIATE serialises writers, which is enough there.
- The batch is enqueued in one Redis pipeline (job id = message id, function `handlers.handle`, rq's time
  limit OUTBOX_JOB_TIMEOUT), and only after Redis accepted it are the messages marked dispatched, in the same
  transaction as the claim. If Redis is down the claim rolls back (nothing is lost) and a second short
  transaction records `attempts` and `last_error` (the exception type only: no content), so the web keeps
  working and the work waits.
- If the commit fails after Redis accepted the jobs, the next run enqueues them again under the same job
  id; handlers are idempotent (ProcessedMessage), so a duplicate delivery changes nothing.
- Being accepted by Redis is not being handled: Redis without persistence loses its queue when it restarts,
  and a worker can die mid-job. Each run first looks at messages dispatched more than OUTBOX_LEASE_SECONDS
  ago with no ProcessedMessage row, asks Redis for their jobs' status (one round trip) and renews, requeues
  or backs off each (coordination.domain.outbox has the rule); a message that failed MAX_FAILURES times is
  parked (`flask jobs stuck`). If Redis cannot be asked, nothing is changed and the next run asks again.
- Each run also seals the audit events PostgreSQL writers left pending (`seal_audit_events`).
- Without REDIS_URL (the embedded default) `relay_once` handles due messages directly: messages whose
  inline handling failed after commit are retried by `flask jobs relay --once`, with the same back-off.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from redis import Redis
from rq import Queue
from rq.job import Job

from coordination.domain.outbox import verdict
from coordination.services import audit_trail, outbox

from .handlers import handle
from .queue import queue_for
from .runner import record_handler_failure, run_job

if TYPE_CHECKING:
    from coordination.extensions import AppState

log = logging.getLogger("coordination.jobs")

@dataclass(frozen=True)
class RelayResult:
    dispatched: int = 0
    failed: int = 0
    handled: int = 0  # handled in-process (no Redis)
    requeued: int = 0  # leases run out: lost from Redis, or failed and backed off
    parked: int = 0  # failed too often: left for an operator
    sealed: int = 0  # audit events chained (PostgreSQL; see audit.chain.seal)


def relay_once(app_state: AppState, batch: int = 500, *, connection: Redis | None = None,
               queue: Queue | None = None) -> RelayResult:
    """Move one batch of due messages along; returns what happened."""
    if not app_state.settings.redis_url and queue is None:
        return _handle_directly(app_state, batch)
    target = queue or queue_for(app_state.settings, connection)
    requeued, parked = _recover_leases(app_state, target, batch)
    unit = app_state.unit_of_work()
    try:
        ids = outbox.claim_due(unit, batch)
        if not ids:
            unit.rollback()
            return RelayResult(requeued=requeued, parked=parked)
        try:
            timeout = app_state.settings.outbox_job_timeout
            with target.connection.pipeline() as pipe:
                target.enqueue_many([Queue.prepare_data(handle, args=(str(i),), job_id=str(i), timeout=timeout)
                                     for i in ids], pipeline=pipe)
                pipe.execute()
        except Exception as exc:  # noqa: BLE001 - Redis unreachable: the messages wait in the outbox
            unit.rollback()
            log.warning("outbox relay: enqueue failed for %d message(s) (%s)", len(ids), type(exc).__name__)
            error = type(exc).__name__
            run_job(None, lambda unit: outbox.record_enqueue_failure(unit, ids, error), app_state)
            return RelayResult(failed=len(ids), requeued=requeued, parked=parked)
        outbox.mark_dispatched(unit, ids)
        unit.commit()
        return RelayResult(dispatched=len(ids), requeued=requeued, parked=parked)
    finally:
        unit.session.close()


def _recover_leases(app_state: AppState, target: Queue, batch: int) -> tuple[int, int]:
    """Settle the messages whose lease ran out; (requeued, parked)."""
    settings = app_state.settings
    unit = app_state.unit_of_work()
    try:
        leases = outbox.leases_run_out(unit, settings.outbox_lease_seconds, batch)
        if not leases:
            unit.rollback()
            return 0, 0
        try:
            jobs = Job.fetch_many([str(lease.message_id) for lease in leases], connection=target.connection)
            statuses = [_status(job) for job in jobs]
        except Exception as exc:  # noqa: BLE001 - Redis unreachable: ask again on the next run
            unit.rollback()
            log.warning("outbox relay: could not ask Redis about %d lease(s) (%s)", len(leases), type(exc).__name__)
            return 0, 0
        now = dt.datetime.now(dt.UTC)
        verdicts = {lease.message_id: verdict(status, started, now, settings.outbox_job_timeout,
                                                 grace=settings.outbox_lease_seconds)
                    for lease, (status, started) in zip(leases, statuses, strict=True)}
        settled = outbox.settle(unit, verdicts)
        unit.commit()
    finally:
        unit.session.close()
    if settled.requeued or settled.failed:
        log.warning("outbox relay: %d lease(s) ran out: %d requeued (lost from Redis), %d failed, %d parked",
                    len(leases), settled.requeued, settled.failed, settled.parked)
    return settled.requeued + settled.failed - settled.parked, settled.parked


def _status(job: Job | None) -> tuple[str | None, dt.datetime | None]:
    if job is None:
        return None, None
    status = job.get_status(refresh=False)
    return (status.value if status is not None else None), job.started_at


def _handle_directly(app_state: AppState, batch: int) -> RelayResult:
    unit = app_state.unit_of_work()
    try:
        ids = outbox.claim_due(unit, batch)
        unit.rollback()
    finally:
        unit.session.close()
    handled = failed = parked = 0
    for message_id in ids:
        try:
            handle(str(message_id), app_state)
            handled += 1
        except Exception as exc:  # noqa: BLE001 - recorded, retried on a later run after its back-off
            log.warning("outbox relay: handler failed for message %s (%s)", message_id, type(exc).__name__)
            parked += record_handler_failure(app_state, message_id, type(exc).__name__)
            failed += 1
    return RelayResult(handled=handled, failed=failed, parked=parked)


def run(app_state: AppState, *, once: bool = False, interval: float = 2.0, batch: int = 500) -> RelayResult:
    """The relay loop (`flask jobs relay`): drain what is due, then poll every `interval` seconds."""
    while True:
        result = relay_once(app_state, batch)
        sealed = seal_audit_events(app_state)
        if sealed:
            result = replace(result, sealed=sealed)
        if once:
            return result
        if result.dispatched < batch and result.handled < batch:
            time.sleep(interval)


def seal_audit_events(app_state: AppState) -> int:
    """Chain the audit events committed since the last run (PostgreSQL writers leave them pending). The relay
    runs this every `interval` seconds, which bounds how long an event waits outside the chain; any number of
    relays may run it, as sealers queue on the chain's head."""
    if not app_state.defer_audit:
        return 0
    unit = app_state.unit_of_work()
    try:
        return audit_trail.seal(unit)
    finally:
        unit.session.close()
