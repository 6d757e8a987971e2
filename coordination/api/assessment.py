"""The one assessment: read it, read and save a section (If-Match versions), a section's history."""
from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest, PreconditionRequired

from coordination.auth.decorators import access
from coordination.domain.permissions import Action, Scope
from coordination.errors import Conflict
from coordination.services import assessment as assessment_service
from coordination.services import assessment_status as status_service
from coordination.services.sharing import reading
from schemas import assessment as schema

from .blueprint import bp
from .caller import as_caller, as_reader
from .endpoint import endpoint
from .errors import StaleVersion

ETAG = {"ETag": {"description": 'The section version, quoted: "3". Send it back as If-Match.',
                 "schema": {"type": "string"}}}
# One version number, bare or as an entity tag (weak or strong); `*` and lists name no version (400).
IF_MATCH_PATTERN = r'^[ \t]*(W/[ \t]*)?("[0-9]{1,9}"|[0-9]{1,9})[ \t]*$'
IF_MATCH = {"in": "header", "name": "If-Match", "required": True,
            "description": 'The version you read: 3, "3" or W/"3". Missing: 428. Stale: 409. Anything else, '
                           'such as * or a list of versions: 400.',
            "schema": {"type": "string", "pattern": IF_MATCH_PATTERN}}
SECTION = "/families/<uuid:family_id>/assessment/sections/<key>"


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def expected_version(what: str = "section version", *, required: bool = True) -> int | None:
    """The version named by If-Match: `3`, `"3"` or `W/"3"` (`what` names it in the messages; None when it is
    not `required` and not sent).

    :raise 428: no If-Match (a blind overwrite could lose someone's words).
    :raise 400: If-Match is not one version number (an empty one included, when it may be left out).
    """
    raw = request.headers.get("If-Match")
    if raw is None and not required:
        return None
    if raw is None or (required and not raw.strip()):
        raise PreconditionRequired(f"Send If-Match with the {what} you read, e.g. If-Match: \"3\"")
    match = re.fullmatch(IF_MATCH_PATTERN, raw)
    if match is None:
        raise BadRequest(f"If-Match must be one {what}, e.g. \"3\"")
    return int(match.group(2).strip('"'))


def write_if_match(what: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, dict[str, str]]:
    """Make a change with the optional If-Match `what` (see expected_version) as the service's
    `expected_version`: the changed record and its ETag; a stale version is 412 (StaleVersion)."""
    version = expected_version(what, required=False)
    try:
        changed = as_caller(call, *args, expected_version=version, **kwargs)
    except Conflict as exc:
        raise StaleVersion(exc) from None
    return changed, etag(changed.version)


@bp.get("/families/<uuid:family_id>/assessment")
@access("staff_or_partner", action=Action.READ_CASE, scope=Scope.READ_ASSESSMENT)
@endpoint("Read the assessment", tag="assessment", response=schema.AssessmentResponseSchema, errors=(404,))
def get_assessment(family_id: uuid.UUID):
    """Staff of the agency holding the case: every section. Partners (API keys with read:assessment): exactly
    the sections a live consent or safeguarding disclosure covers for your agency at this moment, and nothing
    about the others — not even their names; no cover at all is 404, as for a family that does not exist.
    Every read is audited with the sections shown and, for partners, the consent or decision that allowed it."""
    return as_reader(reading.read_assessment_for, family_id, channel="api")


@bp.get(SECTION)
@access("staff", action=Action.READ_CASE)
@endpoint("Read a section", tag="assessment", response=schema.SectionResponseSchema, errors=(404,),
          response_headers=ETAG)
def get_section(family_id: uuid.UUID, key: str):
    """One section, with its version as the ETag. Unknown key: 404."""
    section = as_caller(assessment_service.get_section, family_id, key)
    return section, etag(section.version)


@bp.put(SECTION)
@access("staff", action=Action.WRITE_CASE)
@endpoint("Save a section", tag="assessment", body=schema.SectionUpdateRequestSchema,
          response=schema.SectionResponseSchema,
          errors=(400, 404, 409, 422, 428), request_headers=(IF_MATCH,), response_headers=ETAG)
def save_section(family_id: uuid.UUID, key: str, body: dict):
    """Save a new version of a section, if the version in If-Match is still the newest.

    Someone saved first: 409 with `current_version`; read the section again and merge.
    """
    version = expected_version()
    assert version is not None
    section = as_caller(assessment_service.save_section, family_id, key, body["content"], version)
    return section, etag(section.version)


@bp.get(SECTION + "/history")
@access("staff", action=Action.READ_CASE)
@endpoint("Read a section's history", tag="assessment", response=schema.SectionHistoryResponseSchema, errors=(404,))
def section_history(family_id: uuid.UUID, key: str):
    """Every version of a section, newest first, each attributed to who saved it and from where."""
    section, versions = as_caller(assessment_service.section_history, family_id, key)
    return {"key": section.key, "title": section.title, "version": section.version, "versions": versions}


@bp.get("/families/<uuid:family_id>/assessment/status")
@access("staff", action=Action.READ_CASE)
@endpoint("Read where the assessment has got to", tag="assessment", response=schema.AssessmentStatusResponseSchema,
          errors=(404,))
def assessment_status(family_id: uuid.UUID):
    """Each section's status, the family's agreement and the manager's sign-off, without the content."""
    return as_caller(status_service.status_of, family_id)


@bp.put(SECTION + "/status")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Mark a section complete or in progress", tag="assessment", body=schema.SectionStatusRequestSchema,
          response=schema.AssessmentStatusResponseSchema, errors=(404, 422))
def mark_section(family_id: uuid.UUID, key: str, body: dict):
    """`completed` (the section must have been written) or back to `in_progress`. Marking a section in progress
    after the family agreed sets the agreement aside; after a sign-off the assessment is changed_since_sign_off.
    Saving a completed section makes it in_progress again."""
    return as_caller(status_service.mark_section, family_id, key, body["status"])


@bp.post("/families/<uuid:family_id>/assessment/agreement")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Record that the family agreed the assessment", tag="assessment", body=schema.AgreementRequestSchema,
          response=schema.AssessmentStatusResponseSchema, errors=(404, 409, 422))
def record_agreement(family_id: uuid.UUID, body: dict):
    """Who in the family agreed (a parent or carer, or a young person aged 13 or over) and on what day (not in the
    future). Every required section must be completed (422 otherwise, naming them); already agreed: 409."""
    return as_caller(status_service.record_agreement, family_id, body["agreed_by"], body["agreed_on"])


@bp.post("/families/<uuid:family_id>/assessment/sign-off")
@access("staff", action=Action.SIGN_OFF_ASSESSMENT)
@endpoint("Sign off the assessment", tag="assessment", response=schema.AssessmentStatusResponseSchema,
          errors=(403, 404, 409, 422))
def sign_off(family_id: uuid.UUID):
    """No body: the manager signing off is the caller. Managers of the agency holding the case only. The family
    must have agreed it (422); already signed off and unchanged since: 409."""
    return as_caller(status_service.sign_off, family_id)
