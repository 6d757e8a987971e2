"""Who sees what in the family's own view, as a matrix: each visitor (a parent, a young person, an excluded parent,
another family's member, somebody signed out) × each family page, on both databases.

The Larkspur family: every section written; `health` confidential to Cody (14); Cody's words, one of them
confidential to him; Teagan's (17) words confidential to her; a review where Cody's view is kept to him and
Teagan's is not (Pip's could not be had). Riverside Primary School read `strengths` and
`health` under the parent's consent; Eastmere CAMHS read `health` under Cody's own; the police read `worries`
under a disclosure a manager withheld from the family. Each visitor is signed in through the invitation link and
the code, as a person would be.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

import pytest

from coordination.domain.sections import DEFAULT_TEMPLATE, SECTION_KEYS
from coordination.services import assessment
from coordination.services.family_help import plan as plan_service
from coordination.services.family_help import reviews
from coordination.services.family_view import access, confidential
from coordination.services.sharing import safeguarding

from .. import factories
from ..api.conftest import partner_key
from ..conftest import actor_of
from ..family_support import invite, sign_in_with_link
from ..integration.consent_support import give, household, write

TITLE = {s.key: s.title.lower() for s in DEFAULT_TEMPLATE}
MARKER = "The Larkspurs walk the dog by the canal."
SECRET_CODY = "I skip lunch because of the canteen."
SECRET_TEAGAN = "I have a part-time job nobody knows about."
OPEN_CODY = "I like football with my dad."
SECRET_REVIEW_CODY = "At the review: I worry about money at home."
OPEN_REVIEW_TEAGAN = "At the review: college is going well."

PAGES = {
    "home": "/my-family/",
    "story": "/my-family/our-story",
    "plan": "/my-family/our-plan",
    "referrals": "/my-family/referrals",
    "sharing": "/my-family/sharing",
    "access_log": "/my-family/who-has-seen-it",
    "proposals": "/my-family/our-story/health/suggest-a-change",  # the section confidential to Cody
    "feedback": "/my-family/feedback",
    "own_words": "/my-family/our-story/my-words",
}
VISITORS = ("parent", "young_person", "excluded_parent", "other_family", "signed_out")
SIGN_IN = "redirect"
NOT_YOURS = 404
EXPECTED_STATUS = {
    "parent": {**{p: 200 for p in PAGES}, "proposals": NOT_YOURS, "own_words": NOT_YOURS},
    "young_person": {p: 200 for p in PAGES},
    "excluded_parent": {p: SIGN_IN for p in PAGES},
    "other_family": {**{p: 200 for p in PAGES}, "own_words": NOT_YOURS},  # their own family's health section
    "signed_out": {p: SIGN_IN for p in PAGES},
}


@dataclass
class World:
    home: object
    other: object
    voice: dict[str, uuid.UUID]


@pytest.fixture
def world(app, uow, practitioner, manager) -> World:
    home = household(uow, practitioner)
    write(uow, practitioner, home.id, SECTION_KEYS)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, home.id, "family_story", MARKER, 1)
    confidential.set_section_confidential(uow, actor, home.id, "health", home.child)
    voice = {}
    for name, child, words, secret in (("open_cody", home.child, OPEN_CODY, False),
                                       ("secret_cody", home.child, SECRET_CODY, True),
                                       ("secret_teagan", home.teen, SECRET_TEAGAN, True)):
        voice[name] = assessment.record_voice(uow, actor, home.id, child, words, "own_words", uow.today(),
                                              confidential=secret).id
    goal = plan_service.add_goal(uow, actor, home.id, title="Calm mornings", outcome_area="education")
    reviews.record_review(uow, actor, home.id, held_on=uow.today(), attendees=["Morgan (mum)"],
                          family_view="Calmer mornings", progress=[{"goal_id": goal.id, "score": 6}], child_views=[
                              {"child_id": home.teen, "method": "own_words", "words": OPEN_REVIEW_TEAGAN},
                              {"child_id": home.child, "method": "own_words", "words": SECRET_REVIEW_CODY,
                               "confidential": True},
                              {"child_id": home.little, "method": "not_had", "reason": "Pip was asleep"}])
    uow.commit()
    school = factories.AgencyFactory(name="Riverside Primary School", type="school")
    camhs = factories.AgencyFactory(name="Eastmere CAMHS", type="mental_health")
    police = factories.AgencyFactory(name="Eastmere Police", type="police")
    give(uow, practitioner, home.id, home.parent, sections=("strengths", "health"), agencies=(school,))
    give(uow, practitioner, home.id, home.child, capacity="competent_child", sections=("health",), agencies=(camhs,),
         competence_assessed_by=str(practitioner.id), competence_assessed_on=uow.today())
    disclosure = safeguarding.record_disclosure(
        uow, actor_of(manager), home.id, agency_id=police.id, sections=["worries"], lawful_basis="public_task",
        justification="Risk of harm", expires_on=uow.today() + dt.timedelta(days=30))
    uow.commit()
    for agency in (school, camhs, police):
        assert partner_key(app.test_client(), uow, agency).get(f"/families/{home.id}/assessment").status_code == 200
    safeguarding.withhold_from_family(uow, actor_of(manager), disclosure.id, "Telling them would increase risk")
    uow.commit()
    return World(home, household(uow, practitioner, surname="Thornbury"), voice)


def _visitor(app, uow, world: World, who: str, manager):
    client = app.test_client()
    if who == "parent" or who == "excluded_parent":
        sign_in_with_link(app, client, invite(uow, world.home.parent, "morgan@example.com"))
    elif who == "young_person":
        sign_in_with_link(app, client, invite(uow, world.home.child, "cody@example.com"))
    elif who == "other_family":
        sign_in_with_link(app, client, invite(uow, world.other.parent, "thornbury@example.com"))
    if who == "excluded_parent":
        access.exclude(uow, actor_of(manager), world.home.parent, "Parental responsibility restricted")
        uow.commit()
    return client


def _seen_by(html: str) -> list[tuple[str, str]]:
    """The access log's rows: (organisation, what they saw)."""
    rows = re.findall(r'<li data-entry="[^"]+">\s*<strong>([^<]+)</strong>\s*saw\s*(.*?)\s*on ', html, re.S)
    return [(agency, " ".join(parts.split())) for agency, parts in rows]


