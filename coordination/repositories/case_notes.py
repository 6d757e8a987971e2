"""Case notes of a family, and the other records a family's chronology lists, scoped by the actor.

Every query is narrowed to the families the actor may see (`families.visible`), so a family of another
agency has no notes and no chronology: its rows are absent, as the family is.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from coordination.domain.actors import Actor
from coordination.models import (
    AssessmentSection,
    CaseNote,
    Consent,
    Disclosure,
    Family,
    Referral,
    ReferralEvent,
    SectionDefinition,
    SectionVersion,
)
from coordination.models.assessment import Assessment

from .families import visible


def _family_scope(actor: Actor, family_id: uuid.UUID) -> Select:
    """The one family id, if the actor may see that family (else nothing)."""
    return visible(actor).where(Family.id == family_id).with_only_columns(Family.id)


def add(session: Session, note: CaseNote) -> CaseNote:
    session.add(note)
    session.flush()
    return note


def list_notes(session: Session, actor: Actor, family_id: uuid.UUID) -> list[CaseNote]:
    """The family's notes, newest moment first (then newest recorded first)."""
    return list(session.execute(
        select(CaseNote).where(CaseNote.family_id.in_(_family_scope(actor, family_id)))
        .order_by(CaseNote.occurred_at.desc(), CaseNote.created_at.desc())
    ).scalars())


def get_note(session: Session, actor: Actor, family_id: uuid.UUID, note_id: uuid.UUID) -> CaseNote | None:
    return session.execute(
        select(CaseNote).where(CaseNote.id == note_id, CaseNote.family_id.in_(_family_scope(actor, family_id)))
    ).scalar_one_or_none()


def section_changes(session: Session, actor: Actor, family_id: uuid.UUID):
    """(version, section key, section title) of every saved version of the family's assessment."""
    return session.execute(
        select(SectionVersion, AssessmentSection.key, SectionDefinition.title)
        .join(AssessmentSection, AssessmentSection.id == SectionVersion.section_id)
        .join(SectionDefinition, SectionDefinition.key == AssessmentSection.key)
        .join(Assessment, Assessment.id == AssessmentSection.assessment_id)
        .where(Assessment.family_id.in_(_family_scope(actor, family_id)))
    ).all()


def referral_events(session: Session, actor: Actor, family_id: uuid.UUID):
    """(event, referral) for every event of every referral about the family."""
    return session.execute(
        select(ReferralEvent, Referral).join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(Referral.family_id.in_(_family_scope(actor, family_id)))
    ).all()


def consents(session: Session, actor: Actor, family_id: uuid.UUID) -> list[Consent]:
    return list(session.execute(
        select(Consent).where(Consent.family_id.in_(_family_scope(actor, family_id)))).scalars())


def disclosures(session: Session, actor: Actor, family_id: uuid.UUID) -> list[Disclosure]:
    return list(session.execute(
        select(Disclosure).where(Disclosure.family_id.in_(_family_scope(actor, family_id)))).scalars())


def latest_of_kind(session: Session, actor: Actor, family_id: uuid.UUID, kind: str
                   ) -> tuple[dt.datetime, uuid.UUID | None] | None:
    """(when, by whom) of the family's newest note of `kind` (no content), or None."""
    row = session.execute(
        select(CaseNote.occurred_at, CaseNote.recorded_by_id)
        .where(CaseNote.family_id.in_(_family_scope(actor, family_id)), CaseNote.kind == kind)
        .order_by(CaseNote.occurred_at.desc(), CaseNote.created_at.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None
