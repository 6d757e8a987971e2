"""The keyed hash chain: append and verify.

hash(n) = HMAC-SHA256(chain key, hash(n-1) || "\\n" || canonical(event n)) for every event from the head's
`keyed_from` on. Events before it (written before migration 0008) keep the unkeyed SHA-256 of the same message.
The chain key (AUDIT_CHAIN_KEY) lives on the application hosts, never on the database host: someone who can
write to the database but lacks the key cannot compute a valid hash for an edited, inserted or re-hashed event,
so `verify` names the first event that fails. The one-row head records where the chain ends, sealed with an
HMAC under the same key; `verify` checks that the chain ends exactly there, so a cut-off tail is found too.

`link` is the one formula and `extend` the one place that chains rows. On SQLite `record` calls it under the
head lock in the writer's own transaction. On PostgreSQL writers `append` to `audit_pending` instead (one INSERT,
no lock) and `seal` chains committed events afterwards, under the head lock, in a transaction of its own;
docs/architecture.md ("Audit") gives the argument that no event is lost, chained twice or left out of order.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from .events import NewEvent
from .models import EVENT_FIELDS, GENESIS_HASH, AuditChainHead, AuditEvent, AuditPending

_HASHED_FIELDS = (
    "seq", "id", "occurred_at", "action", "actor_kind", "actor_user_id", "actor_key_id", "actor_agency_id",
    "record_type", "record_id", "family_id", "sections", "authority", "reason", "details", "request_id",
)
MIN_KEY_BYTES = 32


def _utc_text(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def canonical(event: Any) -> bytes:
    """The event's hashed content: an `AuditEvent` or a row of the `audit_event` table."""
    body = {}
    for name in _HASHED_FIELDS:
        value = getattr(event, name)
        if name == "occurred_at":
            value = _utc_text(value)
        body[name] = value
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def link(key: bytes | None, prev_hash: str, event: Any) -> str:
    """The chain's one formula. `key=None` is the unkeyed chain of events before the head's `keyed_from`."""
    message = prev_hash.encode() + b"\n" + canonical(event)
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def head_mac(key: bytes, seq: int, hash_: str, keyed_from: int | None) -> str:
    # Its own prefix, so a head MAC can never pass for an event's hash (those start with a 64-hex hash).
    return hmac.new(key, f"audit_chain_head\n{seq}\n{hash_}\n{keyed_from}".encode(), hashlib.sha256).hexdigest()


def check_key(key: bytes | None) -> bytes:
    if not key or len(key) < MIN_KEY_BYTES:
        raise ValueError("the audit chain key (AUDIT_CHAIN_KEY) is missing or shorter than 32 bytes")
    return key


def extend(head_row: AuditChainHead, key: bytes, rows: list[AuditEvent]) -> None:
    """Chain `rows` (in order) after the head, and move and seal the head at the last of them. The caller
    holds the head row locked. The first keyed append after migration 0008 records the cut-over."""
    check_key(key)
    if head_row.keyed_from is None:
        head_row.keyed_from = head_row.seq + 1
    seq, prev = head_row.seq, head_row.hash
    for row in rows:
        seq += 1
        row.seq, row.prev_hash = seq, prev
        row.hash = link(key, prev, row)
        prev = row.hash
    head_row.seq, head_row.hash = seq, prev
    head_row.mac = head_mac(key, seq, prev, head_row.keyed_from)


def _lock_head(session: Session) -> AuditChainHead:
    head_row = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head_row is None:
        # First event ever (the migration normally inserts this row).
        head_row = AuditChainHead(id=1, seq=0, hash=GENESIS_HASH)
        session.add(head_row)
        session.flush()
    return head_row


def record(session: Session, events: Iterable[NewEvent], key: bytes,
           now: dt.datetime | None = None) -> list[AuditEvent]:
    """Append events to the chain in the caller's transaction. Call it last, just before commit:
    the head row stays locked until the transaction ends."""
    events = list(events)
    if not events:
        return []
    check_key(key)
    head_row = _lock_head(session)
    written = [AuditEvent(seq=0, prev_hash="", hash="", **row)
               for row in _new_rows(events, now or dt.datetime.now(dt.UTC))]
    extend(head_row, key, written)
    session.add_all(written)
    session.flush()
    return written


_NEW_EVENT_FIELDS = tuple(f.name for f in fields(NewEvent))


