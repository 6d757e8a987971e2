"""The one text rule (coordination.domain.text) and its JSON Schema pattern say the same thing."""
from __future__ import annotations

import re

import pytest

from coordination.domain.text import PATTERN, bad_cells, is_plain_text

ALLOWED = ["", "Rowan O’Brien", "line one\r\nline two\ttabbed", "emoji 🙂 and é", "DEL \x7f", "\u200b"]
CONTROLS = ["\x00", "a\x01b", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x1f"]


@pytest.mark.parametrize("value", ALLOWED)
def test_text_people_write_is_allowed(value):
    assert is_plain_text(value) and re.match(PATTERN, value)


@pytest.mark.parametrize("value", CONTROLS)
def test_controls_are_refused_by_the_rule_and_its_pattern(value):
    assert not is_plain_text(value) and not re.match(PATTERN, value)


@pytest.mark.parametrize("value", ["\ud800", "x\udfff", "\udbff\udbff"])
def test_lone_surrogates_are_refused_by_the_rule(value):
    assert not is_plain_text(value)


def test_bad_cells_names_line_and_column():
    assert list(bad_cells([(2, ["ok", "b\x00d"]), (3, ["\x1b", "ok"])])) == [(2, 1), (3, 0)]
