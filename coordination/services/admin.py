"""Agencies and staff users: adding them, and the account changes that end a user's sessions.

Changing a password, a role or deactivating someone ends every session the user has (services.auth.end_sessions),
so a copied session cookie cannot outlive the change. Role changes are for operators (the command line) only:
an admin who could change roles could give themselves case access. A password is changed by its user or an
operator, never by an admin (that would be taking over the account).
"""
from __future__ import annotations

import re
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind, AgencyType, Role
from coordination.domain.cin_census import REFERRAL_SOURCE
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import Agency, User
from coordination.repositories import users as repo
from coordination.services.auth import end_sessions, hash_password


def add_agency(uow: UnitOfWork, actor: Actor, name: str, type_: str) -> Agency:
    if type_ not in {t.value for t in AgencyType}:
        raise Invalid("Unknown agency type", {"type": [f"Choose one of: {', '.join(t.value for t in AgencyType)}"]})
    if not name.strip():
        raise Invalid("Enter a name", {"name": ["Enter the agency's name"]})
    if repo.get_agency_by_name(uow.session, name.strip()):
        raise Conflict(f"An agency called {name!r} already exists")
    agency = Agency(name=name.strip(), type=type_)
    uow.session.add(agency)
    uow.session.flush()
    uow.audit(actor, "create", "agency", agency.id, type=type_)
    return agency


def set_census_referral_source(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, code: str | None) -> Agency:
    """The CIN census ReferralSource for referrals this team makes, when finer than its type gives (health
    visiting 3B, school nursing 3C, CAMHS 3F, another council service 5A–5C); None goes back to its type's.

    :raise NotFound: no such agency.  :raise Invalid: not a DfE ReferralSource code.
    """
    agency = repo.get_agency(uow.session, agency_id)
    if agency is None:
        raise NotFound("Agency not found")
    code = (code or "").strip().upper() or None
    if code is not None and code not in REFERRAL_SOURCE:
        raise Invalid("Unknown referral source", {"code": [f"Choose one of: {', '.join(REFERRAL_SOURCE)}"]})
    agency.census_referral_source = code
    uow.audit(actor, "update", "agency", agency.id, census_referral_source=code)
    return agency


def add_user(uow: UnitOfWork, actor: Actor, email: str, name: str, agency_id: uuid.UUID, role: str,
             password: str) -> User:
    errors: dict[str, list[str]] = {}
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email or ""):
        errors["email"] = ["Enter an email address in the correct format, like name@example.org"]
    if role not in {r.value for r in Role}:
        errors["role"] = [f"Choose one of: {', '.join(r.value for r in Role)}"]
    if repo.get_agency(uow.session, agency_id) is None:
        errors["agency_id"] = ["No such agency"]
    if errors:
        raise Invalid("Check the user's details", errors)
    if repo.get_user_by_email(uow.session, email):
        raise Conflict("A user with that email already exists")
    user = User(email=email.strip().lower(), name=name or email.split("@")[0], agency_id=agency_id, role=role,
                password_hash=hash_password(password))
    uow.session.add(user)
    uow.session.flush()
    uow.audit(actor, "create", "staff_user", user.id, role=role, agency=str(agency_id))
    return user


def _user(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    user = repo.get_user(uow.session, user_id)
    if user is None:
        raise NotFound("No such user")
    return user


def user_id_for_email(uow: UnitOfWork, email: str) -> uuid.UUID:
    """:raise NotFound: no user has that email."""
    user = repo.get_user_by_email(uow.session, email)
    if user is None:
        raise NotFound(f"no user {email}")
    return user.id


def set_password(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, password: str) -> None:
    """:raise NotPermitted: not the user themselves or an operator. :raise Invalid: too short."""
    if actor.kind != ActorKind.SYSTEM and actor.user_id != user_id:
        raise NotPermitted("Only the user or an operator can change a password")
    user = _user(uow, user_id)
    user.password_hash = hash_password(password)
    end_sessions(user)
    uow.audit(actor, "update", "staff_user", user.id, change="password")


def deactivate_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> None:
    """The user can no longer sign in; their sessions and personal access tokens stop working at once."""
    if actor.kind != ActorKind.SYSTEM and not may(actor, Action.MANAGE_USERS):
        raise NotPermitted("Only an admin or an operator can deactivate a user")
    user = _user(uow, user_id)
    user.active = False
    end_sessions(user)
    uow.audit(actor, "update", "staff_user", user.id, change="deactivated")


def change_role(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, role: str) -> None:
    """:raise NotPermitted: not an operator. :raise Invalid: unknown role."""
    if actor.kind != ActorKind.SYSTEM:
        raise NotPermitted("Only an operator can change a user's role")
    if role not in {r.value for r in Role}:
        raise Invalid("Unknown role", {"role": [f"Choose one of: {', '.join(r.value for r in Role)}"]})
    user = _user(uow, user_id)
    before, user.role = user.role, role
    end_sessions(user)
    uow.audit(actor, "update", "staff_user", user.id, change="role", role_before=before, role=role)
