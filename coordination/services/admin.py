"""Agencies and staff users: listing and adding them, and the account changes that end a user's sessions.

The admin console (web) and the operator's command line call these same functions. Admins (MANAGE_USERS) and
operators (the system actor) may use them; nobody else. What an admin sees of a staff member is their account
(name, email, agency, role, status, last sign-in), never anything about families.

Changing a password, a role or deactivating someone ends every session the user has (services.auth.end_sessions),
so a copied session cookie cannot outlive the change. An admin changes other people's accounts, never their own
(domain.accounts): changing their own role could give them case access. A password is changed by its user (with
their password, or a one-time link sent to their own email: services.password_reset) or an operator, never set
by an admin (that would be taking over the account).
"""
from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.accounts import (
    CONTACT_LIMIT,
    EMAIL_LIMIT,
    NAME_LIMIT,
    STAFF_PAGE_SIZE,
    is_own_account,
)
from coordination.domain.actors import Actor, ActorKind, AgencyType, Role
from coordination.domain.cin_census import REFERRAL_SOURCE
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, FieldErrors, Invalid, NotFound, NotPermitted
from coordination.models import Agency, User
from coordination.repositories import users as repo
from coordination.services.auth import end_sessions, hash_password, unusable_password_hash

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _require_admin(actor: Actor) -> None:
    """:raise NotPermitted: neither an admin nor an operator."""
    if actor.kind != ActorKind.SYSTEM and not may(actor, Action.MANAGE_USERS):
        raise NotPermitted("Only an admin or an operator can manage staff and agencies")


def _not_own(actor: Actor, user_id: uuid.UUID, what: str) -> None:
    if is_own_account(actor, user_id):
        raise NotPermitted(f"Ask another admin to {what} your own account")


# ---- what the console shows ---------------------------------------------------------------------

@dataclass(frozen=True)
class StaffView:
    id: uuid.UUID
    name: str
    email: str
    agency_id: uuid.UUID
    agency_name: str
    agency_type: str
    role: str
    active: bool
    last_sign_in_at: object
    created_at: object
    is_you: bool = False


@dataclass(frozen=True)
class StaffPage:
    items: list[StaffView]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class AgencyView:
    id: uuid.UUID
    name: str
    type: str
    contact: str | None
    staff: int


def _staff_view(actor: Actor, user: User) -> StaffView:
    return StaffView(id=user.id, name=user.name, email=user.email, agency_id=user.agency_id,
                     agency_name=user.agency.name, agency_type=user.agency.type, role=user.role,
                     active=bool(user.active), last_sign_in_at=user.last_sign_in_at, created_at=user.created_at,
                     is_you=is_own_account(actor, user.id))


def list_staff(uow: UnitOfWork, actor: Actor, *, agency_id: uuid.UUID | None = None, role: str | None = None,
               active: bool | None = None, page: int = 1) -> StaffPage:
    """One page of staff accounts, by name, filtered by agency, role and whether active (None: any)."""
    _require_admin(actor)
    total = repo.count_staff(uow.session, agency_id=agency_id, role=role, active=active)
    pages = max(1, math.ceil(total / STAFF_PAGE_SIZE))
    page = min(max(1, page), pages)
    users = repo.list_staff(uow.session, agency_id=agency_id, role=role, active=active,
                            offset=(page - 1) * STAFF_PAGE_SIZE, limit=STAFF_PAGE_SIZE)
    return StaffPage(items=[_staff_view(actor, u) for u in users], total=total, page=page, pages=pages)


