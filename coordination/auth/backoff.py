"""The per-account sign-in back-off's counters (services.auth.Backoff), kept where the rate limiter keeps its own.

With Redis (`RATELIMIT_STORAGE_URI`, else `REDIS_URL`) the counters are shared by every web process; without
it they are in this process's memory, as the limiter's are. Keys are the blind-index HMAC of the email, never
the email. If Redis stops answering, the back-off logs a warning and counts in memory for the next
RETRY_SECONDS, then tries Redis again: signing in never fails because Redis is down.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from typing import cast

from flask import current_app
from limits.storage import MemoryStorage, Storage, storage_from_string

from coordination.domain.backoff import WINDOW_SECONDS, delay_after
from coordination.extensions import REDIS_STORAGE_OPTIONS, state

log = logging.getLogger("coordination.auth")
RETRY_SECONDS = 30
_EXTENSION = "coordination_sign_in_backoff"


class StorageBackoff:
    def __init__(self, uri: str):
        options = REDIS_STORAGE_OPTIONS if uri.startswith(("redis", "rediss")) else {}
        self.primary = cast(Storage, storage_from_string(uri, **options))
        self.memory = MemoryStorage()
        self._memory_until = 0.0
        self._lock = threading.Lock()

    def _call(self, name: str, *args):
        store = self.memory if time.monotonic() < self._memory_until else self.primary
        try:
            return getattr(store, name)(*args)
        except Exception as exc:  # noqa: BLE001 - any storage failure: count in memory for a while
            if store is self.memory:
                raise
            log.warning("sign-in back-off storage unreachable (%s): counting in memory for %s s",
                        type(exc).__name__, RETRY_SECONDS)
            with self._lock:
                self._memory_until = time.monotonic() + RETRY_SECONDS
            return getattr(self.memory, name)(*args)

    def wait(self, account: str) -> int:
        if not self._call("get", f"sign-in/wait/{account}"):
            return 0
        return max(1, math.ceil(self._call("get_expiry", f"sign-in/wait/{account}") - time.time()))

    def failed(self, account: str) -> tuple[int, int]:
        failures = self._call("incr", f"sign-in/failures/{account}", WINDOW_SECONDS)
        seconds = delay_after(failures)
        if seconds:
            self._call("clear", f"sign-in/wait/{account}")
            self._call("incr", f"sign-in/wait/{account}", seconds)
        return failures, seconds

    def succeeded(self, account: str) -> None:
        self._call("clear", f"sign-in/failures/{account}")
        self._call("clear", f"sign-in/wait/{account}")


def sign_in_backoff() -> StorageBackoff:
    """The app's back-off, built on first use from the rate limiter's storage setting."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if _EXTENSION not in app.extensions:
        app.extensions[_EXTENSION] = StorageBackoff(state(app).settings.ratelimit_storage)
    return app.extensions[_EXTENSION]
