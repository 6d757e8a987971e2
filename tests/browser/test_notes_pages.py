"""Case notes and the chronology in headless Chromium: axe-clean with and without errors, at 1280 and 375 px with
no horizontal scroll; the note form and the chronology's filter work without JavaScript; printing hides the
service's navigation and the filter."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.extensions import state
from coordination.services import assessment, case_notes
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import Axe, add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "nia.notes@example.org"
LONG = ("Fictional visit. Morgan said the mornings are calmer since the new routine; Rowan showed me the chart on "
        "the fridge and said he likes ticking things off. " * 3)


@pytest.fixture
def live(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Nia Notes")
    uow.commit()
    worker = actor_for_user(user)
    family = create_family(uow, worker, [NewPerson("parent_carer", "Morgan", "Fernleaf", dt.date(1986, 5, 4)),
                                         NewPerson("child", "Rowan", "Fernleaf", dt.date(2016, 2, 3))],
                           confirm_new=True)
    uow.commit()
    now = dt.datetime.now(dt.UTC)
    case_notes.record_note(uow, worker, family.id, kind="visit", occurred_at=now - dt.timedelta(days=3),
                           with_whom="Morgan Fernleaf (mother) and Rowan", text=LONG, child_seen=True, seen_alone=True)
    case_notes.record_note(uow, worker, family.id, kind="call", occurred_at=now - dt.timedelta(days=1),
                           with_whom="Riverside Primary School (fictional), class teacher", text="Fictional call.")
    assessment.save_section(uow, worker, family.id, "strengths", "Fictional strengths.", 0)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, str(family.id)


def no_horizontal_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1280, 375])
def test_note_form_and_chronology_are_axe_clean_and_fit_the_screen(live, chromium, width):
    base, family = live
    page = chromium.new_page(viewport={"width": width, "height": 900})
    axe = Axe(page)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}")
    page.get_by_role("link", name="Case notes").click()
    axe.clean("Case notes")
    no_horizontal_scroll(page, width)
    page.get_by_role("button", name="Add a case note").click()
    axe.clean("Add a case note")
    no_horizontal_scroll(page, width)
    page.locator("#occurred_on-day").fill("")
    page.get_by_role("button", name="Save case note").click()
    axe.clean("Add a case note", errors=True)
    no_horizontal_scroll(page, width)
    assert page.locator(".govuk-error-summary li").count() == 6
    page.goto(f"{base}/families/{family}/chronology")
    axe.clean("Chronology")
    no_horizontal_scroll(page, width)
    assert page.locator("[data-entry]").count() == 3
    assert page.get_by_role("button", name="Print this chronology").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.get_by_role("button", name="Filter").is_visible()
    assert page.locator("[data-entry]").first.is_visible()
    page.close()


def test_a_note_is_added_and_the_chronology_filtered_without_javascript(live, chromium):
    base, family = live
    page = chromium.new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, base, EMAIL)
    page.goto(f"{base}/families/{family}/notes/new")
    page.get_by_label("Meeting", exact=True).check()
    day = dt.date.today() - dt.timedelta(days=1)
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f"#occurred_on-{part}").fill(str(value))
    page.get_by_label("Time").fill("9:30am")
    page.get_by_label("Who was it with?").fill("Morgan Fernleaf and the school nurse")
    page.get_by_label("What happened and what was said").fill("Fictional meeting about Rowan's asthma plan.")
    page.locator("#child_seen-3").check()
    page.get_by_role("button", name="Save case note").click()
    page.wait_for_load_state("load")
    assert "Case note saved" in page.content() and "asthma plan" in page.content()
    assert not page.get_by_role("button", name="Print this chronology").count() or not page.get_by_role(
        "button", name="Print this chronology").is_visible()
    page.goto(f"{base}/families/{family}/chronology")
    page.get_by_label("Assessment changes").check()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("load")
    assert "kind=assessment" in page.url
    assert page.locator("[data-entry]").count() == 1 and page.locator('[data-entry="assessment"]').count() == 1
