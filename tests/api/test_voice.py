"""The child's voice over the API: recorded verbatim, listed newest first, corrected by a new entry."""
from __future__ import annotations

import datetime as dt

import pytest

from schemas.voice import VoiceListResponseSchema, VoiceResponseSchema

from ..family_support import invite, sign_in_with_link
from ..integration.consent_support import household
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


def test_record_voice_confidential_or_not_is_201_and_listed_for_staff(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)
    api = api_as(practitioner)
    child = family.children[0].id
    plain = api.post(f"/families/{family.id}/voice", json=voice(child, words="I like the bus."))
    kept = api.post(f"/families/{family.id}/voice", json=voice(child, words="I hide my phone.", confidential=True))
    opened = api.post(f"/families/{family.id}/voice", json=voice(child, words="I like art.", confidential=False))

    assert (plain.status_code, kept.status_code, opened.status_code) == (201, 201, 201)
    assert [r.get_json()["confidential"] for r in (plain, kept, opened)] == [False, True, False]
    listed = VoiceListResponseSchema().load(api.get(f"/families/{family.id}/voice").get_json())["items"]
    assert {e["words"]: e["confidential"] for e in listed} == {
        "I like the bus.": False, "I hide my phone.": True, "I like art.": False}
    events = audit_events(uow, action="create", record_type="voice_entry", family_id=str(family.id))
    assert [e.details["confidential"] for e in events] == [False, True, False]


@pytest.mark.parametrize("value", ["yes", 1, "true", None, [True], {"a": True}])
def test_record_voice_with_a_non_boolean_confidential_is_422(api_as, practitioner, make_family, value):
    family = make_family(practitioner)
    api = api_as(practitioner)

    problem = assert_problem(api.post(f"/families/{family.id}/voice",
                                      json=voice(family.children[0].id, confidential=value)), 422)

    assert problem["errors"] == {"confidential": ["Not a valid boolean." if value is not None
                                                  else "Field may not be null."]}
    assert api.get(f"/families/{family.id}/voice").get_json()["items"] == []


def test_an_entry_kept_confidential_through_the_api_is_seen_by_its_young_person_only(app, api_as, practitioner,
                                                                                     uow):
    home = household(uow, practitioner)
    api = api_as(practitioner)
    assert api.post(f"/families/{home.id}/voice", json=voice(home.child, words="Mum does not know about the bus.",
                                                             confidential=True)).status_code == 201
    assert api.post(f"/families/{home.id}/voice", json=voice(home.child, words="I like art club.")).status_code == 201
    seen = {}
    for who, email in ((home.parent, "morgan@example.com"), (home.child, "cody@example.com"),
                       (home.teen, "teagan@example.com")):
        client = app.test_client()
        sign_in_with_link(app, client, invite(uow, who, email))
        html = client.get("/my-family/our-story").get_data(as_text=True)
        seen[email] = ("Mum does not know about the bus." in html, "I like art club." in html)
    assert seen == {"morgan@example.com": (False, True), "cody@example.com": (True, True),
                    "teagan@example.com": (False, True)}
