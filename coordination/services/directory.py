"""Names to show beside records: staff users and agencies by id (for "updated by …" lines)."""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from coordination.db import UnitOfWork
from coordination.repositories import users as repo


def names_of(uow: UnitOfWork, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Display names of staff users; unknown ids are left out (callers show a fallback)."""
    return {user_id: user.name for user_id, user in repo.users_by_id(uow.session, user_ids).items()}


def agency_names_of(uow: UnitOfWork, agency_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    return {agency_id: agency.name for agency_id, agency in repo.agencies_by_id(uow.session, agency_ids).items()}


def list_agencies(uow: UnitOfWork) -> list[tuple[uuid.UUID, str, str]]:
    """Every agency as (id, name, type), by name: for choosing recipients and key holders."""
    return [(a.id, a.name, a.type) for a in sorted(repo.list_agencies(uow.session), key=lambda a: a.name)]
