"""Management oversight notes: a manager of the agency holding a family's case records what they reviewed, what
they decided and what should happen next. Attributed, audited (without its content) and never edited, like a
case note; it is a case note of its own kind, shown with the notes and on the chronology as "Management
oversight", and never counted as contact with the family.
"""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.notes import MAX_NOTE_TEXT, OVERSIGHT_KIND, OVERSIGHT_LABEL
from coordination.domain.permissions import Action, may
from coordination.errors import FieldErrors, NotPermitted
from coordination.models import CaseNote
from coordination.repositories import case_notes as repo
from coordination.services.case_notes import NoteView, note_view
from coordination.services.families import family_for

WHAT = "what you reviewed, what you decided and what should happen next"


def check_may_oversee(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> None:
    """:raise NotFound: the family is not the actor's agency's. :raise NotPermitted: the actor is not a manager."""
    family_for(uow, actor, family_id, Action.READ_CASE, "You cannot read this family's record")
    if not may(actor, Action.MANAGE_TEAM):
        raise NotPermitted("Only managers record management oversight")


def record_oversight(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, text: str | None) -> NoteView:
    """Record a management oversight note on the family, now, attributed to the manager.

    :raise NotFound: no such family, or not one the manager's agency holds.
    :raise NotPermitted: the actor is not a manager.
    :raise Invalid: `text` is missing or too long.
    """
    check_may_oversee(uow, actor, family_id)
    errors = FieldErrors()
    errors.require_text("text", text, WHAT, MAX_NOTE_TEXT)
    errors.raise_if_any("Check the oversight note")
    assert text is not None
    now = uow.now()
    note = CaseNote(family_id=family_id, kind=OVERSIGHT_KIND, occurred_at=now, recorded_by_id=actor.user_id,
                    recorded_by_agency_id=actor.agency_id, created_at=now)
    note.seal(uow.keys, "with_whom", OVERSIGHT_LABEL)
    note.seal(uow.keys, "text", text)
    repo.add(uow.session, note)
    uow.audit(actor, "create", "oversight_note", note.id, family_id=family_id, kind=OVERSIGHT_KIND)
    return note_view(uow, note)


def latest_oversight(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID
                     ) -> tuple[dt.datetime, uuid.UUID | None] | None:
    """When the family's case last had management oversight, and by whom (no content: the family page shows it)."""
    return repo.latest_of_kind(uow.session, actor, family_id, OVERSIGHT_KIND)
