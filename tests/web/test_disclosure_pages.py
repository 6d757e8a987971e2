"""Safeguarding disclosures in the web UI: managers only, check answers before recording, oversight, revoke."""
from __future__ import annotations

import datetime as dt

from coordination.services.sharing import safeguarding

from .. import factories
from ..conftest import actor_of
from ..integration.consent_support import household
from .conftest import csrf_from, error_summary, ids_in, title_of


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _answers(police, uow, **extra) -> dict:
    data = {"agency_id": str(police.id), "sections": ["family_story", "safety"], "lawful_basis": "public_task",
            "justification": "Police need the history to protect the children tonight",
            "expires_on": _parts(uow.today() + dt.timedelta(days=30)), "withhold": "no"}
    data.update(extra)
    return data


def test_practitioner_is_refused_the_disclosure_and_oversight_pages_when_not_a_manager(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    for url in (f"/families/{home.id}/disclosures/new", "/oversight"):
        response = signed_in.get(url)
        assert response.status_code == 403
        assert title_of(response.get_data(as_text=True)).startswith("You do not have permission to see this page")
    html = signed_in.get(f"/families/{home.id}/consents").get_data(as_text=True)
    assert "Record a safeguarding disclosure" not in html and 'href="/oversight"' not in html


def test_manager_records_a_disclosure_after_checking_the_answers(browser, manager, practitioner, uow):
    home = household(uow, practitioner)
    police = factories.AgencyFactory(name="Riverside Police", type="police")
    browser.sign_in(manager)
    url = f"/families/{home.id}/disclosures/new"
    page = browser.get(url).get_data(as_text=True)
    assert title_of(page).startswith("Record a safeguarding disclosure") and 'href="/oversight"' in page
    assert "Public task (UK GDPR Art 6(1)(e))" in page and "Vital interests (emergency)" in page
    check = browser.submit(url, _answers(police, uow, withhold="yes",
                                         withhold_reason="The father would move the children")).get_data(as_text=True)
    assert title_of(check).startswith("Check the disclosure before recording it"), error_summary(check)
    assert "Riverside Police" in check and "Police need the history to protect the children tonight" in check
    assert "No: The father would move the children" in check
    assert safeguarding.list_family_disclosures(uow, actor_of(manager), home.id) == []  # nothing yet
    # confirm: re-post the hidden answers with the check page's own token
    hidden = dict(_answers(police, uow, withhold="yes", withhold_reason="The father would move the children"))
    response = browser.client.post(url, data={**hidden, "csrf_token": csrf_from(check), "confirm": "yes"})
    assert response.status_code == 302
    (recorded,) = safeguarding.list_family_disclosures(uow, actor_of(manager), home.id)
    assert recorded.agency_id == police.id and recorded.sections == ["family_story", "safety"]
    assert recorded.lawful_basis == "public_task" and recorded.withheld_from_family
    assert recorded.expires_on == uow.today() + dt.timedelta(days=30)
    assert recorded.justification == "Police need the history to protect the children tonight"

    oversight = browser.get("/oversight").get_data(as_text=True)
    assert title_of(oversight).startswith("Sharing without consent: oversight")
    assert "Riverside Police" in oversight and "Not shown to the family" in oversight and "Live" in oversight
    revoke_url = f"/families/{home.id}/disclosures/{recorded.id}/revoke"
    assert title_of(browser.get(revoke_url).get_data(as_text=True)).startswith("Revoke a safeguarding disclosure")
    assert error_summary(browser.submit(revoke_url, {"reason": ""}).get_data(as_text=True)) == {
        "#reason": "Enter a reason"}
    assert browser.submit(revoke_url, {"reason": "Children now safe"}).status_code == 302
    assert "Revoked" in browser.get("/oversight").get_data(as_text=True)
    (revoked,) = safeguarding.list_family_disclosures(uow, actor_of(manager), home.id)
    assert revoked.state == "revoked"


def test_change_your_answers_brings_the_questions_back_filled_in_when_asked(browser, manager, practitioner, uow):
    home = household(uow, practitioner)
    police = factories.AgencyFactory(name="Riverside Police", type="police")
    browser.sign_in(manager)
    url = f"/families/{home.id}/disclosures/new"
    check = browser.submit(url, _answers(police, uow)).get_data(as_text=True)
    back = browser.client.post(url, data={**_answers(police, uow), "csrf_token": csrf_from(check), "change": "yes"})
    html = back.get_data(as_text=True)
    assert title_of(html).startswith("Record a safeguarding disclosure")
    assert "Police need the history to protect the children tonight" in html and not error_summary(html)


def test_bad_answers_are_listed_in_an_error_summary_when_the_disclosure_is_refused(
        browser, manager, practitioner, uow):
    home = household(uow, practitioner)
    police = factories.AgencyFactory(name="Riverside Police", type="police")
    browser.sign_in(manager)
    too_late = _parts(uow.today() + dt.timedelta(days=120))
    html = browser.submit(f"/families/{home.id}/disclosures/new", {
        "agency_id": str(police.id), "justification": "", "expires_on": too_late, "withhold": "yes"}) \
        .get_data(as_text=True)
    assert title_of(html).startswith("Error: Record a safeguarding disclosure")
    links = error_summary(html)
    assert links["#sections"] == "Choose at least one section"
    assert links["#lawful_basis"] == "Choose the lawful basis for sharing without consent"
    assert links["#justification"] == "Explain why the information must be shared without consent"
    assert links["#expires_on-day"].startswith("The end date must be within 90 days")
    assert links["#withhold_reason"] == "Explain why telling the family would increase risk"
    assert {h[1:] for h in links} <= ids_in(html)
    assert safeguarding.list_family_disclosures(uow, actor_of(manager), home.id) == []


def test_manager_can_stop_showing_a_disclosure_to_the_family_when_it_would_increase_risk(
        browser, manager, practitioner, uow):
    home = household(uow, practitioner)
    police = factories.AgencyFactory(name="Riverside Police", type="police")
    view = safeguarding.record_disclosure(uow, actor_of(manager), home.id, agency_id=police.id, sections=["safety"],
                                          lawful_basis="legal_obligation", justification="Section 47 enquiry",
                                          expires_on=uow.today() + dt.timedelta(days=10))
    uow.commit()
    browser.sign_in(manager)
    url = f"/families/{home.id}/disclosures/{view.id}/withhold"
    assert f'href="{url}"' in browser.get("/oversight").get_data(as_text=True)
    assert title_of(browser.get(url).get_data(as_text=True)).startswith("Stop showing a disclosure to the family")
    assert error_summary(browser.submit(url, {"reason": ""}).get_data(as_text=True)) == {"#reason": "Enter a reason"}
    assert browser.submit(url, {"reason": "The family would move away"}).status_code == 302
    (withheld,) = safeguarding.list_family_disclosures(uow, actor_of(manager), home.id)
    assert withheld.withheld_from_family and withheld.withheld_by_id == manager.id
    assert f'href="{url}"' not in browser.get("/oversight").get_data(as_text=True)