def _new_rows(events: list[NewEvent], moment: dt.datetime) -> list[dict]:
    rows = []
    for new in events:
        # A shallow copy (dataclasses.asdict deep-copies every nested value: a tenth of a partner read's CPU);
        # the rows are written at once, and the event's dicts are plain JSON values.
        data = {name: getattr(new, name) for name in _NEW_EVENT_FIELDS}
        data["sections"] = sorted(set(data["sections"] or []))
        rows.append({"id": str(uuid.uuid4()), "occurred_at": moment, **data})
    return rows


def append(session: Session, events: Iterable[NewEvent], now: dt.datetime | None = None) -> None:
    """Write events for the sealer to chain (PostgreSQL's path): one INSERT in the caller's transaction, no lock,
    so concurrent writers do not queue behind one another or behind one fsync. They are committed with the
    change they record, or not at all; `seal` chains them later, in the order of their `pos`."""
    events = list(events)
    if not events:
        return
    # The table, not the entity, on the session's connection: a Core INSERT skips the ORM's bulk machinery (~0.1 ms
    # a read). One event (a read's) is one plain execute, not an executemany of one.
    rows = _new_rows(events, now or dt.datetime.now(dt.UTC))
    session.connection().execute(insert(cast(Table, AuditPending.__table__)), rows[0] if len(rows) == 1 else rows)


def seal(session: Session, key: bytes, limit: int = 2000) -> int:
    """Chain up to `limit` committed pending events after the head, in `pos` order; returns how many.

    Sealers queue on the head row (writers never touch it), so two sealers never chain the same event: the
    second takes the lock after the first committed, and its query (a new statement, so a new snapshot under
    READ COMMITTED) no longer sees the events the first moved. The move is one transaction: a sealer killed part
    way leaves every event pending, none half-chained. An event a writer has not committed yet is invisible
    here and is sealed by a later run. The caller commits.
    """
    check_key(key)
    head_row = _lock_head(session)
    pending = session.execute(select(AuditPending).order_by(AuditPending.pos).limit(limit)).scalars().all()
    if not pending:
        return 0
    rows = [AuditEvent(seq=0, prev_hash="", hash="", **{name: getattr(p, name) for name in EVENT_FIELDS})
            for p in pending]
    extend(head_row, key, rows)
    session.add_all(rows)
    session.flush()
    session.execute(delete(AuditPending).where(AuditPending.pos.in_([p.pos for p in pending])),
                    execution_options={"synchronize_session": False})
    for row in pending:
        session.expunge(row)
    return len(rows)


def pending(session: Session) -> tuple[int, dt.datetime | None]:
    """How many committed events await the sealer, and when the oldest of them happened."""
    row = session.execute(select(func.count(), func.min(AuditPending.occurred_at))).one()
    return int(row[0] or 0), row[1]


@dataclass
class VerifyResult:
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    bad_id: str | None = None
    problem: str | None = None
    keyed_from: int | None = None
    last_id: str | None = None  # the id of the newest event verified
    unsealed: int = 0  # committed events the sealer has not chained yet (PostgreSQL), not part of `count`
    oldest_unsealed: dt.datetime | None = None


@dataclass(frozen=True)
class _Head:
    seq: int
    hash: str
    keyed_from: int | None
    mac: str | None


def head(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)


def hash_at(session: Session, seq: int) -> str | None:
    """The hash of event `seq`, or None when there is no such event (a checkpoint beyond a truncated chain)."""
    return session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar_one_or_none()


def event_id_at(session: Session, seq: int) -> str | None:
    """The id of event `seq`, or None when there is no such event."""
    return session.execute(select(AuditEvent.id).where(AuditEvent.seq == seq)).scalar_one_or_none()


def head_keyed_from(session: Session) -> int | None:
    """Where the head row says the keyed chain starts (None: no keyed event yet)."""
    return session.execute(select(AuditChainHead.keyed_from).where(AuditChainHead.id == 1)).scalar()


def _read_head(session: Session) -> _Head | None:
    row = session.execute(select(AuditChainHead.seq, AuditChainHead.hash, AuditChainHead.keyed_from,
                                 AuditChainHead.mac).where(AuditChainHead.id == 1)).first()
    return _Head(row.seq, row.hash, row.keyed_from, row.mac) if row else None


