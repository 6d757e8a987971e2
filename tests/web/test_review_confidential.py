"""A child's words at a review kept confidential to that child: a checkbox per child's view on the review form
(shown on the check page and the staff plan page); in the family's own plan only that young person sees the
words (no parent, no other child), by the same rule as voice entries (domain.family_access.confidential_reader)."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from coordination.services.family_help import plan as plan_service
from coordination.services.family_help import reviews

from ..api.conftest import audit_events
from ..conftest import actor_of
from ..family_support import invite, sign_in_with_link
from ..integration.consent_support import household
from .conftest import Browser

CODY = "I do not want to go to Dad's at weekends."
TEAGAN = "Things are better at home."
PIP = "A drawing of our new flat"


def _text(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _plan_words(app, uow, person_id, email) -> tuple[bool, bool, bool]:
    client = app.test_client()
    sign_in_with_link(app, client, invite(uow, person_id, email))
    html = client.get("/my-family/our-plan").get_data(as_text=True)
    return CODY in htmllib.unescape(html), TEAGAN in htmllib.unescape(html), PIP in htmllib.unescape(html)


def _form(home, today: dt.date, **extra) -> dict:
    # The form's children in the family's order: Teagan (0), Cody (1), Pip (2).
    return {"held_on": [str(today.day), str(today.month), str(today.year)], "attendees": "Morgan (mum)",
            "family_view": "Calmer mornings", "method_0": "own_words", "words_0": TEAGAN,
            "method_1": "own_words", "words_1": CODY, "method_2": "drawing", "words_2": PIP, "score_0": "6", **extra}


def test_a_childs_view_kept_to_them_at_a_review_is_seen_in_the_family_plan_by_them_only(app, uow, practitioner):
    home = household(uow, practitioner)
    plan_service.add_goal(uow, actor_of(practitioner), home.id, title="Calm mornings", outcome_area="education")
    uow.commit()
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    url = f"/families/{home.id}/reviews/new"
    form = staff.get(url).get_data(as_text=True)
    assert [n for n in re.findall(r'name="(confidential_\d)"', form)] == ["confidential_0", "confidential_1",
                                                                           "confidential_2"]
    assert 'checked' not in re.search(r'<input[^>]*name="confidential_1"[^>]*>', form).group(0)
    assert "Confidential to Cody: do not show Cody&#39;s view to their parents or carers" in form
    answers = _form(home, uow.today(), confidential_1="y")
    check = _text(staff.submit(url, answers).get_data(as_text=True))
    assert f"{CODY} (In their own words). Confidential to Cody: only they see it in the family's own view" in check
    assert f"{TEAGAN} (In their own words)" in check and "Confidential to Teagan" not in check
    assert staff.submit(url, {**answers, "confirm": "yes"}, form_url=url).status_code == 302
    staff_plan = staff.get(f"/families/{home.id}/plan").get_data(as_text=True)
    assert _text(staff_plan).count("Confidential to Cody Only they see it in the family's own view.") == 1
    assert CODY in htmllib.unescape(staff_plan) and "Confidential to Teagan" not in staff_plan  # staff see all
    [event] = audit_events(uow, record_type="plan_review")
    assert event.details["confidential_views"] == 1 and "weekends" not in str(event.details)

    assert _plan_words(app, uow, home.parent, "morgan@example.com") == (False, True, True)
    assert _plan_words(app, uow, home.teen, "teagan@example.com") == (False, True, True)
    assert _plan_words(app, uow, home.child, "cody@example.com") == (True, True, True)
    cody = app.test_client()
    sign_in_with_link(app, cody, invite(uow, home.child, "cody2@example.com"))
    mine = _text(cody.get("/my-family/our-plan").get_data(as_text=True))
    assert f"You said: {CODY} (only you and your practitioner can see this)" in mine
    assert f"Teagan said: {TEAGAN}" in mine and f"Pip said: {PIP}" in mine


def test_a_review_recorded_without_the_checkbox_shows_every_childs_words_to_the_family(app, uow, practitioner):
    home = household(uow, practitioner)
    goal = plan_service.add_goal(uow, actor_of(practitioner), home.id, title="Calm mornings", outcome_area="education")
    reviews.record_review(uow, actor_of(practitioner), home.id, held_on=uow.today(), attendees=["Morgan (mum)"],
                          family_view="Calmer", progress=[{"goal_id": goal.id, "score": 5}], child_views=[
                              {"child_id": home.teen, "method": "own_words", "words": TEAGAN},
                              {"child_id": home.child, "method": "own_words", "words": CODY},
                              {"child_id": home.little, "method": "drawing", "words": PIP}])
    uow.commit()
    assert _plan_words(app, uow, home.parent, "morgan@example.com") == (True, True, True)
    assert _plan_words(app, uow, home.teen, "teagan@example.com") == (True, True, True)
