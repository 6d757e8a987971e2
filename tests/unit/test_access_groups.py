"""Folding repeated views into one row, and paging (coordination.domain.access_groups)."""
from __future__ import annotations

import datetime as dt

from coordination.domain.access_groups import group, page_of

UTC = dt.UTC


def at(h, d=3, m=3):
    return dt.datetime(2026, m, d, h, 0, tzinfo=UTC)


def test_same_recipient_and_sections_on_one_day_fold_into_one_row_newest_first():
    reads = [("school", ("strengths",), at(15)), ("school", ("strengths",), at(11)), ("police", ("safety",), at(10)),
             ("school", ("strengths",), at(9)), ("school", ("health", "strengths"), at(8)),
             ("school", ("strengths",), at(16, d=2))]
    groups = group(reads, at=lambda r: r[2], key=lambda r: (r[0], r[1]))
    assert [(g.newest[0], g.newest[1], g.count, g.day.day) for g in groups] == [
        ("school", ("strengths",), 3, 3), ("police", ("safety",), 1, 3), ("school", ("health", "strengths"), 1, 3),
        ("school", ("strengths",), 1, 2)]
    assert (groups[0].first, groups[0].last) == (at(9), at(15))


def test_the_day_is_englands_not_utcs():
    late = dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in England (BST)
    early = dt.datetime(2026, 7, 2, 8, 0, tzinfo=UTC)
    [one] = group([early, late], at=lambda r: r, key=lambda r: "same")
    assert one.count == 2 and one.day == dt.date(2026, 7, 2)


def test_pages_hold_fifty_and_a_page_past_the_end_shows_the_last():
    assert page_of(0, None) == page_of(0, 3)
    assert (page_of(0, None).count, page_of(0, None).start, page_of(0, None).stop) == (1, 0, 0)
    assert (page_of(120, 2).start, page_of(120, 2).stop, page_of(120, 2).count) == (50, 100, 3)
    assert (page_of(120, 9).number, page_of(120, 9).start, page_of(120, 9).stop) == (3, 100, 120)
    assert page_of(120, -4).number == 1
