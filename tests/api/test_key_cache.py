"""A partner key checked in the last few seconds is not looked up again (coordination/key_cache.py), within a
stated bound: revoked in this process → refused from the next request; revoked elsewhere → refused once the
cache's seconds have passed; past its expiry → refused at once, cached or not."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from coordination.config import ConfigError
from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.key_cache import KeyCache
from coordination.services import api_keys
from coordination.services import auth as auth_service

from ..conftest import actor_of, make_settings
from .conftest import Api

NOBODY = "/families/00000000-0000-0000-0000-000000000000/assessment"  # 404 for a live key, 401 for a dead one


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app):
    ticking = Clock()
    state(app).key_cache = KeyCache(5, clock=ticking)
    return ticking


@pytest.fixture
def partner(app, clock, client, school):
    unit = state(app).unit_of_work()
    row, secret = auth_service.issue_api_key(unit, Actor.system("test"), school.id, "MIS", ["read:assessment"])
    unit.commit()
    return row.id, Api(client, secret)


def statements(app, api: Api) -> tuple[int, int]:
    """(status, SQL statements) of one partner request."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = state(app).engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        status = api.get(NOBODY).status_code
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return status, len([s for s in seen if "api_key" in s.lower()])


def test_a_key_used_again_within_seconds_is_not_looked_up_again(app, partner):
    _id, api = partner
    assert statements(app, api) == (404, 1)
    assert statements(app, api) == (404, 0)


def test_a_key_revoked_in_this_process_is_refused_from_the_next_request(app, partner, admin_user):
    key_id, api = partner
    assert api.get(NOBODY).status_code == 404  # now cached
    unit = state(app).unit_of_work()
    api_keys.revoke_api_key(unit, actor_of(admin_user), key_id, "Left the partnership")
    unit.commit()
    assert api.get(NOBODY).status_code == 401


def test_a_key_revoked_by_another_process_is_refused_once_its_cache_seconds_pass(app, partner, clock, admin_user):
    key_id, api = partner
    assert api.get(NOBODY).status_code == 404
    elsewhere = state(app).unit_of_work()
    elsewhere.key_cache = KeyCache(5)  # another gunicorn instance: its own cache, not this one's
    api_keys.revoke_api_key(elsewhere, actor_of(admin_user), key_id, "Left the partnership")
    elsewhere.commit()
    clock.now += 4.9
    assert api.get(NOBODY).status_code == 404  # the documented bound: up to 5 seconds here
    clock.now += 0.1
    assert api.get(NOBODY).status_code == 401


def test_a_cached_key_past_its_expiry_is_not_served_from_the_cache():
    cache = KeyCache(5, clock=Clock())
    expiry = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
    actor = Actor.system()
    cache.put("digest", actor, expiry)
    assert cache.get("digest", expiry - dt.timedelta(seconds=1)) is actor
    assert cache.get("digest", expiry) is None


def test_the_cache_can_be_turned_off_and_is_bounded(database, tmp_path):
    assert make_settings(database.url, tmp_path).api_key_cache_seconds == 5
    assert make_settings(database.url, tmp_path, api_key_cache_seconds="0").api_key_cache_seconds == 0
    with pytest.raises(ConfigError, match="between 0"):
        make_settings(database.url, tmp_path, api_key_cache_seconds="600")
    off = KeyCache(0)
    off.put("digest", Actor.system(), None)
    assert off.get("digest", dt.datetime.now(dt.UTC)) is None
