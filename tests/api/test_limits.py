"""Plausible limits (domain.people, domain.consent), the same in the API as in the web forms and the import:
dates of birth today or earlier and in 1900 or later, a child under 26; a consent of at most 24 months unless
the reason for a longer one is recorded, never more than 5 years, starting within 12 months."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.consent import add_months

from .conftest import assert_problem, new_family_body

TODAY = dt.date.today()


def _years_ago(years: int, days: int = 0) -> str:
    return (add_months(TODAY, -12 * years) + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(("role", "born", "ok"), [
    ("child", "0001-01-01", False), ("child", _years_ago(26), False), ("child", _years_ago(26, 1), True),
    ("parent_carer", "1899-12-31", False), ("parent_carer", "1900-01-01", True),
    ("child", (TODAY + dt.timedelta(days=1)).isoformat(), False), ("child", TODAY.isoformat(), True),
], ids=["year-1", "child-26", "child-25", "adult-1899", "adult-1900", "tomorrow", "today"])
def test_dates_of_birth_outside_the_plausible_range_are_422(api_as, practitioner, role, born, ok):
    body = new_family_body()
    person = body["people"][0 if role == "child" else 1]
    person["date_of_birth"] = born
    response = api_as(practitioner).post("/families", json=body)
    if ok:
        assert response.status_code == 201, response.get_json()
    else:
        field = "people.0.date_of_birth" if role == "child" else "people.1.date_of_birth"
        assert field in assert_problem(response, 422)["errors"]


@pytest.fixture
def consent_to(api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    parent = next(p for p in family.people if p.role == "parent_carer")

    def post(**dates):
        return api.post(f"/families/{family.id}/consents", json={
            "given_by": str(parent.id), "capacity": "parent_with_pr", "sections": ["health"],
            "recipients": {"agency_types": ["school"]}, "purpose": "Support at school", **dates})
    return post


def test_a_consent_runs_12_months_by_default_and_at_most_24_without_a_reason(consent_to):
    assert consent_to().get_json()["expires_on"] == add_months(TODAY, 12).isoformat()
    assert consent_to(expires_on=add_months(TODAY, 24).isoformat()).status_code == 201
    longer = consent_to(expires_on=add_months(TODAY, 30).isoformat())
    assert "extended_reason" in assert_problem(longer, 422)["errors"]
    reasoned = consent_to(expires_on=add_months(TODAY, 30).isoformat(),
                          extended_reason="Agreed with the family to cover the whole EHC plan")
    assert reasoned.status_code == 201
    assert reasoned.get_json()["extended_reason"] == "Agreed with the family to cover the whole EHC plan"


@pytest.mark.parametrize(("dates", "field"), [
    ({"expires_on": "9999-12-31", "extended_reason": "Forever"}, "expires_on"),
    ({"valid_from": "9999-01-01"}, "valid_from"),
    ({"valid_from": "0001-01-01", "expires_on": add_months(TODAY, 1).isoformat()}, "expires_on"),
    ({"valid_from": add_months(TODAY, 13).isoformat()}, "valid_from"),
], ids=["year-9999", "starts-9999", "starts-year-1", "starts-in-13-months"])
def test_a_consent_of_more_than_5_years_or_starting_far_off_is_422(consent_to, dates, field):
    assert field in assert_problem(consent_to(**dates), 422)["errors"]
