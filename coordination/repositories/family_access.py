"""The family's own access: invitations, sign-in codes, released sections, and the family-scoped reads the family
pages need. A family member's reads are scoped by their own family id in the query (`actor.family_id`)."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

import audit
from coordination.domain.actors import Actor
from coordination.domain.family_access import confidential_reader, visible_sections
from coordination.domain.sections import SECTION_KEYS
from coordination.models import (
    Assessment,
    AssessmentSection,
    FamilyAccess,
    FamilyProposal,
    FamilySectionRelease,
    FamilySignInCode,
    Referral,
    VoiceEntry,
)


def add(session: Session, row: FamilyAccess | FamilySignInCode | FamilySectionRelease) -> None:
    session.add(row)
    session.flush()


def get(session: Session, access_id: uuid.UUID, *, for_update: bool = False) -> FamilyAccess | None:
    query = select(FamilyAccess).where(FamilyAccess.id == access_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def get_by_person(session: Session, person_id: uuid.UUID, *, for_update: bool = False) -> FamilyAccess | None:
    query = select(FamilyAccess).where(FamilyAccess.person_id == person_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def get_by_invitation(session: Session, digest: str, *, for_update: bool = False) -> FamilyAccess | None:
    query = select(FamilyAccess).where(FamilyAccess.invitation_digest == digest)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def signed_up_by_email(session: Session, email_bidx: str) -> list[FamilyAccess]:
    """Live access for an address: the invitation was taken up and nobody excluded the person."""
    return list(session.execute(
        select(FamilyAccess).where(FamilyAccess.email_bidx == email_bidx, FamilyAccess.excluded_at.is_(None),
                                   FamilyAccess.invitation_used_at.is_not(None))
        .order_by(FamilyAccess.created_at)
    ).scalars())


def list_for_family(session: Session, family_id: uuid.UUID) -> list[FamilyAccess]:
    """Callers must already hold a family the actor may see."""
    return list(session.execute(
        select(FamilyAccess).where(FamilyAccess.family_id == family_id).order_by(FamilyAccess.invited_at)
    ).scalars())


def codes_sent_since(session: Session, since: dt.datetime, *, access_id: uuid.UUID | None = None,
                     email_bidx: str | None = None) -> int:
    query = select(func.count()).select_from(FamilySignInCode).where(FamilySignInCode.created_at >= since)
    if access_id is not None:
        query = query.where(FamilySignInCode.access_id == access_id)
    if email_bidx is not None:
        query = query.where(FamilySignInCode.email_bidx == email_bidx)
    return int(session.execute(query).scalar_one())


def oldest_code_since(session: Session, since: dt.datetime, *, access_id: uuid.UUID | None = None,
                      email_bidx: str | None = None) -> dt.datetime | None:
    query = select(func.min(FamilySignInCode.created_at)).where(FamilySignInCode.created_at >= since)
    if access_id is not None:
        query = query.where(FamilySignInCode.access_id == access_id)
    if email_bidx is not None:
        query = query.where(FamilySignInCode.email_bidx == email_bidx)
    value = session.execute(query).scalar_one_or_none()
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def get_code(session: Session, code_id: uuid.UUID, *, for_update: bool = False) -> FamilySignInCode | None:
    query = select(FamilySignInCode).where(FamilySignInCode.id == code_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def unused_codes(session: Session, access_id: uuid.UUID) -> list[FamilySignInCode]:
    return list(session.execute(
        select(FamilySignInCode).where(FamilySignInCode.access_id == access_id, FamilySignInCode.used_at.is_(None))
    ).scalars())


def released_sections(session: Session, family_id: uuid.UUID) -> set[str]:
    return set(session.execute(
        select(FamilySectionRelease.section_key).where(FamilySectionRelease.family_id == family_id)).scalars())


def get_release(session: Session, family_id: uuid.UUID, key: str) -> FamilySectionRelease | None:
    return session.execute(select(FamilySectionRelease).where(
        FamilySectionRelease.family_id == family_id, FamilySectionRelease.section_key == key)).scalar_one_or_none()


def delete(session: Session, row: FamilySectionRelease) -> None:
    session.delete(row)
    session.flush()


def child_words_seen(actor: Actor, confidential: Any, child_id: Any) -> ColumnElement[bool]:
    """The query condition for a child's words a family member may see (a voice entry, a child's view at a
    review): words confidential to a young person only for that young person, by
    domain.family_access.confidential_reader. `confidential` and `child_id` are the row's columns."""
    reader = confidential_reader(actor.family_capacity or "", actor.person_id)
    seen: ColumnElement[bool] = confidential.is_(False)
    if reader is not None:
        seen = or_(seen, child_id == reader)
    return seen


