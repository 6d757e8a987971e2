"""Engine, sessions and the unit of work.

A `UnitOfWork` is one use case's transaction: the session, the key ring and blind index it needs, and
the audit events to append. `commit()` flushes the change, appends its audit events to the chain (last,
so the chain head is locked for as short a time as possible) and commits both together.

After-commit work is one explicit hook: `services.outbox.publish` tells the unit of work the id of each
outbox message it adds (`published`); after a successful commit `commit()` hands those ids to the
`dispatch` it was built with (AppState gives it: without Redis, inline handling; with Redis, none, because
the relay delivers). A rollback, or a failed commit, forgets them.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import CompoundSelect, Select, create_engine, event, exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

import audit
from audit import NewEvent

from .crypto import BlindIndex, KeyRing
from .domain.actors import Actor
from .domain.calendar import england_date
from .key_cache import KeyCache

log = logging.getLogger("coordination.audit")


def make_engine(url: str, **kwargs) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            # Let SQLAlchemy, not pysqlite, emit BEGIN (see below).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # SQLite has no row locks; IMMEDIATE takes the write lock up front, so two writers queue
            # instead of one failing mid-transaction (and the audit chain cannot fork).
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        track_writes(engine)  # after _sqlite_begin: its BEGIN IMMEDIATE is not a write
        return engine
    idle_ping = kwargs.pop("idle_ping_seconds", IDLE_PING_SECONDS)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("pool_recycle", 1800)
    engine = create_engine(url, **kwargs)
    ping_when_idle(engine, idle_ping)
    track_writes(engine)
    return engine


WROTE = "coordination.wrote"
"""Connection info key: has this transaction sent anything but a SELECT, or failed? (`track_writes`)"""
AUDIT_ONLY = "coordination_audit_only"
"""Execution option of a unit's connection whose only write may be its audit events (`UnitOfWork.audit_only`)."""


class AuditOnlyViolation(RuntimeError):
    """A unit declared audit-only (run without a transaction) tried to write something else: refused before it is
    sent, so nothing can ever be committed piecemeal."""


