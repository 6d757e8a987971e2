"""One input rule for all text (coordination.domain.text), in the API: a lone surrogate or a control
character in any string of any body or query, or in the Idempotency-Key, is a 422 with the field named,
never a 500 (UnicodeEncodeError in encryption and blind indexes, DataError for NUL on PostgreSQL), and
nothing is written. So is a JSON body nested too deeply to read."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from coordination.models import Referral

from .. import factories
from .conftest import assert_problem, new_family_body, parent_consent, partner_key, staff_api

SURROGATE, NUL, ESCAPE = "\ud800", "\x00", "\x1b[31m"
BAD_TEXT = pytest.mark.parametrize("bad", [SURROGATE, NUL, ESCAPE], ids=["surrogate", "nul", "escape"])
TODAY = dt.date.today().isoformat()


@pytest.fixture
def world(client, uow, practitioner, manager, make_family):
    """A family with a consent to CAMHS and a referral CAMHS has received, each reachable through the API."""
    camhs = factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")
    family = make_family(practitioner)
    consent = parent_consent(uow, practitioner, family, ["family_story", "health"],
                             {"agencies": [camhs.id], "agency_types": []})
    staff = staff_api(client, uow, practitioner)
    partner = partner_key(client, uow, camhs, ("referrals", "read:assessment", "write:contributions"))
    referral = staff.post("/referrals", json=_referral(family, camhs)).get_json()
    lead = staff_api(client, uow, manager)
    ends = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    disclosed = lead.post(f"/families/{family.id}/disclosures", json={
        "agency_id": str(camhs.id), "sections": ["health"], "lawful_basis": "public_task",
        "justification": "Fictional: risk of harm", "expires_on": ends})
    assert disclosed.status_code == 201, disclosed.get_json()
    return {"family": family, "camhs": camhs, "consent": consent, "staff": staff, "partner": partner,
            "manager": lead, "referral": referral["id"], "disclosure": disclosed.get_json()["id"]}


def _referral(family, agency, **extra) -> dict:
    return {"family_id": str(family.id), "child_id": str(family.children[0].id), "pathway": "camhs",
            "to_agency_id": str(agency.id), "reason": "Fictional: low mood", **extra}


def _writes(w, bad):
    """(who, method, path, body, field) for every write path, with `bad` in one string field."""
    family, referral = w["family"], f"/referrals/{w['referral']}"
    person = new_family_body()
    person["people"][0]["given_name"] = "Robin" + bad
    consent = {"given_by": str(family.people[0].id), "capacity": "parent_with_pr", "sections": ["health"],
               "recipients": {"agencies": [], "agency_types": ["school"]}, "purpose": "Support " + bad}
    return [
        ("staff", "POST", "/families", person, "people.0.given_name"),
        ("staff", "PUT", f"/families/{family.id}/assessment/sections/health", {"content": "Asthma" + bad}, "content"),
        ("staff", "POST", f"/families/{family.id}/voice", {"child_id": str(family.children[0].id), "method": "drawing",
                                                          "words": "A house" + bad, "recorded_on": TODAY}, "words"),
        ("staff", "POST", f"/families/{family.id}/consents", consent, "purpose"),
        ("staff", "POST", f"/consents/{w['consent'].id}/withdraw", {"reason": "Asked" + bad}, "reason"),
        ("manager", "POST", f"/disclosures/{w['disclosure']}/withhold", {"reason": "Risk" + bad}, "reason"),
        ("manager", "POST", f"/disclosures/{w['disclosure']}/revoke", {"reason": "Ended" + bad}, "reason"),
        ("partner", "POST", f"/families/{family.id}/contributions", {"section": "health", "content": "Seen" + bad},
         "content"),
        ("staff", "POST", "/referrals", _referral(family, w["camhs"], reason="Low mood" + bad), "reason"),
        ("partner", "POST", referral + "/decision", {"decision": "decline", "reason": "Not for us",
                                                     "signposted_to": "Kooth" + bad}, "signposted_to"),
        ("partner", "POST", referral + "/transitions", {"to_stage": "assessment" + bad}, "to_stage"),
        ("partner", "POST", referral + "/close", {"outcome": "done" + bad}, "outcome"),
        ("partner", "POST", referral + "/pauses", {"reason": "family_request" + bad, "from_on": TODAY}, "reason"),
        ("partner", "POST", referral + "/exceptions", {"code": "10_4_c" + bad}, "code"),
        ("staff", "POST", "/families/search", {"reference": "EH-" + bad}, "reference"),
        ("staff", "POST", "/families/search", {"family_name": bad, "date_of_birth": "2015-06-01"}, "family_name"),
        ("staff", "POST", "/families", {"people": [{bad: "x"}]}, "people.0"),
    ]


def _events(uow) -> int:
    return uow.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()


@BAD_TEXT
def test_bad_text_in_any_body_is_422_naming_the_field_and_writes_nothing(world, uow, bad):
    before = _events(uow)
    for who, method, path, body, field in _writes(world, bad):
        response = world[who].call(method, path, json=body, headers={"If-Match": "0"})
        problem = assert_problem(response, 422)
        assert field in problem["errors"], (path, problem["errors"])
        assert "control characters" in problem["errors"][field][0]
        assert bad not in response.get_data(as_text=True)  # nor is the text echoed
    uow.session.expire_all()
    assert _events(uow) == before


def test_a_nul_in_a_search_query_string_is_422(world):
    for query, field in (("reference=EH-%00", "reference"), ("nhs_number=943%00", "nhs_number"),
                         ("family_name=Test%00&date_of_birth=2015-06-01", "family_name")):
        assert field in assert_problem(world["staff"].get(f"/families?{query}"), 422)["errors"]
    assert "status" in assert_problem(world["staff"].get("/referrals?status=received%00"), 422)["errors"]


@pytest.mark.parametrize("key", ["   ", "", "\t", "abc\x00def", "caf\u00e9", "x" * 201],
                         ids=["spaces", "empty", "tab", "nul", "latin1", "too-long"])
def test_a_blank_or_unprintable_idempotency_key_is_422_and_creates_nothing(world, uow, key):
    before = uow.session.execute(select(func.count()).select_from(Referral)).scalar_one()
    body = _referral(world["family"], world["camhs"])
    for _retry in range(2):
        response = world["staff"].post("/referrals", json=body, headers={"Idempotency-Key": key})
        assert "Idempotency-Key" in assert_problem(response, 422)["errors"]
    uow.session.expire_all()
    assert uow.session.execute(select(func.count()).select_from(Referral)).scalar_one() == before


def test_an_idempotency_key_with_inner_spaces_still_replays(world):
    body = _referral(world["family"], world["camhs"])
    first = world["staff"].post("/referrals", json=body, headers={"Idempotency-Key": " retry 7 "})
    again = world["staff"].post("/referrals", json=body, headers={"Idempotency-Key": "retry 7"})
    assert (first.status_code, again.status_code) == (201, 201) and first.json["id"] == again.json["id"]


@pytest.mark.parametrize("if_match", ["*", "3\x00", '"3', "W/", "-1", "1e3"])
def test_an_if_match_that_names_no_version_is_400(world, if_match):
    path = f"/families/{world['family'].id}/assessment/sections/health"
    assert_problem(world["staff"].put(path, json={"content": "Asthma"}, headers={"If-Match": if_match}), 400)


@pytest.mark.parametrize("depth", [40, 1_000, 5_000])
def test_json_nested_too_deeply_is_422_not_a_server_error(world, depth):
    nested = "[" * depth + "]" * depth
    response = world["staff"].client.post("/api/v1/families", data=f'{{"people": {nested}}}',
                                          content_type="application/json",
                                          headers={"Authorization": f"Bearer {world['staff'].secret}"})
    assert "too deeply" in assert_problem(response, 422)["errors"]["_schema"][0]
