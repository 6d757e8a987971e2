"""No radio is ever answered for the practitioner (GOV.UK: never preselect radios), least of all a consent
decision: every question starts unchosen, and one left unanswered comes back in the error summary."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coordination.models import Referral
from coordination.services import referrals as referrals_service
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of
from ..integration.consent_support import household
from .conftest import error_summary, ids_in, title_of


def checked_radios(html: str) -> list[str]:
    """The name=value of every radio button the page arrives with already chosen."""
    radios = [tag for tag in re.findall(r"<input\b[^>]*>", html) if 'type="radio"' in tag]
    assert radios, "the page has no radios to check"
    return ["{}={}".format(_attribute(tag, "name"), _attribute(tag, "value"))
            for tag in radios if re.search(r"\schecked\b", tag)]


def _attribute(tag: str, name: str) -> str:
    return re.search(rf'\s{name}="([^"]*)"', tag).group(1)


@pytest.fixture
def social_care(uow):
    return factories.AgencyFactory(name="Riverside Children's Social Care", type="social_care")


@pytest.fixture
def only_child(make_family, practitioner):
    """A family with one child: still nothing chosen for the practitioner."""
    return make_family(practitioner, children=("Rowan",))


def test_record_consent_preselects_no_decision_and_no_radio(signed_in, practitioner, uow):
    home = household(uow, practitioner)

    html = signed_in.get(f"/families/{home.id}/consents/new").get_data(as_text=True)

    assert checked_radios(html) == []
    assert 'value="permit"' in html and 'value="refuse"' in html and 'value="written"' in html


def test_record_consent_without_a_decision_asks_whether_they_agreed_to_share(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    answers = {"given_by": str(home.parent), "capacity": "parent_with_pr", "sections": ["strengths"],
               "agencies": [str(school.id)], "purpose": "So the school can support the plan"}

    response = signed_in.submit(f"/families/{home.id}/consents/new", answers)

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and title_of(html).startswith("Error: Record a consent decision")
    links = error_summary(html)
    assert links["#decision"] == "Select whether they agreed to share"
    assert links["#method"] == "Select how the decision was given"
    assert {h[1:] for h in links} <= ids_in(html)
    assert checked_radios(html) == ["given_by=" + str(home.parent), "capacity=parent_with_pr"]  # as answered
    assert signed_in.get(f"/families/{home.id}/consents/check").status_code == 302  # no draft was kept
    assert consent_service.list_consents(uow, actor_of(practitioner), home.id).consents == []


def test_record_consent_with_a_refusal_chosen_goes_on_to_check_answers(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    answers = {"given_by": str(home.parent), "capacity": "parent_with_pr", "sections": ["strengths"],
               "agencies": [str(school.id)], "purpose": "So the school can support the plan",
               "decision": "refuse", "method": "verbal"}

    response = signed_in.submit(f"/families/{home.id}/consents/new", answers)

    assert response.status_code == 302
    assert "No, do not share it" in signed_in.get(f"/families/{home.id}/consents/check").get_data(as_text=True)


def test_make_a_referral_preselects_no_urgency_and_not_even_the_only_child(signed_in, only_child, social_care):
    html = signed_in.get(f"/families/{only_child.id}/referrals/new").get_data(as_text=True)

    assert checked_radios(html) == []
    assert 'value="routine"' in html and f'value="{only_child.children[0].id}"' in html


def test_make_a_referral_without_an_urgency_or_child_says_so_in_the_error_summary(
        signed_in, uow, only_child, social_care):
    answers = {"pathway": "social_care", "to_agency_id": str(social_care.id), "reason": "Fictional: worries at home"}

    response = signed_in.submit(f"/families/{only_child.id}/referrals/new", answers)

    html = response.get_data(as_text=True)
    assert title_of(html).startswith("Error: Make a referral")
    links = error_summary(html)
    assert links["#urgency"] == "Select how urgent the referral is"
    assert links["#child_id"] == "Select the child you are referring"
    assert {h[1:] for h in links} <= ids_in(html)
    assert uow.session.execute(select(Referral)).first() is None


def test_the_child_s_voice_form_preselects_no_child_and_no_method(signed_in, only_child):
    html = signed_in.get(f"/families/{only_child.id}/voice").get_data(as_text=True)

    assert checked_radios(html) == []


def test_the_decision_and_disclosure_forms_preselect_nothing(app, uow, practitioner, manager, only_child, social_care):
    from .test_referral_pages import as_user

    made = referrals_service.create_referral(uow, actor_of(practitioner), only_child.id, only_child.children[0].id,
                                             "social_care", social_care.id, "Fictional: worries at home",
                                             urgency="urgent")
    uow.commit()
    worker = factories.UserFactory(agency=social_care, role="practitioner", email="sam.worker@example.org")
    decision = as_user(app, worker).get(f"/referrals/{made.id}").get_data(as_text=True)
    disclosure = as_user(app, manager).get(f"/families/{only_child.id}/disclosures/new").get_data(as_text=True)

    assert checked_radios(decision) == []
    assert checked_radios(disclosure) == []
