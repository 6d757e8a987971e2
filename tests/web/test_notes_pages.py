"""Case notes and the chronology in the web UI: the form lists every error at once, a note saved is shown
attributed, a correction is a new note, the chronology filters by GET, and access is the family's."""
from __future__ import annotations

import datetime as dt
import re

from .conftest import error_summary, title_of

SERVICE = "Early help case coordination"


def yesterday() -> list[str]:
    day = dt.date.today() - dt.timedelta(days=1)
    return [str(day.day), str(day.month), str(day.year)]


def note_form(**overrides) -> dict:
    return {"kind": "visit", "occurred_on": yesterday(), "occurred_time": "2:30pm",
            "with_whom": "Morgan (parent) and Rowan", "text": "Fictional home visit. Rowan showed me his room.",
            "child_seen": "yes", "seen_alone": "no", **overrides}


def test_the_family_page_links_to_case_notes_and_the_chronology(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    html = signed_in.get(f"/families/{family.id}").get_data(as_text=True)
    assert f'href="/families/{family.id}/notes"' in html and f'href="/families/{family.id}/chronology"' in html
    for path, title in ((f"/families/{family.id}/notes", "Case notes"),
                        (f"/families/{family.id}/notes/new", "Add a case note"),
                        (f"/families/{family.id}/chronology", "Chronology")):
        response = signed_in.get(path)
        assert response.status_code == 200 and title_of(response.get_data(as_text=True)) == f"{title} – {SERVICE}"


def test_an_empty_form_lists_every_error_at_once_and_nothing_is_preselected(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    form = signed_in.get(f"/families/{family.id}/notes/new").get_data(as_text=True)
    assert " checked" not in form

    response = signed_in.submit(f"/families/{family.id}/notes/new", {"occurred_on": ["", "", ""]})

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and title_of(html).startswith("Error: Add a case note")
    assert list(error_summary(html).values()) == [
        "Select what kind of contact it was", "Enter the date it happened", "Enter the time it happened",
        "Enter who it was with", "Enter what happened and what was said", "Select whether the child was seen"]
    assert error_summary(html)["#occurred_on-day"] == "Enter the date it happened"


def test_a_future_moment_a_bad_time_and_seen_alone_without_seen_are_errors(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    future = signed_in.submit(f"/families/{family.id}/notes/new", note_form(
        occurred_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)], child_seen="no", seen_alone="yes",
        with_whom="x" * 201)).get_data(as_text=True)
    assert list(error_summary(future).values()) == [
        "The date and time it happened must be now or in the past", "Enter 200 characters or fewer",
        "Say the child was seen before saying they were seen alone"]
    bad_time = signed_in.submit(f"/families/{family.id}/notes/new", note_form(
        occurred_time="25:00", occurred_on=["31", "2", "2026"])).get_data(as_text=True)
    assert list(error_summary(bad_time).values()) == [
        "Date it happened must be a real date", "Time it happened must be a real time, like 9:30am or 14:15"]


def test_a_saved_note_is_shown_attributed_and_a_correction_is_a_new_note(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    response = signed_in.submit(f"/families/{family.id}/notes/new", note_form(), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Case note saved" in html and "Rowan showed me his room." in html
    assert "at 2:30pm" in html and practitioner.name in html and "seen alone: no" in html

    [note_id] = re.findall(r'notes/new\?corrects=([0-9a-f-]+)', html)
    form = signed_in.get(f"/families/{family.id}/notes/new?corrects={note_id}").get_data(as_text=True)
    assert "Correct a case note" in form and "Rowan showed me his room." in form and 'value="14:30"' in form
    fixed = signed_in.submit(f"/families/{family.id}/notes/new", note_form(
        corrects_id=note_id, text="Fictional home visit. Skye showed me her room."),
        form_url=f"/families/{family.id}/notes/new?corrects={note_id}", follow_redirects=True).get_data(as_text=True)
    assert "Rowan showed me his room." in fixed and "Skye showed me her room." in fixed
    assert "Corrected by a later note" in fixed and "Correction to the note of" in fixed


def test_the_chronology_filters_by_kind_with_a_get_form(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    signed_in.submit(f"/families/{family.id}/notes/new", note_form(kind="call", child_seen="na", seen_alone=""))
    signed_in.submit(f"/families/{family.id}/assessment/health", {"content": "Fictional asthma.", "version": "0"},
                     form_url=f"/families/{family.id}/assessment/health")

    everything = signed_in.get(f"/families/{family.id}/chronology").get_data(as_text=True)
    assert 'data-entry="note"' in everything and 'data-entry="assessment"' in everything
    assert 'method="get"' in everything and "2 entries" in everything
    notes_only = signed_in.get(f"/families/{family.id}/chronology?kind=note").get_data(as_text=True)
    assert 'data-entry="assessment"' not in notes_only and 'data-entry="note"' in notes_only
    assert 'value="note" checked' in notes_only and "1 entry: case notes" in notes_only
    assert "Phone or video call with Morgan (parent) and Rowan" in notes_only


def test_another_agency_gets_404_and_an_admin_403(browser, outsider, admin_user, practitioner, make_family):
    family = make_family(practitioner)
    paths = [f"/families/{family.id}/notes", f"/families/{family.id}/notes/new", f"/families/{family.id}/chronology"]
    browser.sign_in(outsider)
    assert [browser.get(p).status_code for p in paths] == [404, 404, 404]
    browser.get("/sign-in")
    browser.client.delete_cookie("session")
    browser.sign_in(admin_user)
    assert [browser.get(p).status_code for p in paths] == [403, 403, 403]
