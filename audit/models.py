"""Append-only audit table and its chain head. Own metadata, so `audit` needs nothing else."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

GENESIS_HASH = "0" * 64


class AuditBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class AuditEvent(AuditBase):
    """One event. `seq` is its place in the chain; `hash` covers `prev_hash` and the canonical event."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(40), index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor_key_id: Mapped[str | None] = mapped_column(String(36))
    actor_agency_id: Mapped[str | None] = mapped_column(String(36))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36))
    family_id: Mapped[str | None] = mapped_column(String(36), index=True)
    sections: Mapped[list] = mapped_column(JSON, default=list)
    authority: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(AuditBase):
    """A single row: the newest seq and hash. Locked FOR UPDATE while appending, so writers queue
    instead of forking the chain. `verify` checks that the chain ends exactly here.

    `keyed_from` is the first seq hashed with the chain key (HMAC); events before it were written by the
    unkeyed SHA-256 chain of before migration 0008 (NULL: no keyed event yet). `mac` is an HMAC of
    (seq, hash, keyed_from) under the chain key, so the head cannot be moved back over a cut tail without
    the key. Both are covered by the signed checkpoints too."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))
    keyed_from: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditPending(AuditBase):
    """An event committed but not chained yet. On PostgreSQL a writer inserts its events here (one statement, no
    lock: `chain.append`) and the sealer (`chain.seal`) moves them into `audit_event` in `pos` order, chaining
    each. SQLite writers chain in their own transaction instead (`chain.record`) and leave this table empty."""

    __tablename__ = "audit_pending"

    pos: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(40))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_user_id: Mapped[str | None] = mapped_column(String(36))
    actor_key_id: Mapped[str | None] = mapped_column(String(36))
    actor_agency_id: Mapped[str | None] = mapped_column(String(36))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36))
    family_id: Mapped[str | None] = mapped_column(String(36), index=True)
    sections: Mapped[list] = mapped_column(JSON, default=list)
    authority: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))


EVENT_FIELDS = ("id", "occurred_at", "action", "actor_kind", "actor_user_id", "actor_key_id", "actor_agency_id",
                "record_type", "record_id", "family_id", "sections", "authority", "reason", "details", "request_id")
"""What a pending event carries over into the chain (all of it but the chain's own seq, prev_hash and hash)."""
