"""Every route of the family's own view and of its staff pages × every kind of visitor, with the status each must
get (deny by default). A route added under /my-family or /families/…/family-access without a line here fails.

Family pages: nobody signed in is sent to the family sign-in (302); staff get 404 (a staff user is never a family
member); a family member gets their own family's page, and 404 for anything of another family's; an excluded
parent's session has ended (302). Staff pages: a family session is sent to the staff sign-in (302).
"""
from __future__ import annotations

import pytest

from coordination.domain.sections import SECTION_KEYS

from ..conftest import actor_of
from ..family_support import invite, sign_in_with_link
from ..integration.consent_support import give, household, partner, write
from .conftest import Browser, csrf_from

VISITORS = ("anonymous", "practitioner", "manager", "outsider", "admin", "parent", "young_person", "other_parent",
            "excluded_parent")
FAMILY_OUT = {"anonymous": 302, "practitioner": 404, "manager": 404, "outsider": 404, "admin": 404,
              "excluded_parent": 302}


def family(ok: int = 200, **over) -> dict[str, int]:
    return {**FAMILY_OUT, "parent": ok, "young_person": ok, "other_parent": ok, **over}


def public(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(VISITORS, status)


def staff(ok: int, **over) -> dict[str, int]:
    base = {"anonymous": 302, "practitioner": ok, "manager": ok, "outsider": 404, "admin": 403, "parent": 302,
            "young_person": 302, "other_parent": 302, "excluded_parent": 302}
    return {**base, **over}


ROUTES: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/my-family/"): family(),
    ("GET", "/my-family/our-story"): family(),
    ("GET", "/my-family/our-plan"): family(),
    ("GET", "/my-family/referrals"): family(),
    ("GET", "/my-family/sharing"): family(),
    # The parent gave this consent; the young person did not (404), nor did another family (404).
    ("GET", "/my-family/sharing/{consent}/withdraw"): family(young_person=404, other_parent=404),
    ("POST", "/my-family/sharing/{consent}/withdraw"): family(302, young_person=404, other_parent=404),
    ("GET", "/my-family/who-has-seen-it"): family(),
    ("GET", "/my-family/sharing/talk-about-it"): family(),
    ("POST", "/my-family/sharing/talk-about-it"): family(),  # empty: the errors
    ("GET", "/my-family/our-story/{key}/suggest-a-change"): family(),
    ("POST", "/my-family/our-story/{key}/suggest-a-change"): family(),  # empty: the errors
    ("GET", "/my-family/our-story/safety/suggest-a-change"): family(404),  # not released: not theirs to see
    ("GET", "/my-family/feedback"): family(),
    ("POST", "/my-family/feedback"): family(),  # empty: the page again, with the error
    # A young person's own words: parents and carers have no such page (they propose changes instead).
    ("GET", "/my-family/our-story/my-words"): family(parent=404, other_parent=404),
    ("POST", "/my-family/our-story/my-words"): family(parent=404, other_parent=404),  # empty: the errors
    ("GET", "/my-family/sign-in"): public(200) | {k: 302 for k in ("parent", "young_person", "other_parent")},
    # An empty address: the page again, with the error (a family member already signed in goes home).
    ("POST", "/my-family/sign-in"): public(200) | {k: 302 for k in ("parent", "young_person", "other_parent")},
    ("GET", "/my-family/code"): public(302),  # nothing asked for yet: back to the sign-in page
    ("POST", "/my-family/code"): public(302),
    ("GET", "/my-family/invitation/{token}"): public(200),
    ("POST", "/my-family/invitation/{token}"): public(404),  # posted with a token that was never issued
    ("GET", "/families/{family}/family-access"): staff(200),
    ("GET", "/families/{family}/family-access/invite"): staff(200),
    ("POST", "/families/{family}/family-access/invite"): staff(200),  # nothing chosen: the errors
    # Excluding needs a manager's role: refused before the family is even looked for.
    ("GET", "/families/{family}/family-access/{person}/exclude"): staff(200, practitioner=403, outsider=403),
    ("POST", "/families/{family}/family-access/{person}/exclude"): staff(200, practitioner=403, outsider=403),
    ("POST", "/families/{family}/family-access/release/safety"): staff(302),
    ("GET", "/families/{family}/family-access/proposals/{proposal}"): staff(200),
    ("POST", "/families/{family}/family-access/proposals/{proposal}"): staff(200),  # empty reply: the errors
    # Accepting needs a CSRF-checked POST; here an empty one, so it changes nothing and goes back.
    ("POST", "/families/{family}/family-access/proposals/{proposal}/accept"): staff(302),
    ("POST", "/my-family/sign-out"): family(302),  # last: it ends the session
}


