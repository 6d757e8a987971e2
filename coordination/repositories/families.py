"""Families visible to an actor: staff of the agency that holds the case, or a signed-in member of the family
(their own only). Anything else is absent."""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from coordination.domain.actors import Actor
from coordination.domain.permissions import Action, may
from coordination.models import Family, Person, PersonNamePrefix


def sees_no_family(actor: Actor) -> bool:
    """The actor may know of no family at all (a partner key, an admin, a family member without one)."""
    if actor.is_family:
        return not actor.family_id
    return not may(actor, Action.READ_CASE)


def visible(actor: Actor) -> Select:
    """The base query of families this actor may know exist."""
    query = select(Family)
    if sees_no_family(actor):
        return query.where(false())
    if actor.is_family:  # a family member knows their own family only (services.family_view reads it)
        return query.where(Family.id == actor.family_id)
    if actor.agency_id is None:  # system actors (jobs, CLI) see everything
        return query
    return query.where(Family.owning_agency_id == actor.agency_id)


def get_for(session: Session, actor: Actor, family_id: uuid.UUID) -> Family | None:
    if sees_no_family(actor):
        return None  # visible() would only ask the database to confirm there is none: a wasted round trip
    return session.execute(
        visible(actor).where(Family.id == family_id).options(selectinload(Family.people))
    ).scalar_one_or_none()


def is_visible(session: Session, actor: Actor, family_id: uuid.UUID) -> bool:
    """Whether the actor may know the family exists: `get_for`'s rule, without loading the family and its people."""
    if sees_no_family(actor):
        return False
    query = visible(actor).where(Family.id == family_id).with_only_columns(Family.id)
    return session.execute(query).first() is not None


def list_matching(session: Session, actor: Actor, digests: list[str],
                  exclude_person_id: uuid.UUID | None = None) -> list[Family]:
    """Families with a person whose blind index matches any digest (exact-match search/duplicates); a person
    being corrected is left out (`exclude_person_id`: they match themselves)."""
    digests = [d for d in digests if d]
    if not digests:
        return []
    return list(session.execute(
        visible(actor).where(Family.id.in_(_matching_people(digests, exclude_person_id)))
        .options(selectinload(Family.people)).order_by(Family.created_at)
    ).scalars())


def list_by_name_prefixes(session: Session, actor: Actor, digests: list[str]) -> list[Family]:
    """The actor's agency's own families with, for every digest, a person whose name starts that way (partial name
    search; each digest is one word searched). Only families the agency holds: the digests are keyed by it too."""
    if not digests or actor.agency_id is None:
        return []
    query = visible(actor).where(Family.owning_agency_id == actor.agency_id)
    for digest in digests:
        query = query.where(Family.id.in_(select(Person.family_id).join(PersonNamePrefix)
                                          .where(PersonNamePrefix.digest == digest)))
    return list(session.execute(query.options(selectinload(Family.people)).order_by(Family.created_at)).scalars())


def _matching_people(digests: list[str], exclude_person_id: uuid.UUID | None = None) -> Select:
    """The ids of families with a person whose blind index is one of `digests`: the one match rule."""
    people = select(Person.family_id).where(or_(
        Person.nhs_number_bidx.in_(digests), Person.upn_bidx.in_(digests),
        Person.name_dob_bidx.in_(digests), Person.surname_dob_bidx.in_(digests),
    ))
    if exclude_person_id is not None:
        people = people.where(Person.id != exclude_person_id)
    return people


def holders_of_matching(session: Session, digests: list[str]) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID | None]]:
    """(family id, owning agency id, lead practitioner id) of every family, in any agency, with a person matching
    a digest: for "is this child known?" only, which tells the asker which team, never what the family holds.
    Deliberately not scoped by `visible`; its caller checks the actor may ask and discloses nothing else."""
    digests = [d for d in digests if d]
    if not digests:
        return []
    query = (select(Family.id, Family.owning_agency_id, Family.lead_practitioner_id)
             .where(Family.id.in_(_matching_people(digests))).order_by(Family.created_at, Family.id))
    return [(fid, agency, lead) for fid, agency, lead in session.execute(query)]


def list_by_ids(session: Session, actor: Actor, family_ids: set[uuid.UUID]) -> list[Family]:
    """Those of `family_ids` the actor may see (others are simply absent)."""
    return list(session.execute(
        visible(actor).where(Family.id.in_(family_ids)).options(selectinload(Family.people))
    ).scalars())


def list_caseload(session: Session, actor: Actor, limit: int = 200) -> list[Family]:
    return list(session.execute(
        visible(actor).where(Family.lead_practitioner_id == actor.user_id)
        .options(selectinload(Family.people)).order_by(Family.updated_at.desc()).limit(limit)
    ).scalars())


def get_by_reference(session: Session, actor: Actor, reference: str) -> Family | None:
    return session.execute(
        visible(actor).where(func.upper(Family.reference) == reference.strip().upper())
        .options(selectinload(Family.people))
    ).scalar_one_or_none()


def reference_taken(session: Session, reference: str) -> bool:
    return session.execute(select(Family.id).where(Family.reference == reference)).first() is not None


def add(session: Session, family: Family) -> Family:
    session.add(family)
    session.flush()
    return family


def all_visible(session: Session, actor: Actor, limit: int = 1000) -> list[Family]:
    """The families the actor may see, oldest first (the demo seed; a system actor sees every family)."""
    return list(session.execute(
        visible(actor).options(selectinload(Family.people)).order_by(Family.created_at, Family.id).limit(limit)
    ).scalars())


def references_of(session: Session, family_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Family id → reference, in one query, for rows the caller already scoped (e.g. disclosure views)."""
    wanted = list(set(family_ids))
    if not wanted:
        return {}
    return {fid: ref for fid, ref in session.execute(select(Family.id, Family.reference).where(Family.id.in_(wanted)))}


def lead_practitioners(session: Session, family_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID | None]:
    """Family id → its lead practitioner's user id, in one query (a system job's read: not scoped)."""
    wanted = list(set(family_ids))
    if not wanted:
        return {}
    query = select(Family.id, Family.lead_practitioner_id).where(Family.id.in_(wanted))
    return {family_id: lead for family_id, lead in session.execute(query)}
