"""Key rotation: re-encrypt every protected field under the newest key, in batches."""
from __future__ import annotations

from collections.abc import Callable

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.models import ENCRYPTED_MODELS
from coordination.repositories import encrypted_rows


def count_rows(uow: UnitOfWork) -> int:
    return sum(encrypted_rows.count(uow.session, m) for m in ENCRYPTED_MODELS)


def rotate(uow: UnitOfWork, actor: Actor, batch_size: int = 500,
           progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Re-encrypt in batches of `batch_size` rows, committing each batch with an audit event; returns
    counts of fields re-encrypted per table. Safe to interrupt and run again."""
    counts: dict[str, int] = {}
    for model in ENCRYPTED_MODELS:
        changed = 0
        for batch in encrypted_rows.batches(uow.session, model, batch_size):
            for row in batch:
                for field in model.__encrypted__:
                    ct = getattr(row, f"{field}_ct")
                    if ct is not None and uow.keys.needs_rotation(ct):
                        row.seal(uow.keys, field, row.unseal(uow.keys, field))
                        changed += 1
            uow.audit(actor, "key_rotation", model.__tablename__, None, rows=len(batch), key_id=uow.keys.current_id)
            uow.commit()
            uow.session.expunge_all()
            progress(len(batch))
        counts[model.__tablename__] = changed
    return counts

