"""Referrals: a child referred from the one assessment to another service, and the journey across pathways.

Lifecycle (domain.referrals.Lifecycle): received → accepted | declined; accepted → in progress (the first
stage move) → closed with an outcome. Every change is a `ReferralEvent` (timestamped, attributed), an audit event (ids
and codes only: never the reason text) and a recomputation of the referral's clocks
(domain.pathways.compute_clocks over the first occurrence of each event kind, on the one WorkingCalendar),
all in the caller's transaction. Creation and decisions publish outbox messages (ids only) for the
notification jobs.

Who may do what:
- create: staff of the agency holding the family's case; or a partner key (scope `referrals`) or staff of
  another agency whose agency has live consent or disclosure cover for the family (the disclosure engine
  answers); anyone else is told the family does not exist.
- decide, move on, close, record pauses and exceptions: the receiving agency only.
- read: the case-holding, sending and receiving agencies (repositories.referrals.visible, in the SQL).

A retried create with the same Idempotency-Key (per credential) returns the first referral, never a second,
even when two retries race: the unique (scope, key) constraint decides and the loser reads the winner's row.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind
from coordination.domain.calendar import ENGLAND, WorkingCalendar, england_date
from coordination.domain.pathways import Pathway, compute_clocks, default_pathways
from coordination.domain.people import age_on
from coordination.domain.permissions import may_work_with_referrals
from coordination.domain.referrals import (
    Decision,
    Event,
    Lifecycle,
    Urgency,
    is_re_referral,
    received_at_on,
    received_on_problem,
)
from coordination.errors import Conflict, FieldErrors, Invalid, NotFound, NotPermitted
from coordination.models import Family, Person, Referral, ReferralClock, ReferralEvent, ReferralException, ReferralPause
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import families as families_repo
from coordination.repositories import referrals as repo
from coordination.repositories import users as users_repo
from coordination.services import assessment
from coordination.services.outbox import publish
from coordination.services.sharing import disclosure
from coordination.services.views import AssessmentView

LINK_KINDS = ("step_up", "step_down", "transition", "parallel")
MAX_REASON_CHARS = 10_000
MAX_NOTE_CHARS = 10_000


@dataclass
class ClockView:
    name: str
    title: str
    limit: str
    statutory: bool
    started_on: dt.date
    due_on: dt.date
    due_at: dt.datetime | None
    stopped_on: dt.date | None
    within_target: bool | None
    overdue: bool
    excepted: bool


@dataclass
class EventView:
    kind: str
    occurred_at: dt.datetime
    by_agency_id: uuid.UUID | None
    by_user_id: uuid.UUID | None
    by_key_id: uuid.UUID | None
    note: str | None


@dataclass
class ReferralView:
    id: uuid.UUID
    family_id: uuid.UUID
    child_id: uuid.UUID
    pathway: str
    pathway_title: str
    status: str
    stage: str
    stage_title: str
    urgency: str
    reason: str
    received_on: dt.date
    received_at: dt.datetime
    from_agency_id: uuid.UUID | None
    to_agency_id: uuid.UUID
    referred_by_user_id: uuid.UUID | None
    referred_by_key_id: uuid.UUID | None
    re_referral: bool
    linked_from_id: uuid.UUID | None
    link_kind: str | None
    decision: str | None
    decided_at: dt.datetime | None
    decision_reason: str | None
    signposted_to: str | None
    outcome: str | None
    closed_at: dt.datetime | None
    sections_shared: list[str]
    child_age_at_referral: int | None
    clocks: list[ClockView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    replayed: bool = False  # an Idempotency-Key retry answered with the first referral

    @property
    def overdue(self) -> bool:
        return any(c.overdue for c in self.clocks)


# ---- helpers ----------------------------------------------------------------------------------------

def _england(moment: dt.datetime) -> dt.datetime:
    """The moment in England's zone, so `.date()` is the England date every clock counts from."""
    return moment.astimezone(ENGLAND)


