"""Declarative base with a naming convention, id/timestamp mixins and encrypted-field helpers."""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import DateTime, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from coordination.crypto import KeyRing, associated_data

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment: stored in UTC, read back timezone-aware in UTC, on every database.

    PostgreSQL keeps the offset (`timestamptz`); SQLite keeps none and hands back naive values, so every
    moment is converted to UTC before it is stored and tagged UTC when it is read. Naive values given to
    it are taken as UTC. Every moment column uses this type, so no caller ever sees a naive datetime.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @staticmethod
    def _utc(value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_bind_param(self, value, dialect):
        return self._utc(value)

    def process_result_value(self, value, dialect):
        return self._utc(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)

    def __init__(self, **kwargs):
        # Ids are known before INSERT: encryption binds them into each ciphertext's associated data.
        kwargs.setdefault("id", uuid.uuid4())
        super().__init__(**kwargs)


class CreatedMixin:
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class EncryptedFields:
    """Models list their encrypted fields in `__encrypted__`; each is stored in `<field>_ct`.

    The associated data is (table, field, row id): a ciphertext copied into another row or column
    will not open.
    """

    __encrypted__: tuple[str, ...] = ()
    __tablename__: str
    id: uuid.UUID

    def seal(self, ring: KeyRing, field: str, value: str | None) -> None:
        assert field in self.__encrypted__, field
        ct = None if value is None else ring.encrypt(value, associated_data(self.__tablename__, field, self.id))
        setattr(self, f"{field}_ct", ct)

    def unseal(self, ring: KeyRing, field: str) -> str | None:
        return self.unseal_value(ring, field, self.id, getattr(self, f"{field}_ct"))

    def seal_codes(self, ring: KeyRing, field: str, codes: Iterable[str]) -> None:
        """A list of codes, sealed as one value: comma-separated, None when there are none."""
        self.seal(ring, field, ",".join(codes) or None)

    def unseal_codes(self, ring: KeyRing, field: str) -> tuple[str, ...]:
        """The codes `seal_codes` sealed, in their order; () when there are none."""
        return tuple(c for c in (self.unseal(ring, field) or "").split(",") if c)

    @classmethod
    def unseal_value(cls, ring: KeyRing, field: str, row_id: uuid.UUID, ct: str | None) -> str | None:
        """`unseal` for a ciphertext read as a column, without loading the row as an object."""
        assert field in cls.__encrypted__, field
        if ct is None:
            return None
        return ring.decrypt(ct, associated_data(cls.__tablename__, field, row_id))
