"""Making a referral: who may refer the family (its case holder, or an agency with live cover for it), the checks
on the answers, the Idempotency-Key (per credential) and the write with its event, outbox message and audit."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind
from coordination.domain.calendar import england_date
from coordination.domain.pathways import Pathway, default_pathways
from coordination.domain.people import age_on
from coordination.domain.referrals import (
    Event,
    Lifecycle,
    Urgency,
    is_re_referral,
    received_at_on,
    received_on_problem,
)
from coordination.errors import Conflict, FieldErrors, NotFound
from coordination.models import Family, Person, Referral
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import families as families_repo
from coordination.repositories import referrals as repo
from coordination.repositories import users as users_repo
from coordination.services.outbox import publish
from coordination.services.sharing import disclosure, reading

from .access import check_principal
from .clocks import recompute_clocks
from .commands import MAX_REASON_CHARS, record_event
from .details import AgencyWillSee, details_for_agency
from .views import ReferralView, referral_view

LINK_KINDS = ("step_up", "step_down", "transition", "parallel")


@dataclass(frozen=True)
class Answers:
    """What the referrer asked for, as create_referral takes it."""

    family_id: uuid.UUID
    child_id: uuid.UUID
    pathway: str
    to_agency_id: uuid.UUID
    reason: str
    urgency: str
    received_on: dt.date | None
    idempotency_key: str | None
    linked_from_id: uuid.UUID | None
    link_kind: str | None
    sections_shared: list[str] | None


@dataclass
class Checked:
    """Answers the service accepts, with what it found on the way; `replay` when the key was used already."""

    family: Family
    permitted: disclosure.Permitted | None   # None: the actor's agency holds the case
    scope: str
    replay: ReferralView | None = None
    pathway: Pathway | None = None
    child: Person | None = None
    received_on: dt.date | None = None
    shared: list[str] | None = None


def idempotency_scope(actor: Actor) -> str:
    """Keys are per credential: two partners may both send "1" and mean different referrals."""
    return f"{actor.kind.value}:{actor.api_key_id or actor.user_id}"


def family_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> tuple[Family, disclosure.Permitted | None]:
    """The family, if the actor may refer it: its case holder, or an agency with live cover for it.

    :raise NotFound: neither (indistinguishable from a family that does not exist).
    """
    held = families_repo.get_for(uow.session, actor, family_id)
    if held is not None:
        return held, None
    permitted = disclosure.permitted_sections(uow.session, actor, family_id, uow.now()) if actor.agency_id else {}
    family = repo.family_by_id(uow.session, family_id) if permitted else None
    if family is None:
        raise NotFound("Family not found")
    return family, permitted


def _replay(uow: UnitOfWork, existing: Referral, a: Answers) -> ReferralView:
    """The first referral made with this key; a key reused for a different referral is refused."""
    if (existing.family_id, existing.child_id, existing.pathway, existing.to_agency_id) != \
            (a.family_id, a.child_id, a.pathway, a.to_agency_id):
        raise Conflict("This Idempotency-Key was already used for a different referral")
    return referral_view(uow, existing, replayed=True)


def _check_choices(uow: UnitOfWork, family: Family, a: Answers, errors: FieldErrors) -> tuple[Pathway | None,
                                                                                               Person | None]:
    """The pathway, the receiving agency, the child and the urgency."""
    chosen = default_pathways().get(a.pathway)
    if chosen is None:
        errors.add("pathway", "Choose one of: " + ", ".join(default_pathways()))
    errors.add("to_agency_id", destination_problem(uow, chosen, a.to_agency_id))
    child = repo.person_by_id(uow.session, a.child_id)
    if child is None or child.family_id != family.id or child.role != "child":
        errors.add("child_id", "Choose a child of this family")
    if a.urgency not in {u.value for u in Urgency}:
        errors.add("urgency", "Choose one of: " + ", ".join(u.value for u in Urgency))
    return chosen, child


def destination_problem(uow: UnitOfWork, pathway: Pathway | None, agency_id: uuid.UUID) -> str | None:
    """None when the agency exists and is of a kind that receives the pathway's referrals (pathways.toml
    `receives`); otherwise the message naming the pathway and the kinds that do."""
    agency = users_repo.get_agency(uow.session, agency_id)
    if agency is None:
        return "Choose an agency the service knows"
    return pathway.receiving_problem(agency.type) if pathway is not None else None


def _check_link(uow: UnitOfWork, actor: Actor, a: Answers, errors: FieldErrors) -> None:
    """The referral this one follows (of the same child, one the actor may see) and how it follows it."""
    if a.link_kind is not None and a.link_kind not in LINK_KINDS:
        errors.add("link_kind", "Choose one of: " + ", ".join(LINK_KINDS))
    if a.linked_from_id is not None:
        linked = repo.get_for(uow.session, actor, a.linked_from_id)
        if linked is None or linked.child_id != a.child_id:
            errors.add("linked_from_id", "Choose a referral of the same child that you can see")
        if a.link_kind is None:
            errors.add("link_kind", "Say how this referral follows the other: " + ", ".join(LINK_KINDS))
    elif a.link_kind is not None:
        errors.add("linked_from_id", "Name the referral this one follows")


def _check_sections(uow: UnitOfWork, a: Answers, errors: FieldErrors) -> list[str]:
    shared = list(dict.fromkeys(a.sections_shared or []))
    if shared:
        known = {d.key for d in assessment_repo.list_definitions(uow.session)}
        if unknown := [k for k in shared if k not in known]:
            errors.add("sections_shared", "Unknown section keys: " + ", ".join(unknown))
    return shared


def check_answers(uow: UnitOfWork, actor: Actor, a: Answers) -> Checked:
    """Every check create_referral makes, and nothing written.

    :raise NotPermitted / NotFound / Conflict / Invalid: as create_referral.
    """
    check_principal(actor)
    family, permitted = family_for(uow, actor, a.family_id)
    scope = idempotency_scope(actor)
    if a.idempotency_key:
        existing = repo.by_idempotency_key(uow.session, scope, a.idempotency_key)
        if existing is not None:
            return Checked(family, permitted, scope, replay=_replay(uow, existing, a))
    errors = FieldErrors()
    chosen, child = _check_choices(uow, family, a, errors)
    today = uow.today()
    received_on = a.received_on
    if actor.kind == ActorKind.API_KEY or received_on is None:
        received_on = today  # partners send referrals as they happen; only staff backdate phone referrals
    else:
        errors.add("received_on", received_on_problem(received_on, today))
    errors.require_text("reason", a.reason, "the reason for the referral", MAX_REASON_CHARS)
    _check_link(uow, actor, a, errors)
    shared = _check_sections(uow, a, errors)
    errors.raise_if_any("Check the referral")
    return Checked(family, permitted, scope, pathway=chosen, child=child, received_on=received_on, shared=shared)


@dataclass(frozen=True)
class ReferralCheck:
    """The answers are accepted; what the check-answers page tells the referrer before anything is sent."""

    covered: list[str]   # of the sections chosen, those the receiving team will read (in the order chosen)
    holds_case: bool     # the receiving team holds the family's case: it reads the whole assessment
    will_see: AgencyWillSee  # everything the team will read now: the people's details and every covered section


def check_referral(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, child_id: uuid.UUID, pathway: str,
                   to_agency_id: uuid.UUID, reason: str, urgency: str = Urgency.ROUTINE,
                   received_on: dt.date | None = None, idempotency_key: str | None = None,
                   linked_from_id: uuid.UUID | None = None, link_kind: str | None = None,
                   sections_shared: list[str] | None = None) -> ReferralCheck:
    """Whether create_referral would accept these answers (the same checks), writing nothing: no referral,
    event, outbox message, clock or audit event.

    :raise NotPermitted / NotFound / Conflict / Invalid: as create_referral would.
    """
    a = Answers(family_id, child_id, pathway, to_agency_id, reason, urgency, received_on, idempotency_key,
                linked_from_id, link_kind, sections_shared)
    checked = check_answers(uow, actor, a)
    owner = checked.family.owning_agency_id
    chosen = list(dict.fromkeys(sections_shared or []))
    return ReferralCheck(covered=reading.sections_for_agency(uow, to_agency_id, owner, family_id, chosen),
                         holds_case=to_agency_id == owner,
                         will_see=details_for_agency(uow, to_agency_id, owner, family_id))


def _new_referral(uow: UnitOfWork, actor: Actor, a: Answers, c: Checked) -> Referral:
    assert c.pathway is not None and c.child is not None and c.received_on is not None and c.shared is not None
    now, received_on = uow.now(), c.received_on
    dob = c.child.unseal(uow.keys, "date_of_birth")
    last = repo.last_closed_on_pathway(uow.session, a.child_id, a.pathway)
    referral = Referral(
        family_id=c.family.id, child_id=a.child_id, pathway=a.pathway, from_agency_id=actor.agency_id,
        to_agency_id=a.to_agency_id, owning_agency_id=c.family.owning_agency_id, referred_by_user_id=actor.user_id,
        referred_by_key_id=actor.api_key_id, urgency=a.urgency, status=Lifecycle.replay([Event.RECEIVED]).value,
        stage=c.pathway.first_stage, received_on=received_on,
        received_at=now if received_on == uow.today() else received_at_on(received_on),
        re_referral=is_re_referral(received_on, england_date(last.closed_at) if last and last.closed_at else None),
        linked_from_id=a.linked_from_id, link_kind=a.link_kind, sections_shared=c.shared,
        child_age_at_referral=age_on(dt.date.fromisoformat(dob), received_on) if dob else None, ward=c.family.ward,
        idempotency_scope=c.scope if a.idempotency_key else None, idempotency_key=a.idempotency_key or None,
        created_at=now,
    )
    referral.seal(uow.keys, "reason", a.reason)
    return referral


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
    a = Answers(family_id, child_id, pathway, to_agency_id, reason, urgency, received_on, idempotency_key,
                linked_from_id, link_kind, sections_shared)
    checked = check_answers(uow, actor, a)
    if checked.replay is not None:
        return checked.replay
    referral = _new_referral(uow, actor, a, checked)
    winner = repo.add_unless_raced(uow.session, referral)
    if winner is not None:
        return _replay(uow, winner, a)
    received_on, backdated = referral.received_on, referral.received_on != uow.today()
    record_event(uow, actor, referral, Event.RECEIVED, referral.received_at, received_on=received_on.isoformat(),
                 backdated=backdated)
    publish(uow, "referral.created", {"referral_id": str(referral.id)})
    authority = (disclosure.authority_record(checked.permitted, disclosure.Recipient.of(actor), "referral")
                 if checked.permitted else None)
    uow.audit(actor, "create", "referral", referral.id, family_id=checked.family.id, sections=checked.shared,
              authority=authority, pathway=pathway, to_agency_id=str(to_agency_id), urgency=urgency,
              received_on=received_on.isoformat(), backdated=backdated, re_referral=referral.re_referral,
              linked_from_id=str(linked_from_id) if linked_from_id else None, link_kind=link_kind)
    recompute_clocks(uow, referral)
    return referral_view(uow, referral)