def _declared(path: str) -> bool:
    return path.startswith("/my-family") or "/family-access" in path


def test_every_family_view_route_is_declared(app):
    rules = {(m, r.rule) for r in app.url_map.iter_rules() if _declared(r.rule) for m in r.methods - {"HEAD",
                                                                                                       "OPTIONS"}}
    def shape(path: str) -> str:
        return (path.replace("<uuid:consent_id>", "{consent}").replace("<token>", "{token}")
                .replace("<uuid:family_id>", "{family}").replace("<uuid:person_id>", "{person}")
                .replace("<uuid:proposal_id>", "{proposal}").replace("/release/<key>", "/release/safety")
                .replace("<key>", "{key}"))
    declared = {(m, p) for m, p in ROUTES if "/safety/suggest" not in p}
    assert {(m, shape(p)) for m, p in rules} == declared


@pytest.fixture
def world(app, uow, practitioner, manager, outsider, admin_user):
    home = household(uow, practitioner)
    write(uow, practitioner, home.id, SECTION_KEYS)
    school, _ = partner(uow, "Riverside Primary School", "school")
    consent = give(uow, practitioner, home.id, home.parent, sections=("strengths",), agencies=(school,))
    other = household(uow, practitioner, surname="Thornbury")
    clients = {}
    for name, person, email in (("parent", home.parent, "p@example.com"), ("young_person", home.child, "y@example.com"),
                                ("other_parent", other.parent, "o@example.com"),
                                ("excluded_parent", home.teen, "t@example.com")):
        client = app.test_client()
        sign_in_with_link(app, client, invite(uow, person, email))
        clients[name] = client
    from coordination.services.family_view import access

    access.exclude(uow, actor_of(manager), home.teen, "Subject of a safeguarding concern")  # here, as a stand-in
    uow.commit()
    clients["anonymous"] = app.test_client()
    for name, user in (("practitioner", practitioner), ("manager", manager), ("outsider", outsider),
                       ("admin", admin_user)):
        browser = Browser(app.test_client())
        browser.sign_in(user)
        clients[name] = browser.client
    _, token = invite(uow, other.teen, "t2@example.com").rsplit("/", 1)
    from coordination.repositories import family_access as family_access_repo
    from coordination.services.family_view import proposals
    from coordination.services.family_view.access import family_actor

    row = family_access_repo.get_by_person(uow.session, home.parent)
    proposal = proposals.propose(uow, family_actor(row), "strengths", "We are good at cooking together.")
    uow.commit()
    return {"clients": clients, "family": home.id, "person": home.parent, "consent": consent.id, "token": token,
            "proposal": proposal.id, "key": "strengths"}


def test_each_visitor_gets_the_status_declared_for_each_route(world):
    got, want = {}, {}
    for (method, template), expected in ROUTES.items():
        values = {k: world[k] for k in ("family", "person", "consent", "token", "proposal", "key")}
        if method == "POST" and "invitation" in template:
            values["token"] = "never-issued"
        path = template.format(**values)
        for visitor in VISITORS:
            client = world["clients"][visitor]
            if method == "GET":
                response = client.get(path)
            else:
                page = client.get("/my-family/sign-in" if visitor in FAMILY_OUT else "/my-family/")
                token = csrf_from(page.get_data(as_text=True)) if page.status_code == 200 else ""
                response = client.post(path, data={"csrf_token": token})
            got[(method, template, visitor)] = response.status_code
            want[(method, template, visitor)] = expected[visitor]
    wrong = {k: (got[k], want[k]) for k in got if got[k] != want[k]}
    assert wrong == {}
