"""The family's own view in headless Chromium at 320 px: signing in with the invitation link and the emailed code,
then every family page, each axe-clean and without sideways scrolling. Screenshots go to $FAMILY_SHOTS when set."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from coordination.domain.actors import Actor
from coordination.domain.sections import SECTION_KEYS
from coordination.extensions import state
from coordination.services import admin, assessment
from coordination.services import referrals as referrals_service
from coordination.services.family_help import plan as plan_service
from coordination.services.family_help import reviews
from coordination.services.family_view import access
from coordination.services.sharing import consent

from ..conftest import actor_of
from ..family_support import mails
from ..integration.consent_support import household
from .conftest import Axe, add_practitioner, serve

WIDTH = 320
LONG_WORDS = ("We moved flats in the spring and the children changed schools; Cody finds mornings hard and Teagan "
              "looks after Pip a lot. Supercalifragilisticexpialidociousness-without-spaces-at-all-for-testing.")


@pytest.fixture
def site(browser_app):
    unit = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(unit, "ava@example.org", "Ava Practitioner")
    unit.commit()
    home = household(unit, user)
    actor = actor_of(user)
    for key in SECTION_KEYS:
        assessment.save_section(unit, actor, home.id, key, LONG_WORDS if key == "family_story" else f"About {key}.",
                                0)
    assessment.record_voice(unit, actor, home.id, home.child, "I like football with my dad.", "own_words",
                            unit.today())
    school = admin.add_agency(unit, Actor.system("test"), "Riverside Primary School", "school")
    camhs = admin.add_agency(unit, Actor.system("test"), "Eastmere CAMHS", "mental_health")
    unit.commit()
    consent.record_consent(unit, actor, home.id, given_by=home.parent, capacity="parent_with_pr",
                           sections=["strengths", "family_plan"], recipients={"agencies": [school.id]},
                           purpose="To help at school", expires_on=unit.today() + dt.timedelta(days=300))
    goal = plan_service.add_goal(unit, actor, home.id, title="Cody gets to school on time", outcome_area="education")
    plan_service.add_action(unit, actor, home.id, goal.id, description="Set two alarms",
                            owner={"person_id": home.parent}, due_on=unit.today() + dt.timedelta(days=14))
    reviews.record_review(unit, actor, home.id, held_on=unit.today(), attendees=["Morgan (mum)"],
                          family_view="Mornings are calmer", progress=[{"goal_id": goal.id, "score": 6}],
                          child_views=[{"child_id": home.teen, "method": "own_words", "words": LONG_WORDS},
                                       {"child_id": home.child, "method": "own_words", "confidential": True,
                                        "words": "I worry about money at home."},
                                       {"child_id": home.little, "method": "not_had", "reason": "Asleep"}])
    referrals_service.create_referral(unit, actor, home.id, home.child, "camhs", camhs.id, "Low mood")
    invitation = access.invite(unit, actor, home.parent, "morgan@example.com", base_url="")
    young = access.invite(unit, actor, home.child, "cody@example.com", base_url="")
    unit.commit()
    unit.session.close()
    with serve(browser_app) as base:
        yield base, invitation.link, young.link


def _fits(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    if folder := os.environ.get("FAMILY_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)
    assert width <= WIDTH, (name, width)


def test_every_family_page_is_accessible_and_fits_320_px(site, chromium, browser_app):
    base, link, young_link = site
    page = chromium.new_page(viewport={"width": WIDTH, "height": 700})
    axe = Axe(page)
    page.goto(base + link)
    axe.clean("You are invited")
    _fits(page, "invitation")
    page.get_by_role("button", name="Send me a code").click()
    axe.clean("Check your email")
    _fits(page, "code")
    page.get_by_role("button", name="Sign in").click()
    axe.clean("Check your email", errors=True)
    code = re.search(r"\b(\d{6})\b", mails(browser_app)[-1]["body"]).group(1)  # type: ignore[union-attr]
    page.fill("#code", code)
    page.get_by_role("button", name="Sign in").click()
    axe.clean("Your family's record")
    _fits(page, "home")
    for link_text, title, name in (("Our story", "Our story", "story"), ("Our plan", "Our plan", "plan"),
                                   ("Referrals", "Referrals", "referrals"),
                                   ("Sharing", "Who can see your information", "sharing"),
                                   ("Who has seen it", "Who has seen our information", "access_log"),
                                   ("Tell us what you think", "Tell us what you think", "feedback")):
        page.goto(base + "/my-family/")
        page.locator("main").get_by_role("link", name=link_text, exact=False).first.click() \
            if name != "access_log" else page.goto(base + "/my-family/who-has-seen-it")
        axe.clean(title)
        _fits(page, name)
        if name == "plan":  # Teagan's words at the review, not Cody's kept to him
            assert "Teagan said" in page.content() and "I worry about money at home." not in page.content()
    page.goto(base + "/my-family/our-story")
    page.get_by_role("link", name="Suggest a change to What is working well").click()
    axe.clean("Suggest a change: What is working well")
    _fits(page, "propose")
    page.fill("#text", "")
    page.get_by_role("button", name="Send my change").click()
    axe.clean("Suggest a change: What is working well", errors=True)
    page.fill("#text", "We cook together every Sunday.")
    page.get_by_role("button", name="Send my change").click()
    axe.clean("Our story")
    assert "Your practitioner has not answered yet" in page.content()
    page.goto(base + "/my-family/sharing")
    page.get_by_role("link", name="Ask to talk about sharing something new").click()
    axe.clean("Ask to talk about sharing")
    _fits(page, "ask_about_sharing")
    page.goto(base + "/my-family/sharing")
    page.get_by_role("link", name="Stop sharing with Riverside Primary School").click()
    axe.clean("Stop sharing with Riverside Primary School")
    _fits(page, "withdraw")
    page.get_by_role("button", name="Stop sharing").click()
    axe.clean("Who can see your information")
    assert "Nothing is being shared with your agreement" in page.content()
    page.get_by_role("button", name="Menu").click()  # at 320 px the navigation folds behind its menu button
    page.get_by_role("button", name="Sign out").click()
    axe.clean("Sign in to your family's record")
    _fits(page, "sign_in")
    page.get_by_role("button", name="Send me a code").click()
    axe.clean("Sign in to your family's record", errors=True)
    # A young person: their own words, with the error summary first, then kept.
    page.goto(base + young_link)
    page.get_by_role("button", name="Send me a code").click()
    page.fill("#code", re.search(r"\b(\d{6})\b", mails(browser_app)[-1]["body"]).group(1))  # type: ignore[union-attr]
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/my-family/our-story")
    page.get_by_role("link", name="Say something in your own words").click()
    axe.clean("Say it in your own words")
    _fits(page, "own_words")
    page.get_by_role("button", name="Add my words").click()
    axe.clean("Say it in your own words", errors=True)
    assert [a.inner_text() for a in page.locator(".govuk-error-summary a").all()] == [
        "Write what you want to say", "Choose who can see what you write"]
    _fits(page, "own_words_errors")
    page.fill("#words", "I want to stay at my school.")
    page.get_by_label("Just me and my practitioner").check()
    page.get_by_role("button", name="Add my words").click()
    axe.clean("Our story")
    assert "I want to stay at my school." in page.content() and "(just for you)" in page.content()
    _fits(page, "story_young_person")
    page.goto(base + "/my-family/our-plan")  # their words at the review, kept to them
    axe.clean("Our plan")
    assert "I worry about money at home." in page.content() and "only you and your practitioner" in page.content()
    _fits(page, "plan_young_person")
    assert len(axe.checked) == 22


def test_the_staff_pages_that_keep_words_to_the_young_person_are_accessible_at_320_px(site, chromium):
    from .conftest import sign_in_as

    base, _link, _young = site
    page = chromium.new_page(viewport={"width": WIDTH, "height": 700})
    axe = Axe(page)
    sign_in_as(page, base, "ava@example.org")
    page.goto(base + "/")
    page.locator("main a").filter(has_text="Larkspur").first.click()
    family_url = page.url
    page.goto(family_url.rstrip("/") + "/assessment/health")
    axe.clean("Health and wellbeing")
    page.get_by_role("link", name="Who in the family can see this section").click()
    axe.clean("Who in the family can see Health and wellbeing")
    _fits(page, "staff_section_family_view")
    page.get_by_role("button", name="Save").click()
    axe.clean("Who in the family can see Health and wellbeing", errors=True)
    _fits(page, "staff_section_family_view_errors")
    page.get_by_label("Only Cody Larkspur", exact=False).check()
    page.get_by_role("button", name="Save").click()
    axe.clean("Health and wellbeing")
    assert "Only Cody Larkspur sees this section" in page.content()
    assert "Only Cody and practitioners can see this in the family" in page.content()
    _fits(page, "staff_section_confidential")
    page.goto(family_url.rstrip("/") + "/assessment")
    axe.clean("Assessment")
    assert "Only Cody and practitioners can see this in the family" in page.content()
    _fits(page, "staff_assessment_confidential")
    page.goto(family_url.rstrip("/") + "/plan")
    axe.clean("Family plan")
    assert "Confidential to Cody" in page.content()
    _fits(page, "staff_plan_confidential_view")
    page.goto(family_url.rstrip("/") + "/voice")
    axe.clean("Child's voice")
    _fits(page, "staff_voice")
    page.get_by_role("button", name="Keep from the parents", exact=False).first.click()
    axe.clean("Child's voice")
    assert "Only the young person sees this entry" in page.content()
    assert "Confidential to the young person: not shown to their parents" in page.content()
    _fits(page, "staff_voice_confidential")


def test_the_staff_pages_for_the_familys_own_view_are_accessible_at_375_px(site, chromium):
    from .conftest import sign_in_as

    base, _link, _young = site
    page = chromium.new_page(viewport={"width": 375, "height": 700})
    axe = Axe(page)
    sign_in_as(page, base, "ava@example.org")
    page.goto(base + "/")
    page.locator("main a").filter(has_text="Larkspur").first.click()
    page.get_by_role("link", name="The family's own view: invitations").click()
    axe.clean("The family's own view")
    if folder := os.environ.get("FAMILY_SHOTS"):
        page.screenshot(path=f"{folder}/staff_family_access.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="Invite someone in the family").click()
    axe.clean("Invite someone to the family's own view")
    page.get_by_role("button", name="Send the invitation").click()
    axe.clean("Invite someone to the family's own view", errors=True)
    if folder := os.environ.get("FAMILY_SHOTS"):
        page.screenshot(path=f"{folder}/staff_invite_errors.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
