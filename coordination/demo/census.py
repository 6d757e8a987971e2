"""The demo borough's census details, so its CIN census validates as a real authority's would: each child's sex,
ethnicity (a spread like an English town's), disabilities and, for the under-fives with no UPN, why; each social
care referral's primary need, the factors its assessment found and, when closed, its reason for closure; the
finer referral source of the health teams (health visiting 3B, school nursing 3C, the GP 3A, CAMHS 3F).

Written through the census details service (audited as real entries are) by the system actor, derived from each
family's reference with its own `random.Random`, and only where nothing is recorded yet: a second seed adds
nothing. Two children are left without an ethnicity, so the pre-submission report has something to show.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.people import age_on
from coordination.models import Agency, Family, Referral
from coordination.repositories import families as families_repo
from coordination.services import census_details

FEMALE = frozenset({"Amara", "Zainab", "Maja", "Freya", "Precious", "Ruby", "Chloe", "Isla", "Hana", "Nia", "Sienna",
                    "Aisha", "Lily", "Poppy", "Esme", "Grace", "Maisie", "Niamh", "Zara", "Amelia", "Evie", "Layla",
                    "Ivy"})
ETHNICITY = (("WBRI", 58), ("WOTH", 9), ("WROM", 1), ("MWBC", 3), ("MWBA", 2), ("MWAS", 2), ("MOTH", 2),
             ("AIND", 3), ("APKN", 5), ("ABAN", 2), ("AOTH", 1), ("BAFR", 5), ("BCRB", 2), ("BOTH", 1),
             ("CHNE", 1), ("OOTH", 2), ("REFU", 1))
DISABILITIES = ("LD", "COMM", "AUT", "BEH", "HEAR", "VIS", "MOB")
PRIMARY_NEED = (("N1", 48), ("N2", 9), ("N3", 8), ("N4", 12), ("N5", 13), ("N6", 3), ("N7", 1), ("N8", 6))
FACTORS = ("4B", "3B", "3A", "2B", "1B", "16A", "17A", "4A", "14A", "7A", "10A", "11A", "24A", "6B", "5B", "13A")
SOURCES = {"Eastmere Health Visiting Service (fictional)": "3B", "Eastmere School Nursing Service (fictional)": "3C",
           "Marsh Lane Surgery (fictional)": "3A", "Eastmere CAMHS (fictional)": "3F",
           "Eastmere Mental Health Support Team in Schools (fictional)": "3F",
           "Eastmere SEND Service (fictional)": "2B"}
NO_ETHNICITY = 2  # children left without an ethnicity, for the pre-submission report


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def seed_census(uow: UnitOfWork, actor: Actor) -> int:
    """Census details on every demo child and social care referral that has none; how many were written."""
    written = 0
    for agency in uow.session.execute(select(Agency).where(Agency.name.in_(list(SOURCES)))).scalars():
        if agency.census_referral_source is None:
            agency.census_referral_source = SOURCES[agency.name]
    today, missing = uow.today(), 0
    for family in families_repo.all_visible(uow.session, actor):
        written += _children(uow, actor, family, today, skip_ethnicity=missing < NO_ETHNICITY)
        if any(p.role == "child" and p.unseal(uow.keys, "ethnicity") is None for p in family.people):
            missing += 1
    uow.commit()
    referrals = uow.session.execute(select(Referral).where(Referral.pathway == "social_care", Referral.decision
                                                           == "accept", Referral.primary_need.is_(None))
                                    .order_by(Referral.received_on, Referral.id)).scalars().all()
    for referral in referrals:
        written += _referral(uow, actor, referral)
    uow.commit()
    return written


def _children(uow: UnitOfWork, actor: Actor, family: Family, today: dt.date, *, skip_ethnicity: bool) -> int:
    rng = random.Random(f"eastmere-census-{family.reference}")
    done = 0
    for person in sorted((p for p in family.people if p.role == "child"), key=lambda p: p.position):
        if person.sex_ct is not None:
            continue
        name = person.unseal(uow.keys, "given_name") or ""
        dob = person.unseal(uow.keys, "date_of_birth")
        age = age_on(dt.date.fromisoformat(dob), today) if dob else None
        has_upn = person.upn_ct is not None
        disabilities = ["NONE"] if rng.random() < 0.85 else rng.sample(DISABILITIES, rng.choice((1, 1, 2)))
        census_details.update_child_census(
            uow, actor, person.id, sex="F" if name in FEMALE else "M",
            ethnicity=None if skip_ethnicity and done == 0 else _weighted(rng, ETHNICITY), disabilities=disabilities,
            upn_unknown=None if has_upn else ("UN1" if age is not None and age < 6 else "UN2"))
        done += 1
    return done


def _referral(uow: UnitOfWork, actor: Actor, referral: Referral) -> int:
    rng = random.Random(f"eastmere-census-referral-{referral.received_on.isoformat()}-{referral.child_id}")
    authorised = any(e.kind == "entered:assessment_authorised" for e in referral.events)
    factors = rng.sample(FACTORS, rng.choice((1, 2, 2, 3))) if authorised else []
    census_details.update_referral_census(uow, actor, referral.id, primary_need=_weighted(rng, PRIMARY_NEED),
                                          assessment_factors=factors)
    if referral.closed_at is not None and referral.reason_for_closure is None:
        planned = any(e.kind == "entered:child_in_need_plan" for e in referral.events)
        # After a child in need plan: services ended (RC7), or the family moved away (RC5). Straight after the
        # assessment: stepped down to early help (RC9) or no further action (RC8).
        referral.reason_for_closure = (("RC5" if rng.random() < 0.1 else "RC7") if planned
                                       else ("RC9" if rng.random() < 0.6 else "RC8"))
    return 1

