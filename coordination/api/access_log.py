"""The family's access log: who has been shown which sections, when, and under which consent or decision."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services.sharing import access_log as access_log_service
from schemas.access_log import AccessLogResponseSchema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint


@bp.get("/families/<uuid:family_id>/access-log")
@access("staff", action=Action.READ_CASE)
@endpoint("Every disclosure of the family's record", tag="disclosure", response=AccessLogResponseSchema,
          errors=(404,))
def access_log(family_id: uuid.UUID):
    """Answers a subject access request's "who has my data been shared with": every disclosure, newest first,
    with the agency, user or key, the sections and the consent or safeguarding decision that allowed it."""
    return as_caller(access_log_service.access_log, family_id)
