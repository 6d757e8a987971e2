"""The family's own access: one row per invited person (their contact, the invitation, whether a manager
excluded them), the one-time sign-in codes sent to them, sections a practitioner released to the family, and
corrections the family proposed.

Secrets are never stored: the invitation token and each code are kept as keyed HMACs (the blind index key), so
a copy of the database opens nothing. The email address is encrypted, with a blind index to find it by.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime


class FamilyAccess(IdMixin, CreatedMixin, EncryptedFields, Base):
    __tablename__ = "family_access"
    __encrypted__ = ("email", "excluded_reason")

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), unique=True)
    capacity: Mapped[str] = mapped_column(String(20))  # domain.family_access.FamilyCapacity
    email_ct: Mapped[str] = mapped_column(Text)
    email_bidx: Mapped[str] = mapped_column(String(64), index=True)
    competence_assessed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    competence_assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    invited_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    invitation_digest: Mapped[str | None] = mapped_column(String(64), unique=True)
    invitation_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    invitation_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    excluded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    excluded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    excluded_reason_ct: Mapped[str | None] = mapped_column(Text)
    # Part of every family session's identity, as for staff: bumped at sign-out and exclusion.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class FamilySignInCode(IdMixin, CreatedMixin, Base):
    __tablename__ = "family_sign_in_code"
    __table_args__ = (Index("ix_family_sign_in_code_email_bidx_created_at", "email_bidx", "created_at"),)

    access_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family_access.id"), index=True)
    email_bidx: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    wrong_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    for_invitation: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class FamilySectionRelease(Base):
    """A section hidden from the family by default (`safety`) that a practitioner released to them."""

    __tablename__ = "family_section_release"
    __table_args__ = (UniqueConstraint("family_id", "section_key"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    section_key: Mapped[str] = mapped_column(ForeignKey("section_definition.key"))
    released_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    released_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class FamilyProposal(IdMixin, CreatedMixin, EncryptedFields, Base):
    """A change to a section the family proposed. The record changes only when a practitioner accepts it (a new
    version, source `family`, with exactly the family's words); otherwise the practitioner replies."""

    __tablename__ = "family_proposal"
    __encrypted__ = ("text", "reply")

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    section_key: Mapped[str] = mapped_column(ForeignKey("section_definition.key"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    based_on_version: Mapped[int] = mapped_column(Integer)
    text_ct: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | accepted | replied
    reply_ct: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    accepted_version: Mapped[int | None] = mapped_column(Integer)
