"""Partner agency API keys after they are issued: the admin's list, revoking a key and setting its expiry.

Issuing stays in services.auth.issue_api_key (the secret is shown once and stored as a digest). Only an
admin (Action.MANAGE_KEYS) may use these; each change is an audit event naming the key, never its secret.
A revocation's reason goes in the audit event's reason (it is about a credential, not about a family).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import ApiKey
from coordination.repositories import users as repo

MAX_REASON_CHARS = 500


@dataclass
class ApiKeyView:
    id: uuid.UUID
    agency_id: uuid.UUID
    agency_name: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    state: str                      # active | expired | revoked


def _view(key: ApiKey, now: dt.datetime) -> ApiKeyView:
    expires_at, revoked_at = key.expires_at, key.revoked_at
    state = "revoked" if revoked_at else "expired" if expires_at and expires_at <= now else "active"
    return ApiKeyView(key.id, key.agency_id, key.agency.name, key.name, key.prefix, list(key.scopes or []),
                      key.created_at or now, expires_at, revoked_at, state)


def _admin(actor: Actor) -> None:
    if not may(actor, Action.MANAGE_KEYS):
        raise NotPermitted("Only an admin can manage API keys")


def _key(uow: UnitOfWork, key_id: uuid.UUID) -> ApiKey:
    key = repo.get_api_key(uow.session, key_id, for_update=True)
    if key is None:
        raise NotFound("API key not found")
    return key


def list_api_keys(uow: UnitOfWork, actor: Actor) -> list[ApiKeyView]:
    """Every partner API key, newest first (active, expired and revoked)."""
    _admin(actor)
    return [_view(k, uow.now()) for k in repo.list_api_keys(uow.session)]


def get_api_key(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID) -> ApiKeyView:
    _admin(actor)
    return _view(_key(uow, key_id), uow.now())


def revoke_api_key(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID, reason: str) -> ApiKeyView:
    """Revoke a key: it is refused (401) from the very next request.

    :raise Invalid: no reason given. :raise Conflict: already revoked.
    """
    _admin(actor)
    key = _key(uow, key_id)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Enter a reason", {"reason": ["Enter why the key is being revoked"]})
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid("Too long", {"reason": [f"Enter {MAX_REASON_CHARS} characters or fewer"]})
    if key.revoked_at is not None:
        raise Conflict("This key has already been revoked")
    key.revoked_at = uow.now()
    uow.session.flush()
    uow.audit(actor, "revoke", "api_key", key.id, reason=reason, agency=str(key.agency_id))
    return _view(key, uow.now())


def set_api_key_expiry(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID,
                       expires_at: dt.datetime | None) -> ApiKeyView:
    """Set, change or clear (None) when a key stops working.

    :raise Invalid: the time is not in the future. :raise Conflict: the key is revoked.
    """
    _admin(actor)
    key = _key(uow, key_id)
    if key.revoked_at is not None:
        raise Conflict("A revoked key cannot be given a new expiry")
    if expires_at is not None and expires_at <= uow.now():
        raise Invalid("Expiry in the past", {"expires_at": ["The expiry date must be in the future"]})
    key.expires_at = expires_at
    uow.session.flush()
    uow.audit(actor, "update", "api_key", key.id,
              expires_at=expires_at.isoformat() if expires_at else None)
    return _view(key, uow.now())
