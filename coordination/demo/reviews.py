"""The demo borough's Family Help around the plan, on the families demo/plans.py gave a plan: one mid-plan with two
reviews, one with its review overdue, one stepped up with the same plan carried on, one closed with each goal's
outcome and its feedback answered, one with family group decision-making offered and held, one with feedback not
yet answered (a task). Written through the services (versioned and audited), fictional, and only on families with
none of these yet, so a second seed adds nothing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.models import Family
from coordination.repositories import families as families_repo
from coordination.repositories import family_help as repo
from coordination.repositories import plan as plan_repo
from coordination.repositories import users as users_repo
from coordination.services.auth import actor_for_user
from coordination.services.families import family_view
from coordination.services.family_help import closure, feedback, fgdm, reviews

WORDS = ("I like it when we walk to school together", "A drawing of everyone at the park, smiling",
         "Mornings are still a bit shouty but better")


def _review(uow: UnitOfWork, holder: Actor, family: Family, days_ago: int, score: int, *, heard: bool = True
            ) -> None:
    view = family_view(uow.keys, family)
    plan = plan_repo.get_plan(uow.session, family.id)
    assert plan is not None
    views = [{"child_id": c.id, "method": "own_words", "words": WORDS[i % len(WORDS)]} if heard or i == 0 else
             {"child_id": c.id, "method": "not_had", "reason": f"{c.given_name} was at a friend's house"}
             for i, c in enumerate(view.children)]
    parent = next((p.given_name for p in view.people if p.role == "parent_carer"), "Parent")
    reviews.record_review(uow, holder, family.id, held_on=uow.today() - dt.timedelta(days=days_ago),
                          attendees=[f"{parent} (parent)", "Class teacher", "Family support worker"],
                          family_view="Things are a bit easier; the money worries are still there.",
                          child_views=views, progress=[{"goal_id": g.id, "score": score} for g in plan.goals],
                          decisions="Keep the walking bus going; book the money advice appointment.")


def _mid_plan(uow: UnitOfWork, holder: Actor, family: Family) -> None:
    _review(uow, holder, family, 56, 3)
    _review(uow, holder, family, 14, 6, heard=False)


def _overdue(uow: UnitOfWork, holder: Actor, family: Family) -> None:
    _review(uow, holder, family, 56, 4)  # the next was due six weeks later: a fortnight ago


def _stepped_up(uow: UnitOfWork, holder: Actor, family: Family) -> None:
    _review(uow, holder, family, 21, 2)
    closure.close_plan(uow, holder, family.id, closed_on=uow.today() - dt.timedelta(days=7), reason="step_up",
                       feedback_sought=False)


def _closed(uow: UnitOfWork, holder: Actor, family: Family) -> None:
    _review(uow, holder, family, 42, 7)
    plan = plan_repo.get_plan(uow.session, family.id)
    assert plan is not None
    outcomes = ("met", "partly_met", "not_met")
    said = feedback.add_feedback(uow, holder, family.id, said="Having one worker who knew everything really helped",
                                 received_on=uow.today() - dt.timedelta(days=10))
    feedback.respond(uow, holder, said.id, we_did="We shared this with the team and kept one lead for each family")
    closure.close_plan(uow, holder, family.id, closed_on=uow.today() - dt.timedelta(days=3), reason="needs_met",
                       feedback_sought=True, goals=[{"goal_id": g.id, "outcome": outcomes[i % 3]}
                                                    for i, g in enumerate(plan.goals)])


def _fgdm(uow: UnitOfWork, holder: Actor, family: Family) -> None:
    parent = next((p for p in family.people if p.role == "parent_carer"), None)
    if parent is None:
        return
    offered = uow.today() - dt.timedelta(days=20)
    record = fgdm.record_fgdm(uow, holder, family.id, offered_on=offered, offered_to_id=parent.id)
    fgdm.record_fgdm(uow, holder, family.id, record.id, offered_on=offered, offered_to_id=parent.id,
                     response="accepted", response_by_id=parent.id, meeting_on=uow.today() - dt.timedelta(days=6),
                     attendees=[{"name": "Auntie Jo", "relationship": "aunt"},
                                {"name": "Grandad Ray", "relationship": "grandfather"}], child_attended=True,
                     family_plan="Jo does the school run on Tuesdays and Thursdays; Grandad has the children on "
                                 "Saturday mornings so Mum can rest.")


def _unanswered(uow: UnitOfWork, holder: Actor, family: Family) -> None:
    parent = next((p for p in family.people if p.role == "parent_carer"), None)
    feedback.add_feedback(uow, holder, family.id, said="The meetings are always when I am at work",
                          from_person_id=parent.id if parent else None)


STAGES: tuple[Callable[[UnitOfWork, Actor, Family], None], ...] = (
    _mid_plan, _overdue, _stepped_up, _closed, _fgdm, _unanswered)


def seed_reviews(uow: UnitOfWork, actor: Actor) -> int:
    """Each stage on one demo family with a plan and goals and nothing of this yet; how many were seeded."""
    stages, done = list(STAGES), 0
    for family in families_repo.all_visible(uow.session, actor):
        if not stages:
            break
        plan = plan_repo.get_plan(uow.session, family.id)
        if plan is None or not plan.goals or family.lead_practitioner_id is None:
            continue
        if repo.reviews_of(uow.session, plan.id) or repo.closures_of(uow.session, plan.id) \
                or repo.feedback_of(uow.session, family.id) or repo.fgdm_of(uow.session, family.id):
            stages = stages[1:]  # seeded before: this family holds its stage already
            continue
        holder = users_repo.get_user(uow.session, family.lead_practitioner_id)
        if holder is None:
            continue
        stages.pop(0)(uow, actor_for_user(holder), family)
        done += 1
    uow.commit()
    return done
