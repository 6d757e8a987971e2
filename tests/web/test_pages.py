"""Every page: status, <title>, access rules (sign-in redirect, 403 for roles without case access,
404 for another agency's family) and CSRF on every POST."""
from __future__ import annotations

import pytest

from coordination import create_app
from coordination.extensions import state
from tests.factories import PASSWORD

from .conftest import Browser, csrf_from, title_of

SERVICE = "Early help case coordination"


def test_sign_in_page_has_title_and_form(client):
    response = client.get("/sign-in")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert title_of(html) == f"Sign in – {SERVICE}"
    assert 'name="email"' in html and 'name="password"' in html
    assert "Alpha" in html and 'href="#main-content"' in html


@pytest.mark.parametrize("path", ["/", "/caseload", "/families/find", "/families/new"])
def test_staff_pages_redirect_to_sign_in_when_signed_out(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_family_page_redirect_keeps_a_relative_next(client, practitioner, make_family):
    family = make_family(practitioner)
    response = client.get(f"/families/{family.id}")
    assert response.headers["Location"] == f"/sign-in?next=/families/{family.id}"


def test_sign_in_honours_a_relative_next_only(browser, practitioner, client):
    page = client.get("/sign-in?next=//evil.example/x")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/sign-in?next=//evil.example/x",
                           data={"csrf_token": token, "email": practitioner.email, "password": PASSWORD})
    assert response.headers["Location"] == "/caseload"


def test_every_page_renders_with_its_title(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    base = f"/families/{family.id}"
    pages = {
        "/caseload": "Your caseload",
        "/families/find": "Find a family",
        "/known": "Is this child known?",
        "/families/new": "Create a family",
        base: "Testfamily family",
        f"{base}/assessment": "Assessment",
        f"{base}/assessment/family_story": "Our story: what has happened",
        f"{base}/assessment/family_story/history": "History: Our story: what has happened",
        f"{base}/voice": "Child's voice",
    }
    for path, title in pages.items():
        response = signed_in.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert title_of(html) == f"{title} – {SERVICE}", path
        assert 'action="/sign-out"' in html  # sign out is a POST form
        assert "govuk-service-navigation" in html


def test_caseload_lists_the_families_led_with_children_and_ages(signed_in, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",), surname="Brightwater")
    html = signed_in.get("/caseload").get_data(as_text=True)
    assert family.reference in html and "Brightwater family" in html
    assert f'href="/families/{family.id}"' in html
    assert "Rowan (" in html


def test_another_agencys_family_is_not_found(browser, outsider, practitioner, make_family):
    family = make_family(practitioner)
    browser.sign_in(outsider)
    for path in (f"/families/{family.id}", f"/families/{family.id}/assessment",
                 f"/families/{family.id}/assessment/family_story", f"/families/{family.id}/voice"):
        response = browser.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 404, path
        assert "Page not found" in html and "Testfamily" not in html


def test_admin_without_case_access_is_refused_case_pages(browser, admin_user, practitioner, make_family):
    family = make_family(practitioner)
    browser.sign_in(admin_user)
    assert browser.get("/").status_code == 200
    for path in ("/caseload", "/families/new", f"/families/{family.id}", f"/families/{family.id}/assessment"):
        response = browser.get(path)
        assert response.status_code == 403, path
        assert "You do not have permission" in response.get_data(as_text=True)


def test_unknown_page_is_a_govuk_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert title_of(response.get_data(as_text=True)) == f"Page not found – {SERVICE}"


def test_wrong_method_is_a_405_page(signed_in):
    response = signed_in.client.put("/caseload")
    assert response.status_code == 405
    assert "Sorry, there is a problem with your request" in response.get_data(as_text=True)


def test_a_body_over_2_mb_gets_the_govuk_too_large_page(signed_in):
    response = signed_in.client.post("/families/new", data={"notes": "y" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert title_of(page) == f"What you sent is too large – {SERVICE}"
    assert "A page can take up to 2 MB at a time. Nothing was saved." in page


def test_csrf_is_enabled_and_a_post_without_token_is_refused(app, client, practitioner):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    response = client.post("/sign-in", data={"email": practitioner.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "your form could not be sent" in response.get_data(as_text=True)


def test_a_post_with_a_forged_token_is_refused(signed_in):
    response = signed_in.client.post("/families/new", data={"csrf_token": "forged"})
    assert response.status_code == 400


def test_sign_out_is_a_post_and_signs_out(signed_in):
    assert signed_in.client.get("/sign-out").status_code == 405
    response = signed_in.submit("/sign-out", {}, form_url="/caseload", follow_redirects=True)
    assert "You have signed out" in response.get_data(as_text=True)
    assert signed_in.get("/caseload").status_code == 302


def test_security_headers_allow_only_govuks_inline_script(client):
    policy = client.get("/sign-in").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self' 'sha256-" in policy


def test_sign_in_is_rate_limited(database, settings, tmp_path):
    from tests.conftest import make_settings

    app = create_app(make_settings(database.url, tmp_path, ratelimit_enabled=True), engine=database.engine)
    state(app)  # built
    client = Browser(app.test_client())
    statuses = []
    for _ in range(11):
        page = client.get("/sign-in")
        response = client.client.post("/sign-in", data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                                        "email": "", "password": ""})
        statuses.append(response.status_code)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "too many attempts" in response.get_data(as_text=True)


def test_an_unexpected_error_is_a_500_page_that_leaks_nothing(app, client):
    def boom():
        raise RuntimeError("Rowan Testfamily, NHS 9434765919")

    boom.access_rule = None  # not a web view: only the error page is under test
    app.add_url_rule("/boom", "boom", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert title_of(html) == f"Sorry, there is a problem with the service – {SERVICE}"
    assert "Rowan" not in html and "9434765919" not in html
