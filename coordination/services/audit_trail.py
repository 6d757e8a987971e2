"""Verify the audit chain against the newest signed checkpoint; write checkpoints."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import audit
from coordination.db import UnitOfWork


@dataclass
class TrailReport:
    ok: bool
    count: int
    message: str
    bad_id: str | None = None
    bad_seq: int | None = None


def verify_trail(uow: UnitOfWork, checkpoint_dir: Path, signing_key: bytes) -> TrailReport:
    result = audit.verify(uow.session)
    if not result.ok:
        return TrailReport(False, result.count, f"event {result.bad_seq} (id {result.bad_id}): {result.problem}",
                           result.bad_id, result.bad_seq)
    checkpoint = audit.latest_checkpoint(checkpoint_dir)
    if checkpoint is not None:
        at = audit.hash_at(uow.session, checkpoint["head_seq"])
        problem = audit.verify_checkpoint(checkpoint, signing_key, at, result.count)
        if problem:
            return TrailReport(False, result.count, problem)
    return TrailReport(True, result.count, f"intact: {result.count} events")


def write_checkpoint(uow: UnitOfWork, checkpoint_dir: Path, signing_key: bytes) -> dict:
    """Sign the current head. Verifies from the newest checkpoint that still matches the chain (or from
    the start), so hourly checkpoints stay cheap however long the trail grows."""
    start_seq, start_hash = 0, audit.models.GENESIS_HASH
    previous = audit.latest_checkpoint(checkpoint_dir)
    if previous is not None:
        at = audit.hash_at(uow.session, previous["head_seq"])
        if audit.verify_checkpoint(previous, signing_key, at, previous["count"]) is None:
            start_seq, start_hash = previous["head_seq"], previous["head_hash"]
    result = audit.verify(uow.session, after_seq=start_seq, after_hash=start_hash)
    if not result.ok:
        raise RuntimeError(f"refusing to checkpoint a broken chain: event {result.bad_seq} ({result.problem})")
    return audit.write_checkpoint(checkpoint_dir, signing_key, result.count, result.head_seq, result.head_hash)