def get_staff(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> StaffView:
    """:raise NotPermitted: not an admin. :raise NotFound: no such user."""
    _require_admin(actor)
    return _staff_view(actor, _user(uow, user_id))


def list_agencies(uow: UnitOfWork, actor: Actor) -> list[AgencyView]:
    """Every agency by name, with how many active staff it has."""
    _require_admin(actor)
    counts = repo.active_staff_counts(uow.session)
    return [AgencyView(a.id, a.name, a.type, a.contact, counts.get(a.id, 0))
            for a in sorted(repo.list_agencies(uow.session), key=lambda a: a.name.casefold())]


def get_agency(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID) -> AgencyView:
    _require_admin(actor)
    agency = repo.get_agency(uow.session, agency_id)
    if agency is None:
        raise NotFound("No such agency")
    return AgencyView(agency.id, agency.name, agency.type, agency.contact,
                      repo.active_staff_counts(uow.session).get(agency.id, 0))


# ---- agencies -----------------------------------------------------------------------------------

def _check_agency(uow: UnitOfWork, name: str, contact: str | None, agency_id: uuid.UUID | None) -> FieldErrors:
    errors = FieldErrors()
    errors.require_text("name", name, "the agency's name", NAME_LIMIT)
    if "name" not in errors:
        same = repo.get_agency_by_name(uow.session, name.strip())
        if same is not None and same.id != agency_id:
            errors.add("name", "An agency with this name already exists")
    if contact and len(contact) > CONTACT_LIMIT:
        errors.add("contact", f"Contact details must be {CONTACT_LIMIT} characters or fewer")
    return errors


def add_agency(uow: UnitOfWork, actor: Actor, name: str, type_: str, contact: str | None = None) -> Agency:
    """:raise Invalid: every problem with the name, type and contact at once. :raise Conflict: the name is taken
    (when it is the only problem, so the command line can say so)."""
    _require_admin(actor)
    errors = _check_agency(uow, name or "", contact, None)
    if type_ not in {t.value for t in AgencyType}:
        errors.add("type", "Select the type of agency")
    if errors.errors == {"name": ["An agency with this name already exists"]}:
        raise Conflict(f"An agency called {name.strip()!r} already exists")
    if errors:
        raise Invalid("Check the agency's details", errors.errors)
    agency = Agency(name=name.strip(), type=type_, contact=(contact or "").strip() or None)
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


def update_agency(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, name: str, contact: str | None) -> Agency:
    """Rename an agency or change its contact route. Its type is fixed: it decides what its staff may see, and
    changing it would change that for everyone in it at once (an operator's decision).

    :raise Invalid: a problem with the name or contact. :raise NotFound: no such agency."""
    _require_admin(actor)
    agency = repo.get_agency(uow.session, agency_id)
    if agency is None:
        raise NotFound("No such agency")
    errors = _check_agency(uow, name or "", contact, agency.id)
    if errors:
        raise Invalid("Check the agency's details", errors.errors)
    changed = [f for f, old, new in (("name", agency.name, name.strip()),
                                     ("contact", agency.contact, (contact or "").strip() or None)) if old != new]
    agency.name, agency.contact = name.strip(), (contact or "").strip() or None
    uow.audit(actor, "update", "agency", agency.id, changed=changed)
    return agency


# ---- staff --------------------------------------------------------------------------------------

def check_new_user(uow: UnitOfWork, actor: Actor, email: str, name: str, agency_id: uuid.UUID | None,
                   role: str) -> dict[str, list[str]]:
    """Every problem with a new staff member's details, by field (empty: they can be added)."""
    _require_admin(actor)
    errors = FieldErrors()
    errors.require_text("name", name, "their full name", NAME_LIMIT)
    email = (email or "").strip()
    if not email:
        errors.add("email", "Enter their email address")
    elif len(email) > EMAIL_LIMIT or not EMAIL.fullmatch(email):
        errors.add("email", "Enter an email address in the correct format, like name@example.org")
    elif repo.get_user_by_email(uow.session, email):
        errors.add("email", "A staff member with this email address already exists")
    if agency_id is None or repo.get_agency(uow.session, agency_id) is None:
        errors.add("agency_id", "Select their agency")
    if role not in {r.value for r in Role}:
        errors.add("role", "Select their role")
    return errors.errors


def add_user(uow: UnitOfWork, actor: Actor, email: str, name: str, agency_id: uuid.UUID, role: str,
             password: str | None) -> User:
    """Add a staff member. With `password` (operators) they can sign in at once; without it (the console) the
    account has no usable password until they set one through the link the caller sends them
    (services.password_reset.issue_password_reset).

    :raise Invalid: every problem at once. :raise Conflict: the email is taken (when that is the only problem).
    """
    name = (name or "").strip() or (email or "").split("@")[0]
    errors = check_new_user(uow, actor, email, name, agency_id, role)
    if errors == {"email": ["A staff member with this email address already exists"]}:
        raise Conflict("A user with that email already exists")
    if errors:
        raise Invalid("Check the user's details", errors)
    user = User(email=email.strip().lower(), name=name, agency_id=agency_id, role=role,
                password_hash=hash_password(password) if password is not None else unusable_password_hash())
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
    """The user can no longer sign in; their sessions, personal access tokens and open password reset links stop
    working at once. :raise NotPermitted: not an admin or operator, or an admin's own account."""
    _require_admin(actor)
    _not_own(actor, user_id, "deactivate")
    user = _user(uow, user_id)
    if not user.active:
        raise Conflict("This account is already deactivated")
    user.active = False
    end_sessions(user)
    revoked = repo.revoke_open_resets(uow.session, user.id, uow.now())
    uow.audit(actor, "update", "staff_user", user.id, change="deactivated", reset_links_revoked=revoked)


def reactivate_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> None:
    """The user can sign in again with the password they had (or be sent a reset link).

    :raise NotPermitted: not an admin or operator, or an admin's own account. :raise Conflict: already active."""
    _require_admin(actor)
    _not_own(actor, user_id, "reactivate")
    user = _user(uow, user_id)
    if user.active:
        raise Conflict("This account is already active")
    user.active = True
    end_sessions(user)
    uow.audit(actor, "update", "staff_user", user.id, change="reactivated")


def change_role(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, role: str) -> None:
    """:raise NotPermitted: not an admin or operator, or an admin's own role. :raise Invalid: unknown role.
    :raise Conflict: the user already has that role."""
    _require_admin(actor)
    _not_own(actor, user_id, "change the role of")
    if role not in {r.value for r in Role}:
        raise Invalid("Unknown role", {"role": [f"Choose one of: {', '.join(r.value for r in Role)}"]})
    user = _user(uow, user_id)
    if user.role == role:
        raise Conflict("The staff member already has this role")
    before, user.role = user.role, role
    end_sessions(user)
    uow.audit(actor, "update", "staff_user", user.id, change="role", role_before=before, role=role)
