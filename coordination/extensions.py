"""Flask extensions and the per-app state (engine, sessions, keys), built in create_app.

Nothing here holds request or case data between requests: several gunicorn instances and rq workers
can run side by side over the same PostgreSQL and Redis.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask import Flask, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .config import Settings
from .crypto import BlindIndex, KeyRing
from .db import UnitOfWork, make_engine, make_session_factory
from .key_cache import KeyCache

# Redis as the rate limits' store: answer or fail fast, so an outage degrades a request instead of hanging it.
REDIS_STORAGE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}

login_manager = LoginManager()
csrf = CSRFProtect()
# No X-RateLimit-* headers: with a Redis store they cost two more round trips on every request (the window is
# asked for again after the hit). A refused request still says when to come back (retry_after_seconds).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)


def retry_after_seconds() -> int | None:
    """For a 429: seconds until the breached limit's window resets (asks the store, so only on refusal)."""
    try:
        current = limiter.current_limit
        if current is None:
            return None
        return max(1, int(current.reset_at - time.time()) + 1)
    except Exception:  # noqa: BLE001 - the store may be down; the 429 stands without the header
        return None


OutboxDispatcher = Callable[["AppState", list[uuid.UUID]], None]
"""What happens to a unit of work's committed outbox messages (jobs.inline.dispatcher_for chooses)."""


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    keys: KeyRing
    blind: BlindIndex
    outbox_dispatcher: OutboxDispatcher | None = None
    key_cache: KeyCache | None = None
    # PostgreSQL writers leave chaining to the sealer (audit.append/seal); SQLite, one writer at a time anyway,
    # chains in the writer's transaction. Without Redis no relay runs, so each unit seals after its own commit.
    defer_audit: bool = False
    seal_inline: bool = True

    def unit_of_work(self, request_id: str | None = None) -> UnitOfWork:
        dispatch = partial(self.outbox_dispatcher, self) if self.outbox_dispatcher else None
        return UnitOfWork(session=self.sessions(), keys=self.keys, blind=self.blind, request_id=request_id,
                          dispatch=dispatch, audit_key=self.settings.audit_chain_key,
                          review_weeks=self.settings.review_interval_weeks, key_cache=self.key_cache,
                          defer_audit=self.defer_audit, seal_after_commit=self.defer_audit and self.seal_inline)


def build_state(settings: Settings, engine: Engine | None = None,
                outbox_dispatcher: OutboxDispatcher | None = None) -> AppState:
    engine = engine or make_engine(settings.database_url)
    return AppState(settings=settings, engine=engine, sessions=make_session_factory(engine),
                    keys=KeyRing(settings.encryption_keys), blind=BlindIndex(settings.blind_index_key),
                    outbox_dispatcher=outbox_dispatcher, key_cache=KeyCache(settings.api_key_cache_seconds),
                    defer_audit=engine.dialect.name == "postgresql", seal_inline=not settings.redis_url)


def state(app: Flask | None = None) -> AppState:
    return (app or current_app).extensions["coordination"]


def uow() -> UnitOfWork:
    """The request's unit of work (created on first use, closed at teardown)."""
    if "uow" not in g:
        g.uow = state().unit_of_work(request_id=request_id())
    return g.uow


def request_id() -> str:
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-Id", "") if request else ""
        g.request_id = incoming[:64] if incoming.replace("-", "").isalnum() else uuid.uuid4().hex
    return g.request_id


def init_app(app: Flask, app_state: AppState) -> None:
    app.extensions["coordination"] = app_state
    login_manager.init_app(app)
    csrf.init_app(app)
    storage = app_state.settings.ratelimit_storage
    app.config["RATELIMIT_STORAGE_URI"] = storage
    if storage.startswith(("redis", "rediss")):
        app.config["RATELIMIT_STORAGE_OPTIONS"] = REDIS_STORAGE_OPTIONS
    # Redis down: each process counts in its own memory (a warning is logged) and goes back to Redis once it
    # answers again, rather than every limited request failing with a 500. Anything else the limiter's store
    # raises is logged and the request goes on, unlimited.
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True
    limiter.init_app(app)

    @app.teardown_appcontext
    def _close_session(_exc):
        unit = g.pop("uow", None)
        if unit is not None:
            unit.close()
