"""The demo borough's family's own view: a demo parent and young person are invited (their links in the mail
outbox), each signs in with the link and the code from the outbox, and the young person's confidential words are
theirs alone. A second seed invites nobody again."""
from __future__ import annotations

import re

from coordination import demo
from coordination.demo import family_view
from coordination.domain.actors import Actor

from ..family_support import mails, sign_in_with_link

CLI = Actor.system("cli")


def _link_for(app, email: str) -> str:
    sent = [m for m in mails(app) if m["to"] == [email]]
    assert len(sent) == 1, sent
    return re.search(r"https?://[^/\s]+(/my-family/invitation/\S+)", sent[0]["body"]).group(1)


def test_a_reviewer_signs_in_as_the_demo_parent_and_young_person(app, uow, settings):
    said: list[str] = []
    demo.seed(uow, CLI, settings, families=8, password="demo-password-for-tests", say=said.append)
    assert any(family_view.PARENT_EMAIL in m and str(settings.mail_log) in m for m in said)
    parent, young = app.test_client(), app.test_client()
    sign_in_with_link(app, parent, _link_for(app, family_view.PARENT_EMAIL))
    sign_in_with_link(app, young, _link_for(app, family_view.YOUNG_PERSON_EMAIL))
    words = family_view.CONFIDENTIAL_WORDS.replace("'", "&#39;")
    assert words not in parent.get("/my-family/our-story").get_data(as_text=True)
    assert words in young.get("/my-family/our-story").get_data(as_text=True)
    sent = len(mails(app))
    demo.seed(uow, CLI, settings, families=8, password="demo-password-for-tests", say=said.append)
    assert len(mails(app)) == sent