def track_writes(engine: Engine) -> None:
    """Note on each connection whether its transaction may have written: any statement but a compiled SELECT
    (ORM, Core or text DML, DDL, SAVEPOINT, raw SQL) or any error counts, so the doubt always falls on the side of
    a rollback. `UnitOfWork` ends a transaction that only read with COMMIT instead (`_end_unwritten`)."""
    @event.listens_for(engine, "begin")
    def _begun(conn):
        conn.info[WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _executing(conn, _cursor, statement, _parameters, context, _executemany):
        compiled = getattr(context, "compiled", None)
        if compiled is not None and isinstance(compiled.statement, Select | CompoundSelect):
            return
        if conn.get_execution_options().get(AUDIT_ONLY) and not _is_audit_insert(context):
            raise AuditOnlyViolation(f"an audit-only unit may only read and record: {statement.split(None, 1)[0]}")
        conn.info[WROTE] = True

    @event.listens_for(engine, "handle_error")
    def _failed(context):
        if context.connection is not None:
            context.connection.info[WROTE] = True


def _is_audit_insert(context) -> bool:
    return bool(context.isinsert and getattr(context.compiled.statement, "table", None) is not None
                and context.compiled.statement.table.name == audit.AuditPending.__tablename__)


def only_read(conn: Connection) -> bool:
    """Has the connection's open transaction only read, without error (see `track_writes`)?"""
    return conn.info.get(WROTE) is False


IDLE_PING_SECONDS = 10.0
"""A pooled connection unused this long is checked (SELECT 1) before it is handed out; a busier one is not."""


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a connection at checkout only if it has sat in the pool `idle_seconds` or more.

    `pool_pre_ping` costs a round trip on every checkout, i.e. on every request. Under load connections go
    back and forth within milliseconds and are known good, so the ping is wasted; a connection that has sat
    idle is the one a restarted server, a failover or a firewall's idle timeout may have cut. Raising
    DisconnectionError here makes the pool discard it and check out another (SQLAlchemy retries up to three
    times, then connects afresh). A server lost while connections are busy is still seen: the failing
    statement raises, SQLAlchemy marks the error a disconnect and invalidates the whole pool, so only the
    requests in flight at that moment fail. `pool_recycle` replaces connections older than half an hour.
    """
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record):
        record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, _proxy):
        last = record.info.get("checked_in_at")
        if last is None or time.monotonic() - last < idle_seconds:
            return
        try:
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_conn.rollback()  # leave no transaction open: SQLAlchemy begins its own
        except Exception as error:  # noqa: BLE001 - any failure means this connection is no good
            raise exc.DisconnectionError("idle connection failed its check") from error


Dispatch = Callable[[list[uuid.UUID]], None]
"""What to do with the ids of the outbox messages a unit of work has just committed."""


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@dataclass
class UnitOfWork:
    session: Session
    keys: KeyRing
    blind: BlindIndex
    request_id: str | None = None
    audit_key: bytes = field(default=b"", repr=False)  # AUDIT_CHAIN_KEY: the audit chain's HMAC key
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    dispatch: Dispatch | None = None
    review_weeks: int = 6  # the local review interval (Settings.review_interval_weeks)
    key_cache: KeyCache | None = None  # this process's recently checked partner keys (AppState gives it)
    # PostgreSQL: events go to audit_pending for the sealer (no chain lock in the writer's transaction); and,
    # where no relay runs (no Redis), this unit seals them itself straight after its commit.
    defer_audit: bool = False
    seal_after_commit: bool = False
    _events: list[NewEvent] = field(default_factory=list)
    _published: list[uuid.UUID] = field(default_factory=list)

    def today(self) -> dt.date:
        """Today's date in England (not UTC: between midnight and 1am in summer they differ)."""
        return england_date(self.now())

    def audit(self, actor: Actor, action: str, record_type: str, record_id: object = None, *,
              family_id: object = None, sections: list[str] | None = None, authority: dict | None = None,
              reason: str | None = None, **details) -> None:
        """Queue an audit event; it is written by `commit()` in the same transaction as the change."""
        self._events.append(NewEvent(
            action=str(action), record_type=record_type,
            record_id=str(record_id) if record_id is not None else None,
            family_id=str(family_id) if family_id is not None else None,
            sections=list(sections or []), authority=authority, reason=reason, details=details,
            request_id=self.request_id, **actor.audit_fields(),
        ))

    def audit_only(self) -> None:
        """Declare that this unit only reads and records the read (its audit events are its only write), before
        its first statement: on PostgreSQL its statements then run without a transaction around them. The read is
        one statement (one snapshot) and the audit INSERT commits on its own, durable before the answer leaves, so
        the BEGIN and COMMIT round trips (two of a partner read's four) are saved. Any other write in such a unit
        is refused before it is sent (AuditOnlyViolation, `track_writes`). Nothing changes on SQLite (it chains the
        event in the writer's transaction), once a transaction is open, or on a session bound to a connection (the
        suite's savepoints)."""
        if self.defer_audit and not self.session.in_transaction() and isinstance(self.session.bind, Engine):
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT", AUDIT_ONLY: True})

    def published(self, message_id: uuid.UUID) -> None:
        """Note an outbox message added in this transaction: once committed, its id goes to `dispatch`."""
        self._published.append(message_id)

    def commit(self) -> None:
        audited = bool(self._events)
        try:
            self.session.flush()
            if self.defer_audit:
                audit.append(self.session, self._events, now=self.now())
            else:
                audit.record(self.session, self._events, self.audit_key, now=self.now())
            self.session.commit()
        except Exception:
            self.session.rollback()
            self._published.clear()
            raise
        finally:
            self._events.clear()
        if audited and self.seal_after_commit:
            self.seal_audit()
        committed, self._published = self._published, []
        if committed and self.dispatch is not None:
            self.dispatch(committed)

    def seal_audit(self, batch: int = 2000) -> int:
        """Chain every committed pending audit event (a transaction per batch); how many were sealed.

        After this unit's commit the change and its events are safe whatever happens here: a failure (another
        sealer holding the head for long, a lost connection) leaves the events pending for the next sealer.
        """
        sealed = 0
        try:
            while True:
                count = audit.seal(self.session, self.audit_key, limit=batch)
                self.session.commit()
                sealed += count
                if count < batch:
                    return sealed
        except Exception:
            self.session.rollback()
            log.warning("audit events left for the next sealer", exc_info=True)
            return sealed

    def rollback(self) -> None:
        self._events.clear()
        self._published.clear()
        if not self._end_unwritten():
            self.session.rollback()

    def close(self) -> None:
        """Let the session go (at the end of a request or job). A transaction left open is ended as `rollback`
        ends it, without first expiring every object loaded (as `Session.rollback` would) only to let them go."""
        self._events.clear()
        self._published.clear()
        self._end_unwritten()
        self.session.close()  # anything still open rolls back as the connection goes back to the pool

    def _end_unwritten(self) -> bool:
        """End the open transaction with COMMIT if it has written nothing (no pending ORM change, nothing but
        SELECTs sent, no error), and say whether it did.

        For such a transaction COMMIT and ROLLBACK do the same, but psycopg forgets every prepared statement on a
        ROLLBACK (it cannot know what the transaction changed), so a request that ended in one (a partner read
        that found no cover, a form with errors) left its connection to parse and plan its next statements
        afresh: on the partner read that was most of PostgreSQL's CPU (docs/architecture.md, "What a request
        costs"). Anything else is left to the caller's rollback."""
        session = self.session
        transaction = session.get_transaction()
        if transaction is None or not transaction.is_active or session.new or session.dirty or session.deleted:
            return False  # none open; one a failed flush deactivated; or changes pending
        if not only_read(session.connection()):
            return False
        try:
            session.commit()
        except exc.DBAPIError:  # the connection failed at the end of a read: nothing was written, nothing to keep
            session.rollback()
        return True
