"""Paging, sorting and filtering a list page through GET links (no JavaScript): the query parsed by
domain.listing, and what the templates need to draw it (sortable column headers, the GOV.UK pagination
component). `components/listing.html` draws them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from coordination.domain.listing import ListQuery, ListSpec, Page, page_numbers, parse


def query_of(spec: ListSpec) -> ListQuery:
    """This request's list parameters (unusable ones at their defaults)."""
    return parse(spec, request.args)


@dataclass
class Listing:
    """A page of a list, its query and the address it lives at, for `components/listing.html`."""

    page: Page
    query: ListQuery
    endpoint: str
    view_args: dict[str, Any]
    fragment: str | None = None

    @property
    def items(self) -> list:
        return self.page.items

    def url(self, **changes: Any) -> str:
        return url_for(self.endpoint, **self.view_args, **self.query.args(**changes),
                       _anchor=self.fragment)

    def sort_url(self, key: str) -> str:
        """Sort by `key` (first page); sorting by the current key again reverses the order."""
        descending = not self.query.descending if key == self.query.sort else False
        return self.url(sort=key, order="desc" if descending else "asc", page=None)

    def aria_sort(self, key: str) -> str:
        if key != self.query.sort:
            return "none"
        return "descending" if self.query.descending else "ascending"

    def pagination(self) -> dict | None:
        """The params of govukPagination, or None for a list that fits one page."""
        page = self.page
        if page.pages <= 1:
            return None
        items: list[dict] = []
        for number in page_numbers(page.number, page.pages):
            if number is None:
                items.append({"ellipsis": True})
            else:
                items.append({"number": number, "href": self.url(page=number), "current": number == page.number})
        params: dict[str, Any] = {"items": items}
        if page.number > 1:
            params["previous"] = {"href": self.url(page=page.number - 1)}
        if page.number < page.pages:
            params["next"] = {"href": self.url(page=page.number + 1)}
        return params
