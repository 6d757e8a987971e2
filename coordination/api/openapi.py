"""The OpenAPI 3.1 document, assembled from the routes and the `@endpoint` schemas they validate with.

Every route of the API blueprints that carries an `@endpoint` declaration is described; the request and
response bodies are the very marshmallow classes the views load and dump (apispec's MarshmallowPlugin
names them after the class, less "Schema": `FamilyCreateRequestSchema` → `FamilyCreateRequest`).
"""
from __future__ import annotations

import inspect
import re
from importlib.metadata import PackageNotFoundError, version

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, current_app
from werkzeug.routing import Rule

from coordination.auth.decorators import access, rule_of
from coordination.domain.text import PATTERN
from schemas.problem import ProblemSchema

from .blueprint import docs_bp
from .endpoint import Operation, endpoint, operation_of
from .errors import PROBLEM_JSON

API_BLUEPRINTS = ("api", "api_docs")
ERROR_TEXT = {
    400: "A header is malformed",
    401: "Missing, unknown, expired or revoked credentials",
    403: "Your role, or your key's kind or scope, does not allow this",
    404: "No such family (or one you may not know exists), or no such record of it (a section, person, goal, "
         "action, team member, feedback, ...)",
    409: "Conflicts with the record as it stands (`detail` says how): a likely duplicate family (`candidates`), the "
         "section changed since you read it (`current_version`), a closed plan, or done already",
    413: "The request body is over 2 MB",  # MAX_CONTENT_LENGTH in coordination/__init__.py
    422: "Some fields are missing or wrong: `errors` maps each field path to messages",
    428: "If-Match is missing",
    429: "Too many requests with this credential; wait for Retry-After seconds",
}
DESCRIPTION = """Staff and partner JSON API of the early help case coordination service.

Send `Authorization: Bearer <personal access token or partner API key>`. Errors are RFC 9457 problem
details (`application/problem+json`). A family you may not know exists answers 404, never 403.
Dates are ISO 8601.

Text: every string (in bodies, queries and field names) may hold any character but the C0 control
characters other than tab, line feed and carriage return (each string's `pattern`), and no lone surrogate
(`\\ud800` to `\\udfff` in JSON, which no pattern can express): otherwise 422 naming the field. A body nested
more than 32 levels deep is 422. Rules the schemas cannot state (NHS number and UPN check digits, a child of
this family, the stages a pathway allows next, dates relative to today) are checked by the service and
answered 422 with the same field map."""
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def _api_version() -> str:
    try:
        return version("coordination")
    except PackageNotFoundError:
        return "0"


def openapi_path(rule: Rule) -> tuple[str, list[dict]]:
    """A werkzeug rule → an OpenAPI path template and its path parameters."""
    params: list[dict] = []

    def replace(match: re.Match) -> str:
        schema = {"type": "string", "format": "uuid"} if match["converter"] == "uuid" else {"type": "string"}
        params.append({"in": "path", "name": match["name"], "required": True, "schema": schema})
        return "{" + match["name"] + "}"

    return _ARGUMENT.sub(replace, rule.rule), params


def _problem(status: int) -> dict:
    return {"description": ERROR_TEXT.get(status, "Error"), "content": {PROBLEM_JSON: {"schema": ProblemSchema}}}


def _operation(view, op: Operation, path_params: list[dict]) -> dict:
    rule = rule_of(view)
    public = rule is not None and rule.audience == "public"
    success: dict = {"description": op.summary}
    if op.response is not None:
        success["content"] = {"application/json": {"schema": op.response}}
    elif op.media_type != "application/json":
        success["content"] = {op.media_type: {"schema": {"type": "string"}}}
    if op.response_headers:
        success["headers"] = op.response_headers
    responses: dict = {str(op.status): success}
    statuses = set(op.errors) | (set() if public else {401, 403, 429}) | ({413} if op.body is not None else set())
    for status in sorted(statuses):
        responses[str(status)] = _problem(status)
    if 401 in statuses:
        responses["401"]["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    parameters = [*path_params, *op.request_headers]
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    described = {
        "operationId": view.__name__, "summary": op.summary, "description": inspect.getdoc(view) or "",
        "tags": [op.tag], "parameters": parameters, "responses": responses,
    }
    if rule is not None and rule.audience != "public":
        described["x-audience"] = rule.audience
    if public:
        described["security"] = []
    if op.body is not None:
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    return described


def _as_enforced(_converter, field, ret: dict, **_kwargs) -> dict:
    """Each property as the server takes it: a string keeps the text rule (its pattern) unless it has a
    format, an enum or a stricter pattern; a nullable enum lists null; no `default: null` where null is
    not allowed (marshmallow's load_default=None means "absent", not a value to send)."""
    declared = ret.get("type")
    types: list = declared if isinstance(declared, list) else [declared]
    if "string" in types and not {"format", "enum", "pattern"} & set(ret):
        ret["pattern"] = PATTERN
    if "enum" in ret and "null" in types and None not in ret["enum"]:
        ret["enum"] = [*ret["enum"], None]
    if "default" in ret and ret["default"] is None and "null" not in types:
        del ret["default"]
    return {}


def _tidy_query_parameters(paths: dict) -> None:
    """A query string cannot carry null: its parameters are plain strings (or their enums) with no null."""
    for operations in paths.values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query" or not isinstance(schema.get("type"), list):
                    continue
                schema["type"] = [t for t in schema["type"] if t != "null"][0]
                if "enum" in schema:
                    schema["enum"] = [v for v in schema["enum"] if v is not None]
                if schema.get("default", 0) is None:
                    del schema["default"]


def _add_schema_rules(components: dict, classes: set[type]) -> None:
    """Rules across fields that a schema states in `openapi_extra` (anyOf, if/then), merged into its component."""
    for cls in classes:
        extra = getattr(cls, "openapi_extra", None)
        name = cls.__name__.removesuffix("Schema")
        if extra and name in components:
            components[name].update(extra)


def build_spec(app: Flask) -> dict:
    plugin = MarshmallowPlugin()
    spec = APISpec(title="Early help case coordination API", version=_api_version(), openapi_version="3.1.0",
                   plugins=[plugin], info={"description": DESCRIPTION},
                   security=[{"bearer": []}])
    assert plugin.converter is not None
    plugin.converter.add_attribute_function(_as_enforced)
    spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer",
        "description": "A staff personal access token (pat_…) or a partner API key (cck_…)."})
    spec.components.schema("Problem", schema=ProblemSchema)
    paths: dict[str, dict] = {}
    bodies: set[type] = set()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint.partition(".")[0] not in API_BLUEPRINTS:
            continue
        view = app.view_functions[rule.endpoint]
        op = operation_of(view)
        if op is None:
            continue
        path, params = openapi_path(rule)
        bodies |= {op.body} if op.body is not None else set()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(view, op, params)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    _tidy_query_parameters(document["paths"])
    _add_schema_rules(document["components"]["schemas"], bodies)
    return document


@docs_bp.get("/openapi.json")
@access("public")
@endpoint("This OpenAPI document", tag="meta")
def openapi_document():
    """The OpenAPI 3.1 description of this API, generated from the schemas that validate requests."""
    cache = current_app.extensions.setdefault("coordination_openapi", {})
    if "spec" not in cache:
        cache["spec"] = build_spec(current_app._get_current_object())  # type: ignore[attr-defined]
    return cache["spec"]
