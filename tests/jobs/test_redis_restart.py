"""With Redis stopped the service keeps working and the work waits in the outbox; when Redis returns,
every message is delivered exactly once. Runs its own redis-server (a real one) on a free port."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from coordination.extensions import state
from coordination.jobs.relay import relay_once
from coordination.jobs.runtime import worker_app
from coordination.models import OutboxMessage

from ..conftest import TEST_KEYS, unavailable
from .test_relay import counts, make_world, refer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed: the Redis stop/restart test is skipped")
    server = OwnRedis(_free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def restart_env(fresh_database, tmp_path, monkeypatch, own_redis):
    env = {
        "COORDINATION_ENV": "test", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": fresh_database.url,
        "SECRET_KEY": TEST_KEYS["secret_key"], "ENCRYPTION_KEYS": TEST_KEYS["encryption_keys"],
        "BLIND_INDEX_KEY": TEST_KEYS["blind_index_key"], "AUDIT_SIGNING_KEY": TEST_KEYS["audit_signing_key"],
        "AUDIT_CHAIN_KEY": TEST_KEYS["audit_chain_key"],
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"), "REDIS_URL": own_redis.url,
        "OUTBOX_QUEUE": f"restart-{os.getpid()}-{uuid.uuid4().hex[:6]}",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    worker_app.cache_clear()
    yield env["OUTBOX_QUEUE"]
    worker_app.cache_clear()


def _work(url: str, queue_name: str) -> None:
    connection = Redis.from_url(url)
    SimpleWorker([Queue(queue_name, connection=connection)], connection=connection).work(burst=True)


def test_work_waits_in_the_outbox_while_redis_is_stopped_and_is_delivered_once_when_it_returns(
        own_redis, restart_env):
    app_state = state(worker_app())
    world = make_world(app_state)
    before = refer(app_state, world, 2)

    own_redis.stop()
    during = refer(app_state, world, 3)  # a service call and commit succeed with Redis down
    started = time.monotonic()
    result = relay_once(app_state)
    assert (result.dispatched, result.failed) == (0, 5)
    assert time.monotonic() - started < 5  # fails fast: a short connect timeout
    session = app_state.sessions()
    waiting = session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(before + during))).scalars().all()
    assert {(m.dispatched_at, m.attempts, m.last_error) for m in waiting} == {(None, 1, "ConnectionError")}
    session.close()
    assert counts(app_state, before + during) == (0, 0, 5)

    own_redis.start()  # same port, empty
    assert relay_once(app_state).dispatched == 5
    _work(own_redis.url, restart_env)
    assert counts(app_state, before + during) == (5, 5, 0)
    # Nothing is delivered again: the relay has nothing left, and a second worker run finds no jobs.
    assert relay_once(app_state).dispatched == 0
    _work(own_redis.url, restart_env)
    assert counts(app_state, before + during) == (5, 5, 0)
