"""Concurrent writers on a real, committed database: the audit chain never forks, and of two people saving
the same section version, exactly one wins and the other is told."""
import threading

import pytest

import audit
from coordination import create_app
from coordination.domain.actors import Actor
from coordination.errors import Conflict
from coordination.extensions import state
from coordination.services import admin, assessment, families
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson

from ..conftest import make_settings

WRITERS = 8
EVENTS_EACH = 25


@pytest.fixture
def live_state(fresh_database, tmp_path):
    if fresh_database.name != "postgresql":
        pytest.skip("parallel writers need a server database; SQLite serialises writers with BEGIN IMMEDIATE")
    app = create_app(make_settings(fresh_database.url, tmp_path), engine=fresh_database.engine)
    return state(app)


def _seed(st):
    unit = st.unit_of_work()
    agency = admin.add_agency(unit, Actor.system("t"), "Parallel Hub", "council_early_help")
    user = admin.add_user(unit, Actor.system("t"), "parallel@example.org", "P", agency.id, "practitioner",
                          "a-long-test-password")
    unit.commit()
    actor = actor_for_user(user)
    import datetime as dt

    family = families.create_family(unit, actor, [NewPerson("child", "Kit", "Parallelcase", dt.date(2015, 1, 1))],
                                    confirm_new=True)
    unit.commit()
    unit.session.close()
    return actor, family


def _run_threads(target, n):
    barrier = threading.Barrier(n)
    errors = []

    def wrapped(i):
        try:
            barrier.wait()
            target(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_parallel_writers_never_fork_the_audit_chain(live_state):
    st = live_state

    def write(i):
        for j in range(EVENTS_EACH):
            unit = st.unit_of_work()
            unit.audit(Actor.system(f"w{i}"), "update", "test", f"{i}-{j}")
            unit.commit()
            unit.session.close()

    assert _run_threads(write, WRITERS) == []
    unit = st.unit_of_work()
    result = audit.verify(unit.session, unit.audit_key)
    unit.session.close()
    assert result.ok, result.problem
    assert result.count == WRITERS * EVENTS_EACH


def test_verify_while_writers_commit_never_reports_a_cut_tail(live_state):
    """verify reads the head first and walks up to it, so events committed meanwhile are no false alarm. The three
    writers stop halfway until the verifier has looked once (so one look is certain to fall mid-write), then go
    on while it keeps verifying."""
    st = live_state
    reports = []
    halfway, resume = threading.Barrier(4, timeout=60), threading.Barrier(4, timeout=60)
    done = threading.Event()
    finished = []

    def verify():
        unit = st.unit_of_work()
        reports.append(audit.verify(unit.session, unit.audit_key))
        unit.session.close()

    def work(i):
        if i == 0:
            halfway.wait()
            verify()
            resume.wait()
            while not done.is_set():
                verify()
            verify()
            return
        for j in range(EVENTS_EACH):
            if j == EVENTS_EACH // 2:
                halfway.wait()
                resume.wait()
            unit = st.unit_of_work()
            unit.audit(Actor.system(f"w{i}"), "update", "test", f"{i}-{j}")
            unit.commit()
            unit.session.close()
        finished.append(i)
        if len(finished) == 3:
            done.set()

    assert _run_threads(work, 4) == []
    assert [r.problem for r in reports if not r.ok] == []
    assert reports[0].count == 3 * (EVENTS_EACH // 2)  # the look taken while every writer was halfway
    assert reports[-1].count == 3 * EVENTS_EACH


def test_two_saves_of_the_same_version_one_wins_one_is_refused(live_state):
    st = live_state
    actor, family = _seed(st)
    outcomes = []

    def save(i):
        unit = st.unit_of_work()
        try:
            assessment.save_section(unit, actor, family.id, "worries", f"text from writer {i}", 0)
            unit.commit()
            outcomes.append("saved")
        except Conflict:
            unit.rollback()
            outcomes.append("conflict")
        finally:
            unit.session.close()

    assert _run_threads(save, 6) == []
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    unit = st.unit_of_work()
    section = assessment.get_section(unit, actor, family.id, "worries")
    unit.commit()
    assert section.version == 1
    assert audit.verify(unit.session, unit.audit_key).ok
    unit.session.close()
