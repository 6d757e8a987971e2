"""Reading referrals: one referral, the lists an actor may see (a receiving team's inbox among them), a child's
journey across pathways, and the assessment behind a referral. Each read is audited (ids and counts only)."""
from __future__ import annotations

import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.repositories import referrals as repo
from coordination.services.sharing import reading
from coordination.services.views import AssessmentView

from .access import check_principal, visible_referral
from .views import ReferralView, referral_view


def get_referral(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> ReferralView:
    """One referral the actor may see (audited). :raise NotFound: otherwise."""
    referral = visible_referral(uow, actor, referral_id)
    uow.audit(actor, "read", "referral", referral.id, family_id=referral.family_id)
    return referral_view(uow, referral)


def list_referrals(uow: UnitOfWork, actor: Actor, status: str | None = None, pathway: str | None = None,
                   child_id: uuid.UUID | None = None, *, received_only: bool = False) -> list[ReferralView]:
    """The referrals the actor may see, oldest first, optionally by status, pathway or child, or only those sent
    to the actor's agency (the receiving team's inbox) (audited)."""
    check_principal(actor)
    rows = repo.list_for(uow.session, actor, status=status, pathway=pathway, child_id=child_id,
                         received_only=received_only)
    uow.audit(actor, "read", "referral", None, entries=len(rows), status=status, pathway=pathway)
    return [referral_view(uow, r) for r in rows]


def journey(uow: UnitOfWork, actor: Actor, child_id: uuid.UUID) -> list[ReferralView]:
    """The child's referrals the actor may see, in the order they were received, each naming the episode it
    follows (linked_from_id, link_kind), so the story across pathways reads as one."""
    return list_referrals(uow, actor, child_id=child_id)


def shared_assessment(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> AssessmentView:
    """What the receiving team sees instead of asking the family again: the whole assessment for the agency
    holding the case; for anyone else, exactly what a live consent or disclosure covers now (the disclosure
    engine; nothing covered → NotFound): services.sharing.reading."""
    referral = visible_referral(uow, actor, referral_id)
    return reading.read_assessment_for(uow, actor, referral.family_id, channel="referral")
