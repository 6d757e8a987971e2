"""Tasks raised for practitioners (age transitions, phase transfers, reviews), and the working-day table."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CreatedMixin, IdMixin, UtcDateTime


class Task(IdMixin, CreatedMixin, Base):
    __tablename__ = "task"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referral.id"))
    agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    done_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)


class WorkingDay(Base):
    """One row a day: whether it is a working day and how many working days precede it since the table's
    first day. Working days between two dates = index(end) - index(start): the metrics SQL joins this."""

    __tablename__ = "working_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_working: Mapped[bool] = mapped_column(Boolean)
    working_index: Mapped[int] = mapped_column(Integer)
