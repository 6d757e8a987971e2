"""Running instances of the app (web workers, rq workers) and the encryption key ids each holds.

Each instance refreshes its row at start and then every minute or so (never per request), so `keys rotate`
can refuse to move data to a key that an instance still serving reads has not loaded.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UtcDateTime


class AppInstance(Base):
    __tablename__ = "app_instance"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)  # host:pid
    host: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))  # web | worker
    pid: Mapped[int] = mapped_column(Integer)
    key_ids: Mapped[list] = mapped_column(JSON, default=list)  # every ENCRYPTION_KEYS id it can decrypt with
    current_key_id: Mapped[str] = mapped_column(String(60))  # the one it encrypts new data with
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