def check_principal(actor: Actor) -> None:
    """:raise NotPermitted: an admin (runs the service, reads no cases) or a key without the scope."""
    if not may_work_with_referrals(actor):
        raise NotPermitted("This key lacks the 'referrals' scope" if actor.kind == ActorKind.API_KEY
                           else "Your role cannot work with referrals")


def _visible(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> Referral:
    check_principal(actor)
    referral = repo.get_for(uow.session, actor, referral_id)
    if referral is None:
        raise NotFound("Referral not found")
    return referral


def _receiving(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """The referral, for its receiving agency (or a system actor) to act on.

    :raise NotFound: the actor may not see it.  :raise NotPermitted: it may see it but is not the receiver.
    """
    referral = _visible(uow, actor, referral_id)
    if actor.kind != ActorKind.SYSTEM and actor.agency_id != referral.to_agency_id:
        raise NotPermitted("Only the team the referral was sent to can do this")
    return referral


def _pathway(referral: Referral) -> Pathway:
    return default_pathways()[referral.pathway]


def _text_problem(value: str | None, what: str, limit: int) -> str | None:
    if not (value or "").strip():
        return f"Enter {what}"
    if len(value or "") > limit:
        return f"Enter {limit:,} characters or fewer"
    return None


def _event(uow: UnitOfWork, actor: Actor, referral: Referral, kind: str, at: dt.datetime, *,
           note: str | None = None, **details) -> ReferralEvent:
    event = ReferralEvent(referral_id=referral.id, kind=kind, occurred_at=at, recorded_at=uow.now(),
                          by_user_id=actor.user_id, by_key_id=actor.api_key_id, by_agency_id=actor.agency_id,
                          details=details)
    if note:
        event.seal(uow.keys, "note", note)
    uow.session.add(event)
    return event


def _clock_view(uow: UnitOfWork, pathway: Pathway, row: ReferralClock) -> ClockView:
    """A stored clock as it stands now: a running clock past its due date is overdue (and so not in time)."""
    due_at = row.due_at
    if row.stopped_on is not None:
        within, overdue = row.within_target, False
    else:
        overdue = uow.now() > due_at if due_at else uow.today() > row.due_on
        within = False if overdue else None
    try:
        title = pathway.clock(row.name).title
    except StopIteration:
        title = row.name
    return ClockView(name=row.name, title=title, limit=row.limit_text, statutory=row.statutory,
                     started_on=row.started_on, due_on=row.due_on, due_at=due_at, stopped_on=row.stopped_on,
                     within_target=within, overdue=overdue, excepted=row.excepted)


def _view(uow: UnitOfWork, referral: Referral, *, replayed: bool = False) -> ReferralView:
    pathway = _pathway(referral)
    return ReferralView(
        id=referral.id, family_id=referral.family_id, child_id=referral.child_id, pathway=referral.pathway,
        pathway_title=pathway.title, status=referral.status, stage=referral.stage,
        stage_title=pathway.stage_titles.get(referral.stage, referral.stage), urgency=referral.urgency,
        reason=referral.unseal(uow.keys, "reason") or "", received_on=referral.received_on,
        received_at=referral.received_at, from_agency_id=referral.from_agency_id,
        to_agency_id=referral.to_agency_id, referred_by_user_id=referral.referred_by_user_id,
        referred_by_key_id=referral.referred_by_key_id, re_referral=referral.re_referral,
        linked_from_id=referral.linked_from_id, link_kind=referral.link_kind, decision=referral.decision,
        decided_at=referral.decided_at,
        decision_reason=referral.unseal(uow.keys, "decision_reason"), signposted_to=referral.signposted_to,
        outcome=referral.outcome, closed_at=referral.closed_at,
        sections_shared=list(referral.sections_shared or []), child_age_at_referral=referral.child_age_at_referral,
        clocks=[_clock_view(uow, pathway, row) for row in sorted(referral.clocks, key=_clock_order(pathway))],
        events=[EventView(kind=e.kind, occurred_at=e.occurred_at, by_agency_id=e.by_agency_id,
                          by_user_id=e.by_user_id, by_key_id=e.by_key_id, note=e.unseal(uow.keys, "note"))
                for e in referral.events],
        replayed=replayed,
    )


def _clock_order(pathway: Pathway):
    names = [c.name for c in pathway.clocks]
    return lambda row: names.index(row.name) if row.name in names else len(names)


def _age_on(uow: UnitOfWork, child: Person, day: dt.date) -> int | None:
    raw = child.unseal(uow.keys, "date_of_birth")
    if not raw:
        return None
    return age_on(dt.date.fromisoformat(raw), day)


# ---- clocks -----------------------------------------------------------------------------------------

def recompute_clocks(uow: UnitOfWork, referral: Referral) -> list[ReferralClock]:
    """Derive the referral's clock rows from its events, pauses and exceptions (delete and insert).

    Event times are taken in England's zone, so started_on, due_on and stopped_on are England dates.
    """
    session = uow.session
    events: dict[str, dt.datetime] = {}
    for event in repo.events_of(session, referral.id):
        events.setdefault(event.kind, _england(event.occurred_at))
    today = uow.today()
    pauses = tuple((p.from_on, p.to_on or today) for p in repo.pauses_of(session, referral.id))
    exceptions = tuple(e.code for e in repo.exceptions_of(session, referral.id))
    states = compute_clocks(_pathway(referral), events, referral.urgency, _england(uow.now()), WorkingCalendar(),
                            pauses=pauses, exceptions=exceptions)
    if Lifecycle.has_ended(events):
        # A referral that ended before a clock's stop event (declined; closed when the child stepped up) no
        # longer waits for it: the clock measured nothing and is neither completed nor open and overdue.
        states = [s for s in states if s.stopped_at is not None]
    if referral.owning_agency_id is None:  # a referral written before migration 0006 or by a bulk loader
        family = session.get(Family, referral.family_id)
        referral.owning_agency_id = family.owning_agency_id if family else None
    # Moments are stored in UTC (models.base.UtcDateTime); the dates stay England dates.
    rows = [ReferralClock.of(
        referral, name=s.name, started_at=s.started_at, started_on=s.started_on, due_on=s.due_on,
        due_at=s.due if isinstance(s.due, dt.datetime) else None, stopped_at=s.stopped_at,
        stopped_on=s.stopped_on, within_target=s.within_target, excepted=s.excepted, statutory=s.statutory,
        limit_text=s.limit,
    ) for s in states]
    repo.replace_clocks(session, referral.id, rows)
    session.expire(referral, ["clocks", "events"])
    return rows


# ---- create -----------------------------------------------------------------------------------------

def idempotency_scope(actor: Actor) -> str:
    """Keys are per credential: two partners may both send "1" and mean different referrals."""
    return f"{actor.kind.value}:{actor.api_key_id or actor.user_id}"


def _family_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> tuple[Family, disclosure.Permitted | None]:
    """The family, if the actor may refer it: its case holder, or an agency with live cover for it.

    :raise NotFound: neither (indistinguishable from a family that does not exist).
    """
    held = families_repo.get_for(uow.session, actor, family_id)
    if held is not None:
        return held, None
    permitted = disclosure.permitted_sections(uow.session, actor, family_id, uow.now()) if actor.agency_id else {}
    family = uow.session.get(Family, family_id) if permitted else None
    if family is None:
        raise NotFound("Family not found")
    return family, permitted


def create_referral(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, child_id: uuid.UUID, pathway: str,
                    to_agency_id: uuid.UUID, reason: str, urgency: str = Urgency.ROUTINE,
                    received_on: dt.date | None = None, idempotency_key: str | None = None,
                    linked_from_id: uuid.UUID | None = None, link_kind: str | None = None,
                    sections_shared: list[str] | None = None) -> ReferralView:
    """Refer a child of the family to a pathway's receiving agency.

    :raise NotPermitted: an admin, or a key without the referrals scope.
    :raise NotFound: the family is not the actor's case and its agency has no live cover for it.
    :raise Conflict: the Idempotency-Key was already used for a different referral.
    :raise Invalid: a field map (pathway, to_agency_id, child_id, urgency, received_on, reason, linked_from_id,
        link_kind, sections_shared).
    """
    check_principal(actor)
    session = uow.session
    family, permitted = _family_for(uow, actor, family_id)
    scope = idempotency_scope(actor)
    if idempotency_key:
        existing = repo.by_idempotency_key(session, scope, idempotency_key)
        if existing is not None:
            return _replay(uow, existing, family_id, child_id, pathway, to_agency_id)

    today = uow.today()
    errors = FieldErrors()
    chosen = default_pathways().get(pathway)
    if chosen is None:
        errors.add("pathway", "Choose one of: " + ", ".join(default_pathways()))
    if users_repo.get_agency(session, to_agency_id) is None:
        errors.add("to_agency_id", "Choose an agency the service knows")
    child = session.get(Person, child_id)
    if child is None or child.family_id != family.id or child.role != "child":
        errors.add("child_id", "Choose a child of this family")
    if urgency not in {u.value for u in Urgency}:
        errors.add("urgency", "Choose one of: " + ", ".join(u.value for u in Urgency))
    if actor.kind == ActorKind.API_KEY or received_on is None:
        received_on = today  # partners send referrals as they happen; only staff backdate phone referrals
    else:
        errors.add("received_on", received_on_problem(received_on, today))
    errors.add("reason", _text_problem(reason, "the reason for the referral", MAX_REASON_CHARS))
    if link_kind is not None and link_kind not in LINK_KINDS:
        errors.add("link_kind", "Choose one of: " + ", ".join(LINK_KINDS))
    if linked_from_id is not None:
        linked = repo.get_for(session, actor, linked_from_id)
        if linked is None or linked.child_id != child_id:
            errors.add("linked_from_id", "Choose a referral of the same child that you can see")
        if link_kind is None:
            errors.add("link_kind", "Say how this referral follows the other: " + ", ".join(LINK_KINDS))
    elif link_kind is not None:
        errors.add("linked_from_id", "Name the referral this one follows")
    shared = list(dict.fromkeys(sections_shared or []))
    if shared:
        known = {d.key for d in assessment_repo.list_definitions(session)}
        if unknown := [k for k in shared if k not in known]:
            errors.add("sections_shared", "Unknown section keys: " + ", ".join(unknown))
    errors.raise_if_any("Check the referral")
    assert chosen is not None and child is not None

    now = uow.now()
    received_at = now if received_on == today else received_at_on(received_on)
    last = repo.last_closed_on_pathway(session, child_id, pathway)
    referral = Referral(
        family_id=family.id, child_id=child_id, pathway=pathway, from_agency_id=actor.agency_id,
        to_agency_id=to_agency_id, owning_agency_id=family.owning_agency_id, referred_by_user_id=actor.user_id,
        referred_by_key_id=actor.api_key_id, urgency=urgency, status=Lifecycle.replay([Event.RECEIVED]).value,
        stage=chosen.first_stage, received_on=received_on, received_at=received_at,
        re_referral=is_re_referral(received_on, england_date(last.closed_at) if last and last.closed_at else None),
        linked_from_id=linked_from_id, link_kind=link_kind, sections_shared=shared,
        child_age_at_referral=_age_on(uow, child, received_on), ward=family.ward,
        idempotency_scope=scope if idempotency_key else None, idempotency_key=idempotency_key or None,
        created_at=now,
    )
    referral.seal(uow.keys, "reason", reason)
    session.flush()
    try:
        with session.begin_nested():  # a racing retry loses here, not the whole transaction
            session.add(referral)
            session.flush()
    except IntegrityError:
        winner = repo.by_idempotency_key(session, scope, idempotency_key) if idempotency_key else None
        if winner is None:
            raise
        return _replay(uow, winner, family_id, child_id, pathway, to_agency_id)

    _event(uow, actor, referral, Event.RECEIVED, received_at, received_on=received_on.isoformat(),
           backdated=received_on != today)
    publish(uow, "referral.created", {"referral_id": str(referral.id)})
    authority = (disclosure.authority_record(permitted, disclosure.Recipient.of(actor), "referral")
                 if permitted else None)
    uow.audit(actor, "create", "referral", referral.id, family_id=family.id, sections=shared, authority=authority,
              pathway=pathway, to_agency_id=str(to_agency_id), urgency=urgency, received_on=received_on.isoformat(),
              backdated=received_on != today, re_referral=referral.re_referral,
              linked_from_id=str(linked_from_id) if linked_from_id else None, link_kind=link_kind)
    recompute_clocks(uow, referral)
    return _view(uow, referral)


def _replay(uow: UnitOfWork, existing: Referral, family_id: uuid.UUID, child_id: uuid.UUID, pathway: str,
            to_agency_id: uuid.UUID) -> ReferralView:
    """The first referral made with this key; a key reused for a different referral is refused."""
    if (existing.family_id, existing.child_id, existing.pathway, existing.to_agency_id) != \
            (family_id, child_id, pathway, to_agency_id):
        raise Conflict("This Idempotency-Key was already used for a different referral")
    return _view(uow, existing, replayed=True)


# ---- the receiving team -----------------------------------------------------------------------------

def decide(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, decision: str, reason: str,
           signposted_to: str | None = None) -> ReferralView:
    """The receiving team accepts or declines (with a reason; on decline, where the family was signposted).

    :raise NotFound / NotPermitted: not visible / not the receiving agency.
    :raise Conflict: already decided.  :raise Invalid: decision, reason, signposted_to.
    """
    referral = _receiving(uow, actor, referral_id)
    errors = FieldErrors()
    if decision not in {d.value for d in Decision}:
        errors.add("decision", "Choose accept or decline")
    errors.add("reason", _text_problem(reason, "the reason for the decision", MAX_REASON_CHARS))
    if decision == Decision.DECLINE:
        errors.add("signposted_to", _text_problem(signposted_to, "where the family was signposted", 200))
    errors.raise_if_any("Check the decision")
    decided, outcome = Lifecycle.decision_events(decision)
    if not Lifecycle.may(referral.status, outcome):
        raise Conflict("This referral has already been decided")
    now = uow.now()
    accepted = decision == Decision.ACCEPT
    referral.decision, referral.decided_at = decision, now
    referral.status = Lifecycle.after(referral.status, outcome).value
    referral.signposted_to = None if accepted else signposted_to
    referral.seal(uow.keys, "decision_reason", reason)
    _event(uow, actor, referral, decided, now, decision=decision)
    _event(uow, actor, referral, outcome, now)
    publish(uow, "referral.decided", {"referral_id": str(referral.id)})
    uow.audit(actor, "decision", "referral", referral.id, family_id=referral.family_id, pathway=referral.pathway,
              decision=decision)
    recompute_clocks(uow, referral)
    return _view(uow, referral)


def transition(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, to_stage: str,
               note: str | None = None) -> ReferralView:
    """Move an accepted referral to the next stage of its pathway; the first move sets it in progress.

    :raise Conflict: not accepted (or already closed).  :raise Invalid: a stage the pathway does not allow next.
    """
    referral = _receiving(uow, actor, referral_id)
    pathway = _pathway(referral)
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
    now = uow.now()
    from_stage = referral.stage
    event = Lifecycle.stage_event(to_stage)
    _event(uow, actor, referral, event, now, note=(note or "").strip() or None, from_stage=from_stage)
    referral.stage = to_stage
    referral.status = Lifecycle.after(referral.status, event).value
    uow.audit(actor, "transition", "referral", referral.id, family_id=referral.family_id, pathway=referral.pathway,
              from_stage=from_stage, to_stage=to_stage)
    recompute_clocks(uow, referral)
    return _view(uow, referral)


def close(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, outcome: str, note: str | None = None) -> ReferralView:
    """Close an accepted or in-progress referral with its outcome.

    :raise Conflict: not open.  :raise Invalid: no outcome.
    """
    referral = _receiving(uow, actor, referral_id)
    if problem := _text_problem(outcome, "the outcome", 40):
        raise Invalid("Check the outcome", {"outcome": [problem]})
    if not Lifecycle.may(referral.status, Event.CLOSED):
        raise Conflict("Only an accepted referral that is not closed can be closed")
    now = uow.now()
    referral.status = Lifecycle.after(referral.status, Event.CLOSED).value
    referral.closed_at, referral.outcome = now, outcome.strip()
    _event(uow, actor, referral, Event.CLOSED, now, note=(note or "").strip() or None)
    uow.audit(actor, "update", "referral", referral.id, family_id=referral.family_id, pathway=referral.pathway,
              status=referral.status)
    recompute_clocks(uow, referral)
    return _view(uow, referral)


def add_pause(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, reason: str, from_on: dt.date,
              to_on: dt.date | None = None) -> ReferralView:
    """Stop the referral's clocks from running over a period (e.g. the family asked to wait).

    :raise Invalid: no reason (a short code), a start in the future, an end before the start.
    """
    referral = _receiving(uow, actor, referral_id)
    errors = FieldErrors()
    errors.add("reason", _text_problem(reason, "the reason for the pause", 60))
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
    recompute_clocks(uow, referral)
    return _view(uow, referral)


def add_exception(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, code: str, from_on: dt.date | None = None,
                  to_on: dt.date | None = None) -> ReferralView:
    """Record an allowed exception to a statutory clock (EHC reg 10(4)(a)–(d)); the clock is marked excepted
    and reported with and without it.

    :raise Invalid: a code none of the pathway's clocks allows, or an end before the start.
    """
    referral = _receiving(uow, actor, referral_id)
    allowed = sorted({code for clock in _pathway(referral).clocks for code in clock.exceptions})
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
    recompute_clocks(uow, referral)
    return _view(uow, referral)


# ---- reads ------------------------------------------------------------------------------------------

def get_referral(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> ReferralView:
    """One referral the actor may see (audited). :raise NotFound: otherwise."""
    referral = _visible(uow, actor, referral_id)
    uow.audit(actor, "read", "referral", referral.id, family_id=referral.family_id)
    return _view(uow, referral)


def list_referrals(uow: UnitOfWork, actor: Actor, status: str | None = None, pathway: str | None = None,
                   child_id: uuid.UUID | None = None, *, received_only: bool = False) -> list[ReferralView]:
    """The referrals the actor may see, oldest first, optionally by status, pathway or child, or only those sent
    to the actor's agency (the receiving team's inbox) (audited)."""
    check_principal(actor)
    rows = repo.list_for(uow.session, actor, status=status, pathway=pathway, child_id=child_id,
                         received_only=received_only)
    uow.audit(actor, "read", "referral", None, entries=len(rows), status=status, pathway=pathway)
    return [_view(uow, r) for r in rows]


def journey(uow: UnitOfWork, actor: Actor, child_id: uuid.UUID) -> list[ReferralView]:
    """The child's referrals the actor may see, in the order they were received, each naming the episode it
    follows (linked_from_id, link_kind), so the story across pathways reads as one."""
    return list_referrals(uow, actor, child_id=child_id)


def shared_assessment(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> AssessmentView:
    """What the receiving team sees instead of asking the family again: the whole assessment for the agency
    holding the case; for anyone else, exactly what a live consent or disclosure covers now (the disclosure
    engine; nothing covered → NotFound)."""
    referral = _visible(uow, actor, referral_id)
    if families_repo.get_for(uow.session, actor, referral.family_id) is not None:
        return assessment.get_assessment(uow, actor, referral.family_id)
    return disclosure.disclose_assessment(uow, actor, referral.family_id, channel="referral")
