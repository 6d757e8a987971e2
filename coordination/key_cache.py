"""Partner API keys this process has checked in the last few seconds, so a partner's read is not a key query too.

A partner key is checked on every request: look it up by digest, check it is confirmed, unexpired and
unrevoked, load its agency. On the hot path (a partner system polling `GET /families/{id}/assessment`) that is
one of the request's few round trips. This cache keeps the Actor a live key resolved to for `ttl` seconds
(API_KEY_CACHE_SECONDS, default 5; 0 turns it off).

The bound, which docs/architecture.md states: a key revoked (or given an earlier expiry) in *this* process is
refused from the very next request, because the service that revokes it forgets it here in the same call; in
*another* gunicorn instance or worker it may still be accepted for at most `ttl` seconds after the revocation
committed. A key's own expiry time is checked on every use, cached or not. Nothing but the digest of the
secret, the Actor (ids, role, scopes) and the expiry is held; no case data.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from .domain.actors import Actor

MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class _Entry:
    actor: Actor
    expires_at: dt.datetime | None
    stored_at: float


class KeyCache:
    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def get(self, digest: str, now: dt.datetime) -> Actor | None:
        """The Actor a key with this digest resolved to, if checked within `ttl` seconds and not expired by `now`."""
        if self.ttl <= 0:
            return None
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if self.clock() - entry.stored_at >= self.ttl or (entry.expires_at is not None and entry.expires_at <= now):
            self._entries.pop(digest, None)
            return None
        return entry.actor

    def put(self, digest: str, actor: Actor, expires_at: dt.datetime | None) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()  # a bound, not an LRU: a few thousand keys refill within seconds
            self._entries[digest] = _Entry(actor, expires_at, self.clock())

    def forget(self, key_id: uuid.UUID) -> None:
        """Drop every entry for this key (revoked, or its expiry changed)."""
        with self._lock:
            for digest in [d for d, e in self._entries.items() if e.actor.api_key_id == key_id]:
                del self._entries[digest]
