"""Family Help around the plan: team-around-the-family reviews (each child's view, progress on each goal),
closures and hand-overs (step-up, step-down: the same plan carries on), "you said, we did" feedback and family
group decision-making. Everything the family or a child said is encrypted, bound to table, field and row.

A review's child views and scores are written once and never changed (like voice entries).
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, EncryptedFields, IdMixin, UtcDateTime, utcnow


class PlanReview(IdMixin, EncryptedFields, Base):
    """One team-around-the-family review. `due_on`: the due date in force when it was held (on time or not)."""

    __tablename__ = "plan_review"
    __encrypted__ = ("attendees", "family_view", "decisions")
    __table_args__ = (Index("ix_plan_review_plan_id_held_on", "plan_id", "held_on"),
                      Index("ix_plan_review_held_on", "held_on"))

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family_plan.id"))
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
    every_child_heard: Mapped[bool] = mapped_column(Boolean)  # each child's view in their words (none "not had")
    attendees_ct: Mapped[str] = mapped_column(Text)  # JSON list of names and roles
    family_view_ct: Mapped[str] = mapped_column(Text)
    decisions_ct: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_by_agency_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agency.id"))

    child_views: Mapped[list[ReviewChildView]] = relationship(order_by="ReviewChildView.position")
    progress: Mapped[list[ReviewProgress]] = relationship()


class ReviewChildView(IdMixin, EncryptedFields, Base):
    """A child's view at a review, in their words (`method` as voice entries), or why it could not be had."""

    __tablename__ = "review_child_view"
    __encrypted__ = ("words", "reason")

    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_review.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    method: Mapped[str] = mapped_column(String(20))  # domain.family_help.CHILD_VIEW_METHODS
    words_ct: Mapped[str | None] = mapped_column(Text)
    reason_ct: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Confidential to this child: in the family's own view only they see it (repositories.family_access).
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class ReviewProgress(IdMixin, Base):
    __tablename__ = "review_progress"
    __table_args__ = (UniqueConstraint("review_id", "goal_id"),)

    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_review.id"))
    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_goal.id"), index=True)
    score: Mapped[int] = mapped_column(Integer)


class PlanClosure(IdMixin, EncryptedFields, Base):
    """A closure (the plan closed) or a hand-over (step-up, step-down: the plan stays open and carries on)."""

    __tablename__ = "plan_closure"
    __encrypted__ = ("reason_text",)
    __table_args__ = (Index("ix_plan_closure_closed_on", "closed_on"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family_plan.id"), index=True)
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"))
    closed_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(20))  # domain.family_help.ClosureReason
    reason_text_ct: Mapped[str | None] = mapped_column(Text)
    feedback_sought: Mapped[bool] = mapped_column(Boolean)
    handover: Mapped[bool] = mapped_column(Boolean)
    reopened_on: Mapped[dt.date | None] = mapped_column(Date)
    reopened_within_12_months: Mapped[bool | None] = mapped_column(Boolean)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))

    outcomes: Mapped[list[GoalOutcomeRecord]] = relationship()


class GoalOutcomeRecord(IdMixin, Base):
    __tablename__ = "plan_goal_outcome"
    __table_args__ = (UniqueConstraint("closure_id", "goal_id"),)

    closure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_closure.id"))
    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_goal.id"))
    outcome: Mapped[str] = mapped_column(String(20))  # domain.family_help.GoalOutcome


class FamilyFeedback(IdMixin, EncryptedFields, Base):
    """"You said": what a family member or child said; "we did": what the team did about it."""

    __tablename__ = "family_feedback"
    __encrypted__ = ("said", "we_did")
    __table_args__ = (Index("ix_family_feedback_received_on", "received_on"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    from_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    said_ct: Mapped[str] = mapped_column(Text)
    received_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    we_did_ct: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))


class FgdmRecord(IdMixin, EncryptedFields, Base):
    """Family group decision-making: the offer (or why it was not in the child's best interests), the answer,
    the meeting, who of the family network came, whether the child attended, and the family's own plan."""

    __tablename__ = "fgdm_record"
    __encrypted__ = ("exemption_reason", "attendees", "family_plan")

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family.id"), index=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("family_plan.id"))
    offered_on: Mapped[dt.date | None] = mapped_column(Date)
    offered_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    exemption_reason_ct: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(String(20))  # accepted | declined
    response_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    meeting_on: Mapped[dt.date | None] = mapped_column(Date)
    attendees_ct: Mapped[str | None] = mapped_column(Text)  # JSON [{name, relationship}]
    child_attended: Mapped[bool | None] = mapped_column(Boolean)
    family_plan_ct: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
