"""The one place SQL differs between PostgreSQL and SQLite: date arithmetic and row locks.

Everything else in the repositories is the same SQL on both databases. SQLite stores dates and moments as
text (ISO 8601), so its arithmetic goes through julianday()/strftime(); PostgreSQL has date and interval
types. SQLite has no row locks: BEGIN IMMEDIATE (db.make_engine) already serialises writers there.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Date, Integer, Select, cast, func, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

S = TypeVar("S", bound=Select[Any])


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def days_between(session: Session, start: Any, stop: Any) -> ColumnElement[int]:
    """Calendar days from the date `start` to the date `stop`."""
    if _sqlite(session):
        return cast(func.julianday(stop) - func.julianday(start), Integer)
    return type_coerce(cast(stop, Date) - cast(start, Date), Integer)  # date - date is an integer in PostgreSQL


def hours_between(session: Session, start: Any, stop: Any) -> ColumnElement[float | Decimal]:
    """Hours (fractional) from the moment `start` to the moment `stop`."""
    if _sqlite(session):
        return (func.julianday(stop) - func.julianday(start)) * 24.0
    return func.extract("epoch", stop - start) / 3600.0


def month_text(session: Session, day: Any) -> ColumnElement[str]:
    """The month of a date as "YYYY-MM"."""
    if _sqlite(session):
        return func.strftime("%Y-%m", day)
    return func.to_char(day, "YYYY-MM")


def month_start(session: Session, day: Any) -> ColumnElement[Any]:
    """The first day of a date's month, as a date."""
    if _sqlite(session):
        return func.date(day, "start of month")
    return cast(func.date_trunc("month", day), Date)


def skip_locked(session: Session, query: S) -> S:
    """Lock the rows a claim selects, skipping rows another transaction holds (PostgreSQL); SQLite has no row
    locks and needs none (its writers queue behind BEGIN IMMEDIATE). FOR NO KEY UPDATE: a claim changes no key,
    so it does not wait for (or skip) a row that another transaction only references, such as a handler's
    ProcessedMessage insert holding the message's FOR KEY SHARE lock."""
    if _sqlite(session):
        return query
    return query.with_for_update(skip_locked=True, key_share=True)
