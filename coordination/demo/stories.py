"""Fictional family stories for the demo borough, written as families tell them.

The text is data, in `stories.toml` beside this module: themes (situations early help teams meet often:
money, domestic abuse, anxiety, SEND, caring, grief, housing, a new baby, exploitation, recovery, behaviour,
a new arrival) and the phrases the demo fills in with each family's invented names, ages and school.
Nothing there describes a real family.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Theme:
    key: str
    focus_ages: tuple[int, int]          # the child the story is mostly about
    story: tuple[str, ...]
    worries: str
    health: str
    plan: tuple[tuple[str, str, str, str], ...]   # goal, action, who, by when
    helpers: tuple[str, ...]                      # agencies in the team around the family
    safety: str | None = None
    voice: tuple[str, ...] = field(default_factory=tuple)   # the focus child, aged 8+
    mother: bool = False        # the story is told by the children's mother (e.g. postnatal depression)
    couple: bool = False        # the story mentions a partner at home
    min_children: int = 1


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _theme(raw: dict[str, Any]) -> Theme:
    return Theme(**{name: _tuples(value) for name, value in raw.items()})


_DATA = tomllib.loads((Path(__file__).with_name("stories.toml")).read_text(encoding="utf-8"))

THEMES: tuple[Theme, ...] = tuple(_theme(raw) for raw in _DATA["themes"])
OPENING_CLOSE: tuple[str, ...] = _tuples(_DATA["opening_close"])
STRENGTHS: tuple[str, ...] = _tuples(_DATA["strengths"])
PARENTING: tuple[str, ...] = _tuples(_DATA["parenting"])
ENVIRONMENT: tuple[str, ...] = _tuples(_DATA["environment"])
TEAM_CLOSE: str = _DATA["team_close"]
CHILD_LINES: dict[str, str] = dict(_DATA["child_lines"])
INTERESTS: tuple[str, ...] = _tuples(_DATA["interests"])
COURSES: tuple[str, ...] = _tuples(_DATA["courses"])
# Voice entries (method, text) by age band for children who are not the theme's focus, or are too young for it.
VOICE_BY_AGE: dict[str, tuple[tuple[str, str], ...]] = {k: _tuples(v) for k, v in _DATA["voice_by_age"].items()}


def age_band(age: int) -> str:
    if age < 1:
        return "baby"
    if age < 5:
        return "toddler"
    if age < 11:
        return "primary"
    if age < 16:
        return "secondary"
    return "older"


def school_year(age: int) -> str:
    """Approximate English school year for an age (Reception at 4–5)."""
    if age < 5:
        return "Reception"
    return f"Year {min(age - 4, 13)}"
