"""flask-login wiring: the session holds the user id and the user's session epoch; the Actor is rebuilt
each request.

The session's identity is `<user id>.<epoch>` (flask-login's "alternative tokens"). The user row is reloaded
on every request and a session whose epoch is not the user's current one is anonymous, so bumping the epoch
(sign-out, password change, deactivation, role change) ends every session issued before it, including copies
of the cookie.
"""
from __future__ import annotations

from flask_login import UserMixin, current_user

from coordination.domain.actors import Actor
from coordination.extensions import login_manager, uow
from coordination.services import auth as auth_service


class SessionUser(UserMixin):
    def __init__(self, user):
        self.user = user
        self.id = f"{user.id}.{user.session_epoch or 0}"
        self.actor: Actor = auth_service.actor_for_user(user)
        self.name = user.name
        self.agency_name = user.agency.name


@login_manager.user_loader
def _load_user(session_id: str):
    user_id, _, epoch = session_id.partition(".")
    user = auth_service.load_session_user(uow(), user_id, epoch)
    return SessionUser(user) if user else None


login_manager.login_view = "web.sign_in"
login_manager.login_message = "Sign in to continue"
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


def current_actor() -> Actor:
    return current_user.actor
