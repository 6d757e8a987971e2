"""Agencies and staff users."""
from __future__ import annotations

import re
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, AgencyType, Role
from coordination.errors import Conflict, Invalid
from coordination.models import Agency, User
from coordination.repositories import users as repo
from coordination.services.auth import hash_password


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
