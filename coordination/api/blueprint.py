"""The API blueprints and the one gate every request passes: credentials, then the view's access rule.

`bp` serves the JSON API at /api/v1; `docs_bp` serves the public OpenAPI document at /api. Both are
CSRF-exempt: the API takes bearer credentials only, never cookies, so a browser cannot be tricked into
sending them.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from coordination.auth.api import api_actor, authenticate_request, rate_limit_key
from coordination.auth.decorators import check, rule_of
from coordination.errors import NotPermitted, Unauthenticated
from coordination.extensions import csrf

from . import rate_limit as api_rate_limit

DEFAULT_RATE_LIMIT = "600 per minute"
_AUTH_MEMO = "coordination.api.authentication"

bp = Blueprint("api", __name__, url_prefix="/api/v1")
docs_bp = Blueprint("api_docs", __name__, url_prefix="/api")


def authenticate_once() -> None:
    """Resolve the bearer credential at most once per request; remember a failure for the gate.

    The memo lives in the WSGI environ, not `g`: `g` belongs to the app context, which a test (or any
    caller holding an app context open) shares across requests, and a credential must never outlive
    the request that carried it.
    """
    if _AUTH_MEMO in request.environ:
        return
    g.pop("actor", None)
    try:
        authenticate_request()
    except Unauthenticated as exc:
        request.environ[_AUTH_MEMO] = exc
    else:
        request.environ[_AUTH_MEMO] = None


def rate_limit() -> str:
    return str(current_app.config.get("API_RATE_LIMIT", DEFAULT_RATE_LIMIT))


def limit_rate() -> None:
    """Count the request against its credential's limit (the client address without one), before the gate.

    :raise TooManyRequests: over the limit (a 429 problem with Retry-After).
    """
    authenticate_once()
    api_rate_limit.hit(rate_limit(), rate_limit_key())


def enforce_access_rule() -> None:
    """Deny by default: a view without an access rule is refused, whoever asks.

    :raise Unauthenticated: a non-public route without live credentials.
    :raise NotPermitted: the credential's kind, role or scope does not fit the rule.
    """
    rule = rule_of(current_app.view_functions.get(request.endpoint or ""))
    if rule is None:
        raise NotPermitted("This route is not open to anyone")
    if rule.audience == "public":
        return
    authenticate_once()
    failure = request.environ[_AUTH_MEMO]
    if failure is not None:
        raise failure
    check(api_actor(), rule)


bp.before_request(limit_rate)
bp.before_request(enforce_access_rule)
docs_bp.before_request(enforce_access_rule)
csrf.exempt(bp)
csrf.exempt(docs_bp)

