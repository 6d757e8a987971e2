"""The API's rate limit: counted in the shared store in batches, within a stated bound of the limit; and when
its store fails, counted in memory (one warning), back to the store once it answers, never failing a request
because the store is broken."""
from __future__ import annotations

import logging

import pytest
from limits.storage import MemoryStorage
from werkzeug.exceptions import TooManyRequests

from coordination.api import rate_limit
from coordination.api.rate_limit import ApiRateLimit


class FlakyStore:
    """Stands in for the Redis storage: fails while `down`, else delegates to a real memory one."""

    def __init__(self, real):
        self.real, self.down, self.calls = real, False, 0

    def incr(self, *args, **kwargs):
        self.calls += 1
        if self.down:
            raise ConnectionError("redis is not there")
        return self.real.incr(*args, **kwargs)

    def get_expiry(self, *args):
        return self.real.get_expiry(*args)


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(rate_limit.time, "monotonic", lambda: now[0])
    return now


def limiter_with_flaky_store() -> tuple[ApiRateLimit, FlakyStore]:
    flaky = FlakyStore(MemoryStorage())
    return ApiRateLimit("memory://", storage=flaky), flaky  # type: ignore[arg-type]


def test_over_the_limit_is_a_429_with_the_seconds_to_wait():
    limiter = ApiRateLimit("memory://")
    for _ in range(2):
        limiter.hit("2 per minute", "key:a")
    with pytest.raises(TooManyRequests) as refused:
        limiter.hit("2 per minute", "key:a")
    assert 1 <= refused.value.retry_after <= 61
    limiter.hit("2 per minute", "key:b")  # another credential has its own count


def test_a_store_that_fails_means_counting_in_memory_then_back_to_the_store(clock, caplog):
    limiter, store = limiter_with_flaky_store()
    store.down = True
    with caplog.at_level(logging.WARNING, logger="coordination.api"):
        limiter.hit("2 per minute", "key:a")
        limiter.hit("2 per minute", "key:a")
        with pytest.raises(TooManyRequests):  # the limit still holds, counted in this process's memory
            limiter.hit("2 per minute", "key:a")
    assert store.calls == 1  # not asked again on every request while it is down
    assert [r.getMessage() for r in caplog.records] == [
        "Rate limit storage unreachable: falling back to in-memory counting"]

    clock[0] += rate_limit.RETRY_SECONDS
    store.down = False
    limiter.hit("2 per minute", "key:a")  # asked again after the pause: it answers, so it counts there
    assert store.calls == 2
    assert limiter.store_down_until is None


def test_disabled_counts_nothing():
    limiter = ApiRateLimit("memory://", enabled=False)
    for _ in range(5):
        limiter.hit("1 per minute", "key:a")


def test_requests_are_added_to_the_store_in_batches_of_a_fiftieth_of_the_limit(clock):
    limiter, store = limiter_with_flaky_store()
    limiter.hit("1000 per minute", "key:a")  # the first request of a key is counted in the store at once
    assert store.calls == 1
    for _ in range(19):  # a batch is 20: nineteen more are counted here
        limiter.hit("1000 per minute", "key:a")
    assert store.calls == 1
    limiter.hit("1000 per minute", "key:a")  # the twentieth since the push goes to the store with the others
    assert store.calls == 2
    assert store.real.get(rate_limit._item("1000 per minute").key_for("api", "key:a")) == 21


def test_what_a_process_has_counted_reaches_the_store_within_a_second(clock):
    limiter, store = limiter_with_flaky_store()
    limiter.hit("1000 per minute", "key:a")
    limiter.hit("1000 per minute", "key:a")
    assert store.calls == 1
    clock[0] += rate_limit.SYNC_SECONDS
    limiter.hit("1000 per minute", "key:a")
    assert store.calls == 2
    assert store.real.get(rate_limit._item("1000 per minute").key_for("api", "key:a")) == 3


def test_several_processes_let_through_at_most_the_limit_plus_a_batch_less_one_each():
    shared = MemoryStorage()
    processes = [ApiRateLimit("memory://", storage=shared) for _ in range(3)]
    limit, batch = "500 per minute", 10
    admitted = refused = 0
    for turn in range(900):
        try:
            processes[turn % 3].hit(limit, "key:a")
        except TooManyRequests:
            refused += 1
        else:
            admitted += 1
    assert rate_limit.batch_of(rate_limit._item(limit)) == batch
    assert 500 <= admitted <= 500 + 3 * (batch - 1)
    assert admitted + refused == 900


def test_a_limit_under_a_hundred_is_counted_in_the_store_on_every_request(clock):
    limiter, store = limiter_with_flaky_store()
    for _ in range(5):
        limiter.hit("99 per minute", "key:a")
    assert store.calls == 5
