"""The right door in the web UI: the referral form offers, under each service, only the teams that receive it;
the receiving team's page offers "Redirect to the right team" (every error at once; post/redirect/get to its
inbox); both teams see the history; the dashboard counts what fell through the gap."""
from __future__ import annotations

import re

import pytest

from coordination.services import referrals as service

from .. import factories
from ..conftest import actor_of
from .conftest import error_summary, ids_in, title_of
from .test_referral_pages import REASON, as_user, family, referrals_in  # noqa: F401  (fixtures)

WHY = "Fictional: the family lives in the south of the borough."


@pytest.fixture
def front_door(uow):
    return factories.AgencyFactory(name="Riverside Children's Social Care", type="social_care")


@pytest.fixture
def cin(uow):
    return factories.AgencyFactory(name="Riverside Children in Need Team", type="social_care")


@pytest.fixture
def send(uow):
    return factories.AgencyFactory(name="Riverside SEND Service", type="send_service")


def _options(html: str, select_id: str) -> list[str]:
    block = re.search(rf'<select[^>]*id="{re.escape(select_id)}".*?</select>', html, re.S)
    assert block, f"no select {select_id}"
    return [htmltext.strip() for htmltext in re.findall(r"<option[^>]*>(.*?)</option>", block.group(0), re.S)]


def _groups(html: str, select_id: str) -> dict[str, list[str]]:
    """The select's option groups: label → the options' texts."""
    block = re.search(rf'<select[^>]*id="{re.escape(select_id)}".*?</select>', html, re.S).group(0)
    return {label: [t.strip() for t in re.findall(r"<option[^>]*>(.*?)</option>", body, re.S)]
            for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', block, re.S)}


def test_the_form_offers_under_each_service_only_the_teams_that_receive_it(
        app, uow, practitioner, family, front_door, send):  # noqa: F811
    html = as_user(app, practitioner).get(f"/families/{family.id}/referrals/new").get_data(as_text=True)
    groups = _groups(html, "to_agency_id")
    assert groups["EHC needs assessment"] == ["Riverside SEND Service (SEND service)"]
    assert groups["Children&#39;s social care (step-up)"] == [
        "Riverside Children&#39;s Social Care (Children&#39;s social care)"]
    assert groups["Early help"] == ["Riverside Early Help Hub (Council early help)"]
    assert "CAMHS" not in groups  # no team receives CAMHS referrals here yet


def test_the_receiving_team_redirects_to_the_right_team_and_both_see_the_history(
        app, uow, practitioner, family, front_door, cin):  # noqa: F811
    made = service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "social_care",
                                   front_door.id, REASON)
    uow.commit()
    door_worker = as_user(app, factories.UserFactory(agency=front_door, role="practitioner"))
    page = f"/referrals/{made.id}"
    html = door_worker.get(page).get_data(as_text=True)
    assert "Redirect to the right team" in html
    assert _options(html, "redirect_to") == ["Choose a team",
                                             "Riverside Children in Need Team (Children&#39;s social care)"]

    url = f"{page}/redirect"
    response = door_worker.submit(url, {"redirect_to": "", "redirect_reason": " "}, form_url=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and title_of(html).startswith("Error: ")
    assert error_summary(html) == {"#redirect_to": "Select the team that should receive the referral",
                                   "#redirect_reason": "Enter why the referral is going to that team"}
    assert {href[1:] for href in error_summary(html)} <= ids_in(html)
    assert referrals_in(uow)[0].to_agency_id == front_door.id

    response = door_worker.submit(url, {"redirect_to": str(cin.id), "redirect_reason": WHY}, form_url=page)
    assert response.status_code == 302 and response.headers["Location"].endswith("/referrals")
    inbox = door_worker.get("/referrals").get_data(as_text=True)
    assert "Referral redirected to Riverside Children in Need Team" in inbox
    assert "Sent on to the right team" in inbox and WHY in inbox and f'href="{page}"' not in inbox
    assert door_worker.get(page).status_code == 404  # it has left the Front Door

    cin_worker = as_user(app, factories.UserFactory(agency=cin, role="practitioner"))
    assert f'href="{page}"' in cin_worker.get("/referrals").get_data(as_text=True)
    html = cin_worker.get(page).get_data(as_text=True)
    assert "Redirected to Riverside Children in Need Team" in html and WHY in html
    assert "From Riverside Children&#39;s Social Care" in html
    assert "Redirected to the new team&#39;s decision" in html  # the new team's own clock
    # The sender and case holder follows it too.
    assert WHY in as_user(app, practitioner).get(page).get_data(as_text=True)


def test_the_dashboard_shows_the_right_door_figures(
        app, uow, manager, practitioner, family, front_door, cin):  # noqa: F811
    made = service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "social_care",
                                   front_door.id, REASON)
    service.redirect(uow, actor_of(factories.UserFactory(agency=front_door, role="practitioner")), made.id, cin.id,
                     WHY)
    uow.commit()
    html = as_user(app, manager).get("/timeliness").get_data(as_text=True)
    row = re.search(r'<tr class="govuk-table__row" id="doors-social_care">(.*?)</tr>', html, re.S).group(1)
    assert [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] == ["1", "1", "0", "0"]
    assert "Fell through the gap" in html
