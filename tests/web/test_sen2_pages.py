"""SEN2 in the web UI: an EHC request's details (every error at once — the form's own and the SEN2 rules' —
nothing preselected, saved and shown), reached from the referral page of the SEND team that received it; and
the SEN2 page for managers: the counts, the pre-submission report with links to fix each gap, the download."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from coordination.services import ehc_details
from coordination.services import referrals as referrals_service

from .. import factories
from ..conftest import actor_of
from .conftest import Browser, error_summary, title_of

SERVICE = "Early help case coordination"


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def send_work(uow, practitioner, make_family):
    team = factories.AgencyFactory(name="Eastmere SEND Service", type="send_service")
    officer = factories.UserFactory(agency=team, role="practitioner", email="sam.send@example.org")
    family = make_family(practitioner)
    child = family.children[0]
    referral = referrals_service.create_referral(uow, actor_of(practitioner), family.id, child.id,
                                                 "ehc_needs_assessment", team.id, "Fictional request for assessment",
                                                 received_on=dt.date.today() - dt.timedelta(days=60))
    uow.commit()
    return {"officer": officer, "family": family, "child": child, "referral": referral}


def test_the_ehc_details_form_lists_every_error_and_saves(uow, browser, send_work):
    referral = send_work["referral"]
    url = f"/referrals/{referral.id}/ehc-details"
    browser.sign_in(send_work["officer"])
    assert f'href="{url}"' in browser.get(f"/referrals/{referral.id}").get_data(as_text=True)
    form = browser.get(url).get_data(as_text=True)
    assert title_of(form) == f"EHC details for SEN2 – {SERVICE}"
    assert " checked" not in form and "Autistic spectrum disorder (ASD)" in form
    asked = referral.received_on + dt.timedelta(days=20)
    bad = browser.submit(url, {"request_outcome": "Y", "request_outcome_on": ["31", "2", "2026"],
                               "assessment_outcome": "Y", "assessment_outcome_on": _parts(asked),
                               "placement_urn": "12345", "sen_need_1": "ASD", "sen_need_2": "ASD", "version": "0"})
    assert bad.status_code == 400
    assert list(error_summary(bad.get_data(as_text=True)).values()) == [
        "Date of the decision whether to assess must be a real date",
        "Enter the date the plan was issued",
        "Enter a URN of 6 digits, like 100001",
        "Choose the placement's rank, 1 or 2",
        "Choose up to two different needs from the list, the primary first",
    ]
    assert ehc_details.get_ehc_details(uow, actor_of(send_work["officer"]), referral.id).version == 0  # nothing kept
    done = browser.submit(url, {"request_outcome": "Y", "request_outcome_on": _parts(asked), "request_mediation": "no",
                                "assessment_outcome": "A", "version": "0"}, follow_redirects=True)
    assert "EHC details saved" in done.get_data(as_text=True)
    again = browser.get(url).get_data(as_text=True)
    assert 'value="Y" checked' in again and 'value="no" checked' in again
    view = ehc_details.get_ehc_details(uow, actor_of(send_work["officer"]), referral.id)
    assert (view.request_outcome, view.request_outcome_on, view.request_mediation, view.version) == (
        "Y", asked, False, 1)


def test_only_the_receiving_team_changes_the_details(uow, client, practitioner, send_work):
    url = f"/referrals/{send_work['referral'].id}/ehc-details"
    browser = Browser(client)
    browser.sign_in(practitioner)  # the referrer sees the referral but did not receive it
    assert browser.get(url).status_code == 200
    assert browser.submit(url, {"request_outcome": "A", "version": "0"}).status_code == 403


def test_a_manager_checks_sen2_sees_what_is_missing_and_downloads_it(client, manager, send_work):
    browser = Browser(client)
    browser.sign_in(manager)
    assert "/returns/sen2" in browser.get("/timeliness").get_data(as_text=True)
    year = send_work["referral"].received_on.year + 1
    html = browser.get(f"/returns/sen2?year={year}").get_data(as_text=True)
    assert title_of(html) == f"SEN2 – {SERVICE}"
    family, child = send_work["family"], send_work["child"]
    assert "1 EHC request has no request outcome" in html
    assert "1 child has no ethnicity recorded (sent as NOBT, not yet obtained)" in html
    assert f'href="/referrals/{send_work["referral"].id}/ehc-details"' in html
    assert f'href="/families/{family.id}/people/{child.id}/census"' in html
    download = browser.get(f"/returns/sen2.xml?year={year}")
    assert download.mimetype == "application/xml"
    assert download.headers["X-Content-SHA256"] == hashlib.sha256(download.get_data()).hexdigest()
    bad = browser.get("/returns/sen2?year=20x7")
    assert bad.status_code == 400 and "Enter the year of the January census" in bad.get_data(as_text=True)


def test_practitioners_cannot_run_sen2(signed_in):
    assert signed_in.get("/returns/sen2").status_code == 403
    assert signed_in.get("/returns/sen2.xml?year=2027").status_code == 403


def test_the_placement_items_are_asked_with_no_answer_chosen_and_only_with_a_placement(uow, browser, send_work):
    referral = send_work["referral"]
    url = f"/referrals/{referral.id}/ehc-details"
    browser.sign_in(send_work["officer"])
    form = browser.get(url).get_data(as_text=True)
    assert "Is the child placed in the school&#39;s SEN unit?" in form and " checked" not in form
    assert "Date the child started at this placement" in form
    asked = referral.received_on + dt.timedelta(days=10)
    issued = referral.received_on + dt.timedelta(days=40)
    bad = browser.submit(url, {"request_outcome": "Y", "request_outcome_on": _parts(asked), "sen_unit": "yes",
                               "placement_entry_on": ["31", "2", "2026"], "version": "0"})
    assert bad.status_code == 400
    assert list(error_summary(bad.get_data(as_text=True)).values()) == [
        "Record this only with the placement (a URN, a UKPRN or a setting)",
        "Date the child started at this placement must be a real date",
    ]
    done = browser.submit(url, {
        "request_outcome": "Y", "request_outcome_on": _parts(asked), "assessment_outcome": "Y",
        "assessment_outcome_on": _parts(asked), "plan_start_on": _parts(issued), "placement_urn": "100001",
        "placement_rank": "1", "sen_unit": "no", "resourced_provision": "yes",
        "placement_entry_on": _parts(referral.received_on - dt.timedelta(days=300)), "sen_need_1": "ASD",
        "version": "0"}, follow_redirects=True)
    assert "EHC details saved" in done.get_data(as_text=True)
    view = ehc_details.get_ehc_details(uow, actor_of(send_work["officer"]), referral.id)
    assert (view.sen_unit, view.resourced_provision, view.placement_entry_on) == (
        False, True, referral.received_on - dt.timedelta(days=300))


def test_the_sen2_page_says_when_the_headers_dmo_and_dco_are_not_set(app, client, manager, send_work):
    from dataclasses import replace

    from coordination.extensions import state

    app.extensions["coordination"] = replace(state(app), settings=replace(state(app).settings, sen2_dmo=None,
                                                                          sen2_dco=None))
    browser = Browser(client)
    browser.sign_in(manager)
    html = browser.get(f"/returns/sen2?year={send_work['referral'].received_on.year + 1}").get_data(as_text=True)
    assert "The header&#39;s DMO (whether the council has a Designated Medical Officer for SEND: Y, N or R) is not " \
           "set: set SEN2_DMO before sending the file." in html
    assert "SEN2_DCO" in html
