"""A message Redis accepted but nobody handled is not lost: after its lease the relay asks Redis what became of
its job and sends it again (lost), leaves it (still queued), or counts a failure and backs off; a message that
keeps failing is parked for an operator (`flask jobs stuck`, `flask jobs retry`), audited."""
from __future__ import annotations

import datetime as dt

import pytest
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from sqlalchemy import select, update

from audit.models import AuditEvent
from coordination.domain.outbox import MAX_FAILURES
from coordination.extensions import state
from coordination.jobs.relay import relay_once, seal_audit_events
from coordination.jobs.runtime import worker_app
from coordination.models import OutboxMessage

from .test_checkpoint_job import worker_env  # noqa: F401  (fixture: worker environment over a fresh database)
from .test_relay import counts, relay_env, seed  # noqa: F401  (fixture: its own queue over a fresh database)


def _age(app_state, ids, seconds: int = 600) -> None:
    """Pretend the messages were dispatched `seconds` ago (their lease long run out)."""
    session = app_state.sessions()
    try:
        for message in session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).scalars():
            if message.dispatched_at is not None:
                message.dispatched_at -= dt.timedelta(seconds=seconds)
        session.commit()
    finally:
        session.close()


def _messages(app_state, ids) -> list[OutboxMessage]:
    session = app_state.sessions()
    try:
        return list(session.execute(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                                    .order_by(OutboxMessage.id)).scalars())
    finally:
        session.close()


def _queue(redis_url, name) -> Queue:
    return Queue(name, connection=Redis.from_url(redis_url))


def _work(queue: Queue) -> None:
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def _fail_mail(monkeypatch) -> None:
    def broken(self, email):
        raise OSError("mail server down")

    monkeypatch.setattr("coordination.services.mail.LogSender.send", broken)


def test_jobs_lost_when_redis_lost_its_data_are_sent_again_after_their_lease_and_handled_once(relay_env, redis_url):  # noqa: F811
    app_state = state(worker_app())
    ids = seed(app_state, referrals=3)
    assert relay_once(app_state).dispatched == 3
    queue = _queue(redis_url, relay_env)
    for job_id in queue.job_ids:  # Redis restarted without persistence: the jobs are gone
        Job.fetch(job_id, connection=queue.connection).delete()
    assert queue.count == 0
    assert relay_once(app_state).dispatched == 0  # within the lease: nothing to do yet
    _age(app_state, ids)
    result = relay_once(app_state)
    assert (result.requeued, result.dispatched, result.parked) == (3, 3, 0)
    assert {m.failures for m in _messages(app_state, ids)} == {0}  # not the messages' fault
    _work(queue)
    assert counts(app_state, ids) == (3, 3, 0)
    _age(app_state, ids)
    assert relay_once(app_state) == relay_once(app_state).__class__()  # handled: nothing is ever sent again
    _work(queue)
    assert counts(app_state, ids) == (3, 3, 0)


def test_a_job_still_waiting_in_the_queue_keeps_its_place_and_is_not_queued_twice(relay_env, redis_url):  # noqa: F811
    app_state = state(worker_app())
    ids = seed(app_state, referrals=2)
    relay_once(app_state)
    _age(app_state, ids)
    result = relay_once(app_state)
    assert (result.requeued, result.dispatched) == (0, 0)
    queue = _queue(redis_url, relay_env)
    assert sorted(queue.job_ids) == sorted(str(i) for i in ids)  # each once
    renewed = [m.dispatched_at for m in _messages(app_state, ids)]
    assert all(at > dt.datetime.now(dt.UTC) - dt.timedelta(seconds=60) for at in renewed)  # a fresh lease
    _work(queue)
    assert counts(app_state, ids) == (2, 2, 0)


def test_a_job_whose_worker_died_mid_job_is_sent_again_and_counted_as_a_failure(relay_env, redis_url):  # noqa: F811
    app_state = state(worker_app())
    [message_id] = seed(app_state)
    relay_once(app_state)
    queue = _queue(redis_url, relay_env)
    job = Job.fetch(str(message_id), connection=queue.connection)
    queue.remove(job)  # taken by a worker …
    job.set_status(JobStatus.STARTED)
    job.started_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)  # … that died long ago
    job.save()
    _age(app_state, [message_id])
    result = relay_once(app_state)
    assert (result.requeued, result.dispatched) == (1, 1)  # the first retry is at once
    [message] = _messages(app_state, [message_id])
    assert (message.failures, message.last_error) == (1, "handling did not finish")
    _work(queue)
    assert counts(app_state, [message_id]) == (1, 1, 0)


def test_a_failing_message_backs_off_then_is_parked_and_an_operators_retry_is_audited(
        relay_env, redis_url, monkeypatch):  # noqa: F811
    app_state = state(worker_app())
    [message_id] = seed(app_state)
    queue = _queue(redis_url, relay_env)
    _fail_mail(monkeypatch)
    relay_once(app_state)
    _work(queue)  # the handler raises: rq marks the job failed
    assert Job.fetch(str(message_id), connection=queue.connection).get_status() == JobStatus.FAILED
    _age(app_state, [message_id])
    assert relay_once(app_state).dispatched == 1  # failure 1: again at once
    _work(queue)
    _age(app_state, [message_id])
    result = relay_once(app_state)
    assert (result.requeued, result.dispatched) == (1, 0)  # failure 2: backed off 30 seconds
    [message] = _messages(app_state, [message_id])
    assert message.failures == 2 and message.dispatched_at is None
    assert dt.timedelta(seconds=25) < message.available_at - dt.datetime.now(dt.UTC) <= dt.timedelta(seconds=30)

    session = app_state.sessions()  # skip the waits: the message is one failure from being parked
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                    .values(failures=MAX_FAILURES - 1, available_at=dt.datetime.now(dt.UTC)))
    session.commit()
    session.close()
    relay_once(app_state)
    _work(queue)
    _age(app_state, [message_id])
    result = relay_once(app_state)
    assert (result.parked, result.dispatched) == (1, 0)
    _age(app_state, [message_id])
    assert relay_once(app_state).dispatched == 0  # parked: never tried again on its own

    runner = worker_app().test_cli_runner()
    listed = runner.invoke(args=["jobs", "stuck"])
    assert listed.exit_code == 0, listed.output
    assert f"{message_id}  referral.created" in listed.output and f"failed {MAX_FAILURES} times" in listed.output
    assert listed.output.strip().endswith("1 parked message(s)")

    monkeypatch.undo()  # the mail server is fixed
    retried = runner.invoke(args=["jobs", "retry", str(message_id)])
    assert retried.exit_code == 0, retried.output
    assert relay_once(app_state).dispatched == 1
    _work(queue)
    assert counts(app_state, [message_id]) == (1, 1, 0)
    seal_audit_events(app_state)  # with Redis the relay chains what the CLI and the jobs wrote (PostgreSQL)
    session = app_state.sessions()
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "retry")).scalar_one()
    assert (event.record_type, event.record_id) == ("outbox_message", str(message_id))
    session.close()
    assert runner.invoke(args=["jobs", "retry", str(message_id)]).exit_code == 2  # no longer parked


@pytest.mark.parametrize("variable, value", [("OUTBOX_LEASE_SECONDS", "soon"), ("OUTBOX_JOB_TIMEOUT", "0")])
def test_lease_settings_that_are_not_whole_seconds_are_refused(variable, value):
    from coordination.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match=variable):
        load_settings(environ={variable: value, "COORDINATION_ENV": "test"})
