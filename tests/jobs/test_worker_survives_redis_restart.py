"""A real rq worker (`rq worker`, as `make worker` runs it) survives its Redis being stopped and started again:
the same process goes on to handle what is relayed after the restart, each message once."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from coordination.extensions import state
from coordination.jobs.relay import relay_once
from coordination.jobs.runtime import worker_app

from .test_redis_restart import own_redis, restart_env  # noqa: F401  (fixtures: own redis-server, worker env)
from .test_relay import counts, make_world, refer

ROOT = Path(__file__).resolve().parents[2]


def _wait_for(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_survives_a_redis_restart_and_handles_what_comes_after(own_redis, restart_env, tmp_path):  # noqa: F811
    app_state = state(worker_app())
    world = make_world(app_state)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "rq"), "worker", "--url", own_redis.url, restart_env],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        before = refer(app_state, world, 1)
        assert relay_once(app_state).dispatched == 1
        assert _wait_for(lambda: counts(app_state, before)[1] == 1), (tmp_path / "worker.log").read_text()[-2000:]

        own_redis.stop()
        time.sleep(3)  # the worker meets a Redis that is not there, and keeps retrying
        assert worker.poll() is None
        own_redis.start()  # same port, empty

        after = refer(app_state, world, 2)
        assert relay_once(app_state).dispatched == 2
        handled = _wait_for(lambda: counts(app_state, before + after)[1] == 3, seconds=45)
        assert handled, (tmp_path / "worker.log").read_text()[-2000:]
        assert worker.poll() is None  # the same process, still running
        assert counts(app_state, before + after) == (3, 3, 0)
    finally:
        worker.terminate()  # rq's warm shutdown; on a loaded machine it may outlast the wait, so then kill it
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=20)
        log.close()
