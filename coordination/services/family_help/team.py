"""The team around the family: agencies, staff and people in the family or its wider network, each with a role,
joined and (when they leave) left dates. Membership is no key to the record: whether a member agency can read the
plan is the disclosure engine's answer (consent or a recorded lawful basis), shown beside each member."""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.plan import MAX_ROLE, PLAN_SECTION, ChangeKind, member_problem
from coordination.errors import Conflict, FieldErrors, NotFound
from coordination.models import Family, TeamMember
from coordination.repositories import plan as repo
from coordination.repositories import users as users_repo
from coordination.services.sharing import reading

from .access import chosen_problems, family_to_work_on, new_version, plan_for_change
from .views import MemberView


def member_view(member: TeamMember) -> MemberView:
    return MemberView(id=member.id, agency_id=member.agency_id, user_id=member.user_id, person_id=member.person_id,
                      role=member.role, joined_on=member.joined_on, left_on=member.left_on)


def _check(uow: UnitOfWork, family: Family, agency_id: uuid.UUID | None, user_id: uuid.UUID | None,
           person_id: uuid.UUID | None, role: str, joined_on: dt.date) -> None:
    errors = FieldErrors()
    problem = member_problem(agency_id, user_id, person_id)
    errors.add("member", problem)
    if not problem:
        chosen_problems(uow, family, errors, agency_id, user_id, person_id)
    errors.require_text("role", role, "their role in the team, for example class teacher", MAX_ROLE)
    if joined_on > uow.today():
        errors.add("joined_on", "The date they joined must be today or in the past")
    errors.raise_if_any("Check the team member")


def add_member(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, role: str, agency_id: uuid.UUID | None = None,
               user_id: uuid.UUID | None = None, person_id: uuid.UUID | None = None,
               joined_on: dt.date | None = None) -> MemberView:
    """Add one member (an agency, a member of staff or a person of the family) with their role.

    :raise NotFound: no such family, or the actor neither holds the case nor leads it.
    :raise Invalid: member (none or more than one given), agency_id, user_id, person_id, role, joined_on.
    :raise Conflict: they are in the team already.
    """
    family = family_to_work_on(uow, actor, family_id)
    joined_on = joined_on or uow.today()
    _check(uow, family, agency_id, user_id, person_id, role or "", joined_on)
    if repo.current_member(uow.session, family.id, agency_id=agency_id, user_id=user_id, person_id=person_id):
        raise Conflict("They are already in the team around the family")
    plan = plan_for_change(uow, family.id)
    member = TeamMember(family_id=family.id, agency_id=agency_id, user_id=user_id, person_id=person_id,
                        role=role.strip(), joined_on=joined_on, added_by_id=actor.user_id, created_at=uow.now())
    repo.add(uow.session, member)
    version = new_version(uow, actor, plan, ChangeKind.MEMBER_ADDED, member.id)
    uow.audit(actor, "create", "team_member", member.id, family_id=family.id, version=version,
              member_kind="agency" if agency_id else "user" if user_id else "person")
    return member_view(member)


def end_member(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, member_id: uuid.UUID) -> MemberView:
    """End a membership today (the member stays in the team's history).

    :raise NotFound: no such family or member (or the actor may not know of them).
    :raise Conflict: the membership has ended already.
    """
    family = family_to_work_on(uow, actor, family_id)
    member = repo.get_member(uow.session, family.id, member_id)
    if member is None:
        raise NotFound("No such team member")
    if member.left_on is not None:
        raise Conflict("They have already left the team")
    plan = plan_for_change(uow, family.id)
    member.left_on, member.ended_by_id = uow.today(), actor.user_id
    version = new_version(uow, actor, plan, ChangeKind.MEMBER_LEFT, member.id)
    uow.audit(actor, "update", "team_member", member.id, family_id=family.id, version=version, left_on=str(
        member.left_on))
    return member_view(member)


def team_views(uow: UnitOfWork, family: Family, *, with_names: bool, with_cover: bool) -> list[MemberView]:
    """The family's team, current members first. `with_names`: agency, staff and people's names (for those who
    work on the plan); `with_cover`: whether each member's agency can read the plan now (asks the engine)."""
    members = [member_view(m) for m in repo.list_team(uow.session, family.id)]
    if not (with_names or with_cover):  # a partner's read of the plan: the members as they are, nothing to look up
        return members
    users = users_repo.users_by_id(uow.session, [m.user_id for m in members])
    agencies = users_repo.agencies_by_id(uow.session, [m.agency_id for m in members]) if with_names else {}
    people = {p.id: p for p in family.people} if with_names else {}
    for m in members:
        agency_id = m.agency_id or (users[m.user_id].agency_id if m.user_id in users else None)
        if with_names:
            if m.agency_id in agencies:
                m.name = agencies[m.agency_id].name
            elif m.user_id in users:
                m.name = f"{users[m.user_id].name} ({users[m.user_id].agency.name})"
            elif m.person_id in people:
                person = people[m.person_id]
                m.name = f"{person.unseal(uow.keys, 'given_name')} {person.unseal(uow.keys, 'family_name')}"
        if with_cover and agency_id is not None:
            m.sees_plan = m.user_id == family.lead_practitioner_id or bool(reading.sections_for_agency(
                uow, agency_id, family.owning_agency_id, family.id, [PLAN_SECTION]))
    return members


def team(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[MemberView]:
    """The team page: every member with names and whether their agency can read the plan now. Audited as a read."""
    family = family_to_work_on(uow, actor, family_id)
    members = team_views(uow, family, with_names=True, with_cover=True)
    uow.audit(actor, "read", "team_member", None, family_id=family.id, authority={"kind": "working_on_plan"},
              entries=len(members))
    return members
