"""Partner API keys pages: list (admins; managers, scoped), asking for a key and confirming it (two people, each
shown one part of the secret once), revoke, expiry."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from coordination.domain.actors import Actor
from coordination.errors import Unauthenticated
from coordination.services import api_keys as keys_service
from coordination.services import auth as auth_service

from .. import factories
from ..conftest import actor_of
from .conftest import Browser, csrf_from, error_summary, ids_in, title_of

SECRET = re.compile(r"cck_[A-Za-z0-9_\-]{20,}")


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


@pytest.fixture
def school(uow):
    return factories.AgencyFactory(name="Brookside Primary School", type="school")


def _issue(browser, school, **extra):
    data = {"agency_id": str(school.id), "name": "School MIS", "scopes": ["read:assessment"]} | extra
    return browser.submit("/admin/api-keys/new", data)


def _signed_in_as(app, user) -> Browser:
    other = Browser(app.test_client())
    other.sign_in(user)
    return other


def _bearer(client, secret, path="/api/v1/families"):
    return client.get(path, headers={"Authorization": "Bearer " + secret}).status_code


def test_admins_manage_keys_and_managers_see_them_when_signed_in(browser, practitioner, manager, admin_user):
    browser.sign_in(practitioner)
    assert browser.get("/admin/api-keys").status_code == 403
    assert browser.get("/admin/api-keys/new").status_code == 403
    browser.client.delete_cookie("session")
    browser.sign_in(manager)
    html = browser.get("/admin/api-keys").get_data(as_text=True)
    assert 'href="/admin/api-keys"' in html and "Issue a key" not in html  # the list (oversight), no issuing
    assert browser.get("/admin/api-keys/new").status_code == 403
    browser.client.delete_cookie("session")
    browser.sign_in(admin_user)
    page = browser.get("/admin/api-keys")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert title_of(html).startswith("Partner API keys") and 'href="/admin/api-keys"' in html  # the nav item


def test_no_single_admin_ends_up_holding_a_working_key(app, browser, admin_user, second_admin, school, uow, client):
    browser.sign_in(admin_user)
    response = _issue(browser, school, expires_on=_parts(uow.today() + dt.timedelta(days=60)))
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")
    html = response.get_data(as_text=True)
    assert title_of(html).startswith("Key asked for: part 1 of 2") and "It will not be shown again" in html
    (first,) = set(SECRET.findall(html))
    assert _bearer(client, first) == 401  # pending: the issuer holds nothing that works
    (key,) = keys_service.list_api_keys(uow, actor_of(admin_user))
    uow.rollback()
    listing = browser.get("/admin/api-keys").get_data(as_text=True)
    assert "Waiting to be confirmed" in listing and first not in listing
    # The issuer cannot confirm their own key, by the page or by posting to it.
    confirm_url = f"/admin/api-keys/{key.id}/confirm"
    assert f'href="{confirm_url}"' not in listing
    assert browser.get(confirm_url).status_code == 403
    token = csrf_from(listing)
    assert browser.client.post(confirm_url, data={"csrf_token": token}).status_code == 403
    assert _bearer(client, first) == 401

    other = _signed_in_as(app, second_admin)
    listing = other.get("/admin/api-keys").get_data(as_text=True)
    assert f'href="{confirm_url}"' in listing
    assert title_of(other.get(confirm_url).get_data(as_text=True)).startswith("Confirm a partner API key")
    confirmed = other.submit(confirm_url, {})
    assert confirmed.status_code == 200 and "no-store" in confirmed.headers.get("Cache-Control", "")
    html = confirmed.get_data(as_text=True)
    assert title_of(html).startswith("Key confirmed: part 2 of 2") and first not in html
    second = re.search(r'<code id="secret"[^>]*>([^<]+)</code>', html).group(1)
    assert _bearer(client, second) == 401 and _bearer(client, "cck_" + second) == 401
    # Both parts together work: the API knows the key (a partner key on a staff route is 403, not 401).
    assert _bearer(client, f"{first}.{second}") == 403
    actor = auth_service.authenticate_bearer(uow, f"{first}.{second}")
    assert actor.is_partner and actor.agency_id == school.id and actor.scopes == frozenset({"read:assessment"})
    uow.rollback()
    # Confirming again is refused: the key is no longer waiting.
    assert other.get(confirm_url).status_code == 302
    listing = other.get("/admin/api-keys").get_data(as_text=True)
    assert "Active" in listing and second_admin.name in listing and admin_user.name in listing


def test_issued_key_works_until_revoked(app, browser, admin_user, second_admin, school, uow, client):
    browser.sign_in(admin_user)
    (first,) = set(SECRET.findall(_issue(browser, school).get_data(as_text=True)))
    (key,) = keys_service.list_api_keys(uow, actor_of(admin_user))
    _view, second = keys_service.confirm_api_key(uow, actor_of(second_admin), key.id)
    uow.commit()
    secret = f"{first}.{second}"
    assert _bearer(client, secret) == 403
    listing = browser.get("/admin/api-keys").get_data(as_text=True)
    assert "School MIS" in listing and "Brookside Primary School" in listing
    assert first[:10] in listing and "read:assessment" in listing and "Active" in listing

    revoke_url = f"/admin/api-keys/{key.id}/revoke"
    assert title_of(browser.get(revoke_url).get_data(as_text=True)).startswith("Revoke a partner API key")
    assert error_summary(browser.submit(revoke_url, {"reason": ""}).get_data(as_text=True)) == {
        "#reason": "Enter a reason"}
    assert browser.submit(revoke_url, {"reason": "The school replaced its system"}).status_code == 302
    assert "Revoked" in browser.get("/admin/api-keys").get_data(as_text=True)
    assert _bearer(client, secret) == 401
    with pytest.raises(Unauthenticated):
        auth_service.authenticate_bearer(uow, secret)


def test_keys_are_offered_for_partner_agencies_only(browser, admin_user, school, early_help):
    social_care = factories.AgencyFactory(name="Northgate Children's Social Care", type="social_care")
    browser.sign_in(admin_user)
    html = browser.get("/admin/api-keys/new").get_data(as_text=True)
    assert str(school.id) in html and str(early_help.id) not in html and str(social_care.id) not in html
    html = _issue(browser, social_care).get_data(as_text=True)
    assert error_summary(html) == {"#agency_id": "Choose a partner agency: early help and social care teams use "
                                                 "their own staff accounts"}
    assert SECRET.search(html) is None


def test_a_manager_of_the_receiving_agency_sees_its_keys_and_confirms_one(app, browser, admin_user, school, uow,
                                                                           client):
    head = factories.UserFactory(agency=school, role="manager", email="head.teacher@example.org")
    other_school = factories.AgencyFactory(name="Elm Street Academy", type="school")
    browser.sign_in(admin_user)
    (first,) = set(SECRET.findall(_issue(browser, school).get_data(as_text=True)))
    _issue(browser, other_school, name="Elm MIS")
    manager = _signed_in_as(app, head)
    listing = manager.get("/admin/api-keys").get_data(as_text=True)
    assert "School MIS" in listing and "Elm MIS" not in listing and "Issue a key" not in listing
    (key,) = keys_service.list_api_keys(uow, actor_of(head))
    uow.rollback()
    html = manager.submit(f"/admin/api-keys/{key.id}/confirm", {}).get_data(as_text=True)
    second = re.search(r'<code id="secret"[^>]*>([^<]+)</code>', html).group(1)
    assert _bearer(client, f"{first}.{second}") == 403


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


def test_service_refuses_non_admins_when_listing_asking_or_revoking(uow, practitioner, manager, school):
    from coordination.errors import NotPermitted
    with pytest.raises(NotPermitted):
        keys_service.list_api_keys(uow, actor_of(practitioner))
    for user in (practitioner, manager):
        with pytest.raises(NotPermitted):
            keys_service.request_api_key(uow, actor_of(user), school.id, "MIS", ["read:assessment"])
        row, _secret = auth_service.issue_api_key(uow, Actor.system("test"), school.id, "MIS",
                                                  ["read:assessment"])
        with pytest.raises(NotPermitted):
            keys_service.revoke_api_key(uow, actor_of(user), row.id, "No longer needed")


def test_sending_the_issue_form_again_never_asks_for_a_second_key(browser, admin_user, school, uow):
    """Back or refresh on the page that showed the first part sends the same form again: the service says the
    key was already asked for and asks for no second one (the secret is never stored, so it is not shown again)."""
    import re

    from coordination.models import ApiKey

    from .conftest import csrf_from

    browser.sign_in(admin_user)
    page = browser.client.get("/admin/api-keys/new").get_data(as_text=True)
    request_id = re.search(r'name="request_id" type="hidden" value="([0-9a-f]{32})"', page)
    assert request_id, "the form names its request"
    data = {"agency_id": str(school.id), "name": "School MIS", "scopes": ["read:assessment"],
            "request_id": request_id.group(1), "csrf_token": csrf_from(page)}
    first = browser.client.post("/admin/api-keys/new", data=data)
    assert first.status_code == 200 and "cck_" in first.get_data(as_text=True)
    again = browser.client.post("/admin/api-keys/new", data=data)
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/api-keys")
    listing = browser.client.get("/admin/api-keys").get_data(as_text=True)
    assert "already been asked for" in listing
    uow.session.expire_all()
    assert uow.session.query(ApiKey).filter_by(agency_id=school.id).count() == 1
