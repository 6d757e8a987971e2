"""The receiving team's commands on a referral: decide (accept or decline), move it on through its pathway's
stages, close it with an outcome, pause its clocks, record an allowed exception to a statutory clock.

Each follows domain.referrals.Lifecycle (what may happen in which status, and the status it leaves), records a
`ReferralEvent` (timestamped, attributed; a note sealed), an audit event (ids and codes only) and recomputes the
clocks, all in the caller's transaction. Only the receiving agency (or a system actor) may act.
"""
from __future__ import annotations

import datetime as dt
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.cin_census import closure_reason_problem
from coordination.domain.referrals import Decision, Event, Lifecycle
from coordination.errors import Conflict, FieldErrors, Invalid
from coordination.models import Referral, ReferralEvent, ReferralException, ReferralPause
from coordination.services.outbox import publish

from .access import pathway_of, receiving_referral
from .clocks import recompute_clocks
from .views import ReferralView, referral_view

MAX_REASON_CHARS = 10_000
MAX_NOTE_CHARS = 10_000


def record_event(uow: UnitOfWork, actor: Actor, referral: Referral, kind: str, at: dt.datetime, *,
                 note: str | None = None, **details) -> ReferralEvent:
    event = ReferralEvent(referral_id=referral.id, kind=kind, occurred_at=at, recorded_at=uow.now(),
                          by_user_id=actor.user_id, by_key_id=actor.api_key_id, by_agency_id=actor.agency_id,
                          details=details)
    if note:
        event.seal(uow.keys, "note", note)
    uow.session.add(event)
    return event


def _changed(uow: UnitOfWork, referral: Referral) -> ReferralView:
    recompute_clocks(uow, referral)
    return referral_view(uow, referral)


def decide(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, decision: str, reason: str,
           signposted_to: str | None = None) -> ReferralView:
    """The receiving team accepts or declines (with a reason; on decline, where the family was signposted).

    :raise NotFound / NotPermitted: not visible / not the receiving agency.
    :raise Conflict: already decided.  :raise Invalid: decision, reason, signposted_to.
    """
    referral = receiving_referral(uow, actor, referral_id)
    errors = FieldErrors()
    if decision not in {d.value for d in Decision}:
        errors.add("decision", "Choose accept or decline")
    errors.require_text("reason", reason, "the reason for the decision", MAX_REASON_CHARS)
    if decision == Decision.DECLINE:
        errors.require_text("signposted_to", signposted_to, "where the family was signposted", 200)
    errors.raise_if_any("Check the decision")
    decided, outcome = Lifecycle.decision_events(decision)
    if not Lifecycle.may(referral.status, outcome):
        raise Conflict("This referral has already been decided")
    now = uow.now()
    accepted = decision == Decision.ACCEPT
    referral.decision, referral.decided_at = decision, now
    referral.status = Lifecycle.after(referral.status, outcome).value
    referral.signposted_to = None if accepted else signposted_to
    referral.referral_nfa = not accepted  # the census's ReferralNFA: a declined referral had no further action
    referral.seal(uow.keys, "decision_reason", reason)
    record_event(uow, actor, referral, decided, now, decision=decision)
    record_event(uow, actor, referral, outcome, now)
    publish(uow, "referral.decided", {"referral_id": str(referral.id)})
    uow.audit(actor, "decision", "referral", referral.id, family_id=referral.family_id, pathway=referral.pathway,
              decision=decision)
    return _changed(uow, referral)


def transition(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, to_stage: str,
               note: str | None = None) -> ReferralView:
    """Move an accepted referral to the next stage of its pathway; the first move sets it in progress.

    :raise Conflict: not accepted (or already closed).  :raise Invalid: a stage the pathway does not allow next.
    """
    referral = receiving_referral(uow, actor, referral_id)
    pathway = pathway_of(referral)
    if not Lifecycle.may(referral.status, Event.ENTERED):
        raise Conflict("Only an accepted referral that is not closed can move to another stage")
    if note and len(note) > MAX_NOTE_CHARS:
        raise Invalid("Check the note", {"note": [f"Enter {MAX_NOTE_CHARS:,} characters or fewer"]})
    entered_first = any(e.kind == Lifecycle.stage_event(pathway.first_stage) for e in referral.events)
    if not Lifecycle.may_enter(pathway, referral.stage, to_stage, entered_first):
        allowed = list(pathway.transitions.get(referral.stage, ()))
        raise Invalid("This stage does not follow the current one", {"to_stage": [
            f"From {referral.stage} the referral can move to: {', '.join(allowed)}" if allowed
            else f"The referral cannot move on from {referral.stage}"]})
    from_stage, event = referral.stage, Lifecycle.stage_event(to_stage)
    record_event(uow, actor, referral, event, uow.now(), note=(note or "").strip() or None, from_stage=from_stage)
    referral.stage = to_stage
    referral.status = Lifecycle.after(referral.status, event).value
    uow.audit(actor, "transition", "referral", referral.id, family_id=referral.family_id, pathway=referral.pathway,
              from_stage=from_stage, to_stage=to_stage)
    return _changed(uow, referral)


