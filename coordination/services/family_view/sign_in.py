"""Signing a family member in, behind one interface so GOV.UK One Login can replace the local way.

`FamilySignIn` is what the family pages use: begin with an invitation link or with an email address, then
finish with what the person proves (here, a one-time code). `EmailCodeSignIn` is the local implementation:
a 6-digit code sent to the invited address, stored as a keyed HMAC, valid 10 minutes, once, dead after 5 wrong
tries, and at most 5 an hour per person and per address (counted in the database: no process-local state).
Failed codes also count in the staff sign-in back-off (coordination.auth.backoff, Redis), keyed by the
address's blind index. docs/architecture.md says how an OpenID Connect implementation fits.

Every step is audited: an invitation opened, a code sent or refused, a sign-in and each failure.
"""
from __future__ import annotations

import datetime as dt
import hmac
import math
import secrets
import uuid
from dataclasses import dataclass
from typing import Protocol

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.family_access import (
    CODE_DIGITS,
    CODE_MINUTES,
    CODES_PER_HOUR_PER_ADDRESS,
    CODES_PER_HOUR_PER_PERSON,
    MAX_CODE_TRIES,
    code_expires,
)
from coordination.errors import Conflict, NotFound, TooManyAttempts
from coordination.models import FamilyAccess, FamilySignInCode
from coordination.repositories import family_access as repo
from coordination.services.auth import Backoff
from coordination.services.mail import Email

from .access import email_index, family_actor, invitation_digest

ANONYMOUS = Actor.system("anonymous")
HOUR = dt.timedelta(hours=1)


@dataclass
class Started:
    """What the sign-in page keeps between its two steps (no secret): which attempt, and for which account."""

    attempt_id: str
    account: str
    email: Email | None = None  # the message to send once the transaction commits (None: nothing to send)


class FamilySignIn(Protocol):
    """How a family member proves who they are. The local implementation sends a code; an OpenID Connect one
    (GOV.UK One Login) would redirect in `begin_*` and check the ID token in `finish`, mapping its `sub` to the
    person the invitation named."""

    def begin_with_invitation(self, uow: UnitOfWork, token: str) -> Started: ...

    def begin_with_email(self, uow: UnitOfWork, email: str) -> Started: ...

    def finish(self, uow: UnitOfWork, started: Started, proof: str) -> tuple[Actor, int]: ...


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


