"""The demo borough's Family Help: on a few demo families, a lead practitioner (one chosen with the family, one
from a school), a team around the family and a family plan with goals in the family's words and actions owned by
agencies, practitioners and family members, some under way, done or dropped. Written through the Family Help
services (attributed, versioned and audited as any change is), fictional, and only on families whose plan is
untouched, so a second seed adds nothing.
"""
from __future__ import annotations

import datetime as dt

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.models import Family
from coordination.repositories import families as families_repo
from coordination.repositories import plan as plan_repo
from coordination.repositories import users as users_repo
from coordination.services.auth import actor_for_user
from coordination.services.families import family_view
from coordination.services.family_help import lead, plan, team

SCHOOL = "Riverside Primary School (fictional)"
HEALTH = "Eastmere Health Visiting Service (fictional)"
CHARITY = "Eastmere Community Food Bank (fictional charity)"
SCHOOL_LEAD = "school.lead@"
# (outcome area, the goal in the family's words, [(action, owner: school|health|charity|lead|parent, days, status)])
GOALS = (
    ("education", "We want mornings to be calmer so {child} gets to school on time",
     [("Walking bus from the corner shop, Monday to Friday", "school", 14, "in_progress"),
      ("{p1} sets two alarms and lays out the uniform the night before", "parent", 7, "done"),
      ("Breakfast club place for {child}", "school", 21, "not_started")]),
    ("financial_stability", "We want to stop worrying about the bills every month",
     [("Food bank vouchers while the benefit claim is sorted", "charity", 10, "done"),
      ("Book a money advice appointment with {p1}", "lead", 14, "in_progress"),
      ("Apply for the school uniform grant", "parent", 30, "dropped")]),
    ("health", "{child} wants to sleep through the night and not feel tired at school",
     [("Health visitor sleep session at home", "health", 21, "not_started"),
      ("Bedtime routine chart on the fridge, screens off at 8", "parent", 7, "in_progress")]),
    ("family_relationships", "We want fewer arguments at home and to do something fun together each week",
     [("Family time on Saturday mornings at the park", "parent", 7, "in_progress"),
      ("Parenting course place for {p1}", "lead", 28, "not_started")]),
)
DROPPED = "The family found the school already covers uniform through its own fund"


def seed_plans(uow: UnitOfWork, actor: Actor, families: int = 6) -> int:
    """Leads, teams and plans on up to `families` demo families with an untouched plan; the goals added."""
    school_lead = next((u for u in plan_repo.possible_leads(uow.session) if u.email.startswith(SCHOOL_LEAD)), None)
    agencies = {a.name: a.id for a in users_repo.list_agencies(uow.session)}
    added = 0
    for index, family in enumerate(families_repo.all_visible(uow.session, actor)[:families]):
        current = plan_repo.get_plan(uow.session, family.id)
        if family.lead_practitioner_id is None or (current is not None and current.version > 0):
            continue
        holder = users_repo.get_user(uow.session, family.lead_practitioner_id)
        if holder is not None:
            added += _write(uow, actor_for_user(holder), family, index, agencies, school_lead)
    uow.commit()
    return added


def _write(uow: UnitOfWork, holder: Actor, family: Family, index: int, agencies: dict, school_lead) -> int:
    view = family_view(uow.keys, family)
    parents, children = [p for p in view.people if p.role == "parent_carer"], view.children
    if not parents or not children or holder.user_id is None:
        return 0
    ctx = {"p1": parents[0].given_name, "child": children[0].given_name}
    if index == 1 and school_lead is not None:
        lead.set_lead(uow, holder, family.id, user_id=school_lead.id, chosen_with_family=True,
                      reason=f"{ctx['p1']} asked for {ctx['child']}'s class teacher, who the family already trusts")
    else:
        lead.set_lead(uow, holder, family.id, user_id=holder.user_id, chosen_with_family=index % 3 != 2)
    for name, role in ((SCHOOL, "Class teacher and attendance lead"), (HEALTH, "Health visitor"),
                       (CHARITY, "Food and money support")):
        if name in agencies:
            team.add_member(uow, holder, family.id, agency_id=agencies[name], role=role)
    team.add_member(uow, holder, family.id, person_id=parents[0].id, role="Parent")
    owners: dict[str, dict] = {
        "school": {"agency_id": agencies.get(SCHOOL)}, "health": {"agency_id": agencies.get(HEALTH)},
        "charity": {"agency_id": agencies.get(CHARITY)}, "lead": {"user_id": holder.user_id},
        "parent": {"person_id": parents[0].id}}
    today = uow.today()
    chosen = [GOALS[(index + i) % len(GOALS)] for i in range(2 + index % 2)]
    for area, title, actions in chosen:
        goal = plan.add_goal(uow, holder, family.id, title=title.format(**ctx), outcome_area=area)
        for description, owner, days, status in actions:
            if not all(owners[owner].values()):
                continue
            made = plan.add_action(uow, holder, family.id, goal.id, description=description.format(**ctx),
                                   owner=owners[owner], due_on=today + dt.timedelta(days=days))
            if status != "not_started":
                plan.set_action_status(uow, holder, family.id, goal.id, made.id, status=status,
                                       reason=DROPPED if status == "dropped" else None)
    return len(chosen)
