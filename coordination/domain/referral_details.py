"""What a receiving team reads about the people behind a referral, and which covered section allows each detail.

A referral names its child, so the receiving team always sees the child's name: it cannot act on a referral
without knowing whom it is about. Every other detail leaves the case-holding team only under the authority that
lets the assessment's sections leave it (a live consent, or a manager's safeguarding disclosure under its lawful
basis, as the disclosure engine answers for the receiving agency today), tied to the sections whose information
it is:

- the child's date of birth: any covered section (each speaks about the child);
- the parents and carers in the household (their names): a covered section that is the family's (not one about
  the child alone, which a young person may decide about for themself: domain/sections.toml `about_the_child`);
- the family's current address: the family's home, `family_environment` ("Home, money, work and community").

The team that holds the family's case reads all of them. Pure: the callers ask the disclosure engine.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .sections import ABOUT_THE_CHILD

CHILD_NAME = "child_name"
DATE_OF_BIRTH = "date_of_birth"
PARENTS = "parents"
ADDRESS = "address"
HOME_SECTION = "family_environment"


@dataclass(frozen=True)
class Detail:
    key: str
    title: str


DETAILS = (Detail(CHILD_NAME, "The child's name"), Detail(DATE_OF_BIRTH, "The child's date of birth"),
           Detail(PARENTS, "Parents and carers"), Detail(ADDRESS, "The family's address"))
TITLES = {d.key: d.title for d in DETAILS}


def details_allowed(covered: Iterable[str], *, holds_case: bool = False,
                    about_the_child: Iterable[str] = ABOUT_THE_CHILD) -> dict[str, tuple[str, ...]]:
    """{detail key: the covered sections that allow it}, in DETAILS order, for the details the team may read; the
    child's name (and everything, for the case holder) with no section named."""
    if holds_case:
        return {d.key: () for d in DETAILS}
    keys = list(dict.fromkeys(covered))
    child_only = set(about_the_child)
    allowed: dict[str, tuple[str, ...]] = {CHILD_NAME: ()}
    if keys:
        allowed[DATE_OF_BIRTH] = tuple(keys)
    family = tuple(k for k in keys if k not in child_only)
    if family:
        allowed[PARENTS] = family
    if HOME_SECTION in keys:
        allowed[ADDRESS] = (HOME_SECTION,)
    return allowed
