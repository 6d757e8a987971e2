"""The outbox: domain events written in the same transaction as the change, relayed to rq later.

`processed_message` makes handlers idempotent: a handler records (message, handler) in the same
transaction as its effect, so a message delivered twice changes nothing the second time.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, IdMixin, UtcDateTime, utcnow


class OutboxMessage(IdMixin, Base):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_pending", "dispatched_at", "available_at"),)

    topic: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)  # ids only, never case content
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    available_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # hand-overs to Redis tried
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # handlings that did not finish
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class ProcessedMessage(Base):
    __tablename__ = "processed_message"

    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("outbox_message.id"), primary_key=True)
    handler: Mapped[str] = mapped_column(String(80), primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
