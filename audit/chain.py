"""Hash chain: append and verify.

hash(n) = SHA-256( hash(n-1) || canonical(event n) ). `verify` recomputes every hash in seq order and
names the first event that does not match (edited, deleted, reordered or inserted rows all break it).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .events import NewEvent
from .models import GENESIS_HASH, AuditChainHead, AuditEvent

_HASHED_FIELDS = (
    "seq", "id", "occurred_at", "action", "actor_kind", "actor_user_id", "actor_key_id", "actor_agency_id",
    "record_type", "record_id", "family_id", "sections", "authority", "reason", "details", "request_id",
)


def _utc_text(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def canonical(event: AuditEvent) -> bytes:
    body = {}
    for name in _HASHED_FIELDS:
        value = getattr(event, name)
        if name == "occurred_at":
            value = _utc_text(value)
        body[name] = value
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(event)).hexdigest()


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


def record(session: Session, events: Iterable[NewEvent], now: dt.datetime | None = None) -> list[AuditEvent]:
    """Append events to the chain in the caller's transaction. Call it last, just before commit:
    the head row stays locked until the transaction ends."""
    events = list(events)
    if not events:
        return []
    head_row = _lock_head(session)
    seq, prev = head_row.seq, head_row.hash
    moment = now or dt.datetime.now(dt.UTC)
    written: list[AuditEvent] = []
    for new in events:
        seq += 1
        data = asdict(new)
        data["sections"] = sorted(set(data["sections"] or []))
        row = AuditEvent(seq=seq, id=str(uuid.uuid4()), occurred_at=moment, prev_hash=prev, hash="", **data)
        row.hash = compute_hash(prev, row)
        prev = row.hash
        session.add(row)
        written.append(row)
    head_row.seq, head_row.hash = seq, prev
    session.flush()
    return written


@dataclass
class VerifyResult:
    ok: bool
    count: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    bad_id: str | None = None
    problem: str | None = None


def head(session: Session) -> tuple[int, str]:
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)


def hash_at(session: Session, seq: int) -> str | None:
    """The hash of event `seq`, or None when there is no such event (a checkpoint beyond a truncated chain)."""
    return session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar_one_or_none()


def verify(session: Session, batch: int = 5000, *, after_seq: int = 0, after_hash: str = GENESIS_HASH) -> VerifyResult:
    """Walk the chain in seq order, in batches, recomputing every hash.

    By default from the first event; `after_seq`/`after_hash` start from a trusted point (a verified,
    signed checkpoint), so a scheduled checkpoint only reads what was added since the last one. `count`
    is then the number of events up to the head, trusting the checkpoint for those before it.
    """
    expected_seq, prev, count = after_seq + 1, after_hash, after_seq
    last_seq = after_seq
    while True:
        rows = session.execute(
            select(AuditEvent).where(AuditEvent.seq >= expected_seq).order_by(AuditEvent.seq).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for row in rows:
            if row.seq != expected_seq:
                return VerifyResult(False, count, last_seq, prev, row.seq, row.id,
                                    f"gap in the chain: expected event {expected_seq}, found {row.seq}")
            if row.prev_hash != prev:
                return VerifyResult(False, count, last_seq, prev, row.seq, row.id,
                                    "does not follow the event before it (deleted, inserted or reordered)")
            if compute_hash(prev, row) != row.hash:
                return VerifyResult(False, count, last_seq, prev, row.seq, row.id,
                                    "its content does not match its hash (edited)")
            prev, last_seq, count = row.hash, row.seq, count + 1
            expected_seq += 1
        session.expunge_all()
    return VerifyResult(True, count, last_seq, prev)
