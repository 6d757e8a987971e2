"""Where outbox messages go: the rq queue (REDIS_URL set) or inline, right after commit (REDIS_URL unset).

Decisions:
- Inline mode (the embedded default, no Redis): `install_inline(app_state)` (called by create_app) makes
  every unit of work of the app note the outbox messages flushed in it (a SQLAlchemy `after_flush` hook,
  so services stay unaware of it) and handle them after a successful commit, each in its own unit of work
  (`handlers.handle`). A rolled-back unit of work handles nothing. A handler failure is logged (message id
  and exception type only, never content) and the message stays undispatched for `flask jobs relay --once`.
- Redis connections use short timeouts: a relay facing a stopped Redis fails fast and retries later;
  the web never talks to Redis for outbox work, so it does not notice.
- The queue name is OUTBOX_QUEUE (default "default", the queue the deployed workers listen on).
"""
from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from redis import Redis
from rq import Queue
from sqlalchemy import event
from sqlalchemy.orm import Session

from coordination.config import Settings
from coordination.models import OutboxMessage
from coordination.services.mail import Sender, sender_for

if TYPE_CHECKING:
    from coordination.db import UnitOfWork
    from coordination.extensions import AppState

log = logging.getLogger("coordination.jobs")

_UOW_KEY = "coordination_inline_uow"
_PENDING_KEY = "coordination_outbox_pending"


def queue_name(settings: Settings) -> str:
    return settings.outbox_queue


def redis_connection(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)


def queue_for(settings: Settings, connection: Redis | None = None) -> Queue:
    assert settings.redis_url, "no REDIS_URL: messages are handled inline"
    return Queue(queue_name(settings), connection=connection or redis_connection(settings.redis_url))


def base_url(settings: Settings) -> str:
    return settings.public_base_url


def mail_sender(settings: Settings) -> Sender:
    return sender_for(settings)


# ---- inline mode ---------------------------------------------------------------------------------

def install_inline(app_state: AppState) -> None:
    """Without Redis: handle each unit of work's outbox messages right after its commit."""
    if app_state.settings.redis_url:
        return
    make = app_state.unit_of_work

    def unit_of_work(request_id: str | None = None) -> UnitOfWork:
        unit = make(request_id)
        unit.session.info[_UOW_KEY] = (unit, app_state)
        return unit

    app_state.unit_of_work = unit_of_work  # type: ignore[method-assign]


@event.listens_for(Session, "after_flush")
def _note_outbox_messages(session: Session, _context) -> None:
    found = session.info.get(_UOW_KEY)
    if found is None:
        return
    new = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if not new:
        return
    pending = session.info.setdefault(_PENDING_KEY, [])
    if not pending:
        unit, app_state = found
        unit.after_commit.append(lambda: _deliver_pending(session, app_state))
    pending.extend(new)


@event.listens_for(Session, "after_soft_rollback")
def _forget_outbox_messages(session: Session, previous) -> None:
    if previous.parent is None:  # the whole transaction rolled back (not a savepoint inside it)
        session.info.pop(_PENDING_KEY, None)


def _deliver_pending(session: Session, app_state: AppState) -> None:
    from .handlers import handle  # noqa: PLC0415 - handlers import this module

    ids: list[uuid.UUID] = session.info.pop(_PENDING_KEY, [])
    for message_id in ids:
        try:
            handle(str(message_id), app_state)
        except Exception as exc:  # noqa: BLE001 - the message waits in the outbox for `flask jobs relay --once`
            log.warning("inline outbox handler failed for message %s (%s)", message_id, type(exc).__name__)
