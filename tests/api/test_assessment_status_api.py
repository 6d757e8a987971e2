"""Assessment status over the API: the case holder's read carries each section's status, the agreement and the
sign-off; sections are marked complete, the agreement recorded and a manager signs off; a partner's read is
unchanged (none of these fields)."""
from __future__ import annotations

import datetime as dt

from coordination.services import assessment

from ..conftest import actor_of
from ..integration.test_assessment_status import REQUIRED
from .conftest import assert_problem, parent_consent, partner_key

BASE = "/families/{}/assessment"
CASE_HOLDER_SECTION_FIELDS = {"status", "required", "completed_at", "completed_by"}
CASE_HOLDER_FIELDS = {"state", "agreement", "sign_off"}


def _fill(uow, practitioner, family, keys=REQUIRED):
    for key in keys:
        assessment.save_section(uow, actor_of(practitioner), family.id, key, f"Fictional text for {key}.", 0)
    uow.commit()


def test_the_case_holders_read_carries_status_agreement_and_sign_off(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)
    _fill(uow, practitioner, family, ["health"])
    body = api_as(practitioner).get(BASE.format(family.id)).get_json()
    assert CASE_HOLDER_FIELDS <= set(body) and body["state"] == "in_progress"
    assert body["agreement"] is None and body["sign_off"] is None
    health = next(s for s in body["sections"] if s["key"] == "health")
    assert health["status"] == "in_progress" and health["required"] is True and health["completed_at"] is None


def test_complete_agree_and_sign_off_through_the_api(api_as, practitioner, manager, make_family, uow):
    family = make_family(practitioner)
    _fill(uow, practitioner, family)
    api = api_as(practitioner)
    for key in REQUIRED:
        response = api.put(BASE.format(family.id) + f"/sections/{key}/status", json={"status": "completed"})
        assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["state"] == "ready_to_agree"
    parent = next(p for p in family.people if p.role == "parent_carer")
    agreed = api.post(BASE.format(family.id) + "/agreement",
                      json={"agreed_by": str(parent.id), "agreed_on": dt.date.today().isoformat()})
    assert agreed.status_code == 200 and agreed.get_json()["agreement"]["agreed_by"] == str(parent.id)
    assert_problem(api.post(BASE.format(family.id) + "/sign-off"), 403)
    signed = api_as(manager).post(BASE.format(family.id) + "/sign-off")
    assert signed.status_code == 200 and signed.get_json()["state"] == "signed_off"
    assert signed.get_json()["sign_off"]["signed_off_by"] == str(manager.id)
    assert_problem(api_as(manager).post(BASE.format(family.id) + "/sign-off"), 409)


def test_an_agreement_in_the_future_or_by_a_stranger_is_422_naming_each_field(api_as, practitioner, make_family,
                                                                               uow):
    family = make_family(practitioner)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    problem = assert_problem(api_as(practitioner).post(
        BASE.format(family.id) + "/agreement",
        json={"agreed_by": "00000000-0000-0000-0000-000000000000", "agreed_on": tomorrow}), 422)
    assert {"agreed_by", "agreed_on", "assessment"} <= set(problem["errors"])


def test_a_section_nobody_wrote_cannot_be_completed(api_as, practitioner, make_family):
    family = make_family(practitioner)
    response = api_as(practitioner).put(BASE.format(family.id) + "/sections/worries/status",
                                        json={"status": "completed"})
    assert "status" in assert_problem(response, 422)["errors"]


def test_a_partners_read_is_unchanged(client, uow, practitioner, make_family, school):
    family = make_family(practitioner)
    _fill(uow, practitioner, family, ["health"])
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    body = partner_key(client, uow, school).get(BASE.format(family.id)).get_json()
    assert set(body) == {"family_id", "status", "sections"}
    assert not CASE_HOLDER_SECTION_FIELDS & set(body["sections"][0])
