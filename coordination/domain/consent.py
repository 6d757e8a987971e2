"""Consent and lawful basis: the pure rules (docs/domain.md, "Consent").

Decisions written down here, and applied the same way by the disclosure engine's query:

- A consent is a *record of a decision*: who decided (`given_by`, in a `capacity`), permit or refuse, for
  which sections, to which recipients (named agencies and/or agency types), why (`purpose`), how
  (`method`), from `valid_from` until `expires_on`. It is never edited: a change is a new consent plus the
  withdrawal of the old one.
- Dates are England dates (Europe/London). A consent is live on the days `valid_from <= day < expires_on`:
  "expires on" is the first day it no longer holds. The default lifetime is 12 months (same date next
  year, 28 February for a 29 February start) and staff are reminded 4 weeks before expiry. A consent lasts
  at most 24 months, unless the reason for a longer one is recorded (`extended_reason`), and never more
  than 5 years; it starts no more than 12 months from the day it is recorded (consent_period_problems).
- A withdrawal takes effect at once and for good: a withdrawn consent is never live again, whatever the
  time asked about (there is no back-dating and no future-dating a withdrawal).
- Competence is never an age cut-off. A young person is presumed competent from 16 (`young_person`);
  a child under 16 decides for themself only when competence was assessed, by whom and when, is recorded
  (`competent_child`). A parent with parental responsibility decides as `parent_with_pr`.
- The young person's decision governs. The assessment is one family assessment, so every section is
  taken to be about every child in the family. For one section and one recipient, the live decisions
  that cover it are split into the young people's (young_person, competent_child) and the parents'. If any
  young person's decision covers it, the young people's decisions alone decide, and the parents' are
  shown to staff as a conflict but not applied. Within one level a refusal wins over a permit (two young
  people or two parents who disagree: the section is not shared under consent).
- A safeguarding disclosure by a manager is a separate authority, not a consent: it applies whatever the
  consents say (golden rule 3), to one named agency, for the sections listed, until it expires (at most
  90 days) or is revoked.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .calendar import ENGLAND, add_calendar, england_date  # noqa: F401  (re-exported for services)
from .people import age_on

DEFAULT_LIFETIME_MONTHS = 12
MAX_LIFETIME_MONTHS = 24           # longer only with a recorded reason
MAX_EXTENDED_LIFETIME_MONTHS = 60  # never longer, whatever the reason
MAX_START_AHEAD_MONTHS = 12
REMINDER_BEFORE_EXPIRY = dt.timedelta(weeks=4)
AGE_OF_PRESUMED_COMPETENCE = 16
# Below this age a competent child's own decision is unusual enough that the check page says so (a warning,
# not a rule: English law sets no age of competence).
AGE_COMPETENCE_WARNING = 12
COMPETENCE_UNDER_12 = "competence_under_12"  # the warning's stable code in the API
MAX_DISCLOSURE_DAYS = 90


class Capacity(StrEnum):
    PARENT_WITH_PR = "parent_with_pr"
    YOUNG_PERSON = "young_person"          # 16 or over: presumed competent
    COMPETENT_CHILD = "competent_child"    # under 16, competence assessed and recorded


YOUNG_PERSON_CAPACITIES = frozenset({Capacity.YOUNG_PERSON, Capacity.COMPETENT_CHILD})


class Decision(StrEnum):
    PERMIT = "permit"
    REFUSE = "refuse"


class ConsentMethod(StrEnum):
    WRITTEN = "written"
    VERBAL = "verbal"
    DIGITAL = "digital"


class ConsentState(StrEnum):
    LIVE = "live"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class DisclosureState(StrEnum):
    LIVE = "live"
    EXPIRED = "expired"
    REVOKED = "revoked"


class LawfulBasis(StrEnum):
    PUBLIC_TASK = "public_task"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"


@dataclass(frozen=True)
class LawfulBasisText:
    label: str
    article: str
    special_category: str


SAFEGUARDING_CONDITION = ("UK GDPR Art 9(2)(g) with DPA 2018 Sch 1 para 18 "
                          "(safeguarding of children and of individuals at risk)")

LAWFUL_BASES: dict[LawfulBasis, LawfulBasisText] = {
    LawfulBasis.PUBLIC_TASK: LawfulBasisText(
        "Public task", "UK GDPR Art 6(1)(e)", SAFEGUARDING_CONDITION),
    LawfulBasis.LEGAL_OBLIGATION: LawfulBasisText(
        "Legal obligation", "UK GDPR Art 6(1)(c)", SAFEGUARDING_CONDITION),
    LawfulBasis.VITAL_INTERESTS: LawfulBasisText(
        "Vital interests (emergency)", "UK GDPR Art 6(1)(d)", SAFEGUARDING_CONDITION),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """Same date N months on, clamped to the month's end (one calendar arithmetic for the service)."""
    return add_calendar(day, months=months)


