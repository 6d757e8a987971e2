"""Assessment sections and their versions, read through the family's visibility."""
from __future__ import annotations

import uuid

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from coordination.models import (
    Assessment,
    AssessmentSection,
    AssessmentStatusEvent,
    SectionDefinition,
    SectionVersion,
    VoiceEntry,
)


def get_assessment(session: Session, family_id: uuid.UUID, for_update: bool = False) -> Assessment | None:
    """Callers must already hold a family the actor may see (repositories.families.get_for). `for_update` locks
    the row: status changes (complete, agree, sign off, a save's revert) queue on it."""
    query = select(Assessment).where(Assessment.family_id == family_id)
    if for_update:
        query = query.with_for_update(of=Assessment).execution_options(populate_existing=True)
    return session.execute(query).scalar_one_or_none()


def list_sections(session: Session, assessment_id: uuid.UUID, keys: list[str] | None = None):
    """(section, definition, newest version or None) in template order; `keys` narrows in the query."""
    query = (
        select(AssessmentSection, SectionDefinition, SectionVersion)
        .join(SectionDefinition, SectionDefinition.key == AssessmentSection.key)
        .outerjoin(SectionVersion, and_(SectionVersion.section_id == AssessmentSection.id,
                                        SectionVersion.version == AssessmentSection.version))
        .where(AssessmentSection.assessment_id == assessment_id)
        .order_by(SectionDefinition.position)
    )
    if keys is not None:
        query = query.where(AssessmentSection.key.in_(keys))
    return session.execute(query).all()


def get_section(session: Session, assessment_id: uuid.UUID, key: str, for_update: bool = False):
    query = select(AssessmentSection).where(
        AssessmentSection.assessment_id == assessment_id, AssessmentSection.key == key)
    if for_update:
        query = query.with_for_update(of=AssessmentSection).execution_options(populate_existing=True)
    return session.execute(query).scalar_one_or_none()


def list_versions(session: Session, section_id: uuid.UUID) -> list[SectionVersion]:
    return list(session.execute(
        select(SectionVersion).where(SectionVersion.section_id == section_id)
        .order_by(SectionVersion.version.desc())
    ).scalars())


def list_definitions(session: Session) -> list[SectionDefinition]:
    return list(session.execute(select(SectionDefinition).order_by(SectionDefinition.position)).scalars())


def list_voice(session: Session, family_id: uuid.UUID) -> list[VoiceEntry]:
    return list(session.execute(
        select(VoiceEntry).where(VoiceEntry.family_id == family_id)
        .order_by(VoiceEntry.recorded_on.desc(), VoiceEntry.created_at.desc())
    ).scalars())


def list_status_events(session: Session, family_id: uuid.UUID) -> list[AssessmentStatusEvent]:
    """Callers must already hold a family the actor may see. Oldest first."""
    return list(session.execute(
        select(AssessmentStatusEvent).where(AssessmentStatusEvent.family_id == family_id)
        .order_by(AssessmentStatusEvent.at, AssessmentStatusEvent.id)
    ).scalars())
