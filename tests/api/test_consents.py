"""Consent through the API: record (the whole view back), list with parent / young-person conflicts, withdraw."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.calendar import add_calendar
from coordination.services.families import NewPerson, create_family

from ..conftest import actor_of
from .conftest import assert_problem, audit_events, partner_key, staff_api


@pytest.fixture
def staff(client, uow, practitioner):
    return staff_api(client, uow, practitioner)


@pytest.fixture
def teen_family(uow, practitioner):
    """A parent and a 17-year-old, so both may decide."""
    today = dt.date.today()
    family = create_family(uow, actor_of(practitioner), [
        NewPerson("parent_carer", "Morgan", "Sharefamily", dt.date(1985, 1, 1)),
        NewPerson("child", "Teagan", "Sharefamily", today.replace(year=today.year - 17))], confirm_new=True)
    uow.commit()
    return family


def consent_body(person, school, **changes) -> dict:
    return {"given_by": str(person.id), "capacity": "parent_with_pr", "sections": ["health", "strengths"],
            "recipients": {"agencies": [str(school.id)]}, "purpose": "Support at school", **changes}


def test_consent_is_recorded_with_its_whole_view_and_audited_when_a_parent_agrees(uow, staff, practitioner,
                                                                                 teen_family, school):
    parent = teen_family.people[0]
    made = staff.post(f"/families/{teen_family.id}/consents", json=consent_body(parent, school, method="written"))
    assert made.status_code == 201, made.json
    today = dt.date.today()
    body = made.json
    assert body["id"] and body["family_id"] == str(teen_family.id) and body["given_by"] == str(parent.id)
    assert (body["state"], body["decision"], body["capacity"], body["method"]) == (
        "live", "permit", "parent_with_pr", "written")
    assert sorted(body["sections"]) == ["health", "strengths"]
    assert body["recipients"][0]["value"] == str(school.id) and body["recipients"][0]["label"] == school.name
    assert body["valid_from"] == today.isoformat()
    assert body["expires_on"] == add_calendar(today, months=12).isoformat()  # the default lifetime
    assert body["recorded_by"] == str(practitioner.id) and body["withdrawn_at"] is None
    event = audit_events(uow, record_type="consent", action="create")[-1]
    assert event.record_id == body["id"] and event.family_id == str(teen_family.id)
    assert sorted(event.sections) == ["health", "strengths"]
    assert "Support at school" not in str(event.details)


def test_a_young_persons_consent_naming_the_familys_sections_is_422_and_nothing_is_recorded(uow, staff,
                                                                                           teen_family, school):
    teen = teen_family.people[1]
    bad = assert_problem(staff.post(f"/families/{teen_family.id}/consents", json=consent_body(
        teen, school, capacity="young_person", sections=["health", "family_story"])), 422)
    assert list(bad["errors"]) == ["sections"]
    assert bad["errors"]["sections"][0].startswith("A young person decides only about the sections about them")
    assert staff.get(f"/families/{teen_family.id}/consents").json["items"] == []
    assert audit_events(uow, record_type="consent", action="create") == []


def test_a_competent_child_under_12_is_recorded_with_a_warning_in_the_201(uow, staff, practitioner,
                                                                          school):
    today = dt.date.today()
    family = create_family(uow, actor_of(practitioner), [
        NewPerson("parent_carer", "Robin", "Warnfamily", dt.date(1986, 3, 1)),
        NewPerson("child", "Ash", "Warnfamily", today.replace(year=today.year - 9) - dt.timedelta(days=1)),
        NewPerson("child", "Bay", "Warnfamily", today.replace(year=today.year - 13))], confirm_new=True)
    uow.commit()
    parent, nine, thirteen = family.people
    competent = {"capacity": "competent_child", "sections": ["health"], "competence_assessed_by": str(practitioner.id),
                 "competence_assessed_on": today.isoformat()}
    made = staff.post(f"/families/{family.id}/consents", json=consent_body(nine, school, **competent))
    assert made.status_code == 201, made.json
    assert [w["code"] for w in made.json["warnings"]] == ["competence_under_12"]
    assert made.json["warnings"][0]["message"].startswith("This child is 9. Children under 12 are rarely able")
    older = staff.post(f"/families/{family.id}/consents", json=consent_body(thirteen, school, **competent))
    by_parent = staff.post(f"/families/{family.id}/consents", json=consent_body(parent, school))
    assert (older.status_code, older.json["warnings"]) == (201, [])
    assert (by_parent.status_code, by_parent.json["warnings"]) == (201, [])


def test_young_persons_refusal_governs_when_parent_and_young_person_differ(client, uow, staff, teen_family, school):
    parent, teen = teen_family.people
    agreed = staff.post(f"/families/{teen_family.id}/consents", json=consent_body(parent, school))
    assert agreed.status_code == 201
    refused = staff.post(f"/families/{teen_family.id}/consents", json=consent_body(
        teen, school, capacity="young_person", sections=["health"], decision="refuse"))
    assert refused.status_code == 201 and refused.json["decision"] == "refuse"
    listed = staff.get(f"/families/{teen_family.id}/consents")
    assert listed.status_code == 200 and listed.json["family_id"] == str(teen_family.id)
    assert sorted(c["id"] for c in listed.json["items"]) == sorted([agreed.json["id"], refused.json["id"]])
    assert {c["state"] for c in listed.json["items"]} == {"live"}
    [conflict] = listed.json["conflicts"]
    assert (conflict["section_key"], conflict["governs"], conflict["young_person_decision"]) == (
        "health", "young_person", "refuse")
    assert (conflict["parent_consent_id"], conflict["young_person_consent_id"]) == (agreed.json["id"],
                                                                                   refused.json["id"])
    assert audit_events(uow, record_type="consent", action="read")[-1].family_id == str(teen_family.id)
    shown = partner_key(client, uow, school).get(f"/families/{teen_family.id}/assessment")
    assert [s["key"] for s in shown.json["sections"]] == ["strengths"]  # the refused section is not shown


def test_bad_consent_gets_a_field_map_when_rules_are_broken(staff, practitioner, make_family):
    family = make_family(practitioner)
    child = family.children[0]
    response = staff.post(f"/families/{family.id}/consents", json={
        "given_by": str(child.id), "capacity": "parent_with_pr", "sections": ["not_a_section"],
        "recipients": {}, "purpose": ""})
    problem = assert_problem(response, 422)
    assert {"given_by", "sections", "recipients", "purpose"} <= set(problem["errors"])


def test_unknown_fields_and_capacities_are_422_when_the_body_does_not_match_the_schema(staff, teen_family, school):
    parent = teen_family.people[0]
    problem = assert_problem(staff.post(f"/families/{teen_family.id}/consents", json=consent_body(
        parent, school, capacity="neighbour", colour="red")), 422)
    assert {"capacity", "colour"} <= set(problem["errors"])


def test_withdrawal_returns_the_withdrawn_consent_and_is_audited_when_a_reason_is_given(uow, staff, practitioner,
                                                                                       teen_family, school):
    made = staff.post(f"/families/{teen_family.id}/consents", json=consent_body(teen_family.people[0], school)).json
    response = staff.post(f"/consents/{made['id']}/withdraw", json={"reason": "Mum changed her mind"})
    assert response.status_code == 200
    assert (response.json["id"], response.json["state"]) == (made["id"], "withdrawn")
    assert response.json["withdrawn_by"] == str(practitioner.id) and response.json["withdrawn_at"]
    event = audit_events(uow, record_type="consent", action="withdraw")[-1]
    assert event.record_id == made["id"] and event.family_id == str(teen_family.id)
    listed = staff.get(f"/families/{teen_family.id}/consents").json["items"]
    assert [c["state"] for c in listed] == ["withdrawn"]


def test_withdrawal_is_refused_when_already_withdrawn_or_without_a_reason(staff, teen_family, school):
    made = staff.post(f"/families/{teen_family.id}/consents", json=consent_body(teen_family.people[0], school)).json
    assert "reason" in assert_problem(staff.post(f"/consents/{made['id']}/withdraw", json={"reason": ""}),
                                      422)["errors"]
    assert staff.post(f"/consents/{made['id']}/withdraw", json={"reason": "Asked"}).status_code == 200
    assert_problem(staff.post(f"/consents/{made['id']}/withdraw", json={"reason": "Asked again"}), 409)


def test_another_agencys_consent_is_404_when_withdrawn_by_an_outsider(client, uow, staff, outsider, teen_family,
                                                                       school):
    made = staff.post(f"/families/{teen_family.id}/consents", json=consent_body(teen_family.people[0], school)).json
    stranger = staff_api(client, uow, outsider)
    assert_problem(stranger.post(f"/consents/{made['id']}/withdraw", json={"reason": "x"}), 404)
    assert_problem(stranger.get(f"/families/{teen_family.id}/consents"), 404)
    assert staff.get(f"/families/{teen_family.id}/consents").json["items"][0]["state"] == "live"
