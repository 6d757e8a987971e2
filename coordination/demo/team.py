"""The demo borough's team view for the North team's manager: two families waiting for a lead practitioner (made
as an accepted referral or a transfer in would leave them: held by the team, no one allocated yet) and a management
oversight note on one of the team's families. Written through the services (audited), fictional, and added only
once: a second seed adds nothing.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from coordination.db import UnitOfWork
from coordination.demo import borough
from coordination.domain.actors import Actor
from coordination.domain.notes import OVERSIGHT_KIND
from coordination.models import CaseNote, Family
from coordination.repositories import users as users_repo
from coordination.services import oversight
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, add_family

MANAGER = f"manager@{borough.DOMAIN}"
# Fictional surnames no one is meant to have; no NHS numbers: not yet known for families just transferred in.
WAITING = (
    ("Bramblecote", [("parent_carer", "Jordan", dt.date(1990, 3, 14)), ("child", "Ellis", dt.date(2019, 9, 2))]),
    ("Quenbury", [("parent_carer", "Casey", dt.date(1987, 11, 30)), ("child", "Noor", dt.date(2012, 1, 19)),
                  ("child", "Ade", dt.date(2016, 6, 8))]),
)
OVERSIGHT = ("Case reviewed in supervision with the lead practitioner. The plan is working: attendance is up and "
             "the family say mornings are calmer. Decision: carry on with early help; no step-up needed now. Next: "
             "book the money advice appointment before the next review and check the child's view is recorded in "
             "their own words.")


def seed_team(uow: UnitOfWork, actor: Actor) -> None:
    manager = users_repo.get_user_by_email(uow.session, MANAGER)
    if manager is None:
        return
    boss = actor_for_user(manager)
    waiting = uow.session.execute(select(func.count(Family.id)).where(
        Family.owning_agency_id == manager.agency_id, Family.lead_practitioner_id.is_(None))).scalar_one()
    if not waiting:
        for surname, people in WAITING:
            add_family(uow, actor, [NewPerson(role, given, surname, born) for role, given, born in people],
                       owning_agency_id=manager.agency_id, lead_practitioner_id=None, created_by_id=manager.id,
                       ward="Northgate", audit_details={"demo": True, "awaiting_allocation": True})
    noted = uow.session.execute(select(func.count(CaseNote.id)).join(Family, Family.id == CaseNote.family_id).where(
        Family.owning_agency_id == manager.agency_id, CaseNote.kind == OVERSIGHT_KIND)).scalar_one()
    if not noted:
        led = uow.session.execute(select(Family.id).where(
            Family.owning_agency_id == manager.agency_id, Family.lead_practitioner_id.is_not(None))
            .order_by(Family.created_at, Family.id).limit(1)).scalar_one_or_none()
        if led is not None:
            oversight.record_oversight(uow, boss, led, text=OVERSIGHT)
    uow.commit()
