"""Case notes: record a visit, call, meeting or message, and list a family's notes.

A note is attributed to the signed-in practitioner and their agency, audited (the event names the note, its
kind and what it corrects, never its content) and never edited: a correction is a new note that names the
note it corrects. Reading the notes is a read of case content, audited as assessment reads are.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.notes import (
    MAX_NOTE_TEXT,
    MAX_WITH_WHOM,
    OVERSIGHT_KIND,
    RECORDED_KIND_LABELS,
    NoteKind,
    occurred_at_problem,
    seen_problem,
)
from coordination.domain.permissions import Action
from coordination.errors import FieldErrors
from coordination.models import CaseNote
from coordination.repositories import case_notes as repo
from coordination.services.families import family_for

CASE_HOLDER = {"kind": "case_holder"}


@dataclass
class NoteView:
    id: uuid.UUID
    family_id: uuid.UUID
    kind: str
    occurred_at: dt.datetime
    with_whom: str
    text: str
    child_seen: bool | None
    seen_alone: bool | None
    recorded_by: uuid.UUID | None
    recorded_by_agency: uuid.UUID | None
    created_at: dt.datetime
    corrects_id: uuid.UUID | None = None
    corrects_occurred_at: dt.datetime | None = None
    corrected_by_id: uuid.UUID | None = None

    @property
    def kind_label(self) -> str:
        return RECORDED_KIND_LABELS.get(self.kind, self.kind)

    @property
    def oversight(self) -> bool:
        return self.kind == OVERSIGHT_KIND


def note_view(uow: UnitOfWork, note: CaseNote) -> NoteView:
    return NoteView(
        id=note.id, family_id=note.family_id, kind=note.kind, occurred_at=note.occurred_at,
        with_whom=note.unseal(uow.keys, "with_whom") or "", text=note.unseal(uow.keys, "text") or "",
        child_seen=note.child_seen, seen_alone=note.seen_alone, recorded_by=note.recorded_by_id,
        recorded_by_agency=note.recorded_by_agency_id, created_at=note.created_at, corrects_id=note.corrects_id,
    )


def note_problems(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, kind: str,
                  occurred_at: dt.datetime | None, with_whom: str, text: str, child_seen: bool | None = None,
                  seen_alone: bool | None = None, corrects_id: uuid.UUID | None = None) -> dict[str, list[str]]:
    """Every problem with a note, by field, without recording it (a form shows them beside its own)."""
    return _check(uow, actor, family_id, kind, occurred_at, with_whom, text, child_seen, seen_alone,
                  corrects_id)[0].errors


def _check(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, kind: str, occurred_at: dt.datetime | None,
           with_whom: str, text: str, child_seen: bool | None, seen_alone: bool | None,
           corrects_id: uuid.UUID | None) -> tuple[FieldErrors, CaseNote | None]:
    family_for(uow, actor, family_id, Action.WRITE_CASE, "You cannot add to this family's record")
    errors = FieldErrors()
    if kind not in {k.value for k in NoteKind}:
        errors.add("kind", "Select what kind of contact it was")
    errors.add("occurred_at", occurred_at_problem(occurred_at, uow.now()))
    errors.require_text("with_whom", with_whom, "who it was with", MAX_WITH_WHOM)
    errors.require_text("text", text, "what happened and what was said", MAX_NOTE_TEXT)
    errors.add("seen_alone", seen_problem(child_seen, seen_alone))
    corrected = repo.get_note(uow.session, actor, family_id, corrects_id) if corrects_id else None
    if corrects_id and corrected is None:
        errors.add("corrects_id", "The note being corrected is not in this family's record")
    return errors, corrected


def record_note(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, kind: str, occurred_at: dt.datetime | None,
                with_whom: str, text: str, child_seen: bool | None = None, seen_alone: bool | None = None,
                corrects_id: uuid.UUID | None = None) -> NoteView:
    """Record a note, attributed to `actor`. Every problem is reported at once.

    :raise NotFound: the family does not exist or the actor may not know it exists.
    :raise NotPermitted: the actor's role may not write to a case.
    :raise Invalid: a field map naming every problem (kind, occurred_at, with_whom, text, seen_alone,
        corrects_id).
    """
    errors, corrected = _check(uow, actor, family_id, kind, occurred_at, with_whom, text, child_seen, seen_alone,
                               corrects_id)
    errors.raise_if_any("Check the case note")
    note = CaseNote(family_id=family_id, kind=kind, occurred_at=occurred_at, child_seen=child_seen,
                    seen_alone=seen_alone, recorded_by_id=actor.user_id, recorded_by_agency_id=actor.agency_id,
                    corrects_id=corrects_id, created_at=uow.now())
    note.seal(uow.keys, "with_whom", with_whom.strip())
    note.seal(uow.keys, "text", text)
    repo.add(uow.session, note)
    uow.audit(actor, "create", "case_note", note.id, family_id=family_id, kind=kind,
              corrects=str(corrects_id) if corrects_id else None)
    view = note_view(uow, note)
    view.corrects_occurred_at = corrected.occurred_at if corrected else None
    return view


def notes_of(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[NoteView]:
    """Every note, newest first, each linked both ways with its corrections. Not audited: callers audit."""
    notes = [note_view(uow, n) for n in repo.list_notes(uow.session, actor, family_id)]
    by_id = {n.id: n for n in notes}
    for n in sorted(notes, key=lambda n: n.created_at):
        if n.corrects_id and (old := by_id.get(n.corrects_id)) is not None:
            n.corrects_occurred_at = old.occurred_at
            old.corrected_by_id = n.id
    return notes


def list_notes(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[NoteView]:
    """The family's notes for staff of the agency holding the case, audited as one read.

    :raise NotFound: the family does not exist or the actor may not know it exists.
    """
    family_for(uow, actor, family_id, Action.READ_CASE, "You cannot read this family's record")
    notes = notes_of(uow, actor, family_id)
    uow.audit(actor, "read", "case_note", None, family_id=family_id, authority=CASE_HOLDER, entries=len(notes))
    return notes


def get_note(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, note_id: uuid.UUID) -> NoteView | None:
    """One note (to prefill a correction), audited as a read; None when it is not this family's."""
    family_for(uow, actor, family_id, Action.WRITE_CASE, "You cannot add to this family's record")
    note = repo.get_note(uow.session, actor, family_id, note_id)
    if note is None:
        return None
    uow.audit(actor, "read", "case_note", note.id, family_id=family_id, authority=CASE_HOLDER, entries=1)
    return note_view(uow, note)
