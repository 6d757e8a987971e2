"""Migration 0008 makes the audit chain keyed. A trail written before it keeps verifying, the keyed chain
continues from its end, and the unkeyed part is still checked."""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from types import SimpleNamespace

from alembic import command
from sqlalchemy import insert, select, text

import audit
from audit.chain import canonical
from coordination import create_app
from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.migrate import alembic_config, upgrade
from coordination.services import audit_trail

from ..conftest import make_settings

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


def _write_unkeyed_events(engine, n):
    """Events exactly as the SHA-256 chain before 0008 wrote them (audit_event itself is unchanged by 0008)."""
    prev = audit.models.GENESIS_HASH
    with engine.begin() as conn:
        for seq in range(1, n + 1):
            row = {c.name: None for c in audit.AuditEvent.__table__.columns}
            row.update(seq=seq, id=str(uuid.uuid4()), occurred_at=NOW, action="update", actor_kind="system",
                       record_type="assessment_section", record_id=f"rec-{seq}", sections=["strengths"], details={},
                       prev_hash=prev)
            row["hash"] = hashlib.sha256(prev.encode() + b"\n" + canonical(SimpleNamespace(**row))).hexdigest()
            prev = row["hash"]
            conn.execute(insert(audit.AuditEvent.__table__), [row])
        conn.execute(text("UPDATE audit_chain_head SET seq = :s, hash = :h"), {"s": n, "h": prev})


def test_a_trail_from_before_0008_keeps_verifying_and_the_keyed_chain_continues_it(fresh_database, tmp_path):
    engine = fresh_database.engine
    command.downgrade(alembic_config(engine), "0007")
    _write_unkeyed_events(engine, 3)
    upgrade(engine)

    st = state(create_app(make_settings(fresh_database.url, tmp_path), engine=engine))
    unit = st.unit_of_work()
    assert audit_trail.verify_trail(unit, tmp_path / "cp", b"\x03" * 32).message == "intact: 3 events"
    for i in range(2):
        unit.audit(Actor.system("test"), "update", "assessment_section", f"new-{i}")
    unit.commit()
    report = audit_trail.verify_trail(unit, tmp_path / "cp", b"\x03" * 32)
    assert report.ok and report.message == "intact: 5 events"
    assert unit.session.execute(select(audit.AuditChainHead.keyed_from)).scalar_one() == 4
    unit.session.close()

    # The unkeyed events are still checked: an edit to one is named.
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # as a superuser could
        conn.execute(text("UPDATE audit_event SET record_id = 'forged' WHERE seq = 2"))
    unit = st.unit_of_work()
    report = audit_trail.verify_trail(unit, tmp_path / "cp", b"\x03" * 32)
    unit.session.close()
    assert not report.ok and report.bad_seq == 2
