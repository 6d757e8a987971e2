"""Confidential to the young person: a practitioner marks a child's voice entry, or an assessment section about a
child, as confidential to that young person. In the family's own view only that young person sees it (no parent,
no other child: repositories.family_access applies the rule). Staff still see everything. Each change is one
transaction with its audit event.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.permissions import Action
from coordination.domain.sections import PersonRole
from coordination.errors import Invalid, NotFound
from coordination.models import VoiceEntry
from coordination.repositories import assessment as assessment_repo
from coordination.services.families import family_for, person_view


@dataclass
class SectionConfidentiality:
    key: str
    title: str
    confidential_to: uuid.UUID | None
    children: dict[uuid.UUID, str]  # the family's children: id -> full name
    marked_at: dt.datetime | None


def _section(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str, action: Action, *, lock: bool = False):
    family = family_for(uow, actor, family_id, action, "You cannot change this family's record")
    found = assessment_repo.get_assessment(uow.session, family.id)
    section = assessment_repo.get_section(uow.session, found.id, key, for_update=lock) if found else None
    if section is None:
        raise NotFound("No such section")
    children = {p.id: person_view(uow.keys, p).full_name for p in family.people
                if p.role == PersonRole.CHILD and p.left_on is None}
    return family, section, children


def section_confidentiality(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str) -> SectionConfidentiality:
    """Who in the family sees a section in their own view. (No content is read: not audited as a read.)

    :raise NotFound: a family the actor may not see, or no such section. :raise NotPermitted: may not read the case.
    """
    _, section, children = _section(uow, actor, family_id, key, Action.READ_CASE)
    return SectionConfidentiality(section.key, section.definition.title, section.confidential_to_person_id, children,
                                  section.confidential_marked_at)


def set_section_confidential(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str,
                             person_id: uuid.UUID | None) -> SectionConfidentiality:
    """Mark a section confidential to `person_id` (a child of the family, the one it is about), or open it to the
    whole family again (None). Audited.

    :raise NotFound: a family the actor may not see, or no such section.
    :raise NotPermitted: the actor may not change the record. :raise Invalid: not a child of this family.
    """
    family, section, children = _section(uow, actor, family_id, key, Action.WRITE_CASE, lock=True)
    if person_id is not None and person_id not in children:
        raise Invalid("Choose a child", {"confidential_to": ["Choose a child in this family, or the whole family"]})
    section.confidential_to_person_id = person_id
    section.confidential_marked_by_id = actor.user_id if person_id else None
    section.confidential_marked_at = uow.now() if person_id else None
    uow.session.flush()
    uow.audit(actor, "family_confidential" if person_id else "family_confidential_ended", "assessment_section",
              section.id, family_id=family.id, sections=[key], person_id=str(person_id) if person_id else None)
    return SectionConfidentiality(section.key, section.definition.title, person_id, children,
                                  section.confidential_marked_at)


def set_voice_confidential(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, entry_id: uuid.UUID, *,
                           confidential: bool) -> None:
    """Mark a child's voice entry confidential to that young person, or not. The words are never changed. An entry a
    young person kept to themself in their own view stays so: only they chose it, so only they could undo it.

    :raise NotFound: a family the actor may not see, or no such entry.
    :raise NotPermitted: the actor may not change the record. :raise Invalid: the young person's own choice.
    """
    family = family_for(uow, actor, family_id, Action.WRITE_CASE, "You cannot change this family's record")
    entry = uow.session.get(VoiceEntry, entry_id, with_for_update=True)
    if entry is None or entry.family_id != family.id:
        raise NotFound("No such entry")
    if not confidential and entry.confidential and entry.recorded_by_person_id is not None:
        raise Invalid("Their choice", {"entry": ["The young person chose to keep this to themself and their "
                                                 "practitioner: only they can change that"]})
    if bool(entry.confidential) == confidential:
        return
    entry.confidential = confidential
    uow.session.flush()
    uow.audit(actor, "family_confidential" if confidential else "family_confidential_ended", "voice_entry",
              entry.id, family_id=family.id, sections=["child_voice"], person_id=str(entry.child_id))
