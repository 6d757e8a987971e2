"""Family Help: lead handovers, the team around the family and the one family plan (goals and their actions).

The family's current lead stays on `family.lead_practitioner_id` (with `lead_chosen_with_family`); each change
is a `LeadHandover`. The plan is one row per family whose `version` counts its changes; each version is one
`PlanChange` row (what changed, by whom, when), so the plan's history and the family's timeline read one table.
The family's words (goal titles, action descriptions, reasons) are encrypted, bound to table, field and row.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, CreatedMixin, EncryptedFields, IdMixin, UtcDateTime, utcnow


class LeadHandover(IdMixin, EncryptedFields, Base):
    """One change of a family's lead practitioner (append-only)."""

    __tablename__ = "lead_handover"
    __encrypted__ = ("reason",)
    __table_args__ = (Index("ix_lead_handover_family_id_handed_over_at", "family_id", "handed_over_at"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"))
    from_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    to_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff_user.id"))
    to_agency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agency.id"))
    chosen_with_family: Mapped[bool] = mapped_column(Boolean)
    reason_ct: Mapped[str | None] = mapped_column(Text)
    handed_over_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_by_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))


class TeamMember(IdMixin, CreatedMixin, Base):
    """An agency, a member of staff or a person in the family or its network, with a role; `left_on` ends it
    (the row stays: history). Membership is no key to the record: the disclosure engine decides what an agency
    reads."""

    __tablename__ = "team_member"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    role: Mapped[str] = mapped_column(String(100))
    joined_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    added_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))


class FamilyPlan(IdMixin, CreatedMixin, Base):
    """The one plan of a family. `version` is the number of the newest PlanChange (0: nothing yet)."""

    __tablename__ = "family_plan"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="open")  # domain.plan.PlanStatus
    # When the next team-around-the-family review is due (None: no goal yet, or closed); domain.family_help
    next_review_due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))

    goals: Mapped[list[PlanGoal]] = relationship(back_populates="plan", order_by="PlanGoal.position")


class PlanGoal(IdMixin, CreatedMixin, EncryptedFields, Base):
    __tablename__ = "plan_goal"
    __encrypted__ = ("title",)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family_plan.id"), index=True)
    title_ct: Mapped[str] = mapped_column(Text)
    outcome_area: Mapped[str] = mapped_column(String(40))  # domain.plan.OutcomeArea
    status: Mapped[str] = mapped_column(String(20), default="open")  # domain.plan.GoalStatus
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))

    plan: Mapped[FamilyPlan] = relationship(back_populates="goals")
    actions: Mapped[list[PlanAction]] = relationship(back_populates="goal",
                                                     order_by="(PlanAction.created_at, PlanAction.id)")


class PlanAction(IdMixin, CreatedMixin, EncryptedFields, Base):
    """What will be done, by whom (exactly one owner column is set), by when, and how it stands."""

    __tablename__ = "plan_action"
    __encrypted__ = ("description", "status_reason")

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_goal.id"), index=True)
    description_ct: Mapped[str] = mapped_column(Text)
    owner_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"), index=True)
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    owner_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")  # domain.plan.ActionStatus
    status_reason_ct: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    goal: Mapped[PlanGoal] = relationship(back_populates="actions")


class PlanChange(IdMixin, EncryptedFields, Base):
    """One version of the plan: what changed (`kind`, the record it touched, a new status and its reason)."""

    __tablename__ = "plan_change"
    __encrypted__ = ("reason",)
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family_plan.id"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))  # domain.plan.ChangeKind
    record_id: Mapped[uuid.UUID | None] = mapped_column()
    status: Mapped[str | None] = mapped_column(String(20))
    reason_ct: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_by_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))
