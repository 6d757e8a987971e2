"""No wrong door: the receiving team, before it decides, sends a referral meant for another service to the right
team in one step, instead of declining it and leaving the family to start again.

The referral moves whole: its reason, its sections and its original received date (the family's wait is
measured from it: every clock keeps its start), with a `redirected` event (from, to, the reason) that both teams
see, and the new team's own decision clock starting now (pathways.toml, a clock starting at `redirected`). The
family is not asked again. The same checks as a new referral to that team: the pathway must be one the new
team's kind of agency receives, and the team passing it on must be one that may refer the family (its case
holder, or an agency with live consent or disclosure cover for it); what the new team will read is what a live
consent or disclosure covers for it now (the disclosure engine), never what covered the old team.

The old team loses the referral from its inbox (and from its view, unless it also holds the case or sent it),
but keeps the history entry it made: `redirected_by_us`.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.referrals import Event, Lifecycle
from coordination.errors import Conflict, FieldErrors, NotFound, NotPermitted
from coordination.models import Referral
from coordination.repositories import referrals as repo
from coordination.services.outbox import publish
from coordination.services.sharing import reading

from .access import check_principal, pathway_of, receiving_referral
from .clocks import recompute_clocks
from .commands import MAX_REASON_CHARS, record_event
from .create import destination_problem, family_for
from .views import ReferralView, referral_view


class NoCover(NotPermitted):
    """The team may see the referral but not pass the family's referral on: no live cover for the family."""


def _check(uow: UnitOfWork, actor: Actor, referral: Referral, to_agency_id: uuid.UUID, reason: str) -> None:
    """:raise Invalid: the new team (unknown, the same, or of a kind the pathway does not go to) or the reason.
    :raise Conflict: already decided.  :raise NotPermitted: the team may not pass the family's referral on."""
    errors = FieldErrors()
    if to_agency_id == referral.to_agency_id:
        errors.add("to_agency_id", "Choose another team: the referral is with your team already")
    else:
        errors.add("to_agency_id", destination_problem(uow, pathway_of(referral), to_agency_id))
    errors.require_text("reason", reason, "why the referral is going to another team", MAX_REASON_CHARS)
    errors.raise_if_any("Check where the referral is going")
    if not Lifecycle.may(referral.status, Event.REDIRECTED):
        raise Conflict("This referral has already been decided: it can no longer be redirected")
    try:
        family_for(uow, actor, referral.family_id)
    except NotFound:
        raise NoCover("The family's consent (or a safeguarding disclosure) does not cover your team now, so "
                           "your team cannot pass the referral on. Decline it and say where the family was "
                           "signposted, or ask the team that sent it to refer again") from None


def redirect(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, to_agency_id: uuid.UUID,
             reason: str) -> ReferralView:
    """Send an undecided referral to the right team (the receiving agency only); the referral as it now stands.

    :raise NotFound: not visible.  :raise NotPermitted: not the receiving agency, or it may not refer the family.
    :raise Conflict: already decided.  :raise Invalid: to_agency_id, reason.
    """
    referral = receiving_referral(uow, actor, referral_id)
    _check(uow, actor, referral, to_agency_id, reason)
    from_agency_id, now = referral.to_agency_id, uow.now()
    # What the new team will read: what a live consent or disclosure covers for it now (as the check page
    # tells a referrer), never what covered the old team.
    covered = reading.sections_for_agency(uow, to_agency_id, referral.owning_agency_id or uuid.UUID(int=0),
                                          referral.family_id, list(referral.sections_shared or []))
    referral.to_agency_id = to_agency_id
    record_event(uow, actor, referral, Event.REDIRECTED, now, note=reason.strip(),
                 from_agency_id=str(from_agency_id), to_agency_id=str(to_agency_id), sections_covered=covered)
    publish(uow, "referral.created", {"referral_id": str(referral.id)})  # the new team is told, as for a new one
    uow.audit(actor, "redirect", "referral", referral.id, family_id=referral.family_id, pathway=referral.pathway,
              from_agency_id=str(from_agency_id), to_agency_id=str(to_agency_id),
              received_on=referral.received_on.isoformat(), sections_covered=covered)
    recompute_clocks(uow, referral)
    return referral_view(uow, referral)


@dataclass(frozen=True)
class RedirectedByUs:
    """A history entry the actor's team made when it sent a referral on: what it keeps seeing afterwards."""

    referral_id: uuid.UUID
    pathway: str
    received_on: dt.date
    redirected_at: dt.datetime
    to_agency_id: uuid.UUID
    by_user_id: uuid.UUID | None
    reason: str


def redirected_by_us(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[RedirectedByUs]:
    """The referrals the actor's team redirected to another team, most recent first: the entries it made (its own
    reason), not the referral itself (audited)."""
    check_principal(actor)
    rows = repo.redirects_by_agency(uow.session, actor, limit=limit)
    if rows:  # nothing to show reads nothing
        uow.audit(actor, "read", "referral_redirect", None, entries=len(rows))
    return [RedirectedByUs(referral_id=event.referral_id, pathway=referral.pathway, received_on=referral.received_on,
                           redirected_at=event.occurred_at, to_agency_id=uuid.UUID(event.details["to_agency_id"]),
                           by_user_id=event.by_user_id, reason=event.unseal(uow.keys, "note") or "")
            for event, referral in rows]
