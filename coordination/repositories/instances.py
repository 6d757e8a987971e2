"""Running app instances and the key ids they announced. Not case data: no actor scope applies."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coordination.models import AppInstance


def get(session: Session, instance_id: str) -> AppInstance | None:
    return session.get(AppInstance, instance_id)


def add(session: Session, row: AppInstance) -> None:
    session.add(row)
    session.flush()


def seen_since(session: Session, since: dt.datetime) -> list[AppInstance]:
    return list(session.execute(
        select(AppInstance).where(AppInstance.last_seen >= since).order_by(AppInstance.host, AppInstance.id)
    ).scalars())


def forget_older_than(session: Session, before: dt.datetime) -> None:
    session.execute(delete(AppInstance).where(AppInstance.last_seen < before))
