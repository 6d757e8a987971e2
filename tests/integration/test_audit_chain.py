"""The audit trail is tamper-evident: edits, deletions, reordering, insertions and a cut-off tail are found."""
import json

import pytest
from sqlalchemy import select, text

import audit
from audit.chain import link
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


@pytest.mark.parametrize("with_the_key", [True, False], ids=["insider-with-the-key", "without-the-key"])
def test_inserted_event_with_a_recomputed_hash_is_found(uow, settings, with_the_key):
    _events(uow, 3)
    _raw(uow, "UPDATE audit_event SET seq = seq + 1 WHERE seq = 3")
    row = uow.session.get(audit.AuditEvent, 2)
    forged = audit.AuditEvent(seq=3, id="forged-id", occurred_at=row.occurred_at, action="read",
                              actor_kind="user", record_type="assessment", sections=[], details={},
                              prev_hash=row.hash, hash="")
    forged.hash = link(settings.audit_chain_key if with_the_key else None, row.hash, forged)
    uow.session.add(forged)
    uow.session.flush()
    report = _verify(uow, settings)
    # Without the key the forged event's own hash is wrong; with it (an insider), the head row still seals the
    # event that was at 3, so the forged one is named either way.
    assert not report.ok and report.bad_seq == 3 and report.bad_id == "forged-id"


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


# ---- the end of the chain (hardening item 13) ------------------------------------------------------

def _rehash_without_the_key(uow, from_seq):
    """What someone with write access to the database, but not the chain key, can do after changing an event:
    recompute every hash from that event on with the published formula (plain SHA-256) and move the head."""
    import hashlib

    from audit.chain import canonical

    uow.session.expire_all()
    prev = uow.session.execute(text("SELECT hash FROM audit_event WHERE seq = :s"), {"s": from_seq - 1}).scalar()
    prev = prev or audit.models.GENESIS_HASH
    rows = uow.session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.seq >= from_seq).order_by(audit.AuditEvent.seq)
    ).scalars().all()
    for row in rows:
        forged = hashlib.sha256(prev.encode() + b"\n" + canonical(row)).hexdigest()
        _raw(uow, "UPDATE audit_event SET prev_hash = :p, hash = :h WHERE seq = :s", p=prev, h=forged, s=row.seq)
        prev = forged
    _raw(uow, "UPDATE audit_chain_head SET seq = :s, hash = :h", s=rows[-1].seq, h=prev)
    uow.session.expire_all()


def _id_of(uow, seq):
    return uow.session.execute(text("SELECT id FROM audit_event WHERE seq = :s"), {"s": seq}).scalar_one()


def test_deleting_the_newest_events_after_the_last_checkpoint_is_found(uow, settings):
    _events(uow, 5)
    audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    _events(uow, 3)
    _raw(uow, "DELETE FROM audit_event WHERE seq >= 7")  # events 7 and 8; the head row still names 8
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 7
    assert "removed" in report.message and _id_of(uow, 6) in report.message


@pytest.mark.parametrize("edited", [6, 2], ids=["after-the-checkpoint", "before-the-checkpoint"])
def test_an_edit_rehashed_without_the_key_is_reported_at_the_edited_event(uow, settings, edited):
    """Events 1-5 are checkpointed, 6-8 are not. Before the chain was keyed, re-hashing from an edit after the
    checkpoint passed, and one before it was reported against the checkpoint's event 5."""
    _events(uow, 5)
    audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    _events(uow, 3)
    _raw(uow, "UPDATE audit_event SET record_id = 'forged' WHERE seq = :s", s=edited)
    _rehash_without_the_key(uow, edited)
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == edited
    assert report.bad_id == _id_of(uow, edited) and report.bad_id in report.message


def test_the_chain_must_end_where_its_head_row_says(uow, settings):
    _events(uow, 5)  # no checkpoint at all: only the head row knows where the chain ended
    _raw(uow, "DELETE FROM audit_event WHERE seq = 5")
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 5 and "head" in report.message


def test_moving_the_head_row_back_without_the_key_is_found(uow, settings):
    _events(uow, 5)
    _raw(uow, "DELETE FROM audit_event WHERE seq >= 4")
    _raw(uow, "UPDATE audit_chain_head SET seq = 3, hash = (SELECT hash FROM audit_event WHERE seq = 3)")
    report = _verify(uow, settings)
    assert not report.ok and "head" in report.message


def test_a_head_row_put_back_from_an_old_copy_is_caught_by_the_checkpoint_and_never_checkpointed_over(
        uow, settings):
    _events(uow, 3)
    old_head = uow.session.execute(text("SELECT seq, hash, keyed_from, mac FROM audit_chain_head")).one()
    _events(uow, 2)
    audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    _raw(uow, "DELETE FROM audit_event WHERE seq >= 4")
    _raw(uow, "UPDATE audit_chain_head SET seq = :s, hash = :h, keyed_from = :k, mac = :m",
         s=old_head.seq, h=old_head.hash, k=old_head.keyed_from, m=old_head.mac)
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 5 and "removed" in report.message
    with pytest.raises(RuntimeError, match="removed"):
        audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)


def test_turning_the_keyed_chain_back_into_an_unkeyed_one_is_caught_by_the_checkpoint(uow, settings):
    _events(uow, 3)
    audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    _events(uow, 1)
    _raw(uow, "UPDATE audit_event SET record_id = 'forged' WHERE seq = 2")
    _raw(uow, "UPDATE audit_chain_head SET keyed_from = NULL, mac = NULL")
    _rehash_without_the_key(uow, 1)
    report = _verify(uow, settings)
    assert not report.ok and report.bad_seq == 3 and "checkpoint" in report.message


def test_a_signing_key_change_starts_checkpoints_afresh_from_the_first_event(uow, settings):
    _events(uow, 2)
    audit_trail.write_checkpoint(uow, settings.checkpoint_dir, settings.audit_signing_key)
    _events(uow, 1)
    record = audit_trail.write_checkpoint(uow, settings.checkpoint_dir, b"\x09" * 32)
    assert record["count"] == 3 and record["keyed_from"] == 1


def test_the_audit_verify_command_exits_1_and_names_the_first_bad_event_by_id(app, uow):
    _events(uow, 3)
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and intact.output.strip() == "intact: 3 events"
    _raw(uow, "UPDATE audit_event SET record_id = 'forged' WHERE seq = 2")
    _rehash_without_the_key(uow, 2)
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1 and f"event 2 (id {_id_of(uow, 2)})" in broken.output
