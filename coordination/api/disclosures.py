"""Safeguarding disclosures: a manager shares sections without consent, with a lawful basis (managers only)."""
from __future__ import annotations

import uuid

from coordination.auth.api import api_actor
from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.extensions import uow
from coordination.services.sharing import safeguarding
from schemas.disclosures import (
    DisclosureListResponseSchema,
    DisclosureRequestSchema,
    DisclosureResponseSchema,
    ReasonRequestSchema,
)

from .blueprint import bp
from .endpoint import endpoint


@bp.post("/families/<uuid:family_id>/disclosures")
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
@endpoint("Share without consent, for safeguarding", tag="disclosure", body=DisclosureRequestSchema,
          response=DisclosureResponseSchema, status=201, errors=(403, 404, 422))
def record_disclosure(family_id: uuid.UUID, body: dict):
    """Managers only. Names the recipient agency, the sections, the lawful basis and the justification, and
    ends on `expires_on`. Audited; shown in the family's access log unless `withhold_reason` is given."""
    view = safeguarding.record_disclosure(uow(), api_actor(), family_id, **body)
    uow().commit()
    return view


@bp.get("/families/<uuid:family_id>/disclosures")
@access("staff", action=Action.READ_CASE)
@endpoint("List the family's safeguarding disclosures", tag="disclosure", response=DisclosureListResponseSchema,
          errors=(404,))
def list_disclosures(family_id: uuid.UUID):
    items = safeguarding.list_family_disclosures(uow(), api_actor(), family_id)
    uow().commit()
    return {"items": items}


@bp.post("/disclosures/<uuid:disclosure_id>/withhold")
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
@endpoint("Leave a disclosure out of the family's access log", tag="disclosure", body=ReasonRequestSchema,
          response=DisclosureResponseSchema, errors=(403, 404, 409, 422))
def withhold(disclosure_id: uuid.UUID, body: dict):
    """A manager records that telling the family would increase risk. Itself audited."""
    view = safeguarding.withhold_from_family(uow(), api_actor(), disclosure_id, body["reason"])
    uow().commit()
    return view


@bp.post("/disclosures/<uuid:disclosure_id>/revoke")
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
@endpoint("End a disclosure now", tag="disclosure", body=ReasonRequestSchema, response=DisclosureResponseSchema,
          errors=(403, 404, 409, 422))
def revoke(disclosure_id: uuid.UUID, body: dict):
    """Effective for the very next read."""
    view = safeguarding.revoke_disclosure(uow(), api_actor(), disclosure_id, body["reason"])
    uow().commit()
    return view