def _story_expected(who: str, world: World) -> tuple[list[str], list[str]]:
    everyone = [k for k in SECTION_KEYS if k != "safety"]
    if who == "parent":
        return [k for k in everyone if k != "health"], [str(world.voice["open_cody"])]
    if who == "young_person":
        return everyone, [str(world.voice["secret_cody"]), str(world.voice["open_cody"])]
    return everyone, []  # another family: their own sections, none of the Larkspurs' words


def _access_log_expected(who: str) -> list[tuple[str, str]]:
    if who == "parent":
        return [("Riverside Primary School", TITLE["strengths"])]
    if who == "young_person":
        return [("Eastmere CAMHS", TITLE["health"]),
                ("Riverside Primary School", f"{TITLE['strengths']}, {TITLE['health']}")]
    return []


def _review_words(who: str) -> list[str]:
    if who == "parent":
        return [f"Teagan said: {OPEN_REVIEW_TEAGAN}"]
    if who == "young_person":
        return [f"Teagan said: {OPEN_REVIEW_TEAGAN}",
                f"You said: {SECRET_REVIEW_CODY} (only you and your practitioner can see this)"]
    return []  # another family: no review of their own


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("who", VISITORS)
def test_each_visitor_sees_exactly_what_their_role_allows_on_each_family_page(app, uow, world, manager, who, page):
    client = _visitor(app, uow, world, who, manager)
    response = client.get(PAGES[page])
    expected = EXPECTED_STATUS[who][page]
    if expected == SIGN_IN:
        assert response.status_code == 302 and response.headers["Location"].endswith("/my-family/sign-in")
        return
    assert response.status_code == expected, (who, page)
    html = response.get_data(as_text=True)
    # Nothing confidential to a young person reaches anyone else, on any page, and no other family's words.
    if who != "young_person":
        assert SECRET_CODY not in html and SECRET_REVIEW_CODY not in html
    if who == "parent":  # not even the name of the section kept to Cody
        assert TITLE["health"] not in html.lower()
    assert SECRET_TEAGAN not in html
    if who == "other_family":
        assert MARKER not in html and OPEN_CODY not in html and "Larkspur" not in html
    if page == "story":
        sections, voice = _story_expected(who, world)
        assert re.findall(r'data-section="([a-z_]+)"', html) == sections
        assert re.findall(r'data-voice="([0-9a-f-]+)"', html) == voice
    if page == "plan":  # the children's words at the review: Cody's kept to him
        assert [" ".join(re.sub(r"<[^>]+>", " ", li).split())
                for li in re.findall(r"<li data-child-view>(.*?)</li>", html, re.S)] == _review_words(who)
    if page == "access_log":
        assert _seen_by(html) == _access_log_expected(who)
        assert "Eastmere Police" not in html and TITLE["worries"] not in html
