"""The audit chain off the hot path (PostgreSQL): a writer inserts its events into audit_pending in one statement
and takes no lock; the sealer chains committed events under the head's lock. Eight writers at once and a sealer
killed part way through a batch lose nothing, chain nothing twice, and leave a chain `verify` accepts."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import event, func, select

import audit
from coordination.domain.actors import Actor
from coordination.extensions import build_state, state
from coordination.services import audit_trail

from ..conftest import make_settings

WRITERS, COMMITS, EVENTS = 8, 15, 2


@pytest.fixture
def postgres(database):
    if database.name != "postgresql":
        pytest.skip("SQLite chains in the writer's transaction; the sealer is PostgreSQL's")
    return database


def _audit_statements(engine, work) -> list[str]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if "audit" in statement.lower():
            seen.append(" ".join(statement.split())[:60])

    event.listen(engine, "before_cursor_execute", note)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_writer_inserts_its_events_in_one_statement_and_never_touches_the_chain_head(app, postgres):
    st = state(app)
    st.seal_inline = False  # as with Redis: the relay seals, not the writer
    unit = st.unit_of_work()
    for n in range(3):
        unit.audit(Actor.system("test"), "update", "family", None, n=n)
    statements = _audit_statements(st.engine, unit.commit)
    assert statements == [statements[0]] and statements[0].startswith("INSERT INTO audit_pending")
    assert audit.pending(unit.session)[0] == 3
    assert audit_trail.verify_trail(unit, st.settings.checkpoint_dir, st.settings.audit_signing_key).unsealed == 3
    assert audit_trail.seal(unit) == 3
    report = audit_trail.verify_trail(unit, st.settings.checkpoint_dir, st.settings.audit_signing_key)
    assert report.ok and report.unsealed == 0


def test_without_a_relay_each_commit_seals_its_own_events(app, postgres):
    unit = state(app).unit_of_work()
    unit.audit(Actor.system("test"), "update", "family", None)
    unit.commit()
    assert audit.pending(unit.session)[0] == 0


HOLD_A_BATCH = """
import sys, time
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
import audit
engine = create_engine(sys.argv[1])
with Session(engine) as session:
    sealed = audit.seal(session, bytes.fromhex(sys.argv[2]), limit=100000)
    session.flush()
    print(f"holding {sealed}", flush=True)
    time.sleep(300)
"""


def test_eight_writers_and_a_sealer_killed_mid_batch_lose_nothing_and_chain_nothing_twice(fresh_database, tmp_path):
    if fresh_database.name != "postgresql":
        pytest.skip("SQLite chains in the writer's transaction; the sealer is PostgreSQL's")
    st = build_state(make_settings(fresh_database.url, tmp_path), engine=fresh_database.engine)
    st.seal_inline = False
    before = _count(st, audit.AuditEvent)
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for n in range(COMMITS):
                unit = st.unit_of_work()
                for e in range(EVENTS):
                    unit.audit(Actor.system("test"), "update", "family", None, writer=writer, n=n, e=e)
                unit.commit()
                unit.session.close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in writers:
        t.start()
    _wait_for(lambda: _count(st, audit.AuditPending) >= 20)
    killed = subprocess.Popen([sys.executable, "-c", HOLD_A_BATCH, fresh_database.url,
                               st.settings.audit_chain_key.hex()],
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    holding = killed.stdout.readline()
    assert holding.startswith("holding ") and int(holding.split()[1]) > 0, holding
    # Meanwhile another sealer keeps trying; it waits on the head the killed one holds.
    stop = threading.Event()

    def keep_sealing() -> None:
        while not stop.is_set():
            unit = st.unit_of_work()
            audit_trail.seal(unit)
            unit.session.close()
            time.sleep(0.05)

    sealer = threading.Thread(target=keep_sealing)
    sealer.start()
    os.kill(killed.pid, signal.SIGKILL)  # mid-batch: rows chained and flushed, never committed
    killed.wait()
    for t in writers:
        t.join()
    stop.set()
    sealer.join()
    assert not errors, errors
    unit = st.unit_of_work()
    audit_trail.seal(unit)
    written = WRITERS * COMMITS * EVENTS
    assert _count(st, audit.AuditEvent) - before == written
    assert audit.pending(unit.session)[0] == 0
    updates = select(audit.AuditEvent.details).where(audit.AuditEvent.action == "update")
    details = unit.session.execute(updates).scalars()
    assert sorted((d["writer"], d["n"], d["e"]) for d in details) == sorted(
        (w, n, e) for w in range(WRITERS) for n in range(COMMITS) for e in range(EVENTS))
    verified = audit.verify(unit.session, st.settings.audit_chain_key)
    assert verified.ok, verified.problem
    assert verified.count == _count(st, audit.AuditEvent)
    seqs = list(unit.session.execute(select(audit.AuditEvent.seq).order_by(audit.AuditEvent.seq)).scalars())
    assert seqs == list(range(1, len(seqs) + 1))  # gap-free
    unit.session.close()


def _count(st, model) -> int:
    with st.sessions() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
