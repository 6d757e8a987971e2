"""SEN2 (council-level permission): the DfE SEN2 XML for a January census; and an EHC needs assessment request's
SEN2 items, read by whoever may see the referral and changed by the SEND team that received it."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.extensions import state
from coordination.services import ehc_details
from coordination.services.reporting import sen2 as sen2_service
from schemas.ehc_details import EhcDetailsRequestSchema, EhcDetailsResponseSchema, Sen2YearQuerySchema

from .assessment import IF_MATCH_PATTERN, etag, write_if_match
from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint
from .returns import xml_file, xml_file_headers

ETAG = {"ETag": {"description": 'The EHC details\' version, quoted: "3". Send it back as If-Match.',
                 "schema": {"type": "string"}}}
IF_MATCH_OPTIONAL = {"in": "header", "name": "If-Match", "required": False,
                     "schema": {"type": "string", "pattern": IF_MATCH_PATTERN},
                     "description": 'Optional: the version you read (3, "3" or W/"3"), to refuse the change if '
                                    "someone changed the details since (412). Anything else, such as *: 400."}


@bp.get("/returns/sen2")
@access("staff", action=Action.RUN_RETURNS)
@endpoint("SEN2 (DfE XML)", tag="returns", query=Sen2YearQuerySchema, errors=(403, 422),
          media_type="application/xml", response_headers=xml_file_headers("SEN2_<LA>_<year>.xml"))
def sen2_return(query: dict):
    """The whole local authority's SEN2 for the January `year` census, exactly as `flask returns sen2` writes
    it: each EHC needs assessment request and plan as at the reference date. Managers of the council's own teams
    only. Audited with the year, the counts and the file's SHA-256."""
    settings = state().settings
    result = as_caller(sen2_service.sen2_return, query["year"], settings.la_code, dmo=settings.sen2_dmo,
                       dco=settings.sen2_dco)
    return xml_file(result)


@bp.get("/referrals/<uuid:referral_id>/ehc-details")
@access("staff")
@endpoint("Read an EHC needs assessment request's SEN2 details", tag="referrals",
          response=EhcDetailsResponseSchema, errors=(403, 404, 422), response_headers=ETAG)
def get_ehc_details(referral_id: uuid.UUID):
    """The request and assessment outcomes, mediation and tribunal, the named plan and, while it is active, the
    needs and the last review, as SEN2 codes them. 422 for a referral on another pathway. Audited as a read."""
    view = as_caller(ehc_details.get_ehc_details, referral_id)
    return view, etag(view.version)


@bp.patch("/referrals/<uuid:referral_id>/ehc-details")
@access("staff")
@endpoint("Change an EHC needs assessment request's SEN2 details (receiving team)", tag="referrals",
          body=EhcDetailsRequestSchema, response=EhcDetailsResponseSchema, errors=(400, 403, 404, 412, 422),
          request_headers=(IF_MATCH_OPTIONAL,), response_headers=ETAG)
def patch_ehc_details(referral_id: uuid.UUID, body: dict):
    """Only the fields sent change (null clears one); the details as a whole must keep the SEN2 rules (422,
    every problem by field). The audit trail names the fields changed, never their values."""
    return write_if_match("EHC details version", ehc_details.record_ehc_details, referral_id, **body)
