"""The demo borough's EHC details, so its SEN2 return has content: for each request for an EHC needs assessment,
the decision whether to assess on the day it was decided, the decision to issue a plan on the day the draft plan
began, the plan's start on the day the final plan was issued, its placement (the child's school's fictional URN,
or now and then a setting that is not a school; the day the child started there; for a few, the school's SEN unit
or resourced provision), the child's needs and, for a few, mediation or a tribunal, and one plan ceased when the
family moved to another authority. Requests not decided yet are left "A".

Written through the EHC details service (audited as real entries are) by the system actor, derived from each
request's received date and child with its own `random.Random`, and only where nothing is recorded yet: a second
seed adds nothing. Every plan has its needs and placement items, so the demo's SEN2 holds every item the schema
makes mandatory (tests/integration/test_sen2_schema.py); the pre-submission report shows the children's gaps.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import england_date
from coordination.models import EhcDetails, Person, Referral
from coordination.services import ehc_details

from .people import SCHOOLS

NEEDS = (("ASD", 30), ("SEMH", 20), ("SLCN", 20), ("MLD", 10), ("SPLD", 6), ("SLD", 4), ("PD", 3), ("HI", 2),
         ("VI", 1), ("PMLD", 1), ("MSI", 1), ("OTH", 2))
OTHER_SETTINGS = ("OLA", "EHE", "EYP")
NO_NEEDS = 0  # active plans left without their needs (none: the demo's file holds every mandatory item)


def _entered(referral: Referral, stage: str) -> dt.date | None:
    return next((england_date(e.occurred_at) for e in referral.events if e.kind == f"entered:{stage}"), None)


def _needs(rng: random.Random) -> list[str]:
    first = rng.choices([c for c, _ in NEEDS], [w for _, w in NEEDS])[0]
    if rng.random() < 0.6:
        return [first]
    second = rng.choices([c for c, _ in NEEDS if c != first], [w for c, w in NEEDS if c != first])[0]
    return [first, second]


def _details(uow: UnitOfWork, referral: Referral, rng: random.Random, *, with_needs: bool) -> dict:
    if referral.decided_at is None:
        return {"request_outcome": "A"}
    values: dict = {"request_outcome": "Y", "request_outcome_on": england_date(referral.decided_at),
                    "request_mediation": False, "request_tribunal": False}
    draft, no_plan, final = (_entered(referral, s) for s in ("draft_plan", "no_plan", "final_plan"))
    if draft or no_plan:
        values.update(assessment_outcome="Y" if draft else "N", assessment_outcome_on=draft or no_plan)
    else:
        values["assessment_outcome"] = "A"
    if rng.random() < 0.08:
        values.update(request_mediation=True, request_tribunal=rng.random() < 0.5)
    if draft and final:
        values.update(plan_start_on=final, placement_rank=1, sen_needs=_needs(rng) if with_needs else [])
        child = uow.session.get(Person, referral.child_id)
        urn = child.unseal(uow.keys, "school_urn") if child else None
        in_unit = rng.random() < 0.1
        values.update(sen_unit=in_unit, resourced_provision=not in_unit and rng.random() < 0.1)
        if rng.random() < 0.12:
            values.update(sen_setting=rng.choice(OTHER_SETTINGS), placement_entry_on=final, sen_unit=False,
                          resourced_provision=False)
        else:
            values["placement_urn"] = urn or rng.choice(SCHOOLS)[1]
            # At the school since the September before the plan (the start of that school year).
            values["placement_entry_on"] = dt.date(final.year if final.month >= 9 else final.year - 1, 9, 1)
    return values


def seed_sen2(uow: UnitOfWork, actor: Actor) -> int:
    """EHC details on every demo EHC request that has none; how many were written."""
    referrals = uow.session.execute(
        select(Referral).outerjoin(EhcDetails, EhcDetails.referral_id == Referral.id)
        .where(Referral.pathway == "ehc_needs_assessment", EhcDetails.id.is_(None))
        .order_by(Referral.received_on, Referral.id)).scalars().all()
    written, plans_seen, ceased = 0, 0, False
    today = uow.today()
    for referral in referrals:
        rng = random.Random(f"eastmere-sen2-{referral.received_on.isoformat()}-{referral.child_id}")
        values = _details(uow, referral, rng, with_needs=plans_seen >= NO_NEEDS)
        if "plan_start_on" in values:
            plans_seen += 1
            ends = values["plan_start_on"] + dt.timedelta(days=45)
            if not ceased and values.get("sen_needs") and ends < today:
                values.update(plan_ceased_on=ends, cease_reason="5")  # moved to another authority
                ceased = True
        ehc_details.record_ehc_details(uow, actor, referral.id, **values)
        written += 1
    uow.commit()
    return written
