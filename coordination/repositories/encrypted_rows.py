"""Rows of the models that hold encrypted fields, read in id order for key rotation (services.keys)."""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload


def count(session: Session, model: type[Any]) -> int:
    """Rows of a mapped model (one of models.ENCRYPTED_MODELS)."""
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def batches(session: Session, model: type[Any], size: int, load: tuple = ()) -> Iterator[list[Any]]:
    """The model's rows in batches of `size`, in id order, with the relationships in `load` read alongside (one
    query each per batch, not one per row); each batch is read after the caller has finished with the previous
    one (so it may commit and expunge in between)."""
    last: uuid.UUID | None = None
    while True:
        query = select(model).order_by(model.id).limit(size).options(*(selectinload(r) for r in load))
        if last is not None:
            query = query.where(model.id > last)
        rows = list(session.execute(query).scalars())
        if not rows:
            return
        last = rows[-1].id
        yield rows