def verify(session: Session, key: bytes, batch: int = 5000, *, after_seq: int = 0,
           after_hash: str = GENESIS_HASH) -> VerifyResult:
    """Check the chain from the start (or from a trusted point) to its end, and that the end is the head's.

    By default from the first event; `after_seq`/`after_hash` start from a verified, signed checkpoint, so a
    scheduled checkpoint only reads what was added since the last one (`count` then trusts the checkpoint for
    the events before it). The head row is read first and events are walked up to its seq, so events that
    writers commit meanwhile are left for the next run instead of looking like a mismatch.
    """
    check_key(key)
    head_now = _read_head(session)
    if head_now is None:
        head_now = _Head(0, GENESIS_HASH, None, None)
    walked = _walk(session, key, head_now, batch, after_seq, after_hash)
    if not walked.ok:
        return walked
    result = _check_end(session, key, head_now, walked)
    result.unsealed, result.oldest_unsealed = pending(session)
    return result


def _walk(session: Session, key: bytes, head_now: _Head, batch: int, after_seq: int,
          after_hash: str) -> VerifyResult:
    expected_seq, prev, last_id = after_seq + 1, after_hash, None
    columns = select(*AuditEvent.__table__.columns)
    keyed_from = head_now.keyed_from
    while expected_seq <= head_now.seq:
        rows = session.execute(columns.where(AuditEvent.seq >= expected_seq, AuditEvent.seq <= head_now.seq)
                               .order_by(AuditEvent.seq).limit(batch)).all()
        if not rows:
            break
        for row in rows:
            fail = _problem(key, keyed_from, expected_seq, prev, row)
            if fail:
                return VerifyResult(False, expected_seq - 1, expected_seq - 1, prev, row.seq, row.id, fail,
                                    keyed_from)
            prev, last_id = row.hash, row.id
            expected_seq += 1
    return VerifyResult(True, expected_seq - 1, expected_seq - 1, prev, keyed_from=keyed_from, last_id=last_id)


def _problem(key: bytes, keyed_from: int | None, expected_seq: int, prev: str, row: Any) -> str | None:
    if row.seq != expected_seq:
        return f"gap in the chain: expected event {expected_seq}, found {row.seq}"
    if row.prev_hash != prev:
        return "does not follow the event before it (deleted, inserted or reordered)"
    keyed = keyed_from is not None and row.seq >= keyed_from
    if not hmac.compare_digest(link(key if keyed else None, prev, row), row.hash):
        return "its content does not match its hash (edited, or re-hashed without the chain key)"
    return None


def _check_end(session: Session, key: bytes, head_now: _Head, walked: VerifyResult) -> VerifyResult:
    """The walk ended at `walked.head_seq`; the head row must say the same, sealed by the key."""
    last, last_id = walked.head_seq, walked.last_id

    def broken(seq: int, problem: str, event_id: str | None = None) -> VerifyResult:
        return VerifyResult(False, walked.count, last, walked.head_hash, seq, event_id, problem, head_now.keyed_from,
                            last_id)

    if last < head_now.seq:
        after = f"event {last} (id {last_id})" if last_id else (f"event {last}" if last else "no event")
        return broken(last + 1, f"events {last + 1} to {head_now.seq} were removed: the chain ends at {after} "
                                f"but its head row names event {head_now.seq}")
    if last > head_now.seq:  # only when starting from a checkpoint newer than the head
        return broken(head_now.seq, f"the head row names event {head_now.seq}, before the checkpointed event "
                                    f"{last}: it was moved back")
    if walked.head_hash != head_now.hash:
        return broken(last, f"event {last} is not the one the head row sealed: it was replaced, or events were "
                            "inserted before it", last_id)
    if head_now.keyed_from is None:
        if head_now.mac is not None:
            return broken(head_now.seq, "the head row is sealed but names no keyed start: it was altered")
    elif head_now.mac is None or not hmac.compare_digest(
            head_now.mac, head_mac(key, head_now.seq, head_now.hash, head_now.keyed_from)):
        return broken(head_now.seq, f"the head row (event {head_now.seq}) is not sealed by the chain key: "
                                    "it was moved or forged, and events after it may have been removed")
    # Rows beyond the head were written outside the chain (max first, then the head: a writer that commits
    # between the two statements has moved the head past its own rows, so this cannot raise a false alarm).
    newest = session.execute(select(func.max(AuditEvent.seq))).scalar() or 0
    current = _read_head(session)
    if current is not None and newest > current.seq:
        return broken(current.seq + 1, f"event {newest} lies beyond the chain's head (event {current.seq}): "
                                       "inserted outside the chain")
    return walked
