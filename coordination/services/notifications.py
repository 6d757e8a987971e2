"""Notifications: the effects of outbox messages (emails) and the daily jobs that publish them.

Decisions:
- A message is handled at most once per handler: `process` records ProcessedMessage(message, handler)
  BEFORE the effect, flushed, in the caller's transaction (the caller commits). A second delivery finds the
  row and does nothing; a concurrent duplicate blocks on the primary key and then fails it (PostgreSQL), or
  queues behind BEGIN IMMEDIATE (SQLite). If the effect raises, the transaction rolls back and the message
  is retried. An email is the one effect outside the database: if the commit itself fails after sending, a
  retry sends it again (at least once for the mailbox, exactly once for everything in the database).
- Emails carry a reference, the pathway, dates, section KEYS and a link: never names, reasons or case
  content. Recipients sign in to read the case.
- Consent is re-checked at send time (`disclosure.may_send`), never trusted from publish time: when the
  receiving agency may no longer see the sections the referral shared, the email says only that a
  referral exists. An audit event records what was named and what was withheld.
- Daily digests and consent reminders are published as outbox messages with a per-day dedupe key
  ("digest:<agency>:<day>", "consent-review:<user>:<day>"), so running the daily job twice publishes (and
  so sends) nothing twice; their content is computed at send time.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import WorkingCalendar
from coordination.models import ReferralClock
from coordination.repositories import clocks, families, outbox, referrals, users
from coordination.services.mail import Email, Sender
from coordination.services.outbox import HANDLER, publish
from coordination.services.password_reset import TOPIC as PASSWORD_RESET
from coordination.services.password_reset import send_reset_email
from coordination.services.sharing import consent, disclosure

SYSTEM = Actor.system("notifications job")
DUE_SOON_WORKING_DAYS = 3


def reference(referral_id: uuid.UUID) -> str:
    """A short reference for a referral, safe to put in an email subject."""
    return "R-" + referral_id.hex[:8].upper()


def _pathway_label(pathway: str) -> str:
    return pathway.replace("_", " ")


# ---- handlers ------------------------------------------------------------------------------------

def _referral_created(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str) -> None:
    referral = referrals.get_for(uow.session, SYSTEM, uuid.UUID(payload["referral_id"]))
    if referral is None:
        return
    to = users.active_staff_emails(uow.session, referral.to_agency_id)
    wanted = list(referral.sections_shared or [])
    permitted = disclosure.may_send(uow, referral.to_agency_id, referral.family_id, wanted) if wanted else {}
    named = sorted(permitted)
    withheld = sorted(set(wanted) - set(permitted))
    ref = reference(referral.id)
    lines = [f"A referral has been made to your team on the {_pathway_label(referral.pathway)} pathway.",
             f"Reference: {ref}"]
    if named:
        lines.append("Assessment sections shared with your team: " + ", ".join(named) + ".")
    else:
        lines.append("No assessment sections are shared with your team at present.")
    lines.append(f"Sign in to read it: {base_url}/referrals/{referral.id}")
    if to:
        sender.send(Email(to=tuple(to), subject=f"New referral {ref}", body="\n".join(lines)))
    agency = users.get_agency(uow.session, referral.to_agency_id)
    authority = (disclosure.authority_record(permitted, disclosure.Recipient(agency.id, agency.type), "email")
                 if permitted and agency else None)
    uow.audit(SYSTEM, "notify", "referral", referral.id, family_id=referral.family_id, sections=named,
              authority=authority, channel="email", withheld=withheld, recipients=len(to),
              topic="referral.created")


def _referral_decided(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str) -> None:
    referral = referrals.get_for(uow.session, SYSTEM, uuid.UUID(payload["referral_id"]))
    if referral is None or referral.referred_by_user_id is None:
        return
    user = users.get_user(uow.session, referral.referred_by_user_id)
    if user is None or not user.active:
        return
    ref = reference(referral.id)
    decision = referral.decision or "made"
    body = "\n".join([f"The {_pathway_label(referral.pathway)} referral {ref} you made has been decided: {decision}.",
                      f"Sign in to see it: {base_url}/referrals/{referral.id}"])
    sender.send(Email(to=(user.email,), subject=f"Referral {ref}: decision {decision}", body=body))
    uow.audit(SYSTEM, "notify", "referral", referral.id, family_id=referral.family_id, channel="email",
              recipients=1, topic="referral.decided")


def digest_rows(uow: UnitOfWork, agency_id: uuid.UUID, today: dt.date,
                calendar: WorkingCalendar | None = None) -> tuple[list[ReferralClock], list[ReferralClock]]:
    """(overdue, due soon) open clocks of referrals to the agency: overdue = due before today; due soon =
    due today or within the next 3 working days."""
    horizon = (calendar or WorkingCalendar()).add_working_days(today, DUE_SOON_WORKING_DAYS)
    due = clocks.open_due_by(uow.session, agency_id, horizon)
    return [c for c in due if c.due_on < today], [c for c in due if c.due_on >= today]


def _digest(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str) -> None:
    agency_id = uuid.UUID(payload["agency_id"])
    today = dt.date.fromisoformat(payload["day"])
    overdue, soon = digest_rows(uow, agency_id, today)
    to = users.active_staff_emails(uow.session, agency_id)
    if not (overdue or soon) or not to:
        return

    def line(c: ReferralClock) -> str:
        return f"  {reference(c.referral_id)}  {_pathway_label(c.pathway)}  {c.name}  due {c.due_on.isoformat()}"

    body = [f"Referral clocks for your team on {today.isoformat()}.", "", f"Overdue ({len(overdue)}):"]
    body += [line(c) for c in overdue] or ["  none"]
    body += ["", f"Due within {DUE_SOON_WORKING_DAYS} working days ({len(soon)}):"]
    body += [line(c) for c in soon] or ["  none"]
    body += ["", f"Sign in to see them: {base_url}/referrals"]
    sender.send(Email(to=tuple(to), subject=f"Referrals: {len(overdue)} overdue, {len(soon)} due soon",
                      body="\n".join(body)))
    uow.audit(SYSTEM, "notify", "agency", agency_id, channel="email", topic="digest.daily",
              overdue=len(overdue), due_soon=len(soon))


def _consent_review(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str) -> None:
    user = users.get_user(uow.session, uuid.UUID(payload["user_id"]))
    if user is None or not user.active:
        return
    due = _due_by_lead(uow).get(user.id, [])
    if not due:
        return
    references = families.references_of(uow.session, {c.family_id for c in due})
    body = ["These consents, for families you lead, are due for review:"]
    body += [f"  family {references[c.family_id]}: expires {c.expires_on.isoformat()}" for c in due]
    body += ["", f"Sign in to review them: {base_url}/families"]
    sender.send(Email(to=(user.email,), subject=f"{len(due)} consent(s) due for review", body="\n".join(body)))
    uow.audit(SYSTEM, "notify", "staff_user", user.id, channel="email", topic="consent.review_due", count=len(due))


def _tell_lead(uow: UnitOfWork, sender: Sender, payload: dict, subject: str,
               lines: Callable[[str, uuid.UUID], list[str]], record_type: str, record_id: str, topic: str) -> None:
    """Email the lead practitioner in the payload (when still active) about their family: `subject` and the
    `lines` made from the family's reference and id ({ref} in the subject), never the family's words; audited."""
    user = users.get_user(uow.session, uuid.UUID(payload["user_id"]))
    family_id = uuid.UUID(payload["family_id"])
    if user is None or not user.active:
        return
    ref = families.references_of(uow.session, {family_id}).get(family_id, "")
    sender.send(Email(to=(user.email,), subject=subject.format(ref=ref), body="\n".join(lines(ref, family_id))))
    uow.audit(SYSTEM, "notify", record_type, record_id, family_id=family_id, channel="email", recipients=1,
              topic=topic)


def _feedback_received(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str) -> None:
    """Tell the lead practitioner that a family gave feedback: the family's reference and a link, no words."""
    _tell_lead(uow, sender, payload, "Feedback from family {ref}",
               lambda ref, family_id: [f"A family you are lead practitioner for (family {ref}) has given feedback.",
                                       "Sign in to read it and record what the team did: "
                                       f"{base_url}/families/{family_id}/feedback"],
               "family_feedback", payload["feedback_id"], "feedback.received")


