"""The CIN census over the API (the XML the CLI writes, with its SHA-256), a child's census details and a social care
referral's: primary need and factors, the reason for closure given on closing (RC8/RC9 only after an
assessment), ReferralNFA following the decision."""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output

import pytest

from coordination.services import referrals as referrals_service

from .. import factories
from ..conftest import actor_of
from .conftest import assert_problem


@pytest.fixture
def social_work(uow, practitioner, make_family):
    team = factories.AgencyFactory(name="Eastmere Children's Social Care", type="social_care")
    worker = factories.UserFactory(agency=team, role="practitioner", email="sol.worker@example.org")
    family = make_family(practitioner)
    referral = referrals_service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id,
                                                 "social_care", team.id, "Fictional worries at home")
    uow.commit()
    return {"worker": worker, "family": family, "referral": referral}


def test_a_manager_downloads_the_census_as_xml_with_its_digest(api_as, manager, practitioner, social_work):
    response = api_as(manager).get("/returns/cin-census?year=2026")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data()
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    assert response.headers["Content-Disposition"] == 'attachment; filename="CIN_census_999_2026.xml"'
    root = ET.fromstring(body)  # noqa: S314
    assert root.tag == "Message" and root.findtext("Header/Source/LEA") == "999"
    assert_problem(api_as(practitioner).get("/returns/cin-census?year=2026"), 403)
    assert_problem(api_as(manager).get("/returns/cin-census?year=1999"), 422)


def test_a_childs_census_details_round_trip_and_codes_are_checked(api_as, practitioner, social_work):
    child = social_work["family"].children[0]
    api = api_as(practitioner)
    saved = api.put(f"/people/{child.id}/census", json={"sex": "F", "ethnicity": "MWBC",
                                                       "disabilities": ["HEAR", "COMM"], "former_upn": None})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    got = api.get(f"/people/{child.id}/census").get_json()
    assert (got["sex"], got["ethnicity"], got["disabilities"]) == ("F", "MWBC", ["HEAR", "COMM"])
    assert 1 <= len(got["la_child_id"]) <= 20 and got["la_child_id"].isalnum()
    problem = assert_problem(api.put(f"/people/{child.id}/census", json={
        "sex": "X", "disabilities": ["NONE", "HEAR"], "upn_unknown": "UN9"}), 422)
    assert set(problem["errors"]) == {"sex", "disabilities", "upn_unknown"}
    assert api.get(f"/people/{child.id}/census").get_json()["ethnicity"] == "MWBC"  # nothing was changed


def test_closing_a_social_care_referral_takes_a_census_reason(api_as, uow, social_work):
    api, referral = api_as(social_work["worker"]), social_work["referral"]
    assert api.post(f"/referrals/{referral.id}/decision", json={"decision": "accept",
                                                                "reason": "Threshold met"}).status_code == 200
    census = api.put(f"/referrals/{referral.id}/census", json={"primary_need": "N1", "assessment_factors": ["16A"]})
    assert census.status_code == 200 and census.get_json()["referral_nfa"] is False
    problem = assert_problem(api.post(f"/referrals/{referral.id}/close", json={
        "outcome": "no_further_action", "reason_for_closure": "RC8"}), 422)
    assert "no assessment" in problem["errors"]["reason_for_closure"][0]
    closed = api.post(f"/referrals/{referral.id}/close", json={"outcome": "needs_met", "reason_for_closure": "RC7"})
    assert closed.status_code == 200, closed.get_data(as_text=True)
    assert api.put(f"/referrals/{referral.id}/census", json={"primary_need": "N1"}).get_json()[
        "reason_for_closure"] == "RC7"
