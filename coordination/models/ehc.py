"""An EHC needs assessment request's SEN2 items (domain/sen2.py), one row per referral on the
`ehc_needs_assessment` pathway, recorded by the SEND team that received it: the request's outcome, mediation
and tribunal; the assessment's outcome; the named plan (start, placement, ceasing) and, while it is active, the
child's special educational needs and the last annual review. The 20-week exceptions are not here: SEN2's
`Week20` follows the reg 10(4) exceptions recorded on the referral (ReferralException).

Codes and dates are plain (they say nothing of the child without the person); the needs and the placement's
school identifiers are sealed like the person's own school URN.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime, utcnow


class EhcDetails(IdMixin, CreatedMixin, EncryptedFields, Base):
    __tablename__ = "ehc_details"
    __encrypted__ = ("placement_urn", "placement_ukprn", "sen_needs")

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), unique=True)
    # The request: whether the young person (16 to 25) made it themselves (RYA), its outcome (Y/N/A/W/H) and day.
    request_by_young_person: Mapped[bool | None] = mapped_column(Boolean)
    request_outcome: Mapped[str | None] = mapped_column(String(1))
    request_outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    request_mediation: Mapped[bool | None] = mapped_column(Boolean)
    request_tribunal: Mapped[bool | None] = mapped_column(Boolean)
    # The assessment: whether a plan is to be issued (Y/N/A/W/H) and the day it was decided.
    assessment_outcome: Mapped[str | None] = mapped_column(String(1))
    assessment_outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    # The named plan: the day it was issued, where the child is placed (a school's URN, a college's UKPRN or, for
    # neither, an SEN setting code) and its rank, and its ceasing (day and reason 1–9).
    plan_start_on: Mapped[dt.date | None] = mapped_column(Date)
    placement_urn_ct: Mapped[str | None] = mapped_column(Text)
    placement_ukprn_ct: Mapped[str | None] = mapped_column(Text)
    sen_setting: Mapped[str | None] = mapped_column(String(4))
    placement_rank: Mapped[int | None] = mapped_column(Integer)
    # The placement's SENunitIndicator and ResourcedProvisionIndicator (in the school's SEN unit, in its resourced
    # provision) and the day the child started there (PlacementDetail's EntryDate, for an active plan).
    sen_unit: Mapped[bool | None] = mapped_column(Boolean)
    resourced_provision: Mapped[bool | None] = mapped_column(Boolean)
    placement_entry_on: Mapped[dt.date | None] = mapped_column(Date)
    plan_ceased_on: Mapped[dt.date | None] = mapped_column(Date)
    cease_reason: Mapped[str | None] = mapped_column(String(1))
    # The active plan: the child's needs in rank order (codes joined by ","; sealed), the last annual review
    # meeting, its outcome (A amend, C cease, M maintain) and the day the LA decided it.
    sen_needs_ct: Mapped[str | None] = mapped_column(Text)
    review_meeting_on: Mapped[dt.date | None] = mapped_column(Date)
    review_outcome: Mapped[str | None] = mapped_column(String(1))
    last_review_on: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
