"""The child's voice: record an entry verbatim, list the entries."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services import assessment as assessment_service
from schemas.voice import VoiceListResponseSchema, VoiceRequestSchema, VoiceResponseSchema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint


@bp.post("/families/<uuid:family_id>/voice")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Record a child's voice", tag="voice", body=VoiceRequestSchema, response=VoiceResponseSchema,
          status=201, errors=(404, 422))
def record_voice(family_id: uuid.UUID, body: dict):
    """Record what a child said, drew or showed, verbatim. Entries are never edited: to correct one,
    record a new entry with `corrects_id`."""
    return as_caller(assessment_service.record_voice, family_id, **body)


@bp.get("/families/<uuid:family_id>/voice")
@access("staff", action=Action.READ_CASE)
@endpoint("List the children's voice", tag="voice", response=VoiceListResponseSchema, errors=(404,))
def list_voice(family_id: uuid.UUID):
    """Every entry, newest first; a corrected entry names the entry that corrects it."""
    entries = as_caller(assessment_service.list_voice, family_id)
    return {"items": entries}
