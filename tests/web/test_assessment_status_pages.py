"""The assessment's status pages: the task list's statuses, completing a section, the family's agreement (every
error at once), a manager's sign-off and the family's copy to print."""
from __future__ import annotations

import datetime as dt

from coordination.services import assessment as assessment_service
from coordination.services import assessment_status as status_service

from ..conftest import actor_of
from ..integration.test_assessment_status import REQUIRED, complete_all
from .conftest import error_summary, title_of


def _parent(family):
    return next(p for p in family.people if p.role == "parent_carer")


def test_task_list_shows_each_sections_status(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment_service.save_section(uow, actor, family.id, "strengths", "Grandma helps.", 0)
    assessment_service.save_section(uow, actor, family.id, "health", "Asthma.", 0)
    status_service.mark_section(uow, actor, family.id, "health", "completed")
    uow.commit()
    html = signed_in.get(f"/families/{family.id}/assessment").get_data(as_text=True)
    assert html.count("Not started") == 10 and html.count("In progress") >= 1 and "Completed" in html
    assert "1 of 10" in html and "Record that the family agreed" not in html


def test_completing_a_section_from_its_page_returns_to_the_task_list(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner)
    assessment_service.save_section(uow, actor_of(practitioner), family.id, "worries", "Rent arrears.", 0)
    uow.commit()
    url = f"/families/{family.id}/assessment/worries/status"
    empty = signed_in.submit(url, {}, form_url=f"/families/{family.id}/assessment/worries")
    assert error_summary(empty.get_data(as_text=True)) == {"#status": "Select whether you have completed this section"}
    done = signed_in.submit(url, {"status": "completed"})
    assert done.status_code == 302 and done.headers["Location"] == f"/families/{family.id}/assessment"
    page = signed_in.get(done.headers["Location"]).get_data(as_text=True)
    assert "Section marked as complete" in page and "Completed" in page


def test_the_agreement_page_lists_every_error_at_once(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner)
    complete_all(uow, practitioner, family.id, REQUIRED[:-1])
    url = f"/families/{family.id}/assessment/agreement"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    html = signed_in.submit(url, {"agreed_on": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]}
                            ).get_data(as_text=True)
    assert title_of(html).startswith("Error: ")
    errors = error_summary(html)
    assert errors["#agreed_by"] == "Choose who in the family agreed the assessment"
    assert errors["#agreed_on-day"] == "The date the family agreed must be today or in the past"
    assert errors["#outstanding"] == "Complete every required section before the family agrees the assessment"
    assert "Safety: abuse, exploitation, substance use</a>" in html  # the one not complete, listed on the page


def test_agreement_then_sign_off_by_a_manager(browser, practitioner, manager, make_family, uow):
    family = make_family(practitioner)
    complete_all(uow, practitioner, family.id)
    browser.sign_in(practitioner)
    today = dt.date.today()
    done = browser.submit(f"/families/{family.id}/assessment/agreement",
                          {"agreed_by": str(_parent(family).id),
                           "agreed_on": [str(today.day), str(today.month), str(today.year)]})
    assert done.status_code == 302
    page = browser.get(f"/families/{family.id}/assessment").get_data(as_text=True)
    assert "Morgan Testfamily, on" in page and "waiting for a manager to sign it off" in page
    assert browser.get(f"/families/{family.id}/assessment/sign-off").status_code == 403
    browser.submit("/sign-out", {}, form_url="/caseload")
    browser.sign_in(manager)
    signed = browser.submit(f"/families/{family.id}/assessment/sign-off", {})
    assert signed.status_code == 302
    page = browser.get(f"/families/{family.id}/assessment").get_data(as_text=True)
    assert "Assessment signed off" in page and f"by {manager.name}" in page


def test_the_familys_copy_leaves_out_safety_and_says_so(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment_service.save_section(uow, actor, family.id, "safety", "Fictional worry about a visitor.", 0)
    assessment_service.save_section(uow, actor, family.id, "strengths", "Grandma helps every weekend.", 0)
    uow.commit()
    response = signed_in.get(f"/families/{family.id}/assessment/print")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and title_of(html).startswith("Your family's assessment")
    assert "Grandma helps every weekend." in html and "Fictional worry about a visitor." not in html
    assert "The safety section is not included" in html
    assert "govuk-service-navigation" not in html  # no navigation on the family's copy


def test_another_agency_cannot_see_the_status_pages(browser, outsider, practitioner, make_family):
    family = make_family(practitioner)
    browser.sign_in(outsider)
    for path in ("agreement", "print", "worries/status"):
        assert browser.get(f"/families/{family.id}/assessment/{path}").status_code == 404
