"""What a partner agency's system gets from GET /families/{id}/assessment under each consent state, and what
the audit trail then says. Sections without cover never appear — not by key, not by title, not by content."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.extensions import state
from coordination.services import assessment

from .. import factories
from ..conftest import actor_of
from .conftest import assert_problem, audit_events, parent_consent, partner_key, staff_api

TITLES = {t.key: t.title for t in DEFAULT_TEMPLATE}
WRITTEN = {"health": "Asthma, uses an inhaler.", "safety": "Dad's friend visits when drunk.",
           "education_send": "Dyslexia assessment pending."}
NOBODY = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def family(uow, practitioner, make_family):
    fam = make_family(practitioner)
    for key, text in WRITTEN.items():
        assessment.save_section(uow, actor_of(practitioner), fam.id, key, text, 0)
    uow.commit()
    return fam


def read(api, family):
    return api.get(f"/families/{family.id}/assessment")


def assert_shows_only(response, keys: list[str]) -> None:
    """200 with exactly `keys`, in template order; no other section's key, title or words anywhere."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [s["key"] for s in response.json["sections"]] == keys
    text = response.get_data(as_text=True)
    for key, title in TITLES.items():
        if key not in keys:
            assert f'"{key}"' not in text and title not in text
            assert WRITTEN.get(key, "\0") not in text


def test_no_cover_is_404_like_a_family_that_does_not_exist(client, uow, family, school):
    api = partner_key(client, uow, school)
    uncovered = assert_problem(read(api, family), 404)
    unknown = assert_problem(api.get(f"/families/{NOBODY}/assessment"), 404)
    same = ("status", "title", "detail")  # nothing but the request's own id and path tells the two apart
    assert {k: uncovered[k] for k in same} == {k: unknown[k] for k in same}
    assert set(uncovered) == set(unknown)
    assert audit_events(uow, family_id=str(family.id), action="disclose") == []


def test_consent_to_the_agency_shows_exactly_its_sections_when_a_parent_agreed(client, uow, practitioner, family,
                                                                               school):
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    response = read(partner_key(client, uow, school), family)
    assert_shows_only(response, ["health"])
    assert response.json["family_id"] == str(family.id)
    assert response.json["sections"][0]["content"] == WRITTEN["health"]


def test_consent_to_an_agency_type_covers_every_agency_of_that_type(client, uow, practitioner, family, school):
    parent_consent(uow, practitioner, family, ["education_send"], {"agency_types": ["school"]})
    other = factories.AgencyFactory(name="Hilltop Academy", type="school")
    gp = factories.AgencyFactory(name="Riverside Surgery", type="health")
    assert_shows_only(read(partner_key(client, uow, other), family), ["education_send"])
    assert_shows_only(read(partner_key(client, uow, school), family), ["education_send"])
    assert_problem(read(partner_key(client, uow, gp), family), 404)


def test_consent_to_another_agency_covers_nothing_when_the_caller_is_not_named(client, uow, practitioner, family,
                                                                               school):
    other = factories.AgencyFactory(name="Hilltop Academy", type="school")
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [other.id]})
    assert_problem(read(partner_key(client, uow, school), family), 404)


def test_withdrawal_is_effective_on_the_very_next_call(client, uow, practitioner, family, school):
    given = parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    partner = partner_key(client, uow, school)
    assert_shows_only(read(partner, family), ["health"])
    withdrawn = staff_api(client, uow, practitioner).post(f"/consents/{given.id}/withdraw",
                                                          json={"reason": "Mum changed her mind"})
    assert withdrawn.status_code == 200 and withdrawn.json["state"] == "withdrawn"
    assert_problem(read(partner, family), 404)
    assert len(audit_events(uow, family_id=str(family.id), action="disclose")) == 1  # the refused read is not one


def test_withdrawing_one_of_two_consents_leaves_the_other_covered(client, uow, practitioner, family, school):
    first = parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    parent_consent(uow, practitioner, family, ["education_send"], {"agency_types": ["school"]})
    partner = partner_key(client, uow, school)
    assert_shows_only(read(partner, family), ["health", "education_send"])
    staff_api(client, uow, practitioner).post(f"/consents/{first.id}/withdraw", json={"reason": "Changed mind"})
    assert_shows_only(read(partner, family), ["education_send"])


