"""Partner agency API keys: asked for by one admin, confirmed by a second person, listed, revoked, expired.

No one person can end up holding a working key. An admin asks for a key for a partner agency (never a
case-holding team: their staff use their own accounts) and is shown the first part of its secret; the key is
pending and nothing authenticates with it. A second person, another admin or a manager of the receiving
agency but never the issuer, confirms it and is shown the second part; only the two parts together
(`<first>.<second>`, given to the partner's system by each person separately) work. Operators' keys from the
command line are issued whole (services.auth.issue_api_key). Every step is an audit event naming the key,
never its secret. Admins see every key; managers see them too (council teams' managers every key, as
oversight; a partner agency's manager its own agency's), with who issued and who confirmed each.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.crypto import token_digest
from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, AgencyType
from coordination.domain.permissions import (
    CASE_HOLDING_AGENCY_TYPES,
    Action,
    may,
    may_confirm_api_key,
    may_hold_api_key,
)
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted, required_text
from coordination.models import ApiKey
from coordination.repositories import users as repo
from coordination.services import auth

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
    state: str                      # pending | active | expired | revoked
    issued_by: str                  # a staff name, or "an operator" for command-line keys
    confirmed_at: dt.datetime | None
    confirmed_by: str | None
    may_confirm: bool               # the viewer may confirm this pending key


def _state(key: ApiKey, now: dt.datetime) -> str:
    if key.revoked_at:
        return "revoked"
    if key.expires_at and key.expires_at <= now:
        return "expired"
    return "active" if key.confirmed_at else "pending"


def _views(uow: UnitOfWork, actor: Actor, keys: list[ApiKey]) -> list[ApiKeyView]:
    now = uow.now()
    names = {i: u.name for i, u in repo.users_by_id(
        uow.session, [k.created_by_id for k in keys] + [k.confirmed_by_id for k in keys]).items()}
    return [ApiKeyView(
        k.id, k.agency_id, k.agency.name, k.name, k.prefix, list(k.scopes or []), k.created_at or now,
        k.expires_at, k.revoked_at, _state(k, now),
        names.get(k.created_by_id, "an operator") if k.created_by_id else "an operator",
        k.confirmed_at, names.get(k.confirmed_by_id) if k.confirmed_by_id else None,
        _state(k, now) == "pending" and may_confirm_api_key(actor, k.agency_id, k.created_by_id),
    ) for k in keys]


def _admin(actor: Actor) -> None:
    if not may(actor, Action.MANAGE_KEYS):
        raise NotPermitted("Only an admin can manage API keys")


def _scope(actor: Actor) -> uuid.UUID | None:
    """None: every key; else the one agency whose keys the actor may see. :raise NotPermitted: none."""
    if may(actor, Action.MANAGE_KEYS):
        return None
    if not may(actor, Action.VIEW_KEYS) or actor.agency_id is None:
        raise NotPermitted("You cannot see API keys")
    return None if actor.agency_type in CASE_HOLDING_AGENCY_TYPES else actor.agency_id


def _key(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID) -> ApiKey:
    key = repo.get_api_key(uow.session, key_id, for_update=True)
    scope = _scope(actor)
    if key is None or (scope is not None and key.agency_id != scope):
        raise NotFound("API key not found")
    return key


def list_api_keys(uow: UnitOfWork, actor: Actor) -> list[ApiKeyView]:
    """The keys the actor may see, newest first (pending, active, expired and revoked)."""
    return _views(uow, actor, repo.list_api_keys(uow.session, _scope(actor)))


def get_api_key(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID) -> ApiKeyView:
    return _views(uow, actor, [_key(uow, actor, key_id)])[0]


def request_api_key(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, name: str, scopes: list[str],
                    expires_at: dt.datetime | None = None) -> tuple[ApiKeyView, str]:
    """An admin asks for a key for a partner agency: returns it (pending) and the first part of its secret.

    :raise NotPermitted: not an admin. :raise Invalid: unknown scope or agency, or a case-holding team.
    """
    _admin(actor)
    auth.check_key_request(uow, agency_id, scopes)
    agency = repo.get_agency(uow.session, agency_id)
    if agency is not None and not may_hold_api_key(AgencyType(agency.type)):
        raise Invalid("Not a partner agency", {"agency_id": [
            "Choose a partner agency: early help and social care teams use their own staff accounts"]})
    first = "cck_" + auth.new_key_part()
    key = ApiKey(agency_id=agency_id, name=name, first_part_digest=token_digest(first), digest=None,
                 prefix=first[:11], scopes=sorted(set(scopes)), expires_at=expires_at, created_by_id=actor.user_id)
    uow.session.add(key)
    uow.session.flush()
    uow.audit(actor, "issue_credential", "api_key", key.id, agency=str(agency_id), scopes=key.scopes,
              state="pending")
    return get_api_key(uow, actor, key.id), first


def confirm_api_key(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID) -> tuple[ApiKeyView, str]:
    """The second person confirms a pending key: it works from now, with the second part returned here.

    :raise NotPermitted: the issuer, or neither an admin nor a manager of the receiving agency.
    :raise Conflict: the key is not pending (already confirmed, revoked or expired).
    """
    key = _key(uow, actor, key_id)
    if not may_confirm_api_key(actor, key.agency_id, key.created_by_id):
        raise NotPermitted("A second admin, or a manager of the receiving agency, confirms a key: not its issuer")
    if _state(key, uow.now()) != "pending" or key.first_part_digest is None:
        raise Conflict("This key is not waiting to be confirmed")
    second = auth.new_key_part()
    key.digest = auth.key_digest(key.first_part_digest, second)
    key.confirmed_at, key.confirmed_by_id = uow.now(), actor.user_id
    uow.session.flush()
    uow.audit(actor, "confirm_credential", "api_key", key.id, agency=str(key.agency_id), scopes=key.scopes,
              issued_by=str(key.created_by_id) if key.created_by_id else None)
    return get_api_key(uow, actor, key.id), second


def revoke_api_key(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID, reason: str) -> ApiKeyView:
    """Revoke a key (a pending one too): it is refused (401) from the very next request.

    :raise Invalid: no reason given. :raise Conflict: already revoked.
    """
    _admin(actor)
    key = _key(uow, actor, key_id)
    reason = required_text(reason, "reason", MAX_REASON_CHARS, ("Enter a reason", "Enter why the key is being revoked"))
    if key.revoked_at is not None:
        raise Conflict("This key has already been revoked")
    key.revoked_at = uow.now()
    uow.session.flush()
    if uow.key_cache:
        uow.key_cache.forget(key.id)  # refused here from the next request; elsewhere within the cache's bound
    uow.audit(actor, "revoke", "api_key", key.id, reason=reason, agency=str(key.agency_id))
    return get_api_key(uow, actor, key.id)


def set_api_key_expiry(uow: UnitOfWork, actor: Actor, key_id: uuid.UUID,
                       expires_at: dt.datetime | None) -> ApiKeyView:
    """Set, change or clear (None) when a key stops working.

    :raise Invalid: the time is not in the future. :raise Conflict: the key is revoked.
    """
    _admin(actor)
    key = _key(uow, actor, key_id)
    if key.revoked_at is not None:
        raise Conflict("A revoked key cannot be given a new expiry")
    if expires_at is not None and expires_at <= uow.now():
        raise Invalid("Expiry in the past", {"expires_at": ["The expiry date must be in the future"]})
    key.expires_at = expires_at
    uow.session.flush()
    if uow.key_cache:
        uow.key_cache.forget(key.id)
    uow.audit(actor, "update", "api_key", key.id,
              expires_at=expires_at.isoformat() if expires_at else None)
    return get_api_key(uow, actor, key.id)

