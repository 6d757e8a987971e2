"""Family Help in the web UI: the plan page (goals with actions and statuses), adding a goal and an action (every
error at once), changing an action's status (a drop needs a reason), the lead practitioner (a change needs a
reason, kept as a handover), and the team page showing which member agencies can see the plan."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from coordination.services.family_help import plan as plan_service
from coordination.services.family_help import team as team_service

from .. import factories
from ..api.conftest import parent_consent
from ..conftest import actor_of
from .conftest import Browser, error_summary, title_of

SERVICE = "Early help case coordination"


@pytest.fixture
def school(uow):
    return factories.AgencyFactory(name="Meadow Primary School", type="school")


@pytest.fixture
def family(make_family, practitioner):
    return make_family(practitioner)


@pytest.fixture
def goal(uow, practitioner, family):
    view = plan_service.add_goal(uow, actor_of(practitioner), family.id,
                                 title="We want mornings to be calm", outcome_area="education")
    uow.commit()
    return view


def test_the_family_page_links_to_the_plan_and_the_team(signed_in, family):
    html = signed_in.get(f"/families/{family.id}").get_data(as_text=True)
    assert f'href="/families/{family.id}/plan"' in html and f'href="/families/{family.id}/team"' in html
    assert f'href="/families/{family.id}/lead"' in html
    for path, title in ((f"/families/{family.id}/plan", "Family plan"),
                        (f"/families/{family.id}/plan/goals/new", "Add a goal"),
                        (f"/families/{family.id}/team", "Team around the family"),
                        (f"/families/{family.id}/team/new", "Add someone to the team"),
                        (f"/families/{family.id}/lead", "Lead practitioner")):
        response = signed_in.get(path)
        assert response.status_code == 200, path
        assert title_of(response.get_data(as_text=True)) == f"{title} – {SERVICE}"


def test_a_goal_and_an_action_are_added_and_empty_forms_list_every_error(signed_in, family, school):
    empty = signed_in.submit(f"/families/{family.id}/plan/goals/new", {})
    assert list(error_summary(empty.get_data(as_text=True)).values()) == [
        "Enter the goal, in the family's own words", "Select the outcome area the goal is about"]
    added = signed_in.submit(f"/families/{family.id}/plan/goals/new",
                             {"title": "Rowan wants to sleep better", "outcome_area": "health"}, follow_redirects=True)
    html = added.get_data(as_text=True)
    assert "Goal added to the plan" in html and "Rowan wants to sleep better" in html
    assert "Improved mental and physical health" in html
    [goal_id] = re.findall(r"/plan/goals/([0-9a-f-]{36})/actions/new", html)
    url = f"/families/{family.id}/plan/goals/{goal_id}/actions/new"
    errors = signed_in.submit(url, {"due_on": ["", "", ""]})
    assert list(error_summary(errors.get_data(as_text=True)).values()) == [
        "Enter what will be done", "Choose who will do it: an agency, a practitioner or a family member",
        "Enter the date it is due"]
    unchosen = signed_in.submit(url, {"description": "School nurse sees Rowan", "owner_kind": "agency",
                                      "due_on": ["1", "1", str(dt.date.today().year + 1)]})
    assert error_summary(unchosen.get_data(as_text=True)) == {"#agency_id": "Choose an agency"}
    saved = signed_in.submit(url, {"description": "School nurse sees Rowan", "owner_kind": "agency",
                                   "agency_id": str(school.id), "due_on": ["1", "1", str(dt.date.today().year + 1)]},
                             follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert "Action added to the plan" in html and "School nurse sees Rowan" in html
    assert "By Meadow Primary School, due 1 January" in html and "Not started" in html


def test_an_action_is_dropped_only_with_a_reason(signed_in, uow, practitioner, family, goal):
    action = plan_service.add_action(uow, actor_of(practitioner), family.id, goal.id, description="Walking bus",
                                     owner={"user_id": practitioner.id}, due_on=dt.date.today())
    uow.commit()
    url = f"/families/{family.id}/plan/goals/{goal.id}/actions/{action.id}/status"
    page = signed_in.get(url).get_data(as_text=True)
    assert "Walking bus" in page and "We want mornings to be calm" in page
    missing = signed_in.submit(url, {"status": "dropped", "reason": ""})
    assert error_summary(missing.get_data(as_text=True)) == {"#reason": "Enter why the action was dropped"}
    done = signed_in.submit(url, {"status": "dropped", "reason": "A neighbour drives them"}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Action status changed" in html and "Dropped: A neighbour drives them" in html


def test_the_lead_changes_with_a_reason_and_the_handover_is_listed(signed_in, family, school):
    teacher = factories.UserFactory(agency=school, role="practitioner", name="Tess Teacher",
                                    email="tess.teacher@example.org")
    url = f"/families/{family.id}/lead"
    missing = signed_in.submit(url, {"user_id": str(teacher.id), "chosen_with_family": "no"})
    assert error_summary(missing.get_data(as_text=True)) == {"#reason": "Enter why the lead practitioner is changing"}
    unanswered = signed_in.submit(url, {"user_id": "", "reason": ""})
    assert list(error_summary(unanswered.get_data(as_text=True)).values()) == [
        "Choose a practitioner or manager who will be the lead practitioner",
        "Select whether the family chose their lead practitioner"]
    saved = signed_in.submit(url, {"user_id": str(teacher.id), "chosen_with_family": "yes",
                                   "reason": "Morgan asked for Rowan's teacher"}, follow_redirects=True)
    assert "Lead practitioner saved" in saved.get_data(as_text=True)
    history = signed_in.get(url).get_data(as_text=True)
    assert "Tess Teacher" in history and "Morgan asked for Rowan&#39;s teacher" in history


def test_the_team_page_shows_which_member_agencies_can_see_the_plan(signed_in, uow, practitioner, family, school):
    health = factories.AgencyFactory(name="Eastmere Health Visiting", type="health")
    for agency in (school, health):
        team_service.add_member(uow, actor_of(practitioner), family.id, agency_id=agency.id, role="Support")
    uow.commit()
    parent_consent(uow, practitioner, family, ["family_plan"], {"agencies": [school.id]})

    html = signed_in.get(f"/families/{family.id}/team").get_data(as_text=True)

    assert html.count('data-sees-plan="yes"') == 1 and html.count('data-sees-plan="no"') == 1
    assert f'href="/families/{family.id}/consents/new"' in html
    ended = signed_in.submit(f"/families/{family.id}/team/{_member(html)}/end", {},
                             form_url=f"/families/{family.id}/team", follow_redirects=True)
    assert "Membership ended" in ended.get_data(as_text=True)
    assert ended.get_data(as_text=True).count("data-past-member") == 1


def _member(html: str) -> str:
    return re.findall(r"/team/([0-9a-f-]{36})/end", html)[0]


def test_a_lead_from_another_agency_works_on_the_plan_and_others_get_404(client, uow, practitioner, outsider,
                                                                         family, goal, school):
    teacher = factories.UserFactory(agency=school, role="practitioner", email="tess.teacher@example.org")
    from coordination.services.family_help import lead

    lead.set_lead(uow, actor_of(practitioner), family.id, user_id=teacher.id, chosen_with_family=True,
                  reason="The family asked")
    uow.commit()
    as_lead = Browser(client)
    as_lead.sign_in(teacher)
    assert "We want mornings to be calm" in as_lead.get(f"/families/{family.id}/plan").get_data(as_text=True)
    assert as_lead.get(f"/families/{family.id}/plan/goals/new").status_code == 200
    assert as_lead.get(f"/families/{family.id}/team").status_code == 200
    other = Browser(client.application.test_client())
    other.sign_in(outsider)
    assert other.get(f"/families/{family.id}/plan").status_code == 404
    assert other.get(f"/families/{family.id}/team").status_code == 404
