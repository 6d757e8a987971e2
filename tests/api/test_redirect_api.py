"""`POST /api/v1/referrals/{id}/redirect`: the receiving team (staff token or partner key) sends an undecided
referral to the right team; 200 with the referral as it now stands, 403/404/409/422 per caller and answer; and
`POST /referrals` refuses a team of a kind the pathway does not go to (422 naming the pathway)."""
from __future__ import annotations

import pytest

from coordination.domain.actors import Actor
from coordination.services import auth as auth_service
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of
from .conftest import Api, assert_problem, audit_events

WHY = "Fictional: low mood at school is the school team's work; CAMHS is for the clinic."


@pytest.fixture
def mhst(uow):
    return factories.AgencyFactory(name="Riverside Mental Health Support Team", type="mental_health")


@pytest.fixture
def camhs(uow):
    return factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")


@pytest.fixture
def family(uow, make_family, practitioner, camhs):
    """A family the hub holds, whose parent consents to sharing the story with mental health services."""
    made = make_family(practitioner)
    parent = next(p for p in made.people if p.role == "parent_carer")
    consent_service.record_consent(uow, actor_of(practitioner), made.id, given_by=parent.id,
                                   capacity="parent_with_pr", sections=["family_story"],
                                   recipients={"agency_types": ["mental_health"]}, purpose="Mental health support")
    uow.commit()
    return made


def key_for(client, uow, agency, scopes=("referrals",)) -> Api:
    _key, secret = auth_service.issue_api_key(uow, Actor.system("test"), agency.id, "System", list(scopes))
    uow.commit()
    return Api(client, secret)


@pytest.fixture
def referral(api_as, practitioner, family, camhs) -> dict:
    """A CAMHS referral the hub sent to CAMHS, which is not the right door for it."""
    response = api_as(practitioner).post("/referrals", json={
        "family_id": str(family.id), "child_id": str(family.children[0].id), "pathway": "camhs",
        "to_agency_id": str(camhs.id), "reason": "Fictional: anxious about school", "urgency": "routine"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_the_receiving_team_redirects_and_gets_the_referral_with_its_new_team_and_history(
        client, uow, api_as, practitioner, referral, camhs, mhst):
    camhs_system = key_for(client, uow, camhs)
    response = camhs_system.post(f"/referrals/{referral['id']}/redirect",
                                 json={"to_agency_id": str(mhst.id), "reason": WHY})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["to_agency_id"], body["status"], body["received_on"]) == (str(mhst.id), "received",
                                                                          referral["received_on"])
    assert [c["started_on"] for c in body["clocks"]] == [referral["received_on"]]  # the family's wait goes on
    last = body["events"][-1]
    assert (last["kind"], last["from_agency_id"], last["to_agency_id"], last["note"], last["by_agency_id"]) == (
        "redirected", str(camhs.id), str(mhst.id), WHY, str(camhs.id))
    (event,) = audit_events(uow, action="redirect")
    assert event.record_id == referral["id"] and event.actor_kind == "api_key"

    # The new team's system sees it in its list; the old team's no longer does (it did not send or hold it).
    mhst_system = key_for(client, uow, mhst)
    listed = mhst_system.get("/referrals?status=received").get_json()["items"]
    assert [(r["id"], r["events"][-1]["kind"]) for r in listed] == [(referral["id"], "redirected")]
    assert camhs_system.get("/referrals").get_json()["items"] == []
    assert_problem(camhs_system.get(f"/referrals/{referral['id']}"), 404)
    # The case holder, who sent it, still follows it.
    assert api_as(practitioner).get(f"/referrals/{referral['id']}").get_json()["to_agency_id"] == str(mhst.id)


def test_statuses_per_caller_and_answer(client, uow, api_as, practitioner, manager, admin_user, outsider, referral,
                                        camhs, mhst):
    url = f"/referrals/{referral['id']}/redirect"
    good = {"to_agency_id": str(mhst.id), "reason": WHY}
    clinician = api_as(factories.UserFactory(agency=camhs, role="practitioner", email="cam.worker@example.org"))
    assert_problem(api_as(practitioner).post(url, json=good), 403)   # sent it, holds the case: not the receiver
    assert_problem(api_as(manager).post(url, json=good), 403)
    assert_problem(api_as(admin_user).post(url, json=good), 403)      # admins read no cases
    assert_problem(api_as(outsider).post(url, json=good), 404)        # may not know it exists
    assert_problem(key_for(client, uow, camhs, scopes=("read:assessment",)).post(url, json=good), 403)
    assert_problem(Api(client).post(url, json=good), 401)

    front_door = factories.AgencyFactory(name="Riverside Front Door", type="social_care")
    uow.commit()
    wrong = assert_problem(clinician.post(url, json={"to_agency_id": str(front_door.id), "reason": WHY}), 422)
    assert "CAMHS referrals go to a mental health service" in str(wrong)
    blank = assert_problem(clinician.post(url, json={"to_agency_id": str(camhs.id), "reason": " "}), 422)
    assert set(blank["errors"]) == {"to_agency_id", "reason"}
    assert_problem(clinician.post(url, json={"reason": WHY}), 422)     # no team

    assert clinician.post(url, json=good).status_code == 200
    mhst_worker = api_as(factories.UserFactory(agency=mhst, role="practitioner", email="mhst.worker@example.org"))
    decided = mhst_worker.post(f"/referrals/{referral['id']}/decision",
                               json={"decision": "accept", "reason": "Ours"})
    assert decided.status_code == 200
    assert_problem(mhst_worker.post(url, json={"to_agency_id": str(camhs.id), "reason": WHY}), 409)


def test_a_referral_to_a_team_of_the_wrong_kind_is_refused_naming_the_pathway(api_as, practitioner, family):
    front_door = factories.AgencyFactory(name="Riverside Front Door", type="social_care")
    response = api_as(practitioner).post("/referrals", json={
        "family_id": str(family.id), "child_id": str(family.children[0].id), "pathway": "ehc_needs_assessment",
        "to_agency_id": str(front_door.id), "reason": "Fictional: needs an EHC needs assessment"})
    body = assert_problem(response, 422)
    assert body["errors"] == {"to_agency_id": [
        "EHC needs assessment referrals go to a SEND service: choose a team of that kind"]}
