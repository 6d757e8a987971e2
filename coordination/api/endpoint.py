"""`@endpoint`: one declaration per view of what it takes and returns, used twice.

At request time it loads the JSON body and the query string through the declared schemas (refusing
unknown fields) and dumps the view's result through the response schema. openapi.py reads the same
declaration to describe the route, so the document cannot drift from the validation.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema, ValidationError

from schemas.base import TOO_DEEP

SchemaClass = type[Schema]


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    response: SchemaClass | None = None
    status: int = 200
    body: SchemaClass | None = None
    query: SchemaClass | None = None
    errors: tuple[int, ...] = ()
    request_headers: tuple[dict, ...] = ()
    response_headers: dict[str, dict] = field(default_factory=dict)
    # A document that is not JSON (the statutory returns' XML): the view returns its bytes, sent as they are.
    media_type: str = "application/json"


def json_body() -> Any:
    """The request body as JSON, whatever Content-Type it came with (bearer clients only, no forms).

    :raise ValidationError: not JSON, or JSON nested too deeply for the parser (a 422, never a 500).
    """
    try:
        data = request.get_json(force=True, silent=True)
    except RecursionError:
        raise ValidationError({"_schema": [TOO_DEEP]}) from None
    if data is None:
        raise ValidationError({"_schema": ["Send a JSON object as the request body"]})
    return data


def endpoint(summary: str, *, tag: str, response: SchemaClass | None = None, status: int = 200,
             body: SchemaClass | None = None, query: SchemaClass | None = None, errors: tuple[int, ...] = (),
             request_headers: tuple[dict, ...] = (), response_headers: dict[str, dict] | None = None,
             media_type: str = "application/json") -> Callable:
    """Declare a view's schemas. The view gets `body=` / `query=` (loaded dicts) and returns its result,
    or `(result, headers)`; the result is dumped through `response` with `status`. With another `media_type`
    the view's result is the document's bytes, sent unchanged."""
    operation = Operation(summary, tag, response, status, body, query, tuple(errors), request_headers,
                          response_headers or {}, media_type)

    # One instance of each schema per operation, made on first use: a marshmallow schema keeps no state between
    # load/dump calls, and making one deep-copies its declared fields (a fifth of a partner read's own CPU).
    instances: dict[str, Schema] = {}

    def schema(role: str, cls: SchemaClass) -> Schema:
        made = instances.get(role)
        if made is None:
            made = instances[role] = cls()
        return made

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def run(**kwargs: Any) -> Response:
            if operation.body is not None:
                kwargs["body"] = schema("body", operation.body).load(json_body())
            if operation.query is not None:
                kwargs["query"] = schema("query", operation.query).load(request.args)
            result = view(**kwargs)
            headers: dict[str, str] = {}
            if isinstance(result, tuple):
                result, headers = result
            if operation.media_type != "application/json":
                return current_app.response_class(result, status=operation.status, headers=headers,
                                                  mimetype=operation.media_type)
            payload = schema("response", operation.response).dump(result) if operation.response is not None \
                else result
            return current_app.response_class(current_app.json.dumps(payload), status=operation.status,
                                              headers=headers, mimetype="application/json")

        run.openapi = operation  # type: ignore[attr-defined]
        return run

    return decorate


def operation_of(view: Callable | None) -> Operation | None:
    return getattr(view, "openapi", None)
