"""GET /families/{id}/access-log: "who has my data been shared with" — every disclosure of the record, with
when, which agency and key, which sections, and the consent or safeguarding decision that allowed it."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.services import assessment

from ..conftest import actor_of
from .conftest import assert_problem, audit_events, parent_consent, partner_key, staff_api


@pytest.fixture
def family(uow, practitioner, make_family):
    """A family whose health, education and safety sections are written (empty sections are not disclosures)."""
    fam = make_family(practitioner)
    for key in ("health", "education_send", "safety"):
        assessment.save_section(uow, actor_of(practitioner), fam.id, key, f"Fictional notes on {key}.", 0)
    uow.commit()
    return fam


def test_a_partner_read_appears_with_its_key_sections_and_consent(client, uow, practitioner, family, school):
    given = parent_consent(uow, practitioner, family, ["health", "education_send"], {"agencies": [school.id]})
    partner_key(client, uow, school, name="Meadow MIS").get(f"/families/{family.id}/assessment")
    response = staff_api(client, uow, practitioner).get(f"/families/{family.id}/access-log")
    assert response.status_code == 200 and response.json["family_id"] == str(family.id)
    [entry] = response.json["items"]
    assert (entry["agency_id"], entry["agency_name"], entry["api_key_name"]) == (str(school.id), school.name,
                                                                                 "Meadow MIS")
    assert entry["api_key_id"] and entry["user_id"] is None and entry["channel"] == "api"
    assert sorted(entry["sections"]) == ["education_send", "health"] and entry["at"]
    assert [(a["kind"], a["id"], sorted(a["sections"])) for a in entry["authorities"]] == [
        ("consent", str(given.id), ["education_send", "health"])]
    event = audit_events(uow, record_type="access_log", action="read")[-1]
    assert event.family_id == str(family.id) and event.actor_user_id == str(practitioner.id)


def test_reads_by_the_case_holders_are_not_disclosures(client, uow, practitioner, make_family):
    family = make_family(practitioner)
    staff = staff_api(client, uow, practitioner)
    staff.get(f"/families/{family.id}/assessment")
    assert staff.get(f"/families/{family.id}/access-log").json["items"] == []


def test_a_safeguarding_disclosure_is_listed_with_its_lawful_basis(client, uow, manager, family, school):
    boss = staff_api(client, uow, manager)
    made = boss.post(f"/families/{family.id}/disclosures", json={
        "agency_id": str(school.id), "sections": ["safety"], "lawful_basis": "vital_interests",
        "justification": "Emergency", "expires_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()}).json
    before = boss.get(f"/families/{family.id}/access-log").json
    assert before["items"] == [] and [d["id"] for d in before["disclosures"]] == [made["id"]]
    partner_key(client, uow, school).get(f"/families/{family.id}/assessment")
    [entry] = boss.get(f"/families/{family.id}/access-log").json["items"]
    assert entry["sections"] == ["safety"] and entry["withheld_from_family"] is False
    assert entry["authorities"] == [{"kind": "disclosure", "id": made["id"], "lawful_basis": "vital_interests",
                                     "sections": ["safety"]}]


def test_another_agencys_family_log_is_404(client, uow, practitioner, outsider, make_family):
    family = make_family(practitioner)
    assert_problem(staff_api(client, uow, outsider).get(f"/families/{family.id}/access-log"), 404)
    assert audit_events(uow, record_type="access_log") == []
