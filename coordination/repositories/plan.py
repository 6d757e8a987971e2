"""Family Help rows: the family as those who work on its plan see it, the plan with its goals and actions, the
team, lead handovers and the plan's versions.

`working_family` is the one scoped entry: the family when the actor holds the case (families.visible) or is its
lead practitioner (any agency). Everything else here is read by family or plan id, after the service has either
found the family that way or had the disclosure engine say the actor's agency is covered for `family_plan`.
"""
from __future__ import annotations

import uuid

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session, selectinload

from coordination.domain.actors import Actor, ActorKind
from coordination.domain.permissions import Action, may
from coordination.domain.plan import may_lead
from coordination.models import Family, FamilyPlan, LeadHandover, PlanAction, PlanChange, PlanGoal, TeamMember, User

from .families import visible


def working_family(session: Session, actor: Actor, family_id: uuid.UUID) -> Family | None:
    """The family, if the actor holds its case or is its lead practitioner; else None (absent)."""
    query = select(Family).where(Family.id == family_id).options(selectinload(Family.people))
    if actor.kind == ActorKind.SYSTEM:
        return session.execute(query).scalar_one_or_none()
    holder = Family.owning_agency_id == actor.agency_id if may(actor, Action.READ_CASE) and actor.agency_id \
        else false()
    lead = Family.lead_practitioner_id == actor.user_id if actor.is_staff and actor.user_id and may_lead(actor.role) \
        else false()
    return session.execute(query.where(or_(holder, lead))).scalar_one_or_none()


def holds_case(session: Session, actor: Actor, family_id: uuid.UUID) -> bool:
    """The actor is staff (or a system actor) of the agency holding the case."""
    return session.execute(visible(actor).where(Family.id == family_id).with_only_columns(Family.id)).first() \
        is not None


def get_family(session: Session, family_id: uuid.UUID) -> Family | None:
    """Unscoped: only after the disclosure engine said the caller's agency is covered."""
    return session.get(Family, family_id)


def get_plan(session: Session, family_id: uuid.UUID, *, for_update: bool = False) -> FamilyPlan | None:
    """The family's plan with its goals and their actions (locked for a change with `for_update`)."""
    query = select(FamilyPlan).where(FamilyPlan.family_id == family_id)
    if for_update:
        query = query.with_for_update(of=FamilyPlan)
    else:
        query = query.options(selectinload(FamilyPlan.goals).selectinload(PlanGoal.actions))
    return session.execute(query).scalar_one_or_none()


def add_plan(session: Session, family_id: uuid.UUID) -> FamilyPlan:
    plan = FamilyPlan(family_id=family_id, version=0, status="open")
    session.add(plan)
    session.flush()
    return plan


def add(session: Session, row: object) -> None:
    session.add(row)
    session.flush()


def get_goal(session: Session, plan_id: uuid.UUID, goal_id: uuid.UUID) -> PlanGoal | None:
    return session.execute(
        select(PlanGoal).where(PlanGoal.id == goal_id, PlanGoal.plan_id == plan_id)).scalar_one_or_none()


def count_goals(session: Session, plan_id: uuid.UUID) -> int:
    return len(session.execute(select(PlanGoal.id).where(PlanGoal.plan_id == plan_id)).all())


def get_action(session: Session, plan_id: uuid.UUID, goal_id: uuid.UUID, action_id: uuid.UUID) -> PlanAction | None:
    return session.execute(
        select(PlanAction).join(PlanGoal, PlanGoal.id == PlanAction.goal_id)
        .where(PlanAction.id == action_id, PlanAction.goal_id == goal_id, PlanGoal.plan_id == plan_id)
    ).scalar_one_or_none()


def list_team(session: Session, family_id: uuid.UUID) -> list[TeamMember]:
    """Every member, current first (then by joining date), with those who left kept."""
    return list(session.execute(
        select(TeamMember).where(TeamMember.family_id == family_id)
        .order_by(TeamMember.left_on.is_not(None), TeamMember.joined_on, TeamMember.created_at)
    ).scalars())


def get_member(session: Session, family_id: uuid.UUID, member_id: uuid.UUID) -> TeamMember | None:
    return session.execute(
        select(TeamMember).where(TeamMember.id == member_id, TeamMember.family_id == family_id)
    ).scalar_one_or_none()


def current_member(session: Session, family_id: uuid.UUID, *, agency_id: uuid.UUID | None,
                   user_id: uuid.UUID | None, person_id: uuid.UUID | None) -> TeamMember | None:
    """The current membership of the same agency, user or person, if there is one."""
    column, value = ((TeamMember.agency_id, agency_id) if agency_id else (TeamMember.user_id, user_id) if user_id
                     else (TeamMember.person_id, person_id))
    return session.execute(
        select(TeamMember).where(TeamMember.family_id == family_id, column == value, TeamMember.left_on.is_(None))
    ).scalars().first()


def list_handovers(session: Session, family_id: uuid.UUID) -> list[LeadHandover]:
    return list(session.execute(
        select(LeadHandover).where(LeadHandover.family_id == family_id)
        .order_by(LeadHandover.handed_over_at.desc(), LeadHandover.id)
    ).scalars())


def list_changes(session: Session, plan_id: uuid.UUID) -> list[PlanChange]:
    """The plan's versions, newest first."""
    return list(session.execute(
        select(PlanChange).where(PlanChange.plan_id == plan_id).order_by(PlanChange.version.desc())).scalars())


def possible_leads(session: Session) -> list[User]:
    """Active practitioners and managers of every agency (a lead may work for any agency), by name."""
    return list(session.execute(
        select(User).where(User.active.is_(True), User.role.in_(["practitioner", "manager"]))
        .order_by(User.name, User.id)
    ).scalars())
