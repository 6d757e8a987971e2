"""Staff users, agencies, tokens and API keys."""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coordination.models import Agency, ApiKey, PersonalAccessToken, User


def get_user(session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.execute(select(User).where(func.lower(User.email) == email.strip().lower())).scalar_one_or_none()


def active_staff_emails(session: Session, agency_id: uuid.UUID) -> list[str]:
    """The email addresses of the agency's active staff, sorted (notification recipients)."""
    return sorted(session.execute(
        select(User.email).where(User.agency_id == agency_id, User.active.is_(True))).scalars())


def get_agency(session: Session, agency_id: uuid.UUID) -> Agency | None:
    return session.get(Agency, agency_id)


def get_agency_by_name(session: Session, name: str) -> Agency | None:
    return session.execute(select(Agency).where(Agency.name == name)).scalar_one_or_none()


def list_agencies(session: Session) -> list[Agency]:
    return list(session.execute(select(Agency).order_by(Agency.type, Agency.name)).scalars())


def get_token_by_digest(session: Session, digest: str) -> PersonalAccessToken | None:
    return session.execute(
        select(PersonalAccessToken).where(PersonalAccessToken.digest == digest)).scalar_one_or_none()


def get_api_key_by_digest(session: Session, digest: str) -> ApiKey | None:
    return session.execute(select(ApiKey).where(ApiKey.digest == digest)).scalar_one_or_none()


def get_api_key(session: Session, key_id: uuid.UUID, *, for_update: bool = False) -> ApiKey | None:
    query = select(ApiKey).where(ApiKey.id == key_id)
    if for_update:
        query = query.with_for_update(of=ApiKey)
    return session.execute(query).scalars().first()


def list_api_keys(session: Session, agency_id: uuid.UUID | None = None) -> list[ApiKey]:
    """Every partner API key (or one agency's), newest first."""
    query = select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id)
    if agency_id is not None:
        query = query.where(ApiKey.agency_id == agency_id)
    return list(session.execute(query).scalars())


def agencies_by_id(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Agency]:
    """The agencies among `ids`, in one query (unknown ids are absent)."""
    wanted = list({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {a.id: a for a in session.execute(select(Agency).where(Agency.id.in_(wanted))).scalars()}


def users_by_id(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, User]:
    """The staff users among `ids`, in one query (unknown ids are absent)."""
    wanted = list({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {u.id: u for u in session.execute(select(User).where(User.id.in_(wanted))).scalars()}
