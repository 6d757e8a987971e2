"""A council's service, not GOV.UK's, in headless Chromium at desktop and phone widths: the council's name in
the header, no crown, no GDS Transport (no element uses it, no font file is fetched), nothing wider than the
screen in the header and footer, and axe-core finds nothing.

Set BROWSER_SCREENSHOTS=<dir> to keep a screenshot of each page at each width.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from coordination.extensions import state
from coordination.services.auth import actor_for_user
from coordination.services.families import NewPerson, create_family

from .conftest import add_practitioner, serve, sign_in_as

pytestmark = pytest.mark.browser

EMAIL = "branding.practitioner@example.org"
SCREENSHOTS = Path(os.environ["BROWSER_SCREENSHOTS"]) if os.environ.get("BROWSER_SCREENSHOTS") else None
FONTS_USED = """() => [...new Set([...document.querySelectorAll('body, body *')]
    .filter(e => !['CODE', 'KBD', 'PRE', 'SAMP', 'SCRIPT', 'svg', 'path'].includes(e.tagName))
    .map(e => getComputedStyle(e).fontFamily))]"""


@pytest.fixture
def live_server(browser_app):
    uow = state(browser_app).unit_of_work(request_id="browser-seed")
    user = add_practitioner(uow, EMAIL, "Bo Branding")
    family = create_family(uow, actor_for_user(user), [NewPerson("child", "Wren", "Fictional", dt.date(2015, 5, 1))],
                           confirm_new=True)
    uow.commit()
    uow.session.close()
    with serve(browser_app) as base:
        yield base, family.id


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_carry_the_council_name_in_the_system_font_without_gov_uk_branding(chromium, live_server, width):
    from axe_playwright_python.sync_playwright import Axe

    base, family_id = live_server
    page = chromium.new_page(viewport={"width": width, "height": 900})
    page.set_default_timeout(15_000)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    for name, path in [("sign-in", "/sign-in"), ("caseload", "/caseload"), ("family", f"/families/{family_id}"),
                       ("create", "/families/new")]:
        if name == "caseload":
            sign_in_as(page, base, EMAIL)
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.locator(".govuk-generic-header__homepage-link").inner_text().strip() == "Eastmere"
        assert page.locator(".govuk-header__logotype, .govuk-footer__crown, .govuk-footer__copyright-logo").count() == 0
        fonts = page.evaluate(FONTS_USED)
        assert fonts and not [f for f in fonts if "GDS Transport" in f], fonts
        assert all(f.startswith("system-ui") for f in fonts), fonts
        # The header and footer fit the screen (a wide table elsewhere is the responsive-tables work's).
        for part in (".govuk-template__header", ".govuk-template__footer"):
            assert page.locator(part).evaluate("e => e.scrollWidth") <= width, (name, part)
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        if SCREENSHOTS is not None:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"branding-{name}-{width}.png"), full_page=True)
    assert not [url for url in fetched if "/assets/fonts/" in url or "/assets/images/" in url], fetched
    page.close()
