"""Safeguarding disclosures: managers only, lawful basis, justification, expiry; applied by the engine."""
import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

import audit
from coordination.domain.consent import DisclosureState
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.services.sharing import safeguarding

from .. import factories
from ..conftest import actor_of
from .consent_support import give, household, partner, seen, today, write

ALL = ["family_story", "worries", "health", "safety", "strengths"]


@pytest.fixture
def setting(uow, practitioner):
    fam = household(uow, practitioner)
    write(uow, practitioner, fam.id, ALL)
    police, police_key = partner(uow, "Riverside Police", "police")
    school, school_key = partner(uow, "Riverside Primary", "school")
    return fam, (police, police_key), (school, school_key)


def share(uow, user, fam, agency, sections=("safety", "worries"), days=30, basis="public_task", **kw):
    view = safeguarding.record_disclosure(
        uow, actor_of(user), fam.id, agency_id=agency.id, sections=list(sections), lawful_basis=basis,
        justification=kw.pop("justification", "Risk of harm from a visiting adult; consent would prejudice it"),
        expires_on=today(uow) + dt.timedelta(days=days), **kw)
    uow.commit()
    return view


def test_a_managers_disclosure_shows_its_sections_to_the_named_agency_only(uow, manager, setting):
    fam, (police, police_key), (_, school_key) = setting
    view = share(uow, manager, fam, police)
    assert view.state == "live" and view.lawful_basis == "public_task"
    assert "Art 6(1)(e)" in view.lawful_basis_text and "Sch 1 para 18" in view.lawful_basis_text
    assert seen(uow, police_key, fam.id) == {"safety", "worries"}
    assert seen(uow, school_key, fam.id) is None


def test_a_practitioner_cannot_share_without_consent(uow, practitioner, setting):
    fam, (police, _), _ = setting
    with pytest.raises(NotPermitted):
        share(uow, practitioner, fam, police)


def test_another_agencys_manager_does_not_find_the_family(uow, setting, other_council_team):
    fam, (police, _), _ = setting
    stranger = factories.UserFactory(agency=other_council_team, role="manager", email="mo.manager@example.org")
    with pytest.raises(NotFound):
        share(uow, stranger, fam, police)


@pytest.mark.parametrize(("changes", "field"), [
    ({"basis": "consent"}, "lawful_basis"),
    ({"basis": ""}, "lawful_basis"),
    ({"justification": "   "}, "justification"),
    ({"days": 0}, "expires_on"),
    ({"days": 91}, "expires_on"),
    ({"sections": []}, "sections"),
    ({"sections": ["secrets"]}, "sections"),
])
def test_invalid_disclosures_are_refused_with_the_field(uow, manager, setting, changes, field):
    fam, (police, _), _ = setting
    with pytest.raises(Invalid) as caught:
        share(uow, manager, fam, police, **changes)
    assert field in caught.value.errors


def test_a_disclosure_cannot_be_made_to_the_agency_holding_the_case(uow, manager, early_help, setting):
    fam, *_ = setting
    with pytest.raises(Invalid) as caught:
        share(uow, manager, fam, early_help)
    assert "agency_id" in caught.value.errors


@pytest.mark.parametrize("basis", ["public_task", "legal_obligation", "vital_interests"])
def test_each_lawful_basis_from_domain_md_is_accepted(uow, manager, setting, basis):
    fam, (police, police_key), _ = setting
    assert share(uow, manager, fam, police, basis=basis, days=90).lawful_basis == basis


def test_a_disclosure_ends_on_its_expiry_date(uow, manager, setting):
    fam, (police, police_key), _ = setting
    share(uow, manager, fam, police, days=10)
    start = uow.now()
    uow.now = lambda: start + dt.timedelta(days=9)
    assert seen(uow, police_key, fam.id) == {"safety", "worries"}
    uow.now = lambda: start + dt.timedelta(days=10)
    assert seen(uow, police_key, fam.id) is None


def test_revoking_a_disclosure_is_effective_on_the_next_read(uow, manager, setting):
    fam, (police, police_key), _ = setting
    view = share(uow, manager, fam, police)
    assert seen(uow, police_key, fam.id)
    safeguarding.revoke_disclosure(uow, actor_of(manager), view.id, "Risk assessed as reduced")
    uow.commit()
    assert seen(uow, police_key, fam.id) is None
    with pytest.raises(Conflict):
        safeguarding.revoke_disclosure(uow, actor_of(manager), view.id, "again")


def test_a_disclosure_applies_even_where_the_young_person_refused(uow, practitioner, manager, setting):
    fam, (police, police_key), _ = setting
    give(uow, practitioner, fam.id, fam.teen, capacity="young_person", sections=["health", "child_voice"],
         agencies=[police], decision="refuse")
    share(uow, manager, fam, police, sections=["health"])
    assert seen(uow, police_key, fam.id) == {"health"}


def test_consent_and_disclosure_together_show_the_union_each_with_its_authority(uow, practitioner, manager, setting):
    from coordination.services.sharing import disclosure

    fam, (police, police_key), _ = setting
    given = give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "safety"], agencies=[police])
    shared = share(uow, manager, fam, police, sections=["safety", "worries"])
    permitted = disclosure.permitted_sections(uow.session, police_key, fam.id, uow.now())
    assert {k: [(a.kind, a.id) for a in v] for k, v in permitted.items()} == {
        "strengths": [("consent", given.id)],
        "safety": [("consent", given.id), ("disclosure", shared.id)],
        "worries": [("disclosure", shared.id)],
    }
    assert seen(uow, police_key, fam.id) == {"strengths", "safety", "worries"}


