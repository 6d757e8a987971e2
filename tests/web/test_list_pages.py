"""The lists page, sort and filter through GET links (no JavaScript): the caseload, the referrals inbox, the due
list and tasks, on a known data set; a parameter that cannot be used falls back to its default."""
from __future__ import annotations

import datetime as dt
import re

from coordination.models import Task
from coordination.services import referrals as referrals_service
from tests import factories

from ..conftest import actor_of
from .conftest import Browser

REASON = "Fictional: school attendance has dropped and the family asked for help."


def families_in(html: str) -> list[str]:
    return re.findall(r'data-family="([^"]+)"', html)


def tasks_in(html: str) -> list[str]:
    return re.findall(r'data-task="([^"]+)"', html)


def test_the_caseload_sorts_by_reference_both_ways_and_ignores_a_bad_sort(browser, practitioner, make_family):
    made = [make_family(practitioner, surname=name) for name in ("Ashdown", "Brightwater", "Coldharbour")]
    references = sorted(f.reference for f in made)
    browser.sign_in(practitioner)
    assert families_in(browser.get("/caseload?sort=reference&order=asc").get_data(as_text=True)) == references
    assert families_in(browser.get("/caseload?sort=reference&order=desc").get_data(as_text=True)) == references[::-1]
    newest_first = [f.reference for f in reversed(made)]  # the default: most recently updated first
    assert families_in(browser.get("/caseload?sort=%27;drop&page=-3").get_data(as_text=True)) == newest_first
    html = browser.get("/caseload").get_data(as_text=True)
    assert 'aria-sort="descending"' in html and "Showing <strong>1</strong> to <strong>3</strong> of" in html


def test_tasks_page_filter_and_sort(uow, browser, practitioner, early_help, make_family):
    family = make_family(practitioner)
    today = dt.date.today()
    for i in range(26):
        uow.session.add(Task(family_id=family.id, agency_id=early_help.id, kind="age_transition",
                             title=f"Prepare {i:02d}", due_on=today + dt.timedelta(days=i + 1), dedupe_key=f"t-{i}"))
    late = Task(family_id=family.id, agency_id=early_help.id, kind="phase_transfer", title="Phase transfer",
                due_on=today - dt.timedelta(days=3), dedupe_key="t-late")
    uow.session.add(late)
    uow.commit()
    browser.sign_in(practitioner)

    first = browser.get("/tasks").get_data(as_text=True)
    assert len(tasks_in(first)) == 25 and tasks_in(first)[0] == str(late.id)  # soonest (overdue) first
    assert "27 to do: <strong>1 overdue</strong>" in first and 'class="govuk-pagination' in first
    assert len(tasks_in(browser.get("/tasks?page=2").get_data(as_text=True))) == 2
    assert tasks_in(browser.get("/tasks?show=overdue").get_data(as_text=True)) == [str(late.id)]
    assert tasks_in(browser.get("/tasks?kind=phase_transfer").get_data(as_text=True)) == [str(late.id)]
    latest_first = browser.get("/tasks?sort=due&order=desc").get_data(as_text=True)
    assert "Prepare 25" in latest_first and str(late.id) not in latest_first
    unknown = browser.get("/tasks?kind=everything&show=yesterday").get_data(as_text=True)
    assert len(tasks_in(unknown)) == 25  # unknown filters are ignored, not errors


def test_the_inbox_filters_by_service_and_urgency_and_sorts_by_urgency(uow, app, practitioner, make_family):
    front_door = factories.AgencyFactory(name="Riverside Children's Social Care", type="social_care")
    family = make_family(practitioner, children=("Rowan",))
    made = {}
    for urgency in ("routine", "very_urgent", "urgent"):
        made[urgency] = referrals_service.create_referral(
            uow, actor_of(practitioner), family.id, family.children[0].id, "social_care", front_door.id, REASON,
            urgency=urgency)
    uow.commit()
    worker = factories.UserFactory(agency=front_door, role="practitioner", email="fd.worker@example.org")
    door = Browser(app.test_client())
    door.sign_in(worker)

    def order(url: str) -> list[str]:
        return re.findall(r'data-referral="([^"]+)"', door.get(url).get_data(as_text=True))

    assert order("/referrals?sort=urgency") == [str(made[u].id) for u in ("very_urgent", "urgent", "routine")]
    assert order("/referrals?urgency=urgent") == [str(made["urgent"].id)]
    assert order("/referrals?pathway=early_help") == []
    assert len(order("/referrals?urgency=whenever&sort=nonsense")) == 3
    running = door.get("/referrals/due?sort=received&pathway=social_care").get_data(as_text=True)
    assert "Showing <strong>1</strong> to <strong>6</strong> of <strong>6</strong> timescales" in running  # 2 each
    due = door.get("/referrals/due?show=overdue&sort=received").get_data(as_text=True)
    assert "Nothing is running" in due and "that is overdue" in due  # none is overdue yet
