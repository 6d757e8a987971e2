"""The default assessment template (docs/domain.md), as data in sections.toml. Keys are stable; titles are what
families read."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Sensitivity(StrEnum):
    STANDARD = "standard"
    SPECIAL_CATEGORY = "special_category"
    SAFEGUARDING = "safeguarding"


@dataclass(frozen=True)
class SectionTemplate:
    key: str
    title: str
    sensitivity: Sensitivity
    hint: str
    about_the_child: bool = False
    optional: bool = False


SECTIONS_FILE = Path(__file__).with_name("sections.toml")


def _load_template() -> tuple[SectionTemplate, ...]:
    with SECTIONS_FILE.open("rb") as fh:
        rows = tomllib.load(fh)["section"]
    return tuple(SectionTemplate(r["key"], r["title"], Sensitivity(r["sensitivity"]), r["hint"],
                                 bool(r.get("about_the_child", False)), bool(r.get("optional", False)))
                 for r in rows)


DEFAULT_TEMPLATE: tuple[SectionTemplate, ...] = _load_template()  # sections.toml, in order

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in DEFAULT_TEMPLATE)
# The sections a young person may decide about for themself (their own information, not the family's).
ABOUT_THE_CHILD: tuple[str, ...] = tuple(s.key for s in DEFAULT_TEMPLATE if s.about_the_child)
# Sections that need not be completed before the assessment is agreed (any other key, even one an authority
# adds, is required).
OPTIONAL_SECTIONS: frozenset[str] = frozenset(s.key for s in DEFAULT_TEMPLATE if s.optional)


class VoiceMethod(StrEnum):
    OWN_WORDS = "own_words"
    DRAWING = "drawing"
    ADVOCATE = "advocate"
    OBSERVATION = "observation"


VOICE_METHOD_LABELS = {
    VoiceMethod.OWN_WORDS: "In their own words",
    VoiceMethod.DRAWING: "A drawing or other media, described in words",
    VoiceMethod.ADVOCATE: "Through an advocate",
    VoiceMethod.OBSERVATION: "Observation (for a pre-verbal or non-verbal child)",
}


class PersonRole(StrEnum):
    CHILD = "child"
    PARENT_CARER = "parent_carer"
    OTHER = "other"
