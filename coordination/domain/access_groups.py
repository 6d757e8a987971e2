"""How the access log folds repeated views into one row (pure): the same recipient (person or system key, of the
same agency), the same sections, under the same authorities, on the same day in England is one row with a
count, the first and the last time. A family reading its log sees "Riverside Primary School looked at what is
working well 4 times on 3 March", not four rows; nothing is dropped, only counted.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")
PAGE_SIZE = 50

E = TypeVar("E")


@dataclass
class Group(Generic[E]):
    day: dt.date
    first: dt.datetime
    last: dt.datetime
    entries: list[E] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def newest(self) -> E:
        return self.entries[0]


def group(entries: Iterable[E], at: Callable[[E], dt.datetime], key: Callable[[E], Hashable]) -> list[Group[E]]:
    """Fold entries given newest first into groups, newest first, keeping each group's entries newest first."""
    groups: dict[tuple[dt.date, Hashable], Group[E]] = {}
    for entry in entries:
        moment = at(entry)
        day = moment.astimezone(ENGLAND).date()
        found = groups.get((day, key(entry)))
        if found is None:
            groups[(day, key(entry))] = Group(day, moment, moment, [entry])
        else:
            found.entries.append(entry)
            found.first = min(found.first, moment)
            found.last = max(found.last, moment)
    return sorted(groups.values(), key=lambda g: g.last, reverse=True)


@dataclass(frozen=True)
class Page:
    number: int
    count: int  # how many pages in all (at least 1)
    start: int  # index of the first item on this page
    stop: int


def page_of(total: int, requested: int | None, size: int = PAGE_SIZE) -> Page:
    """The requested page (1-based) clamped to those that exist."""
    count = max(1, -(-total // size))
    number = min(max(1, requested or 1), count)
    start = (number - 1) * size
    return Page(number, count, start, min(total, start + size))
