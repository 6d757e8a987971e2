"""A council's service, not GOV.UK's: the council's name in the header, and on no page the crown, the royal
arms, "© Crown copyright", the Open Government Licence, the GOV.UK wordmark or GOV.UK's icons."""
from __future__ import annotations

import re

import pytest

from coordination import create_app
from coordination.extensions import state

from ..conftest import make_settings
from .conftest import Browser

GOV_UK_ONLY = {
    "the crown (header logotype)": "govuk-header__logotype",
    "the crown (footer)": "govuk-footer__crown",
    "the royal arms": "govuk-footer__copyright-logo",
    "Crown copyright": "Crown copyright",
    "the OGL mark": "govuk-footer__licence-logo",
    "the Open Government Licence": "open-government-licence",
    "the GOV.UK wordmark": "GOV.UK",
    "GOV.UK's icons": "images/govuk-",
    "GOV.UK's manifest": "manifest.json",
}


def _assert_council_branded(html: str, path: str, council: str = "Eastmere") -> None:
    found = [what for what, marker in GOV_UK_ONLY.items() if marker in html]
    assert not found, (path, found)
    header = re.search(r'<header class="govuk-template__header">(.*?)</header>', html, re.S).group(1)
    assert re.search(rf'class="govuk-generic-header__homepage-link">\s*{council}\s*</a>', header), path
    footer = re.search(r'<footer class="govuk-template__footer">(.*?)</footer>', html, re.S).group(1)
    assert "MIT Licence" in footer and council in footer, path


def test_sign_in_and_error_pages_carry_the_council_name_and_no_gov_uk_branding(client):
    for path, status in (("/sign-in", 200), ("/no-such-page", 404)):
        response = client.get(path)
        assert response.status_code == status
        _assert_council_branded(response.get_data(as_text=True), path)


@pytest.mark.parametrize(("role", "paths"), [
    ("practitioner", ["/caseload", "/families/find", "/known", "/families/new", "/referrals", "/referrals/due",
                      "/tasks",
                      "{family}", "{family}/assessment", "{family}/voice"]),
    ("manager", ["/timeliness", "/timeliness/exports", "/oversight"]),
    ("admin_user", ["/admin/api-keys"]),
])
def test_staff_pages_carry_the_council_name_and_no_gov_uk_branding(request, browser, practitioner, make_family,
                                                                   role, paths):
    family = make_family(practitioner)
    browser.sign_in(request.getfixturevalue(role))
    for path in paths:
        url = path.format(family=f"/families/{family.id}")
        response = browser.get(url)
        assert response.status_code == 200, url
        _assert_council_branded(response.get_data(as_text=True), url)


def test_the_council_name_comes_from_the_setting(database, tmp_path):
    app = create_app(make_settings(database.url, tmp_path, council_name="Northbrook"), engine=database.engine)

    html = Browser(app.test_client()).get("/sign-in").get_data(as_text=True)

    _assert_council_branded(html, "/sign-in", council="Northbrook")
    assert "Eastmere" not in html
    assert state(app).settings.council_name == "Northbrook"

