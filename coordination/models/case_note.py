"""Case notes: a visit, call, meeting or message, attributed and never edited (a correction is a new note)."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime


class CaseNote(IdMixin, CreatedMixin, EncryptedFields, Base):
    """Append-only: never updated (except by key rotation, which re-encrypts the same text)."""

    __tablename__ = "case_note"
    __encrypted__ = ("with_whom", "text")
    __table_args__ = (Index("ix_case_note_family_id_occurred_at", "family_id", "occurred_at"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"))
    kind: Mapped[str] = mapped_column(String(20))  # domain.notes.NoteKind
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    with_whom_ct: Mapped[str] = mapped_column(Text)
    text_ct: Mapped[str] = mapped_column(Text)
    child_seen: Mapped[bool | None] = mapped_column(Boolean)
    seen_alone: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_by_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_note.id"))
