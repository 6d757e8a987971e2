"""The relay's rule for a message Redis was given but nobody handled (coordination.domain.outbox)."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.domain.outbox import MAX_FAILURES, Verdict, parked, retry_delay, verdict

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("status", ["queued", "deferred", "scheduled"])
def test_a_job_still_waiting_its_turn_keeps_its_lease(status):
    assert verdict(status, None, NOW, job_timeout=60, grace=30) is Verdict.RENEW


def test_a_running_job_within_its_time_limit_keeps_its_lease_and_one_past_it_belonged_to_a_dead_worker():
    assert verdict("started", NOW - dt.timedelta(seconds=90), NOW, job_timeout=60, grace=30) is Verdict.RENEW
    assert verdict("started", NOW - dt.timedelta(seconds=91), NOW, job_timeout=60, grace=30) is Verdict.FAILURE
    assert verdict("started", None, NOW, job_timeout=60, grace=30) is Verdict.FAILURE


@pytest.mark.parametrize("status", ["failed", "stopped", "canceled"])
def test_a_job_that_failed_counts_against_its_message(status):
    assert verdict(status, None, NOW, job_timeout=60, grace=30) is Verdict.FAILURE


@pytest.mark.parametrize("status", [None, "finished", "created"])
def test_a_job_lost_with_redis_or_finished_without_handling_is_sent_again_without_blame(status):
    assert verdict(status, None, NOW, job_timeout=60, grace=30) is Verdict.REQUEUE


def test_the_back_off_is_at_once_then_doubles_to_an_hour_and_a_message_is_parked_after_eight_failures():
    assert [retry_delay(n) for n in range(0, 10)] == [0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600]
    assert retry_delay(40) == 3600
    assert MAX_FAILURES == 8
    assert not parked(7) and parked(8)
