"""Partner contributions: a partner adds what it knows to the one assessment; staff see them."""
from __future__ import annotations

import uuid

from coordination.auth.api import api_actor
from coordination.auth.decorators import access
from coordination.domain.permissions import Action, Scope
from coordination.extensions import uow
from coordination.services import contributions as contributions_service
from schemas.contributions import (
    ContributionListResponseSchema,
    ContributionQuerySchema,
    ContributionRequestSchema,
    ContributionResponseSchema,
)

from .blueprint import bp
from .endpoint import endpoint


@bp.post("/families/<uuid:family_id>/contributions")
@access("partner", scope=Scope.WRITE_CONTRIBUTIONS)
@endpoint("Add to the family's assessment (partners)", tag="contributions", body=ContributionRequestSchema,
          response=ContributionResponseSchema, status=201, errors=(403, 404, 422))
def add_contribution(family_id: uuid.UUID, body: dict):
    """Only while a live consent or disclosure covers your agency for this family (otherwise 404), and only to
    a section that cover includes (the sections `GET …/assessment` returns you): another section is 403. An
    unknown section key or empty content is 422. Attributed to your agency; the staff holding the case fold it
    into the section. You keep no copy of the story."""
    view = contributions_service.add_contribution(uow(), api_actor(), family_id, body["section"], body["content"])
    uow().commit()
    return view


@bp.get("/families/<uuid:family_id>/contributions")
@access("staff", action=Action.READ_CASE)
@endpoint("Partners' contributions to the family's assessment", tag="contributions",
          query=ContributionQuerySchema, response=ContributionListResponseSchema, errors=(404, 422))
def list_contributions(family_id: uuid.UUID, query: dict):
    """Newest first, each attributed to the partner agency (and key) that sent it; `section` narrows the list.
    For the staff holding the case; audited."""
    items = contributions_service.list_contributions(uow(), api_actor(), family_id, query["section"])
    uow().commit()
    return {"items": items}


@bp.post("/contributions/<uuid:contribution_id>/incorporated")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Mark a contribution as folded into the section", tag="contributions",
          response=ContributionResponseSchema, errors=(404, 409))
def mark_incorporated(contribution_id: uuid.UUID):
    """Staff record that they folded the contribution into the section's text. Already marked: 409."""
    view = contributions_service.mark_incorporated(uow(), api_actor(), contribution_id)
    uow().commit()
    return view
