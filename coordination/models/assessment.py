"""The one family-led assessment: sections with append-only versions, and the child's voice."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime, utcnow


class SectionDefinition(Base):
    """The authority's template: stable key, the title families read, sensitivity and order."""

    __tablename__ = "section_definition"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    hint: Mapped[str] = mapped_column(Text, default="")
    sensitivity: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)


class Assessment(IdMixin, CreatedMixin, Base):
    __tablename__ = "assessment"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")  # kept as it was (partners read it)
    # The current agreement with the family (set aside, None, when a section changes after it).
    agreed_on: Mapped[dt.date | None] = mapped_column(Date)
    agreed_by_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    agreement_recorded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    agreement_recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    # The latest manager's sign-off (kept), and when the assessment first changed after it (None: not since).
    signed_off_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    signed_off_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_since_sign_off_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    sections: Mapped[list[AssessmentSection]] = relationship(back_populates="assessment")


class AssessmentSection(IdMixin, Base):
    """The head of one section's history. `version` is the number of the newest SectionVersion."""

    __tablename__ = "assessment_section"
    __table_args__ = (UniqueConstraint("assessment_id", "key"),)

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"))
    key: Mapped[str] = mapped_column(ForeignKey("section_definition.key"))
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_by_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    # Marked complete by the case holder (None: not complete; a save after it makes it in progress again).
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    completed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    # Confidential to the young person it is about: in the family's own view only they see it (None: not so).
    confidential_to_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    confidential_marked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    confidential_marked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    assessment: Mapped[Assessment] = relationship(back_populates="sections")
    definition: Mapped[SectionDefinition] = relationship(lazy="joined")


class SectionVersion(IdMixin, EncryptedFields, Base):
    """Append-only: never updated (except by key rotation, which re-encrypts the same text)."""

    __tablename__ = "section_version"
    __table_args__ = (UniqueConstraint("section_id", "version"),)
    __encrypted__ = ("content",)

    section_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_section.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_ct: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    created_by_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    source: Mapped[str] = mapped_column(String(20), default="staff")  # staff | partner | family (proposed by)


class AssessmentStatusEvent(IdMixin, Base):
    """Append-only history of the assessment's status: a section completed or re-opened, the agreement recorded
    or set aside, a sign-off, the first change after one (domain/assessment_status.py). Shown in the chronology."""

    __tablename__ = "assessment_status_event"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), index=True)
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    section_key: Mapped[str | None] = mapped_column(ForeignKey("section_definition.key"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    agreed_on: Mapped[dt.date | None] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))


class VoiceEntry(IdMixin, CreatedMixin, EncryptedFields, Base):
    """A child's own words. Never edited: a correction is a new entry pointing at the old one."""

    __tablename__ = "voice_entry"
    __encrypted__ = ("words",)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    words_ct: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    section_key: Mapped[str | None] = mapped_column(ForeignKey("section_definition.key"))
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("voice_entry.id"))
    # Confidential to the young person: never shown to a parent in the family's own view.
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Added by the young person themself in the family's own view (recorded_by_id is then None).
    recorded_by_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
