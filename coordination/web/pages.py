"""What most family pages start with: who is asking, and the family they may see (404 when they may not); the
same for the Family Help pages (lead, team, plan) and for the pages of one referral."""
from __future__ import annotations

import uuid

from coordination.auth.web import current_actor
from coordination.domain.actors import Actor
from coordination.extensions import uow
from coordination.services import families as families_service
from coordination.services import referrals as referrals_service
from coordination.services.family_help import plan as plan_service
from coordination.services.referrals import ReferralView
from coordination.services.views import FamilyView


def family_page(family_id: uuid.UUID) -> tuple[Actor, FamilyView]:
    """The signed-in actor and the family, read as that actor (scoped by what it may see)."""
    actor = current_actor()
    return actor, families_service.get_family(uow(), actor, family_id)


def family_help_page(family_id: uuid.UUID) -> tuple[Actor, FamilyView]:
    """The same for a page that changes the family's lead, team or plan: the lead practitioner of another agency
    may see it too (services.family_help.plan.family_to_plan_for)."""
    actor = current_actor()
    return actor, plan_service.family_to_plan_for(uow(), actor, family_id)


def referral_page(referral_id: uuid.UUID) -> tuple[Actor, ReferralView, str]:
    """The signed-in actor, the referral it may see (audited as a read; 404 otherwise) and the child's name."""
    actor = current_actor()
    view = referrals_service.get_referral(uow(), actor, referral_id)
    names = referrals_service.child_names(uow(), actor, [view.child_id])
    return actor, view, names.get(view.child_id, "The child")
