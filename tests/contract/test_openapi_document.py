"""The OpenAPI document is a valid OpenAPI 3.1 document, and the API's own responses keep it (checked with
jsonschema's Draft 2020-12 validator, which does not let `null` through an enum that lacks it)."""
from __future__ import annotations

from openapi_spec_validator import OpenAPIV31SpecValidator

from .. import factories
from ..api.conftest import staff_api
from .openapi_support import find_operation, response_errors


def _spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_validates_as_openapi_3_1(client):
    errors = [str(e).splitlines()[0] for e in OpenAPIV31SpecValidator(_spec(client)).iter_errors()]
    assert errors == []


def test_an_unlinked_referral_and_a_problem_keep_their_documented_schemas(client, uow, practitioner, make_family):
    spec = _spec(client)
    family = make_family(practitioner)
    camhs = factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")
    api = staff_api(client, uow, practitioner)
    body = {"family_id": str(family.id), "child_id": str(family.children[0].id), "pathway": "camhs",
            "to_agency_id": str(camhs.id), "reason": "Fictional: low mood"}
    made = api.post("/referrals", json=body)
    assert made.status_code == 201 and made.get_json()["link_kind"] is None
    listed = api.get("/referrals")
    refused = api.post("/referrals", json={**body, "urgency": "whenever"})
    for method, path, response in (("POST", "/api/v1/referrals", made), ("GET", "/api/v1/referrals", listed),
                                   ("POST", "/api/v1/referrals", refused)):
        operation = find_operation(spec, method, path)
        assert response_errors(spec, operation, response.status_code, response.mimetype, response.get_json()) == []
