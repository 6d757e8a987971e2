"""Admins' partner API keys pages: list, issue (secret shown once), revoke, expiry; admins only."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from coordination.errors import Unauthenticated
from coordination.services import api_keys as keys_service
from coordination.services import auth as auth_service

from .. import factories
from ..conftest import actor_of
from .conftest import error_summary, ids_in, title_of

SECRET = re.compile(r"cck_[A-Za-z0-9_\-]{20,}")


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def school(uow):
    return factories.AgencyFactory(name="Brookside Primary School", type="school")


def _issue(browser, school, **extra):
    data = {"agency_id": str(school.id), "name": "School MIS", "scopes": ["read:assessment"], **extra}
    return browser.submit("/admin/api-keys/new", data)


def test_only_admins_reach_the_keys_pages_when_signed_in(browser, practitioner, manager, admin_user):
    for user in (practitioner, manager):
        browser.sign_in(user)
        assert browser.get("/admin/api-keys").status_code == 403
        assert browser.get("/admin/api-keys/new").status_code == 403
        browser.client.delete_cookie("session")
    browser.sign_in(admin_user)
    page = browser.get("/admin/api-keys")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert title_of(html).startswith("Partner API keys") and 'href="/admin/api-keys"' in html  # the nav item


def test_issued_secret_is_shown_once_and_works_until_revoked(browser, admin_user, school, uow, client):
    browser.sign_in(admin_user)
    response = _issue(browser, school, expires_on=_parts(uow.today() + dt.timedelta(days=60)))
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")
    html = response.get_data(as_text=True)
    assert title_of(html).startswith("Key issued") and "It will not be shown again" in html
    (secret,) = set(SECRET.findall(html))
    actor = auth_service.authenticate_bearer(uow, secret)
    assert actor.is_partner and actor.agency_id == school.id and actor.scopes == frozenset({"read:assessment"})
    uow.rollback()
    # the API knows the key: a partner key on a staff-only route is refused as forbidden, not unauthenticated
    assert client.get("/api/v1/families", headers={"Authorization": "Bearer " + secret}).status_code == 403

    listing = browser.get("/admin/api-keys").get_data(as_text=True)
    assert secret not in listing and "School MIS" in listing and "Brookside Primary School" in listing
    assert secret[:10] in listing and "read:assessment" in listing and "Active" in listing
    (key,) = keys_service.list_api_keys(uow, actor_of(admin_user))
    assert key.expires_at is not None

    revoke_url = f"/admin/api-keys/{key.id}/revoke"
    assert title_of(browser.get(revoke_url).get_data(as_text=True)).startswith("Revoke a partner API key")
    assert error_summary(browser.submit(revoke_url, {"reason": ""}).get_data(as_text=True)) == {
        "#reason": "Enter a reason"}
    assert browser.submit(revoke_url, {"reason": "The school replaced its system"}).status_code == 302
    assert "Revoked" in browser.get("/admin/api-keys").get_data(as_text=True)
    assert client.get("/api/v1/families", headers={"Authorization": "Bearer " + secret}).status_code == 401
    with pytest.raises(Unauthenticated):
        auth_service.authenticate_bearer(uow, secret)


def test_expiry_can_be_set_and_a_past_date_is_refused(browser, admin_user, school, uow):
    browser.sign_in(admin_user)
    _issue(browser, school)
    (key,) = keys_service.list_api_keys(uow, actor_of(admin_user))
    assert key.expires_at is None
    url = f"/admin/api-keys/{key.id}/expiry"
    assert title_of(browser.get(url).get_data(as_text=True)).startswith("Change a key")
    html = browser.submit(url, {"expires_on": _parts(uow.today() - dt.timedelta(days=1))}).get_data(as_text=True)
    assert error_summary(html) == {"#expires_on-day": "The expiry date must be in the future"}
    day = uow.today() + dt.timedelta(days=10)
    assert browser.submit(url, {"expires_on": _parts(day)}).status_code == 302
    (key,) = keys_service.list_api_keys(uow, actor_of(admin_user))
    assert key.expires_at is not None and key.expires_at.astimezone(dt.UTC) > dt.datetime.now(dt.UTC)
    assert f"{day.day} {day:%B %Y}" in browser.get("/admin/api-keys").get_data(as_text=True)


def test_missing_answers_are_listed_in_an_error_summary_when_issuing(browser, admin_user, school):
    browser.sign_in(admin_user)
    html = browser.submit("/admin/api-keys/new", {"agency_id": "", "name": ""}).get_data(as_text=True)
    assert title_of(html).startswith("Error: Issue a partner API key")
    links = error_summary(html)
    assert links["#name"] == "Enter a name for the key"
    html = browser.submit("/admin/api-keys/new", {"agency_id": "", "name": "MIS"}).get_data(as_text=True)
    links = error_summary(html)
    assert links == {"#agency_id": "Choose the agency the key is for", "#scopes": "Choose what the key may do"}
    assert {h[1:] for h in links} <= ids_in(html)
    assert SECRET.search(html) is None


def test_service_refuses_non_admins_when_listing_or_revoking(uow, practitioner, manager):
    from coordination.errors import NotPermitted
    for user in (practitioner, manager):
        with pytest.raises(NotPermitted):
            keys_service.list_api_keys(uow, actor_of(user))
