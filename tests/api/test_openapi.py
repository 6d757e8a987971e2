"""The OpenAPI document: 3.1, public, every route, and built from the schemas that validate requests."""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re

import pytest
from marshmallow import Schema, ValidationError

import schemas
from coordination.api.endpoint import operation_of
from schemas.base import flatten_errors

from .conftest import PROBLEM_JSON, new_family_body

METHODS = ("get", "put", "post", "delete", "patch")


def schema_classes() -> dict[str, type[Schema]]:
    """Every schema class of the `schemas` package, by its OpenAPI component name."""
    found: dict[str, type[Schema]] = {}
    for module_info in pkgutil.iter_modules(schemas.__path__):
        module = importlib.import_module(f"schemas.{module_info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls.__module__ == module.__name__:
                found[cls.__name__.removesuffix("Schema")] = cls
    return found


def component(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


@pytest.fixture
def spec(anonymous):
    response = anonymous.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_document_is_openapi_3_1_with_bearer_security(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]
    bearer = spec["components"]["securitySchemes"]["bearer"]
    assert bearer["type"] == "http" and bearer["scheme"] == "bearer"
    assert spec["security"] == [{"bearer": []}]
    assert spec["paths"]["/api/openapi.json"]["get"]["security"] == []


def test_document_lists_every_api_route_and_method(app, spec):
    expected = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            expected |= {(path, m.lower()) for m in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, method, _ in operations(spec)}
    assert documented == expected
    assert {p for p, _ in expected if p.startswith("/api/v1/")} >= {
        "/api/v1/families", "/api/v1/families/{family_id}", "/api/v1/families/{family_id}/assessment",
        "/api/v1/families/{family_id}/assessment/sections/{key}",
        "/api/v1/families/{family_id}/assessment/sections/{key}/history", "/api/v1/families/{family_id}/voice"}


def test_every_protected_operation_documents_its_problems(spec):
    for path, method, op in operations(spec):
        if path == "/api/openapi.json":
            continue
        for status in ("401", "403", "429"):
            content = op["responses"][status]["content"]
            assert component(content[PROBLEM_JSON]["schema"]["$ref"]) == "Problem", (path, method, status)
        if "{family_id}" in path:
            assert "404" in op["responses"], (path, method)
        if "requestBody" in op:
            assert "422" in op["responses"], (path, method)


def test_path_ids_are_uuids_and_every_path_parameter_is_declared(spec):
    for path, method, op in operations(spec):
        declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert declared == {segment.strip("{}") for segment in path.split("/") if segment.startswith("{")}
        for p in op["parameters"]:
            if p["name"] == "family_id":
                assert p["schema"] == {"type": "string", "format": "uuid"}, (path, method)


def test_request_bodies_name_the_very_schemas_the_views_load(app, spec):
    classes = schema_classes()
    views = {view.__name__: view for view in app.view_functions.values()}
    seen = 0
    for _path, _method, op in operations(spec):
        if "requestBody" not in op:
            continue
        name = component(op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        assert classes[name] is operation_of(views[op["operationId"]]).body
        loaded_fields = classes[name]().fields
        documented = spec["components"]["schemas"][name]
        assert set(documented["properties"]) == set(loaded_fields)
        assert set(documented.get("required", [])) == {n for n, f in loaded_fields.items() if f.required}
        assert documented["additionalProperties"] is False  # unknown fields are refused
        seen += 1
    with_body = {v for v in app.view_functions.values() if operation_of(v) and operation_of(v).body}
    assert seen == len(with_body) >= 4


def test_search_query_parameters_are_documented(spec):
    op = spec["paths"]["/api/v1/families"]["get"]
    assert {p["name"] for p in op["parameters"] if p["in"] == "query"} == {
        "reference", "nhs_number", "upn", "given_name", "family_name", "date_of_birth", "name"}


def test_section_save_documents_if_match_and_etag(spec):
    op = spec["paths"]["/api/v1/families/{family_id}/assessment/sections/{key}"]["put"]
    [if_match] = [p for p in op["parameters"] if p["in"] == "header"]
    assert if_match["name"] == "If-Match" and if_match["required"] is True
    assert "ETag" in op["responses"]["200"]["headers"]
    assert {"409", "428"} <= set(op["responses"])


def test_problem_schema_documents_the_flat_field_map(spec):
    problem = spec["components"]["schemas"]["Problem"]["properties"]
    assert {"type", "title", "status", "detail", "instance", "errors", "candidates", "current_version"} <= set(problem)
    assert "people.0.nhs_number" in problem["errors"]["description"]
    messages = problem["errors"]["additionalProperties"]
    assert messages["type"] == "array" and messages["items"]["type"] == "string"


def _operation_schema(spec, path, method):
    ref = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return schema_classes()[component(ref)]


def test_spec_request_schemas_accept_and_refuse_the_same_bodies_as_the_api(spec, api_as, practitioner,
                                                                          make_family):
    family = make_family(practitioner)
    api = api_as(practitioner)
    section = f"/api/v1/families/{family.id}/assessment/sections/health"
    voice_path = f"/api/v1/families/{family.id}/voice"
    cases = [
        ("/api/v1/families", "post", "/api/v1/families", new_family_body(), 201),
        ("/api/v1/families", "post", "/api/v1/families", {"people": [{"role": "child"}], "pets": 2}, 422),
        ("/api/v1/families/{family_id}/assessment/sections/{key}", "put", section, {"content": "Asthma."}, 200),
        ("/api/v1/families/{family_id}/assessment/sections/{key}", "put", section, {"content": 7}, 422),
        ("/api/v1/families/{family_id}/voice", "post", voice_path,
         {"child_id": str(family.children[0].id), "words": "I like the park.", "method": "drawing",
          "recorded_on": dt.date.today().isoformat()}, 201),
        ("/api/v1/families/{family_id}/voice", "post", voice_path,
         {"child_id": "nobody", "words": "", "method": "drawing", "recorded_on": "yesterday"}, 422),
        ("/api/v1/families/{family_id}/voice", "post", voice_path,
         {"child_id": str(family.children[0].id), "words": "I keep a diary.", "method": "own_words",
          "recorded_on": dt.date.today().isoformat(), "confidential": True}, 201),
        ("/api/v1/families/{family_id}/voice", "post", voice_path,
         {"child_id": str(family.children[0].id), "words": "I keep a diary.", "method": "own_words",
          "recorded_on": dt.date.today().isoformat(), "confidential": "yes"}, 422),
    ]
    for template, method, url, body, status in cases:
        schema = _operation_schema(spec, template, method)
        response = api.call(method.upper(), url, json=body, headers={"If-Match": "0"})
        assert response.status_code == status, (url, response.get_json())
        if status < 400:
            schema().load(body)
        else:
            with pytest.raises(ValidationError) as refused:
                schema().load(body)
            assert flatten_errors(refused.value.messages) == response.get_json()["errors"]


def test_success_responses_match_their_documented_schemas(spec, api_as, practitioner, make_family):
    """Each documented 2xx schema loads (strictly: no unknown fields) the body the API really sends."""
    family = make_family(practitioner)
    api = api_as(practitioner)
    classes = schema_classes()
    for template, url in [
        ("/api/v1/families/{family_id}", f"/api/v1/families/{family.id}"),
        ("/api/v1/families/{family_id}/assessment", f"/api/v1/families/{family.id}/assessment"),
        ("/api/v1/families/{family_id}/voice", f"/api/v1/families/{family.id}/voice"),
        ("/api/v1/families/{family_id}/assessment/sections/{key}/history",
         f"/api/v1/families/{family.id}/assessment/sections/safety/history"),
    ]:
        ref = spec["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        classes[component(ref)]().load(api.get(url).get_json())


def test_the_voice_request_documents_confidential_as_an_optional_boolean(spec):
    request = _operation_schema(spec, "/api/v1/families/{family_id}/voice", "post")
    name = component(spec["paths"]["/api/v1/families/{family_id}/voice"]["post"]["requestBody"]["content"]
                     ["application/json"]["schema"]["$ref"])
    body = spec["components"]["schemas"][name]
    assert body["properties"]["confidential"]["type"] == "boolean"
    assert "only that young person sees it" in body["properties"]["confidential"]["description"]
    assert "confidential" not in body.get("required", [])
    assert request().load({"child_id": "7d1f3a52-8c1e-4e43-9d2e-0a5b1c6d7e8f", "words": "Hi", "method": "drawing",
                           "recorded_on": "2026-01-02"})["confidential"] is False
    listed = spec["components"]["schemas"][component(
        spec["paths"]["/api/v1/families/{family_id}/voice"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"]["$ref"])]
    entry = listed["properties"]["items"]["items"]
    entry = spec["components"]["schemas"][component(entry["$ref"])] if "$ref" in entry else entry
    assert entry["properties"]["confidential"]["type"] == "boolean" and "confidential" in entry["required"]
