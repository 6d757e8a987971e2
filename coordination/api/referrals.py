"""Referrals across pathways, for staff tokens and partner keys (scope `referrals`).

Staff of the agency holding the family's case, of the sending agency and of the receiving agency see a
referral; everyone else gets 404. Only the receiving agency decides, moves a referral between stages,
closes it and records pauses and exceptions (403 for the others who may see it).

Who acted on a referral is shown by agency. A partner key's id is that agency's own business: an event's
`by_key_id` is shown only to callers of the agency that acted, and is null for everyone else.
"""
from __future__ import annotations

import dataclasses
import re
import uuid

from flask import request, url_for

from coordination.auth.api import api_actor
from coordination.auth.decorators import access
from coordination.domain.permissions import Scope
from coordination.domain.text import HEADER_MESSAGE
from coordination.errors import Invalid
from coordination.services import referrals as referral_service
from schemas import referrals as schema
from schemas.assessment import AssessmentResponseSchema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint

SCOPE = Scope.REFERRALS
MAX_IDEMPOTENCY_KEY = 200
# Printable ASCII (an RFC 8941 string), at least one character that is not a space; spaces around it are ignored.
IDEMPOTENCY_KEY_PATTERN = r"^[ -~]*[!-~][ -~]*$"
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False,
                   "description": "Any unique string of printable ASCII (up to 200 characters, not blank), e.g. a "
                                  "UUID. A retry with the same key from the same credential returns the first "
                                  "referral, never a second. A blank or unprintable key is 422, never ignored.",
                   "schema": {"type": "string", "minLength": 1, "maxLength": MAX_IDEMPOTENCY_KEY,
                              "pattern": IDEMPOTENCY_KEY_PATTERN}}
CREATED_HEADERS = {
    "Location": {"description": "The referral's URL", "schema": {"type": "string"}},
    "Idempotent-Replayed": {"description": "true when this answers a retry with the first referral",
                            "schema": {"type": "string"}},
}
REFERRAL = "/referrals/<uuid:referral_id>"


def _seen_by_caller(view):
    """The referral view as the calling agency may see it: other agencies' key ids left out of its events."""
    agency_id = api_actor().agency_id
    events = [e if e.by_key_id is None or e.by_agency_id == agency_id else dataclasses.replace(e, by_key_id=None)
              for e in view.events]
    return dataclasses.replace(view, events=events)


def _answered(change, referral_id: uuid.UUID, *args, **kwargs):
    """Carry out one change to a referral as the caller, commit it, and answer with what the caller may see."""
    view = as_caller(change, referral_id, *args, **kwargs)
    return _seen_by_caller(view)


def _idempotency_key() -> str | None:
    """The header's key without the spaces around it; None when there is no header.

    :raise Invalid: a key that is blank, too long, or not printable ASCII (a retry must never be silently
        taken as a new referral, and a NUL cannot be stored).
    """
    raw = request.headers.get("Idempotency-Key")
    if raw is None:
        return None
    key = raw.strip(" \t")
    if not key:
        problem = "Send a key that is not blank, or leave the header out"
    elif len(key) > MAX_IDEMPOTENCY_KEY:
        problem = f"Send {MAX_IDEMPOTENCY_KEY} characters or fewer"
    elif not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
        problem = HEADER_MESSAGE
    else:
        return key
    raise Invalid("Check the Idempotency-Key header", {"Idempotency-Key": [problem]})


@bp.post("/referrals")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Refer a child to a pathway", tag="referrals", body=schema.ReferralCreateRequestSchema,
          response=schema.ReferralResponseSchema, status=201, errors=(403, 404, 409, 422),
          request_headers=(IDEMPOTENCY_KEY,), response_headers=CREATED_HEADERS)
def create_referral(body: dict):
    """Staff refer a child of a family their agency holds; a partner (or another agency's staff) only a
    family for which its agency has live consent or disclosure cover (otherwise 404). The referral starts
    `received` at the pathway's first stage with its clocks running. Staff may backdate `received_on`
    (phone referrals), never into the future (422). A referral within 12 months of the child's last closure
    on the same pathway is flagged `re_referral`. Step-up, step-down and transitions: send `linked_from_id`
    and `link_kind`. With `Idempotency-Key`, a retry returns the first referral (409 if the key was used for
    a different referral)."""
    view = as_caller(referral_service.create_referral, idempotency_key=_idempotency_key(), **body)
    headers = {"Location": url_for(".get_referral", referral_id=view.id)}
    if view.replayed:
        headers["Idempotent-Replayed"] = "true"
    return _seen_by_caller(view), headers


@bp.get("/referrals")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Referrals you may see", tag="referrals", query=schema.ReferralListQuerySchema,
          response=schema.ReferralListResponseSchema, errors=(403, 422))
