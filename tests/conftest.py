"""Test harness.

- Every database test runs on SQLite and on PostgreSQL (`database` is parametrised). PostgreSQL runs when
  TEST_DATABASE_URL is reachable and is skipped with the reason otherwise; REQUIRE_SERVICES=1 (CI) turns
  that skip into a failure. Redis likewise with REDIS_URL.
- Each test database is built by the real Alembic migrations, once per session. Each test runs inside an
  outer transaction with sessions joined as savepoints, so services can commit and the test still rolls back.
- `fresh_database` gives a committed, throw-away database for tests that need real commits (parallel
  writers, a live server for the browser).
"""
from __future__ import annotations

import base64
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from coordination import create_app
from coordination.config import load_settings
from coordination.db import make_engine
from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.migrate import upgrade
from coordination.services import auth as auth_service
from coordination.services.families import NewPerson, create_family

from . import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _reuse_werkzeug_url_builders() -> None:
    """Most of `create_app`'s time (and nearly every test makes an app) is werkzeug generating and compiling two
    URL-builder functions for each of the ~140 rules. The code it generates depends only on the rule's parsed
    parts, defaults and converters, so within this test process each distinct builder is compiled once and reused
    by later apps (bound to each app's own Rule, as werkzeug does). Test harness only; without the private method
    (another werkzeug) nothing is patched."""
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None or getattr(original, "_reused", False):
        return
    compiled: dict = {}

    def _compile_builder(self, append_unknown=True):
        key = (type(self), self.rule, append_unknown, tuple(self._trace),
               tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items())),
               tuple(sorted((k, type(c), repr(sorted((a, v) for a, v in vars(c).items() if a != "map")))
                            for k, c in self._converters.items())))
        if key not in compiled:
            compiled[key] = original(self, append_unknown)
        return compiled[key]

    _compile_builder._reused = True  # type: ignore[attr-defined]
    Rule._compile_builder = _compile_builder  # type: ignore[method-assign]


_reuse_werkzeug_url_builders()
TEST_KEYS = {
    "secret_key": "test-secret-key-" + "x" * 40,
    "encryption_keys": "t1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode(),
    "blind_index_key": base64.urlsafe_b64encode(b"\x02" * 32).decode(),
    "audit_signing_key": base64.urlsafe_b64encode(b"\x03" * 32).decode(),
    "audit_chain_key": base64.urlsafe_b64encode(b"\x04" * 32).decode(),
}


