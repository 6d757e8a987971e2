"""POST /families (duplicates, validation), GET /families (exact-match search), GET /families/{id}."""
from __future__ import annotations

import uuid

import pytest

from schemas.families import FamilyListResponseSchema, FamilyResponseSchema

from ..integration.test_duplicate_names import VARIANTS
from .conftest import assert_problem, audit_events, new_family_body

VALID_NHS = "943 476 5919"


def test_create_family_returns_201_with_people_ids_and_a_location(api_as, practitioner, uow):
    response = api_as(practitioner).post("/families", json=new_family_body(nhs_number=VALID_NHS))

    assert response.status_code == 201
    body = FamilyResponseSchema().load(response.get_json())
    assert body["reference"].startswith("EH-")
    child = next(p for p in body["people"] if p["role"] == "child")
    assert child["given_name"] == "Robin" and child["nhs_number"] == "9434765919"
    assert all(isinstance(p["id"], uuid.UUID) for p in body["people"])
    assert response.headers["Location"] == f"/api/v1/families/{body['id']}"
    assert [e.action for e in audit_events(uow, record_type="family", record_id=str(body["id"]))] == ["create"]


def test_created_family_can_be_read_back(api_as, practitioner):
    api = api_as(practitioner)
    created = api.post("/families", json=new_family_body()).get_json()

    response = api.get(f"/families/{created['id']}")

    assert response.status_code == 200 and response.get_json() == created


def test_create_family_when_a_likely_duplicate_exists_is_409_with_candidates(api_as, practitioner, make_family):
    existing = make_family(practitioner, children=("Rowan",), surname="Testfamily")
    body = {"people": [{"role": "child", "given_name": "Rowan", "family_name": "Testfamily",
                        "date_of_birth": "2014-06-01"}]}

    response = api_as(practitioner).post("/families", json=body)

    problem = assert_problem(response, 409)
    assert problem["type"].endswith("possible-duplicate-family")
    [candidate] = problem["candidates"]
    assert candidate["id"] == str(existing.id) and candidate["reference"] == existing.reference
    assert {"given_name": "Rowan", "family_name": "Testfamily", "date_of_birth": "2014-06-01",
            "role": "child"} in candidate["people"]
    assert all(set(p) == {"role", "given_name", "family_name", "date_of_birth"} for p in candidate["people"])


def test_create_family_when_the_surname_and_birthday_match_a_differently_spelt_child_is_409(
        api_as, practitioner, make_family):
    make_family(practitioner, children=("Rowan",), surname="Testfamily")
    body = {"people": [{"role": "child", "given_name": "Rowen", "family_name": "Testfamily",
                        "date_of_birth": "2014-06-01"}]}

    assert_problem(api_as(practitioner).post("/families", json=body), 409)


def test_create_family_with_confirm_new_creates_it_despite_the_duplicate(api_as, practitioner, make_family):
    existing = make_family(practitioner, children=("Rowan",), surname="Testfamily")
    body = {"confirm_new": True, "people": [{"role": "child", "given_name": "Rowan", "family_name": "Testfamily",
                                             "date_of_birth": "2014-06-01"}]}

    response = api_as(practitioner).post("/families", json=body)

    assert response.status_code == 201 and response.get_json()["id"] != str(existing.id)


def test_create_family_when_the_duplicate_is_another_agencys_reveals_nothing(api_as, practitioner, outsider,
                                                                             make_family):
    make_family(practitioner, children=("Rowan",), surname="Testfamily", nhs_numbers=(VALID_NHS,))
    body = {"people": [{"role": "child", "given_name": "Rowan", "family_name": "Testfamily",
                        "date_of_birth": "2014-06-01", "nhs_number": VALID_NHS}]}

    response = api_as(outsider).post("/families", json=body)

    assert response.status_code == 201


