"""Statutory returns (council-level permission): the DfE CIN census XML for a census year; and the census details
recorded on a child and on a social care referral."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.extensions import state
from coordination.services import census_details
from coordination.services.reporting import returns as returns_service
from coordination.services.reporting import sen2 as sen2_service
from schemas.returns import (
    CensusYearQuerySchema,
    ChildCensusRequestSchema,
    ChildCensusResponseSchema,
    ReferralCensusRequestSchema,
    ReferralCensusResponseSchema,
)

from .assessment import etag, write_if_match
from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint
from .people import ETAG, IF_MATCH_OPTIONAL


def xml_file_headers(filename: str) -> dict[str, dict]:
    """The response headers a statutory return's XML comes with (for the OpenAPI document): its file name, as
    `filename` describes it, and its SHA-256."""
    return {"X-Content-SHA256": {"description": "The file's SHA-256 (hex), as audited", "schema": {"type": "string"}},
            "Content-Disposition": {"description": f"attachment; filename={filename}", "schema": {"type": "string"}}}


def xml_file(result: returns_service.CensusReturn | sen2_service.Sen2Return) -> tuple[bytes, dict[str, str]]:
    """A return's XML as an attachment, with its SHA-256 as audited."""
    return result.xml, {"Content-Disposition": f'attachment; filename="{result.filename}"',
                        "X-Content-SHA256": result.sha256}


@bp.get("/returns/cin-census")
@access("staff", action=Action.RUN_RETURNS)
@endpoint("The Children in Need census (DfE XML)", tag="returns", query=CensusYearQuerySchema, errors=(403, 422),
          media_type="application/xml", response_headers=xml_file_headers("CIN_census_<LA>_<year>.xml"))
def cin_census(query: dict):
    """The whole local authority's CIN census for the year ending 31 March `year`, exactly as
    `flask returns cin-census` writes it: the state of each referral as at the reference date. Managers of the
    council's own teams only. Audited with the year, the counts and the file's SHA-256."""
    result = as_caller(returns_service.cin_census, query["year"], state().settings.la_code)
    return xml_file(result)


@bp.get("/people/<uuid:person_id>/census")
@access("staff", action=Action.READ_CASE)
@endpoint("Read a child's census details", tag="people", response=ChildCensusResponseSchema, errors=(404,),
          response_headers=ETAG)
def child_census(person_id: uuid.UUID):
    """Sex, ethnicity, disabilities, why there is no UPN and a former UPN, as the DfE codes them, and the child's
    LAchildID. Audited as a read."""
    view = as_caller(census_details.get_child_census, person_id)
    return view, etag(view.version)


@bp.put("/people/<uuid:person_id>/census")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Set a child's census details", tag="people", body=ChildCensusRequestSchema,
          response=ChildCensusResponseSchema, errors=(400, 404, 412, 422), request_headers=(IF_MATCH_OPTIONAL,),
          response_headers=ETAG)
def set_child_census(person_id: uuid.UUID, body: dict):
    """The details as a whole (a field left out is cleared); codes from the DfE's lists (422 otherwise). The audit
    trail names the fields changed, never their values."""
    return write_if_match("person version", census_details.update_child_census, person_id, **body)


@bp.put("/referrals/<uuid:referral_id>/census")
@access("staff", action=Action.WRITE_CASE)
@endpoint("Set a social care referral's census details (receiving team)", tag="referrals",
          body=ReferralCensusRequestSchema, response=ReferralCensusResponseSchema, errors=(403, 404, 422))
def set_referral_census(referral_id: uuid.UUID, body: dict):
    """The primary need (N1–N9) and the factors identified at assessment. The reason for closure is given on
    closing; ReferralNFA follows the decision (declined: true)."""
    return as_caller(census_details.update_referral_census, referral_id, **body)
