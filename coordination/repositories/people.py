"""People, their addresses and the professionals involved, scoped by the actor: a person of a family the actor
may not see is absent, as the family is."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.domain.actors import Actor
from coordination.models import Address, Family, Person, Professional

from .families import visible


def _visible_family_ids(actor: Actor):
    return visible(actor).with_only_columns(Family.id)


def get_person(session: Session, actor: Actor, person_id: uuid.UUID, *, for_update: bool = False) -> Person | None:
    """The person, if the actor may see their family; locked for update when asked (concurrent corrections)."""
    query = select(Person).where(Person.id == person_id, Person.family_id.in_(_visible_family_ids(actor)))
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def next_position(session: Session, family_id: uuid.UUID) -> int:
    return (session.execute(select(func.max(Person.position)).where(Person.family_id == family_id)).scalar() or 0) + 1


def add(session: Session, row: Person | Address | Professional) -> None:
    session.add(row)
    session.flush()


def list_addresses(session: Session, actor: Actor, family_id: uuid.UUID) -> list[Address]:
    """The family's addresses, the newest move first."""
    return list(session.execute(
        select(Address).where(Address.family_id == family_id, Address.family_id.in_(_visible_family_ids(actor)))
        .order_by(Address.moved_in_on.desc(), Address.created_at.desc())).scalars())


def current_addresses(session: Session, family_id: uuid.UUID, person_id: uuid.UUID | None) -> list[Address]:
    """The open address(es) of the household (person_id None) or of one person (already scoped by the caller)."""
    query = select(Address).where(Address.family_id == family_id, Address.moved_out_on.is_(None))
    query = query.where(Address.person_id.is_(None) if person_id is None else Address.person_id == person_id)
    return list(session.execute(query).scalars())


def list_professionals(session: Session, actor: Actor, family_id: uuid.UUID) -> list[Professional]:
    return list(session.execute(
        select(Professional).where(Professional.family_id == family_id,
                                   Professional.family_id.in_(_visible_family_ids(actor)))
        .order_by(Professional.created_at)).scalars())


def get_professional(session: Session, actor: Actor, professional_id: uuid.UUID) -> Professional | None:
    return session.execute(
        select(Professional).where(Professional.id == professional_id,
                                   Professional.family_id.in_(_visible_family_ids(actor)))).scalar_one_or_none()


def people_of_referral_family(session: Session, family_id: uuid.UUID) -> list[Person]:
    """The people of a referral's family, in their order, for its receiving team. Not scoped by the actor: the
    caller (services.referrals.details) has found the referral visible and asked the disclosure engine which
    details may leave; it reads only those."""
    return list(session.execute(select(Person).where(Person.family_id == family_id)
                                .order_by(Person.position)).scalars())