def test_create_family_when_fields_are_missing_is_422_with_a_flat_field_map(api_as, practitioner):
    response = api_as(practitioner).post("/families", json={"people": [{"role": "child"}]})

    problem = assert_problem(response, 422)
    assert problem["type"].endswith(":validation")
    assert set(problem["errors"]) == {"people.0.given_name", "people.0.family_name"}
    assert problem["errors"]["people.0.given_name"] == ["Missing data for required field."]


def test_create_family_when_the_nhs_number_check_digit_is_wrong_is_422_with_the_same_shape(api_as, practitioner):
    body = new_family_body(nhs_number="943 476 5918")

    problem = assert_problem(api_as(practitioner).post("/families", json=body), 422)

    assert list(problem["errors"]) == ["people.0.nhs_number"]
    assert "valid NHS number" in problem["errors"]["people.0.nhs_number"][0]
    assert "5918" not in problem["detail"]


def test_create_family_when_the_role_is_unknown_or_a_field_is_extra_is_422(api_as, practitioner):
    body = new_family_body()
    body["people"][1]["role"] = "uncle"
    body["colour"] = "blue"

    problem = assert_problem(api_as(practitioner).post("/families", json=body), 422)

    assert set(problem["errors"]) == {"people.1.role", "colour"}
    assert problem["errors"]["colour"] == ["Unknown field."]


def test_create_family_with_nobody_or_no_child_is_422(api_as, practitioner):
    api = api_as(practitioner)
    assert set(assert_problem(api.post("/families", json={"people": []}), 422)["errors"]) == {"people"}
    adults = {"people": [{"role": "parent_carer", "given_name": "Sam", "family_name": "Newfamily"}]}
    assert assert_problem(api.post("/families", json=adults), 422)["errors"] == {"people": ["Add at least one child"]}


def test_create_family_when_the_body_is_not_json_is_422(api_as, practitioner):
    response = api_as(practitioner).call("POST", "/families", headers={"Content-Type": "application/json"})
    assert list(assert_problem(response, 422)["errors"]) == ["_schema"]
    not_an_object = api_as(practitioner).post("/families", json=["people"])
    assert list(assert_problem(not_an_object, 422)["errors"]) == ["_schema"]


