"""What a partner agency's system gets from GET /families/{id}/assessment under each consent state, and what
the family's access log then says. Sections without cover never appear — not by key, not by title."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.extensions import state
from coordination.services import assessment, auth
from coordination.services import consent as consent_service

from .. import factories
from ..conftest import actor_of
from .conftest import Api, assert_problem, audit_events

TITLES = {t.key: t.title for t in DEFAULT_TEMPLATE}


@pytest.fixture
def family(uow, practitioner, make_family):
    fam = make_family(practitioner)
    for key, text in (("health", "Asthma, uses an inhaler."), ("safety", "Dad's friend visits when drunk."),
                      ("education_send", "Dyslexia assessment pending.")):
        assessment.save_section(uow, actor_of(practitioner), fam.id, key, text, 0)
    uow.commit()
    return fam


@pytest.fixture
def school(uow):
    return factories.AgencyFactory(name="Meadow Primary School", type="school")


def key_for(client, uow, agency, scopes=("read:assessment",)) -> Api:
    _key, secret = auth.issue_api_key(uow, Actor.system("test"), agency.id, f"{agency.name} MIS", list(scopes))
    uow.commit()
    return Api(client, secret)


def consent(uow, practitioner, family, sections, recipients, **kw):
    parent = next(p for p in family.people if p.role == "parent_carer")
    view = consent_service.record_consent(uow, actor_of(practitioner), family.id, given_by=parent.id,
                                          capacity="parent_with_pr", sections=sections, recipients=recipients,
                                          purpose="Support", **kw)
    uow.commit()
    return view


def read(api, family):
    return api.get(f"/families/{family.id}/assessment")


def test_no_cover_is_404_like_a_family_that_does_not_exist(client, uow, family, school):
    api = key_for(client, uow, school)
    assert_problem(read(api, family), 404)
    assert_problem(api.get("/families/00000000-0000-0000-0000-000000000000/assessment"), 404)


def test_consent_to_the_agency_shows_exactly_its_sections_and_nothing_of_the_others(client, uow, practitioner,
                                                                                    family, school):
    consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    response = read(key_for(client, uow, school), family)
    assert response.status_code == 200
    assert [s["key"] for s in response.json["sections"]] == ["health"]
    assert response.json["sections"][0]["content"] == "Asthma, uses an inhaler."
    text = response.get_data(as_text=True)
    for key, title in TITLES.items():
        if key != "health":
            assert key not in text and title not in text


def test_consent_to_an_agency_type_covers_every_agency_of_that_type(client, uow, practitioner, family, school):
    consent(uow, practitioner, family, ["education_send"], {"agency_types": ["school"]})
    other = factories.AgencyFactory(name="Hilltop Academy", type="school")
    gp = factories.AgencyFactory(name="Riverside Surgery", type="health")
    assert [s["key"] for s in read(key_for(client, uow, other), family).json["sections"]] == ["education_send"]
    assert_problem(read(key_for(client, uow, gp), family), 404)


def test_withdrawal_is_effective_on_the_very_next_call(client, uow, practitioner, manager, family, school):
    given = consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    partner = key_for(client, uow, school)
    assert read(partner, family).status_code == 200
    staff = Api(client, auth.issue_token(uow, Actor.system("t"), practitioner))
    uow.commit()
    assert staff.post(f"/consents/{given.id}/withdraw", json={"reason": "Mum changed her mind"}).status_code == 200
    assert_problem(read(partner, family), 404)


def test_not_yet_valid_consent_covers_nothing(client, uow, practitioner, family, school):
    today = dt.date.today()
    consent(uow, practitioner, family, ["health"], {"agencies": [school.id]},
            valid_from=today + dt.timedelta(days=3), expires_on=today + dt.timedelta(days=60))
    assert_problem(read(key_for(client, uow, school), family), 404)


def test_expired_consent_covers_nothing_from_its_expiry_day(client, app, uow, practitioner, family, school):
    today = dt.date.today()
    consent(uow, practitioner, family, ["health"], {"agencies": [school.id]}, expires_on=today + dt.timedelta(days=30))
    partner = key_for(client, uow, school)
    assert read(partner, family).status_code == 200
    st = state(app)
    make = st.unit_of_work

    def later(request_id=None):  # the service's clock, 30 days on: the expiry day itself
        unit = make(request_id)
        unit.now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
        return unit

    st.unit_of_work = later
    assert_problem(read(partner, family), 404)


def test_safeguarding_disclosure_covers_its_sections_and_the_access_log_names_it(client, uow, manager, practitioner,
                                                                                 family, school):
    boss = Api(client, auth.issue_token(uow, Actor.system("t"), manager))
    uow.commit()
    made = boss.post(f"/families/{family.id}/disclosures", json={
        "agency_id": str(school.id), "sections": ["safety"], "lawful_basis": "public_task",
        "justification": "Child disclosed harm at school", "expires_on": (dt.date.today() + dt.timedelta(days=14))
        .isoformat()})
    assert made.status_code == 201, made.json
    partner = key_for(client, uow, school)
    assert [s["key"] for s in read(partner, family).json["sections"]] == ["safety"]
    log = boss.get(f"/families/{family.id}/access-log").json["items"]
    assert log[0]["agency_id"] == str(school.id) and log[0]["sections"] == ["safety"]
    authority = log[0]["authorities"][0]
    assert authority["kind"] == "disclosure" and authority["lawful_basis"] == "public_task"
    assert "Child disclosed harm" not in str([e.details for e in audit_events(uow, family_id=str(family.id))])


def test_a_partner_read_is_an_audited_disclosure_naming_the_key_and_consent(client, uow, practitioner, family, school):
    given = consent(uow, practitioner, family, ["health", "education_send"], {"agencies": [school.id]})
    read(key_for(client, uow, school), family)
    event = audit_events(uow, family_id=str(family.id), action="disclose")[-1]
    assert event.actor_kind == "api_key" and event.actor_agency_id == str(school.id)
    assert event.sections == ["education_send", "health"]
    assert event.authority["consents"] == [str(given.id)]


def test_a_key_without_the_read_scope_is_refused(client, uow, practitioner, family, school):
    consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    assert_problem(read(key_for(client, uow, school, scopes=("referrals",)), family), 403)
