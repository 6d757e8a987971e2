"""The scheduled checkpoint runs through a real Redis and rq worker and writes a signed checkpoint."""
import os

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from coordination.jobs import audit_jobs
from coordination.jobs.runtime import worker_app

from ..conftest import TEST_KEYS


@pytest.fixture
def worker_env(fresh_database, tmp_path, monkeypatch, redis_url):
    env = {
        "COORDINATION_ENV": "test", "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": fresh_database.url,
        "SECRET_KEY": TEST_KEYS["secret_key"], "ENCRYPTION_KEYS": TEST_KEYS["encryption_keys"],
        "BLIND_INDEX_KEY": TEST_KEYS["blind_index_key"], "AUDIT_SIGNING_KEY": TEST_KEYS["audit_signing_key"],
        "AUDIT_CHAIN_KEY": TEST_KEYS["audit_chain_key"],
        "AUDIT_CHECKPOINT_DIR": str(tmp_path / "checkpoints"), "REDIS_URL": redis_url,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    worker_app.cache_clear()
    yield tmp_path / "checkpoints"
    worker_app.cache_clear()


def test_checkpoint_job_runs_on_a_real_worker_and_writes_a_signed_checkpoint(worker_env, redis_url):
    connection = Redis.from_url(redis_url)
    queue = Queue(f"test-{os.getpid()}", connection=connection)
    queue.empty()
    job = queue.enqueue(audit_jobs.write_audit_checkpoint)
    SimpleWorker([queue], connection=connection).work(burst=True)
    job.refresh()
    assert job.is_finished, job.latest_result()
    assert job.return_value()["count"] == 0
    assert (worker_env / "audit-checkpoints.jsonl").exists()


def test_cron_config_schedules_the_checkpoint_every_five_minutes(redis_url):
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=Redis.from_url(redis_url))
    scheduler.load_config_from_file("coordination.jobs.cron_config")
    jobs = {job.func.__name__: job for job in scheduler.get_jobs()}
    assert jobs["write_audit_checkpoint"].cron == "*/5 * * * *"
