"""Signing in: the generic error, the audit of failures, and where success leads."""
from __future__ import annotations

from sqlalchemy import select

from audit.models import AuditEvent

from .conftest import error_summary, title_of


def test_wrong_password_shows_the_error_summary_and_is_audited(browser, practitioner, uow):
    response = browser.submit("/sign-in", {"email": practitioner.email, "password": "not-the-password"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert title_of(html).startswith("Error: Sign in")
    assert error_summary(html) == {"#email": "Enter a correct email address and password"}
    assert 'value="not-the-password"' not in html  # the password is never echoed back
    failures = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "sign_in_failed")
                                   .order_by(AuditEvent.seq)).scalars().all()
    assert len(failures) == 1
    assert failures[0].record_id == str(practitioner.id)
    assert practitioner.email not in str(failures[0].details)


def test_unknown_email_gets_the_same_message(browser):
    html = browser.submit("/sign-in", {"email": "nobody@example.org", "password": "whatever-it-is"}).get_data(
        as_text=True)
    assert error_summary(html) == {"#email": "Enter a correct email address and password"}


def test_empty_form_links_each_missing_field(browser):
    html = browser.submit("/sign-in", {"email": "", "password": ""}).get_data(as_text=True)
    assert error_summary(html) == {"#email": "Enter your email address", "#password": "Enter your password"}


def test_success_goes_to_the_caseload_and_is_audited(browser, practitioner, uow):
    response = browser.sign_in(practitioner)
    assert response.headers["Location"] == "/caseload"
    page = browser.get("/caseload")
    assert "Your caseload" in page.get_data(as_text=True)
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "sign_in")
                                 .order_by(AuditEvent.seq)).scalars().all()
    assert [e.actor_user_id for e in events] == [str(practitioner.id)]


def test_signed_in_user_visiting_sign_in_goes_home(signed_in):
    assert signed_in.get("/sign-in").headers["Location"] == "/caseload"
