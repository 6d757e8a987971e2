"""The demo borough's casework on top of its families and referrals, in the order each step needs the last:
case notes, contacts, consents and the school's reads, plans, then reviews, closures and feedback,
the assessment status of two families (one signed off, one part-complete), the North team manager's view
(families waiting for a lead, an oversight note), and last the statutory returns' census details
and SEN2's EHC details."""
from __future__ import annotations

from coordination.db import UnitOfWork
from coordination.demo import assessments, census, notes, people, plans, reviews, sen2, sharing, team
from coordination.domain.actors import Actor


def seed_casework(uow: UnitOfWork, actor: Actor) -> None:
    notes.seed_notes(uow, actor)
    people.seed_contacts(uow, actor)
    sharing.seed_sharing(uow, actor)
    plans.seed_plans(uow, actor)
    reviews.seed_reviews(uow, actor)
    assessments.seed_assessment_status(uow, actor)
    team.seed_team(uow, actor)
    census.seed_census(uow, actor)
    sen2.seed_sen2(uow, actor)