def unavailable(reason: str):
    """Skip with a visible reason, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class Database:
    name: str  # sqlite | postgresql
    url: str
    engine: Engine


def _postgres_admin_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL")


def _create_postgres_database(prefix: str) -> str:
    base = _postgres_admin_url()
    if not base:
        unavailable("TEST_DATABASE_URL is not set: PostgreSQL tests skipped")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "not reachable"
        unavailable(f"PostgreSQL at TEST_DATABASE_URL is not reachable ({type(exc).__name__})")
    finally:
        admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    admin = create_engine(_postgres_admin_url(), isolation_level="AUTOCOMMIT")
    name = make_url(url).database
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _new_database(kind: str, tmp: Path, prefix: str) -> Database:
    if kind == "sqlite":
        url = f"sqlite:///{tmp / (prefix + '-' + uuid.uuid4().hex[:6] + '.sqlite3')}"
    else:
        url = _create_postgres_database(prefix)
    engine = make_engine(url)
    upgrade(engine)
    return Database(kind, url, engine)


def _dispose(db: Database) -> None:
    db.engine.dispose()
    if db.name == "postgresql":
        _drop_postgres_database(db.url)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    db = _new_database(request.param, tmp_path_factory.mktemp("db"), "coord_test")
    yield db
    _dispose(db)


@pytest.fixture
def fresh_database(database, tmp_path):
    """A committed database of the same kind as `database`, dropped after the test."""
    db = _new_database(database.name, tmp_path, "coord_fresh")
    yield db
    _dispose(db)


def make_settings(db_url: str, instance: Path, **overrides):
    """Test settings: nothing from the process environment; `overrides` name `Settings` fields."""
    return load_settings(environ={}, **{
        "env": "test", "instance_path": instance, "database_url": db_url, "redis_url": None,
        "ratelimit_storage": "memory://", **TEST_KEYS, **overrides,
    })


@pytest.fixture
def settings(database, tmp_path):
    return make_settings(database.url, tmp_path)


@contextmanager
def rolled_back_app(database: Database, settings) -> Iterator[Flask]:
    """An app whose sessions join one outer transaction on one connection, rolled back at the end."""
    application = create_app(settings, engine=database.engine)
    connection = database.engine.connect()
    outer = connection.begin()
    state(application).sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                               expire_on_commit=False)
    factories.bind(state(application).sessions)
    try:
        yield application
    finally:
        factories.bind(None)
        outer.rollback()
        connection.close()


@pytest.fixture
def app(database, settings):
    """An app whose sessions join one outer transaction that is rolled back after the test."""
    # No app context is held open: each request gets its own (and so its own `g`, unit of work and
    # credentials), as in production. Tests that need one push it themselves.
    with rolled_back_app(database, settings) as application:
        yield application


@pytest.fixture
def uow(app):
    unit = state(app).unit_of_work(request_id="test")
    yield unit
    unit.session.close()


@pytest.fixture
def client(app):
    return app.test_client()


# ---- people and agencies -------------------------------------------------------------------------

@pytest.fixture
def early_help(uow):
    return factories.AgencyFactory(name="Riverside Early Help Hub", type="council_early_help")


@pytest.fixture
def other_council_team(uow):
    return factories.AgencyFactory(name="Hillside Early Help Hub", type="council_early_help")


@pytest.fixture
def practitioner(early_help):
    return factories.UserFactory(agency=early_help, role="practitioner", email="ava.practitioner@example.org")


@pytest.fixture
def manager(early_help):
    return factories.UserFactory(agency=early_help, role="manager", email="max.manager@example.org")


@pytest.fixture
def admin_user(early_help):
    return factories.UserFactory(agency=early_help, role="admin", email="ada.admin@example.org")


@pytest.fixture
def second_admin(early_help):
    return factories.UserFactory(agency=early_help, role="admin", email="bea.admin@example.org")


@pytest.fixture
def outsider(other_council_team):
    return factories.UserFactory(agency=other_council_team, role="practitioner", email="olu.outsider@example.org")


def actor_of(user) -> Actor:
    return auth_service.actor_for_user(user)


def family_maker(uow):
    """`make_family`'s callable for a given unit of work (a module-scoped fixture can use it too)."""
    def _make(user, *, children=("Rowan", "Skye"), parent="Morgan", surname="Testfamily", confirm_new=True,
              nhs_numbers=()):
        people = [NewPerson("parent_carer", parent, surname, dt.date(1988, 4, 2))] if parent else []
        for i, name in enumerate(children):
            people.append(NewPerson("child", name, surname, dt.date(2014 + i, 6, 1 + i),
                                    nhs_number=nhs_numbers[i] if i < len(nhs_numbers) else None))
        family = create_family(uow, actor_of(user), people, confirm_new=confirm_new)
        uow.commit()
        return family
    return _make


@pytest.fixture
def make_family(uow):
    """Create a family through the service, as `user` (a practitioner), and commit."""
    return family_maker(uow)


@pytest.fixture
def token_for(uow):
    def _token(user) -> str:
        secret = auth_service.issue_token(uow, Actor.system("test"), user)
        uow.commit()
        return secret
    return _token


def _per_worker(url: str) -> str:
    """Under pytest-xdist each worker gets a Redis database of its own (REDIS_URL's, then the ones below it), so
    rate-limit counters and queues of tests running side by side never meet."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base - int(worker[2:])) % 16}"))


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        unavailable("REDIS_URL is not set: Redis tests skipped")
    url = _per_worker(url)
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except Exception as exc:  # noqa: BLE001
        unavailable(f"Redis at REDIS_URL is not reachable ({type(exc).__name__})")
    return url