def test_search_by_reference_nhs_number_or_name_and_birthday_finds_the_family(api_as, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",), surname="Testfamily", nhs_numbers=(VALID_NHS,))
    api = api_as(practitioner)

    for query in (f"reference={family.reference.lower()}", "nhs_number=9434765919",
                  "given_name=Rowan&family_name=Testfamily&date_of_birth=2014-06-01",
                  "family_name=Testfamily&date_of_birth=2014-06-01"):
        response = api.get(f"/families?{query}")
        assert response.status_code == 200, query
        items = FamilyListResponseSchema().load(response.get_json())["items"]
        assert [f["id"] for f in items] == [family.id], query


def test_search_by_body_keeps_criteria_out_of_the_url_and_finds_the_same(api_as, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",), surname="Testfamily", nhs_numbers=(VALID_NHS,))
    api = api_as(practitioner)

    response = api.post("/families/search", json={"nhs_number": VALID_NHS})

    assert response.status_code == 200
    assert [f["id"] for f in response.get_json()["items"]] == [str(family.id)]
    assert list(assert_problem(api.post("/families/search", json={}), 422)["errors"]) == ["_schema"]


def test_partial_name_search_by_body_finds_our_family_and_never_another_agencys(api_as, practitioner, outsider,
                                                                              make_family):
    ours = make_family(practitioner, children=("Rowan",), surname="Fernleaf")
    make_family(outsider, children=("Rowan",), surname="Fernleaf")
    api = api_as(practitioner)
    found = api.post("/families/search", json={"name": "fernl"})
    assert found.status_code == 200 and [f["id"] for f in found.get_json()["items"]] == [str(ours.id)]
    assert api_as(outsider).post("/families/search", json={"name": "row"}).get_json()["items"][0]["id"] != str(
        ours.id)
    short = assert_problem(api.post("/families/search", json={"name": "Fe"}), 422)
    assert short["errors"] == {"name": ["Enter at least 3 letters of a first or last name"]}


def test_search_with_no_match_is_an_empty_list(api_as, practitioner, make_family):
    make_family(practitioner)
    response = api_as(practitioner).get("/families?nhs_number=9434765919")
    assert response.status_code == 200 and response.get_json() == {"items": []}


def test_search_without_criteria_or_with_an_unknown_one_is_422(api_as, practitioner):
    api = api_as(practitioner)
    assert list(assert_problem(api.get("/families"), 422)["errors"]) == ["_schema"]
    assert list(assert_problem(api.get("/families?given_name=Rowan"), 422)["errors"]) == ["_schema"]
    assert "surname" in assert_problem(api.get("/families?surname=Testfamily"), 422)["errors"]
    assert "date_of_birth" in assert_problem(
        api.get("/families?family_name=Testfamily&date_of_birth=June"), 422)["errors"]


def test_search_is_audited_without_the_search_terms(api_as, practitioner, uow):
    api_as(practitioner).get("/families?family_name=Testfamily&date_of_birth=2014-06-01")
    [event] = audit_events(uow, record_type="family_search")
    assert "Testfamily" not in str(event.details) and event.actor_user_id == str(practitioner.id)


def test_get_family_of_another_agency_is_404_not_403(api_as, practitioner, outsider, make_family):
    family = make_family(practitioner)
    problem = assert_problem(api_as(outsider).get(f"/families/{family.id}"), 404)
    assert "Testfamily" not in str(problem)


def test_get_family_with_an_unknown_or_malformed_id_is_404(api_as, practitioner):
    api = api_as(practitioner)
    assert_problem(api.get(f"/families/{uuid.uuid4()}"), 404)
    assert_problem(api.get("/families/not-a-uuid"), 404)
    assert_problem(api.get("/families/1234"), 404)


def test_reading_a_family_is_audited_without_names_or_identifiers(api_as, practitioner, outsider, make_family, uow):
    family = make_family(practitioner, nhs_numbers=("9434765919",))
    response = api_as(practitioner).get(f"/families/{family.id}")
    assert response.status_code == 200 and response.json["people"][1]["family_name"] == "Testfamily"
    [event] = audit_events(uow, record_type="family", action="read")
    assert (event.record_id, event.family_id, event.actor_user_id) == (str(family.id), str(family.id),
                                                                       str(practitioner.id))
    assert event.details == {"people": 3}  # a count: no names, dates of birth or NHS numbers
    api_as(outsider).get(f"/families/{family.id}")  # a 404 reads nothing, so nothing is recorded
    assert len(audit_events(uow, record_type="family", action="read")) == 1


@pytest.mark.parametrize(("recorded", "typed"), VARIANTS.values(), ids=VARIANTS.keys())
def test_create_family_when_the_surname_is_typed_another_way_is_409_with_the_candidate(
        api_as, practitioner, make_family, recorded, typed):
    existing = make_family(practitioner, children=("Rowan",), surname=recorded)
    body = {"people": [{"role": "child", "given_name": "Rowan", "family_name": typed, "date_of_birth": "2014-06-01"}]}

    response = api_as(practitioner).post("/families", json=body)

    problem = assert_problem(response, 409)
    [candidate] = problem["candidates"]
    assert candidate["id"] == str(existing.id)
    assert {"given_name": "Rowan", "family_name": recorded, "date_of_birth": "2014-06-01",
            "role": "child"} in candidate["people"]


def test_create_family_keeps_the_name_as_typed(api_as, practitioner):
    response = api_as(practitioner).post("/families", json=new_family_body(surname="O\u2019Newfamily"))

    assert response.status_code == 201
    assert {p["family_name"] for p in response.get_json()["people"]} == {"O\u2019Newfamily"}


def test_a_name_over_100_characters_is_422(api_as, practitioner):
    response = api_as(practitioner).post("/families", json={"people": [{"role": "child", "given_name": "A" * 101,
                                                       "family_name": "Applewood", "date_of_birth": "2016-05-03"}]})
    assert response.status_code == 422
    assert "given_name" in str(response.get_json())
