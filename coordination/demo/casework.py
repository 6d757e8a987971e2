"""The demo borough's casework on top of its families and referrals, in the order each step needs the last:
case notes, contacts, consents and the school's reads, plans, then reviews, closures and feedback, and last the
statutory returns' census details."""
from __future__ import annotations

from coordination.db import UnitOfWork
from coordination.demo import census, notes, people, plans, reviews, sharing
from coordination.domain.actors import Actor


def seed_casework(uow: UnitOfWork, actor: Actor) -> None:
    notes.seed_notes(uow, actor)
    people.seed_contacts(uow, actor)
    sharing.seed_sharing(uow, actor)
    plans.seed_plans(uow, actor)
    reviews.seed_reviews(uow, actor)
    census.seed_census(uow, actor)