def test_recording_a_disclosure_is_audited_with_its_lawful_basis_and_no_justification_text(uow, manager, setting):
    fam, (police, police_key), _ = setting
    view = share(uow, manager, fam, police, justification="Uncle Bartholomew threatened the children")
    seen(uow, police_key, fam.id)
    events = uow.session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.family_id == str(fam.id),
                                       audit.AuditEvent.action.in_(["create", "disclose"]),
                                       audit.AuditEvent.record_type.in_(["disclosure", "assessment"]))
        .order_by(audit.AuditEvent.seq)).scalars().all()
    created, disclosed = events
    assert created.actor_user_id == str(manager.id) and created.sections == ["safety", "worries"]
    assert created.authority == {"kind": "disclosure", "id": str(view.id), "lawful_basis": "public_task"}
    assert created.details["recipient_agency_id"] == str(police.id)
    assert disclosed.authority["kind"] == "disclosure" and disclosed.authority["disclosures"] == [str(view.id)]
    assert disclosed.authority["sections"]["safety"] == [
        {"kind": "disclosure", "id": str(view.id), "lawful_basis": "public_task"}]
    dump = " ".join(str(row) for table in ("audit_event", "disclosure")
                    for row in uow.session.connection().execute(text(f"SELECT * FROM {table}")))  # noqa: S608
    assert "Bartholomew" not in dump


def test_the_oversight_page_lists_the_agencys_disclosures_for_managers_only(
        uow, practitioner, manager, outsider, setting, other_council_team):
    fam, (police, _), (school, _) = setting
    first = share(uow, manager, fam, police)
    second = share(uow, manager, fam, school, sections=["health"])
    safeguarding.revoke_disclosure(uow, actor_of(manager), second.id, "No longer needed")
    uow.commit()
    listed = safeguarding.list_disclosures_for_oversight(uow, actor_of(manager))
    assert {v.id for v in listed} == {first.id, second.id}
    mine = next(v for v in listed if v.id == first.id)
    assert mine.family_reference and mine.agency_name == "Riverside Police" and mine.decided_by_name == manager.name
    assert mine.justification.startswith("Risk of harm")
    live = safeguarding.list_disclosures_for_oversight(uow, actor_of(manager), state=DisclosureState.LIVE)
    assert [v.id for v in live] == [first.id]
    with pytest.raises(NotPermitted):
        safeguarding.list_disclosures_for_oversight(uow, actor_of(practitioner))
    stranger = factories.UserFactory(agency=other_council_team, role="manager", email="mo.manager@example.org")
    assert safeguarding.list_disclosures_for_oversight(uow, actor_of(stranger)) == []


def test_the_family_record_lists_its_disclosures_for_staff(uow, practitioner, manager, outsider, setting):
    fam, (police, _), _ = setting
    view = share(uow, manager, fam, police)
    assert [v.id for v in safeguarding.list_family_disclosures(uow, actor_of(practitioner), fam.id)] == [view.id]
    with pytest.raises(NotFound):
        safeguarding.list_family_disclosures(uow, actor_of(outsider), fam.id)


def test_agency_ids_may_arrive_as_text_and_nonsense_is_a_field_error(uow, manager, setting):
    fam, (police, police_key), _ = setting
    view = safeguarding.record_disclosure(
        uow, actor_of(manager), fam.id, agency_id=str(police.id), sections=["safety"], lawful_basis="public_task",
        justification="Risk", expires_on=today(uow) + dt.timedelta(days=5))
    assert view.agency_id == police.id
    with pytest.raises(Invalid) as caught:
        safeguarding.record_disclosure(
            uow, actor_of(manager), fam.id, agency_id="not-an-id", sections=["safety"], lawful_basis="public_task",
            justification="Risk", expires_on=today(uow) + dt.timedelta(days=5))
    assert "agency_id" in caught.value.errors


@pytest.mark.parametrize("change", [
    "UPDATE disclosure SET expires_on = expires_on + 1",
    "UPDATE disclosure SET lawful_basis = 'vital_interests'",
    "UPDATE disclosure_section SET section_key = 'health'",
])
def test_the_database_refuses_to_change_a_recorded_disclosure(uow, manager, setting, change):
    fam, (police, _), _ = setting
    share(uow, manager, fam, police)
    if uow.session.bind.dialect.name == "sqlite":
        change = change.replace("expires_on + 1", "date(expires_on, '+1 day')")
    with pytest.raises(DBAPIError, match="immutable|never change"):
        uow.session.execute(text(change))
    uow.rollback()


def test_a_revocation_is_final_in_the_database(uow, manager, setting):
    fam, (police, police_key), _ = setting
    view = share(uow, manager, fam, police)
    safeguarding.revoke_disclosure(uow, actor_of(manager), view.id, "Ended")
    uow.commit()
    with pytest.raises(DBAPIError, match="immutable"):
        uow.session.execute(text("UPDATE disclosure SET revoked_at = NULL, revoked_by_id = NULL"))
    uow.rollback()
    assert seen(uow, police_key, fam.id) is None
