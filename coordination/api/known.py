"""Is this child known? Which team holds a family with this child, across agencies, without its content."""
from __future__ import annotations

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services import known as known_service
from schemas.known import KnownRequestSchema, KnownResponseSchema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint


@bp.post("/known")
@access("staff", action=Action.READ_CASE)
@endpoint("Is this child known?", tag="families", body=KnownRequestSchema, response=KnownResponseSchema,
          errors=(422,))
def is_known(body: dict):
    """Across every agency, by NHS number or by both names and date of birth (matched as duplicates are: an
    apostrophe or dash typed another way still matches). Answers which teams hold a matching family and how to
    contact them, never its content; a family your own agency holds comes back as `family_id`. Each other
    family matched records the disclosure of this fact (lawful basis: public task) in its access log; every
    check is audited without the values searched for. Partner keys and admins: 403."""
    return as_caller(known_service.is_known, **body)
