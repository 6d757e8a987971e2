"""Helpers for the family's own view tests: invite through the service, read the mail log, sign in as a family
member through the pages (link → code → home), as a person would."""
from __future__ import annotations

import json
import re

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services.family_view import access

from .web.conftest import csrf_from

CLI = Actor.system("test")


def mails(app) -> list[dict]:
    path = state(app).settings.mail_log
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def last_code(app) -> str:
    body = mails(app)[-1]["body"]
    match = re.search(r"\b(\d{6})\b", body)
    assert match, body
    return match.group(1)


def invite(uow, person_id, email: str, actor=CLI, **kw) -> str:
    """The invitation link's path (/my-family/invitation/<token>), committed."""
    invitation = access.invite(uow, actor, person_id, email, base_url="http://localhost", **kw)
    uow.commit()
    return invitation.link.removeprefix("http://localhost")


def post(client, url: str, data: dict | None = None, *, form_url: str | None = None):
    page = client.get(form_url or url)
    assert page.status_code == 200, (page.status_code, page.get_data(as_text=True)[:300])
    return client.post(url, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **(data or {})})


def open_link(client, link: str):
    return post(client, link)


def enter_code(client, code: str):
    return post(client, "/my-family/code", {"code": code})


def sign_in_with_link(app, client, link: str):
    response = open_link(client, link)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    response = enter_code(client, last_code(app))
    assert response.status_code == 302 and response.headers["Location"].endswith("/my-family/"), \
        response.get_data(as_text=True)[:800]
    return response


def sign_in_with_email(app, client, email: str):
    sent = len(mails(app))
    response = post(client, "/my-family/sign-in", {"email": email})
    assert response.status_code == 302
    assert len(mails(app)) == sent + 1, "no code was sent"
    return enter_code(client, last_code(app))
