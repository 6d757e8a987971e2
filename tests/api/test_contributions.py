"""Partner contributions: a partner with live cover adds to the one assessment, attributed to its agency; the
staff holding the case list them and mark them folded in. Without cover the family does not exist (404)."""
from __future__ import annotations

import pytest

from coordination.services.contributions import MAX_CONTRIBUTION_CHARS

from .conftest import assert_problem, audit_events, parent_consent, partner_key, staff_api

WORDS = "Attendance 82% this term; loves art."


@pytest.fixture
def family(practitioner, make_family):
    return make_family(practitioner)


@pytest.fixture
def staff(client, uow, practitioner):
    return staff_api(client, uow, practitioner)


@pytest.fixture
def covered(uow, practitioner, family, school):
    return parent_consent(uow, practitioner, family, ["education_send"], {"agencies": [school.id]})


def contribute(api, family, section="education_send", content=WORDS):
    return api.post(f"/families/{family.id}/contributions", json={"section": section, "content": content})


def test_partner_contribution_is_attributed_audited_and_seen_by_staff(client, uow, staff, family, school, covered):
    made = contribute(partner_key(client, uow, school, ["write:contributions"]), family)
    assert made.status_code == 201, made.json
    assert (made.json["section"], made.json["agency_id"], made.json["agency_name"], made.json["status"]) == (
        "education_send", str(school.id), "Meadow Primary School", "new")
    seen = staff.get(f"/families/{family.id}/contributions")
    assert seen.status_code == 200
    assert [(c["id"], c["section"], c["content"], c["status"]) for c in seen.json["items"]] == [
        (made.json["id"], "education_send", WORDS, "new")]
    event = audit_events(uow, record_type="contribution", action="create")[-1]
    assert (event.record_id, event.actor_kind, event.actor_agency_id) == (made.json["id"], "api_key", str(school.id))
    assert event.sections == ["education_send"] and event.authority["consents"] == [str(covered.id)]
    assert "Attendance" not in str(event.details) + str(event.authority)
    assert audit_events(uow, record_type="contribution", action="read")[-1].sections == ["education_send"]


def test_staff_mark_a_contribution_incorporated_once(client, uow, staff, family, school, covered):
    made = contribute(partner_key(client, uow, school, ["write:contributions"]), family).json
    done = staff.post(f"/contributions/{made['id']}/incorporated")
    assert done.status_code == 200 and done.json["status"] == "incorporated" and done.json["acknowledged_at"]
    assert audit_events(uow, record_type="contribution", action="update")[-1].record_id == made["id"]
    assert_problem(staff.post(f"/contributions/{made['id']}/incorporated"), 409)


def test_staff_list_narrows_to_one_section_when_asked(client, uow, practitioner, staff, family, school):
    parent_consent(uow, practitioner, family, ["education_send", "health"], {"agencies": [school.id]})
    partner = partner_key(client, uow, school, ["write:contributions"])
    contribute(partner, family)
    contribute(partner, family, "health", "Inhaler kept in the office.")
    listed = staff.get(f"/families/{family.id}/contributions?section=health").json["items"]
    assert [(c["section"], c["content"]) for c in listed] == [("health", "Inhaler kept in the office.")]
    assert len(staff.get(f"/families/{family.id}/contributions").json["items"]) == 2


def test_contribution_without_cover_is_404_and_leaves_nothing(client, uow, staff, family, school):
    api = partner_key(client, uow, school, ["write:contributions"])
    unknown = "00000000-0000-0000-0000-000000000000"
    assert_problem(contribute(api, family), 404)
    assert_problem(api.post(f"/families/{unknown}/contributions", json={"section": "health", "content": "x"}), 404)
    assert staff.get(f"/families/{family.id}/contributions").json["items"] == []
    assert audit_events(uow, record_type="contribution", action="create") == []


def test_contribution_is_404_on_the_very_next_call_after_withdrawal(client, uow, staff, family, school, covered):
    api = partner_key(client, uow, school, ["write:contributions"])
    assert contribute(api, family).status_code == 201
    assert staff.post(f"/consents/{covered.id}/withdraw", json={"reason": "Changed mind"}).status_code == 200
    assert_problem(contribute(api, family), 404)


def test_bad_contribution_gets_a_field_map(client, uow, family, school, covered):
    api = partner_key(client, uow, school, ["write:contributions"])
    assert {"section", "content"} <= set(assert_problem(contribute(api, family, "nope", " "), 422)["errors"])
    too_long = assert_problem(contribute(api, family, content="x" * (MAX_CONTRIBUTION_CHARS + 1)), 422)
    assert list(too_long["errors"]) == ["content"]
    assert contribute(api, family, content="x" * MAX_CONTRIBUTION_CHARS).status_code == 201


def test_a_key_without_the_write_scope_is_refused(client, uow, family, school, covered):
    assert_problem(contribute(partner_key(client, uow, school, ["read:assessment"]), family), 403)


def test_a_section_the_cover_does_not_include_is_403_and_leaves_nothing(client, uow, staff, family, school,
                                                                         covered):
    api = partner_key(client, uow, school, ["write:contributions"])
    problem = assert_problem(contribute(api, family, "family_story", "We heard the parents argue."), 403)
    assert "does not cover this section" in problem["detail"]
    assert staff.get(f"/families/{family.id}/contributions").json["items"] == []
    assert audit_events(uow, record_type="contribution", action="create") == []
    assert contribute(api, family).status_code == 201  # the covered section is still open


def test_the_openapi_document_says_contributions_are_limited_to_covered_sections(anonymous):
    post = anonymous.get("/api/openapi.json").json["paths"]["/api/v1/families/{family_id}/contributions"]["post"]
    assert "403" in post["responses"]
    assert "only to a section that cover includes" in " ".join(post["description"].split())
