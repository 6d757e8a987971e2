"""The demo borough's sharing: a few families agree to share parts of their assessment with Riverside Primary
School, and the school's SENCO reads them, some more than once on a day, so the consents, the access log and the
family's copy of it show something. Through the consent and disclosure services (so every read is audited as
any partner read is); families that already have a consent are left alone, so a second seed adds nothing.
"""
from __future__ import annotations

import datetime as dt
import random

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.repositories import consent as consent_repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services.auth import actor_for_user
from coordination.services.families import family_view
from coordination.services.sharing import consent, disclosure

SCHOOL = "Riverside Primary School (fictional)"
SENCO = "riverside.senco@eastmere.example"
SECTIONS = ("family_story", "strengths", "education_send", "family_plan")
PURPOSE = "So the school can support the children without the family telling their story again"


def seed_sharing(uow: UnitOfWork, actor: Actor, families: int = 5) -> int:
    """Consents for up to `families` demo families with a lead and none yet, each read by the SENCO; reads made."""
    school = users_repo.get_agency_by_name(uow.session, SCHOOL)
    senco = users_repo.get_user_by_email(uow.session, SENCO)
    if school is None or senco is None:
        return 0
    reads = 0
    for family in families_repo.all_visible(uow.session, actor)[:families]:
        if family.lead_practitioner_id is None or consent_repo.list_consents(uow.session, family.id):
            continue
        lead = users_repo.get_user(uow.session, family.lead_practitioner_id)
        parents = [p for p in family_view(uow.keys, family).people if p.role == "parent_carer"]
        if lead is None or not parents:
            continue
        rng = random.Random(f"eastmere-sharing-{family.reference}")
        consent.record_consent(
            uow, actor_for_user(lead), family.id, given_by=parents[0].id, capacity="parent_with_pr",
            sections=list(rng.sample(SECTIONS, rng.randint(2, len(SECTIONS)))),
            recipients={"agencies": [school.id], "agency_types": []}, purpose=PURPOSE, method="written",
            expires_on=uow.today() + dt.timedelta(days=180))
        for _ in range(rng.randint(1, 3)):
            disclosure.disclose_assessment(uow, actor_for_user(senco), family.id, channel="web")
            reads += 1
    uow.commit()
    return reads
