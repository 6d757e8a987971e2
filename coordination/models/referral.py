"""Referrals between pathways, their events, clocks, pauses and exceptions.

A referral is one episode of a child's journey on one pathway. Its events (received, decided, accepted,
entered:<stage>, closed, …) are the facts; `referral_clock` rows are derived from them in the same
transaction (domain.pathways.compute_clocks) so the metrics SQL can aggregate over indexed columns.
Episodes link to each other (step-up, step-down, age transitions) so the story is continuous.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime, utcnow


class Referral(IdMixin, CreatedMixin, EncryptedFields, Base):
    __tablename__ = "referral"
    __encrypted__ = ("reason", "decision_reason", "assessment_factors")
    __table_args__ = (
        UniqueConstraint("idempotency_scope", "idempotency_key"),
        Index("ix_referral_to_agency_status", "to_agency_id", "status"),
        Index("ix_referral_pathway_received", "pathway", "received_on"),
        Index("ix_referral_child_pathway", "child_id", "pathway"),
        # Re-referrals for a period (region-wide, so the pathway-first index does not serve it), and per agency
        # that may count them (receiving, sending, holding the family): a manager's scope is three index ranges.
        Index("ix_referral_received_pathway", "received_on", "pathway", "re_referral"),  # counted from the index
        Index("ix_referral_to_received", "to_agency_id", "received_on"),
        Index("ix_referral_from_received", "from_agency_id", "received_on"),
        Index("ix_referral_owner_received", "owning_agency_id", "received_on"),
    )

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    pathway: Mapped[str] = mapped_column(String(40))
    from_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), index=True)
    to_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    # The agency holding the family's case when the referral was made (families are not transferred between
    # agencies; a transfer, when it comes, must update this and the referral's clock rows in its transaction).
    owning_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    referred_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    referred_by_key_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_key.id"))
    reason_ct: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(20), default="routine")
    status: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[dt.date] = mapped_column(Date)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    decision: Mapped[str | None] = mapped_column(String(10))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decision_reason_ct: Mapped[str | None] = mapped_column(Text)
    signposted_to: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str | None] = mapped_column(String(40))
    re_referral: Mapped[bool] = mapped_column(Boolean, default=False)
    # The CIN census items a social care practitioner records (domain/cin_census.py): the primary need (N1–N9),
    # whether the referral was no further action (set when it is decided: declined is NFA), the reason for
    # closure (RC1–RC9, chosen on closing) and the factors identified at assessment (sealed, codes joined by ",").
    primary_need: Mapped[str | None] = mapped_column(String(2))
    referral_nfa: Mapped[bool | None] = mapped_column(Boolean)
    reason_for_closure: Mapped[str | None] = mapped_column(String(3))
    assessment_factors_ct: Mapped[str | None] = mapped_column(Text)
    linked_from_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referral.id"), index=True)
    link_kind: Mapped[str | None] = mapped_column(String(20))  # step_up | step_down | transition | parallel
    sections_shared: Mapped[list] = mapped_column(JSON, default=list)
    child_age_at_referral: Mapped[int | None] = mapped_column(Integer)
    ward: Mapped[str | None] = mapped_column(String(60))
    idempotency_scope: Mapped[str | None] = mapped_column(String(80))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list[ReferralEvent]] = relationship(order_by="ReferralEvent.occurred_at", viewonly=True)
    clocks: Mapped[list[ReferralClock]] = relationship(order_by="ReferralClock.started_at", viewonly=True)


class ReferralEvent(IdMixin, EncryptedFields, Base):
    """A fact about a referral, timestamped and attributed. Append-only."""

    __tablename__ = "referral_event"
    __encrypted__ = ("note",)

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))  # received | decided | accepted | declined | entered:<stage> | closed
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    by_key_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_key.id"))
    by_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    note_ct: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class ReferralClock(IdMixin, Base):
    """Derived clock state (recomputed whenever the referral's events change), for SQL metrics.

    The referral's fixed facts that the metrics scope and break down by (receiving, sending and case-holding
    agency; urgency, ward, age at referral) are copied onto each clock row, so a manager's figures are index
    ranges over this table alone — no join to `referral` and no scan of it (bench/metrics_scale.py).
    """

    __tablename__ = "referral_clock"
    __table_args__ = (
        UniqueConstraint("referral_id", "name"),
        Index("ix_referral_clock_measure", "pathway", "name", "started_on"),
        Index("ix_referral_clock_open_due", "stopped_on", "due_on"),
        Index("ix_referral_clock_to_stopped", "to_agency_id", "stopped_on"),
        Index("ix_referral_clock_from_stopped", "from_agency_id", "stopped_on"),
        Index("ix_referral_clock_owner_stopped", "owning_agency_id", "stopped_on"),
        # What is open now: a small part of the table, counted from this index alone.
        Index("ix_referral_clock_open", "pathway", "name", "due_on", postgresql_where=text("stopped_on IS NULL"),
              sqlite_where=text("stopped_on IS NULL")),
    )

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    pathway: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(40))
    to_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    from_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    owning_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    urgency: Mapped[str | None] = mapped_column(String(20))
    ward: Mapped[str | None] = mapped_column(String(60))
    child_age_at_referral: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    started_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    due_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # hour clocks
    stopped_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    stopped_on: Mapped[dt.date | None] = mapped_column(Date)
    within_target: Mapped[bool | None] = mapped_column(Boolean)
    excepted: Mapped[bool] = mapped_column(Boolean, default=False)
    statutory: Mapped[bool] = mapped_column(Boolean, default=False)
    limit_text: Mapped[str] = mapped_column(String(40))

    @classmethod
    def of(cls, referral: Referral, **fields) -> ReferralClock:
        """A clock row of `referral`, carrying the referral's scope and breakdown facts."""
        return cls(referral_id=referral.id, pathway=referral.pathway, to_agency_id=referral.to_agency_id,
                   from_agency_id=referral.from_agency_id, owning_agency_id=referral.owning_agency_id,
                   urgency=referral.urgency, ward=referral.ward,
                   child_age_at_referral=referral.child_age_at_referral, **fields)


