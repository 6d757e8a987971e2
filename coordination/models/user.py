"""Staff users and their personal access tokens."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .agency import Agency
from .base import Base, CreatedMixin, IdMixin, UtcDateTime


class User(IdMixin, CreatedMixin, Base):
    __tablename__ = "staff_user"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Part of every session's identity: bumped at sign-out, password, role and deactivation, so every
    # session cookie issued before the bump stops working on its next request.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    agency: Mapped[Agency] = relationship(lazy="joined")


class PersonalAccessToken(IdMixin, CreatedMixin, Base):
    """A token stands for its user: same agency, role and permissions. Only its digest is stored."""

    __tablename__ = "personal_access_token"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(lazy="joined")


class PasswordReset(IdMixin, CreatedMixin, Base):
    """A one-time link for a staff member to set their own password: an admin issues it, it goes to the staff
    member's own email address only, it works once, until `expires_at`, and only its SHA-256 digest is stored.

    The secret is made when the email is sent (services.password_reset), so it never sits in the outbox; until
    then `digest` is empty. Issuing a new link revokes the user's earlier open ones.
    """

    __tablename__ = "password_reset"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"), index=True)
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])
