"""Rules for staff accounts that an admin changes from the console: what an admin may do to whom, and when a
password reset link still works.

An admin manages other people's accounts, never their own: an admin who could change their own role could
give themselves case access, and one who could deactivate themselves could leave the council with no admin.
A reset link goes only to the staff member's own email address, so an admin never holds it.
"""
from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from .actors import Actor, ActorKind

RESET_LINK_LIFETIME = dt.timedelta(hours=24)
STAFF_PAGE_SIZE = 25
NAME_LIMIT = 200
EMAIL_LIMIT = 254
CONTACT_LIMIT = 254


class LinkState(StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


def link_state(expires_at: dt.datetime, used_at: dt.datetime | None, revoked_at: dt.datetime | None,
               now: dt.datetime) -> LinkState:
    """Used beats revoked beats expired: the person is told the most useful thing first."""
    if used_at is not None:
        return LinkState.USED
    if revoked_at is not None:
        return LinkState.REVOKED
    if expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.OPEN


def is_own_account(actor: Actor, user_id: uuid.UUID) -> bool:
    """A staff actor acting on their own account (operators at the command line are never refused)."""
    return actor.kind == ActorKind.USER and actor.user_id == user_id
