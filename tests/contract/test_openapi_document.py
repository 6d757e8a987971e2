"""The OpenAPI document is a valid OpenAPI 3.1 document, and the API's own responses keep it (checked with
jsonschema's Draft 2020-12 validator, which does not let `null` through an enum that lacks it)."""
from __future__ import annotations

import datetime as dt
import uuid

from openapi_spec_validator import OpenAPIV31SpecValidator

from .. import factories
from ..api.conftest import staff_api
from .openapi_support import find_operation, operations, response_errors


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


def test_every_operation_documents_the_errors_its_inputs_can_cause(client):
    """A path names a record that may not exist (404); a body or a query can be wrong (422); any body can be
    too large (413, the app's MAX_CONTENT_LENGTH)."""
    missing = []
    for path, method, operation in operations(_spec(client)):
        codes = set(operation["responses"])
        needed = {"404"} if "{" in path else set()
        if "requestBody" in operation:
            needed |= {"413", "422"}
        if any(p.get("in") == "query" for p in operation.get("parameters", [])):
            needed.add("422")
        missing += [f"{method.upper()} {path}: {code}" for code in sorted(needed - codes)]
    assert missing == []


def test_every_error_a_family_help_endpoint_answers_is_documented(client, uow, practitioner, make_family):
    """Each Family Help endpoint driven into the errors it can answer (a closed plan, done already, no such family
    or record, a wrong body, too large a body); each answer must be a status, media type and Problem body that the
    document lists for that operation."""
    spec = _spec(client)
    charity = factories.AgencyFactory(name="Home-Start Riverside", type="voluntary")
    api = staff_api(client, uow, practitioner)
    family, other = make_family(practitioner), make_family(practitioner, surname="Otherfamily")
    fam = f"/families/{family.id}"
    unknown = f"/families/{uuid.uuid4()}"

    def made(response) -> str:
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()["id"]

    goal_id = made(api.post(fam + "/plan/goals", json={"title": "Calm mornings", "outcome_area": "education"}))
    action = {"description": "Walking bus", "owner": {"agency_id": str(charity.id)},
              "due_on": (dt.date.today() + dt.timedelta(days=21)).isoformat()}
    action_id = made(api.post(f"{fam}/plan/goals/{goal_id}/actions", json=action))
    member_id = made(api.post(fam + "/team", json={"agency_id": str(charity.id), "role": "Family support"}))
    exempt = {"exempt": True, "exemption_reason": "Fictional: not in the child's best interests"}
    fgdm_id = made(api.post(fam + "/fgdm", json=exempt))
    feedback_id = made(api.post(fam + "/feedback", json={"said": "Fictional: the visits help"}))
    assert api.post(f"/feedback/{feedback_id}/response", json={"we_did": "Fictional: kept them"}).status_code == 200
    today = dt.date.today().isoformat()
    close = {"closed_on": today, "reason": "needs_met", "feedback_sought": True,
             "goals": [{"goal_id": goal_id, "outcome": "met"}]}
    assert api.post(fam + "/close", json=close).status_code == 200
    lead = {"user_id": str(practitioner.id), "chosen_with_family": True, "reason": "Fictional: chosen by the family"}
    review = {"held_on": today, "attendees": ["Morgan (mum)"], "family_view": "Fictional: better",
              "child_views": [], "progress": []}
    goal_path, action_path = f"{fam}/plan/goals/{goal_id}/actions", f"{fam}/plan/goals/{goal_id}/actions/{action_id}"
    calls = [  # (method, path, body, the status it must answer)
        ("PUT", fam + "/lead", lead, 409), ("POST", fam + "/team", {"agency_id": str(charity.id), "role": "X"}, 409),
        ("POST", fam + "/team", {"agency_id": str(uuid.uuid4()), "role": "Family support"}, 422),  # no such agency
        ("DELETE", f"{fam}/team/{member_id}", None, 409),
        ("POST", fam + "/plan/goals", {"title": "Money lasts", "outcome_area": "financial_stability"}, 409),
        ("POST", goal_path, action, 409), ("POST", action_path + "/status", {"status": "done"}, 409),
        ("POST", fam + "/reviews", review, 409), ("POST", fam + "/close", close, 409),
        ("POST", fam + "/fgdm", exempt, 409), ("PUT", f"{fam}/fgdm/{fgdm_id}", exempt, 409),
        ("POST", f"/families/{other.id}/reopen", {"reason": "Fictional"}, 409),
        ("POST", f"/feedback/{feedback_id}/response", {"we_did": "Fictional: again"}, 409),
        ("GET", unknown + "/plan", None, 404), ("PUT", unknown + "/lead", lead, 404),
        ("POST", unknown + "/team", {"agency_id": str(charity.id), "role": "Family support"}, 404),
        ("DELETE", f"{fam}/team/{uuid.uuid4()}", None, 404),
        ("POST", f"{fam}/plan/goals/{uuid.uuid4()}/actions", action, 404),
        ("POST", f"{goal_path}/{uuid.uuid4()}/status", {"status": "done"}, 404),
        ("POST", unknown + "/reviews", review, 404), ("POST", unknown + "/close", close, 404),
        ("POST", unknown + "/reopen", {"reason": "Fictional"}, 404),
        ("POST", unknown + "/feedback", {"said": "Fictional"}, 404),
        ("POST", f"/feedback/{uuid.uuid4()}/response", {"we_did": "Fictional"}, 404),
        ("POST", unknown + "/fgdm", exempt, 404), ("PUT", f"{fam}/fgdm/{uuid.uuid4()}", exempt, 404),
        ("POST", f"/families/{other.id}/fgdm", {"exempt": True}, 422),
        ("POST", f"/families/{other.id}/feedback", {"said": "x" * (2 * 1024 * 1024)}, 413),
        ("GET", f"/metrics/family-help?from={today}&to=2000-01-01", None, 403),  # a practitioner: managers only
    ]
    manager = staff_api(client, uow, factories.UserFactory(agency=practitioner.agency, role="manager"))
    undocumented = []
    for method, path, body, status in calls:
        response = api.call(method, path, json=body)
        assert response.status_code == status, (method, path, response.get_data(as_text=True)[:300])
        operation = find_operation(spec, method, "/api/v1" + path.partition("?")[0])
        undocumented += [f"{method} {path} {status}: {e}" for e in
                         response_errors(spec, operation, status, response.mimetype, response.get_json())]
    refused = manager.get(f"/metrics/family-help?from={today}&to=2000-01-01")
    operation = find_operation(spec, "GET", "/api/v1/metrics/family-help")
    assert refused.status_code == 422
    undocumented += response_errors(spec, operation, 422, refused.mimetype, refused.get_json())
    assert undocumented == []
