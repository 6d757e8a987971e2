"""Who may act on a referral: the principal check (role or key scope), the referral as the actor may see it, and
the referral for its receiving agency to act on. Visibility itself is the repository's (in the SQL)."""
from __future__ import annotations

import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind
from coordination.domain.pathways import Pathway, default_pathways
from coordination.domain.permissions import may_work_with_referrals
from coordination.errors import NotFound, NotPermitted
from coordination.models import Referral
from coordination.repositories import referrals as repo


def check_principal(actor: Actor) -> None:
    """:raise NotPermitted: an admin (runs the service, reads no cases) or a key without the scope."""
    if not may_work_with_referrals(actor):
        raise NotPermitted("This key lacks the 'referrals' scope" if actor.kind == ActorKind.API_KEY
                           else "Your role cannot work with referrals")


def visible_referral(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """:raise NotPermitted: see check_principal.  :raise NotFound: the actor may not see it."""
    check_principal(actor)
    referral = repo.get_for(uow.session, actor, referral_id)
    if referral is None:
        raise NotFound("Referral not found")
    return referral


def receiving_referral(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """The referral, for its receiving agency (or a system actor) to act on.

    :raise NotFound: the actor may not see it.  :raise NotPermitted: it may see it but is not the receiver.
    """
    referral = visible_referral(uow, actor, referral_id)
    if actor.kind != ActorKind.SYSTEM and actor.agency_id != referral.to_agency_id:
        raise NotPermitted("Only the team the referral was sent to can do this")
    return referral


def pathway_of(referral: Referral) -> Pathway:
    return default_pathways()[referral.pathway]
