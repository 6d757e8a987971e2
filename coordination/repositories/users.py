"""Staff users, agencies, tokens and API keys."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from coordination.models import Agency, ApiKey, PasswordReset, PersonalAccessToken, User


def get_user(session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.execute(select(User).where(func.lower(User.email) == email.strip().lower())).scalar_one_or_none()


def active_staff_emails(session: Session, agency_id: uuid.UUID) -> list[str]:
    """The email addresses of the agency's active staff, sorted (notification recipients)."""
    return sorted(session.execute(
        select(User.email).where(User.agency_id == agency_id, User.active.is_(True))).scalars())


def _staff_where(query: Select, agency_id: uuid.UUID | None, role: str | None, active: bool | None) -> Select:
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    if role is not None:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(User.active.is_(active))
    return query


def count_staff(session: Session, *, agency_id: uuid.UUID | None, role: str | None, active: bool | None) -> int:
    return session.scalar(_staff_where(select(func.count(User.id)), agency_id, role, active)) or 0


def list_staff(session: Session, *, agency_id: uuid.UUID | None, role: str | None, active: bool | None,
               offset: int, limit: int) -> list[User]:
    """Staff accounts by name (then email), one page; the filters are in the SQL."""
    query = _staff_where(select(User), agency_id, role, active).order_by(func.lower(User.name), User.email)
    return list(session.execute(query.offset(offset).limit(limit)).scalars())


def active_staff_counts(session: Session) -> dict[uuid.UUID, int]:
    """{agency id: its active staff}, agencies without any left out."""
    rows = session.execute(select(User.agency_id, func.count(User.id).label("staff"))
                           .where(User.active.is_(True)).group_by(User.agency_id))
    return {agency_id: staff for agency_id, staff in rows}


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


def add_reset(session: Session, reset: PasswordReset) -> PasswordReset:
    session.add(reset)
    session.flush()
    return reset


def get_reset(session: Session, reset_id: uuid.UUID) -> PasswordReset | None:
    return session.get(PasswordReset, reset_id)


def get_reset_by_digest(session: Session, digest: str, *, for_update: bool = False) -> PasswordReset | None:
    query = select(PasswordReset).where(PasswordReset.digest == digest)
    if for_update:
        query = query.with_for_update(of=PasswordReset)
    return session.execute(query).scalars().first()


def revoke_open_resets(session: Session, user_id: uuid.UUID, now: dt.datetime) -> int:
    """Revoke the user's reset links that are neither used nor revoked yet; how many."""
    result = session.execute(update(PasswordReset)
                             .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None),
                                    PasswordReset.revoked_at.is_(None), PasswordReset.expires_at > now)
                             .values(revoked_at=now).execution_options(synchronize_session="fetch"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def latest_reset(session: Session, user_id: uuid.UUID) -> PasswordReset | None:
    return session.execute(select(PasswordReset).where(PasswordReset.user_id == user_id)
                           .order_by(PasswordReset.created_at.desc()).limit(1)).scalars().first()
