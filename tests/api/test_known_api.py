"""POST /known: is this child known, across agencies, without content; audited in the holder's access log."""
from __future__ import annotations

import pytest

from coordination.domain.actors import Actor
from coordination.services import admin as admin_service
from schemas.known import KnownResponseSchema

from .. import factories
from .conftest import assert_problem, audit_events

NHS = "943 476 5919"


@pytest.fixture
def held_elsewhere(make_family, outsider):
    """A family Hillside Early Help Hub holds, its lead Olu (the outsider of the other agency)."""
    return make_family(outsider, children=("Rowan",), surname="O'Brien", nhs_numbers=("9434765919",))


def test_an_nhs_number_held_by_another_agency_names_the_team_and_its_contact_only(
        api_as, practitioner, held_elsewhere, other_council_team):
    response = api_as(practitioner).post("/known", json={"nhs_number": NHS})

    assert response.status_code == 200
    body = response.get_json()
    assert KnownResponseSchema().validate(body) == {}
    assert body == {"known": True, "family_id": None, "teams": [
        {"agency_id": str(other_council_team.id), "name": "Hillside Early Help Hub",
         "contact": "olu.outsider@example.org"}]}
    assert held_elsewhere.reference not in response.get_data(as_text=True)
    assert "Rowan" not in response.get_data(as_text=True)


def test_the_teams_own_contact_route_is_given_when_an_admin_recorded_one(api_as, practitioner, held_elsewhere,
                                                                       other_council_team, uow):
    admin_service.update_agency(uow, Actor.system("test"), other_council_team.id, other_council_team.name,
                                "hillside.hub@example.org")
    uow.commit()
    body = api_as(practitioner).post("/known", json={"nhs_number": NHS}).get_json()
    assert [t["contact"] for t in body["teams"]] == ["hillside.hub@example.org"]


def test_name_and_date_of_birth_match_with_a_curly_apostrophe(api_as, practitioner, held_elsewhere):
    body = {"given_name": "Rowan", "family_name": "O\u2019Brien", "date_of_birth": "2014-06-01"}

    answer = api_as(practitioner).post("/known", json=body).get_json()

    assert answer["known"] is True and [t["name"] for t in answer["teams"]] == ["Hillside Early Help Hub"]


def test_a_different_date_of_birth_is_not_a_match_and_the_check_is_audited_without_the_values(
        api_as, practitioner, held_elsewhere, uow):
    body = {"given_name": "Rowan", "family_name": "O'Brien", "date_of_birth": "2014-06-02"}

    answer = api_as(practitioner).post("/known", json=body).get_json()

    assert answer == {"known": False, "family_id": None, "teams": []}
    [check] = audit_events(uow, record_type="known_check")
    assert check.details["matches"] == 0 and check.details["by"] == "name_and_date_of_birth"
    assert "Brien" not in str(check.details) and "2014" not in str(check.details)
    assert audit_events(uow, action="disclose") == []


def test_the_callers_own_family_comes_back_as_its_id(api_as, outsider, held_elsewhere, uow):
    answer = api_as(outsider).post("/known", json={"nhs_number": NHS}).get_json()

    assert answer == {"known": True, "family_id": str(held_elsewhere.id), "teams": []}
    assert audit_events(uow, action="disclose") == []


def test_each_matched_family_records_the_disclosure_of_the_fact_in_its_access_log(
        api_as, practitioner, outsider, held_elsewhere, early_help, uow):
    api_as(practitioner).post("/known", json={"nhs_number": NHS})

    [event] = audit_events(uow, action="disclose", family_id=str(held_elsewhere.id))
    assert event.sections == []
    assert event.authority["kind"] == "lawful_basis" and event.authority["basis"] == "public_task"
    assert event.authority["purpose"] == "is this child known"
    log = api_as(outsider).get(f"/families/{held_elsewhere.id}/access-log").get_json()
    [entry] = log["items"]
    assert entry["fact"] == "known" and entry["sections"] == []
    assert entry["agency_name"] == early_help.name and entry["user_id"] == str(practitioner.id)


def test_a_missing_name_and_date_are_every_error_at_once(api_as, practitioner):
    problem = assert_problem(api_as(practitioner).post("/known", json={"given_name": "Rowan"}), 422)

    assert set(problem["errors"]) == {"family_name", "date_of_birth"}


def test_an_invalid_nhs_number_is_422(api_as, practitioner):
    problem = assert_problem(api_as(practitioner).post("/known", json={"nhs_number": "943 476 5910"}), 422)
    assert "nhs_number" in str(problem)


def test_partner_keys_and_admins_may_not_ask(api_as, admin_user, partner_api, held_elsewhere):
    assert api_as(admin_user).post("/known", json={"nhs_number": NHS}).status_code == 403
    assert partner_api.post("/known", json={"nhs_number": NHS}).status_code == 403


def test_a_manager_of_a_third_agency_sees_only_the_holder(api_as, uow, held_elsewhere):
    front_door = factories.AgencyFactory(name="Eastmere Front Door", type="social_care")
    fd_manager = factories.UserFactory(agency=front_door, role="manager", email="fd.manager@example.org")

    answer = api_as(fd_manager).post("/known", json={"nhs_number": NHS}).get_json()

    assert [t["name"] for t in answer["teams"]] == ["Hillside Early Help Hub"]