def close(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, outcome: str, note: str | None = None, *,
          reason_for_closure: str | None = None, require_reason: bool = False) -> ReferralView:
    """Close an accepted or in-progress referral with its outcome; a social care referral with its CIN census
    reason for closure (RC1–RC9, domain.cin_census.closure_reason_problem: RC8/RC9 only straight after an
    assessment). The reason is required when `require_reason` (the web form); the API may leave it for later,
    and the census's pre-submission report lists it as missing.

    :raise Conflict: not open.  :raise Invalid: no outcome; a reason for closure that does not fit.
    """
    referral = receiving_referral(uow, actor, referral_id)
    errors = FieldErrors()
    errors.require_text("outcome", outcome, "the outcome", 40)
    reason = (reason_for_closure or "").strip().upper() or None
    if reason is not None and referral.pathway != "social_care":
        errors.add("reason_for_closure", "A reason for closure is for referrals to children's social care")
    elif reason is not None or require_reason:
        stages = [e.kind.removeprefix("entered:") for e in referral.events if e.kind.startswith("entered:")]
        errors.add("reason_for_closure", closure_reason_problem(referral.pathway, reason, stages))
    errors.raise_if_any("Check the outcome")
    if not Lifecycle.may(referral.status, Event.CLOSED):
        raise Conflict("Only an accepted referral that is not closed can be closed")
    now = uow.now()
    referral.status = Lifecycle.after(referral.status, Event.CLOSED).value
    referral.closed_at, referral.outcome = now, outcome.strip()
    referral.reason_for_closure = reason
    record_event(uow, actor, referral, Event.CLOSED, now, note=(note or "").strip() or None)
    uow.audit(actor, "update", "referral", referral.id, family_id=referral.family_id, pathway=referral.pathway,
              status=referral.status, reason_for_closure=reason)
    return _changed(uow, referral)


def add_pause(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, reason: str, from_on: dt.date,
              to_on: dt.date | None = None) -> ReferralView:
    """Stop the referral's clocks from running over a period (e.g. the family asked to wait).

    :raise Invalid: no reason (a short code), a start in the future, an end before the start.
    """
    referral = receiving_referral(uow, actor, referral_id)
    errors = FieldErrors()
    errors.require_text("reason", reason, "the reason for the pause", 60)
    if from_on > uow.today():
        errors.add("from_on", "The pause must start today or in the past")
    if to_on is not None and to_on < from_on:
        errors.add("to_on", "The pause must end on or after its start")
    errors.raise_if_any("Check the pause")
    pause = ReferralPause(referral_id=referral.id, reason=reason.strip(), from_on=from_on, to_on=to_on,
                          recorded_by_id=actor.user_id, created_at=uow.now())
    uow.session.add(pause)
    uow.audit(actor, "update", "referral", referral.id, family_id=referral.family_id, pause_from=from_on.isoformat(),
              pause_to=to_on.isoformat() if to_on else None)
    return _changed(uow, referral)


def add_exception(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, code: str, from_on: dt.date | None = None,
                  to_on: dt.date | None = None) -> ReferralView:
    """Record an allowed exception to a statutory clock (EHC reg 10(4)(a)–(d)); the clock is marked excepted
    and reported with and without it.

    :raise Invalid: a code none of the pathway's clocks allows, or an end before the start.
    """
    referral = receiving_referral(uow, actor, referral_id)
    allowed = sorted({code for clock in pathway_of(referral).clocks for code in clock.exceptions})
    errors = FieldErrors()
    if code not in allowed:
        errors.add("code", "Choose one of: " + ", ".join(allowed) if allowed
                   else "No clock of this pathway allows exceptions")
    if from_on and to_on and to_on < from_on:
        errors.add("to_on", "The exception must end on or after its start")
    errors.raise_if_any("Check the exception")
    uow.session.add(ReferralException(referral_id=referral.id, code=code, from_on=from_on, to_on=to_on,
                                      recorded_by_id=actor.user_id, created_at=uow.now()))
    uow.audit(actor, "update", "referral", referral.id, family_id=referral.family_id, exception=code)
    return _changed(uow, referral)
