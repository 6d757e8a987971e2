"""Retries racing on a real, committed database: one Idempotency-Key makes exactly one referral."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from coordination import create_app
from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.models import OutboxMessage, Referral
from coordination.services import admin
from coordination.services import referrals as service
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from ..conftest import make_settings

RETRIES = 8


@pytest.fixture
def live_state(fresh_database, tmp_path):
    app = create_app(make_settings(fresh_database.url, tmp_path), engine=fresh_database.engine)
    return state(app)


def _seed(st):
    unit = st.unit_of_work()
    system = Actor.system("test")
    hub = admin.add_agency(unit, system, "Retry Hub", "council_early_help")
    camhs = admin.add_agency(unit, system, "Retry CAMHS", "mental_health")
    user = admin.add_user(unit, system, "retry@example.org", "R", hub.id, "practitioner", "a-long-test-password")
    unit.commit()
    actor = actor_for_user(user)
    family = create_family(unit, actor, [NewPerson("child", "Kit", "Retrycase", dt.date(2015, 1, 1))],
                           confirm_new=True)
    unit.commit()
    unit.session.close()
    return actor, family, camhs.id


def test_concurrent_retries_with_one_idempotency_key_make_exactly_one_referral(live_state):
    st = live_state
    actor, family, camhs_id = _seed(st)
    barrier = threading.Barrier(RETRIES)
    ids, errors = [], []

    def retry():
        unit = st.unit_of_work()
        try:
            barrier.wait()
            view = service.create_referral(unit, actor, family.id, family.people[0].id, "camhs", camhs_id,
                                           "Fictional reason", idempotency_key="retry-1")
            unit.commit()
            ids.append(view.id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            unit.session.close()

    threads = [threading.Thread(target=retry) for _ in range(RETRIES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(ids) == RETRIES and len(set(ids)) == 1
    session = st.sessions()
    try:
        assert session.scalar(select(func.count()).select_from(Referral)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.topic == "referral.created")) == 1
    finally:
        session.close()
