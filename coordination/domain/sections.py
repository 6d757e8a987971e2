"""The default assessment template (docs/domain.md). Keys are stable; titles are what families read."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


DEFAULT_TEMPLATE: tuple[SectionTemplate, ...] = (
    SectionTemplate("family_story", "Our story: what has happened", Sensitivity.SPECIAL_CATEGORY,
                    "In the family's own words: what has happened and why they asked for help."),
    SectionTemplate("child_voice", "What the children want you to know", Sensitivity.SPECIAL_CATEGORY,
                    "A summary; each child's own words are recorded separately and never edited."),
    SectionTemplate("strengths", "What is working well", Sensitivity.STANDARD,
                    "What the family does well, people who help, what has worked before."),
    SectionTemplate("worries", "What we are worried about", Sensitivity.SPECIAL_CATEGORY,
                    "What the family and the people helping are worried about, and why."),
    SectionTemplate("child_development", "Growing up: health, learning, feelings, identity, relationships",
                    Sensitivity.SPECIAL_CATEGORY, "Each child's developmental needs."),
    SectionTemplate("parenting", "Caring for the children", Sensitivity.SPECIAL_CATEGORY,
                    "Basic care, safety, warmth, stimulation, guidance and boundaries, stability."),
    SectionTemplate("family_environment", "Home, money, work and community", Sensitivity.STANDARD,
                    "Family history, wider family, housing, work, income, community."),
    SectionTemplate("health", "Health and wellbeing", Sensitivity.SPECIAL_CATEGORY,
                    "Physical and mental health of the children and the adults."),
    SectionTemplate("education_send", "School, learning and SEND", Sensitivity.SPECIAL_CATEGORY,
                    "Attendance, learning, special educational needs and disabilities."),
    SectionTemplate("safety", "Safety: abuse, exploitation, substance use", Sensitivity.SAFEGUARDING,
                    "Any risk of harm, exploitation, domestic abuse or substance use."),
    SectionTemplate("family_plan", "Our plan: goals, actions, who and when", Sensitivity.STANDARD,
                    "What the family wants to change, the actions, who will do them and by when."),
    SectionTemplate("team_around_family", "The people helping us", Sensitivity.STANDARD,
                    "The lead practitioner and each agency helping the family."),
)

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in DEFAULT_TEMPLATE)


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
