"""A Redis outage stops nothing: with the rate limiter's (and the sign-in back-off's) Redis stopped, sign-in,
pages and the API answer as before, counting in each process's memory, with a logged warning; when Redis is
back they go on. Runs its own redis-server on a free port and stops it (as tests/jobs/test_redis_restart.py)."""
from __future__ import annotations

import logging
import time

import pytest
from redis import Redis

from coordination.extensions import limiter

from ..conftest import make_settings
from ..jobs.test_redis_restart import own_redis  # noqa: F401  (fixture: a real redis-server of the test's own)
from ..web.conftest import Browser
from .conftest import assert_problem, new_family_body, partner_key, staff_api

NOBODY = "/families/00000000-0000-0000-0000-000000000000/assessment"


@pytest.fixture
def settings(database, tmp_path, own_redis):  # noqa: F811
    return make_settings(database.url, tmp_path, ratelimit_enabled=True, ratelimit_storage=own_redis.url)


@pytest.fixture
def limited(app):
    app.config["API_RATE_LIMIT"] = "5 per minute"
    yield app
    # The limiter is one object per process: the next test's app must not start out thinking Redis is down.
    limiter._storage_dead = False


def test_sign_in_pages_and_the_api_answer_while_redis_is_stopped(limited, client, uow, own_redis, school,  # noqa: F811
                                                                  practitioner, caplog):
    partner = partner_key(client, uow, school)
    staff = staff_api(client, uow, practitioner)
    assert partner.get(NOBODY).status_code == 404  # counted in Redis while it runs
    assert Redis.from_url(own_redis.url).keys("LIMITS*")

    own_redis.stop()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        browser = Browser(limited.test_client())
        wrong = browser.submit("/sign-in", {"email": practitioner.email, "password": "not-the-password"})
        assert wrong.status_code == 200  # the failure is counted (in memory) and shown, not a 500
        browser.sign_in(practitioner)
        assert browser.get("/caseload").status_code == 200
        assert staff.post("/families", json=new_family_body("Outagecase")).status_code == 201
        # The limit still holds, counted afresh in this process's memory.
        assert [partner.get(NOBODY).status_code for _ in range(5)] == [404] * 5
        assert_problem(partner.get(NOBODY), 429)
    assert time.monotonic() - started < 10  # nothing waits long on a Redis that is not there
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("falling back to in-memory" in m for m in warnings)
    assert any("back-off storage unreachable" in m for m in warnings)

    own_redis.start()  # back, empty: requests go on
    assert staff.get("/referrals").status_code == 200
