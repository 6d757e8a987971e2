"""Staff sign-in (argon2), personal access tokens and partner API keys → an Actor.

Secrets are shown once and stored as SHA-256 digests (they are 256-bit random, so a slow hash adds
nothing); passwords are argon2id hashes.
"""
from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from coordination.crypto import token_digest
from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind, AgencyType, Role
from coordination.domain.permissions import API_SCOPES
from coordination.errors import Invalid, NotFound, NotPermitted, TooManyAttempts, Unauthenticated
from coordination.models import ApiKey, PersonalAccessToken, User
from coordination.repositories import users as repo

_hasher = PasswordHasher()
# Verified against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid("Password too short",
                      {"password": [f"Password must be {MIN_PASSWORD_LENGTH} characters or more"]})
    return _hasher.hash(password)


def unusable_password_hash() -> str:
    """A hash no password matches (a random one, never shown): for an account whose owner has yet to set one."""
    return _hasher.hash(secrets.token_urlsafe(32))


def actor_for_user(user: User, token_id: uuid.UUID | None = None) -> Actor:
    return Actor(kind=ActorKind.USER, agency_id=user.agency_id, agency_type=AgencyType(user.agency.type),
                 role=Role(user.role), user_id=user.id, token_id=token_id, display=user.name)


def actor_for_key(key: ApiKey) -> Actor:
    return Actor(kind=ActorKind.API_KEY, agency_id=key.agency_id, agency_type=AgencyType(key.agency.type),
                 api_key_id=key.id, scopes=frozenset(key.scopes or ()), display=key.name)


class Backoff(Protocol):
    """Per-account counting of failed sign-ins (coordination.auth.backoff keeps it in Redis or memory)."""

    def wait(self, account: str) -> int:
        """Seconds this account must still wait before an attempt is tried (0: none)."""

    def failed(self, account: str) -> tuple[int, int]:
        """Count a failure: (failures in the window, seconds of back-off it starts, 0 for none)."""

    def succeeded(self, account: str) -> None:
        """Forget the account's failures."""