class ReferralPause(IdMixin, CreatedMixin, Base):
    __tablename__ = "referral_pause"

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), index=True)
    reason: Mapped[str] = mapped_column(String(60))
    from_on: Mapped[dt.date] = mapped_column(Date)
    to_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))


class ReferralException(IdMixin, CreatedMixin, Base):
    """An allowed exception to a statutory clock (e.g. EHC reg 10(4)(a)–(d)) with the dates it covers."""

    __tablename__ = "referral_exception"

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    from_on: Mapped[dt.date | None] = mapped_column(Date)
    to_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))


class MetricsSummary(Base):
    """Materialised completed-clock counts for closed months (repositories/metrics.refresh_summary).

    One row per scope × breakdown group × month × pathway × clock × within × excepted × duration: a histogram, so
    the median and 90th percentile over any run of months stay exact. `breakdown` is "" (no breakdown: `grp` is "")
    or one of domain.measures.BREAKDOWNS with its group (agency id, age band, ward, urgency), so each clock is
    counted once without a breakdown and once in its group of each breakdown. `scope_agency_id` is the agency
    whose managers may count these clocks (sent by, sent to, or about a family it holds), or REGION (the nil
    UUID) for the region-wide rows. Rebuilt whole by an rq job; `refreshed_at` is the "as of" shown when the
    dashboard uses it.
    """

    __tablename__ = "metrics_summary"

    # Key order = read order: one scope and breakdown, a run of months (the rows are also written in this order,
    # so a dashboard's months sit on few pages).
    scope_agency_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    breakdown: Mapped[str] = mapped_column(String(20), primary_key=True, default="")
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # first day of the month the clocks stopped in
    pathway: Mapped[str] = mapped_column(String(40), primary_key=True)
    clock: Mapped[str] = mapped_column(String(40), primary_key=True)
    grp: Mapped[str] = mapped_column(String(80), primary_key=True, default="")
    within_target: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    excepted: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    days: Mapped[float] = mapped_column(Float, primary_key=True)
    completed: Mapped[int] = mapped_column(Integer)
    through: Mapped[dt.date] = mapped_column(Date)  # last day of the closed months this refresh covers
    refreshed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ReferralSummary(Base):
    """Materialised referral counts for closed months: how many referrals each scope received per month and
    pathway, and how many of them were re-referrals within 12 months. Rebuilt with MetricsSummary."""

    __tablename__ = "referral_summary"

    scope_agency_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # first day of the month received
    pathway: Mapped[str] = mapped_column(String(40), primary_key=True)
    received: Mapped[int] = mapped_column(Integer)
    re_referrals: Mapped[int] = mapped_column(Integer)
    through: Mapped[dt.date] = mapped_column(Date)
    refreshed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