def own_voice(session: Session, actor: Actor) -> list[VoiceEntry]:
    """The voice entries a family member may see of their own family, newest first (scoped in the query): an
    entry confidential to a young person only for that young person (`child_words_seen`)."""
    seen = child_words_seen(actor, VoiceEntry.confidential, VoiceEntry.child_id)
    return list(session.execute(
        select(VoiceEntry).where(VoiceEntry.family_id == actor.family_id, seen)
        .order_by(VoiceEntry.recorded_on.desc(), VoiceEntry.created_at.desc())
    ).scalars())


def confidential_to_others(session: Session, actor: Actor) -> set[str]:
    """The section keys of the actor's own family confidential to a young person other than the actor (for a
    parent: every confidential section), found in the query (domain.family_access.confidential_reader)."""
    reader = confidential_reader(actor.family_capacity or "", actor.person_id)
    query = (select(AssessmentSection.key).join(Assessment, Assessment.id == AssessmentSection.assessment_id)
             .where(Assessment.family_id == actor.family_id, AssessmentSection.confidential_to_person_id.is_not(None)))
    if reader is not None:
        query = query.where(AssessmentSection.confidential_to_person_id != reader)
    return set(session.execute(query).scalars())


def own_section_keys(session: Session, actor: Actor) -> list[str]:
    """The section keys a family member may read of their own family, in template order: every one, less `safety`
    unless released, less any section confidential to a young person other than themself. The one place the
    family view asks which sections a member reads."""
    hidden = confidential_to_others(session, actor)
    released = released_sections(session, actor.family_id)  # type: ignore[arg-type]
    return [k for k in visible_sections(list(SECTION_KEYS), released) if k not in hidden]


def own_referrals(session: Session, actor: Actor) -> list[Referral]:
    """The referrals about the actor's own family's children, newest first (scoped in the query)."""
    return list(session.execute(
        select(Referral).where(Referral.family_id == actor.family_id)
        .options(selectinload(Referral.clocks), selectinload(Referral.events))
        .order_by(Referral.received_at.desc())
    ).scalars())


def own_read_events(session: Session, actor: Actor, limit: int = 500) -> list[audit.AuditEvent]:
    """The family member's own reads of their family's record (channel family), newest first."""
    return list(session.execute(
        select(audit.AuditEvent)
        .where(audit.AuditEvent.family_id == str(actor.family_id), audit.AuditEvent.actor_kind == "family",
               audit.AuditEvent.actor_key_id == str(actor.person_id),
               audit.AuditEvent.action == audit.AuditAction.READ.value)
        .order_by(audit.AuditEvent.seq.desc()).limit(limit)
    ).scalars())


def add_proposal(session: Session, row: FamilyProposal) -> None:
    session.add(row)
    session.flush()


def proposals_of(session: Session, family_id: uuid.UUID, *, person_id: uuid.UUID | None = None,
                 open_only: bool = False) -> list[FamilyProposal]:
    """Callers must already hold the family for the actor (or be that family's member, `person_id`)."""
    query = select(FamilyProposal).where(FamilyProposal.family_id == family_id)
    if person_id is not None:
        query = query.where(FamilyProposal.person_id == person_id)
    if open_only:
        query = query.where(FamilyProposal.status == "open")
    return list(session.execute(query.order_by(FamilyProposal.created_at.desc())).scalars())


def get_proposal(session: Session, proposal_id: uuid.UUID, *, for_update: bool = False) -> FamilyProposal | None:
    query = select(FamilyProposal).where(FamilyProposal.id == proposal_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()
