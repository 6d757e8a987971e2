"""The fault test: referrals are made while Redis is killed (SIGKILL, no persistence) and started again empty,
and while the worker is killed mid-job; every referral's notification is handled exactly once.

Real parts: PostgreSQL, the test's own redis-server on its own port, an rq worker process as `make worker` runs
it (AnnouncingWorker, forking a work horse per job). The relay runs here, one `relay_once` at a time, as
`flask jobs relay` would. Prints the counts (run with -s to see them).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from coordination.extensions import state
from coordination.jobs.relay import relay_once
from coordination.jobs.runtime import worker_app
from coordination.models import OutboxMessage, ProcessedMessage
from coordination.services.notifications import reference
from coordination.services.outbox import HANDLER

from .test_redis_restart import own_redis, restart_env  # noqa: F401  (fixtures: own redis-server, worker env)
from .test_relay import make_world, refer

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS, JOB_TIMEOUT = 2, 3


class WorkerProcess:
    def __init__(self, url: str, log: Path):
        self.url, self.log = url, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        out = self.log.open("a")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "rq"), "worker", "-w", "coordination.instances.AnnouncingWorker",
             "--url", self.url, os.environ["OUTBOX_QUEUE"]], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        """SIGKILL the worker and its work horse (a host lost: nothing gets to clean up)."""
        assert self.process is not None
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        for pid in [int(p) for p in children.split()] + [self.process.pid]:
            os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def signal(self, sig: int) -> None:
        assert self.process is not None
        os.kill(self.process.pid, sig)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


def _referral_of(app_state, message_ids) -> dict[uuid.UUID, str]:
    session = app_state.sessions()
    try:
        rows = session.execute(select(OutboxMessage.id, OutboxMessage.payload)
                               .where(OutboxMessage.id.in_(message_ids))).all()
    finally:
        session.close()
    return {row.id: row.payload["referral_id"] for row in rows}


def _processed(app_state, message_ids) -> int:
    session = app_state.sessions()
    try:
        return session.scalar(select(func.count()).select_from(ProcessedMessage)
                              .where(ProcessedMessage.message_id.in_(message_ids))) or 0
    finally:
        session.close()


def _mails_per_referral(app_state, referral_ids) -> dict[str, int]:
    path = app_state.settings.mail_log
    subjects = [json.loads(line)["subject"] for line in path.read_text().splitlines()] if path.exists() else []
    return {r: subjects.count(f"New referral {reference(uuid.UUID(r))}") for r in referral_ids}


def _relay_until(app_state, done, seconds: float) -> dict[str, int]:
    totals = {"dispatched": 0, "failed": 0, "requeued": 0, "parked": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = relay_once(app_state)
        for key in totals:
            totals[key] += getattr(result, key)
        if done():
            break
        time.sleep(0.3)
    return totals


def _waiting_on_a_lock(app_state) -> bool:
    session = app_state.sessions()
    try:
        return bool(session.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                        "AND datname = current_database()")))
    finally:
        session.close()


def test_no_notification_is_lost_or_sent_twice_when_redis_and_the_worker_are_killed(
        own_redis, restart_env, fresh_database, monkeypatch, tmp_path, capsys):  # noqa: F811
    if fresh_database.name != "postgresql":
        pytest.skip("the fault test runs on PostgreSQL (a worker blocked mid-job on a row lock)")
    monkeypatch.setenv("OUTBOX_LEASE_SECONDS", str(LEASE_SECONDS))
    monkeypatch.setenv("OUTBOX_JOB_TIMEOUT", str(JOB_TIMEOUT))
    worker_app.cache_clear()
    app_state = state(worker_app())
    world = make_world(app_state)
    worker = WorkerProcess(own_redis.url, tmp_path / "worker.log")
    worker.start()
    messages: list[uuid.UUID] = []
    totals = {"dispatched": 0, "failed": 0, "requeued": 0, "parked": 0}

    def relay(until, seconds: float = 30) -> None:
        for key, value in _relay_until(app_state, until, seconds).items():
            totals[key] += value

    try:
        # 1. The plain path.
        messages += refer(app_state, world, 10)
        relay(lambda: _processed(app_state, messages) == len(messages))

        # 2. Redis is killed with jobs in it (the worker paused, so they are still queued), referrals are made
        #    while it is down, and it comes back empty.
        worker.signal(signal.SIGSTOP)
        queued = refer(app_state, world, 5)
        messages += queued
        relay(lambda: True, 1)
        own_redis.process.kill()
        own_redis.process.wait(timeout=10)
        own_redis.process = None
        messages += refer(app_state, world, 5)
        relay(lambda: True, 1)  # enqueue fails: the five wait in the outbox
        own_redis.start()  # same port, empty: the five queued jobs are gone
        worker.signal(signal.SIGCONT)
        messages += refer(app_state, world, 5)

        # 3. The worker is killed mid-job: held on a row lock inside its transaction, then SIGKILLed.
        [blocked] = refer(app_state, world, 1)
        messages.append(blocked)
        holder = app_state.sessions()
        holder.add(ProcessedMessage(message_id=blocked, handler=HANDLER))
        holder.flush()  # uncommitted: the worker's own claim of this message waits on it
        relay(lambda: _waiting_on_a_lock(app_state), 60)  # behind the fifteen from step 2
        assert _waiting_on_a_lock(app_state), (tmp_path / "worker.log").read_text()[-2000:]
        worker.kill()
        holder.rollback()
        holder.close()
        worker.start()
        messages += refer(app_state, world, 5)

        # Everything is handled in the end: lost jobs are sent again after their lease, the dead worker's job
        # after its time limit and a lease.
        relay(lambda: _processed(app_state, messages) == len(messages), 90)
    finally:
        worker.stop()

    referrals = _referral_of(app_state, messages)
    mails = _mails_per_referral(app_state, referrals.values())
    lost = sum(1 for n in mails.values() if n == 0)
    duplicated = sum(n - 1 for n in mails.values() if n > 1)
    with capsys.disabled():
        print(f"\nfault test: {len(messages)} referrals; Redis killed and restarted empty once, worker killed "
              f"mid-job once; handled {_processed(app_state, messages)}; lost {lost}; duplicated {duplicated}; "
              f"sent again after a lease {totals['requeued']}; enqueue failures {totals['failed']}")
    assert (lost, duplicated) == (0, 0), (tmp_path / "worker.log").read_text()[-2000:]
    assert _processed(app_state, messages) == len(messages) == 31
    assert totals["requeued"] >= 6  # the five lost with Redis and the one the dead worker held
