"""The browser tests' shared harness: an app over a committed, throw-away SQLite database, served live on a
free port, and headless Debian Chromium.

Each test module seeds the app its own way, then serves it:

    @pytest.fixture
    def live_server(browser_app):
        seed(state(browser_app).unit_of_work(request_id="browser-seed"))
        with serve(browser_app) as base:
            yield base

The browser checks run once, on SQLite: the web tests cover PostgreSQL.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from coordination import create_app
from coordination.extensions import state

from ..conftest import make_settings, unavailable

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser_app(request, database, tmp_path):
    """An app over a fresh committed SQLite database (skipped for the PostgreSQL parameter)."""
    if database.name != "sqlite":
        pytest.skip("the browser checks run once, on SQLite; the web tests cover PostgreSQL")
    fresh = request.getfixturevalue("fresh_database")
    app = create_app(make_settings(fresh.url, tmp_path))
    yield app
    state(app).engine.dispose()


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve `app` on a free local port in a thread; the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def chromium():
    """Headless Debian Chromium through Playwright (skipped, or failed under REQUIRE_SERVICES, when missing)."""
    if not CHROMIUM.exists():
        unavailable("/usr/bin/chromium is missing: browser tests skipped (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _click_waits_for_the_next_page(monkeypatch):
    """A click that follows a link or submits a form returns once the next page has committed, not loaded:
    reading its title or counting its rows at once can see a blank document (seen on a loaded CI machine).
    Every click here therefore also waits for the page it leads to to load (at once when it leads nowhere)."""
    try:
        from playwright.sync_api import Locator
    except ImportError:  # the browser tests skip themselves
        return
    original = Locator.click

    def click(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.page.wait_for_load_state("load")

    monkeypatch.setattr(Locator, "click", click)


PASSWORD = "a-fictional-password-for-tests"


class Axe:
    """axe-core on the current page: `clean(title)` asserts the page (with or without its error summary) has no
    violations, and remembers which pages were checked."""

    def __init__(self, page):
        from axe_playwright_python.sync_playwright import Axe as AxeRunner

        self.page = page
        self.runner = AxeRunner()
        self.checked: list[str] = []
        page.set_default_timeout(15_000)

    def clean(self, title: str, errors: bool = False):
        self.page.wait_for_load_state("load")
        assert title in self.page.title(), self.page.title()
        assert self.page.title().startswith("Error: ") == errors, self.page.title()
        if errors:
            assert self.page.locator(".govuk-error-summary a").count() > 0
        results = self.runner.run(self.page)
        assert results.violations_count == 0, results.generate_report()
        self.checked.append(self.page.title())


def add_practitioner(uow, email: str, name: str, agency: str = "Fictional Borough Early Help"):
    """A council early help team with one practitioner (password PASSWORD), flushed: the user."""
    from coordination.domain.actors import Actor
    from coordination.services import admin

    system = Actor.system("browser test")
    team = admin.add_agency(uow, system, agency, "council_early_help")
    user = admin.add_user(uow, system, email, name, team.id, "practitioner", PASSWORD)
    uow.session.flush()
    return user


def sign_in_as(page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