def test_not_yet_valid_consent_covers_nothing(client, uow, practitioner, family, school):
    today = dt.date.today()
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]},
                   valid_from=today + dt.timedelta(days=3), expires_on=today + dt.timedelta(days=60))
    assert_problem(read(partner_key(client, uow, school), family), 404)


def test_expired_consent_covers_nothing_from_its_expiry_day(client, app, uow, practitioner, family, school):
    today = dt.date.today()
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]},
                   expires_on=today + dt.timedelta(days=30))
    partner = partner_key(client, uow, school)
    assert_shows_only(read(partner, family), ["health"])
    st = state(app)
    make = st.unit_of_work

    def later(request_id=None):  # the service's clock, 30 days on: the expiry day itself
        unit = make(request_id)
        unit.now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
        return unit

    st.unit_of_work = later
    assert_problem(read(partner, family), 404)


def test_safeguarding_disclosure_covers_its_sections_and_nothing_else(client, uow, manager, family, school):
    made = staff_api(client, uow, manager).post(f"/families/{family.id}/disclosures", json={
        "agency_id": str(school.id), "sections": ["safety"], "lawful_basis": "public_task",
        "justification": "Child disclosed harm at school",
        "expires_on": (dt.date.today() + dt.timedelta(days=14)).isoformat()})
    assert made.status_code == 201, made.json
    assert_shows_only(read(partner_key(client, uow, school), family), ["safety"])
    event = audit_events(uow, family_id=str(family.id), action="disclose")[-1]
    assert event.authority["disclosures"] == [made.json["id"]] and event.authority["consents"] == []
    assert event.authority["sections"]["safety"] == [{"kind": "disclosure", "id": made.json["id"],
                                                     "lawful_basis": "public_task"}]
    assert "Child disclosed harm" not in str([e.details for e in audit_events(uow, family_id=str(family.id))])


def test_consent_and_disclosure_together_show_the_union(client, uow, practitioner, manager, family, school):
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    staff_api(client, uow, manager).post(f"/families/{family.id}/disclosures", json={
        "agency_id": str(school.id), "sections": ["safety"], "lawful_basis": "public_task",
        "justification": "Risk of harm", "expires_on": (dt.date.today() + dt.timedelta(days=14)).isoformat()})
    assert_shows_only(read(partner_key(client, uow, school), family), ["health", "safety"])
    event = audit_events(uow, family_id=str(family.id), action="disclose")[-1]
    assert event.authority["kind"] == "consent_and_disclosure"


def test_a_partner_read_is_an_audited_disclosure_naming_the_key_and_consent(client, uow, practitioner, family, school):
    given = parent_consent(uow, practitioner, family, ["health", "education_send"], {"agencies": [school.id]})
    read(partner_key(client, uow, school), family)
    event = audit_events(uow, family_id=str(family.id), action="disclose")[-1]
    assert event.actor_kind == "api_key" and event.actor_agency_id == str(school.id)
    assert event.sections == ["education_send", "health"]
    assert event.authority["consents"] == [str(given.id)] and event.authority["channel"] == "api"
    assert WRITTEN["health"] not in str(event.details) + str(event.authority)


def test_a_key_without_the_read_scope_is_refused(client, uow, practitioner, family, school):
    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    assert_problem(read(partner_key(client, uow, school, scopes=("referrals",)), family), 403)


def test_staff_of_the_case_holding_agency_still_read_every_section(client, uow, practitioner, family):
    response = read(staff_api(client, uow, practitioner), family)
    assert [s["key"] for s in response.json["sections"]] == list(TITLES)
    assert audit_events(uow, family_id=str(family.id), action="disclose") == []


def test_a_partner_read_is_two_statements_once_its_key_is_known(client, uow, practitioner, family, school, app):
    """The hot path: the engine and the covered sections in one statement, the audit event in one more (with no
    lock on PostgreSQL), then the commit. The key itself is looked up once, then cached for a few seconds."""
    from sqlalchemy import event

    parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    api = partner_key(client, uow, school)
    state(app).seal_inline = False  # as in production, where the relay seals, not the request
    assert read(api, family).status_code == 200  # the key is now known to this process
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split())[:50])

    event.listen(state(app).engine, "before_cursor_execute", note)
    try:
        assert_shows_only(read(api, family), ["health"])
    finally:
        event.remove(state(app).engine, "before_cursor_execute", note)
    real = [s for s in statements if not s.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
    assert len(real) <= 2 + (0 if state(app).defer_audit else 2), real  # SQLite chains inline: head lock + update
