"""An rq worker started with `-w coordination.instances.AnnouncingWorker` announces its key ids from its main
process before taking a job, so `keys rotate` sees it."""
import os

from redis import Redis
from rq import Queue
from sqlalchemy import select

from coordination.instances import AnnouncingWorker
from coordination.models import AppInstance

from ..conftest import TEST_KEYS


def test_an_announcing_worker_records_its_key_ids(fresh_database, tmp_path, monkeypatch, redis_url):
    env = {
        "COORDINATION_ENV": "test", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": fresh_database.url,
        "SECRET_KEY": TEST_KEYS["secret_key"], "ENCRYPTION_KEYS": TEST_KEYS["encryption_keys"],
        "BLIND_INDEX_KEY": TEST_KEYS["blind_index_key"], "AUDIT_SIGNING_KEY": TEST_KEYS["audit_signing_key"],
        "AUDIT_CHAIN_KEY": TEST_KEYS["audit_chain_key"], "REDIS_URL": redis_url,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    connection = Redis.from_url(redis_url)
    queue = Queue(f"announce-{os.getpid()}", connection=connection)
    AnnouncingWorker([queue], connection=connection).work(burst=True)
    with fresh_database.engine.connect() as conn:
        rows = conn.execute(select(AppInstance.kind, AppInstance.pid, AppInstance.key_ids)).all()
    assert [tuple(r) for r in rows] == [("worker", os.getpid(), ["t1"])]