def default_expiry(valid_from: dt.date) -> dt.date:
    return add_months(valid_from, DEFAULT_LIFETIME_MONTHS)


def consent_period_problems(valid_from: dt.date, expires_on: dt.date | None, today: dt.date,
                            extended_reason: str | None) -> dict[str, list[str]]:
    """The field map for a consent's period (empty when acceptable). `expires_on` None: the default."""
    if valid_from > add_months(today, MAX_START_AHEAD_MONTHS):
        return {"valid_from": [f"Consent must start within {MAX_START_AHEAD_MONTHS} months of today"]}
    end = expires_on or default_expiry(valid_from)
    if end <= valid_from:
        return {"expires_on": ["The expiry date must be after the date consent starts"]}
    if end <= today:
        return {"expires_on": ["The expiry date must be in the future"]}
    if end > add_months(valid_from, MAX_EXTENDED_LIFETIME_MONTHS):
        return {"expires_on": [f"Consent can last at most {MAX_EXTENDED_LIFETIME_MONTHS // 12} years: choose an "
                               "earlier expiry date and ask the family again then"]}
    if end > add_months(valid_from, MAX_LIFETIME_MONTHS) and not (extended_reason or "").strip():
        return {"extended_reason": [f"Enter why consent must last longer than {MAX_LIFETIME_MONTHS} months, or "
                                    "choose an earlier expiry date"]}
    return {}


def review_on(expires_on: dt.date) -> dt.date:
    """When staff are reminded to review the consent with the family."""
    return expires_on - REMINDER_BEFORE_EXPIRY


def consent_state(valid_from: dt.date, expires_on: dt.date, withdrawn: bool, today: dt.date) -> ConsentState:
    if withdrawn:
        return ConsentState.WITHDRAWN
    if today < valid_from:
        return ConsentState.NOT_YET_VALID
    if today >= expires_on:
        return ConsentState.EXPIRED
    return ConsentState.LIVE


def disclosure_state(expires_on: dt.date, revoked: bool, today: dt.date) -> DisclosureState:
    if revoked:
        return DisclosureState.REVOKED
    return DisclosureState.EXPIRED if today >= expires_on else DisclosureState.LIVE


def competence_problem(capacity: Capacity, date_of_birth: dt.date | None, today: dt.date,
                       competence_recorded: bool) -> str | None:
    """Why this child may not decide for themself in this capacity, or None when they may."""
    if capacity == Capacity.YOUNG_PERSON:
        if date_of_birth is None or age_on(date_of_birth, today) < AGE_OF_PRESUMED_COMPETENCE:
            return ("A young person is presumed able to decide from 16. For a younger child, record that "
                    "their competence was assessed (competent child)")
    if capacity == Capacity.COMPETENT_CHILD and not competence_recorded:
        return "Record who assessed the child's competence to decide, and when"
    return None


def competence_warning(capacity: Capacity | str, date_of_birth: dt.date | None, today: dt.date) -> str | None:
    """What to check before recording a competent child's own decision when the child is under 12, or None."""
    if capacity != Capacity.COMPETENT_CHILD or date_of_birth is None:
        return None
    age = age_on(date_of_birth, today)
    if age >= AGE_COMPETENCE_WARNING:
        return None
    return (f"This child is {age}. Children under {AGE_COMPETENCE_WARNING} are rarely able to decide about "
            "sharing their information for themselves. Check the competence assessment, or ask a parent with "
            "parental responsibility to decide")


def young_person_sections_problem(capacity: Capacity | str, keys: list[str], about_the_child: tuple[str, ...],
                                  titles: dict[str, str]) -> str | None:
    """A young person decides only about the sections about them; None when the chosen sections are all such."""
    if capacity not in YOUNG_PERSON_CAPACITIES or not set(keys) - set(about_the_child):
        return None
    names = ", ".join(titles.get(k, k) for k in about_the_child)
    return (f"A young person decides only about the sections about them ({names}). A parent with parental "
            "responsibility decides about the others")


def governing_decision(parent: list[Decision], young_people: list[Decision]) -> Decision | None:
    """The consent outcome for one section and one recipient (None: nobody has decided).

    The young people's decisions, if any, govern; within a level a refusal wins.
    """
    level = young_people or parent
    if not level:
        return None
    return Decision.REFUSE if Decision.REFUSE in level else Decision.PERMIT
