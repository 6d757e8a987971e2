"""Statutory returns (council-level permission): the DfE CIN census XML for a census year."""
from __future__ import annotations

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.extensions import state
from coordination.services.reporting import returns as returns_service
from schemas.returns import CensusYearQuerySchema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint

DIGEST = {"X-Content-SHA256": {"description": "The file's SHA-256 (hex), as audited", "schema": {"type": "string"}}}


@bp.get("/returns/cin-census")
@access("staff", action=Action.RUN_RETURNS)
@endpoint("The Children in Need census (DfE XML)", tag="returns", query=CensusYearQuerySchema, errors=(403, 422),
          media_type="application/xml", response_headers={**DIGEST, "Content-Disposition": {
              "description": "attachment; filename=CIN_census_<LA>_<year>.xml", "schema": {"type": "string"}}})
def cin_census(query: dict):
    """The whole local authority's CIN census for the year ending 31 March `year`, exactly as
    `flask returns cin-census` writes it: the state of each referral as at the reference date. Managers of the
    council's own teams only. Audited with the year, the counts and the file's SHA-256."""
    result = as_caller(returns_service.cin_census, query["year"], state().settings.la_code)
    return result.xml, {"Content-Disposition": f'attachment; filename="{result.filename}"',
                        "X-Content-SHA256": result.sha256}
