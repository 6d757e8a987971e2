"""The audit trail is tamper-evident: edits, deletions, reordering, insertions and a cut-off tail are found."""
import json

import pytest
from sqlalchemy import text

import audit
from audit.chain import compute_hash
from coordination.domain.actors import Actor
from coordination.services import audit_trail

SYSTEM = Actor.system("test")


def _events(uow, n):
    for i in range(n):
        uow.audit(SYSTEM, "update", "assessment_section", f"rec-{i}", sections=["strengths"])
    uow.commit()


def _raw(uow, sql, **params):
    conn = uow.session.connection()
    if conn.dialect.name == "postgresql":
        # A superuser with a dump can switch the trigger off; the chain must still catch it.
        conn.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
    conn.execute(text(sql), params)
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


def _verify(uow, settings):
    return audit_trail.verify_trail(uow, settings.checkpoint_dir, settings.audit_signing_key)


def test_intact_chain_verifies_with_its_count(uow, settings):
    _events(uow, 5)
    report = _verify(uow, settings)
    assert report.ok and report.message == "intact: 5 events"


def test_edited_event_is_named(uow, settings):
    _events(uow, 5)
    _raw(uow, "UPDATE audit_event SET record_id = 'forged' WHERE seq = 3")
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 3
    assert "edited" in report.message and report.bad_id in report.message


def test_deleted_event_is_found(uow, settings):
    _events(uow, 5)
    _raw(uow, "DELETE FROM audit_event WHERE seq = 2")
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 3


def test_reordered_events_are_found(uow, settings):
    _events(uow, 4)
    _raw(uow, "UPDATE audit_event SET seq = 100 WHERE seq = 2")
    _raw(uow, "UPDATE audit_event SET seq = 2 WHERE seq = 3")
    _raw(uow, "UPDATE audit_event SET seq = 3 WHERE seq = 100")
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 2


def test_inserted_event_with_a_recomputed_hash_is_found(uow, settings):
    _events(uow, 3)
    _raw(uow, "UPDATE audit_event SET seq = seq + 1 WHERE seq = 3")
    row = uow.session.get(audit.AuditEvent, 2)
    forged = audit.AuditEvent(seq=3, id="forged-id", occurred_at=row.occurred_at, action="read",
                              actor_kind="user", record_type="assessment", sections=[], details={},
                              prev_hash=row.hash, hash="")
    forged.hash = compute_hash(row.hash, forged)
    uow.session.add(forged)
    uow.session.flush()
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 4


def test_cut_off_tail_is_found_by_the_signed_checkpoint(uow, settings):
    _events(uow, 5)
    record = audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    assert record["count"] == 5
    _raw(uow, "DELETE FROM audit_event WHERE seq >= 4")
    report = _verify(uow, settings)
    assert not report.ok and "removed" in report.message


def test_forged_checkpoint_signature_is_refused(uow, settings):
    _events(uow, 2)
    audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    path = settings.checkpoint_dir / audit.checkpoint.FILE_NAME
    record = json.loads(path.read_text().splitlines()[-1])
    record["count"] = 1
    path.write_text(json.dumps(record) + "\n")
    report = _verify(uow, settings)
    assert not report.ok and "signature" in report.message


def test_update_and_delete_are_refused_by_postgresql(uow, database):
    if database.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    _events(uow, 1)
    with pytest.raises(Exception, match="append-only"):
        uow.session.execute(text("UPDATE audit_event SET reason = 'x'"))


def test_checkpoints_are_incremental_yet_tampering_is_found_before_and_after_them(uow, settings):
    _events(uow, 3)
    audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    _events(uow, 2)
    record = audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    assert record["count"] == 5 and record["head_seq"] == 5
    _events(uow, 2)
    _raw(uow, "UPDATE audit_event SET action = 'read' WHERE seq = 6")
    with pytest.raises(RuntimeError, match="event 6"):  # after the last checkpoint: the next one refuses
        audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    _raw(uow, "UPDATE audit_event SET action = 'read' WHERE seq = 2")
    report = _verify(uow, settings)  # before it: the full verify walks from the first event
    assert not report.ok and report.bad_seq == 2
