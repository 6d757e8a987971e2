"""Helpers for driving the web UI through Flask's test client, with real CSRF tokens."""
from __future__ import annotations

import html as htmllib
import re
from html.parser import HTMLParser

import pytest

from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1)


def title_of(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    assert match, "no <title>"
    return htmllib.unescape(" ".join(match.group(1).split()))


class _Summary(HTMLParser):
    """Collects the error summary's links (href → text)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.href = None
        self.links: dict[str, str] = {}
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "govuk-error-summary" in (attrs.get("class") or "").split():
            self.depth = 1
        elif self.depth:
            self.depth += tag not in ("input", "br", "img")
            if tag == "a":
                self.href = attrs.get("href")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if tag == "a":
                self.href = None

    def handle_data(self, data):
        if self.depth and data.strip():
            self.texts.append(data.strip())
            if self.href:
                self.links[self.href] = (self.links.get(self.href, "") + " " + data.strip()).strip()


def error_summary(html: str) -> dict[str, str]:
    parser = _Summary()
    parser.feed(html)
    return parser.links


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


class Browser:
    """A test client that fetches each form first and posts with its CSRF token, as a person would."""

    def __init__(self, client):
        self.client = client

    def get(self, url, **kwargs):
        return self.client.get(url, **kwargs)

    def submit(self, url, data, *, form_url=None, follow_redirects=False):
        page = self.client.get(form_url or url)
        assert page.status_code == 200, page.status_code
        payload = {"csrf_token": csrf_from(page.get_data(as_text=True)), **data}
        return self.client.post(url, data=payload, follow_redirects=follow_redirects)

    def sign_in(self, user, password=PASSWORD):
        response = self.submit("/sign-in", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def signed_in(browser, practitioner):
    browser.sign_in(practitioner)
    return browser


def person_rows(*, parent=("Morgan", "Testfamily", ("2", "4", "1988")), children=(), **extra) -> dict:
    """Form data for the create-family page: one parent row and child rows (first, last, (d, m, y), nhs)."""
    data: dict = {}
    if parent:
        data.update({"parents-0-given_name": parent[0], "parents-0-family_name": parent[1],
                     "parents-0-date_of_birth": list(parent[2])})
    for i, child in enumerate(children):
        first, last, dob = child[:3]
        nhs = child[3] if len(child) > 3 else ""
        data.update({f"children-{i}-given_name": first, f"children-{i}-family_name": last,
                     f"children-{i}-date_of_birth": list(dob), f"children-{i}-nhs_number": nhs})
    data.update(extra)
    return data
