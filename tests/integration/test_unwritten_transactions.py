"""A unit of work that only read ends its transaction with COMMIT, not ROLLBACK (coordination/db.track_writes and
UnitOfWork._end_unwritten): the same for the data, but psycopg forgets every prepared statement of the connection on
a ROLLBACK, so a partner read that found no cover used to make the next reads on its connection be parsed and
planned afresh. Anything that wrote, may have written, or failed still rolls back: nothing is half-written.

These run on real transactions (not the suite's savepoints), so each cleans up what a failure would leave."""
from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import delete, exc, func, insert, literal_column, select, text

from coordination import create_app
from coordination.db import make_engine
from coordination.extensions import state
from coordination.models import Agency

from ..conftest import make_settings


@pytest.fixture
def units(database, tmp_path):
    """Units of work over one pooled connection of the suite's database, committed for real."""
    engine = make_engine(database.url, pool_size=1, max_overflow=0)
    app = create_app(make_settings(database.url, tmp_path), engine=engine)
    made = []

    def _unit():
        made.append(state(app).unit_of_work(request_id="unwritten-test"))
        return made[-1]

    yield _unit
    for unit in made:
        unit.close()
    with engine.begin() as conn:
        conn.execute(delete(Agency).where(Agency.name.like("Unwritten test %")))
    engine.dispose()


def _name() -> str:
    return f"Unwritten test {uuid.uuid4().hex[:8]}"


def _orm_flushed(session, name):
    session.add(Agency(name=name, type="school"))
    session.flush()


def _orm_pending(session, name):
    session.add(Agency(name=name, type="school"))  # not flushed: the session still holds it


def _core_insert(session, name):
    session.execute(insert(Agency).values(id=uuid.uuid4(), name=name, type="school", created_at=func.now()))


def _text_insert(session, name):
    session.execute(text("INSERT INTO agency (id, name, type, created_at) VALUES (:id, :name, 'school', :at)"),
                    {"id": uuid.uuid4().hex if session.bind.dialect.name == "sqlite" else str(uuid.uuid4()),
                     "name": name, "at": "2026-12-06 10:00:00"})


def _agencies_named(units, name) -> int:
    unit = units()
    try:
        return unit.session.execute(select(func.count()).select_from(Agency).where(Agency.name == name)).scalar_one()
    finally:
        unit.close()


@pytest.mark.parametrize("write", [_orm_flushed, _orm_pending, _core_insert, _text_insert],
                         ids=["orm flushed", "orm pending", "core insert", "text insert"])
@pytest.mark.parametrize("ending", ["rollback", "close"])
def test_a_unit_that_wrote_and_does_not_commit_leaves_nothing(units, write: Callable, ending: str):
    name = _name()
    unit = units()
    unit.session.execute(select(Agency.id).limit(1)).all()  # a read first, as a view does
    write(unit.session, name)
    getattr(unit, ending)()
    assert _agencies_named(units, name) == 0


def test_a_read_that_failed_rolls_back_and_the_next_unit_goes_on(units):
    unit = units()
    with pytest.raises(exc.DBAPIError):
        unit.session.execute(select(literal_column("no_such_column")).select_from(Agency)).all()
    unit.rollback()  # must not try to COMMIT a failed transaction
    unit.close()
    assert _agencies_named(units, _name()) == 0  # the connection is usable


def test_a_read_then_commit_after_rollback_still_commits_what_comes_next(units):
    """Ending a read-only transaction with COMMIT starts nothing: the unit's next change is its own transaction."""
    name = _name()
    unit = units()
    unit.session.execute(select(Agency.id).limit(1)).all()
    unit.rollback()
    _orm_flushed(unit.session, name)
    unit.commit()
    assert _agencies_named(units, name) == 1


def _prepared_statements(unit) -> int:
    # A compiled SELECT: a text() statement would itself count as a possible write and force the rollback.
    return unit.session.execute(select(func.count()).select_from(text("pg_prepared_statements"))).scalar_one()


