"""The referral endpoints, for staff tokens and partner keys: status codes, bodies, problem+json errors."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.services import auth as auth_service
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of
from .conftest import Api, assert_problem


@pytest.fixture
def camhs(uow):
    return factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")


@pytest.fixture
def family(make_family, practitioner):
    return make_family(practitioner)


@pytest.fixture
def camhs_key(client, uow, camhs):
    _key, secret = auth_service.issue_api_key(uow, Actor.system("test"), camhs.id, "CAMHS system",
                                              ["referrals", "read:assessment"])
    uow.commit()
    return Api(client, secret)


@pytest.fixture
def staff(api_as, practitioner):
    return api_as(practitioner)


def body_for(family, agency, **extra) -> dict:
    return {"family_id": str(family.id), "child_id": str(family.children[0].id), "pathway": "camhs",
            "to_agency_id": str(agency.id), "reason": "Fictional: low mood and not sleeping", "urgency": "routine",
            **extra}


def made(staff, family, agency, **extra) -> dict:
    response = staff.post("/referrals", json=body_for(family, agency, **extra))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_post_referral_answers_201_with_location_status_and_running_clocks(staff, family, camhs):
    response = staff.post("/referrals", json=body_for(family, camhs))
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/referrals/{body['id']}")
    assert (body["status"], body["stage"], body["pathway"], body["family_id"]) == (
        "received", "referral", "camhs", str(family.id))
    today = dt.date.fromisoformat(body["received_on"])
    assert body["clocks"] == [{
        "name": "first_contact", "title": "Referral to first contact", "limit": "4 weeks", "statutory": False,
        "started_on": today.isoformat(), "due_on": (today + dt.timedelta(weeks=4)).isoformat(), "due_at": None,
        "stopped_on": None, "within_target": None, "overdue": False, "excepted": False}]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_referral(staff, family, camhs):
    headers = {"Idempotency-Key": "4f1c-retry"}
    first = staff.post("/referrals", json=body_for(family, camhs), headers=headers)
    again = staff.post("/referrals", json=body_for(family, camhs), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    listed = staff.get("/referrals").get_json()["items"]
    assert [r["id"] for r in listed] == [first.get_json()["id"]]
    other = staff.post("/referrals", json=body_for(family, camhs, pathway="eating_disorder"), headers=headers)
    assert_problem(other, 409)


def test_a_received_date_in_the_past_is_kept_and_one_in_the_future_is_422(staff, family, camhs):
    past = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    assert made(staff, family, camhs, received_on=past)["received_on"] == past
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    problem = assert_problem(staff.post("/referrals", json=body_for(family, camhs, received_on=future)), 422)
    assert problem["errors"] == {"received_on": ["The date received must be today or in the past"]}


def test_a_referral_with_unknown_fields_or_values_is_422_with_each_field_named(staff, family, camhs):
    problem = assert_problem(staff.post("/referrals", json={**body_for(family, camhs), "colour": "blue"}), 422)
    assert "colour" in problem["errors"]
    problem = assert_problem(staff.post("/referrals", json=body_for(family, camhs, pathway="astrology",
                                                                    urgency="whenever")), 422)
    assert set(problem["errors"]) == {"pathway", "urgency"}
    problem = assert_problem(staff.post("/referrals", json=body_for(family, camhs), headers={
        "Idempotency-Key": "k" * 201}), 422)
    assert set(problem["errors"]) == {"Idempotency-Key"}


def test_another_agency_gets_404_for_the_family_and_the_referral(api_as, outsider, staff, family, camhs):
    referral = made(staff, family, camhs)
    other = api_as(outsider)
    assert_problem(other.post("/referrals", json=body_for(family, camhs)), 404)
    assert_problem(other.get(f"/referrals/{referral['id']}"), 404)
    assert_problem(other.post(f"/referrals/{referral['id']}/decision", json={"decision": "accept", "reason": "x"}),
                   404)
    assert other.get("/referrals").get_json() == {"items": []}


def test_the_receiving_partner_lists_accepts_and_moves_the_referral_on(staff, camhs_key, family, camhs):
    referral = made(staff, family, camhs)
    listed = camhs_key.get("/referrals?status=received").get_json()["items"]
    assert [r["id"] for r in listed] == [referral["id"]]
    decided = camhs_key.post(f"/referrals/{referral['id']}/decision", json={"decision": "accept",
                                                                            "reason": "Meets criteria"})
    assert decided.status_code == 200 and decided.get_json()["status"] == "accepted"
    assert_problem(camhs_key.post(f"/referrals/{referral['id']}/decision",
                                  json={"decision": "accept", "reason": "Again"}), 409)
    assert camhs_key.get("/referrals?status=received").get_json() == {"items": []}
    moved = camhs_key.post(f"/referrals/{referral['id']}/transitions", json={"to_stage": "first_contact",
                                                                             "note": "Seen at clinic"})
    assert (moved.status_code, moved.get_json()["status"], moved.get_json()["stage"]) == (
        200, "in_progress", "first_contact")
    assert_problem(camhs_key.post(f"/referrals/{referral['id']}/transitions", json={"to_stage": "referral"}), 422)
    got = staff.get(f"/referrals/{referral['id']}").get_json()
    assert [e["kind"] for e in got["events"]] == ["received", "decided", "accepted", "entered:first_contact"]
    assert got["clocks"][0]["within_target"] is True
    closed = camhs_key.post(f"/referrals/{referral['id']}/close", json={"outcome": "discharged", "note": "Done"})
    assert (closed.status_code, closed.get_json()["status"], closed.get_json()["outcome"]) == (
        200, "closed", "discharged")


def test_the_sender_may_read_but_not_decide_for_the_receiver(staff, family, camhs):
    referral = made(staff, family, camhs)
    assert staff.get(f"/referrals/{referral['id']}").status_code == 200
    assert_problem(staff.post(f"/referrals/{referral['id']}/decision", json={"decision": "accept", "reason": "x"}),
                   403)


def test_a_decline_without_signposting_is_422_and_with_it_is_final(staff, camhs_key, family, camhs):
    referral = made(staff, family, camhs)
    path = f"/referrals/{referral['id']}/decision"
    problem = assert_problem(camhs_key.post(path, json={"decision": "decline", "reason": "Below threshold"}), 422)
    assert set(problem["errors"]) == {"signposted_to"}
    assert_problem(camhs_key.post(path, json={"decision": "maybe", "reason": "x"}), 422)
    declined = camhs_key.post(path, json={"decision": "decline", "reason": "Below threshold",
                                          "signposted_to": "School counsellor"}).get_json()
    assert (declined["status"], declined["signposted_to"]) == ("declined", "School counsellor")


def test_a_partner_refers_only_a_family_its_agency_has_consent_for(staff, camhs_key, practitioner, uow, family,
                                                                   camhs, early_help):
    body = body_for(family, early_help, pathway="early_help")
    assert_problem(camhs_key.post("/referrals", json=body), 404)
    parent = next(p for p in family.people if p.role == "parent_carer")
    consent_service.record_consent(uow, actor_of(practitioner), family.id, given_by=parent.id,
                                   capacity="parent_with_pr", sections=["health"],
                                   recipients={"agencies": [camhs.id]}, purpose="CAMHS support")
    uow.commit()
    response = camhs_key.post("/referrals", json=body)
    assert response.status_code == 201 and response.get_json()["from_agency_id"] == str(camhs.id)
    # The case holder sees it among its families' referrals.
    assert [r["id"] for r in staff.get("/referrals?pathway=early_help").get_json()["items"]] == [
        response.get_json()["id"]]


def test_the_receiving_team_reads_the_consented_sections_through_the_referral(staff, camhs_key, practitioner, uow,
                                                                              family, camhs):
    referral = made(staff, family, camhs)
    path = f"/referrals/{referral['id']}/assessment"
    assert_problem(camhs_key.get(path), 404)
    parent = next(p for p in family.people if p.role == "parent_carer")
    consent_service.record_consent(uow, actor_of(practitioner), family.id, given_by=parent.id,
                                   capacity="parent_with_pr", sections=["health"],
                                   recipients={"agencies": [camhs.id]}, purpose="CAMHS support")
    uow.commit()
    seen = camhs_key.get(path)
    assert seen.status_code == 200 and [s["key"] for s in seen.get_json()["sections"]] == ["health"]
    assert len(staff.get(path).get_json()["sections"]) > 1


def test_pauses_and_exceptions_are_recorded_by_the_receiving_team(staff, family, api_as, uow):
    send = factories.AgencyFactory(name="Riverside SEND Service", type="send_service")
    officer = api_as(factories.UserFactory(agency=send, role="practitioner", email="ed.send@example.org"))
    referral = made(staff, family, send, pathway="ehc_needs_assessment")
    path = f"/referrals/{referral['id']}"
    excepted = officer.post(path + "/exceptions", json={"code": "10_4_c"})
    assert excepted.status_code == 200
    assert {c["name"]: c["excepted"] for c in excepted.get_json()["clocks"]} == {
        "decision_to_assess": False, "final_plan": True}
    assert_problem(officer.post(path + "/exceptions", json={"code": "10_9_z"}), 422)
    today = dt.date.today().isoformat()
    paused = officer.post(path + "/pauses", json={"reason": "family_request", "from_on": today})
    assert paused.status_code == 200
    assert_problem(staff.post(path + "/pauses", json={"reason": "family_request", "from_on": today}), 403)


def test_a_list_filter_outside_the_allowed_values_is_422(staff):
    assert set(assert_problem(staff.get("/referrals?status=lost"), 422)["errors"]) == {"status"}


def test_openapi_documents_every_referral_endpoint(anonymous):
    paths = anonymous.get("/api/openapi.json").get_json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/referrals"])
    for suffix in ("", "/assessment", "/decision", "/transitions", "/close", "/pauses", "/exceptions"):
        assert f"/api/v1/referrals/{{referral_id}}{suffix}" in paths
    create = paths["/api/v1/referrals"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])


def test_other_agencies_see_which_agency_acted_never_its_key(client, uow, staff, family, camhs, api_as, manager):
    row, secret = auth_service.issue_api_key(uow, Actor.system("test"), camhs.id, "CAMHS system", ["referrals"])
    uow.commit()
    camhs_system = Api(client, secret)
    referral = made(staff, family, camhs)
    path = f"/referrals/{referral['id']}"
    decided = camhs_system.post(path + "/decision", json={"decision": "accept", "reason": "Meets criteria"})
    acted = [e for e in decided.get_json()["events"] if e["by_agency_id"] == str(camhs.id)]
    assert acted and {e["by_key_id"] for e in acted} == {str(row.id)}  # the key's own agency sees its key
    for other in (staff, api_as(manager)):
        for events in (other.get(path).get_json()["events"],
                       *[r["events"] for r in other.get("/referrals").get_json()["items"]]):
            by_camhs = [e for e in events if e["by_agency_id"] == str(camhs.id)]
            assert by_camhs and {e["by_key_id"] for e in by_camhs} == {None}
    _second, other_secret = auth_service.issue_api_key(uow, Actor.system("test"), camhs.id, "CAMHS app",
                                                       ["referrals"])
    uow.commit()
    same_agency = Api(client, other_secret).get(path).get_json()["events"]
    assert {e["by_key_id"] for e in same_agency if e["by_agency_id"] == str(camhs.id)} == {str(row.id)}
