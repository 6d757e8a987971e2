"""Family Help rules: the review interval setting (4 to 12 weeks, default 6), the first review by the early help
plan clock, the next review within the interval, re-opening within 12 months, feedback within 20 working days."""
from __future__ import annotations

import datetime as dt

import pytest

from coordination.config import ConfigError, load_settings
from coordination.domain import family_help as rules

D = dt.date.fromisoformat


def env(tmp_path, **extra):
    return {"COORDINATION_ENV": "test", "INSTANCE_PATH": str(tmp_path), **extra}


def test_the_review_interval_is_a_local_setting_from_4_to_12_weeks(tmp_path):
    assert load_settings(environ=env(tmp_path)).review_interval_weeks == 6
    assert load_settings(environ=env(tmp_path, REVIEW_INTERVAL_WEEKS="12")).review_interval_weeks == 12
    for bad in ("3", "13", "six"):
        with pytest.raises(ConfigError, match="REVIEW_INTERVAL_WEEKS"):
            load_settings(environ=env(tmp_path, REVIEW_INTERVAL_WEEKS=bad))


def test_review_dates():
    assert rules.first_review_due(D("2026-01-19")) == D("2026-03-02")  # taf_review: 6 weeks
    assert rules.next_review_due(D("2026-02-23"), None, 8) == D("2026-04-20")
    assert rules.next_review_due(D("2026-02-23"), D("2026-03-09"), 8) == D("2026-03-09")
    assert rules.next_review_problem(D("2026-02-23"), D("2026-04-21"), 8) == \
        "The next review must be within 8 weeks of this one"
    assert rules.next_review_problem(D("2026-02-23"), D("2026-02-23"), 8) == "The next review must be after this one"
    assert rules.held_on_time(D("2026-03-02"), D("2026-03-02")) and not rules.held_on_time(D("2026-03-03"),
                                                                                         D("2026-03-02"))


def test_reopening_and_feedback_windows():
    assert rules.reopened_within_flag(D("2026-02-28"), D("2027-02-28"))
    assert not rules.reopened_within_flag(D("2026-02-28"), D("2027-03-01"))
    assert rules.feedback_due(D("2026-02-02")) == D("2026-03-02")
    assert rules.answered_in_time(D("2026-02-02"), D("2026-03-02"))
    assert not rules.answered_in_time(D("2026-02-02"), D("2026-03-03"))
    assert not rules.answered_in_time(D("2026-02-02"), None)
