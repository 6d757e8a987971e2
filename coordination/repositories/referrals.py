"""Referrals an actor may see, scoped in the SQL, and the reads and writes the referral service needs.

An actor sees a referral when its agency holds the family's case, sent the referral, or receives it.
Admins see none (they run the service, they do not read cases); system actors (jobs, CLI) see all.
Anything else is absent, exactly as if it did not exist.
"""
from __future__ import annotations

import uuid

from sqlalchemy import Select, delete, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from coordination.domain.actors import Actor, ActorKind
from coordination.domain.permissions import may_work_with_referrals
from coordination.models import (
    Family,
    Person,
    Referral,
    ReferralClock,
    ReferralEvent,
    ReferralException,
    ReferralPause,
)


def visible(actor: Actor) -> Select:
    """The base query of referrals this actor may know exist."""
    query = select(Referral)
    if actor.kind == ActorKind.SYSTEM:
        return query
    if actor.agency_id is None:
        return query.where(false())
    if not may_work_with_referrals(actor):
        return query.where(false())
    held = select(Family.id).where(Family.owning_agency_id == actor.agency_id)
    return query.where(or_(Referral.family_id.in_(held), Referral.to_agency_id == actor.agency_id,
                           Referral.from_agency_id == actor.agency_id))


def _with_children(query: Select) -> Select:
    return query.options(selectinload(Referral.clocks), selectinload(Referral.events))


def get_for(session: Session, actor: Actor, referral_id: uuid.UUID) -> Referral | None:
    return session.execute(_with_children(visible(actor).where(Referral.id == referral_id))).scalar_one_or_none()


def list_for(session: Session, actor: Actor, *, status: str | None = None, pathway: str | None = None,
             child_id: uuid.UUID | None = None, received_only: bool = False, limit: int = 500) -> list[Referral]:
    """Referrals the actor may see (oldest first); `received_only`: only those sent to the actor's agency."""
    query = visible(actor)
    if received_only:
        query = query.where(Referral.to_agency_id == actor.agency_id)
    if status:
        query = query.where(Referral.status == status)
    if pathway:
        query = query.where(Referral.pathway == pathway)
    if child_id:
        query = query.where(Referral.child_id == child_id)
    query = query.order_by(Referral.received_at, Referral.created_at, Referral.id).limit(limit)
    return list(session.execute(_with_children(query)).scalars())


def redirects_by_agency(session: Session, actor: Actor, *, limit: int = 100) -> list[tuple[ReferralEvent, Referral]]:
    """The `redirected` events the actor's agency recorded (it sent those referrals on), most recent first, each
    with its referral: the history entries a team keeps seeing after the referral left it."""
    if actor.agency_id is None or not may_work_with_referrals(actor):
        return []
    query = (select(ReferralEvent, Referral).join(Referral, ReferralEvent.referral_id == Referral.id)
             .where(ReferralEvent.kind == "redirected", ReferralEvent.by_agency_id == actor.agency_id)
             .order_by(ReferralEvent.occurred_at.desc(), ReferralEvent.id).limit(limit))
    return [(event, referral) for event, referral in session.execute(query).all()]


def add_unless_raced(session: Session, referral: Referral) -> Referral | None:
    """Insert a referral made with an Idempotency-Key; when a racing retry inserted the same (scope, key) first,
    that one (this one is discarded, in a savepoint, so the caller's transaction goes on). None: inserted.

    :raise IntegrityError: another constraint failed.
    """
    session.flush()
    try:
        with session.begin_nested():  # a racing retry loses here, not the whole transaction
            session.add(referral)
            session.flush()
    except IntegrityError:
        scope, key = referral.idempotency_scope, referral.idempotency_key
        winner = by_idempotency_key(session, scope, key) if scope and key else None
        if winner is None:
            raise
        return winner
    return None


# Not scoped: for the referral service once it has decided the actor may refer the family (its case holder, or
# an agency with live cover for it), to read that family and check the child named is one of its children.

def family_by_id(session: Session, family_id: uuid.UUID) -> Family | None:
    return session.get(Family, family_id)


def person_by_id(session: Session, person_id: uuid.UUID) -> Person | None:
    return session.get(Person, person_id)


def by_idempotency_key(session: Session, scope: str, key: str) -> Referral | None:
    return session.execute(
        select(Referral).where(Referral.idempotency_scope == scope, Referral.idempotency_key == key)
    ).scalar_one_or_none()


def last_closed_on_pathway(session: Session, child_id: uuid.UUID, pathway: str) -> Referral | None:
    """The child's most recently closed referral on the pathway (for the re-referral flag)."""
    return session.execute(
        select(Referral).where(Referral.child_id == child_id, Referral.pathway == pathway,
                               Referral.closed_at.is_not(None))
        .order_by(Referral.closed_at.desc()).limit(1)
    ).scalar_one_or_none()


def events_of(session: Session, referral_id: uuid.UUID) -> list[ReferralEvent]:
    return list(session.execute(
        select(ReferralEvent).where(ReferralEvent.referral_id == referral_id)
        .order_by(ReferralEvent.occurred_at, ReferralEvent.recorded_at)
    ).scalars())


def pauses_of(session: Session, referral_id: uuid.UUID) -> list[ReferralPause]:
    return list(session.execute(
        select(ReferralPause).where(ReferralPause.referral_id == referral_id).order_by(ReferralPause.from_on)
    ).scalars())


def exceptions_of(session: Session, referral_id: uuid.UUID) -> list[ReferralException]:
    return list(session.execute(
        select(ReferralException).where(ReferralException.referral_id == referral_id)
        .order_by(ReferralException.created_at)
    ).scalars())


def replace_clocks(session: Session, referral: Referral, rows: list[ReferralClock]) -> None:
    """Derived rows: delete and insert in the caller's transaction (the referral's loaded clocks and events are
    read again when next used)."""
    session.execute(delete(ReferralClock).where(ReferralClock.referral_id == referral.id))
    session.add_all(rows)
    session.flush()
    session.expire(referral, ["clocks", "events"])


# ---- the web pages: open clocks (due and overdue), the names of referred children -------------------------

def open_clocks_for(session: Session, actor: Actor, *, pathway: str | None = None,
                    limit: int = 1000) -> list[tuple[ReferralClock, Referral]]:
    """Clocks still running on referrals the actor may see, soonest due first (overdue ones lead)."""
    seen = visible(actor).with_only_columns(Referral.id)
    query = (select(ReferralClock, Referral).join(Referral, ReferralClock.referral_id == Referral.id)
             .where(ReferralClock.stopped_on.is_(None), ReferralClock.referral_id.in_(seen)))
    if pathway:
        query = query.where(ReferralClock.pathway == pathway)
    query = query.order_by(ReferralClock.due_on, ReferralClock.due_at, Referral.received_at, ReferralClock.id)
    return [(clock, referral) for clock, referral in session.execute(query.limit(limit)).all()]


def children_referred(session: Session, actor: Actor, child_ids: list[uuid.UUID]) -> list[Person]:
    """The children among `child_ids` who are the subject of a referral the actor may see."""
    if not child_ids:
        return []
    seen = visible(actor).with_only_columns(Referral.child_id)
    return list(session.execute(
        select(Person).where(Person.id.in_(child_ids), Person.id.in_(seen))
    ).scalars())
