"""The demo borough's family's own view: in one demo family, the parent and a young person (13 or over) are invited
by their lead practitioner, and the young person has told the practitioner something confidential to them (not
shown to their parent). The invitations go to the mail outbox as any would (`MAIL_LOG`, `instance/mail.log` in
development), so a reviewer can open a link there and sign in as either. Through the services (audited as any
invitation); a family that already has an invitation is left alone, so a second seed adds nothing.
"""
from __future__ import annotations

from collections.abc import Callable

from coordination.config import Settings
from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.family_access import YOUNG_PERSON_AGE
from coordination.domain.people import age_on
from coordination.models import Family
from coordination.repositories import families as families_repo
from coordination.repositories import family_access as access_repo
from coordination.repositories import users as users_repo
from coordination.services.assessment import record_voice
from coordination.services.auth import actor_for_user
from coordination.services.families import family_view
from coordination.services.family_view import access
from coordination.services.mail import sender_for
from coordination.services.views import PersonView

PARENT_EMAIL = "demo.parent@family.eastmere.example"
YOUNG_PERSON_EMAIL = "demo.young.person@family.eastmere.example"
CONFIDENTIAL_WORDS = ("I don't want Mum to know yet, but I have been skipping lunch because people laugh at me in "
                      "the canteen. I want to sort it out myself first.")


def _chosen(uow: UnitOfWork, actor: Actor) -> tuple[Family, PersonView, PersonView] | None:
    """The first demo family with a lead practitioner, a parent and a young person of 13 to 17."""
    today = uow.today()
    for family in families_repo.all_visible(uow.session, actor):
        if family.lead_practitioner_id is None:
            continue
        people = [p for p in family_view(uow.keys, family).people if p.left_on is None]
        parents = [p for p in people if p.role == "parent_carer"]
        young = [p for p in people if p.role == "child" and p.date_of_birth
                 and YOUNG_PERSON_AGE <= age_on(p.date_of_birth, today) < 18]
        if parents and young:
            return family, parents[0], young[0]
    return None


def seed_family_view(uow: UnitOfWork, actor: Actor, settings: Settings, say: Callable[[str], None]) -> int:
    """Invite a demo family's parent and young person (emails to the outbox); returns the invitations sent."""
    chosen = _chosen(uow, actor)
    if chosen is None:
        return 0
    family, parent, young = chosen
    if access_repo.list_for_family(uow.session, family.id):
        return 0
    lead_user = users_repo.get_user(uow.session, family.lead_practitioner_id)  # type: ignore[arg-type]
    if lead_user is None:
        return 0
    lead = actor_for_user(lead_user)
    record_voice(uow, lead, family.id, young.id, CONFIDENTIAL_WORDS, "own_words", uow.today(), confidential=True)
    invitations = [
        access.invite(uow, lead, parent.id, PARENT_EMAIL, base_url=settings.public_base_url),
        access.invite(uow, lead, young.id, YOUNG_PERSON_EMAIL, base_url=settings.public_base_url, young_person=True),
    ]
    uow.commit()
    sender = sender_for(settings)
    for invitation in invitations:
        sender.send(invitation.email)
    say(f"The family's own view: {PARENT_EMAIL} (a parent) and {YOUNG_PERSON_EMAIL} (a young person) are invited; "
        f"their links are in the mail outbox, {settings.mail_log}")
    return len(invitations)
