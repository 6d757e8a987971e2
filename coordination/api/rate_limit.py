"""The API's per-credential rate limit: a fixed window counted in the shared store, in batches.

Flask-Limiter (which is built on `limits`) still guards the web UI's sign-in and reset forms. For the API it
is bypassed: resolving which of its limits apply cost ~0.45 ms of CPU per request (bench/profile_requests.py),
more than the rest of the API stack together, to find the same single limit every time.

Here each process counts a credential's requests and adds them to the shared counter (Redis in production:
`limits`' fixed window, keys `LIMITS:…` as before, one `incr` script per round trip) in batches: it pushes
what it has counted once it holds `batch` of them (a fiftieth of the limit, at least 1), once SYNC_SECONDS
have passed since it last pushed, and on every request once its view of the total is within a batch of the
limit. A request is refused (429) only on a total just read from the store, never on a process's guess.

The bound: no process ever holds `batch` or more uncounted requests, so in one window the requests let
through are at most the limit plus (processes × (batch − 1)): with the default 600 per minute (batch 12) and
four processes, at most 644. Limits under 100 have a batch of 1: every request is counted in the store
before it is let through, exactly as before. docs/architecture.md ("What a request costs") has the argument.

What Flask-Limiter was configured to do when its store fails is kept: a store that does not answer means
counting in this process's memory (logged once as a warning, exactly: batch 1) until the store answers again
(tried again after RETRY_SECONDS); any other failure lets the request through unlimited rather than fail it.

The limiter holds no request or case data: only counts per credential key (at most MAX_KEYS of them, the
least recently used dropped first) and whether the store answered last time.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import cast

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger("coordination.api")
EXTENSION = "coordination.api_rate_limit"
NAMESPACE = "api"
RETRY_SECONDS = 1.0
SYNC_SECONDS = 1.0
BATCH_DIVISOR = 50
MAX_KEYS = 10_000


@lru_cache(maxsize=16)
def _item(limit: str) -> RateLimitItem:
    return parse(limit)


def batch_of(item: RateLimitItem) -> int:
    """How many requests a process may count before it must add them to the store."""
    return max(1, item.amount // BATCH_DIVISOR)


@dataclass
class _Count:
    shared: int = 0  # the store's total when this process last pushed (its own pushes included)
    pending: int = 0  # requests let through here since, not yet in the store
    pushed_at: float = float("-inf")  # time.monotonic() of that push


class ApiRateLimit:
    def __init__(self, storage_uri: str, options: dict | None = None, enabled: bool = True,
                 storage: Storage | None = None):
        self.enabled = enabled
        self.storage = cast(Storage, storage or storage_from_string(storage_uri, **(options or {})))
        self.fallback = FixedWindowRateLimiter(MemoryStorage())
        self.store_down_until: float | None = None
        self.counts: OrderedDict[str, _Count] = OrderedDict()
        self.lock = threading.Lock()

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
                self._hit_shared(item, item.key_for(NAMESPACE, key))
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
        if not self.fallback.hit(item, NAMESPACE, key):
            raise _refused(self.fallback.storage, item.key_for(NAMESPACE, key))

    def _hit_shared(self, item: RateLimitItem, counter: str) -> None:
        push = self._count(item, counter)
        if not push:
            return
        try:
            total = self.storage.incr(counter, item.get_expiry(), amount=push)
        except Exception:
            with self.lock:  # not in the store: the memory fallback counts this request; keep the others
                self.counts[counter].pending += push - 1
            raise
        with self.lock:
            count = self.counts.get(counter)
            if count is not None:
                count.shared, count.pushed_at = total, time.monotonic()
        if total > item.amount:
            raise _refused(self.storage, counter)

    def _count(self, item: RateLimitItem, counter: str) -> int:
        """Count the request here; return how many to push to the store now (0: none yet)."""
        batch = batch_of(item)
        with self.lock:
            count = self.counts.get(counter)
            if count is None:
                count = self.counts[counter] = _Count()
                if len(self.counts) > MAX_KEYS:
                    self.counts.popitem(last=False)
            else:
                self.counts.move_to_end(counter)
            count.pending += 1
            due = (count.pending >= batch or count.shared + count.pending > item.amount - batch
                   or time.monotonic() - count.pushed_at >= SYNC_SECONDS)
            if not due:
                return 0
            push, count.pending = count.pending, 0
            return push


def _refused(storage: Storage, counter: str) -> TooManyRequests:
    try:
        wait: int | None = max(1, int(storage.get_expiry(counter) - time.time()) + 1)
    except Exception:  # noqa: BLE001 - the store may have gone since the hit; the 429 stands without it
        wait = None
    return TooManyRequests("Too many requests with this credential", retry_after=wait)


def init_app(app: Flask, storage_uri: str, options: dict | None, enabled: bool, web_limiter: object) -> None:
    app.extensions[EXTENSION] = ApiRateLimit(storage_uri, options, enabled)
    _web_only(app, web_limiter)


def _web_only(app: Flask, web_limiter: object) -> None:
    """Flask-Limiter's three app-wide hooks (its check, its headers, its context's release) are left out for the
    API's paths: they found no limit there yet cost ~0.1 ms a request, a sixth of the API stack's own."""
    def registered_by_it(hook) -> bool:
        return getattr(hook, "__self__", None) is web_limiter or web_limiter in getattr(hook, "args", ())

    registries: tuple[dict, ...] = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    for registry in registries:
        registry[None] = [_unless_api(hook) if registered_by_it(hook) else hook for hook in registry.get(None, [])]


def _unless_api(hook):
    @wraps(hook)
    def web_only(*args):
        path = request.path
        if path == "/api" or path.startswith("/api/"):
            return args[0] if args else None  # an after_request hook hands the response on
        return hook(*args)

    return web_only


def hit(limit: str, key: str) -> None:
    current_app.extensions[EXTENSION].hit(limit, key)
