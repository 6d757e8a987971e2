"""The right door in headless Chromium at desktop and phone widths, axe-core on every state: the referral form
revealing only the chosen service's teams, the receiving team's "Redirect to the right team" (with its errors),
the inbox it returns to (with the entry it keeps) and the new team's view of the history. No page is wider
than the screen.
"""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import admin, auth, referrals
from coordination.services.families import NewPerson, create_family
from coordination.services.sharing import consent

from .conftest import PASSWORD, Axe, serve, sign_in_as

pytestmark = pytest.mark.browser

USERS = {"practitioner": "rae.redirect@example.org", "front_door": "fay.frontdoor@example.org",
         "cin": "cal.cin@example.org"}
WHY = "Fictional: the family already has a social worker in the children in need team."


@pytest.fixture
def live(browser_app):
    """A hub holding a family, two social care teams, the family's consent to social care, and a referral the
    hub sent to the Front Door."""
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    system = Actor.system("browser test")
    hub = admin.add_agency(uow, system, "Fictional Borough Early Help", "council_early_help")
    door = admin.add_agency(uow, system, "Fictional Borough Front Door", "social_care")
    cin = admin.add_agency(uow, system, "Fictional Borough Children in Need Team", "social_care")
    admin.add_agency(uow, system, "Fictional Borough SEND Service", "send_service")
    worker = admin.add_user(uow, system, USERS["practitioner"], "Test Practitioner", hub.id, "practitioner",
                            PASSWORD)
    admin.add_user(uow, system, USERS["front_door"], "Test Front Door", door.id, "practitioner", PASSWORD)
    admin.add_user(uow, system, USERS["cin"], "Test CIN Worker", cin.id, "practitioner", PASSWORD)
    uow.commit()
    lead = auth.actor_for_user(worker)
    family = create_family(uow, lead, [NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
                                       NewPerson("child", "Teagan", "Fernleaf", dt.date(2014, 1, 10))],
                           confirm_new=True)
    uow.commit()
    consent.record_consent(uow, lead, family.id, given_by=family.people[0].id, capacity="parent_with_pr",
                           sections=["family_story"], recipients={"agencies": [], "agency_types": ["social_care"]},
                           purpose="So the teams Teagan is referred to read the family's story once")
    made = referrals.create_referral(uow, lead, family.id, family.people[1].id, "social_care", door.id,
                                     "Fictional: worries about neglect at home")
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield {"base": base, "family": str(family.id), "referral": str(made.id)}


WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth)
    .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 8)"""


def fits(page, width: int, part: str | None = None) -> None:
    """Nothing wider than the screen: the whole page, or (`part`) the part this work added to a page whose older
    tables are the responsive-tables work's (the referral page's timescales table is 483 px at 375)."""
    if part is None:
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.title(), page.evaluate(WIDEST))
    else:
        box = page.locator(part).first.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (page.title(), part, box)
        assert page.locator(part).first.evaluate("e => e.scrollWidth <= e.clientWidth"), (page.title(), part)


@pytest.mark.parametrize("width", [1280, 375])
def test_redirecting_to_the_right_team_is_axe_clean_and_fits_the_screen(live, chromium, width):
    base = live["base"]
    page = chromium.new_context(viewport={"width": width, "height": 900}).new_page()
    axe = Axe(page)

    sign_in_as(page, base, USERS["practitioner"])
    page.goto(f"{base}/families/{live['family']}/referrals/new")
    axe.clean("Make a referral")
    group = page.locator('#to_agency_id optgroup[label="EHC needs assessment"] option')
    assert [o.strip() for o in group.all_inner_texts()] == ["Fictional Borough SEND Service (SEND service)"]
    fits(page, width)
    page.get_by_label("EHC needs assessment").check()
    page.get_by_label("Which team will receive the referral?").select_option(
        label="Fictional Borough Front Door (Children's social care)")
    page.get_by_role("button", name="Continue").click()
    axe.clean("Make a referral", errors=True)  # a social care team does not receive EHC needs assessments
    assert "EHC needs assessment referrals go to a SEND service" in page.content()
    fits(page, width)

    door = page.context.browser.new_context(viewport={"width": width, "height": 900}).new_page()
    team = Axe(door)
    sign_in_as(door, base, USERS["front_door"])
    door.goto(f"{base}/referrals/{live['referral']}")
    team.clean("referral for Teagan Fernleaf")
    fits(door, width, "#redirect-form")
    door.get_by_role("button", name="Redirect to this team").click()
    team.clean("referral for Teagan Fernleaf", errors=True)
    fits(door, width, "#redirect-form")
    fits(door, width, ".govuk-error-summary")
    door.get_by_label("Which team should receive it?").select_option(
        label="Fictional Borough Children in Need Team (Children's social care)")
    door.get_by_label("Why is it going to that team?").fill(WHY)
    door.get_by_role("button", name="Redirect to this team").click()
    team.clean("Referrals waiting for a decision")
    assert "Referral redirected to Fictional Borough Children in Need Team" in door.content()
    assert "Sent on to the right team" in door.content()
    fits(door, width)
    door.reload()  # post/redirect/get: reloading sends nothing again
    team.clean("Referrals waiting for a decision")

    cin = page.context.browser.new_context(viewport={"width": width, "height": 900}).new_page()
    new_team = Axe(cin)
    sign_in_as(cin, base, USERS["cin"])
    cin.goto(f"{base}/referrals")
    cin.get_by_role("link", name="Teagan Fernleaf").click()
    new_team.clean("referral for Teagan Fernleaf")
    assert "Redirected to Fictional Borough Children in Need Team" in cin.content() and WHY in cin.content()
    fits(cin, width, "#history")
    assert axe.checked and team.checked and new_team.checked
