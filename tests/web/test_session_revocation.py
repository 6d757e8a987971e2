"""A session cookie stops working when its user signs out, changes password, is deactivated or changes role.

Each test copies the session cookie while it works, causes the event, and replays the copy from a second
client, as someone who had lifted the cookie would.
"""
from __future__ import annotations

import pytest

from coordination.domain.actors import Actor
from coordination.services import admin as admin_service

from ..factories import PASSWORD
from .conftest import csrf_from

OPERATOR = Actor.system("test")


def _copied_session(app, browser):
    """A second client carrying a copy of `browser`'s session cookie, which opens the caseload now."""
    cookie = browser.client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/caseload").status_code == 200
    return thief


def _refused(client) -> None:
    response = client.get("/caseload")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_copied_session_cookie_stops_working_when_its_user_signs_out(app, signed_in, uow):
    thief = _copied_session(app, signed_in)
    token = csrf_from(signed_in.get("/caseload").get_data(as_text=True))
    assert signed_in.client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    _refused(thief)
    _refused(signed_in.client)


def test_signing_out_ends_the_users_other_sessions_too(app, browser, practitioner):
    """The epoch is per user: signing out on one device ends the sessions on the others."""
    browser.sign_in(practitioner)
    other = app.test_client()
    from .conftest import Browser
    Browser(other).sign_in(practitioner)
    token = csrf_from(browser.get("/caseload").get_data(as_text=True))
    browser.client.post("/sign-out", data={"csrf_token": token})
    _refused(other)


@pytest.mark.parametrize("change", ["password", "deactivate", "role"])
def test_a_copied_session_cookie_stops_working_when_the_account_changes(app, signed_in, practitioner, uow,
                                                                         change):
    thief = _copied_session(app, signed_in)
    if change == "password":
        admin_service.set_password(uow, OPERATOR, practitioner.id, "a-brand-new-passphrase")
    elif change == "deactivate":
        admin_service.deactivate_user(uow, OPERATOR, practitioner.id)
    else:
        admin_service.change_role(uow, OPERATOR, practitioner.id, "manager")
    uow.commit()
    _refused(thief)
    _refused(signed_in.client)


def test_signing_in_again_after_a_role_change_works_with_the_new_role(app, signed_in, practitioner, uow):
    admin_service.change_role(uow, OPERATOR, practitioner.id, "manager")
    uow.commit()
    signed_in.client.delete_cookie("session")
    signed_in.sign_in(practitioner, PASSWORD)
    assert signed_in.get("/oversight").status_code == 200  # a manager's page
