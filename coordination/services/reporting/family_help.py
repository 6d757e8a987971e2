"""The Family Help measures for managers (dashboard and GET /metrics/family-help): the definitions and the
arithmetic are domain.measures' (FAMILY_HELP_MEASURES, family_help_figures); this reads the period's facts for
the families the manager's agency holds."""
from __future__ import annotations

import datetime as dt

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.measures import (
    FAMILY_HELP_MEASURES,
    ClosureFact,
    FeedbackFact,
    ReviewFact,
    family_help_figures,
    period_problem,
)
from coordination.domain.permissions import Action, may
from coordination.errors import Invalid, NotPermitted
from coordination.repositories import family_help as repo


def family_help_measures(uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date) -> dict:
    """Every Family Help measure for the period (inclusive).

    :raise NotPermitted: not a manager.  :raise Invalid: `to` before `from`, or a period over 5 years.
    """
    if not may(actor, Action.VIEW_METRICS):
        raise NotPermitted("Only managers can see the Family Help measures")
    if problem := period_problem(first, last):
        raise Invalid("Check the period", {"to": [problem]})
    reviews = [ReviewFact(r.on_time, r.every_child_heard) for r in repo.reviews_held(uow.session, actor, first, last)]
    closures = [ClosureFact(c.reason, c.handover, tuple(o.outcome for o in c.outcomes))
                for c in repo.closures_in(uow.session, actor, first, last)]
    feedback = [FeedbackFact(f.received_on, f.answered_on)
                for f in repo.feedback_received(uow.session, actor, first, last)]
    figures = family_help_figures(reviews, closures, feedback)
    uow.audit(actor, "read", "metrics", None, report="family_help", first=first.isoformat(), last=last.isoformat())
    return {"from": first, "to": last, **figures,
            "definitions": [{"key": m.key, "title": m.title, "definition": m.definition}
                            for m in FAMILY_HELP_MEASURES]}
