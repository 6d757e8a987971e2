"""The API's rate limit when its store fails: count in memory (one warning), go back to the store once it
answers, and never fail a request because the store is broken."""
from __future__ import annotations

import logging

import pytest
from werkzeug.exceptions import TooManyRequests

from coordination.api import rate_limit
from coordination.api.rate_limit import ApiRateLimit


class FlakyStore:
    """Stands in for the Redis-backed strategy: fails while `down`, else delegates to a real memory one."""

    def __init__(self, real):
        self.real, self.down, self.calls = real, False, 0

    def hit(self, *args, **kwargs):
        self.calls += 1
        if self.down:
            raise ConnectionError("redis is not there")
        return self.real.hit(*args, **kwargs)

    def get_window_stats(self, *args):
        return self.real.get_window_stats(*args)


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(rate_limit.time, "monotonic", lambda: now[0])
    return now


def limiter_with_flaky_store() -> tuple[ApiRateLimit, FlakyStore]:
    limiter = ApiRateLimit("memory://")
    flaky = FlakyStore(limiter.store)
    limiter.store = flaky  # type: ignore[assignment]
    return limiter, flaky


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
