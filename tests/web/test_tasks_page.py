"""The tasks page: what the nightly jobs raised for the agency (age transitions, phase transfers), soonest first,
with the child named where the agency holds the family, and marking one done (attributed and audited)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.domain.calendar import add_calendar
from coordination.models import Task
from coordination.services import tasks as tasks_service
from coordination.services.families import NewPerson, create_family

from ..conftest import actor_of
from ..factories import UserFactory


def _teen_and_task(uow, practitioner, days_to_birthday=30):
    birthday = uow.today() + dt.timedelta(days=days_to_birthday)
    people = [NewPerson("parent_carer", "Robin", "Quillfield", dt.date(1984, 5, 5)),
              NewPerson("child", "Tamsin", "Quillfield", add_calendar(birthday, months=-14 * 12))]
    family = create_family(uow, actor_of(practitioner), people, confirm_new=True)
    uow.commit()
    assert tasks_service.raise_age_transition_tasks(uow, Actor.system("test")) == 1
    uow.commit()
    task = uow.session.execute(select(Task).where(Task.family_id == family.id)).scalar_one()
    return family, task, birthday


def test_the_agencys_practitioner_sees_the_task_with_the_child_and_marks_it_done(browser, uow, practitioner):
    family, task, birthday = _teen_and_task(uow, practitioner)
    browser.sign_in(practitioner)
    html = browser.get("/tasks").get_data(as_text=True)
    assert "Preparing for adulthood" in html and "Tamsin Quillfield" in html and "Due soon" in html
    assert f"{birthday.day} {birthday:%B %Y}" in html
    assert "1 to do: <strong>0 overdue</strong>, 1 due in the next 6 weeks." in html

    done = browser.submit(f"/tasks/{task.id}/done", {}, form_url="/tasks", follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Marked as done: Preparing for adulthood" in page and "Your agency has no tasks to do." in page
    uow.session.expire_all()
    stored = uow.session.get(Task, task.id)
    assert stored.done_at is not None and stored.done_by_id == practitioner.id
    event = uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "task",
                                                         AuditEvent.action == "update")).scalar_one()
    assert event.actor_user_id == str(practitioner.id) and event.details["done"] is True


def test_an_overdue_task_is_tagged_for_everyone_in_the_agency(browser, uow, practitioner):
    _teen_and_task(uow, practitioner, days_to_birthday=-10)
    browser.sign_in(UserFactory(agency=practitioner.agency, role="manager", email="mo.manager@example.org"))
    html = browser.get("/tasks").get_data(as_text=True)
    assert "Overdue" in html and "1 to do: <strong>1 overdue</strong>" in html


def test_another_agency_neither_sees_nor_completes_the_task(browser, uow, practitioner, outsider):
    _, task, _ = _teen_and_task(uow, practitioner)
    browser.sign_in(outsider)
    html = browser.get("/tasks").get_data(as_text=True)
    assert "Tamsin" not in html and "Your agency has no tasks to do." in html
    response = browser.submit(f"/tasks/{task.id}/done", {}, form_url="/tasks")
    assert response.status_code == 404
    uow.session.expire_all()
    assert uow.session.get(Task, task.id).done_at is None


def test_a_post_without_its_csrf_token_changes_nothing(signed_in, uow, practitioner):
    _, task, _ = _teen_and_task(uow, practitioner)
    response = signed_in.client.post(f"/tasks/{task.id}/done", data={})
    assert response.status_code == 400
    uow.session.expire_all()
    assert uow.session.get(Task, task.id).done_at is None


def test_admins_have_no_tasks_page(browser, uow, admin_user):
    browser.sign_in(admin_user)
    assert browser.get("/tasks").status_code == 403
