"""PostgreSQL connections are checked before use only after sitting idle (coordination/db.ping_when_idle), not on
every checkout as pool_pre_ping would: an idle connection the server has cut is replaced before a request sees
it, and a busy pool pays no round trip."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, exc, text

from coordination.db import make_engine

from ..conftest import _postgres_admin_url


@pytest.fixture
def postgres(database):
    if database.name != "postgresql":
        pytest.skip("connection pooling with a server to lose is PostgreSQL's")
    return database


def _cut(pid: int) -> None:
    admin = create_engine(_postgres_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def _backend(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_an_idle_connection_the_server_cut_is_replaced_before_use(postgres):
    engine = make_engine(postgres.url, pool_size=1, max_overflow=0, idle_ping_seconds=0)
    try:
        first = _backend(engine)
        _cut(first)
        assert _backend(engine) != first  # no error: the check found it dead and the pool connected afresh
    finally:
        engine.dispose()


def test_a_recently_used_connection_is_not_checked_so_a_cut_shows_once_and_the_pool_recovers(postgres):
    engine = make_engine(postgres.url, pool_size=1, max_overflow=0, idle_ping_seconds=3600)
    try:
        first = _backend(engine)
        _cut(first)
        with pytest.raises(exc.DBAPIError) as raised:
            _backend(engine)
        assert raised.value.connection_invalidated
        assert _backend(engine) != first
    finally:
        engine.dispose()
