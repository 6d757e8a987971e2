"""Family sessions, kept apart from staff sessions.

A family member's session holds `family` = "<person id>.<epoch>" in the signed cookie and never flask-login's
user id, so the staff gate (flask-login) sees nobody and the family gate sees no staff user. Signing in either
way clears the session first. The person's row is reloaded on every request: an exclusion or a sign-out bumps
the epoch and every copy of the cookie stops working at once.
"""
from __future__ import annotations

from flask import g, session

from coordination.domain.actors import Actor
from coordination.extensions import uow
from coordination.services.family_view import access as family_access

SESSION_KEY = "family"


def start_family_session(actor: Actor, epoch: int) -> None:
    session.clear()
    session[SESSION_KEY] = f"{actor.person_id}.{epoch}"
    session.permanent = True


def end_family_session() -> None:
    session.clear()


def current_family_actor() -> Actor | None:
    if "family_actor" not in g:
        value = session.get(SESSION_KEY)
        actor = None
        if isinstance(value, str) and "." in value:
            person_id, _, epoch = value.partition(".")
            actor = family_access.load_session(uow(), person_id, epoch)
        g.family_actor = actor
    return g.family_actor
