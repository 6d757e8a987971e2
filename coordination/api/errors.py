"""Every API error as RFC 9457 problem details (`application/problem+json`).

Details come from a DomainError's `message` (written to be shown) or from werkzeug's generic
descriptions, never from `str(exception)`: an unexpected error says only that something went wrong,
and the log gets its type and the stack's file, line and function names, not its message or source
lines (either could hold case data).
"""
from __future__ import annotations

import logging
import traceback
from urllib.parse import quote

from flask import Blueprint, Flask, Response, current_app, g, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, default_exceptions
from werkzeug.exceptions import NotFound as RouteNotFound
from werkzeug.http import HTTP_STATUS_CODES

from coordination import errors
from coordination.extensions import request_id, retry_after_seconds
from schemas.base import flatten_errors
from schemas.problem import ProblemSchema

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = {
    "validation": "urn:coordination:problem:validation",
    "duplicate": "urn:coordination:problem:possible-duplicate-family",
    "stale": "urn:coordination:problem:stale-version",
}
log = logging.getLogger("coordination.api")
# One instance: a marshmallow schema keeps no state between dumps, and making one deep-copies its fields (as
# api.endpoint's one schema per operation). A partner read that finds no cover answers with it.
_PROBLEM = ProblemSchema()


def _instance() -> str:
    """The request path as a URI reference: controls and non-ASCII percent-encoded, as they came in."""
    return quote(request.path, safe="/:@!$&'()*+,;=-._~")


def problem(status: int, detail: str, *, type_: str = "about:blank", title: str | None = None,
            headers: dict[str, str] | None = None, **extra) -> Response:
    body = {"type": type_, "title": title or HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": detail, "instance": _instance(), "request_id": request_id(), **extra}
    return current_app.response_class(current_app.json.dumps(_PROBLEM.dump(body)), status=status,
                                      mimetype=PROBLEM_JSON, headers=headers)


def _discard_work() -> None:
    """Nothing half-done is committed after an error, not even queued audit events."""
    unit = g.get("uow")
    if unit is not None:
        unit.rollback()


def unauthenticated(exc: errors.Unauthenticated) -> Response:
    _discard_work()
    return problem(401, exc.message or "Send valid credentials", headers={"WWW-Authenticate": "Bearer"})


def not_permitted(exc: errors.NotPermitted) -> Response:
    _discard_work()
    return problem(403, exc.message or "You cannot do this")


def not_found(exc: errors.NotFound) -> Response:
    _discard_work()
    return problem(404, exc.message or "Not found")


def conflict(exc: errors.Conflict) -> Response:
    _discard_work()
    if "candidates" in exc.details:
        return problem(409, exc.message, type_=PROBLEM_TYPES["duplicate"], title="Possible duplicate family",
                       candidates=exc.details["candidates"])
    current = exc.details.get("current")
    if current is not None:
        return problem(409, exc.message, type_=PROBLEM_TYPES["stale"], title="Changed since you read it",
                       current_version=current.version, headers={"ETag": f'"{current.version}"'})
    return problem(409, exc.message or "Conflict")


class StaleVersion(Exception):
    """A view's answer to a stale If-Match where 409 already means something else (a likely duplicate): 412."""

    def __init__(self, conflict: errors.Conflict):
        super().__init__(conflict.message)
        self.conflict = conflict


def stale_version(exc: StaleVersion) -> Response:
    _discard_work()
    current = exc.conflict.details["current"]
    return problem(412, exc.conflict.message, type_=PROBLEM_TYPES["stale"], title="Changed since you read it",
                   current_version=current.version, headers={"ETag": f'"{current.version}"'})


def invalid(exc: errors.Invalid) -> Response:
    _discard_work()
    return problem(422, exc.message or "Check the request", type_=PROBLEM_TYPES["validation"],
                   title="Unprocessable content", errors=exc.errors)


def validation_error(exc: ValidationError) -> Response:
    _discard_work()
    return problem(422, "Check the request: some fields are missing or wrong", type_=PROBLEM_TYPES["validation"],
                   title="Unprocessable content", errors=flatten_errors(exc.messages))


def http_error(exc: HTTPException) -> Response:
    _discard_work()
    status = exc.code or 500
    headers = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    detail = exc.description if isinstance(exc.description, str) else HTTP_STATUS_CODES.get(status, "Error")
    response = problem(status, detail, headers=headers)
    if status == 429:
        wait = getattr(exc, "retry_after", None)
        wait = wait if isinstance(wait, int) else retry_after_seconds()
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
    return response


def unexpected(exc: Exception) -> Response:
    _discard_work()
    log.error("Unhandled %s on %s %s (request %s)\n%s", type(exc).__name__, request.method,
              request.url_rule.rule if request.url_rule else "?", request_id(),
              "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(exc.__traceback__)))
    return problem(500, "Something went wrong on our side. Quote the request_id if you ask for help.")


def register_error_handlers(blueprint: Blueprint) -> None:
    blueprint.register_error_handler(errors.Unauthenticated, unauthenticated)
    blueprint.register_error_handler(errors.NotPermitted, not_permitted)
    blueprint.register_error_handler(errors.NotFound, not_found)
    blueprint.register_error_handler(errors.Conflict, conflict)
    blueprint.register_error_handler(errors.Invalid, invalid)
    blueprint.register_error_handler(StaleVersion, stale_version)
    blueprint.register_error_handler(ValidationError, validation_error)
    blueprint.register_error_handler(HTTPException, http_error)
    # Flask looks for handlers by status code before it looks by class, so an app-wide HTML handler
    # for, say, 429 or 413 would otherwise win over the class handler above for API requests.
    for code in default_exceptions:
        blueprint.register_error_handler(code, http_error)
    blueprint.register_error_handler(Exception, unexpected)


def register_routing_problems(app: Flask) -> None:
    """Unknown paths and wrong methods under /api/ get problem+json too.

    Routing fails before any blueprint is chosen, so blueprint error handlers never see these; a hook
    run first (before the web UI's or anyone's) answers them and leaves every other path alone.
    """
    def _api_routing_problem() -> Response | None:
        exc = request.routing_exception
        if isinstance(exc, RouteNotFound | MethodNotAllowed) and request.path.startswith("/api/"):
            return http_error(exc)
        return None

    app.before_request_funcs.setdefault(None, []).insert(0, _api_routing_problem)
