"""A job queued before a withdrawal sends nothing after it: consent is checked at send time, on a real
Redis and rq worker."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

import audit
from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.jobs import sharing_jobs
from coordination.jobs.runtime import worker_app
from coordination.services import admin, assessment
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family
from coordination.services.sharing import consent

from .test_checkpoint_job import worker_env  # noqa: F401  (fixture: worker environment over fresh_database)


@pytest.fixture
def shared_family(worker_env):  # noqa: F811
    app = worker_app()
    unit = state(app).unit_of_work()
    system = Actor.system("test")
    council = admin.add_agency(unit, system, "Queue Test Hub", "council_early_help")
    school = admin.add_agency(unit, system, "Queue Test School", "school")
    user = admin.add_user(unit, system, "queue@example.org", "Q", council.id, "practitioner", "a-long-test-password")
    unit.commit()
    actor = actor_for_user(user)
    family = create_family(unit, actor, [NewPerson("parent_carer", "Alex", "Queuecase", dt.date(1980, 1, 1)),
                                         NewPerson("child", "Kai", "Queuecase", dt.date(2015, 1, 1))],
                           confirm_new=True)
    assessment.save_section(unit, actor, family.id, "health", "Asthma.", 0)
    given = consent.record_consent(unit, actor, family.id, given_by=family.people[0].id, capacity="parent_with_pr",
                                   sections=["health"], recipients={"agencies": [school.id]}, purpose="School")
    unit.commit()
    yield unit, actor, family, school, given
    unit.session.close()


def _run(redis_url, family, school):
    connection = Redis.from_url(redis_url)
    queue = Queue(f"share-{os.getpid()}", connection=connection)
    queue.empty()
    return connection, queue, queue.enqueue(sharing_jobs.share_sections, str(family.id), str(school.id), ["health"])


def test_a_queued_share_sends_when_consent_still_holds(redis_url, shared_family):
    unit, _actor, family, school, _given = shared_family
    connection, queue, job = _run(redis_url, family, school)
    SimpleWorker([queue], connection=connection).work(burst=True)
    job.refresh()
    assert job.return_value() == {"sent": ["health"]}


def test_a_share_queued_before_a_withdrawal_sends_nothing_after_it(redis_url, shared_family):
    unit, actor, family, school, given = shared_family
    connection, queue, job = _run(redis_url, family, school)
    consent.withdraw_consent(unit, actor, given.id, "Family withdrew")
    unit.commit()
    SimpleWorker([queue], connection=connection).work(burst=True)
    job.refresh()
    assert job.is_finished and job.return_value() == {"sent": []}
    disclosed = unit.session.execute(select(audit.AuditEvent).where(
        audit.AuditEvent.family_id == str(family.id), audit.AuditEvent.action == "disclose")).scalars().all()
    assert disclosed == []
