"""SEN2 over the API (the XML the CLI writes, with its SHA-256; 403 for a practitioner; audited) and an EHC
request's details: PATCH changes only the fields sent, the SEN2 rules come back as problem+json by field, a stale
If-Match is refused."""
from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.services import referrals as referrals_service

from .. import factories
from ..conftest import actor_of
from .conftest import assert_problem


@pytest.fixture
def send_work(uow, practitioner, make_family):
    team = factories.AgencyFactory(name="Eastmere SEND Service", type="send_service")
    officer = factories.UserFactory(agency=team, role="practitioner", email="sam.send@example.org")
    family = make_family(practitioner)
    referral = referrals_service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id,
                                                 "ehc_needs_assessment", team.id, "Fictional request for assessment",
                                                 received_on=dt.date.today() - dt.timedelta(days=90))
    uow.commit()
    return {"officer": officer, "family": family, "referral": referral}


def test_a_manager_downloads_sen2_as_xml_with_its_digest_and_it_is_audited(api_as, uow, manager, practitioner,
                                                                           send_work):
    year = send_work["referral"].received_on.year + 1
    response = api_as(manager).get(f"/returns/sen2?year={year}")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data()
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    assert response.headers["Content-Disposition"] == f'attachment; filename="SEN2_999_{year}.xml"'
    root = ET.fromstring(body)  # noqa: S314
    assert root.tag == "Message" and root.findtext("Header/CollectionDetails/Collection") == "SEN2"
    assert root.findtext("Persons/Person/Requests/RequestOutcome") == "A"
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "sen2")).scalars().all()
    assert [(e.action, e.details["sha256"], e.details["requests"]) for e in events] == [
        ("export", hashlib.sha256(body).hexdigest(), 1)]
    assert_problem(api_as(practitioner).get(f"/returns/sen2?year={year}"), 403)
    assert_problem(api_as(manager).get("/returns/sen2?year=2014"), 422)


def test_ehc_details_patch_changes_only_what_is_sent_and_keeps_the_rules(api_as, send_work, practitioner):
    api, referral = api_as(send_work["officer"]), send_work["referral"]
    url = f"/referrals/{referral.id}/ehc-details"
    empty = api.get(url)
    assert empty.status_code == 200 and empty.get_json()["version"] == 0 and empty.headers["ETag"] == '"0"'
    decided = (referral.received_on + dt.timedelta(days=30)).isoformat()
    saved = api.patch(url, json={"request_outcome": "Y", "request_outcome_on": decided, "request_tribunal": False})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    again = api.patch(url, json={"assessment_outcome": "A"}, headers={"If-Match": '"1"'})
    assert again.status_code == 200 and again.headers["ETag"] == '"2"'
    got = again.get_json()
    assert (got["request_outcome"], got["request_outcome_on"], got["request_tribunal"], got["assessment_outcome"]) == (
        "Y", decided, False, "A")
    problem = assert_problem(api.patch(url, json={"plan_start_on": decided, "placement_urn": "12",
                                                  "sen_needs": ["ASD", "ASD"], "cease_reason": "5"}), 422)
    assert set(problem["errors"]) == {"plan_start_on", "placement_urn", "placement_rank", "plan_ceased_on",
                                      "sen_needs"}
    assert set(assert_problem(api.patch(url, json={"sen_unit": True, "placement_entry_on": decided}), 422)[
        "errors"]) == {"sen_unit", "placement_entry_on"}  # S2-120: only with a placement
    plan = api.patch(url, json={"assessment_outcome": "Y", "assessment_outcome_on": decided, "plan_start_on": decided,
                                "placement_urn": "100001", "placement_rank": 1, "sen_unit": False,
                                "resourced_provision": True, "placement_entry_on": "2024-09-01"})
    assert plan.status_code == 200, plan.get_data(as_text=True)
    assert {k: plan.get_json()[k] for k in ("sen_unit", "resourced_provision", "placement_entry_on")} == {
        "sen_unit": False, "resourced_provision": True, "placement_entry_on": "2024-09-01"}
    assert_problem(api.patch(url, json={"request_outcome": "A"}, headers={"If-Match": '"1"'}), 412)
    assert "colour" in assert_problem(api.patch(url, json={"colour": "red"}), 422)["errors"]
    assert_problem(api_as(practitioner).patch(url, json={"request_outcome": "A"}), 403)  # the referrer
    assert api_as(practitioner).get(url).status_code == 200


def test_a_childs_uln_is_recorded_with_the_census_details_and_checked(api_as, practitioner, send_work):
    child = send_work["family"].children[0]
    api = api_as(practitioner)
    problem = assert_problem(api.put(f"/people/{child.id}/census", json={"uln": "12345"}), 422)
    assert problem["errors"] == {"uln": ["Enter a Unique Learner Number of 10 digits"]}
    saved = api.put(f"/people/{child.id}/census", json={"sex": "M", "uln": "1234567890"})
    assert saved.status_code == 200 and saved.get_json()["uln"] == "1234567890"
