"""Consents, contributions and per-key rate limits through the API."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination import create_app
from coordination.domain.actors import Actor
from coordination.domain.calendar import add_calendar
from coordination.services import auth

from .. import factories
from ..conftest import make_settings
from .conftest import Api, assert_problem, audit_events


@pytest.fixture
def school(uow):
    return factories.AgencyFactory(name="Meadow Primary School", type="school")


@pytest.fixture
def staff(client, uow, practitioner):
    api = Api(client, auth.issue_token(uow, Actor.system("t"), practitioner))
    uow.commit()
    return api


def partner(client, uow, agency, scopes):
    _key, secret = auth.issue_api_key(uow, Actor.system("test"), agency.id, "MIS", scopes)
    uow.commit()
    return Api(client, secret)


def test_consent_is_recorded_listed_and_a_young_persons_refusal_governs(client, uow, staff, practitioner, school):
    from coordination.services.families import NewPerson, create_family

    from ..conftest import actor_of

    today = dt.date.today()
    family = create_family(uow, actor_of(practitioner), [
        NewPerson("parent_carer", "Morgan", "Sharefamily", dt.date(1985, 1, 1)),
        NewPerson("child", "Teagan", "Sharefamily", today.replace(year=today.year - 17))], confirm_new=True)
    uow.commit()
    parent, teen = family.people
    body = {"given_by": str(parent.id), "capacity": "parent_with_pr", "sections": ["health", "strengths"],
            "recipients": {"agencies": [str(school.id)]}, "purpose": "Support at school"}
    made = staff.post(f"/families/{family.id}/consents", json=body)
    assert made.status_code == 201 and made.json["state"] == "live" and made.json["id"]
    assert made.json["expires_on"] == add_calendar(today, months=12).isoformat()  # the default lifetime
    refused = staff.post(f"/families/{family.id}/consents", json={
        **body, "given_by": str(teen.id), "capacity": "young_person", "sections": ["health"], "decision": "refuse"})
    assert refused.status_code == 201
    listed = staff.get(f"/families/{family.id}/consents").json
    assert len(listed["items"]) == 2
    assert [(c["section_key"], c["governs"]) for c in listed["conflicts"]] == [("health", "young_person")]
    shown = partner(client, uow, school, ["read:assessment"]).get(f"/families/{family.id}/assessment")
    # Nothing has been written yet, but the covered section is listed; the refused one is not.
    assert [s["key"] for s in shown.json["sections"]] == ["strengths"]


def test_bad_consent_gets_a_field_map(staff, practitioner, make_family):
    family = make_family(practitioner)
    child = family.children[0]
    response = staff.post(f"/families/{family.id}/consents", json={
        "given_by": str(child.id), "capacity": "parent_with_pr", "sections": ["not_a_section"],
        "recipients": {}, "purpose": ""})
    problem = assert_problem(response, 422)
    assert {"given_by", "sections", "recipients", "purpose"} <= set(problem["errors"])


def test_partner_contribution_is_attributed_audited_and_seen_by_staff(client, uow, staff, practitioner, make_family,
                                                                      school):
    from coordination.services import consent as consent_service

    from ..conftest import actor_of

    family = make_family(practitioner)
    parent = next(p for p in family.people if p.role == "parent_carer")
    consent_service.record_consent(uow, actor_of(practitioner), family.id, given_by=parent.id,
                                   capacity="parent_with_pr", sections=["education_send"],
                                   recipients={"agencies": [school.id]}, purpose="School support")
    uow.commit()
    api = partner(client, uow, school, ["write:contributions"])
    made = api.post(f"/families/{family.id}/contributions",
                    json={"section": "education_send", "content": "Attendance 82% this term; loves art."})
    assert made.status_code == 201 and made.json["agency_name"] == "Meadow Primary School"
    seen = staff.get(f"/families/{family.id}/contributions").json["items"]
    assert [(c["section"], c["content"], c["status"]) for c in seen] == [
        ("education_send", "Attendance 82% this term; loves art.", "new")]
    assert staff.post(f"/contributions/{seen[0]['id']}/incorporated").json["status"] == "incorporated"
    event = audit_events(uow, record_type="contribution", action="create")[-1]
    assert event.actor_agency_id == str(school.id) and event.sections == ["education_send"]
    assert "Attendance" not in str(event.details)
    assert_problem(api.post(f"/families/{family.id}/contributions", json={"section": "nope", "content": ""}), 422)


def test_contribution_without_cover_is_404(client, uow, practitioner, make_family, school):
    family = make_family(practitioner)
    api = partner(client, uow, school, ["write:contributions"])
    assert_problem(api.post(f"/families/{family.id}/contributions", json={"section": "health", "content": "x"}), 404)


def test_rate_limit_is_per_key(fresh_database, tmp_path):
    app = create_app(make_settings(fresh_database.url, tmp_path, ratelimit_enabled=True),
                     engine=fresh_database.engine)
    app.config["API_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    first, second = _two_keys(app)
    codes = [client.get("/api/v1/families?reference=EH-NONE", headers=first).status_code for _ in range(4)]
    assert codes[:3] != [429] * 3 and codes[3] == 429
    assert client.get("/api/v1/families?reference=EH-NONE", headers=second).status_code != 429


def test_rate_limit_storage_works_on_redis(fresh_database, tmp_path, redis_url):
    app = create_app(make_settings(fresh_database.url, tmp_path, ratelimit_enabled=True,
                                   ratelimit_storage=redis_url), engine=fresh_database.engine)
    app.config["API_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    first, _second = _two_keys(app)
    codes = [client.get("/api/v1/families?reference=EH-NONE", headers=first).status_code for _ in range(3)]
    assert codes[2] == 429
    assert client.get("/api/v1/families?reference=EH-NONE", headers=first).mimetype == "application/problem+json"


def _two_keys(app):
    from coordination.extensions import state

    unit = state(app).unit_of_work()
    agency = factories.AgencyFactory.build(name=f"Limit test {id(app)}", type="council_early_help")
    unit.session.add(agency)
    unit.session.flush()
    headers = []
    for n in range(2):
        user = factories.UserFactory.build(agency=agency, email=f"limit{n}-{id(app)}@example.org")
        unit.session.add(user)
        unit.session.flush()
        headers.append({"Authorization": "Bearer " + auth.issue_token(unit, Actor.system("t"), user)})
    unit.commit()
    unit.session.close()
    return headers
