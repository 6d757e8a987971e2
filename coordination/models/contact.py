"""Where a household (or one person of it) lives, with its move history, and the other professionals involved.
Every piece of personal text is encrypted, bound to table, field and row."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CreatedMixin, EncryptedFields, IdMixin


class Address(IdMixin, CreatedMixin, EncryptedFields, Base):
    """An address the household (person_id NULL) or one person lived at. The current one has no moved_out_on;
    recording a move closes the previous one on the day of the move (nothing is deleted)."""

    __tablename__ = "address"
    __encrypted__ = ("line_1", "line_2", "town", "postcode")

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    line_1_ct: Mapped[str] = mapped_column(Text)
    line_2_ct: Mapped[str | None] = mapped_column(Text)
    town_ct: Mapped[str] = mapped_column(Text)
    postcode_ct: Mapped[str] = mapped_column(Text)
    moved_in_on: Mapped[dt.date] = mapped_column(Date)
    moved_out_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))


class Professional(IdMixin, CreatedMixin, EncryptedFields, Base):
    """Someone from another service involved with the household (person_id NULL) or one person: a health
    visitor, a social worker, a housing officer. Ended, never deleted."""

    __tablename__ = "professional"
    __encrypted__ = ("name", "role", "organisation", "contact")

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    name_ct: Mapped[str] = mapped_column(Text)
    role_ct: Mapped[str] = mapped_column(Text)
    organisation_ct: Mapped[str] = mapped_column(Text)
    contact_ct: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
