"""Partner contributions: a partner adds what it knows to the one assessment; staff see them."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action, Scope
from coordination.services import contributions as contributions_service
from schemas import contributions as schema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint


@bp.post("/families/<uuid:family_id>/contributions")
@access("partner", scope=Scope.WRITE_CONTRIBUTIONS)
@endpoint("Add to the family's assessment (partners)", tag="contributions", body=schema.ContributionRequestSchema,
          response=schema.ContributionResponseSchema, status=201, errors=(403, 404, 422))
def add_contribution(family_id: uuid.UUID, body: dict):
    """Only while a live consent or disclosure covers your agency for this family (otherwise 404), and only to
    a section that cover includes (the sections `GET …/assessment` returns you): another section is 403. An
    unknown section key or empty content is 422. Attributed to your agency; the staff holding the case fold it
    into the section. You keep no copy of the story."""
    return as_caller(contributions_service.add_contribution, family_id, body["section"], body["content"])


@bp.get("/families/<uuid:family_id>/contributions")
@access("staff", action=Action.READ_CASE)
@endpoint("Partners' contributions to the family's assessment", tag="contributions",
          query=schema.ContributionQuerySchema, response=schema.ContributionListResponseSchema, errors=(404, 422))
def list_contributions(family_id: uuid.UUID, query: dict):
    """Newest first, each attributed to the partner agency (and key) that sent it; `section` narrows the list.
    For the staff holding the case; audited."""
    items = as_caller(contributions_service.list_contributions, family_id, query["section"])
    return {"items": items}


@bp.post("/contributions/<uuid:contribution_id>/incorporated")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Mark a contribution as folded into the section", tag="contributions",
          response=schema.ContributionResponseSchema, errors=(404, 409))
def mark_incorporated(contribution_id: uuid.UUID):
    """Staff record that they folded the contribution into the section's text. Already marked: 409."""
    return as_caller(contributions_service.mark_incorporated, contribution_id)
