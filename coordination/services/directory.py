"""Names to show beside records: staff users and agencies by id (for "updated by …" lines)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from coordination.db import UnitOfWork
from coordination.repositories import users as repo


def names_of(uow: UnitOfWork, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Display names of staff users; unknown ids are left out (callers show a fallback)."""
    names: dict[uuid.UUID, str] = {}
    for user_id in {u for u in user_ids if u is not None}:
        user = repo.get_user(uow.session, user_id)
        if user is not None:
            names[user_id] = user.name
    return names


def agency_names_of(uow: UnitOfWork, agency_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    names: dict[uuid.UUID, str] = {}
    for agency_id in {a for a in agency_ids if a is not None}:
        agency = repo.get_agency(uow.session, agency_id)
        if agency is not None:
            names[agency_id] = agency.name
    return names


def list_agencies(uow: UnitOfWork) -> list[tuple[uuid.UUID, str, str]]:
    """Every agency as (id, name, type), by name: for choosing recipients and key holders."""
    return [(a.id, a.name, a.type) for a in sorted(repo.list_agencies(uow.session), key=lambda a: a.name)]
