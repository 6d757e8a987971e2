"""Consent: record a family's decision, list consents with conflicts, withdraw (effective on the next read)."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services.sharing import consent as consent_service
from schemas import consents as schema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint


@bp.post("/families/<uuid:family_id>/consents")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Record a consent decision", tag="consent", body=schema.ConsentRequestSchema,
          response=schema.ConsentResponseSchema,
          status=201, errors=(404, 409, 422))
def record_consent(family_id: uuid.UUID, body: dict):
    """Who decided (a parent with parental responsibility, a young person 16+, or a competent child with the
    assessment recorded), which sections, to which agencies or kinds of agency, why and until when. A consent
    never changes once given: to change one, record a new consent with `supersedes_id`."""
    return as_caller(consent_service.record_consent, family_id, **body)


@bp.get("/families/<uuid:family_id>/consents")
@access("staff", action=Action.READ_CASE)
@endpoint("List the family's consents", tag="consent", response=schema.ConsentListResponseSchema, errors=(404,))
def list_consents(family_id: uuid.UUID):
    """Every consent with its state (live, expired, not yet valid, withdrawn) and where a parent's and the
    young person's decisions differ (the young person's governs)."""
    return as_caller(consent_service.list_consents, family_id)


@bp.post("/consents/<uuid:consent_id>/withdraw")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Withdraw a consent", tag="consent", body=schema.WithdrawRequestSchema, response=schema.ConsentResponseSchema,
          errors=(404, 409, 422))
def withdraw_consent(consent_id: uuid.UUID, body: dict):
    """Effective for the very next read: no partner sees anything under this consent once this returns."""
    return as_caller(consent_service.withdraw_consent, consent_id, body["reason"])
