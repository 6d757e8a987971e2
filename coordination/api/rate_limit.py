"""The API's per-credential rate limit: one hit on the `limits` library's fixed window per request.

Flask-Limiter (which is built on `limits`) still guards the web UI's sign-in and reset forms. For the API it
is bypassed: resolving which of its limits apply cost ~0.45 ms of CPU per request (bench/profile_requests.py),
more than the rest of the API stack together, to find the same single limit every time. Here the limit is one
`FixedWindowRateLimiter.hit` on the same storage (Redis in production: one round trip, keys `LIMITS:…` as
before), and what Flask-Limiter was configured to do when its store fails is kept: a store that does not
answer means counting in this process's memory (logged once as a warning) until the store answers again
(tried again after RETRY_SECONDS); any other failure lets the request through unlimited rather than fail it.

The limiter holds no request or case data: only the counters' store and whether it answered last time.
"""
from __future__ import annotations

import logging
import time
from functools import lru_cache

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger("coordination.api")
EXTENSION = "coordination.api_rate_limit"
NAMESPACE = "api"
RETRY_SECONDS = 1.0


@lru_cache(maxsize=16)
def _item(limit: str) -> RateLimitItem:
    return parse(limit)


class ApiRateLimit:
    def __init__(self, storage_uri: str, options: dict | None = None, enabled: bool = True):
        self.enabled = enabled
        self.store = FixedWindowRateLimiter(storage_from_string(storage_uri, **(options or {})))
        self.fallback = FixedWindowRateLimiter(MemoryStorage())
        self.store_down_until: float | None = None

    def hit(self, limit: str, key: str) -> None:
        """Count one request for `key`.

        :raise TooManyRequests: over the limit (`retry_after`: seconds until the window resets).
        """
        if not self.enabled:
            return
        item = _item(limit)
        down = self.store_down_until
        if down is None or time.monotonic() >= down:
            try:
                self._hit(self.store, item, key)
            except TooManyRequests:
                raise
            except Exception:  # noqa: BLE001 - the store is down or broken: count in memory, never fail the request
                if down is None:
                    log.warning("Rate limit storage unreachable: falling back to in-memory counting")
                self.store_down_until = time.monotonic() + RETRY_SECONDS
            else:
                if down is not None:
                    log.warning("Rate limit storage answers again: counting there")
                self.store_down_until = None
                return
        self._hit(self.fallback, item, key)

    @staticmethod
    def _hit(strategy: FixedWindowRateLimiter, item: RateLimitItem, key: str) -> None:
        if strategy.hit(item, NAMESPACE, key):
            return
        try:
            reset = strategy.get_window_stats(item, NAMESPACE, key).reset_time
            wait: int | None = max(1, int(reset - time.time()) + 1)
        except Exception:  # noqa: BLE001 - the store may have gone since the hit; the 429 stands without it
            wait = None
        raise TooManyRequests("Too many requests with this credential", retry_after=wait)


def init_app(app: Flask, storage_uri: str, options: dict | None, enabled: bool) -> None:
    app.extensions[EXTENSION] = ApiRateLimit(storage_uri, options, enabled)


def hit(limit: str, key: str) -> None:
    current_app.extensions[EXTENSION].hit(limit, key)
