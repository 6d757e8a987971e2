"""Every page of the demo borough fits a 375 px phone without sideways scrolling, for each kind of user.

The demo borough is seeded, then each role's pages are walked as a user would find them: every same-site link
(GET) from the pages already seen, two clicks deep from the caseload, at most a few pages per kind of address
(one family page stands for all). Wide tables scroll inside their own labelled region or stack into rows; the
page itself never does. The walk also fails on any page that answers with an error.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from coordination import create_app, demo
from coordination.domain.actors import Actor
from coordination.extensions import state

from ..conftest import make_settings
from .conftest import PASSWORD, serve, sign_in_as

WIDTH = 375
ROLES = ("practitioner@eastmere.example", "manager@eastmere.example", "admin@eastmere.example",
         "socialworker@eastmere.example", "riverside.senco@eastmere.example")
SKIP = re.compile(r"/sign-out|/web-assets/|/assets/|/api/|\.csv|/export|/print")
PER_SHAPE = 2
WIDEST = """(() => { let best = null, right = 0;
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect().right;
    if (r > right && el.children.length === 0) { right = r; best = el; }
  }
  return best ? `${Math.round(right)} ${best.tagName}.${best.className} ${best.textContent.trim().slice(0, 40)}` : '';
})()"""


@pytest.fixture
def demo_site(request, database, tmp_path):
    if database.name != "sqlite":
        pytest.skip("the browser checks run once, on SQLite; the web tests cover PostgreSQL")
    fresh = request.getfixturevalue("fresh_database")
    app = create_app(make_settings(fresh.url, tmp_path))
    unit = state(app).unit_of_work(request_id="browser-seed")
    demo.seed(unit, Actor.system("browser test"), state(app).settings, families=8, password=PASSWORD,
              say=lambda _m: None)
    unit.commit()
    unit.session.close()
    with serve(app) as base:
        yield base
    state(app).engine.dispose()


def _shape(path: str) -> str:
    """The kind of address: ids and numbers replaced, so one family page stands for every family page."""
    return re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+", "*", path)


def _walk(page, base: str, start: str, depth: int = 2) -> dict[str, int]:
    """{path: scrollWidth} of every page reached; asserts each answered without an error page."""
    seen: dict[str, int] = {}
    shapes: dict[str, int] = {}
    frontier = [start]
    for _ in range(depth + 1):
        following: list[str] = []
        for path in frontier:
            if path in seen:
                continue
            response = page.goto(base + path)
            assert response is not None and response.status < 400, (path, response and response.status)
            seen[path] = page.evaluate("document.documentElement.scrollWidth")
            if seen[path] > WIDTH:  # name the widest element, to say what to mend
                culprit = page.evaluate(WIDEST)
                print(f"{path}: {seen[path]} px, widest: {culprit}")
            for href in page.eval_on_selector_all("main a[href], header a[href]", "els => els.map(e => e.href)"):
                parts = urlsplit(href)
                if parts.netloc != urlsplit(base).netloc or SKIP.search(parts.path):
                    continue
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                shape = _shape(parts.path)
                if target not in seen and shapes.get(shape, 0) < PER_SHAPE:
                    shapes[shape] = shapes.get(shape, 0) + 1
                    following.append(target)
        frontier = following
    return seen


@pytest.mark.parametrize("email", ROLES)
def test_every_page_a_user_can_reach_fits_a_phone(demo_site, chromium, email):
    context = chromium.new_context(viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_as(page, demo_site, email)
    widths = _walk(page, demo_site, urlsplit(page.url).path)
    context.close()
    assert len(widths) >= 3, widths  # an admin reaches few pages: the key list, issuing a key
    too_wide = {path: width for path, width in widths.items() if width > WIDTH}
    assert not too_wide, f"{len(too_wide)} of {len(widths)} pages scroll sideways at {WIDTH} px: {too_wide}"


def test_the_access_log_and_the_family_copy_are_axe_clean(demo_site, chromium):
    from .conftest import Axe

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    axe = Axe(page)
    sign_in_as(page, demo_site, "practitioner@eastmere.example")
    page.locator("main table tbody a.govuk-link").first.click()
    family_path = urlsplit(page.url).path
    page.goto(demo_site + family_path + "/access-log")
    axe.clean("Who has seen this information")
    page.get_by_role("link", name="A copy for the family").click()
    axe.clean("Who has seen your family's information")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
