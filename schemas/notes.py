"""Case notes (never edited: a correction is a new note naming the one it corrects) and the chronology."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.notes import (
    ENTRY_KINDS,
    MAX_NOTE_TEXT,
    MAX_WITH_WHOM,
    NOTE_KIND_LABELS,
    OVERSIGHT_KIND,
    OVERSIGHT_LABEL,
    NoteKind,
)

from .base import BaseSchema, StrictBoolean, UtcDateTime, text_doc

NOTE_KINDS = [k.value for k in NoteKind]
KIND_DOC = {"enum": NOTE_KINDS, "description": "; ".join(f"{k}: {label}" for k, label in NOTE_KIND_LABELS.items())}
KINDS_PATTERN = "^(" + "|".join(ENTRY_KINDS) + ")(,(" + "|".join(ENTRY_KINDS) + "))*$"


class NoteRequestSchema(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf(NOTE_KINDS), metadata=KIND_DOC)
    occurred_at = fields.AwareDateTime(required=True, metadata={
        "description": "When it happened, with its offset (e.g. 2026-03-03T14:15:00+00:00): now or earlier, "
                       "after 1 January 2000."})
    with_whom = fields.String(required=True, metadata=text_doc(
        "Who the contact was with, e.g. 'Morgan (mother) and Rowan'.", not_blank=True, max_length=MAX_WITH_WHOM))
    text = fields.String(required=True, metadata=text_doc(
        "What happened and what was said. Encrypted at rest.", not_blank=True, max_length=MAX_NOTE_TEXT))
    child_seen = StrictBoolean(load_default=None, allow_none=True, metadata={"description": "Was the child seen?"})
    seen_alone = StrictBoolean(load_default=None, allow_none=True, metadata={
        "description": "Was the child seen alone? true only with child_seen true."})
    corrects_id = fields.UUID(load_default=None, allow_none=True, metadata={
        "description": "The note of this family this one corrects (notes are never edited)."})


class NoteResponseSchema(BaseSchema):
    id = fields.UUID(required=True)
    family_id = fields.UUID(required=True)
    kind = fields.String(required=True, metadata={"enum": [*NOTE_KINDS, OVERSIGHT_KIND], "description": (
        f"{OVERSIGHT_KIND}: {OVERSIGHT_LABEL}, a manager's note on the case (recorded in the web service only)")})
    occurred_at = UtcDateTime(required=True)
    with_whom = fields.String(required=True)
    text = fields.String(required=True)
    child_seen = StrictBoolean(allow_none=True)
    seen_alone = StrictBoolean(allow_none=True)
    recorded_by = fields.UUID(allow_none=True, metadata={"description": "The staff user who recorded it."})
    recorded_by_agency = fields.UUID(allow_none=True)
    created_at = UtcDateTime(required=True)
    corrects_id = fields.UUID(allow_none=True, metadata={"description": "The note this one corrects."})
    corrected_by_id = fields.UUID(allow_none=True, metadata={"description": "A later note that corrects this one."})


class NoteListResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(NoteResponseSchema), required=True, metadata={"description": "Newest first."})


class ChronologyQuerySchema(BaseSchema):
    kind = fields.String(load_default=None, validate=validate.Regexp(KINDS_PATTERN, error=(
        "Choose one or more of " + ", ".join(ENTRY_KINDS) + ", separated by commas")), metadata={
        "pattern": KINDS_PATTERN,
        "description": "Only these kinds, separated by commas: " + ", ".join(ENTRY_KINDS) + ". Default: all."})


class ChronologyItemSchema(BaseSchema):
    at = UtcDateTime(required=True)
    kind = fields.String(required=True, metadata={"enum": list(ENTRY_KINDS)})
    summary = fields.String(required=True)
    link = fields.String(required=True, metadata={"description": "The API path of the record it is about."})
    record_id = fields.UUID(required=True)


class ChronologyResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(ChronologyItemSchema), required=True, metadata={"description": "Newest first."})
