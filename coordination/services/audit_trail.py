"""Verify the audit chain (keyed, see `audit.chain`) against its head and the newest signed checkpoint; write
checkpoints. The chain key travels in the unit of work (`uow.audit_key`), as it does for every append."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import audit
from coordination.db import UnitOfWork


def seal(uow: UnitOfWork) -> int:
    """Chain every audit event committed but not yet chained (PostgreSQL); how many. Safe to run anywhere, any
    number of times at once: sealers queue on the chain's head."""
    return uow.seal_audit()


def _unsealed(result: audit.VerifyResult, now: dt.datetime) -> str:
    if not result.unsealed:
        return ""
    age = int((now - result.oldest_unsealed).total_seconds()) if result.oldest_unsealed else 0
    return f"; {result.unsealed} not sealed yet (the oldest {age} s old)"


@dataclass
class TrailReport:
    ok: bool
    count: int
    message: str
    bad_id: str | None = None
    bad_seq: int | None = None
    unsealed: int = 0  # committed events still waiting for the sealer: not yet covered by the chain


def verify_trail(uow: UnitOfWork, checkpoint_dir: Path, signing_key: bytes) -> TrailReport:
    """The whole chain from its first event, then the newest checkpoint. A failure names the first event that
    fails, by seq and id (for a removed tail: the first missing seq and the last event left)."""
    result = audit.verify(uow.session, uow.audit_key)
    if not result.ok:
        where = f"event {result.bad_seq} (id {result.bad_id})" if result.bad_id else f"event {result.bad_seq}"
        return TrailReport(False, result.count, f"{where}: {result.problem}", result.bad_id, result.bad_seq)
    checkpoint = audit.latest_checkpoint(checkpoint_dir)
    if checkpoint is not None:
        seq = checkpoint["head_seq"]
        problem = audit.verify_checkpoint(checkpoint, signing_key, audit.hash_at(uow.session, seq), result.count,
                                          result.keyed_from)
        if problem:
            event_id = audit.event_id_at(uow.session, seq)
            where = f"event {seq} (id {event_id})" if event_id else f"event {seq}"
            return TrailReport(False, result.count, f"{where}: {problem}", event_id, seq)
    return TrailReport(True, result.count, f"intact: {result.count} events{_unsealed(result, uow.now())}",
                       unsealed=result.unsealed)


def write_checkpoint(uow: UnitOfWork, checkpoint_dir: Path, signing_key: bytes) -> dict:
    """Sign the current head. Verifies only what was added since the newest checkpoint (from the first event
    when there is none, or it was signed by an earlier key), so checkpoints every few minutes stay cheap however
    long the trail grows. Refuses a broken chain, and one that no longer matches the newest checkpoint."""
    seal(uow)  # sign as far as every committed event, not just what the last sealer reached
    start_seq, start_hash = 0, audit.models.GENESIS_HASH
    previous = audit.latest_checkpoint(checkpoint_dir)
    # One signed by another key (the signing key was just changed) is skipped: verify from the first event.
    if previous is not None and audit.is_signed(previous, signing_key):
        at = audit.hash_at(uow.session, previous["head_seq"])
        keyed_from = audit.head_keyed_from(uow.session)
        # Its event still there with its hash: the chain up to it is as signed (the full `verify` walks it).
        problem = audit.verify_checkpoint(previous, signing_key, at, previous["count"], keyed_from)
        if problem:
            # A new checkpoint over a cut or rewritten chain would hide what the old one shows.
            raise RuntimeError(f"refusing to checkpoint: {problem}")
        start_seq, start_hash = previous["head_seq"], previous["head_hash"]
    result = audit.verify(uow.session, uow.audit_key, after_seq=start_seq, after_hash=start_hash)
    if not result.ok:
        raise RuntimeError(f"refusing to checkpoint a broken chain: event {result.bad_seq} ({result.problem})")
    return audit.write_checkpoint(checkpoint_dir, signing_key, result.count, result.head_seq, result.head_hash,
                                  result.keyed_from)
