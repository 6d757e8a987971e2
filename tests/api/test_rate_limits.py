"""Per-key rate limits: a key over its limit gets 429 problem+json, and another key is unaffected — with the
limiter's counters in memory and in Redis (as in production, where every worker shares them)."""
from __future__ import annotations

import secrets

import pytest
import redis

from coordination.domain.actors import Actor
from coordination.services import auth

from ..conftest import make_settings
from .conftest import API, Api, assert_problem

NOBODY = "/families/00000000-0000-0000-0000-000000000000/assessment"
LIMIT = 3


@pytest.fixture(params=["memory", "redis"])
def storage(request) -> str:
    """`memory://`, or the Redis at REDIS_URL (skipped without it; a failure under REQUIRE_SERVICES=1)."""
    return "memory://" if request.param == "memory" else request.getfixturevalue("redis_url")


@pytest.fixture
def settings(database, tmp_path, storage):
    return make_settings(database.url, tmp_path, ratelimit_enabled=True, ratelimit_storage=storage)


@pytest.fixture
def limited(app):
    app.config["API_RATE_LIMIT"] = f"{LIMIT} per minute"
    return app


def key(client, uow, agency) -> tuple[str, Api]:
    row, secret = auth.issue_api_key(uow, Actor.system("test"), agency.id, "MIS", ["read:assessment"])
    uow.commit()
    return str(row.id), Api(client, secret)


def test_a_key_over_its_limit_gets_429_and_another_key_is_unaffected(limited, client, uow, school, storage):
    first_id, first = key(client, uow, school)
    _second_id, second = key(client, uow, school)
    assert [first.get(NOBODY).status_code for _ in range(LIMIT)] == [404] * LIMIT
    refused = first.get(NOBODY)
    problem = assert_problem(refused, 429)
    assert problem["title"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 61  # when the minute's window resets
    assert second.get(NOBODY).status_code == 404
    if storage.startswith("redis"):  # the counters really are in Redis, under the key's id
        counters = list(redis.Redis.from_url(storage).scan_iter(match=f"*{first_id}*"))
        assert counters


def test_requests_without_credentials_are_limited_by_address_not_by_a_key(limited, client, uow, school):
    # A fresh documentation address each run: Redis keeps a minute's counters between test runs.
    address = {"REMOTE_ADDR": f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"}
    codes = [client.get(API + NOBODY, environ_base=address).status_code for _ in range(LIMIT)]
    assert codes == [401] * LIMIT
    assert_problem(client.get(API + NOBODY, environ_base=address), 429)
    _id, partner = key(client, uow, school)
    assert partner.get(NOBODY).status_code == 404


def test_a_limited_request_costs_one_round_trip_to_redis(limited, client, uow, school, storage, monkeypatch):
    """The limiter's hit is one Redis call; no X-RateLimit-* headers, which would ask for the window again."""
    if not storage.startswith("redis"):
        pytest.skip("round trips to Redis: the in-memory store has none")
    _id, partner = key(client, uow, school)
    assert partner.get(NOBODY).status_code == 404  # the limiter's scripts are loaded now
    calls: list[str] = []
    send = redis.Redis.execute_command

    def counted(self, *args, **options):
        calls.append(str(args[0]))
        return send(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    response = partner.get(NOBODY)
    assert response.status_code == 404
    assert len(calls) == 1, calls
    assert not [name for name in response.headers.keys() if name.lower().startswith("x-ratelimit")]


def test_under_a_large_limit_ten_requests_cost_one_round_trip_to_redis(app, client, uow, school, storage,
                                                                         monkeypatch):
    """A process adds its count to Redis in batches (a fiftieth of the limit, or after a second): the first
    request of a key goes to Redis, the next nine do not."""
    if not storage.startswith("redis"):
        pytest.skip("round trips to Redis: the in-memory store has none")
    app.config["API_RATE_LIMIT"] = "1000 per minute"
    _id, partner = key(client, uow, school)
    calls: list[str] = []
    send = redis.Redis.execute_command

    def counted(self, *args, **options):
        calls.append(str(args[0]))
        return send(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    assert [partner.get(NOBODY).status_code for _ in range(10)] == [404] * 10
    assert len(calls) == 1, calls
