"""The family's consent and sharing pages: the grid, recording a consent through check answers, withdrawing."""
from __future__ import annotations

import datetime as dt

from coordination.domain.consent import add_months
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of
from ..integration.consent_support import give, household
from .conftest import error_summary, ids_in, title_of


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _answers(home, school, **extra) -> dict:
    data = {"given_by": str(home.parent), "capacity": "parent_with_pr", "decision": "permit",
            "sections": ["strengths", "family_plan"], "agencies": [str(school.id)], "agency_types": ["health"],
            "purpose": "So the school and health visitors can support the plan", "method": "verbal"}
    data.update(extra)
    return data


def test_recording_a_consent_through_check_answers_records_exactly_what_was_answered(
        signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    today = uow.today()
    page = signed_in.get(f"/families/{home.id}/consents")
    assert page.status_code == 200 and title_of(page.get_data(as_text=True)).startswith("Consent and sharing")
    assert "No consent has been recorded." in page.get_data(as_text=True)
    form = signed_in.get(f"/families/{home.id}/consents/new").get_data(as_text=True)
    assert title_of(form).startswith("Record a consent decision") and 'name="csrf_token"' in form
    expires = add_months(today, 6)
    response = signed_in.submit(f"/families/{home.id}/consents/new",
                                _answers(home, school, valid_from=_parts(today), expires_on=_parts(expires)))
    assert response.status_code == 302 and response.location.endswith(f"/families/{home.id}/consents/check")
    check = signed_in.get(f"/families/{home.id}/consents/check").get_data(as_text=True)
    assert title_of(check).startswith("Check the consent before recording it")
    for text in ("Morgan Larkspur", "Parent or carer with parental responsibility", "Yes, share the information",
                 "Brookside Primary School", "Health", "So the school and health visitors can support the plan",
                 "Verbal", f"{expires.day} {expires:%B %Y}", "Change<span class=\"govuk-visually-hidden\"> sections"):
        assert text in check, text
    assert consent_service.list_consents(uow, actor_of(practitioner), home.id).consents == []  # not yet recorded

    response = signed_in.submit(f"/families/{home.id}/consents/check", {})
    assert response.status_code == 302
    (recorded,) = consent_service.list_consents(uow, actor_of(practitioner), home.id).consents
    assert (recorded.given_by_person_id, recorded.capacity, recorded.decision) == (home.parent, "parent_with_pr",
                                                                                   "permit")
    assert recorded.sections == ["family_plan", "strengths"] and recorded.method == "verbal"
    assert {(r.kind, r.value) for r in recorded.recipients} == {("agency", str(school.id)), ("agency_type", "health")}
    assert recorded.purpose == "So the school and health visitors can support the plan"
    assert (recorded.valid_from, recorded.expires_on) == (today, expires)
    page = signed_in.get(f"/families/{home.id}/consents").get_data(as_text=True)
    assert "Consent recorded" in page and ">Live<" in page.replace("\n", "").replace(" ", "")
    assert "<caption" in page and 'scope="row"' in page and "<strong>Shared</strong>" in page and "Not shared" in page
    # the draft is gone: the check page now sends people back to the questions
    assert signed_in.get(f"/families/{home.id}/consents/check").status_code == 302


def test_change_link_brings_back_the_answers_when_changing_them(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    signed_in.submit(f"/families/{home.id}/consents/new", _answers(home, school))
    form = signed_in.get(f"/families/{home.id}/consents/new?change=1").get_data(as_text=True)
    assert "So the school and health visitors can support the plan" in form
    assert f'value="{school.id}" checked' in form
    fresh = signed_in.get(f"/families/{home.id}/consents/new").get_data(as_text=True)
    assert "So the school and health visitors can support the plan" not in fresh


def test_missing_answers_show_an_error_summary_linked_to_each_question_when_nothing_is_chosen(
        signed_in, practitioner, uow):
    home = household(uow, practitioner)
    factories.AgencyFactory(name="Brookside Primary School", type="school")
    html = signed_in.submit(f"/families/{home.id}/consents/new", {"purpose": ""}).get_data(as_text=True)
    assert title_of(html).startswith("Error: Record a consent decision")
    links = error_summary(html)
    assert links["#given_by"].startswith("Choose the person in this family")
    assert links["#sections"] == "Choose at least one section"
    assert links["#agencies"] == "Choose at least one agency or type of agency"
    assert links["#purpose"] == "Enter what the information will be shared for"
    assert {h[1:] for h in links} <= ids_in(html)  # every link lands on its question


def test_a_child_under_16_cannot_decide_as_a_young_person_when_competence_is_not_recorded(
        signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    html = signed_in.submit(f"/families/{home.id}/consents/new",
                            _answers(home, school, given_by=str(home.child), capacity="young_person")) \
        .get_data(as_text=True)
    assert error_summary(html)["#capacity"].startswith("A young person is presumed able to decide from 16")
    html = signed_in.submit(f"/families/{home.id}/consents/new",
                            _answers(home, school, given_by=str(home.child), capacity="competent_child")) \
        .get_data(as_text=True)
    links = error_summary(html)
    assert "#competence_assessed_by" in links and "#competence_assessed_on-day" in links
    response = signed_in.submit(f"/families/{home.id}/consents/new", _answers(
        home, school, given_by=str(home.child), capacity="competent_child", sections=["health"],
        competence_assessed_by=str(practitioner.id), competence_assessed_on=_parts(uow.today())))
    assert response.status_code == 302
    assert 'data-warning="competence"' not in signed_in.get(f"/families/{home.id}/consents/check").get_data(
        as_text=True)  # 14: no warning
    signed_in.submit(f"/families/{home.id}/consents/check", {})
    (recorded,) = consent_service.list_consents(uow, actor_of(practitioner), home.id).consents
    assert recorded.capacity == "competent_child" and recorded.competence_assessed_by_id == practitioner.id


def test_withdrawn_consent_shows_as_withdrawn_and_the_grid_stops_sharing_when_withdrawn(
        signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    view = give(uow, practitioner, home.id, home.parent, agencies=[school])
    before = signed_in.get(f"/families/{home.id}/consents").get_data(as_text=True)
    assert "<strong>Shared</strong>" in before and "Brookside Primary School" in before
    url = f"/families/{home.id}/consents/{view.id}/withdraw"
    page = signed_in.get(url).get_data(as_text=True)
    assert title_of(page).startswith("Withdraw consent")
    html = signed_in.submit(url, {"reason": ""}).get_data(as_text=True)
    assert error_summary(html) == {"#reason": "Enter a reason"}
    response = signed_in.submit(url, {"reason": "Mum asked us to stop sharing"})
    assert response.status_code == 302
    after = signed_in.get(f"/families/{home.id}/consents").get_data(as_text=True)
    assert "Consent withdrawn" in after and "Withdrawn" in after and "Mum asked us to stop sharing" in after
    assert "<strong>Shared</strong>" not in after and "Nothing is shared" in after
    (withdrawn,) = consent_service.list_consents(uow, actor_of(practitioner), home.id).consents
    assert withdrawn.state == "withdrawn"


def test_conflict_between_parent_and_young_person_is_shown_with_who_governs_when_they_disagree(
        signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    give(uow, practitioner, home.id, home.parent, agencies=[school])
    give(uow, practitioner, home.id, home.parent, sections=["health"], agencies=[school])
    give(uow, practitioner, home.id, home.teen, capacity="young_person", sections=["health"], agencies=[school],
         decision="refuse")
    html = signed_in.get(f"/families/{home.id}/consents").get_data(as_text=True)
    assert "govuk-warning-text" in html
    assert "Teagan Larkspur&#39;s decision governs: it is not shared under consent." in html


def test_a_competent_child_under_12_is_warned_about_and_their_choice_limited_to_sections_about_them(
        signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    competent = {"given_by": str(home.little), "capacity": "competent_child",
                 "competence_assessed_by": str(practitioner.id), "competence_assessed_on": _parts(uow.today())}
    html = signed_in.submit(f"/families/{home.id}/consents/new", _answers(home, school, **competent)) \
        .get_data(as_text=True)
    assert error_summary(html)["#sections"].startswith("A young person decides only about the sections about them")
    response = signed_in.submit(f"/families/{home.id}/consents/new",
                                _answers(home, school, sections=["child_voice", "health"], **competent))
    assert response.status_code == 302
    check = signed_in.get(f"/families/{home.id}/consents/check").get_data(as_text=True)
    assert 'data-warning="competence"' in check
    assert "This child is 6. Children under 12 are rarely able to decide about sharing their information for " \
           "themselves." in check
    signed_in.submit(f"/families/{home.id}/consents/check", {})  # a warning, not a refusal: it is recorded
    (recorded,) = consent_service.list_consents(uow, actor_of(practitioner), home.id).consents
    assert recorded.capacity == "competent_child"


def test_another_agencys_family_is_not_found_when_an_outsider_asks(client, browser, practitioner, outsider, uow):
    home = household(uow, practitioner)
    browser.sign_in(outsider)
    assert browser.get(f"/families/{home.id}/consents").status_code == 404
    assert browser.get(f"/families/{home.id}/consents/new").status_code == 404


def test_family_overview_links_to_consent_and_to_who_has_seen_it(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    html = signed_in.get(f"/families/{home.id}").get_data(as_text=True)
    assert f'href="/families/{home.id}/consents"' in html and f'href="/families/{home.id}/access-log"' in html


def test_confirming_without_the_csrf_token_is_refused_when_posted_from_elsewhere(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    signed_in.submit(f"/families/{home.id}/consents/new", _answers(home, school))
    response = signed_in.client.post(f"/families/{home.id}/consents/check", data={})
    assert response.status_code == 400
    assert consent_service.list_consents(uow, actor_of(practitioner), home.id).consents == []


def test_withdrawing_an_unknown_consent_is_not_found_when_the_id_is_wrong(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    assert signed_in.get(f"/families/{home.id}/consents/{home.id}/withdraw").status_code == 404


def test_missing_recipients_link_to_the_agency_types_when_no_other_agency_exists(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    html = signed_in.submit(f"/families/{home.id}/consents/new", {"purpose": "x"}).get_data(as_text=True)
    links = error_summary(html)
    assert links["#agency_types"] == "Choose at least one agency or type of agency"
    assert {h[1:] for h in links} <= ids_in(html)
