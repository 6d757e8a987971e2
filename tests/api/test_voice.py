"""The child's voice over the API: recorded verbatim, listed newest first, corrected by a new entry."""
from __future__ import annotations

import datetime as dt

from schemas.voice import VoiceListResponseSchema, VoiceResponseSchema

from .conftest import assert_problem, audit_events

TODAY = dt.date.today().isoformat()


def voice(child_id, **overrides) -> dict:
    return {"child_id": str(child_id), "words": "I like it when Dad reads to me.", "method": "own_words",
            "recorded_on": TODAY, **overrides}


def test_record_voice_returns_201_and_the_entry_verbatim(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)
    child = family.children[0]

    response = api_as(practitioner).post(f"/families/{family.id}/voice",
                                         json=voice(child.id, section_key="child_voice"))

    assert response.status_code == 201
    body = VoiceResponseSchema().load(response.get_json())
    assert body["child_id"] == child.id and body["words"] == "I like it when Dad reads to me."
    assert body["method"] == "own_words" and body["recorded_on"] == dt.date.today()
    assert body["recorded_by"] == practitioner.id and body["section_key"] == "child_voice"
    [event] = audit_events(uow, action="create", record_type="voice_entry", family_id=str(family.id))
    assert event.sections == ["child_voice"] and "Dad" not in str(event.details)


def test_list_voice_shows_entries_newest_first_and_links_corrections(api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    child = family.children[0].id
    first = api.post(f"/families/{family.id}/voice", json=voice(child, words="I like school")).get_json()
    fix = api.post(f"/families/{family.id}/voice",
                   json=voice(child, words="I like school dinners", corrects_id=first["id"])).get_json()

    response = api.get(f"/families/{family.id}/voice")

    assert response.status_code == 200
    items = VoiceListResponseSchema().load(response.get_json())["items"]
    by_id = {str(e["id"]): e for e in items}
    assert set(by_id) == {first["id"], fix["id"]}
    assert str(by_id[first["id"]]["corrected_by_id"]) == fix["id"]
    assert by_id[first["id"]]["words"] == "I like school"  # never edited


def test_record_voice_with_an_unknown_method_or_missing_fields_is_422(api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)

    bad_method = assert_problem(api.post(f"/families/{family.id}/voice",
                                         json=voice(family.children[0].id, method="telepathy")), 422)
    missing = assert_problem(api.post(f"/families/{family.id}/voice", json={"words": "hello"}), 422)

    assert list(bad_method["errors"]) == ["method"]
    assert set(missing["errors"]) == {"child_id", "method", "recorded_on"}


def test_record_voice_for_a_parent_or_in_the_future_is_422_from_the_service(api_as, practitioner, make_family):
    family = make_family(practitioner)
    parent = next(p for p in family.people if p.role == "parent_carer")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()

    problem = assert_problem(api_as(practitioner).post(f"/families/{family.id}/voice",
                                                       json=voice(parent.id, recorded_on=tomorrow)), 422)

    assert set(problem["errors"]) == {"child_id", "recorded_on"}


def test_voice_of_another_agencys_family_is_404(api_as, practitioner, outsider, make_family):
    family = make_family(practitioner)
    api = api_as(outsider)
    assert_problem(api.post(f"/families/{family.id}/voice", json=voice(family.children[0].id)), 404)
    assert_problem(api.get(f"/families/{family.id}/voice"), 404)
