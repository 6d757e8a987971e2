"""The daily jobs: age-transition and phase-transfer tasks, overdue / due-soon digests and consent review
reminders; each is idempotent (a second run the same day adds and sends nothing)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from coordination.domain.calendar import WorkingCalendar, add_calendar
from coordination.extensions import state
from coordination.jobs import handlers
from coordination.models import Referral, ReferralClock, Task
from coordination.services.families import NewPerson, create_family
from coordination.services.notifications import digest_rows, reference

from ..conftest import actor_of
from ..factories import AgencyFactory, UserFactory
from ..integration.consent_support import give


def _mail(app) -> list[dict]:
    path = state(app).settings.mail_log
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _family(uow, practitioner, *children: dt.date):
    people = [NewPerson("parent_carer", "Robin", "Daisyfield", dt.date(1984, 5, 5))]
    people += [NewPerson("child", f"Child{i}", "Daisyfield", dob) for i, dob in enumerate(children)]
    family = create_family(uow, actor_of(practitioner), people, confirm_new=True)
    uow.commit()
    return family


def _tasks(uow, kind):
    uow.session.expire_all()
    return list(uow.session.execute(select(Task).where(Task.kind == kind)).scalars())


def test_a_child_turning_14_within_90_days_gets_one_task_however_often_the_job_runs(app, uow, practitioner):
    today = uow.today()
    birthday = today + dt.timedelta(days=30)
    dob = add_calendar(birthday, months=-14 * 12)
    family = _family(uow, practitioner, dob, today - dt.timedelta(days=365 * 8))  # a 13-year-old and an 8-year-old
    assert handlers.raise_age_transition_tasks(state(app)) == 1
    assert handlers.raise_age_transition_tasks(state(app)) == 0
    [task] = _tasks(uow, "age_transition")
    teen = family.children[0]
    assert (task.person_id, task.due_on) == (teen.id, birthday)
    assert task.dedupe_key == f"age:{teen.id}:preparing_for_adulthood"
    assert task.agency_id == practitioner.agency_id and task.title.startswith("Preparing for adulthood")


def test_no_age_task_is_raised_when_the_birthday_is_more_than_90_days_away(app, uow, practitioner):
    dob = add_calendar(uow.today() + dt.timedelta(days=120), months=-14 * 12)
    _family(uow, practitioner, dob)
    assert handlers.raise_age_transition_tasks(state(app)) == 0


def _school_year_start(today: dt.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


@pytest.mark.parametrize(("age_on_31_august", "deadline"), [(10, (2, 15)), (15, (3, 31))])
def test_a_phase_transfer_task_is_raised_once_for_a_child_with_an_open_ehc_referral_when_in_year_6_or_11(
        app, uow, practitioner, age_on_31_august, deadline):
    start = _school_year_start(uow.today())
    dob = dt.date(start - age_on_31_august, 1, 10)
    family = _family(uow, practitioner, dob)
    send = AgencyFactory(name="Daisyfield SEND Team", type="send_service")
    now = uow.now()
    uow.session.add(Referral(family_id=family.id, child_id=family.children[0].id, pathway="ehc_needs_assessment",
                             from_agency_id=practitioner.agency_id, to_agency_id=send.id, status="in_progress",
                             stage="assessment", received_on=now.date(), received_at=now))
    uow.commit()
    assert handlers.raise_phase_transfer_tasks(state(app)) == 1
    assert handlers.raise_phase_transfer_tasks(state(app)) == 0
    [task] = _tasks(uow, "phase_transfer")
    assert task.due_on == dt.date(start + 1, *deadline)
    assert task.agency_id == send.id


def test_no_phase_transfer_task_without_an_open_ehc_referral(app, uow, practitioner):
    _family(uow, practitioner, dt.date(_school_year_start(uow.today()) - 10, 1, 10))
    assert handlers.raise_phase_transfer_tasks(state(app)) == 0


@pytest.fixture
def clocks(uow, practitioner):
    """Open clocks of one team: one overdue, two due soon (today, and in 3 working days), one due later,
    one stopped; and an overdue clock of another team."""
    family = _family(uow, practitioner, dt.date(2015, 3, 3))
    team = AgencyFactory(name="Daisyfield Social Care", type="social_care")
    other = AgencyFactory(name="Elsewhere Social Care", type="social_care")
    UserFactory(agency=team, role="manager", email="duty@daisyfield.example.org")
    UserFactory(agency=other, role="manager", email="duty@elsewhere.example.org")
    today, cal = uow.today(), WorkingCalendar()

    def clock(to, due, stopped=False):
        now = uow.now()
        ref = Referral(family_id=family.id, child_id=family.children[0].id, pathway="social_care",
                       from_agency_id=practitioner.agency_id, to_agency_id=to.id, status="received", stage="x",
                       received_on=today, received_at=now, owning_agency_id=family.owning_agency_id)
        uow.session.add(ref)
        uow.session.flush()
        uow.session.add(ReferralClock.of(ref, name="decision", started_at=now, started_on=today, due_on=due,
                                      stopped_at=now if stopped else None, stopped_on=today if stopped else None,
                                      statutory=True, limit_text="1 working day"))
        return ref

    refs = {"overdue": clock(team, today - dt.timedelta(days=2)), "today": clock(team, today),
            "soon": clock(team, cal.add_working_days(today, 3)), "later": clock(team, cal.add_working_days(today, 4)),
            "stopped": clock(team, today - dt.timedelta(days=5), stopped=True),
            "other": clock(other, today - dt.timedelta(days=1))}
    uow.commit()
    return team, refs


def test_the_digest_lists_overdue_and_due_soon_clocks_of_the_team_only(uow, clocks):
    team, refs = clocks
    overdue, soon = digest_rows(uow, team.id, uow.today())
    assert [c.referral_id for c in overdue] == [refs["overdue"].id]
    assert [c.referral_id for c in soon] == [refs["today"].id, refs["soon"].id]


def test_the_daily_digest_is_emailed_once_a_day_per_team(app, uow, clocks):
    team, refs = clocks
    assert handlers.queue_daily_digests(state(app)) == 2  # this team and the other
    assert handlers.queue_daily_digests(state(app)) == 0
    mails = {tuple(m["to"]): m for m in _mail(app)}
    assert len(_mail(app)) == 2
    mail = mails[("duty@daisyfield.example.org",)]
    assert mail["subject"] == "Referrals: 1 overdue, 2 due soon"
    body = mail["body"]
    assert reference(refs["overdue"].id) in body.split("Due within")[0]
    assert reference(refs["soon"].id) in body.split("Due within")[1]
    for absent in ("later", "stopped", "other"):
        assert reference(refs[absent].id) not in body
    assert "Daisyfield" not in body and "Child0" not in body


def test_the_lead_practitioner_is_reminded_once_a_day_of_consents_due_for_review(app, uow, practitioner):
    family = _family(uow, practitioner, dt.date(2016, 2, 2))
    school = AgencyFactory(name="Daisyfield School", type="school")
    give(uow, practitioner, family.id, family.people[0].id, agencies=(school,),
         expires_on=uow.today() + dt.timedelta(days=10))
    assert handlers.queue_consent_reminders(state(app)) == 1
    assert handlers.queue_consent_reminders(state(app)) == 0
    [mail] = _mail(app)
    assert mail["to"] == [practitioner.email]
    assert f"family {family.reference}: expires {(uow.today() + dt.timedelta(days=10)).isoformat()}" in mail["body"]
    assert "Robin" not in mail["body"]