def _password_reset(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str) -> None:
    send_reset_email(uow, sender, payload, base_url, SYSTEM)


def _family_proposal_received(uow: UnitOfWork, sender: Sender, payload: dict, base_url: str) -> None:
    """Tell the lead practitioner the family proposed a change to their story: reference and link, no words."""
    _tell_lead(uow, sender, payload, "A proposed change from family {ref}",
               lambda ref, family_id: [f"A family you are lead practitioner for (family {ref}) has proposed a change "
                                       "to their story.",
                                       f"Sign in to accept it or reply: {base_url}/families/{family_id}/family-access"],
               "family_proposal", payload["proposal_id"], "family_proposal.received")


TOPICS: dict[str, Callable[[UnitOfWork, Sender, dict, str], None]] = {
    PASSWORD_RESET: _password_reset,
    "feedback.received": _feedback_received,
    "family_proposal.received": _family_proposal_received,
    "referral.created": _referral_created,
    "referral.decided": _referral_decided,
    "digest.daily": _digest,
    "consent.review_due": _consent_review,
}


def process(uow: UnitOfWork, message_id: uuid.UUID, sender: Sender, base_url: str) -> str:
    """Handle one outbox message once: "done", "duplicate" (already handled), "not due" or
    "missing". The caller
    commits (the ProcessedMessage row and the effect's audit events go together)."""
    message = outbox.get(uow.session, message_id)
    if message is None:
        return "missing"
    if message.available_at > uow.now():
        return "not due"  # the relay delivers it when it is
    if not outbox.claim_for_handler(uow.session, message_id, HANDLER):
        return "duplicate"
    if message.dispatched_at is None:  # handled without the relay (inline, or `jobs relay` without Redis)
        message.dispatched_at = uow.now()
    handler = TOPICS.get(message.topic)
    if handler is not None:
        handler(uow, sender, dict(message.payload or {}), base_url.rstrip("/"))
    return "done"


