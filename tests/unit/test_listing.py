"""The one rule for a list's GET parameters: unusable values fall back to defaults; pages clamp; GOV.UK numbers."""
from coordination.domain.listing import ListSpec, page_numbers, page_of, parse

SPEC = ListSpec(sorts=("due", "name"), default_sort="due", filters={"kind": {"a", "b"}, "q": None}, per_page=2)


def test_bad_parameters_fall_back_to_the_defaults():
    query = parse(SPEC, {"page": "-1", "sort": "password", "order": "sideways", "kind": "c", "q": "x" * 101})
    assert (query.page, query.sort, query.descending, dict(query.filters)) == (1, "due", False, {})
    good = parse(SPEC, {"page": "3", "sort": "name", "order": "desc", "kind": "a", "q": " Ash "})
    assert (good.page, good.sort, good.descending, dict(good.filters)) == (3, "name", True, {"kind": "a", "q": "Ash"})
    assert good.args(page=1) == {"sort": "name", "order": "desc", "kind": "a", "q": "Ash"}


def test_a_page_past_the_end_is_the_last_and_missing_values_sort_last():
    rows = [{"n": 3}, {"n": None}, {"n": 1}, {"n": 2}, {"n": 5}]
    page = page_of(rows, parse(SPEC, {"page": "9", "sort": "name"}), {"name": lambda r: r["n"]})
    assert (page.number, page.pages, page.items) == (3, 3, [{"n": None}])
    first = page_of(rows, parse(SPEC, {"sort": "name", "order": "desc"}), {"name": lambda r: r["n"]})
    assert first.items == [{"n": 5}, {"n": 3}] and (first.first_item, first.last_item, first.total) == (1, 2, 5)


def test_page_numbers_leave_gaps_as_ellipses():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert page_numbers(2, 4) == [1, 2, 3, 4]
