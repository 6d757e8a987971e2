"""The census data in the web UI: a child's census details (every error at once, nothing preselected, saved and
shown), a social care referral closed with its census reason (RC8 refused without an assessment, the rule in the
hint), the referral's census details; and the CIN census page for managers: the counts, a pre-submission report
with links to fix each gap, and the XML download (audited with its SHA-256)."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from coordination.services import census_details
from coordination.services import referrals as referrals_service

from .. import factories
from ..conftest import actor_of
from .conftest import Browser, error_summary, title_of

SERVICE = "Early help case coordination"


@pytest.fixture
def social_work(uow, practitioner, make_family):
    team = factories.AgencyFactory(name="Eastmere Children's Social Care", type="social_care")
    worker = factories.UserFactory(agency=team, role="practitioner", email="sol.worker@example.org")
    family = make_family(practitioner)
    child = family.children[0]
    referral = referrals_service.create_referral(uow, actor_of(practitioner), family.id, child.id, "social_care",
                                                 team.id, "Fictional worries at home")
    referrals_service.decide(uow, actor_of(worker), referral.id, "accept", "Threshold met")
    uow.commit()
    return {"worker": worker, "family": family, "child": child, "referral": referral}


def test_a_childs_census_details_list_every_error_and_are_saved(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    child = family.children[0]
    url = f"/families/{family.id}/people/{child.id}/census"
    person = signed_in.get(f"/families/{family.id}/people/{child.id}").get_data(as_text=True)
    assert f'href="{url}"' in person
    form = signed_in.get(url).get_data(as_text=True)
    assert title_of(form) == f"{child.given_name} Testfamily's census details – {SERVICE}"
    assert " checked" not in form and "Black African (BAFR)" in form
    bad = signed_in.submit(url, {"disabilities": ["NONE", "HEAR"], "former_upn": "nope", "version": "1"})
    assert bad.status_code == 200
    assert list(error_summary(bad.get_data(as_text=True)).values()) == [
        "Choose 'No disability' on its own, or the child's disabilities",
        "Enter a former UPN in the right format, like H801200001001"]
    done = signed_in.submit(url, {"sex": "F", "ethnicity": "BAFR", "disabilities": ["HEAR", "COMM"],
                                  "upn_unknown": "UN2", "version": "1"}, follow_redirects=True)
    assert "census details saved" in done.get_data(as_text=True)
    again = signed_in.get(url).get_data(as_text=True)
    assert 'value="F" checked' in again and 'value="HEAR" checked' in again and 'value="BAFR" selected' in again


def test_closing_a_social_care_referral_asks_the_census_reason(uow, browser, social_work):
    referral, url = social_work["referral"], f"/referrals/{social_work['referral'].id}"
    browser.sign_in(social_work["worker"])
    page = browser.get(url).get_data(as_text=True)
    assert "Choose RC8 or RC9 only when the case closed after its assessment" in page
    assert f'href="{url}/census"' in page
    missing = browser.submit(f"{url}/close", {"outcome": "Needs met"}, form_url=url)
    assert list(error_summary(missing.get_data(as_text=True)).values()) == ["Choose the reason for closure"]
    rc8 = browser.submit(f"{url}/close", {"outcome": "Needs met", "reason_for_closure": "RC8"}, form_url=url)
    assert list(error_summary(rc8.get_data(as_text=True)).values()) == [
        "RC8 is for a case closed after its assessment: this referral had no assessment"]
    browser.submit(f"{url}/close", {"outcome": "Needs met", "reason_for_closure": "RC7"}, form_url=url)
    saved = browser.submit(f"{url}/census", {"primary_need": "N4", "reason_for_closure": "RC7"},
                           follow_redirects=True)
    assert "Census details saved" in saved.get_data(as_text=True)
    view = census_details.get_referral_census(uow, actor_of(social_work["worker"]), referral.id)
    assert (view.primary_need, view.reason_for_closure, view.referral_nfa) == ("N4", "RC7", False)


def test_a_manager_checks_the_census_sees_what_is_missing_and_downloads_it(client, manager, practitioner, social_work):
    browser = Browser(client)
    browser.sign_in(manager)
    assert "/returns/cin-census" in browser.get("/timeliness").get_data(as_text=True)
    today = dt.date.today()
    year = today.year + 1 if today.month >= 4 else today.year  # the census year the referral made today is in
    html = browser.get(f"/returns/cin-census?year={year}").get_data(as_text=True)
    assert title_of(html) == f"Children in need census – {SERVICE}"
    family, child = social_work["family"], social_work["child"]
    assert "1 child has no ethnicity recorded (sent as NOBT, not yet obtained)" in html
    assert "1 referral going on to further action has no primary need" in html
    assert f'href="/families/{family.id}/people/{child.id}/census"' in html
    assert f'href="/referrals/{social_work["referral"].id}/census"' in html
    download = browser.get(f"/returns/cin-census.xml?year={year}")
    assert download.mimetype == "application/xml"
    assert download.headers["X-Content-SHA256"] == hashlib.sha256(download.get_data()).hexdigest()
    bad = browser.get("/returns/cin-census?year=20x6")
    assert bad.status_code == 400 and "Enter the year the census ends in" in bad.get_data(as_text=True)


def test_practitioners_cannot_run_the_returns(signed_in):
    assert signed_in.get("/returns/cin-census").status_code == 403
    assert signed_in.get("/returns/cin-census.xml?year=2026").status_code == 403


def test_another_teams_family_is_not_found_and_a_forged_post_is_refused(uow, client, practitioner, outsider,
                                                                        make_family):
    family = make_family(practitioner)
    child = family.children[0]
    url = f"/families/{family.id}/people/{child.id}/census"
    browser = Browser(client)
    browser.sign_in(practitioner)
    assert client.post(url, data={"csrf_token": "forged", "sex": "M"}).status_code == 400
    assert census_details.get_child_census(uow, actor_of(practitioner), child.id).sex is None
    other = Browser(client.application.test_client())
    other.sign_in(outsider)
    assert other.get(url).status_code == 404