def list_referrals(query: dict):
    """Referrals about families your agency holds, sent by your agency or sent to it (partner keys: those
    sent to or by their agency), oldest first, with their clocks: what is due and what is overdue.
    `child_id` gives one child's journey across pathways, each episode naming the one it follows."""
    items = as_caller(referral_service.list_referrals, **query)
    return {"items": [_seen_by_caller(v) for v in items]}


@bp.get(REFERRAL)
@access("staff_or_partner", scope=SCOPE)
@endpoint("Read a referral", tag="referrals", response=schema.ReferralResponseSchema, errors=(403, 404))
def get_referral(referral_id: uuid.UUID):
    """A referral with its clocks and its events (timestamped, attributed). 404 when you may not see it."""
    return _answered(referral_service.get_referral, referral_id)


@bp.get(REFERRAL + "/assessment")
@access("staff_or_partner", scope=SCOPE)
@endpoint("The assessment behind a referral", tag="referrals", response=AssessmentResponseSchema,
          errors=(403, 404))
def get_referral_assessment(referral_id: uuid.UUID):
    """What the receiving team reads instead of asking the family again: for the agency holding the case,
    the whole assessment; for anyone else exactly the sections a live consent or disclosure covers now
    (404 when none; partner keys also need `read:assessment`). Every read is in the family's access log."""
    return as_caller(referral_service.shared_assessment, referral_id)


@bp.post(REFERRAL + "/decision")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Accept or decline a referral (receiving agency)", tag="referrals", body=schema.ReferralDecisionRequestSchema,
          response=schema.ReferralResponseSchema, errors=(403, 404, 409, 422))
def decide_referral(referral_id: uuid.UUID, body: dict):
    """With a reason; on decline, `signposted_to` says where the family was signposted. 409 once decided."""
    return _answered(referral_service.decide, referral_id, **body)


@bp.post(REFERRAL + "/redirect")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Redirect an undecided referral to the right team (receiving agency)", tag="referrals",
          body=schema.ReferralRedirectRequestSchema, response=schema.ReferralResponseSchema,
          errors=(403, 404, 409, 422))
def redirect_referral(referral_id: uuid.UUID, body: dict):
    """No wrong door: instead of declining a referral meant for another service, send it to the right team in
    one step. The referral keeps its reason, sections and original `received_on` (the family's wait is
    measured from it); a `redirected` event (from, to, reason) is added that both teams see, and the new team's
    own decision clock (`redirected_decision`) starts now. The family is not asked again: the new team reads
    what a live consent or disclosure covers for it. 422: a team of a kind the pathway does not go to (or the
    same team, or no reason); 409 once decided; 403 for anyone but the receiving agency, or when your agency
    has no live cover for the family (the same rule as for making a referral). Your team no longer sees the
    referral afterwards unless it holds the family's case or sent it."""
    return _answered(referral_service.redirect, referral_id, body["to_agency_id"], body["reason"])


@bp.post(REFERRAL + "/transitions")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Move a referral to the next stage of its pathway (receiving agency)", tag="referrals",
          body=schema.ReferralTransitionRequestSchema, response=schema.ReferralResponseSchema, errors=(403, 404, 409,
          422))
def transition_referral(referral_id: uuid.UUID, body: dict):
    """Only to a stage the pathway allows next (422 otherwise); the first move after acceptance sets the
    status `in_progress`. 409 before acceptance or after closure."""
    return _answered(referral_service.transition, referral_id, body["to_stage"], body["note"])


@bp.post(REFERRAL + "/close")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Close a referral with its outcome (receiving agency)", tag="referrals",
          body=schema.ReferralCloseRequestSchema,
          response=schema.ReferralResponseSchema, errors=(403, 404, 409, 422))
def close_referral(referral_id: uuid.UUID, body: dict):
    return _answered(referral_service.close, referral_id, body["outcome"], body["note"],
                     reason_for_closure=body["reason_for_closure"])


@bp.post(REFERRAL + "/pauses")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Pause a referral's clocks over a period (receiving agency)", tag="referrals",
          body=schema.ReferralPauseRequestSchema, response=schema.ReferralResponseSchema, errors=(403, 404, 422))
def pause_referral(referral_id: uuid.UUID, body: dict):
    """Due dates move back by the paused days (working days for working-day clocks)."""
    return _answered(referral_service.add_pause, referral_id, **body)


@bp.post(REFERRAL + "/exceptions")
@access("staff_or_partner", scope=SCOPE)
@endpoint("Record an allowed exception to a statutory clock (receiving agency)", tag="referrals",
          body=schema.ReferralExceptionRequestSchema, response=schema.ReferralResponseSchema, errors=(403, 404, 422))
def add_referral_exception(referral_id: uuid.UUID, body: dict):
    """E.g. EHC regulation 10(4)(a)–(d) (`10_4_a` … `10_4_d`): the clock is marked `excepted` and reported
    with and without exceptions."""
    return _answered(referral_service.add_exception, referral_id, **body)
