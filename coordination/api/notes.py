"""Case notes (record, list; never edited) and the family's chronology."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services import case_notes, chronology
from schemas.notes import (
    ChronologyQuerySchema,
    ChronologyResponseSchema,
    NoteListResponseSchema,
    NoteRequestSchema,
    NoteResponseSchema,
)

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint

API = "/api/v1"


@bp.post("/families/<uuid:family_id>/notes")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Record a case note", tag="notes", body=NoteRequestSchema, response=NoteResponseSchema, status=201,
          errors=(404, 422))
def record_note(family_id: uuid.UUID, body: dict):
    """A visit, call, meeting or message, attributed to you. Notes are never edited: to correct one, record a
    new note with `corrects_id`. Audited without its content."""
    return as_caller(case_notes.record_note, family_id, **body)


@bp.get("/families/<uuid:family_id>/notes")
@access("staff", action=Action.READ_CASE)
@endpoint("List the case notes", tag="notes", response=NoteListResponseSchema, errors=(404,))
def list_notes(family_id: uuid.UUID):
    """Every note, newest first; a corrected note names the note that corrects it. Audited as a read."""
    return {"items": as_caller(case_notes.list_notes, family_id)}


def link_of(family_id: uuid.UUID, entry: chronology.Entry) -> str:
    """The API path of the record a chronology entry is about."""
    family = f"{API}/families/{family_id}"
    return {
        "case_note": f"{family}/notes#{entry.record_id}",
        "section": f"{family}/assessment/sections/{entry.key}/history",
        "assessment_status": f"{family}/assessment/status",
        "referral": f"{API}/referrals/{entry.record_id}",
        "consent": f"{family}/consents",
        "disclosure": f"{family}/disclosures",
        "plan": f"{family}/plan", "review": f"{family}/plan", "lead": f"{family}/plan",
        "feedback": f"{family}/plan",
    }[entry.record_type]


@bp.get("/families/<uuid:family_id>/chronology")
@access("staff", action=Action.READ_CASE)
@endpoint("Read the chronology", tag="notes", query=ChronologyQuerySchema, response=ChronologyResponseSchema,
          errors=(404, 422))
def read_chronology(family_id: uuid.UUID, query: dict):
    """Case notes, assessment changes, referrals, consents and safeguarding disclosures, newest first.
    `kind` narrows it (e.g. `note,referral`). Audited as a read of the case."""
    kinds = query["kind"].split(",") if query.get("kind") else None
    entries = as_caller(chronology.chronology, family_id, kinds)
    return {"items": [{"at": e.at, "kind": e.kind, "summary": e.summary, "link": link_of(family_id, e),
                       "record_id": e.record_id} for e in entries]}
