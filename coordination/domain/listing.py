"""Lists that page, sort and filter through GET query parameters (the team caseload, the caseload, the referrals
inbox, the due list, tasks and the access log): the one rule for reading `?page=&sort=&order=&<filter>=`.

A parameter that cannot be used falls back to its default (page 1, the list's default order, no filter): a link
someone kept or typed never breaks the page. What a list may be sorted and filtered by is declared per list
(`ListSpec`), so nothing a user types reaches a query except one of the declared values.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

PER_PAGE = 25
MAX_PAGE = 10_000
MAX_SEARCH = 100


@dataclass(frozen=True)
class ListSpec:
    """What one list accepts. `filters`: name → the values allowed (None: free text up to MAX_SEARCH)."""

    sorts: tuple[str, ...]
    default_sort: str
    default_descending: bool = False
    filters: Mapping[str, Collection[str] | None] = field(default_factory=dict)
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class ListQuery:
    page: int
    sort: str
    descending: bool
    per_page: int
    filters: Mapping[str, str]

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query parameters of this list with `changes` (None drops one): links keep the other choices."""
        current: dict[str, Any] = {"sort": self.sort, "order": "desc" if self.descending else "asc",
                                   "page": self.page, **self.filters}
        current.update(changes)
        return {k: v for k, v in current.items() if v not in (None, "") and not (k == "page" and v == 1)}


def parse(spec: ListSpec, args: Mapping[str, str]) -> ListQuery:
    """The list's parameters from a request's query string, each unusable one replaced by its default."""
    raw_page = (args.get("page") or "").strip()
    page = int(raw_page) if raw_page.isdigit() and 0 < int(raw_page) <= MAX_PAGE else 1
    sort = args.get("sort") or ""
    if sort not in spec.sorts:
        sort = spec.default_sort
    order = args.get("order")
    descending = order == "desc" if order in ("asc", "desc") else spec.default_descending
    filters: dict[str, str] = {}
    for name, allowed in spec.filters.items():
        value = (args.get(name) or "").strip()
        if not value:
            continue
        if allowed is None:
            if len(value) <= MAX_SEARCH:
                filters[name] = value
        elif value in allowed:
            filters[name] = value
    return ListQuery(page=page, sort=sort, descending=descending, per_page=spec.per_page, filters=filters)


@dataclass
class Page(Generic[T]):
    """One page of a list: its items, and where it sits (a page past the end is the last page)."""

    items: list[T]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_item(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.per_page + 1

    @property
    def last_item(self) -> int:
        return min(self.total, self.number * self.per_page)


def last_page(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def clamp(query: ListQuery, total: int) -> ListQuery:
    """The query on a page that exists (a page past the end becomes the last one)."""
    number = min(query.page, last_page(total, query.per_page))
    if number == query.page:
        return query
    return ListQuery(page=number, sort=query.sort, descending=query.descending, per_page=query.per_page,
                     filters=query.filters)


def page_of(items: Sequence[T], query: ListQuery, keys: Mapping[str, Callable[[T], Any]] | None = None) -> Page[T]:
    """Sort (by `keys[query.sort]`, None last whichever the order) and cut one page of a list already scoped to
    what its reader may see. Lists small enough to be read whole (one agency's tasks, one family's access log)."""
    rows = list(items)
    key = (keys or {}).get(query.sort)
    if key is not None:
        present = [r for r in rows if key(r) is not None]
        absent = [r for r in rows if key(r) is None]
        rows = sorted(present, key=key, reverse=query.descending) + absent
    query = clamp(query, len(rows))
    return Page(items=rows[query.offset: query.offset + query.per_page], total=len(rows), number=query.page,
                per_page=query.per_page)


def page_numbers(number: int, pages: int) -> list[int | None]:
    """The page numbers to offer, GOV.UK style: the first, the last, the current and its neighbours; None
    where numbers are left out (an ellipsis)."""
    wanted = sorted({1, pages, number - 1, number, number + 1} & set(range(1, pages + 1)))
    out: list[int | None] = []
    for n in wanted:
        if out and isinstance(out[-1], int) and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out