class EmailCodeSignIn:
    def __init__(self, backoff: Backoff | None = None):
        self.backoff = backoff

    def _digest(self, uow: UnitOfWork, code_id: uuid.UUID, code: str) -> str:
        return uow.blind("family_code", str(code_id), code)

    def _refuse_if_too_many(self, uow: UnitOfWork, row: FamilyAccess) -> None:
        now = uow.now()
        since = now - HOUR
        for count, kw, limit in (
            (repo.codes_sent_since(uow.session, since, access_id=row.id), {"access_id": row.id},
             CODES_PER_HOUR_PER_PERSON),
            (repo.codes_sent_since(uow.session, since, email_bidx=row.email_bidx), {"email_bidx": row.email_bidx},
             CODES_PER_HOUR_PER_ADDRESS),
        ):
            if count >= limit:
                oldest = repo.oldest_code_since(uow.session, since, **kw) or now
                wait = _seconds_until(oldest + HOUR, now)
                uow.audit(ANONYMOUS, "family_code_refused", "family_access", row.id, family_id=row.family_id,
                          per="person" if "access_id" in kw else "address", retry_after=wait)
                raise TooManyAttempts("Too many codes asked for", retry_after=wait)

    def _send_code(self, uow: UnitOfWork, row: FamilyAccess, *, for_invitation: bool) -> Started:
        self._refuse_if_too_many(uow, row)
        for old in repo.unused_codes(uow.session, row.id):  # only the newest code works
            old.used_at = uow.now()
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        sent = FamilySignInCode(access_id=row.id, email_bidx=row.email_bidx, digest="",
                                expires_at=code_expires(uow.now()), for_invitation=for_invitation,
                                created_at=uow.now())
        sent.digest = self._digest(uow, sent.id, code)
        repo.add(uow.session, sent)
        uow.audit(ANONYMOUS, "family_code_sent", "family_access", row.id, family_id=row.family_id,
                  for_invitation=for_invitation)
        address = row.unseal(uow.keys, "email") or ""
        message = Email(to=(address,), subject="Your sign-in code",
                        body=(f"Your code to sign in to your family's early help record is {code}\n\n"
                              f"It works once, for {CODE_MINUTES} minutes. Do not share it with anyone.\n"
                              "If you did not ask for it, you can ignore this email.\n"))
        return Started(str(sent.id), row.email_bidx, message)

    def begin_with_invitation(self, uow: UnitOfWork, token: str) -> Started:
        """Open an invitation link: send a code to the invited address.

        :raise NotFound: no such invitation (never issued, replaced, or the person was excluded).
        :raise Conflict: already used (`details["used"]`) or expired (`details["expired"]`).
        :raise TooManyAttempts: too many codes asked for this hour.
        """
        row = repo.get_by_invitation(uow.session, invitation_digest(uow, token or ""), for_update=True)
        if row is None or row.excluded_at is not None:
            uow.audit(ANONYMOUS, "family_sign_in_failed", "family_access", None, why="unknown_invitation")
            raise NotFound("This link does not work")
        if row.invitation_used_at is not None:
            uow.audit(ANONYMOUS, "family_sign_in_failed", "family_access", row.id, family_id=row.family_id,
                      why="invitation_used")
            raise Conflict("This link has already been used", used=True)
        if row.invitation_expires_at is None or row.invitation_expires_at <= uow.now():
            uow.audit(ANONYMOUS, "family_sign_in_failed", "family_access", row.id, family_id=row.family_id,
                      why="invitation_expired")
            raise Conflict("This link has expired", expired=True)
        return self._send_code(uow, row, for_invitation=True)

    def begin_with_email(self, uow: UnitOfWork, email: str) -> Started:
        """Send a code to an address that has signed up before. The answer is the same whether or not it has
        (so the page cannot be used to find out who has access); too many codes for it are refused silently,
        audited."""
        account = email_index(uow, email or "")
        rows = repo.signed_up_by_email(uow.session, account)
        if not rows:
            uow.audit(ANONYMOUS, "family_sign_in_failed", "family_access", None, why="unknown_email",
                      email_digest=account[:16])
            return Started(str(uuid.uuid4()), account)
        if len(rows) > 1:  # one address, two people (a parent and a young person): the newest invitation wins
            rows.sort(key=lambda r: r.invited_at)
        try:
            return self._send_code(uow, rows[-1], for_invitation=False)
        except TooManyAttempts:
            return Started(str(uuid.uuid4()), account)

    def finish(self, uow: UnitOfWork, started: Started, proof: str) -> tuple[Actor, int]:
        """Check the code: (the family member's actor, their session epoch) on success.

        :raise TooManyAttempts: the account is in back-off after repeated wrong codes.
        :raise NotFound: a wrong, used or expired code (one answer for all, audited with which).
        """
        account = started.account
        wait = self.backoff.wait(account) if self.backoff else 0
        if wait:
            uow.audit(ANONYMOUS, "family_sign_in_refused", "family_access", None, email_digest=account[:16],
                      retry_after=wait)
            raise TooManyAttempts("Too many attempts", retry_after=wait)
        try:
            code_id = uuid.UUID(started.attempt_id)
        except ValueError:
            code_id = uuid.uuid4()
        code = repo.get_code(uow.session, code_id, for_update=True)
        row = repo.get(uow.session, code.access_id, for_update=True) if code else None
        why = None
        if code is None or row is None:
            why = "no_code"
        elif code.used_at is not None:
            why = "code_used"
        elif code.expires_at <= uow.now():
            why = "code_expired"
        elif code.wrong_tries >= MAX_CODE_TRIES:
            why = "too_many_tries"
        elif row.excluded_at is not None:
            why = "excluded"
        elif not hmac.compare_digest(code.digest, self._digest(uow, code.id, (proof or "").strip().replace(" ", ""))):
            why = "wrong_code"
            code.wrong_tries += 1
        if why is not None:
            uow.audit(ANONYMOUS, "family_sign_in_failed", "family_access", row.id if row else None,
                      family_id=row.family_id if row else None, why=why, email_digest=account[:16])
            if self.backoff:
                failures, seconds = self.backoff.failed(account)
                if seconds:
                    uow.audit(ANONYMOUS, "family_sign_in_backoff", "family_access", row.id if row else None,
                              email_digest=account[:16], failures=failures, seconds=seconds)
            raise NotFound("That code does not work", why=why)
        assert code is not None and row is not None
        code.used_at = uow.now()
        if code.for_invitation:  # the invitation link is single-use: taken up now
            if row.invitation_used_at is not None:
                uow.audit(ANONYMOUS, "family_sign_in_failed", "family_access", row.id, family_id=row.family_id,
                          why="invitation_used")
                raise NotFound("That code does not work", why="invitation_used")
            row.invitation_used_at = uow.now()  # the digest stays, so the link says "already used"
        row.last_sign_in_at = uow.now()
        if self.backoff:
            self.backoff.succeeded(account)
        actor = family_actor(row)
        uow.audit(actor, "family_sign_in", "family_access", row.id, family_id=row.family_id,
                  first_time=code.for_invitation)
        return actor, row.session_epoch or 0
