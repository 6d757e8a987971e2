"""Matching each row's child to a child already recorded (by NHS number, then UPN, then name and date of birth,
through the blind indexes services.families computes), or to one new child for every row that identifies them.

A record with a different NHS number or UPN is a different child, whatever the name; a match with a different
date of birth, or one that would be ambiguous, is a problem for the person fixing the file, never a guess.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.people import NewPerson
from coordination.domain.sections import PersonRole
from coordination.models import Family, Person
from coordination.repositories import referral_import as repo
from coordination.services.families import person_digests

from .rows import Add

_KINDS = ("nhs", "upn", "name_dob")
_WHAT = {"nhs": "NHS number", "upn": "UPN", "name_dob": "name and date of birth"}
_COLUMN = {"nhs": "nhs_number", "upn": "upn", "name_dob": "given_name"}


@dataclass
class Child:
    """A child the import refers: one already recorded (`existing`), or one to create (first row's details)."""

    given_name: str
    family_name: str
    date_of_birth: dt.date
    nhs_number: str | None = None
    upn: str | None = None
    ward: str | None = None
    nhs_digest: str | None = None
    upn_digest: str | None = None
    person_id: uuid.UUID | None = None
    family_id: uuid.UUID | None = None
    family_ward: str | None = None
    owning_agency_id: uuid.UUID | None = None
    existing: bool = False

    def as_new_person(self) -> NewPerson:
        return NewPerson(PersonRole.CHILD.value, self.given_name, self.family_name, self.date_of_birth,
                         nhs_number=self.nhs_number, upn=self.upn)


class Children:
    """Every row's child, matched: `note` each row's identity, `load` the people they may be, then `resolve`."""

    def __init__(self, uow: UnitOfWork):
        self.uow = uow
        self.digests: set[str] = set()
        self.by_digest: dict[str, list[Person]] = {}
        self.families: dict[uuid.UUID, Family] = {}
        self.new: dict[str, Child] = {}        # digest → a child this import creates
        self.existing: dict[uuid.UUID, Child] = {}

    def note(self, cells: NewPerson | None) -> None:
        if cells is not None:
            self.digests.update(d for d in self._digests(cells).values() if d)

    def _digests(self, cells: NewPerson) -> dict[str, str | None]:
        d = person_digests(self.uow.blind, cells)
        return {"nhs": d["nhs_number_bidx"], "upn": d["upn_bidx"], "name_dob": d["name_dob_bidx"]}

    def load(self) -> None:
        """The people already recorded whom a noted identity may be, and their families (in batches)."""
        for person in repo.people_matching(self.uow.session, self.digests):
            for digest in (person.nhs_number_bidx, person.upn_bidx, person.name_dob_bidx):
                if digest in self.digests:
                    self.by_digest.setdefault(digest, []).append(person)
        family_ids = {p.family_id for people in self.by_digest.values() for p in people}
        self.families = repo.families_by_id(self.uow.session, family_ids)

    def resolve(self, cells: NewPerson, ward: str | None, add: Add) -> Child | None:
        digests = self._digests(cells)
        for kind in _KINDS:
            digest = digests[kind]
            if not digest:
                continue
            # A record with a different NHS number or UPN is a different child, whatever the name.
            matches = [m for m in self.by_digest.get(digest, [])
                       if not (digests["nhs"] and m.nhs_number_bidx and m.nhs_number_bidx != digests["nhs"])
                       and not (digests["upn"] and m.upn_bidx and m.upn_bidx != digests["upn"])]
            matches = list({m.id: m for m in matches}.values())
            if len(matches) > 1:
                add(_COLUMN[kind], f"The {_WHAT[kind]} matches {len(matches)} people already recorded: "
                    "add the child's NHS number or UPN so the right one is found")
                return None
            if matches:
                return self._existing(matches[0], cells, kind, add)
        return self._new(cells, digests, ward, add)

    def _existing(self, person: Person, cells: NewPerson, kind: str, add: Add) -> Child | None:
        if person.role != PersonRole.CHILD:
            add(_COLUMN[kind], "This identifies someone already recorded who is not a child in their family")
            return None
        if person.id not in self.existing:
            dob = person.unseal(self.uow.keys, "date_of_birth")
            family = self.families.get(person.family_id)
            assert cells.date_of_birth is not None
            self.existing[person.id] = Child(
                given_name="", family_name="",
                date_of_birth=dt.date.fromisoformat(dob) if dob else cells.date_of_birth,
                person_id=person.id, family_id=person.family_id, family_ward=family.ward if family else None,
                owning_agency_id=family.owning_agency_id if family else None, existing=True)
        child = self.existing[person.id]
        if kind != "name_dob" and cells.date_of_birth and child.date_of_birth != cells.date_of_birth:
            add("date_of_birth", f"The child already recorded with this {_WHAT[kind]} has a different date of birth")
            return None
        return child

    def _new(self, cells: NewPerson, digests: dict[str, str | None], ward: str | None, add: Add) -> Child | None:
        child = None
        for kind in _KINDS:
            digest = digests[kind]
            if digest and digest in self.new:
                candidate = self.new[digest]
                if (digests["nhs"] and candidate.nhs_digest and candidate.nhs_digest != digests["nhs"]) or \
                        (digests["upn"] and candidate.upn_digest and candidate.upn_digest != digests["upn"]):
                    continue  # another child of the same name and birthday
                child = candidate
                break
        if child is None:
            assert cells.date_of_birth is not None
            child = Child(given_name=cells.given_name, family_name=cells.family_name,
                          date_of_birth=cells.date_of_birth, nhs_number=cells.nhs_number, upn=cells.upn, ward=ward)
        elif child.date_of_birth != cells.date_of_birth:
            add("date_of_birth", "An earlier row identifies the same child with a different date of birth")
            return None
        child.nhs_number = child.nhs_number or cells.nhs_number
        child.nhs_digest = child.nhs_digest or digests["nhs"]
        child.upn = child.upn or cells.upn
        child.upn_digest = child.upn_digest or digests["upn"]
        child.ward = child.ward or ward
        for digest in digests.values():
            if digest:
                self.new.setdefault(digest, child)
        return child