# ---- daily jobs ----------------------------------------------------------------------------------

def _publish_once(uow: UnitOfWork, topic: str, payload: dict, dedupe_key: str) -> bool:
    if outbox.dedupe_key_taken(uow.session, dedupe_key):
        return False
    publish(uow, topic, payload, dedupe_key=dedupe_key)
    return True


def queue_daily_digests(uow: UnitOfWork, actor: Actor) -> int:
    """Publish today's digest for every agency with an overdue or due-soon clock; returns how many."""
    today = uow.today()
    horizon = WorkingCalendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    agencies = clocks.agencies_with_open_due_by(uow.session, horizon)
    return sum(_publish_once(uow, "digest.daily", {"agency_id": str(a), "day": today.isoformat()},
                             f"digest:{a}:{today.isoformat()}") for a in agencies)


def _due_by_lead(uow: UnitOfWork) -> dict[uuid.UUID, list]:
    due = consent.due_for_review(uow, SYSTEM)
    leads = families.lead_practitioners(uow.session, {c.family_id for c in due})
    by_lead: dict[uuid.UUID, list] = defaultdict(list)
    for view in due:
        lead = leads.get(view.family_id)
        if lead is not None:
            by_lead[lead].append(view)
    return by_lead


def queue_consent_reminders(uow: UnitOfWork, actor: Actor) -> int:
    """Publish today's consent review reminder for each lead practitioner with consents due; returns how many."""
    today = uow.today().isoformat()
    return sum(_publish_once(uow, "consent.review_due", {"user_id": str(user_id), "day": today},
                             f"consent-review:{user_id}:{today}") for user_id in _due_by_lead(uow))
