"""People and contacts over the API: add a person (duplicates checked as at creation), correct one with If-Match
(audited with its reason and the fields changed, never the values; search follows the correction), left the
household, contact details, addresses with their move history and other professionals; each encrypted at rest."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from coordination.models import Address, Person, Professional

from .conftest import assert_problem, audit_events

NEWBORN = {"role": "child", "given_name": "Wren", "family_name": "Testfamily", "date_of_birth": "2026-01-05"}


def person_of(family, name):
    return next(p for p in family.people if p.given_name == name)


def test_a_newborn_is_added_audited_and_shown_with_the_family(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)
    api = api_as(practitioner)

    response = api.post(f"/families/{family.id}/people", json=NEWBORN)

    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["given_name"] == "Wren" and body["version"] == 1 and response.headers["ETag"] == '"1"'
    people = api.get(f"/families/{family.id}").get_json()["people"]
    assert [p["given_name"] for p in people] == ["Morgan", "Rowan", "Skye", "Wren"]
    [event] = audit_events(uow, action="create", record_type="person")
    assert event.record_id == body["id"] and event.family_id == str(family.id)
    assert "Wren" not in str(event.details)
    row = uow.session.get(Person, uuid.UUID(body["id"]))
    assert "Wren" not in row.given_name_ct and "2026" not in row.date_of_birth_ct


def test_a_likely_duplicate_is_409_with_the_candidates_the_caller_may_see(api_as, practitioner, outsider,
                                                                        make_family):
    mine = make_family(practitioner, children=("Rowan",), surname="Ashdown")
    other = make_family(practitioner, children=("Hazel",), surname="Birchwood")
    theirs = make_family(outsider, children=("Ivy",), surname="Cobb")
    api = api_as(practitioner)
    hazel = {"role": "child", "given_name": "Hazel", "family_name": "Birchwood", "date_of_birth": "2014-06-01"}

    body = assert_problem(api.post(f"/families/{mine.id}/people", json=hazel), 409)

    assert [c["id"] for c in body["candidates"]] == [str(other.id)]
    assert "nhs_number" not in str(body["candidates"])
    # Another agency's family is never a candidate: its existence does not leak.
    ivy = {"role": "child", "given_name": "Ivy", "family_name": "Cobb", "date_of_birth": "2014-06-01"}
    assert api.post(f"/families/{mine.id}/people", json=ivy).status_code == 201
    assert theirs.id not in [c["id"] for c in body["candidates"]]
    assert api.post(f"/families/{mine.id}/people", json={**hazel, "confirm_new": True}).status_code == 201


def test_every_problem_with_a_new_person_is_reported_at_once(api_as, practitioner, make_family):
    family = make_family(practitioner)
    body = assert_problem(api_as(practitioner).post(f"/families/{family.id}/people", json={
        "role": "child", "given_name": " ", "family_name": "Testfamily", "date_of_birth": "1990-01-01",
        "nhs_number": "123"}), 422)
    assert set(body["errors"]) == {"given_name", "date_of_birth", "nhs_number"}
    assert body["errors"]["given_name"] == ["Enter a first name"]


def test_roles_and_agencies_without_the_case_get_403_or_404(api_as, practitioner, outsider, admin_user, partner_api,
                                                          make_family, uow):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    patch = {"given_name": "Rowen", "reason": "Misspelt"}
    assert_problem(api_as(outsider).post(f"/families/{family.id}/people", json=NEWBORN), 404)
    assert_problem(api_as(outsider).call("PATCH", f"/people/{rowan.id}", json=patch, headers={"If-Match": "1"}), 404)
    assert_problem(api_as(outsider).post(f"/people/{rowan.id}/left", json={"left_on": "2026-01-01",
                                                                           "reason": "Moved"}), 404)
    for api in (api_as(admin_user), partner_api):
        assert_problem(api.post(f"/families/{family.id}/people", json=NEWBORN), 403)
        assert_problem(api.call("PATCH", f"/people/{rowan.id}", json=patch, headers={"If-Match": "1"}), 403)
        assert_problem(api.get(f"/families/{family.id}/people"), 403)
    assert len(uow.session.execute(select(Person).where(Person.family_id == family.id)).all()) == 3


def test_a_correction_is_audited_with_its_reason_and_search_finds_the_new_name_not_the_old(
        api_as, practitioner, make_family, uow):
    family = make_family(practitioner, children=("Rowan",), surname="Fernleigh")
    rowan = person_of(family, "Rowan")
    api = api_as(practitioner)

    response = api.call("PATCH", f"/people/{rowan.id}", headers={"If-Match": '"1"'}, json={
        "family_name": "Fernleaf", "nhs_number": "943 476 5919", "reason": "Misspelt at referral"})

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["family_name"] == "Fernleaf" and response.headers["ETag"] == '"2"'
    [event] = audit_events(uow, action="update", record_type="person")
    assert event.reason == "Misspelt at referral" and event.details["fields"] == ["family_name", "nhs_number"]
    assert "Fern" not in str(event.details) and "9434765919" not in str(event.details)
    found = api.post("/families/search", json={"family_name": "Fernleaf", "date_of_birth": "2014-06-01"})
    assert [f["id"] for f in found.get_json()["items"]] == [str(family.id)]
    old = api.post("/families/search", json={"family_name": "Fernleigh", "date_of_birth": "2014-06-01"})
    assert old.get_json()["items"] == []
    by_nhs = api.post("/families/search", json={"nhs_number": "9434765919"}).get_json()["items"]
    assert [f["id"] for f in by_nhs] == [str(family.id)]
    row = uow.session.get(Person, rowan.id)
    assert "Fernleaf" not in row.family_name_ct and "9434765919" not in row.nhs_number_ct


def test_if_match_is_required_and_a_stale_version_is_412(api_as, practitioner, make_family):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    api = api_as(practitioner)
    change = {"given_name": "Rowen", "reason": "Misspelt"}
    assert_problem(api.call("PATCH", f"/people/{rowan.id}", json=change), 428)
    assert_problem(api.call("PATCH", f"/people/{rowan.id}", json=change, headers={"If-Match": "*"}), 400)
    assert api.call("PATCH", f"/people/{rowan.id}", json=change, headers={"If-Match": "1"}).status_code == 200

    stale = assert_problem(api.call("PATCH", f"/people/{rowan.id}", json={**change, "given_name": "Ro"},
                                    headers={"If-Match": "1"}), 412)

    assert stale["current_version"] == 2
    assert api.get(f"/people/{rowan.id}").get_json()["given_name"] == "Rowen"


def test_a_boolean_is_json_true_or_false_and_an_empty_optional_if_match_is_400(api_as, practitioner, make_family):
    """What OpenAPI says is read as it says (found by schemathesis): 0 is not a boolean, even where marshmallow
    would take it for false, and an If-Match sent empty is not the same as none sent."""
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    api = api_as(practitioner)
    not_a_boolean = assert_problem(api.call("PATCH", f"/people/{rowan.id}", headers={"If-Match": "1"},
                                            json={"given_name": "Rowen", "reason": "Misspelt", "confirm_new": 0}), 422)
    assert "confirm_new" in not_a_boolean["errors"]
    assert api.get(f"/people/{rowan.id}").get_json()["given_name"] == "Rowan"  # nothing changed
    assert_problem(api.put(f"/people/{rowan.id}/contact", json={"phone": "07700 900 982"},
                           headers={"If-Match": ""}), 400)
    assert api.put(f"/people/{rowan.id}/contact", json={"phone": "07700 900 982"}).status_code == 200

def test_a_correction_needs_a_reason_and_a_change_and_is_checked_for_duplicates(api_as, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",), surname="Ashdown")
    other = make_family(practitioner, children=("Hazel",), surname="Birchwood")
    rowan = person_of(family, "Rowan")
    api = api_as(practitioner)
    one = {"If-Match": "1"}
    missing = assert_problem(api.call("PATCH", f"/people/{rowan.id}", json={"given_name": "Rowen", "reason": " "},
                                      headers=one), 422)
    assert missing["errors"] == {"reason": ["Enter the reason for the change"]}
    same = assert_problem(api.call("PATCH", f"/people/{rowan.id}", json={"given_name": "Rowan", "reason": "Typo"},
                                   headers=one), 422)
    assert list(same["errors"]) == ["_schema"]
    future = assert_problem(api.call("PATCH", f"/people/{rowan.id}", json={"date_of_birth": "2099-01-01",
                                                                           "reason": "Typo"}, headers=one), 422)
    assert future["errors"] == {"date_of_birth": ["Date of birth must be today or in the past"]}

    dup = assert_problem(api.call("PATCH", f"/people/{rowan.id}", json={
        "given_name": "Hazel", "family_name": "Birchwood", "reason": "Wrong child recorded"}, headers=one), 409)

    assert [c["id"] for c in dup["candidates"]] == [str(other.id)]
    confirmed = api.call("PATCH", f"/people/{rowan.id}", headers=one, json={
        "given_name": "Hazel", "family_name": "Birchwood", "reason": "Wrong child recorded", "confirm_new": True})
    assert confirmed.status_code == 200
    # Correcting only the NHS number of someone whose name and date of birth are unchanged: no self-match.
    fix = api.call("PATCH", f"/people/{rowan.id}", headers={"If-Match": "2"},
                   json={"nhs_number": "943 476 5919", "reason": "Added from GP letter"})
    assert fix.status_code == 200, fix.get_data(as_text=True)


def test_someone_who_left_the_household_stays_in_the_record(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)
    morgan = person_of(family, "Morgan")
    api = api_as(practitioner)
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    bad = assert_problem(api.post(f"/people/{morgan.id}/left", json={"left_on": future, "reason": ""}), 422)
    assert set(bad["errors"]) == {"left_on", "reason"}

    response = api.post(f"/people/{morgan.id}/left", json={"left_on": "2026-02-01", "reason": "Moved to Leeds"})

    assert response.status_code == 200 and response.get_json()["left_on"] == "2026-02-01"
    people = api.get(f"/families/{family.id}/people").get_json()["people"]
    assert [p["left_on"] for p in people if p["id"] == str(morgan.id)] == ["2026-02-01"]
    assert_problem(api.post(f"/people/{morgan.id}/left", json={"left_on": "2026-02-01", "reason": "Again"}), 409)
    [event] = audit_events(uow, action="update", record_type="person")
    assert event.details["change"] == "left_household" and "Leeds" not in str(event.details)
    assert "Leeds" not in uow.session.get(Person, morgan.id).left_reason_ct


def test_contact_details_are_checked_all_at_once_encrypted_and_audited_by_field(api_as, practitioner, make_family,
                                                                             uow):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    api = api_as(practitioner)
    bad = assert_problem(api.put(f"/people/{rowan.id}/contact", json={
        "phone": "call me", "email": "not-an-email", "school_urn": "12345", "interpreter_needed": True,
        "gp_practice": "x" * 121}), 422)
    assert set(bad["errors"]) == {"phone", "email", "school_urn", "school_name", "language", "gp_practice"}
    assert bad["errors"]["school_urn"] == ["Enter the school's unique reference number (URN): 6 digits, like 123456"]

    response = api.put(f"/people/{rowan.id}/contact", json={
        "phone": "07700 900 982", "email": "morgan@example.org", "language": "Polish", "interpreter_needed": True,
        "gp_practice": "Larchfield Surgery", "school_name": "Eastmere Primary", "school_urn": "199001"})

    assert response.status_code == 200 and response.get_json()["school_urn"] == "199001"
    assert_problem(api.put(f"/people/{rowan.id}/contact", json={"phone": "01632 960 001"},
                           headers={"If-Match": "1"}), 412)
    # Wrong details are 422 whatever the version (found by schemathesis: they were 412 on a stale version).
    assert_problem(api.put(f"/people/{rowan.id}/contact", json={"gp_practice": "x" * 121},
                           headers={"If-Match": "1"}), 422)
    [event] = audit_events(uow, action="update", record_type="person_contact")
    assert set(event.details["fields"]) == {"phone", "email", "language", "interpreter_needed", "gp_practice",
                                            "school_name", "school_urn"}
    assert "Polish" not in str(event.details) and "07700" not in str(event.details)
    row = uow.session.get(Person, rowan.id)
    for column in ("phone_ct", "email_ct", "language_ct", "gp_practice_ct", "school_name_ct", "school_urn_ct"):
        assert not any(v in getattr(row, column) for v in ("07700", "example.org", "Polish", "Larch", "Eastmere",
                                                            "199001")), column


def test_a_move_keeps_the_previous_address_with_its_moved_out_date(api_as, practitioner, make_family, uow):
    family = make_family(practitioner)
    api = api_as(practitioner)
    first = api.post(f"/families/{family.id}/addresses", json={
        "line_1": "4 Larch Row", "town": "Eastmere", "postcode": "em14ab", "moved_in_on": "2019-03-01"})
    assert first.status_code == 201 and first.get_json()["postcode"] == "EM1 4AB"
    early = assert_problem(api.post(f"/families/{family.id}/addresses", json={
        "line_1": "9 Quay Street", "town": "Eastmere", "postcode": "EM2 7QT", "moved_in_on": "2018-01-01"}), 422)
    assert list(early["errors"]) == ["moved_in_on"]
    bad = assert_problem(api.post(f"/families/{family.id}/addresses", json={
        "line_1": "", "town": "", "postcode": "nowhere", "moved_in_on": "2099-01-01"}), 422)
    assert set(bad["errors"]) == {"line_1", "town", "postcode", "moved_in_on"}

    api.post(f"/families/{family.id}/addresses", json={
        "line_1": "9 Quay Street", "line_2": "Flat 2", "town": "Eastmere", "postcode": "EM2 7QT",
        "moved_in_on": "2025-09-15"})

    addresses = api.get(f"/families/{family.id}/people").get_json()["addresses"]
    assert [(a["line_1"], a["moved_in_on"], a["moved_out_on"]) for a in addresses] == [
        ("9 Quay Street", "2025-09-15", None), ("4 Larch Row", "2019-03-01", "2025-09-15")]
    for row in uow.session.execute(select(Address)).scalars():
        # Whole values (a short fragment such as "EM" turns up in random ciphertext by chance).
        assert row.line_1_ct.startswith("v1.") and row.postcode_ct.startswith("v1.")
        assert not any(v in row.line_1_ct + row.postcode_ct for v in ("9 Quay Street", "4 Larch Row", "EM2 7QT",
                                                                       "EM1 4AB"))


def test_a_professional_is_added_and_ended_and_kept(api_as, practitioner, outsider, make_family, uow):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    api = api_as(practitioner)
    bad = assert_problem(api.post(f"/families/{family.id}/professionals", json={
        "name": "", "role": "", "organisation": "", "person_id": str(outsider.id)}), 422)
    assert set(bad["errors"]) == {"name", "role", "organisation", "person_id"}
    added = api.post(f"/families/{family.id}/professionals", json={
        "name": "Jo Reed", "role": "School nurse", "organisation": "Eastmere Community Health",
        "contact": "jo.reed@example.org", "person_id": str(rowan.id)})
    assert added.status_code == 201
    pid = added.get_json()["id"]
    assert_problem(api_as(outsider).post(f"/professionals/{pid}/end"), 404)

    ended = api.post(f"/professionals/{pid}/end")

    assert ended.status_code == 200 and ended.get_json()["ended_on"] == dt.date.today().isoformat()
    assert_problem(api.post(f"/professionals/{pid}/end"), 409)
    listed = api.get(f"/families/{family.id}/people").get_json()["professionals"]
    assert [(p["name"], p["person_id"]) for p in listed] == [("Jo Reed", str(rowan.id))]
    row = uow.session.get(Professional, uuid.UUID(pid))
    assert "Jo Reed" not in row.name_ct and "example.org" not in row.contact_ct
