"""Bearer credentials → Actor, attached to the API blueprint's before_request so no route can forget it."""
from __future__ import annotations

from flask import g, request

from coordination.domain.actors import Actor
from coordination.errors import Unauthenticated
from coordination.extensions import uow
from coordination.services import auth as auth_service


def authenticate_request() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("Send 'Authorization: Bearer <key or token>'")
    g.actor = auth_service.authenticate_bearer(uow(), secret.strip())


def api_actor() -> Actor:
    return g.actor


def rate_limit_key() -> str:
    """Per-credential rate limit key (falls back to the client address)."""
    actor = g.get("actor")
    if actor is not None:
        return f"{actor.kind}:{actor.api_key_id or actor.token_id}"
    return request.remote_addr or "unknown"
