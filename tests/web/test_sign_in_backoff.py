"""Per-account sign-in back-off: after five failures for one email address the account waits (30 s, doubling,
at most 5 minutes) before any attempt is tried, whatever the client address; audited; cleared by a success.
Counted in memory and in Redis (as in production, shared by every web process)."""
from __future__ import annotations

import re
import time
import uuid

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain import backoff as rules

from .. import factories
from ..conftest import make_settings
from ..factories import PASSWORD
from .conftest import csrf_from, error_summary

WRONG = "not-the-password-at-all"


@pytest.fixture(params=["memory", "redis"])
def storage(request) -> str:
    return "memory://" if request.param == "memory" else request.getfixturevalue("redis_url")


@pytest.fixture
def settings(database, tmp_path, storage):
    return make_settings(database.url, tmp_path, ratelimit_storage=storage)


@pytest.fixture
def person(early_help):
    """A user with an email of their own each run: Redis keeps counters for 15 minutes between runs."""
    return factories.UserFactory(agency=early_help, role="practitioner",
                                 email=f"ava.{uuid.uuid4().hex[:8]}@example.org")


def attempt(browser, email, password, address="192.0.2.10"):
    page = browser.client.get("/sign-in")
    token = csrf_from(page.get_data(as_text=True))
    return browser.client.post("/sign-in", data={"csrf_token": token, "email": email, "password": password},
                               environ_base={"REMOTE_ADDR": address})


def events(uow, action):
    return uow.session.execute(select(AuditEvent).where(AuditEvent.action == action)
                               .order_by(AuditEvent.seq)).scalars().all()


def test_an_account_waits_after_five_failures_even_with_the_right_password(browser, person, uow):
    for i in range(5):  # from five addresses: the back-off is per account, not per address
        assert attempt(browser, person.email, WRONG, address=f"192.0.2.{i + 1}").status_code == 200
    refused = attempt(browser, person.email, PASSWORD, address="198.51.100.7")
    assert refused.status_code == 429 and refused.headers["Retry-After"] in {"29", "30"}
    (message,) = error_summary(refused.get_data(as_text=True)).values()
    assert re.fullmatch("Too many attempts to sign in to this account. Wait (29|30) seconds and try again", message)
    assert browser.get("/caseload").status_code == 302  # not signed in
    (started,) = events(uow, "sign_in_backoff")
    assert (started.details["failures"], started.details["seconds"]) == (5, 30)
    assert started.record_id == str(person.id)
    (refusal,) = events(uow, "sign_in_refused")
    assert refusal.details["email_digest"] == started.details["email_digest"]
    assert person.email not in str([started.details, refusal.details])
    assert len(events(uow, "sign_in_failed")) == 5 and events(uow, "sign_in") == []


def test_another_account_is_not_held_back(browser, person, practitioner):
    for _ in range(6):
        attempt(browser, person.email, WRONG)
    assert attempt(browser, practitioner.email, PASSWORD).status_code == 302


def test_an_unknown_email_backs_off_the_same_way(browser):
    nobody = f"nobody.{uuid.uuid4().hex[:8]}@example.org"
    for _ in range(5):
        assert attempt(browser, nobody, WRONG).status_code == 200
    assert attempt(browser, nobody, WRONG).status_code == 429


def test_the_wait_ends_and_a_success_clears_the_count(browser, person, monkeypatch):
    monkeypatch.setattr(rules, "FIRST_DELAY_SECONDS", 1)
    for _ in range(5):
        attempt(browser, person.email, WRONG)
    assert attempt(browser, person.email, PASSWORD).status_code == 429
    time.sleep(1.3)
    assert attempt(browser, person.email, PASSWORD).status_code == 302
    browser.client.delete_cookie("session")
    for _ in range(4):  # the count started again from nothing
        assert attempt(browser, person.email, WRONG).status_code == 200
    assert attempt(browser, person.email, PASSWORD).status_code == 302


def test_the_wait_doubles_and_never_exceeds_five_minutes():
    assert [rules.delay_after(n) for n in range(1, 11)] == [0, 0, 0, 0, 30, 60, 120, 240, 300, 300]
