"""Checking a referral's answers (the check-answers page) makes the same checks as making it, and writes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from coordination.errors import Conflict, Invalid
from coordination.models import OutboxMessage, Referral, ReferralClock, ReferralEvent
from coordination.services import referrals as service

from .. import factories
from ..conftest import actor_of
from .test_referrals import consent_to

REASON = "Fictional: Rowan has stopped going to school and is withdrawn at home."


def written(uow) -> dict[str, int]:
    """What is in the database once the unit of work commits (audit events are written by the commit)."""
    uow.commit()
    return {model.__name__: uow.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Referral, ReferralEvent, ReferralClock, OutboxMessage, AuditEvent)}


def test_checking_good_answers_writes_nothing_and_says_what_the_receiving_team_will_read(
        uow, make_family, practitioner):
    family = make_family(practitioner)
    camhs = factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")
    consent_to(uow, practitioner, family, camhs, sections=["health"])
    before = written(uow)
    checked = service.check_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "camhs",
                                     camhs.id, REASON, sections_shared=["family_story", "health"])
    assert (checked.covered, checked.holds_case) == (["health"], False)
    assert written(uow) == before
    own = service.check_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "early_help",
                                 practitioner.agency_id, REASON, sections_shared=["health", "family_story"])
    assert (own.covered, own.holds_case) == (["health", "family_story"], True)
    assert written(uow) == before


def test_checking_bad_answers_raises_what_making_the_referral_raises(uow, make_family, practitioner):
    family = make_family(practitioner)
    bad = dict(child_id=family.id, pathway="nowhere", to_agency_id=family.id, reason=" ", urgency="soon",
               sections_shared=["no_such_section"])
    with pytest.raises(Invalid) as checked:
        service.check_referral(uow, actor_of(practitioner), family.id, **bad)
    with pytest.raises(Invalid) as made:
        service.create_referral(uow, actor_of(practitioner), family.id, **bad)
    assert checked.value.errors == made.value.errors
    assert set(checked.value.errors) == {"pathway", "to_agency_id", "child_id", "urgency", "reason",
                                         "sections_shared"}


def test_checking_with_a_key_used_for_another_referral_is_a_conflict_and_writes_nothing(
        uow, make_family, practitioner):
    family = make_family(practitioner)
    actor, child = actor_of(practitioner), family.children[0].id
    service.create_referral(uow, actor, family.id, child, "early_help", practitioner.agency_id, REASON,
                            idempotency_key="k-1")
    uow.commit()
    before = written(uow)
    service.check_referral(uow, actor, family.id, child, "early_help", practitioner.agency_id, REASON,
                           idempotency_key="k-1")  # the same referral: sending it again shows the first
    with pytest.raises(Conflict):
        service.check_referral(uow, actor, family.id, family.children[1].id, "early_help", practitioner.agency_id,
                               REASON, idempotency_key="k-1")
    assert written(uow) == before
