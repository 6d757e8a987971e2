"""Safeguarding disclosures: a manager shares sections without consent, with a lawful basis (managers only)."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services.sharing import safeguarding
from schemas import disclosures as schema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint


@bp.post("/families/<uuid:family_id>/disclosures")
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
@endpoint("Share without consent, for safeguarding", tag="disclosure", body=schema.DisclosureRequestSchema,
          response=schema.DisclosureResponseSchema, status=201, errors=(403, 404, 422))
def record_disclosure(family_id: uuid.UUID, body: dict):
    """Managers only. Names the recipient agency, the sections, the lawful basis and the justification, and
    ends on `expires_on`. Audited; shown in the family's access log unless `withhold_reason` is given."""
    return as_caller(safeguarding.record_disclosure, family_id, **body)


@bp.get("/families/<uuid:family_id>/disclosures")
@access("staff", action=Action.READ_CASE)
@endpoint("List the family's safeguarding disclosures", tag="disclosure", response=schema.DisclosureListResponseSchema,
          errors=(404,))
def list_disclosures(family_id: uuid.UUID):
    items = as_caller(safeguarding.list_family_disclosures, family_id)
    return {"items": items}


@bp.post("/disclosures/<uuid:disclosure_id>/withhold")
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
@endpoint("Leave a disclosure out of the family's access log", tag="disclosure", body=schema.ReasonRequestSchema,
          response=schema.DisclosureResponseSchema, errors=(403, 404, 409, 422))
def withhold(disclosure_id: uuid.UUID, body: dict):
    """A manager records that telling the family would increase risk. Itself audited."""
    return as_caller(safeguarding.withhold_from_family, disclosure_id, body["reason"])


@bp.post("/disclosures/<uuid:disclosure_id>/revoke")
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
@endpoint("End a disclosure now", tag="disclosure", body=schema.ReasonRequestSchema,
          response=schema.DisclosureResponseSchema,
          errors=(403, 404, 409, 422))
def revoke(disclosure_id: uuid.UUID, body: dict):
    """Effective for the very next read."""
    return as_caller(safeguarding.revoke_disclosure, disclosure_id, body["reason"])
