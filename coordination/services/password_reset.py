"""One-time password reset links for staff: an admin (or an operator) issues one, it is emailed to the staff
member's own address, they open it and choose a new password, and the link stops working.

Decisions:
- The admin never sees the link. It goes only to the address on the account, so issuing one cannot be used to
  take the account over (a password is set by its user or an operator, never by an admin: services.admin).
- The secret is made when the email is sent (`send_reset_email`, the outbox handler), never at issue: the outbox
  carries ids only, and a secret in its payload would be a working credential in the database. Only the
  secret's SHA-256 digest is stored (it is 256-bit random, so a slow hash adds nothing).
- A link works once, for RESET_LINK_LIFETIME (24 hours) from issue; issuing another revokes the earlier ones,
  and deactivating the account revokes them all. Setting the password ends every session the user has.
- Opening the link reads nothing into the session; a wrong, used or expired link gets the same kind of page
  (which says what happened, never whose link it was).
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from coordination.crypto import token_digest
from coordination.db import UnitOfWork
from coordination.domain.accounts import RESET_LINK_LIFETIME, LinkState, link_state
from coordination.domain.actors import Actor, ActorKind
from coordination.domain.permissions import Action, may
from coordination.errors import Invalid, NotFound, NotPermitted
from coordination.models import PasswordReset
from coordination.repositories import users as repo
from coordination.services.auth import actor_for_user, end_sessions, hash_password
from coordination.services.mail import Email, Sender
from coordination.services.outbox import publish

TOPIC = "staff.password_reset"
PREFIX = "rst_"


def issue_password_reset(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID, *, new_account: bool = False
                         ) -> PasswordReset:
    """Issue a link for the user to set their password, emailed to them after the commit.

    :raise NotPermitted: neither an admin nor an operator. :raise NotFound: no such user.
    :raise Invalid: the account is deactivated (reactivate it first).
    """
    if actor.kind != ActorKind.SYSTEM and not may(actor, Action.MANAGE_USERS):
        raise NotPermitted("Only an admin or an operator can send a password reset link")
    user = repo.get_user(uow.session, user_id)
    if user is None:
        raise NotFound("No such user")
    if not user.active:
        raise Invalid("Account deactivated", {"user": ["Reactivate the account before sending a link"]})
    now = uow.now()
    revoked = repo.revoke_open_resets(uow.session, user.id, now)
    reset = repo.add_reset(uow.session, PasswordReset(user_id=user.id, issued_by_id=actor.user_id,
                                                      expires_at=now + RESET_LINK_LIFETIME))
    publish(uow, TOPIC, {"reset_id": str(reset.id), "new_account": new_account})
    uow.audit(actor, "issue_credential", "password_reset", reset.id, subject_user_id=str(user.id),
              expires_at=reset.expires_at.isoformat(), earlier_links_revoked=revoked, new_account=new_account)
    return reset


def send_reset_email(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str, system: Actor) -> None:
    """The outbox handler: make the link's secret, store its digest, email the link to the account's address.

    Nothing is sent for a link that is no longer open or already sent, or an account deactivated since."""
    reset = repo.get_reset(uow.session, uuid.UUID(payload["reset_id"]))
    if reset is None or reset.digest is not None:
        return
    if link_state(reset.expires_at, reset.used_at, reset.revoked_at, uow.now()) is not LinkState.OPEN:
        return
    user = reset.user
    if not user.active:
        return
    secret = PREFIX + secrets.token_urlsafe(32)
    reset.digest, reset.sent_at = token_digest(secret), uow.now()
    hours = int(RESET_LINK_LIFETIME.total_seconds() // 3600)
    if payload.get("new_account"):
        subject = "Set your password for early help case coordination"
        opening = "An account has been made for you on the early help case coordination service."
    else:
        subject = "Reset your password for early help case coordination"
        opening = "An administrator has sent you a link to set a new password for early help case coordination."
    body = "\n".join([
        opening,
        f"Choose your password here (the link works once, for {hours} hours):",
        f"{base_url}/password-reset?link={secret}",
        "If you did not expect this email, tell your service administrator. Do not forward it.",
    ])
    sender.send(Email(to=(user.email,), subject=subject, body=body))
    uow.audit(system, "notify", "staff_user", user.id, channel="email", topic=TOPIC, reset_id=str(reset.id))


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState | None  # None: no such link
    name: str = ""


def _find(uow: UnitOfWork, secret: str, *, for_update: bool = False) -> PasswordReset | None:
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return repo.get_reset_by_digest(uow.session, token_digest(secret), for_update=for_update)


def check_link(uow: UnitOfWork, secret: str) -> LinkCheck:
    """What a link is now: open (with the account holder's name, to greet them), used, expired, revoked, or
    unknown (None). A link of a deactivated account counts as revoked."""
    reset = _find(uow, secret)
    if reset is None:
        return LinkCheck(None)
    state = link_state(reset.expires_at, reset.used_at, reset.revoked_at, uow.now())
    if state is LinkState.OPEN and not reset.user.active:
        state = LinkState.REVOKED
    return LinkCheck(state, reset.user.name if state is LinkState.OPEN else "")


def complete_password_reset(uow: UnitOfWork, secret: str, password: str, confirmation: str) -> uuid.UUID:
    """Set the password through an open link; the link is used up and the user's sessions end.

    :raise NotFound: the link is unknown, used, expired or revoked (`state` in details).
    :raise Invalid: the passwords are missing, too short or do not match (every problem at once).
    """
    reset = _find(uow, secret, for_update=True)
    state = link_state(reset.expires_at, reset.used_at, reset.revoked_at, uow.now()) if reset else None
    if reset is not None and state is LinkState.OPEN and not reset.user.active:
        state = LinkState.REVOKED
    if reset is None or state is not LinkState.OPEN:
        raise NotFound("This link does not work", state=state)
    errors: dict[str, list[str]] = {}
    if not password:
        errors["password"] = ["Enter a new password"]
    else:
        try:
            password_hash = hash_password(password)
        except Invalid as exc:
            errors.update(exc.errors)
    if not confirmation:
        errors["confirmation"] = ["Confirm your new password"]
    elif password and confirmation != password:
        errors["confirmation"] = ["The passwords do not match"]
    if errors:
        raise Invalid("Check your new password", errors)
    user = reset.user
    user.password_hash = password_hash
    reset.used_at = uow.now()
    end_sessions(user)
    repo.revoke_open_resets(uow.session, user.id, uow.now())
    uow.audit(actor_for_user(user), "update", "staff_user", user.id, change="password", via="reset_link",
              reset_id=str(reset.id))
    return user.id
