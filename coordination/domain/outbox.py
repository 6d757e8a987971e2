"""What the relay does with a message handed to Redis that has not been handled by the end of its lease (pure).

A message is dispatched when Redis accepts its job; it is handled when its handler's ProcessedMessage row is
committed. Between the two, Redis may lose the job (a restart without persistence), the worker may die
mid-job, or the handler may fail. After LEASE seconds without a ProcessedMessage row the relay asks Redis
what became of the job (`rq`'s status, by job id = message id) and decides:

- still waiting its turn (queued, deferred, scheduled) or running within its time limit: RENEW the lease;
- gone from Redis, or finished without handling it (a message not yet due when it ran): REQUEUE now,
  not counted against the message (nothing about it failed);
- failed, stopped or cancelled, or "started" for longer than rq's time limit plus one more lease (its worker
  died: rq kills a live job at its time limit, and the lease covers clocks that differ between hosts): a
  FAILURE: requeue, at once the first time (most failures are passing), then after a back-off that doubles
  each time, 30 s, 60 s, … at most an hour; after MAX_FAILURES the message is parked for an operator
  (`flask jobs stuck`, `flask jobs retry`), so one poison message cannot load the workers forever.

Handlers are idempotent (ProcessedMessage), so a re-sent job that had in fact run changes nothing.
"""
from __future__ import annotations

import datetime as dt
from enum import Enum

MAX_FAILURES = 8
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600

WAITING = frozenset({"queued", "deferred", "scheduled"})
FAILED = frozenset({"failed", "stopped", "canceled"})


class Verdict(Enum):
    RENEW = "renew"
    REQUEUE = "requeue"
    FAILURE = "failure"


def verdict(status: str | None, started_at: dt.datetime | None, now: dt.datetime, job_timeout: int,
            grace: int) -> Verdict:
    """What to do with an unhandled message whose lease ran out, from its job's status in Redis (None: no job)."""
    if status in WAITING:
        return Verdict.RENEW
    if status == "started":
        if started_at is not None and (now - started_at).total_seconds() <= job_timeout + grace:
            return Verdict.RENEW
        return Verdict.FAILURE  # running longer than rq lets a live job run: its worker is gone
    if status in FAILED:
        return Verdict.FAILURE
    return Verdict.REQUEUE  # None (lost with Redis's data) or finished without handling it


def retry_delay(failures: int) -> int:
    """Seconds before a message is tried again after its `failures`-th failure: 0, 0, 30, 60, … 3600."""
    if failures <= 1:
        return 0
    return min(FIRST_RETRY_SECONDS * 2 ** (failures - 2), MAX_RETRY_SECONDS)


def parked(failures: int) -> bool:
    """A message that has failed this often is left for an operator."""
    return failures >= MAX_FAILURES
