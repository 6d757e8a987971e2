"""Consents and safeguarding disclosures: the two authorities under which a family's record may leave.

Both are records, never flags, and both are normalised so the disclosure engine can answer "which
sections may agency A see of family F today" in one SQL query: sections and recipients are child rows
(`consent_section`, `consent_recipient`, `disclosure_section`), indexed for that query.

Immutable once given: after insert, a consent changes only by withdrawal (`withdrawn_*`); a disclosure
only by being withheld from the family's view or revoked. Free text (purpose, justification, reasons)
is encrypted: it often says why a family needs help.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime


class Consent(IdMixin, CreatedMixin, EncryptedFields, Base):
    __tablename__ = "consent"
    __encrypted__ = ("purpose", "withdrawal_reason", "extended_reason")
    __table_args__ = (Index("ix_consent_family_id_expires_on", "family_id", "expires_on"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"))
    given_by_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    capacity: Mapped[str] = mapped_column(String(20))      # domain.consent.Capacity
    decision: Mapped[str] = mapped_column(String(10))      # permit | refuse
    # The young person the decision is theirs about (young_person, competent_child); None for a parent.
    about_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    purpose_ct: Mapped[str] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(String(10))  # written | verbal | digital
    valid_from: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    review_on: Mapped[dt.date] = mapped_column(Date, index=True)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    competence_assessed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    competence_assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("consent.id"))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    # Withdrawn by a family member in their own view (withdrawn_by_id is then None).
    withdrawn_by_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    withdrawal_reason_ct: Mapped[str | None] = mapped_column(Text)
    # Why this consent lasts longer than 24 months (domain.consent); None for a shorter one.
    extended_reason_ct: Mapped[str | None] = mapped_column(Text)

    sections: Mapped[list[ConsentSection]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    recipients: Mapped[list[ConsentRecipient]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class ConsentSection(Base):
    __tablename__ = "consent_section"

    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consent.id"), primary_key=True)
    section_key: Mapped[str] = mapped_column(ForeignKey("section_definition.key"), primary_key=True)


class ConsentRecipient(IdMixin, Base):
    """One recipient: a named agency, or every agency of a type. Exactly one of the two is set."""

    __tablename__ = "consent_recipient"
    __table_args__ = (
        CheckConstraint("(agency_id IS NULL) <> (agency_type IS NULL)", name="one_recipient"),
    )

    consent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("consent.id"), index=True)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), index=True)
    agency_type: Mapped[str | None] = mapped_column(String(40), index=True)


class Disclosure(IdMixin, CreatedMixin, EncryptedFields, Base):
    """Sharing without consent, for safeguarding: a manager's decision, with lawful basis and reasons."""

    __tablename__ = "disclosure"
    __encrypted__ = ("justification", "withheld_reason", "revocation_reason")
    __table_args__ = (Index("ix_disclosure_family_id_agency_id", "family_id", "agency_id"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    lawful_basis: Mapped[str] = mapped_column(String(30))   # domain.consent.LawfulBasis
    justification_ct: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    withheld_from_family: Mapped[bool] = mapped_column(Boolean, default=False)
    withheld_reason_ct: Mapped[str | None] = mapped_column(Text)
    withheld_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    withheld_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    revocation_reason_ct: Mapped[str | None] = mapped_column(Text)

    sections: Mapped[list[DisclosureSection]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class DisclosureSection(Base):
    __tablename__ = "disclosure_section"

    disclosure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("disclosure.id"), primary_key=True)
    section_key: Mapped[str] = mapped_column(ForeignKey("section_definition.key"), primary_key=True)
