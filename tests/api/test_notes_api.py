"""Case notes and the chronology over the API: recorded and attributed, every problem at once, never edited (a
correction is a new note), audited without their content, and the chronology newest first and filterable."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from coordination.models import CaseNote
from coordination.services import referrals as referrals_service
from schemas.notes import ChronologyResponseSchema, NoteListResponseSchema, NoteResponseSchema

from ..conftest import actor_of
from .conftest import assert_problem, audit_events, parent_consent

WORDS = "Fictional visit: Morgan said the mornings are calmer since the new routine."


def at(days_ago: float = 0, hour: int = 10) -> str:
    moment = dt.datetime.now(dt.UTC).replace(hour=hour, minute=15, second=0, microsecond=0)
    return (min(moment, dt.datetime.now(dt.UTC)) - dt.timedelta(days=days_ago)).isoformat()


def note(**overrides) -> dict:
    return {"kind": "visit", "occurred_at": at(2), "with_whom": "Morgan (parent) and Rowan", "text": WORDS,
            "child_seen": True, "seen_alone": True, **overrides}


def test_a_practitioner_records_a_note_attributed_to_them_and_audited_without_its_content(
        api_as, practitioner, make_family, uow):
    family = make_family(practitioner)

    response = api_as(practitioner).post(f"/families/{family.id}/notes", json=note())

    assert response.status_code == 201
    body = NoteResponseSchema().load(response.get_json())
    assert body["kind"] == "visit" and body["text"] == WORDS and body["with_whom"] == "Morgan (parent) and Rowan"
    assert body["child_seen"] is True and body["seen_alone"] is True
    assert body["recorded_by"] == practitioner.id and body["recorded_by_agency"] == practitioner.agency_id
    [event] = audit_events(uow, action="create", record_type="case_note", family_id=str(family.id))
    assert event.record_id == str(body["id"]) and event.details["kind"] == "visit"
    assert "Morgan" not in str(event.details) and "mornings" not in str(event.details)
    row = uow.session.execute(select(CaseNote).where(CaseNote.id == body["id"])).scalar_one()
    assert "mornings" not in row.text_ct and "Morgan" not in row.with_whom_ct  # encrypted at rest


def test_a_manager_records_a_note_and_child_seen_is_optional(api_as, manager, practitioner, make_family):
    family = make_family(practitioner)
    response = api_as(manager).post(f"/families/{family.id}/notes",
                                    json={"kind": "call", "occurred_at": at(1), "with_whom": "Morgan",
                                          "text": "Fictional call to arrange a visit."})
    assert response.status_code == 201
    assert response.get_json()["child_seen"] is None and response.get_json()["seen_alone"] is None


def test_every_problem_is_reported_at_once(api_as, practitioner, make_family):
    family = make_family(practitioner)
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()

    body = assert_problem(api_as(practitioner).post(f"/families/{family.id}/notes", json=note(
        occurred_at=future, with_whom="  ", text="", child_seen=False, seen_alone=True)), 422)

    assert set(body["errors"]) == {"occurred_at", "with_whom", "text", "seen_alone"}
    assert body["errors"]["occurred_at"] == ["The date and time it happened must be now or in the past"]
    assert body["errors"]["text"] == ["Enter what happened and what was said"]


def test_shapes_are_refused_before_the_service(api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    naive = assert_problem(api.post(f"/families/{family.id}/notes", json=note(occurred_at="2026-03-03T10:00:00",
                                                                                  kind="telepathy")), 422)
    assert set(naive["errors"]) == {"occurred_at", "kind"}
    long = assert_problem(api.post(f"/families/{family.id}/notes", json=note(with_whom="x" * 201)), 422)
    assert long["errors"] == {"with_whom": ["Enter 200 characters or fewer"]}
    old = assert_problem(api.post(f"/families/{family.id}/notes", json=note(occurred_at="1999-12-31T10:00:00Z")), 422)
    assert list(old["errors"]) == ["occurred_at"]


def test_another_agency_gets_404_and_roles_without_case_access_403(api_as, practitioner, outsider, admin_user,
                                                                 partner_api, make_family, uow):
    family = make_family(practitioner)
    assert_problem(api_as(outsider).post(f"/families/{family.id}/notes", json=note()), 404)
    assert_problem(api_as(outsider).get(f"/families/{family.id}/chronology"), 404)
    assert_problem(api_as(admin_user).post(f"/families/{family.id}/notes", json=note()), 403)
    assert_problem(api_as(admin_user).get(f"/families/{family.id}/chronology"), 403)
    assert_problem(partner_api.get(f"/families/{family.id}/notes"), 403)
    assert uow.session.execute(select(CaseNote)).first() is None


def test_notes_are_never_edited_a_correction_is_a_new_note(app, api_as, practitioner, make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    first = api.post(f"/families/{family.id}/notes", json=note(occurred_at="2026-03-03T10:00:00+00:00")).get_json()
    for method in ("PUT", "PATCH", "DELETE"):
        response = api.call(method, f"/families/{family.id}/notes/{first['id']}", json=note())
        assert response.status_code in (404, 405), method
    assert not [r for r in app.url_map.iter_rules() if "notes" in r.rule and r.methods & {"PUT", "PATCH", "DELETE"}]

    fix = api.post(f"/families/{family.id}/notes", json=note(occurred_at="2026-03-03T10:00:00+00:00",
                                                             text="Fictional: it was Skye, not Rowan, at home.",
                                                             corrects_id=first["id"])).get_json()
    items = NoteListResponseSchema().load(api.get(f"/families/{family.id}/notes").get_json())["items"]
    by_id = {str(n["id"]): n for n in items}
    assert by_id[first["id"]]["text"] == WORDS  # unchanged
    assert str(by_id[first["id"]]["corrected_by_id"]) == fix["id"] and fix["corrects_id"] == first["id"]
    chronology = api.get(f"/families/{family.id}/chronology?kind=note").get_json()["items"]
    assert any("Correction to the note of 3 March 2026" in i["summary"] for i in chronology)


def test_a_correction_must_correct_a_note_of_the_same_family(api_as, practitioner, make_family):
    api = api_as(practitioner)
    one, other = make_family(practitioner), make_family(practitioner, surname="Otherfamily", children=("Ash",))
    theirs = api.post(f"/families/{other.id}/notes", json=note()).get_json()
    body = assert_problem(api.post(f"/families/{one.id}/notes", json=note(corrects_id=theirs["id"])), 422)
    assert list(body["errors"]) == ["corrects_id"]


def test_the_chronology_lists_every_kind_newest_first_and_filters(api_as, practitioner, make_family, uow, school):
    family = make_family(practitioner)
    api = api_as(practitioner)
    api.post(f"/families/{family.id}/notes", json=note(occurred_at=at(30), kind="meeting"))
    api.post(f"/families/{family.id}/notes", json=note(occurred_at=at(0.01, hour=0), kind="call"))
    assert api.put(f"/families/{family.id}/assessment/sections/health", json={"content": "Fictional asthma."},
                   headers={"If-Match": '"0"'}).status_code == 200
    consent = parent_consent(uow, practitioner, family, ["health"], {"agencies": [school.id]})
    api.post(f"/consents/{consent.id}/withdraw", json={"reason": "Family asked"})
    referrals_service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "early_help",
                                      practitioner.agency_id, "Fictional reason")
    uow.commit()

    response = api.get(f"/families/{family.id}/chronology")

    assert response.status_code == 200
    items = ChronologyResponseSchema().load(response.get_json())["items"]
    moments = [i["at"] for i in items]
    assert moments == sorted(moments, reverse=True)
    assert {i["kind"] for i in items} == {"note", "assessment", "consent", "referral"}
    summaries = " | ".join(i["summary"] for i in items)
    assert "Consent given by Morgan Testfamily: 1 section with Meadow Primary School" in summaries
    assert "Consent withdrawn" in summaries and "Assessment: Health and wellbeing written (version 1)" in summaries
    assert "Referral made for Rowan: Early help" in summaries and "Meeting with Morgan (parent) and Rowan" in summaries
    assert items[-1]["summary"].startswith("Meeting with") and items[-1]["link"].startswith("/api/v1/families/")
    only = api.get(f"/families/{family.id}/chronology?kind=note,consent").get_json()["items"]
    assert {i["kind"] for i in only} == {"note", "consent"} and len(only) == 4
    assert_problem(api.get(f"/families/{family.id}/chronology?kind=gossip"), 422)


def test_reading_notes_or_the_chronology_is_audited_as_a_case_read(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)
    api = api_as(practitioner)
    api.post(f"/families/{family.id}/notes", json=note())
    api.get(f"/families/{family.id}/notes")
    api.get(f"/families/{family.id}/chronology?kind=note")

    [notes] = audit_events(uow, action="read", record_type="case_note", family_id=str(family.id))
    [chronology] = audit_events(uow, action="read", record_type="chronology", family_id=str(family.id))
    assert notes.authority == {"kind": "case_holder"} and notes.details["entries"] == 1
    assert chronology.details["kinds"] == ["note"] and chronology.actor_user_id == str(practitioner.id)
    assert WORDS[:20] not in str(notes.details) + str(chronology.details)


def test_a_management_oversight_note_is_listed_with_its_own_kind_and_cannot_be_posted_as_a_contact(
        api_as, manager, practitioner, make_family, uow):
    from coordination.services import oversight

    family = make_family(practitioner)
    oversight.record_oversight(uow, actor_of(manager), family.id, text="Fictional: reviewed in supervision.")
    uow.commit()
    listed = api_as(practitioner).get(f"/families/{family.id}/notes")
    assert listed.status_code == 200
    [item] = NoteListResponseSchema().load(listed.get_json())["items"]
    assert item["kind"] == "oversight" and item["recorded_by"] == manager.id
    chronology = ChronologyResponseSchema().load(api_as(practitioner).get(
        f"/families/{family.id}/chronology").get_json())
    assert [e["summary"] for e in chronology["items"]] == ["Management oversight: Fictional: reviewed in supervision."]
    refused = api_as(manager).post(f"/families/{family.id}/notes", json=note(kind="oversight"))
    assert refused.status_code == 422
