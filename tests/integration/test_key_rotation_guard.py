"""`keys rotate` moves data to the newest key only when every running instance holds it (hardening item 14):
a web server still on the old key list would fail every read of what was rotated."""
import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

import audit
from coordination.crypto import KeyRing
from coordination.extensions import state
from coordination.instances import Announcer
from coordination.models import AppInstance, Person
from coordination.services import keys

OLD = ("t1", b"\x01" * 32)
NEW = ("t2", b"\x05" * 32)


@pytest.fixture
def new_key(app):
    """This process (the operator's shell) has the new key list: t1, then t2 (the newest, which encrypts)."""
    state(app).keys = KeyRing([OLD, NEW])
    return "t2"


def _instance(uow, instance_id, kind, key_ids, minutes_ago=0):
    seen = uow.now() - dt.timedelta(minutes=minutes_ago)
    uow.session.add(AppInstance(id=instance_id, host=instance_id.split(":")[0], kind=kind,
                                pid=int(instance_id.split(":")[1]), key_ids=list(key_ids),
                                current_key_id=key_ids[-1], started_at=seen, last_seen=seen))
    uow.session.flush()


def _key_ids_in_use(uow):
    uow.session.expire_all()
    return {KeyRing.key_id_of(p.given_name_ct) for p in uow.session.execute(select(Person)).scalars()}


def _rotate(app, *args):
    return app.test_cli_runner().invoke(args=["keys", "rotate", *args])


def test_rotate_refuses_while_a_running_web_instance_lacks_the_new_key(app, uow, practitioner, make_family,
                                                                       new_key):
    make_family(practitioner, children=("Rowan",))
    _instance(uow, "web-1:101", "web", ["t1"])
    _instance(uow, "worker-1:202", "worker", ["t1", "t2"])
    result = _rotate(app)
    assert result.exit_code != 0
    assert "refusing to rotate to key t2" in result.output
    assert "1 of 2 instances" in result.output and "web-1:101 (web, holds t1)" in result.output
    assert "worker-1:202" not in result.output
    assert _key_ids_in_use(uow) == {"t1"}  # nothing was re-encrypted


def test_rotate_refuses_when_no_running_instance_has_announced_the_key(app, uow, practitioner, make_family,
                                                                       new_key):
    make_family(practitioner, children=("Rowan",))
    _instance(uow, "web-9:909", "web", ["t1", "t2"], minutes_ago=30)  # stopped long ago
    result = _rotate(app)
    assert result.exit_code != 0 and "no running instance has announced key t2" in result.output
    assert _key_ids_in_use(uow) == {"t1"}


def test_rotate_goes_ahead_when_every_recently_seen_instance_holds_the_key(app, uow, practitioner, make_family,
                                                                           new_key):
    make_family(practitioner, children=("Rowan",))
    _instance(uow, "web-1:101", "web", ["t1", "t2"])
    _instance(uow, "worker-1:202", "worker", ["t1", "t2"], minutes_ago=2)
    _instance(uow, "web-old:77", "web", ["t1"], minutes_ago=20)  # silent for 20 minutes: stopped
    result = _rotate(app)
    assert result.exit_code == 0, result.output
    assert "all 2 instances seen in the last 5 minutes hold key t2" in result.output
    assert _key_ids_in_use(uow) == {"t2"}


def test_a_forced_rotation_needs_a_reason_and_is_audited(app, uow, practitioner, make_family, new_key):
    make_family(practitioner, children=("Rowan",))
    _instance(uow, "web-1:101", "web", ["t1"])
    assert _rotate(app, "--force").exit_code == 2  # no reason: a usage error, nothing done
    blank = _rotate(app, "--force", "--reason", "  ")
    assert blank.exit_code != 0 and "needs a reason" in blank.output
    assert _key_ids_in_use(uow) == {"t1"}
    result = _rotate(app, "--force", "--reason", "web-1 is being decommissioned and serves no traffic")
    assert result.exit_code == 0, result.output
    assert "forced (audited)" in result.output and _key_ids_in_use(uow) == {"t2"}
    [event] = uow.session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.action == "key_rotation",
                                       audit.AuditEvent.record_type == "encryption_key")
        .order_by(audit.AuditEvent.seq)).scalars().all()
    assert event.reason == "web-1 is being decommissioned and serves no traffic"
    assert event.details["forced"] is True and event.details["key_id"] == "t2"
    assert event.details["instances_lacking"] == ["web-1:101"]


def test_the_announcer_records_this_process_and_refreshes_it(app, uow, settings):
    announcer = Announcer(state(app), "web")
    assert announcer.announce_once()
    [row] = uow.session.execute(select(AppInstance)).scalars().all()
    assert row.kind == "web" and row.key_ids == ["t1"] and row.current_key_id == "t1"
    first_seen = row.last_seen
    later = uow.now() + dt.timedelta(minutes=3)
    unit = state(app).unit_of_work()
    unit.now = lambda: later
    keys.announce(unit, announcer.info())
    unit.commit()
    unit.session.close()
    uow.session.expire_all()
    [row] = uow.session.execute(select(AppInstance)).scalars().all()
    assert row.last_seen > first_seen and row.started_at == first_seen


def test_instances_silent_for_a_week_are_forgotten(app, uow):
    _instance(uow, "web-gone:5", "web", ["t0"], minutes_ago=8 * 24 * 60)
    _instance(uow, "web-quiet:6", "web", ["t1"], minutes_ago=60)
    keys.announce(uow, keys.InstanceInfo("web-1:101", "web-1", "web", 101, ("t1",), "t1"))
    uow.commit()
    ids = sorted(uow.session.execute(select(AppInstance.id)).scalars())
    assert ids == ["web-1:101", "web-quiet:6"]


def test_the_key_ids_announced_are_this_process_key_list(app):
    settings = replace(state(app).settings, encryption_keys=(OLD, ("t3", b"\x07" * 32)))
    info = Announcer(replace(state(app), settings=settings), "worker").info()
    assert info.key_ids == ("t1", "t3") and info.current_key_id == "t3" and info.kind == "worker"
    assert info.id == f"{info.host}:{info.pid}"


def test_a_web_process_announces_itself_on_its_first_request_and_then_every_minute(fresh_database, tmp_path):
    import time

    from coordination import create_app, instances

    from ..conftest import make_settings

    app = create_app(make_settings(fresh_database.url, tmp_path, announce_instances=True),
                     engine=fresh_database.engine)
    try:
        with fresh_database.engine.connect() as conn:
            assert conn.execute(select(AppInstance)).all() == []
        app.test_client().get("/sign-in")
        deadline, rows = time.monotonic() + 10, []
        while not rows and time.monotonic() < deadline:
            time.sleep(0.05)
            with fresh_database.engine.connect() as conn:
                rows = conn.execute(select(AppInstance.kind, AppInstance.key_ids)).all()
        assert [tuple(r) for r in rows] == [("web", ["t1"])]
        assert instances.announce_from(app) is instances.announce_from(app)  # one announcer per process
    finally:
        instances.stop()