def sign_in(uow: UnitOfWork, email: str, password: str, backoff: Backoff | None = None) -> User | None:
    """Check a password. Success and failure are both audited (the failure without the email's text).

    With `backoff`, an account with too many recent failures is refused without the password being tried,
    whether or not the email exists, and the back-off's start and each refusal are audited.
    :raise TooManyAttempts: the account is waiting (its `retry_after` says how long).
    """
    email = (email or "").strip().lower()
    account = uow.blind("email", (email or "").strip().casefold())
    unknown = Actor.system("anonymous")
    waiting = backoff.wait(account) if backoff else 0
    if waiting:
        uow.audit(unknown, "sign_in_refused", "staff_user", None, email_digest=account[:16], retry_after=waiting)
        raise TooManyAttempts("Too many attempts", retry_after=waiting)
    user = repo.get_user_by_email(uow.session, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    if ok and user is not None:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.last_sign_in_at = uow.now()
        if backoff:
            backoff.succeeded(account)
        uow.audit(actor_for_user(user), "sign_in", "staff_user", user.id)
        return user
    uow.audit(unknown, "sign_in_failed", "staff_user", user.id if user else None,
              email_digest=account[:16], known_user=user is not None)
    failures, seconds = backoff.failed(account) if backoff else (0, 0)
    if seconds:
        uow.audit(unknown, "sign_in_backoff", "staff_user", user.id if user else None,
                  email_digest=account[:16], failures=failures, seconds=seconds)
    return None


def end_sessions(user: User) -> None:
    """Every session of `user` issued before now stops working (the caller audits why)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def sign_out(uow: UnitOfWork, actor: Actor) -> None:
    """Sign out: ends this user's sessions everywhere, copies of the cookie included."""
    user = repo.get_user(uow.session, actor.user_id) if actor.user_id else None
    if user is not None:
        end_sessions(user)
    uow.audit(actor, "sign_out", "staff_user", actor.user_id)


def load_session_user(uow: UnitOfWork, user_id: str, epoch: str) -> User | None:
    """The active user a session names, if the session's epoch is still the user's current one."""
    try:
        user = repo.get_user(uow.session, uuid.UUID(user_id))
    except ValueError:
        return None
    if user is None or not user.active or epoch != str(user.session_epoch or 0):
        return None
    return user


def _new_secret(prefix: str) -> tuple[str, str]:
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    return secret, secret[: len(prefix) + 7]


def issue_token(uow: UnitOfWork, actor: Actor, user: User, expires_at: dt.datetime | None = None) -> str:
    secret, prefix = _new_secret("pat")
    token = PersonalAccessToken(user_id=user.id, digest=token_digest(secret), prefix=prefix,
                                expires_at=expires_at)
    uow.session.add(token)
    uow.session.flush()
    uow.audit(actor, "issue_credential", "personal_access_token", token.id, subject_user_id=str(user.id))
    return secret


def issue_token_for_email(uow: UnitOfWork, actor: Actor, email: str) -> str:
    """A personal access token for the staff user with this email (the command line's `token issue`).

    :raise NotFound: no user has that email.
    """
    user = repo.get_user_by_email(uow.session, email)
    if user is None:
        raise NotFound(f"no user {email}")
    return issue_token(uow, actor, user)


def check_key_request(uow: UnitOfWork, agency_id: uuid.UUID, scopes: list[str]) -> None:
    """:raise Invalid: an unknown scope or agency."""
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown:
        raise Invalid("Unknown scope", {"scopes": [f"Unknown scope: {', '.join(unknown)}"]})
    if repo.get_agency(uow.session, agency_id) is None:
        raise Invalid("Unknown agency", {"agency_id": ["No such agency"]})


def new_key_part() -> str:
    """One of the two halves of an API key's secret (256 bits each)."""
    return secrets.token_urlsafe(32)


def key_digest(first_part_digest: str, second_part: str) -> str:
    """The lookup digest of a whole key, from the digest of its first part and its second part.

    The second part is never stored, and the first only as a digest, so neither the issuer nor the
    confirmer nor a copy of the database holds a working key."""
    return token_digest(f"{first_part_digest}.{second_part}")


def issue_api_key(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, name: str, scopes: list[str],
                  expires_at: dt.datetime | None = None) -> tuple[ApiKey, str]:
    """An operator's key (the command line): working at once, the whole secret returned to be shown once.

    Staff ask for keys through services.api_keys.request_api_key instead, which needs a second person.
    :raise NotPermitted: not an operator (system actor). :raise Invalid: an unknown scope or agency.
    """
    if actor.kind != ActorKind.SYSTEM:
        raise NotPermitted("Staff ask for a key; a second person confirms it")
    check_key_request(uow, agency_id, scopes)
    first, second = "cck_" + new_key_part(), new_key_part()
    key = ApiKey(agency_id=agency_id, name=name, first_part_digest=token_digest(first),
                 digest=key_digest(token_digest(first), second), prefix=first[:11], scopes=sorted(set(scopes)),
                 expires_at=expires_at, confirmed_at=uow.now())
    uow.session.add(key)
    uow.session.flush()
    uow.audit(actor, "issue_credential", "api_key", key.id, agency=str(agency_id), scopes=key.scopes,
              state="active")
    return key, f"{first}.{second}"


def _live(expires_at: dt.datetime | None, revoked_at: dt.datetime | None, now: dt.datetime) -> bool:
    if revoked_at is not None:
        return False
    if expires_at is None:
        return True
    return expires_at > now


def authenticate_bearer(uow: UnitOfWork, secret: str) -> Actor:
    """Resolve a bearer credential to an Actor.

    :raise Unauthenticated: missing, unknown, expired or revoked; or the user is deactivated.
    """
    if not secret:
        raise Unauthenticated("Missing credentials")
    digest = token_digest(secret)
    now = uow.now()
    if secret.startswith("pat_"):
        token = repo.get_token_by_digest(uow.session, digest)
        if token and _live(token.expires_at, token.revoked_at, now) and token.user.active:
            return actor_for_user(token.user, token_id=token.id)
    elif secret.startswith("cck_"):
        first, dot, second = secret.partition(".")
        if dot:  # keys issued since keys have two parts; older ones are one part, digested whole
            digest = key_digest(token_digest(first), second)
        cached = uow.key_cache.get(digest, now) if uow.key_cache else None
        if cached is not None:
            return cached
        key = repo.get_api_key_by_digest(uow.session, digest)
        if key and key.confirmed_at is not None and _live(key.expires_at, key.revoked_at, now):
            actor = actor_for_key(key)
            if uow.key_cache:
                uow.key_cache.put(digest, actor, key.expires_at)
            return actor
    raise Unauthenticated("Unknown, expired or revoked credentials")
