"""The assessment over the API: read it (audited), read/save a section with If-Match, its history."""
from __future__ import annotations

import pytest

from schemas.assessment import AssessmentResponseSchema, SectionHistoryResponseSchema, SectionResponseSchema

from .conftest import assert_problem, audit_events

SECTION = "/families/{}/assessment/sections/{}"


def save(api, family_id, key: str, content: str, if_match: str | None):
    headers = {"If-Match": if_match} if if_match is not None else {}
    return api.put(SECTION.format(family_id, key), json={"content": content}, headers=headers)


def test_get_assessment_lists_every_template_section_in_the_contract_shape(api_as, practitioner, make_family):
    family = make_family(practitioner)

    response = api_as(practitioner).get(f"/families/{family.id}/assessment")

    assert response.status_code == 200
    body = response.get_json()
    AssessmentResponseSchema().load(body)
    assert body["family_id"] == str(family.id)
    keys = [s["key"] for s in body["sections"]]
    assert keys[:3] == ["family_story", "child_voice", "strengths"] and len(keys) == 12
    first = body["sections"][0]
    assert {"key", "title", "content", "version", "updated_at", "updated_by"} <= set(first)
    assert first["version"] == 0 and first["content"] == "" and first["updated_by"] is None


def test_get_assessment_writes_a_read_audit_event_naming_the_sections_shown(api_as, practitioner, make_family,
                                                                           uow):
    family = make_family(practitioner)
    api = api_as(practitioner)
    save(api, family.id, "health", "Asthma, uses an inhaler.", "0")

    api.get(f"/families/{family.id}/assessment")

    reads = audit_events(uow, action="read", record_type="assessment", family_id=str(family.id))
    assert len(reads) == 1
    assert reads[0].sections == ["health"] and reads[0].actor_user_id == str(practitioner.id)
    assert "Asthma" not in str(reads[0].details)


def test_get_section_carries_its_version_as_etag(api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    save(api, family.id, "strengths", "Grandad helps every weekend.", "0")

    response = api.get(SECTION.format(family.id, "strengths"))

    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    body = SectionResponseSchema().load(response.get_json())
    assert body["content"] == "Grandad helps every weekend." and body["version"] == 1
    assert body["updated_by"] == practitioner.id


@pytest.mark.parametrize("if_match", ["0", '"0"', 'W/"0"', ' "0" '])
def test_put_section_accepts_the_version_bare_quoted_or_weak(api_as, practitioner, make_family, if_match):
    family = make_family(practitioner)

    response = save(api_as(practitioner), family.id, "health", "Asthma, uses an inhaler.", if_match)

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["version"] == 1 and response.headers["ETag"] == '"1"'
    assert response.get_json()["content"] == "Asthma, uses an inhaler."


def test_put_section_writes_an_audit_event_naming_the_section(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)

    save(api_as(practitioner), family.id, "health", "Asthma, uses an inhaler.", "0")

    [event] = audit_events(uow, action="update", record_type="assessment_section", family_id=str(family.id))
    assert event.sections == ["health"] and event.details["version"] == 1
    assert event.actor_user_id == str(practitioner.id) and "Asthma" not in str(event.details)


def test_put_section_with_a_stale_version_is_409_with_the_current_version(api_as, practitioner, manager,
                                                                          make_family, uow):
    family = make_family(practitioner)
    save(api_as(manager), family.id, "worries", "First worry.", "0")

    response = save(api_as(practitioner), family.id, "worries", "My edit from an old page.", "0")

    problem = assert_problem(response, 409)
    assert problem["current_version"] == 1 and problem["type"].endswith("stale-version")
    assert response.headers["ETag"] == '"1"'
    assert "First worry" not in str(problem)
    assert len(audit_events(uow, action="update", family_id=str(family.id))) == 1


def test_put_section_without_if_match_is_428(api_as, practitioner, make_family):
    family = make_family(practitioner)
    problem = assert_problem(save(api_as(practitioner), family.id, "health", "Text", None), 428)
    assert "If-Match" in problem["detail"]


@pytest.mark.parametrize("if_match", ["*", "abc", '"1', "-1", "1.5", "٣"])
def test_put_section_with_a_malformed_if_match_is_400(api_as, practitioner, make_family, if_match):
    family = make_family(practitioner)
    assert_problem(save(api_as(practitioner), family.id, "health", "Text", if_match), 400)


def test_put_section_with_empty_or_missing_content_is_422(api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    assert list(assert_problem(save(api, family.id, "health", "   ", "0"), 422)["errors"]) == ["content"]
    missing = api.put(SECTION.format(family.id, "health"), json={}, headers={"If-Match": "0"})
    assert list(assert_problem(missing, 422)["errors"]) == ["content"]


def test_unknown_section_key_is_404(api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    assert_problem(api.get(SECTION.format(family.id, "horoscope")), 404)
    assert_problem(save(api, family.id, "horoscope", "Text", "0"), 404)
    assert_problem(api.get(SECTION.format(family.id, "horoscope") + "/history"), 404)


def test_section_history_lists_versions_newest_first_with_who_saved_them(api_as, practitioner, manager,
                                                                         make_family, early_help, uow):
    family = make_family(practitioner)
    save(api_as(practitioner), family.id, "family_story", "Mum lost her job in March.", "0")
    save(api_as(manager), family.id, "family_story", "Mum lost her job in March 2026.", "1")

    response = api_as(practitioner).get(SECTION.format(family.id, "family_story") + "/history")

    assert response.status_code == 200
    body = SectionHistoryResponseSchema().load(response.get_json())
    assert body["key"] == "family_story" and body["version"] == 2
    assert [(v["version"], v["created_by"]) for v in body["versions"]] == [(2, manager.id), (1, practitioner.id)]
    assert body["versions"][1]["content"] == "Mum lost her job in March."
    assert all(v["created_by_agency"] == early_help.id and v["source"] == "staff" for v in body["versions"])
    [event] = audit_events(uow, record_type="section_history", family_id=str(family.id))
    assert event.sections == ["family_story"]


def test_another_agencys_assessment_is_404_and_nothing_is_saved(api_as, practitioner, outsider, make_family, uow):
    family = make_family(practitioner)
    api = api_as(outsider)
    assert_problem(api.get(f"/families/{family.id}/assessment"), 404)
    assert_problem(save(api, family.id, "health", "Not mine to write.", "0"), 404)
    assert audit_events(uow, family_id=str(family.id), actor_user_id=str(outsider.id)) == []
