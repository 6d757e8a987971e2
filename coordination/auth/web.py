"""flask-login wiring: the session holds only the user id; the Actor is rebuilt each request."""
from __future__ import annotations

from flask_login import UserMixin, current_user

from coordination.domain.actors import Actor
from coordination.extensions import login_manager, uow
from coordination.services import auth as auth_service


class SessionUser(UserMixin):
    def __init__(self, user):
        self.user = user
        self.id = str(user.id)
        self.actor: Actor = auth_service.actor_for_user(user)
        self.name = user.name
        self.agency_name = user.agency.name


@login_manager.user_loader
def _load_user(user_id: str):
    user = auth_service.load_session_user(uow(), user_id)
    return SessionUser(user) if user else None


login_manager.login_view = "web.sign_in"
login_manager.login_message = "Sign in to continue"
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


def current_actor() -> Actor:
    return current_user.actor
