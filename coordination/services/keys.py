"""Key rotation: re-encrypt every protected field under the newest key, in batches."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import func, select

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.models import ENCRYPTED_MODELS


def count_rows(uow: UnitOfWork) -> int:
    return sum(uow.session.execute(select(func.count()).select_from(m)).scalar_one() for m in ENCRYPTED_MODELS)


def rotate(uow: UnitOfWork, actor: Actor, batch_size: int = 500,
           progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Re-encrypt in batches of `batch_size` rows, committing each batch with an audit event; returns
    counts of fields re-encrypted per table. Safe to interrupt and run again."""
    counts: dict[str, int] = {}
    for model in ENCRYPTED_MODELS:
        changed = 0
        for batch in _batches(uow, model, batch_size):
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


def _batches(uow: UnitOfWork, model, size: int) -> Iterator[list]:
    last = None
    while True:
        query = select(model).order_by(model.id).limit(size)
        if last is not None:
            query = query.where(model.id > last)
        rows = list(uow.session.execute(query).scalars())
        if not rows:
            return
        last = rows[-1].id
        yield rows
