"""Inline delivery (the embedded default, no REDIS_URL): a unit of work's outbox messages are handled in this
process right after it commits, each in its own unit of work (`handlers.handle`).

A rolled-back unit of work handles nothing (db.UnitOfWork forgets what it published). A handler failure is
logged (message id and exception type only, never content) and counted (coordination.domain.outbox: the first
retry is at once, later ones back off); the message stays undispatched for `flask jobs relay --once`.
With REDIS_URL set there is no dispatcher: the relay moves messages into rq.
"""
from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from coordination.config import Settings

from .handlers import handle
from .runner import record_handler_failure

if TYPE_CHECKING:
    from coordination.extensions import AppState, OutboxDispatcher

log = logging.getLogger("coordination.jobs")


def handle_inline(app_state: AppState, message_ids: list[uuid.UUID]) -> None:
    """Handle each committed message now; a failure waits in the outbox for the relay."""
    for message_id in message_ids:
        try:
            handle(str(message_id), app_state)
        except Exception as exc:  # noqa: BLE001 - the message waits in the outbox for `flask jobs relay --once`
            log.warning("inline outbox handler failed for message %s (%s)", message_id, type(exc).__name__)
            try:
                record_handler_failure(app_state, message_id, type(exc).__name__)
            except Exception as again:  # noqa: BLE001 - the relay retries it at once without a count
                log.warning("could not record the failure of message %s (%s)", message_id, type(again).__name__)


def dispatcher_for(settings: Settings) -> OutboxDispatcher | None:
    """Inline handling without Redis; none with it (the relay delivers)."""
    return None if settings.redis_url else handle_inline
