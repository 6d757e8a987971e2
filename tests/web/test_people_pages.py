"""People and contacts in the web UI: the people page (ages, roles, who has left), adding a person (every error
at once, nothing preselected, duplicates asked about), a person's details with change links and a correction with
a reason (stale forms refused), left the household, contact details, addresses and professionals; the family's
access rules."""
from __future__ import annotations

import datetime as dt

from coordination.domain.people import age_on

from ..api.conftest import audit_events
from .conftest import error_summary, title_of

SERVICE = "Early help case coordination"


def person_of(family, name):
    return next(p for p in family.people if p.given_name == name)


def test_the_people_page_lists_each_person_with_age_and_role(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    assert f'href="/families/{family.id}/people"' in signed_in.get(f"/families/{family.id}").get_data(as_text=True)

    html = signed_in.get(f"/families/{family.id}/people").get_data(as_text=True)

    assert title_of(html) == f"People and contacts – {SERVICE}"
    rowan = person_of(family, "Rowan")
    assert html.count("data-person") == 3 and "Parent or carer" in html
    assert f"1 June 2014 (age {age_on(rowan.date_of_birth, dt.date.today())})" in html
    assert "No address recorded yet." in html and "Add a person" in html


def test_an_empty_new_person_form_lists_every_error_and_nothing_is_preselected(signed_in, practitioner,
                                                                             make_family):
    family = make_family(practitioner)
    url = f"/families/{family.id}/people/new"
    assert " checked" not in signed_in.get(url).get_data(as_text=True)

    html = signed_in.submit(url, {"date_of_birth": ["", "", ""]}).get_data(as_text=True)

    assert title_of(html).startswith("Error: Add a person")
    assert list(error_summary(html).values()) == [
        "Choose child, parent or carer, or other", "Enter a first name", "Enter a last name"]
    child = signed_in.submit(url, {"role": "child", "given_name": "Wren", "family_name": "x" * 101,
                                   "date_of_birth": ["31", "2", "2026"]}).get_data(as_text=True)
    assert list(error_summary(child).values()) == ["Enter 100 characters or fewer", "Date of birth must be a real date"]


def test_a_newborn_is_added_and_a_likely_duplicate_is_asked_about(signed_in, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",), surname="Ashdown")
    make_family(practitioner, children=("Hazel",), surname="Birchwood")
    url = f"/families/{family.id}/people/new"
    today = dt.date.today()
    newborn = {"role": "child", "given_name": "Wren", "family_name": "Ashdown",
               "date_of_birth": [str(today.day), str(today.month), str(today.year)]}
    html = signed_in.submit(url, newborn, follow_redirects=True).get_data(as_text=True)
    assert "Wren Ashdown added to the family" in html and "(age 0)" in html

    hazel = {"role": "child", "given_name": "Hazel", "family_name": "Birchwood", "date_of_birth": ["1", "6", "2014"]}
    dup = signed_in.submit(url, hazel).get_data(as_text=True)
    assert title_of(dup).startswith("This person may already be recorded") and "Birchwood family" in dup
    assert 'name="confirm_new" value="yes"' in dup and 'name="given_name" value="Hazel"' in dup
    added = signed_in.submit(url, {**hazel, "confirm_new": "yes"}, follow_redirects=True).get_data(as_text=True)
    assert "Hazel Birchwood added to the family" in added


def test_a_correction_is_made_from_the_summary_with_a_reason(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    page = signed_in.get(f"/families/{family.id}/people/{rowan.id}").get_data(as_text=True)
    change = f"/families/{family.id}/people/{rowan.id}/change"
    assert f'href="{change}#given_name"' in page and f'href="{change}#date_of_birth-day"' in page
    form = signed_in.get(change).get_data(as_text=True)
    assert 'value="Rowan"' in form and 'name="version" type="hidden" value="1"' in form

    missing = signed_in.submit(change, {"given_name": "Rowen", "family_name": "Testfamily",
                                        "date_of_birth": ["1", "6", "2014"], "version": "1", "reason": ""})
    assert list(error_summary(missing.get_data(as_text=True)).values()) == ["Enter the reason for the change"]
    done = signed_in.submit(change, {"given_name": "Rowen", "family_name": "Testfamily",
                                     "date_of_birth": ["1", "6", "2014"], "version": "1",
                                     "reason": "Misspelt at referral"}, follow_redirects=True).get_data(as_text=True)

    assert "Rowen Testfamily&#39;s details corrected" in done or "Rowen Testfamily's details corrected" in done
    [event] = audit_events(uow, action="update", record_type="person")
    assert event.reason == "Misspelt at referral" and event.details["fields"] == ["given_name"]


def test_a_stale_correction_form_is_refused_and_shows_the_details_now(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    change = f"/families/{family.id}/people/{rowan.id}/change"
    first = {"given_name": "Rowen", "family_name": "Testfamily", "date_of_birth": ["1", "6", "2014"],
             "version": "1", "reason": "Misspelt"}
    signed_in.submit(change, first)

    html = signed_in.submit(change, {**first, "given_name": "Ro"}).get_data(as_text=True)

    assert list(error_summary(html).values()) == [
        "Someone changed these details since you opened this page. Check them and make your change again."]
    assert 'value="Rowen"' in html and 'value="2"' in html


def test_someone_who_left_is_shown_as_left_the_household(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    morgan = person_of(family, "Morgan")
    url = f"/families/{family.id}/people/{morgan.id}/left"
    errors = signed_in.submit(url, {"left_on": ["", "", ""], "reason": ""}).get_data(as_text=True)
    assert list(error_summary(errors).values()) == ["Enter the date they left the household", "Enter why they left"]

    html = signed_in.submit(url, {"left_on": ["1", "2", "2026"], "reason": "Moved to Leeds"},
                            follow_redirects=True).get_data(as_text=True)

    assert "Left the household on 1 February 2026" in html and "Moved to Leeds" in html
    assert "Left the household on 1 February 2026" in signed_in.get(f"/families/{family.id}").get_data(as_text=True)
    assert signed_in.get(url, follow_redirects=True).get_data(as_text=True).count("already recorded as having left")


def test_contact_details_list_every_error_and_are_shown_once_saved(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    url = f"/families/{family.id}/people/{rowan.id}/contact"
    form = signed_in.get(url).get_data(as_text=True)
    assert " checked" not in form
    bad = signed_in.submit(url, {"phone": "call me", "email": "nope", "interpreter_needed": "yes",
                                 "school_urn": "12"}).get_data(as_text=True)
    assert list(error_summary(bad).values()) == [
        "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        "Enter an email address in the correct format, like name@example.com",
        "Enter the language they prefer, for the interpreter", "Enter the name of the school",
        "Enter the school's unique reference number (URN): 6 digits, like 123456"]

    html = signed_in.submit(url, {"phone": "07700 900 982", "language": "Polish", "interpreter_needed": "yes",
                                  "gp_practice": "Larchfield Surgery", "school_name": "Eastmere Primary",
                                  "school_urn": "199001", "version": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Polish. Interpreter needed" in html and "Eastmere Primary (URN 199001)" in html
    assert "Larchfield Surgery" in html


def test_a_move_keeps_the_previous_address_and_professionals_are_added_and_ended(signed_in, practitioner,
                                                                               make_family):
    family = make_family(practitioner)
    url = f"/families/{family.id}/addresses/new"
    bad = signed_in.submit(url, {"moved_in_on": ["", "", ""], "postcode": "nowhere"}).get_data(as_text=True)
    assert list(error_summary(bad).values()) == ["Enter the first line of the address", "Enter the town or city",
                                                 "Enter a real postcode, like EM1 4AB", "Enter the date they moved in"]
    signed_in.submit(url, {"line_1": "4 Larch Row", "town": "Eastmere", "postcode": "EM1 4AB",
                           "moved_in_on": ["1", "3", "2019"]})
    html = signed_in.submit(url, {"line_1": "9 Quay Street", "town": "Eastmere", "postcode": "em2 7qt",
                                  "moved_in_on": ["15", "9", "2025"]}, follow_redirects=True).get_data(as_text=True)
    assert html.count("data-address") == 2 and "Current address: the household" in html
    assert "Previous address: the household" in html and "15 September 2025" in html and "EM2 7QT" in html

    pro = f"/families/{family.id}/professionals/new"
    errors = signed_in.submit(pro, {}).get_data(as_text=True)
    assert list(error_summary(errors).values()) == ["Enter their name", "Enter their role", "Enter their organisation"]
    added = signed_in.submit(pro, {"name": "Jo Reed", "role": "School nurse", "organisation": "Eastmere Health"},
                             follow_redirects=True).get_data(as_text=True)
    assert "Jo Reed added" in added and "No longer involved" in added
    [pid] = [p.split("/")[0] for p in added.split(f"/families/{family.id}/professionals/")[1:] if "/end" in p]
    ended = signed_in.submit(f"/families/{family.id}/professionals/{pid}/end", {},
                             form_url=f"/families/{family.id}/people", follow_redirects=True).get_data(as_text=True)
    assert "Jo Reed recorded as no longer involved" in ended and f"From {dt.date.today().day} " in ended


def test_another_agency_gets_404_and_an_admin_403(browser, outsider, admin_user, practitioner, make_family):
    family = make_family(practitioner)
    rowan = person_of(family, "Rowan")
    paths = [f"/families/{family.id}/people", f"/families/{family.id}/people/new",
             f"/families/{family.id}/people/{rowan.id}/change", f"/families/{family.id}/addresses/new"]
    browser.sign_in(outsider)
    assert [browser.get(p).status_code for p in paths] == [404] * 4
    browser.client.delete_cookie("session")
    browser.sign_in(admin_user)
    assert [browser.get(p).status_code for p in paths] == [403] * 4
