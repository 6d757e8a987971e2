"""Creating a family (fixed rows, error summary, likely duplicates) and finding one."""
from __future__ import annotations

import re

from .conftest import error_summary, ids_in, person_rows, title_of

VALID_NHS = "9434765919"


def test_creating_a_family_redirects_to_its_overview_with_a_banner(signed_in):
    data = person_rows(children=[("Skye", "Applewood", ("3", "5", "2016"), VALID_NHS)])
    response = signed_in.submit("/families/new", data)
    assert response.status_code == 302
    assert re.fullmatch(r"/families/[0-9a-f-]{36}", response.headers["Location"])
    html = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "govuk-notification-banner--success" in html and "Family created" in html
    assert "Skye Applewood" in html and "3 May 2016" in html and VALID_NHS in html
    assert "Morgan Testfamily" in html  # the parent row


def test_invalid_nhs_number_shows_an_error_summary_linking_to_the_field(signed_in):
    data = person_rows(children=[("Skye", "Applewood", ("3", "5", "2016"), "1234567890")])
    response = signed_in.submit("/families/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert title_of(html).startswith("Error: Create a family")
    links = error_summary(html)
    assert links == {"#children-0-nhs_number": "Enter a valid NHS number, like 943 476 5919"}
    assert "children-0-nhs_number" in ids_in(html)
    assert 'value="Skye"' in html  # what was typed is kept


def test_a_family_needs_a_child(signed_in):
    html = signed_in.submit("/families/new", person_rows()).get_data(as_text=True)
    assert error_summary(html) == {"#children-0-given_name": "Add at least one child"}


def test_impossible_date_links_to_the_day_box(signed_in):
    data = person_rows(children=[("Skye", "Applewood", ("31", "2", "2016"))])
    html = signed_in.submit("/families/new", data).get_data(as_text=True)
    assert error_summary(html) == {"#children-0-date_of_birth-day": "Date of birth must be a real date"}
    assert "children-0-date_of_birth-day" in ids_in(html)


def test_missing_first_name_in_a_started_row_is_linked(signed_in):
    data = person_rows(children=[("", "Applewood", ("3", "5", "2016"))])
    html = signed_in.submit("/families/new", data).get_data(as_text=True)
    assert error_summary(html) == {"#children-0-given_name": "Enter a first name"}


def test_likely_duplicate_shows_candidates_and_create_new_creates_one(signed_in, practitioner, make_family):
    existing = make_family(practitioner, children=("Rowan",), surname="Testfamily")
    data = person_rows(children=[("Rowan", "Testfamily", ("1", "6", "2014"))])
    response = signed_in.submit("/families/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert title_of(html).startswith("This family may already be recorded")
    assert existing.reference in html and "Born 1 June 2014" in html
    assert f'href="/families/{existing.id}"' in html
    assert "None of these – create a new family" in html
    assert 'name="confirm_new" value="yes"' in html
    # The carried data and a CSRF token re-post the same family, confirmed as new.
    carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    assert carried["children-0-given_name"] == "Rowan"
    days = re.findall(r'name="children-0-date_of_birth" value="([^"]*)"', html)
    assert days == ["1", "6", "2014"]
    form = {k: v for k, v in carried.items() if not k.endswith("date_of_birth")}
    form["children-0-date_of_birth"] = days
    form["parents-0-date_of_birth"] = re.findall(r'name="parents-0-date_of_birth" value="([^"]*)"', html)
    response = signed_in.client.post("/families/new", data=form)
    assert response.status_code == 302
    assert response.headers["Location"] != f"/families/{existing.id}"
    caseload = signed_in.get("/caseload").get_data(as_text=True)
    assert caseload.count(">Testfamily family</td>") == 2


def test_find_by_reference_and_by_name_and_date_of_birth(signed_in, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",), surname="Quillfeather")
    html = signed_in.submit("/families/find", {"reference": family.reference.lower()}).get_data(as_text=True)
    assert "1 family found" in html and f'href="/families/{family.id}"' in html
    html = signed_in.submit("/families/find", {"given_name": "Rowan", "family_name": "Quillfeather",
                                               "date_of_birth": ["1", "6", "2014"]}).get_data(as_text=True)
    assert "1 family found" in html


def test_find_by_part_of_a_name_among_our_own_families_only(browser, practitioner, outsider, make_family):
    ours = make_family(practitioner, children=("Rowan",), surname="Quillfeather")
    theirs = make_family(outsider, children=("Rowan",), surname="Quillfeather")
    browser.sign_in(practitioner)
    html = browser.submit("/families/find", {"name": "quill"}).get_data(as_text=True)
    assert "1 family found" in html and f'href="/families/{ours.id}"' in html and str(theirs.id) not in html
    html = browser.submit("/families/find", {"name": "qu"}).get_data(as_text=True)
    assert error_summary(html) == {"#name": "Enter at least 3 letters of a first or last name"}


def test_find_with_no_match_offers_to_create(signed_in):
    html = signed_in.submit("/families/find", {"nhs_number": VALID_NHS}).get_data(as_text=True)
    assert "No family matches" in html and 'href="/families/new"' in html


def test_find_with_nothing_entered_is_an_error(signed_in):
    html = signed_in.submit("/families/find", {}).get_data(as_text=True)
    assert list(error_summary(html)) == ["#reference"]


def test_find_does_not_show_another_agencys_family(browser, practitioner, outsider, make_family):
    family = make_family(practitioner)
    browser.sign_in(outsider)
    html = browser.submit("/families/find", {"reference": family.reference}).get_data(as_text=True)
    assert "No family matches" in html and str(family.id) not in html


def test_every_error_on_the_page_is_listed_at_once_not_one_batch_at_a_time(signed_in):
    """A date that is not a real date (the form's own check) and the service's rules (names, NHS number, age)
    on other rows come back in one error summary."""
    data = person_rows(parent=("Ann", "", ("1", "1", "2090")),
                       children=[("", "Applewood", ("31", "2", "2019"), "123"), ("Zed", "Old", ("1", "1", "1990"))])
    html = signed_in.submit("/families/new", data).get_data(as_text=True)
    assert error_summary(html) == {
        "#parents-0-family_name": "Enter a last name",
        "#parents-0-date_of_birth-day": "Date of birth must be today or in the past",
        "#children-0-given_name": "Enter a first name",
        "#children-0-date_of_birth-day": "Date of birth must be a real date",
        "#children-0-nhs_number": "Enter a valid NHS number, like 943 476 5919",
        "#children-1-date_of_birth-day": ("A child must be under 26: record someone aged 26 or over as a parent, "
                                          "carer or other"),
    }


def test_a_name_longer_than_a_name_can_be_is_refused_in_design_system_words(signed_in):
    data = person_rows(children=[("A" * 101, "Applewood", ("3", "5", "2016"))])
    html = signed_in.submit("/families/new", data).get_data(as_text=True)
    assert error_summary(html) == {"#children-0-given_name": "Enter 100 characters or fewer"}
