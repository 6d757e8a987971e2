"""Two-person issuing of partner API keys at the service level: no single admin ends up holding a working key.

An admin asks for a key (pending, first part of the secret); a second person confirms it (second part).
Neither part alone, nor the issuer confirming their own key, nor a key for a case-holding team, works.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.crypto import token_digest
from coordination.domain.actors import Actor
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted, Unauthenticated
from coordination.models import ApiKey
from coordination.services import api_keys as keys_service
from coordination.services import auth as auth_service

from .. import factories
from ..conftest import actor_of

SCOPES = ["read:assessment", "referrals"]


@pytest.fixture
def school(uow):
    return factories.AgencyFactory(name="Willow Lane Primary School", type="school")


@pytest.fixture
def school_manager(school):
    return factories.UserFactory(agency=school, role="manager", email="head.teacher@example.org")


def _works(uow, secret: str) -> bool:
    try:
        actor = auth_service.authenticate_bearer(uow, secret)
    except Unauthenticated:
        return False
    return actor.is_partner


def _ask(uow, admin, agency, scopes=SCOPES):
    view, first = keys_service.request_api_key(uow, actor_of(admin), agency.id, "School MIS", scopes)
    uow.commit()
    return view, first


def test_no_single_admin_ends_up_holding_a_working_key(uow, admin_user, second_admin, school):
    view, first = _ask(uow, admin_user, school)
    assert view.state == "pending" and first.startswith("cck_") and view.prefix == first[:11]
    assert not _works(uow, first)
    with pytest.raises(NotPermitted):  # the issuer cannot confirm their own key
        keys_service.confirm_api_key(uow, actor_of(admin_user), view.id)
    uow.rollback()
    with pytest.raises(NotPermitted):  # nor issue a working key directly
        auth_service.issue_api_key(uow, actor_of(admin_user), school.id, "Direct", SCOPES)
    uow.rollback()

    confirmed, second = keys_service.confirm_api_key(uow, actor_of(second_admin), view.id)
    uow.commit()
    assert confirmed.state == "active" and confirmed.confirmed_by == second_admin.name
    assert confirmed.issued_by == admin_user.name
    # Each person holds one part, and one part opens nothing, whatever it is paired with.
    for alone in (first, second, "cck_" + second, f"{first}.", f"{first}.{first[4:]}", f"cck_{second}.{second}"):
        assert not _works(uow, alone), alone
    actor = auth_service.authenticate_bearer(uow, f"{first}.{second}")
    assert actor.agency_id == school.id and actor.scopes == frozenset(SCOPES)
    # Neither part, nor the whole key, is kept: only digests (the whole key's is not the first part's).
    row = uow.session.get(ApiKey, view.id)
    assert row.digest not in (token_digest(first), token_digest(second), token_digest(f"{first}.{second}"))
    with pytest.raises(Conflict):
        keys_service.confirm_api_key(uow, actor_of(second_admin), view.id)


def test_asking_and_confirming_are_audited_without_the_secret(uow, admin_user, second_admin, school):
    view, first = _ask(uow, admin_user, school)
    _view, second = keys_service.confirm_api_key(uow, actor_of(second_admin), view.id)
    uow.commit()
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.record_id == str(view.id))
                                 .order_by(AuditEvent.seq)).scalars().all()
    assert [(e.action, e.actor_user_id, e.details.get("state")) for e in events] == [
        ("issue_credential", str(admin_user.id), "pending"), ("confirm_credential", str(second_admin.id), None)]
    assert events[1].details["issued_by"] == str(admin_user.id)
    text = str([e.details for e in events])
    assert first[4:20] not in text and second[:16] not in text


def test_a_manager_of_the_receiving_agency_may_confirm_and_others_may_not(
        uow, admin_user, school, school_manager, manager, practitioner):
    view, first = _ask(uow, admin_user, school)
    for other in (manager, practitioner):  # a council manager sees the key but does not confirm it
        with pytest.raises(NotPermitted):
            keys_service.confirm_api_key(uow, actor_of(other), view.id)
        uow.rollback()
    other_school = factories.AgencyFactory(name="Elm Street Academy", type="school")
    elsewhere = factories.UserFactory(agency=other_school, role="manager", email="elm.head@example.org")
    with pytest.raises(NotFound):  # another partner's manager does not even see it
        keys_service.confirm_api_key(uow, actor_of(elsewhere), view.id)
    uow.rollback()
    _view, second = keys_service.confirm_api_key(uow, actor_of(school_manager), view.id)
    uow.commit()
    assert _works(uow, f"{first}.{second}")


@pytest.mark.parametrize("agency_type", ["council_early_help", "social_care"])
def test_admins_cannot_ask_for_a_key_for_a_case_holding_team(uow, admin_user, agency_type):
    team = factories.AgencyFactory(name=f"Eastfield {agency_type}", type=agency_type)
    with pytest.raises(Invalid) as caught:
        keys_service.request_api_key(uow, actor_of(admin_user), team.id, "Case system", SCOPES)
    assert list(caught.value.errors) == ["agency_id"]
    uow.rollback()
    assert uow.session.execute(select(ApiKey)).scalars().all() == []


def test_the_key_list_is_scoped(uow, admin_user, school, school_manager, manager, practitioner):
    _ask(uow, admin_user, school)
    other_school = factories.AgencyFactory(name="Elm Street Academy", type="school")
    _ask(uow, admin_user, other_school)
    assert len(keys_service.list_api_keys(uow, actor_of(admin_user))) == 2
    assert len(keys_service.list_api_keys(uow, actor_of(manager))) == 2  # oversight by the council's managers
    assert [k.agency_id for k in keys_service.list_api_keys(uow, actor_of(school_manager))] == [school.id]
    with pytest.raises(NotPermitted):
        keys_service.list_api_keys(uow, actor_of(practitioner))


def test_operator_keys_work_at_once_and_older_one_part_keys_still_work(uow, school):
    row, secret = auth_service.issue_api_key(uow, Actor.system("cli"), school.id, "CLI key", ["read:assessment"])
    uow.commit()
    assert _works(uow, secret) and not _works(uow, secret.partition(".")[0])
    legacy = "cck_" + "L" * 43  # a key issued before keys had two parts (the migration confirms them)
    uow.session.add(ApiKey(agency_id=school.id, name="Old", digest=token_digest(legacy), prefix=legacy[:11],
                           scopes=["read:assessment"], confirmed_at=row.confirmed_at))
    uow.commit()
    assert _works(uow, legacy)
