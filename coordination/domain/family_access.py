"""The family's own access: who may be invited, how long an invitation and a sign-in code last, how often a
code may be asked for, and what each member of the family may see (pure rules; services.family_view applies them).

- Who: a parent or carer with parental responsibility (the practitioner confirms it), or a young person from 13,
  or younger where a practitioner assessed them competent (Gillick), recorded with who assessed and when.
- An invitation is a single-use link, valid for 7 days. A sign-in code is 6 digits, lasts 10 minutes, works
  once, and dies after 5 wrong tries. At most 5 codes an hour are sent for one person, and 5 an hour to one
  email address (counted in the database, so every web process sees the same count).
- Nobody in the family sees the `safety` section unless a practitioner released it to them; a voice entry or a
  section confidential to a young person is seen by that young person only (no parent, no other child);
  nothing withheld for risk appears anywhere.
"""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from .people import age_on

INVITATION_DAYS = 7
CODE_MINUTES = 10
CODE_DIGITS = 6
MAX_CODE_TRIES = 5                 # wrong codes before a code stops working
CODES_PER_HOUR_PER_PERSON = 5
CODES_PER_HOUR_PER_ADDRESS = 5
YOUNG_PERSON_AGE = 13
HIDDEN_UNLESS_RELEASED = frozenset({"safety"})
MAX_EMAIL = 254


class FamilyCapacity(StrEnum):
    PARENT_WITH_PR = "parent_with_pr"
    YOUNG_PERSON = "young_person"          # 13 or over
    COMPETENT_CHILD = "competent_child"    # under 13, assessed competent


CAPACITY_LABELS = {
    FamilyCapacity.PARENT_WITH_PR: "Parent or carer with parental responsibility",
    FamilyCapacity.YOUNG_PERSON: "Young person",
    FamilyCapacity.COMPETENT_CHILD: "Young person (assessed as competent)",
}


def capacity_for(role: str, date_of_birth: dt.date | None, today: dt.date, *, has_parental_responsibility: bool,
                 competence_assessed: bool, as_young_person: bool = False) -> tuple[FamilyCapacity | None, str | None]:
    """The capacity a person is invited in, or (None, why not) in plain words. `as_young_person`: the inviter
    means to invite a young person, so anyone but a child is refused."""
    if as_young_person and role != "child":
        return None, "Only a child can be invited as a young person"
    if role == "parent_carer":
        if not has_parental_responsibility:
            return None, "Only a parent or carer with parental responsibility can be invited"
        return FamilyCapacity.PARENT_WITH_PR, None
    if role != "child":
        return None, "Only a parent or carer, or a young person, can be invited"
    if date_of_birth is not None and age_on(date_of_birth, today) >= YOUNG_PERSON_AGE:
        return FamilyCapacity.YOUNG_PERSON, None
    if competence_assessed:
        return FamilyCapacity.COMPETENT_CHILD, None
    return None, (f"A child under {YOUNG_PERSON_AGE} can be invited only when you have assessed that they are "
                  "competent to decide for themselves")


def is_young_person(capacity: str) -> bool:
    return capacity in (FamilyCapacity.YOUNG_PERSON, FamilyCapacity.COMPETENT_CHILD)


def invitation_expires(invited_at: dt.datetime) -> dt.datetime:
    return invited_at + dt.timedelta(days=INVITATION_DAYS)


def code_expires(sent_at: dt.datetime) -> dt.datetime:
    return sent_at + dt.timedelta(minutes=CODE_MINUTES)


def email_problem(email: str) -> str | None:
    """Why an address cannot be used, or None (a plain shape check: the practitioner checks it with them)."""
    email = email.strip()
    if not email:
        return "Enter their email address"
    if len(email) > MAX_EMAIL or " " in email or email.count("@") != 1:
        return "Enter an email address in the correct format, like name@example.com"
    local, _, domain = email.partition("@")
    if not local or "." not in domain or domain.startswith(".") or domain.endswith("."):
        return "Enter an email address in the correct format, like name@example.com"
    return None


def normalise_email(email: str) -> str:
    return email.strip().casefold()


def visible_sections(keys: list[str], released: set[str]) -> list[str]:
    """The section keys a family member reads: every one, less `safety` unless a practitioner released it."""
    return [k for k in keys if k not in HIDDEN_UNLESS_RELEASED or k in released]


def confidential_reader(capacity: str, person_id: object) -> object | None:
    """The one person whose confidential entries and sections a family member sees: a young person sees what is
    confidential to them (their own voice entries, a section about them); a parent sees none, nor does another
    child. The family view's repositories apply it in the query (repositories.family_access)."""
    return person_id if is_young_person(capacity) else None
