"""The demo borough's assessment status: on the demo practitioner's caseload, one family whose assessment is
complete, agreed with a parent and signed off by the demo manager, and one part-complete (a few sections marked
complete, the rest in progress or not started). Through the assessment status service (audited, in the
chronology), fictional, and only where nothing is marked yet, so a second seed adds nothing.
"""
from __future__ import annotations

import datetime as dt

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.assessment_status import is_required
from coordination.domain.calendar import england_date
from coordination.models import Family
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services import assessment, assessment_status
from coordination.services.auth import actor_for_user
from coordination.services.families import family_view

PRACTITIONER = "practitioner@eastmere.example"
MANAGER = "manager@eastmere.example"
PART_COMPLETE = ("family_story", "child_voice", "strengths", "worries")
# Sections the demo family's story left unwritten, in the family's words, so their assessment can be completed.
FILLER = {
    "strengths": "- {p1} never misses an appointment\n- Grandma has {child} after school on Tuesdays",
    "child_development": "{child} is growing well. Loves drawing and football; finds new people hard at first.",
    "parenting": "{p1} keeps a steady routine: tea at six, bath, a story. Bedtimes are calmer than they were.",
    "family_environment": "We rent a two-bedroom flat. Money is tight but the benefit claim is sorted now.",
    "health": "{child} has had no time off sick this term. {p1} sees the GP about low mood and it is helping.",
    "education_send": "{child} goes to school every day this term. No special educational needs identified.",
    "safety": "No worries about harm have been raised by the family or by anyone working with them.",
}


def seed_assessment_status(uow: UnitOfWork, actor: Actor) -> int:
    """The two families' statuses (only on families with nothing marked yet); how many families were changed."""
    holder = users_repo.get_user_by_email(uow.session, PRACTITIONER)
    manager = users_repo.get_user_by_email(uow.session, MANAGER)
    if holder is None or manager is None:
        return 0
    lead, boss = actor_for_user(holder), actor_for_user(manager)
    caseload = [f for f in families_repo.all_visible(uow.session, lead) if f.lead_practitioner_id == holder.id]
    candidates = [f for f in caseload if _has_a_parent(uow, f)]
    if len(candidates) < 2 or any(_marked(uow, f) for f in caseload):
        return 0
    # The part-complete one: the family with most written, so it shows each status (not started to completed).
    signed = candidates[0]
    part = max(candidates[1:], key=lambda f: (_written(uow, f), -candidates.index(f)))
    _sign_off(uow, lead, boss, signed)
    _part_complete(uow, lead, part)
    uow.commit()
    return 2


def _has_a_parent(uow: UnitOfWork, family: Family) -> bool:
    view = family_view(uow.keys, family)
    return any(p.role == "parent_carer" and p.in_household for p in view.people) and bool(view.children)


def _written(uow: UnitOfWork, family: Family) -> int:
    head = assessment_repo.get_assessment(uow.session, family.id)
    return sum(s.version > 0 for s, _d, _v in assessment_repo.list_sections(uow.session, head.id)) if head else 0


def _marked(uow: UnitOfWork, family: Family) -> bool:
    return bool(assessment_repo.list_status_events(uow.session, family.id))


def _sign_off(uow: UnitOfWork, lead: Actor, manager: Actor, family: Family) -> None:
    view = family_view(uow.keys, family)
    parent = next(p for p in view.people if p.role == "parent_carer" and p.in_household)
    words = {"p1": parent.given_name, "child": view.children[0].given_name}
    current = assessment.get_assessment(uow, lead, family.id)
    for section in current.sections:
        if not section.started and section.key in FILLER:
            assessment.save_section(uow, lead, family.id, section.key, FILLER[section.key].format(**words), 0)
    for section in assessment.get_assessment(uow, lead, family.id).sections:
        if section.started and (is_required(section.key) or section.key == "family_plan"):
            assessment_status.mark_section(uow, lead, family.id, section.key, "completed")
    agreed_on = max(uow.today() - dt.timedelta(days=3), england_date(family.created_at))
    if agreed_on > uow.today():  # seeded with a clock set back (a test's census year): no agreement to record
        return
    assessment_status.record_agreement(uow, lead, family.id, parent.id, agreed_on)
    assessment_status.sign_off(uow, manager, family.id)


def _part_complete(uow: UnitOfWork, lead: Actor, family: Family) -> None:
    for section in assessment.get_assessment(uow, lead, family.id).sections:
        if section.started and section.key in PART_COMPLETE:
            assessment_status.mark_section(uow, lead, family.id, section.key, "completed")
