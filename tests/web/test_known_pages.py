"""The "Is this child known?" page: every error at once, the result naming the team and its contact only."""
from __future__ import annotations

from .conftest import Browser, error_summary, title_of

NHS = "9434765919"


def test_the_page_is_linked_from_find_a_family(signed_in):
    assert 'href="/known"' in signed_in.get("/families/find").get_data(as_text=True)


def test_a_started_name_lists_every_missing_field_at_once(signed_in):
    html = signed_in.submit("/known", {"given_name": "Rowan", "date_of_birth": ["31", "2", "2014"]}).get_data(
        as_text=True)

    assert title_of(html).startswith("Error: Is this child known?")
    assert error_summary(html) == {"#family_name": "Enter a last name",
                                   "#date_of_birth-day": "Date of birth must be a real date"}


def test_nothing_entered_is_an_error(signed_in):
    html = signed_in.submit("/known", {}).get_data(as_text=True)
    assert error_summary(html) == {"#nhs_number": "Enter an NHS number, or a name and date of birth"}


def test_a_child_held_by_another_team_shows_the_team_and_how_to_request_access(
        signed_in, outsider, make_family):
    held = make_family(outsider, children=("Rowan",), surname="O'Brien", nhs_numbers=(NHS,))

    response = signed_in.submit("/known", {"nhs_number": "943 476 5919"})

    assert response.status_code == 302 and response.headers["Location"] == "/known/result"
    html = signed_in.get("/known/result").get_data(as_text=True)
    assert "This child is known" in html and "Hillside Early Help Hub" in html
    assert 'href="mailto:olu.outsider@example.org?' in html and "Request access" in html
    assert held.reference not in html and "Rowan" not in html and "/referrals/new" not in html


def test_the_callers_own_family_links_to_it_and_to_refer(browser, outsider, make_family):
    held = make_family(outsider, children=("Rowan",), surname="O'Brien")
    browser.sign_in(outsider)

    browser.submit("/known", {"given_name": "Rowan", "family_name": "O\u2019Brien",
                              "date_of_birth": ["1", "6", "2014"]})
    html = browser.get("/known/result").get_data(as_text=True)

    assert f'href="/families/{held.id}"' in html and f'href="/families/{held.id}/referrals/new"' in html


def test_no_match_says_so_and_offers_to_create_a_family(signed_in):
    signed_in.submit("/known", {"nhs_number": NHS})
    html = signed_in.get("/known/result").get_data(as_text=True)
    assert "This child is not known to any team" in html and 'href="/families/new"' in html


def test_the_access_log_of_the_holders_family_shows_the_question(signed_in, outsider, make_family, app):
    held = make_family(outsider, children=("Rowan",), surname="O'Brien", nhs_numbers=(NHS,))
    signed_in.submit("/known", {"nhs_number": NHS})
    holder = Browser(app.test_client())
    holder.sign_in(outsider)

    html = holder.get(f"/families/{held.id}/access-log").get_data(as_text=True)

    assert "Asked whether the child is known" in html and "Riverside Early Help Hub" in html


def test_admins_may_not_ask(browser, admin_user):
    browser.sign_in(admin_user)
    assert browser.get("/known").status_code == 403
