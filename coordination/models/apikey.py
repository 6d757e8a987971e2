"""Partner agency API keys: hashed, scoped, expiring, revocable."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agency import Agency
from .base import Base, CreatedMixin, IdMixin, UtcDateTime


class ApiKey(IdMixin, CreatedMixin, Base):
    """The secret is `cck_<first part>.<second part>`. A key staff ask for is pending (no `digest`, so nothing
    can authenticate with it) until a second person confirms it; each of the two sees one part only."""

    __tablename__ = "api_key"

    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str | None] = mapped_column(String(64), unique=True)   # of the whole key; set when confirmed
    first_part_digest: Mapped[str | None] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    confirmed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))

    agency: Mapped[Agency] = relationship(lazy="joined")
