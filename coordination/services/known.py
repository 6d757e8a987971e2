"""Is this child known? Across every agency, by NHS number or by name and date of birth: which team(s) hold a
family with a matching person and how to contact them, never what the family holds.

The match is the duplicate rule's (`families.person_digests` → `repositories.families`): the same blind indexes
and the same name normalisation (`domain.identifiers.name_match_key`), so `O’Brien` finds `O'Brien`. A name is
matched with the date of birth and both names (the exact-search kind, not the looser last-name-only one).

What the asker learns, per other agency holding a match: the agency's id and name, and a contact route: the
agency's own contact route when an admin has recorded one (a team inbox or phone line), otherwise the work email
of the lead practitioner of the (oldest) matching family there, or the agency's name alone when it has no active
lead. No name, date, reference or id of
another agency's family is returned. A family the asker's own agency holds is returned as its own id instead.

Audit: each matched family in another agency gets a "disclose" event (the fact "known", the lawful basis, the
purpose, the recipient agency), so the fact shows in that family's access log; the asker's own match is a
read; and every check, matched or not, writes a "known_check" event naming how it searched and how many
families matched, never the values searched for.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.identifiers import nhs_number_is_valid
from coordination.domain.people import MAX_NAME, NewPerson
from coordination.domain.permissions import Action, may
from coordination.errors import FieldErrors, NotPermitted
from coordination.repositories import families as repo
from coordination.repositories import users as users_repo
from coordination.services.families import person_digests

FACT = "known"
LAWFUL_BASIS = "public_task"
PURPOSE = "is this child known"


@dataclass
class KnownTeam:
    agency_id: uuid.UUID
    name: str
    contact: str


@dataclass
class KnownAnswer:
    known: bool
    family_id: uuid.UUID | None = None
    teams: list[KnownTeam] = field(default_factory=list)


def check_problems(nhs_number: str | None, given_name: str | None, family_name: str | None,
                   date_of_birth: dt.date | None) -> dict[str, list[str]]:
    """Every problem with the question at once: an NHS number, or both names and a date of birth."""
    errors = FieldErrors()
    if nhs_number and nhs_number.strip():
        if not nhs_number_is_valid(nhs_number):
            errors.add("nhs_number", "Enter a valid NHS number, like 943 476 5919")
        return errors.errors
    if not ((given_name or "").strip() or (family_name or "").strip() or date_of_birth):
        errors.add("nhs_number", "Enter an NHS number, or a name and date of birth")
        return errors.errors
    errors.require_text("given_name", given_name, "a first name", MAX_NAME)
    errors.require_text("family_name", family_name, "a last name", MAX_NAME)
    if date_of_birth is None:
        errors.add("date_of_birth", "Enter a date of birth")
    return errors.errors


def is_known(uow: UnitOfWork, actor: Actor, *, nhs_number: str | None = None, given_name: str | None = None,
             family_name: str | None = None, date_of_birth: dt.date | None = None) -> KnownAnswer:
    """Which teams hold a family with this child.

    :raise NotPermitted: not staff who may read cases (partner keys and admins included).
    :raise Invalid: neither a valid NHS number nor both names and a date of birth (every problem at once).
    """
    if not actor.is_staff or actor.agency_id is None or not may(actor, Action.READ_CASE):
        raise NotPermitted("You cannot ask whether a child is known")
    problems = FieldErrors()
    problems.errors = check_problems(nhs_number, given_name, family_name, date_of_birth)
    problems.raise_if_any("Check what you are searching for")
    by_nhs = bool(nhs_number and nhs_number.strip())
    wanted = person_digests(uow.blind, NewPerson("", given_name or "", family_name or "", date_of_birth,
                                                 nhs_number=nhs_number if by_nhs else None))
    digest = wanted["nhs_number_bidx"] if by_nhs else wanted["name_dob_bidx"]
    holders = repo.holders_of_matching(uow.session, [digest] if digest else [])
    own = [fid for fid, agency, _ in holders if agency == actor.agency_id]
    others = [(fid, agency, lead) for fid, agency, lead in holders if agency != actor.agency_id]
    teams = _teams(uow, others)
    for fid in own:
        uow.audit(actor, "read", "family_known", fid, family_id=fid, authority={"kind": "case_holder"})
    for fid, _agency, _lead in others:
        uow.audit(actor, "disclose", "family_known", fid, family_id=fid, sections=[],
                  authority={"kind": "lawful_basis", "basis": LAWFUL_BASIS, "purpose": PURPOSE, "fact": FACT,
                             "recipient_agency_id": str(actor.agency_id), "channel": "known_check"})
    uow.audit(actor, "read", "known_check", None, by="nhs_number" if by_nhs else "name_and_date_of_birth",
              matches=len(holders), teams=len(teams), own=len(own))
    return KnownAnswer(known=bool(holders), family_id=own[0] if own else None, teams=teams)


def _teams(uow: UnitOfWork, others: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]]) -> list[KnownTeam]:
    """One team per agency (its oldest matching family's lead is the contact), in the order first matched."""
    agencies = users_repo.agencies_by_id(uow.session, {agency for _, agency, _ in others})
    leads = users_repo.users_by_id(uow.session, {lead for _, _, lead in others})
    teams: dict[uuid.UUID, KnownTeam] = {}
    for _fid, agency_id, lead_id in others:
        agency = agencies.get(agency_id)
        if agency is None or agency_id in teams:
            continue
        lead = leads.get(lead_id) if lead_id else None
        contact = agency.contact or (lead.email if lead is not None and lead.active else agency.name)
        teams[agency_id] = KnownTeam(agency_id=agency_id, name=agency.name, contact=contact)
    return list(teams.values())
