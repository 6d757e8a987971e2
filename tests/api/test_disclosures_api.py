"""Safeguarding disclosures through the API: a manager shares without consent, withholds it from the family's
view, revokes it (effective on the next partner read); practitioners cannot."""
from __future__ import annotations

import datetime as dt

import pytest

from .conftest import assert_problem, audit_events, partner_key, staff_api


@pytest.fixture
def boss(client, uow, manager):
    return staff_api(client, uow, manager)


@pytest.fixture
def family(practitioner, make_family):
    return make_family(practitioner)


def share(api, family, agency, **changes):
    return api.post(f"/families/{family.id}/disclosures", json={
        "agency_id": str(agency.id), "sections": ["safety", "worries"], "lawful_basis": "public_task",
        "justification": "Child disclosed harm at school",
        "expires_on": (dt.date.today() + dt.timedelta(days=14)).isoformat(), **changes})


def test_manager_shares_without_consent_and_the_decision_is_audited_without_its_words(uow, boss, manager, family,
                                                                                      school):
    made = share(boss, family, school)
    assert made.status_code == 201, made.json
    body = made.json
    assert (body["family_id"], body["agency_id"], body["agency_name"]) == (str(family.id), str(school.id), school.name)
    assert sorted(body["sections"]) == ["safety", "worries"]
    assert (body["state"], body["lawful_basis"], body["decided_by"]) == ("live", "public_task", str(manager.id))
    assert body["justification"] == "Child disclosed harm at school" and body["withheld_from_family"] is False
    assert "6(1)(e)" in body["lawful_basis_text"]
    event = audit_events(uow, record_type="disclosure", action="create")[-1]
    assert event.record_id == body["id"] and sorted(event.sections) == ["safety", "worries"]
    assert event.authority["lawful_basis"] == "public_task"
    assert "Child disclosed harm" not in str(event.details) + str(event.authority)


def test_practitioner_cannot_share_without_consent(client, uow, practitioner, family, school):
    assert_problem(share(staff_api(client, uow, practitioner), family, school), 403)
    assert audit_events(uow, record_type="disclosure", action="create") == []


def test_bad_disclosure_gets_a_field_map(boss, family, school):
    problem = assert_problem(share(boss, family, school, sections=["nope"], lawful_basis="because",
                                   justification=""), 422)
    assert {"lawful_basis", "justification"} <= set(problem["errors"])


def test_revoked_disclosure_covers_nothing_on_the_very_next_read(client, uow, boss, family, school):
    made = share(boss, family, school).json
    partner = partner_key(client, uow, school)
    assert [s["key"] for s in partner.get(f"/families/{family.id}/assessment").json["sections"]] == [
        "worries", "safety"]
    revoked = boss.post(f"/disclosures/{made['id']}/revoke", json={"reason": "Risk has passed"})
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked" and revoked.json["revoked_at"]
    assert_problem(partner.get(f"/families/{family.id}/assessment"), 404)
    event = audit_events(uow, record_type="disclosure", action="revoke")[-1]
    assert event.record_id == made["id"]
    assert_problem(boss.post(f"/disclosures/{made['id']}/revoke", json={"reason": "Again"}), 409)


def test_withheld_disclosure_is_marked_and_still_covers_the_partner(client, uow, boss, family, school):
    made = share(boss, family, school).json
    withheld = boss.post(f"/disclosures/{made['id']}/withhold", json={"reason": "Telling dad raises the risk"})
    assert withheld.status_code == 200 and withheld.json["withheld_from_family"] is True
    assert withheld.json["withheld_at"]
    assert partner_key(client, uow, school).get(f"/families/{family.id}/assessment").status_code == 200
    listed = boss.get(f"/families/{family.id}/disclosures").json["items"]
    assert [(d["id"], d["withheld_from_family"]) for d in listed] == [(made["id"], True)]
    event = audit_events(uow, record_type="disclosure", action="update")[-1]
    assert event.record_id == made["id"] and "Telling dad" not in str(event.details)
    assert_problem(boss.post(f"/disclosures/{made['id']}/withhold", json={"reason": "Again"}), 409)


def test_disclosures_of_another_agencys_family_are_404(client, uow, boss, outsider, family, school):
    made = share(boss, family, school).json
    stranger = staff_api(client, uow, outsider)
    assert_problem(stranger.get(f"/families/{family.id}/disclosures"), 404)
    assert_problem(boss.post("/disclosures/00000000-0000-0000-0000-000000000000/revoke", json={"reason": "x"}), 404)
    assert boss.get(f"/families/{family.id}/disclosures").json["items"][0]["id"] == made["id"]