@pytest.mark.parametrize("ending", ["unit", "plain rollback"])
def test_a_unit_that_only_read_keeps_the_connections_prepared_statements(database, units, ending: str):
    if database.name != "postgresql":
        pytest.skip("psycopg's prepared statements are PostgreSQL's")
    unit = units()
    for _ in range(6):  # psycopg prepares a statement once it has run it five times
        unit.session.execute(select(Agency.id).where(Agency.name == "nobody")).all()
    assert _prepared_statements(unit) >= 1
    if ending == "unit":
        unit.rollback()  # e.g. a partner read that found no cover: 404
        assert _prepared_statements(unit) >= 1
    else:  # what it replaces, to show what the test would catch
        unit.session.rollback()
        assert _prepared_statements(unit) == 0


# A unit that only reads and records the read (UnitOfWork.audit_only: the API's assessment read) runs without a
# transaction around it on PostgreSQL; anything else it tried to write is refused before it is sent.

def _audit_events_for(units, record_id: str) -> int:
    """Pending or sealed (without Redis a unit seals its own events after its commit)."""
    from audit.models import AuditEvent, AuditPending

    unit = units()
    try:
        return sum(unit.session.execute(select(func.count()).select_from(table).where(table.record_id == record_id))
                   .scalar_one() for table in (AuditPending, AuditEvent))
    finally:
        unit.close()


def _system_actor():
    from coordination.domain.actors import Actor

    return Actor.system()


def test_an_audit_only_unit_reads_and_records_without_a_transaction(database, units):
    if database.name != "postgresql":
        pytest.skip("SQLite chains the event in the writer's transaction: audit_only changes nothing there")
    unit = units()
    unit.audit_only()
    unit.session.execute(select(Agency.id).limit(1)).all()
    dbapi = unit.session.connection().connection.driver_connection
    assert dbapi.autocommit and dbapi.info.transaction_status.name == "IDLE"  # no snapshot or lock held open
    record = str(uuid.uuid4())
    unit.audit(_system_actor(), "read", "assessment", record)
    unit.commit()
    assert _audit_events_for(units, record) == 1
    follow = units()  # the pooled connection is back to transactions: a write rolled back leaves nothing
    name = _name()
    _orm_flushed(follow.session, name)
    follow.rollback()
    assert _agencies_named(units, name) == 0


@pytest.mark.parametrize("write", [_orm_flushed, _core_insert, _text_insert],
                         ids=["orm flushed", "core insert", "text insert"])
def test_an_audit_only_unit_refuses_any_other_write(database, units, write: Callable):
    from coordination.db import AuditOnlyViolation

    name = _name()
    unit = units()
    unit.audit_only()
    unit.session.execute(select(Agency.id).limit(1)).all()
    if database.name == "postgresql":
        with pytest.raises(AuditOnlyViolation):
            write(unit.session, name)
        unit.rollback()
        assert _agencies_named(units, name) == 0
    else:  # a transaction as ever: the write is the unit's own to commit
        write(unit.session, name)
        unit.commit()
        assert _agencies_named(units, name) == 1


@pytest.mark.parametrize("ending", ["rollback", "close"])
def test_a_read_whose_connection_was_lost_ends_quietly_and_the_next_unit_goes_on(database, units, ending: str):
    """The server cut the connection after the read (a restart, a failover): ending the read-only transaction
    must not turn into an error page or a failed teardown; the pool hands the next unit a live connection."""
    if database.name != "postgresql":
        pytest.skip("a server to lose is PostgreSQL's")
    from ..conftest import _postgres_admin_url

    unit = units()
    pid = unit.session.execute(select(func.pg_backend_pid())).scalar_one()
    admin = make_engine(_postgres_admin_url())
    with admin.connect() as conn:
        conn.execute(select(func.pg_terminate_backend(pid)))
    admin.dispose()
    getattr(unit, ending)()  # no exception
    assert _agencies_named(units, _name()) == 0
