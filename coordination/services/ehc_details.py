"""An EHC needs assessment request's SEN2 items (models.EhcDetails; codes and rules in domain/sen2.py), read by
whoever may see the referral and recorded by the SEND team that received it. The 20-week exceptions are the
referral's own (services.referrals.commands.add_exception); SEN2's Week20 is derived from them.

One transaction per change with its audit event, which names the fields changed, never their values.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from coordination.db import UnitOfWork
from coordination.domain import ehc_details as rules
from coordination.domain import sen2
from coordination.domain.actors import Actor
from coordination.errors import Conflict, Invalid
from coordination.models import EhcDetails, Referral, ReferralException

from .referrals.access import receiving_referral, visible_referral

PATHWAY = "ehc_needs_assessment"
CODES, BOOLEANS, DATES, SEALED, FIELDS = rules.CODES, rules.BOOLEANS, rules.DATES, rules.SEALED, rules.FIELDS


@dataclass(frozen=True, kw_only=True)
class EhcDetailsView(sen2.EhcItems):
    """The request's EHC details as recorded: its SEN2 items (domain.sen2.EhcItems) and what the form shows too."""

    referral_id: uuid.UUID
    received_on: dt.date
    week20_exceptions: tuple[str, ...] = ()  # the reg 10(4) exceptions recorded on the referral (read only)
    version: int = 0  # 0: nothing recorded yet


def recorded_items(uow: UnitOfWork, row: EhcDetails) -> dict[str, Any]:
    """The row's SEN2 items by name (domain.sen2.EhcItems' fields), the sealed ones unsealed."""
    values: dict[str, Any] = {name: getattr(row, name) for name in FIELDS if name not in SEALED + ("sen_needs",)}
    values.update({name: row.unseal(uow.keys, name) for name in SEALED})
    return {**values, "sen_needs": row.unseal_codes(uow.keys, "sen_needs")}


def details_of(uow: UnitOfWork, referral: Referral) -> EhcDetails | None:
    return uow.session.execute(select(EhcDetails).where(EhcDetails.referral_id == referral.id)).scalar_one_or_none()


def _exceptions(uow: UnitOfWork, referral: Referral) -> tuple[str, ...]:
    rows = uow.session.execute(select(ReferralException.code).where(ReferralException.referral_id == referral.id)
                               .order_by(ReferralException.created_at)).scalars()
    return tuple(dict.fromkeys(code for code in rows if code in sen2.WEEK20_EXCEPTIONS))


def view_of(uow: UnitOfWork, referral: Referral, row: EhcDetails | None) -> EhcDetailsView:
    base = EhcDetailsView(referral_id=referral.id, received_on=referral.received_on,
                          week20_exceptions=_exceptions(uow, referral))
    if row is None:
        return base
    return replace(base, **recorded_items(uow, row), version=row.version)


def _check(referral: Referral) -> None:
    if referral.pathway != PATHWAY:
        raise Invalid("EHC details are for EHC needs assessment requests",
                      {"_schema": ["Only requests for an EHC needs assessment have EHC details"]})


def get_ehc_details(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> EhcDetailsView:
    """:raise NotFound / NotPermitted: the actor may not see the referral.  :raise Invalid: not an EHC request."""
    referral = visible_referral(uow, actor, referral_id)
    _check(referral)
    uow.audit(actor, "read", "ehc_details", referral.id, family_id=referral.family_id)
    return view_of(uow, referral, details_of(uow, referral))


def _checked(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, expected_version: int | None,
             changes: dict[str, Any]) -> tuple[Referral, EhcDetails | None, EhcDetailsView, dict[str, Any]]:
    """(the referral, its row, the details as recorded, `changes` cleaned), or the reason they cannot be recorded."""
    referral = receiving_referral(uow, actor, referral_id)
    _check(referral)
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise Invalid("Check the EHC details", {name: ["Unknown field"] for name in unknown})
    row = details_of(uow, referral)
    before = view_of(uow, referral, row)
    if expected_version is not None and before.version != expected_version:
        raise Conflict(f"These EHC details were changed (now version {before.version}) since you opened them",
                       current=before)
    cleaned, errors = rules.check(referral.received_on, {name: getattr(before, name) for name in FIELDS}, changes,
                                  uow.today())
    if errors:
        raise Invalid("Check the EHC details", errors)
    return referral, row, before, cleaned


def check_ehc_details(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, *, expected_version: int | None = None,
                      **changes: Any) -> None:
    """Whether `record_ehc_details` would take these changes, writing nothing (a form with problems of its own
    asks, so that its error summary lists the rules' problems too).

    :raise: as `record_ehc_details`.
    """
    _checked(uow, actor, referral_id, expected_version, changes)


def record_ehc_details(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, *, expected_version: int | None = None,
                       **changes: Any) -> EhcDetailsView:
    """Change the request's EHC details: only the fields given (None or empty clears one); the result as a whole
    must keep domain.sen2's rules.

    :raise NotFound / NotPermitted: as `referrals.access.receiving_referral`.  :raise Conflict: stale
        `expected_version`.  :raise Invalid: not an EHC request; an unknown field; every problem, by field.
    """
    referral, row, before, cleaned = _checked(uow, actor, referral_id, expected_version, changes)
    after = replace(before, **cleaned)
    changed = [name for name in FIELDS if getattr(before, name) != getattr(after, name)]
    if row is None:
        row = EhcDetails(referral_id=referral.id, created_at=uow.now(), version=0)
        uow.session.add(row)
    for name in FIELDS:
        if name in SEALED:
            row.seal(uow.keys, name, getattr(after, name))
        elif name == "sen_needs":
            row.seal_codes(uow.keys, name, after.sen_needs)
        else:
            setattr(row, name, getattr(after, name))
    if changed or row.version == 0:
        row.version += 1
        row.updated_at, row.updated_by_id = uow.now(), actor.user_id
    uow.session.flush()
    uow.audit(actor, "update", "ehc_details", referral.id, family_id=referral.family_id, fields=changed,
              version=row.version)
    return view_of(uow, referral, row)
