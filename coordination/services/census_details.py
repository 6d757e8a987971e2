"""What the statutory returns need, recorded where the work happens: a child's census details (sex, ethnicity, ULN,
disabilities, why there is no UPN, a former UPN) on their person record; a social care referral's primary need
and the factors identified at its assessment, recorded by the receiving team. The reason for closure is chosen
when the referral is closed (services.referrals.commands.close).

Each value is a DfE code (domain/cin_census.py). The personal ones are sealed like every other personal field;
the audit trail names the fields changed, never their values.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain import cin_census as census
from coordination.domain import sen2
from coordination.domain.actors import Actor
from coordination.domain.identifiers import clean_upn, upn_is_valid
from coordination.domain.permissions import Action
from coordination.errors import FieldErrors, Invalid
from coordination.models import Person, Referral

from .people import person_for, stale
from .referrals.access import receiving_referral, visible_referral

CHILD_FIELDS = ("sex", "ethnicity", "disabilities", "upn_unknown", "former_upn", "uln")


@dataclass(frozen=True)
class ChildCensusView:
    person_id: uuid.UUID
    la_child_id: str
    sex: str | None
    ethnicity: str | None
    disabilities: tuple[str, ...]
    upn_unknown: str | None
    former_upn: str | None
    version: int
    uln: str | None = None


@dataclass(frozen=True)
class ReferralCensusView:
    referral_id: uuid.UUID
    primary_need: str | None
    referral_nfa: bool | None
    reason_for_closure: str | None
    assessment_factors: tuple[str, ...]


def child_view(uow: UnitOfWork, person: Person) -> ChildCensusView:
    return ChildCensusView(
        person_id=person.id, la_child_id=person.la_child_id, sex=person.unseal(uow.keys, "sex"),
        ethnicity=person.unseal(uow.keys, "ethnicity"), disabilities=person.unseal_codes(uow.keys, "disabilities"),
        upn_unknown=person.unseal(uow.keys, "upn_unknown"), former_upn=person.unseal(uow.keys, "former_upn"),
        version=person.version or 1, uln=person.unseal(uow.keys, "uln"))


def referral_view(uow: UnitOfWork, referral: Referral) -> ReferralCensusView:
    return ReferralCensusView(
        referral_id=referral.id, primary_need=referral.primary_need, referral_nfa=referral.referral_nfa,
        reason_for_closure=referral.reason_for_closure,
        assessment_factors=referral.unseal_codes(uow.keys, "assessment_factors"))


def get_child_census(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID) -> ChildCensusView:
    """:raise NotFound: no such person, or the actor may not know their family exists."""
    person = person_for(uow, actor, person_id, Action.READ_CASE)
    uow.audit(actor, "read", "person_census", person.id, family_id=person.family_id)
    return child_view(uow, person)


def _one_of(errors: FieldErrors, name: str, value: str | None, allowed: dict[str, str], what: str) -> str | None:
    value = (value or "").strip().upper() or None
    if value is not None and value not in allowed:
        errors.add(name, f"Choose {what} from the list")
    return value


def update_child_census(uow: UnitOfWork, actor: Actor, person_id: uuid.UUID, *, sex: str | None = None,
                        ethnicity: str | None = None, disabilities: list[str] | tuple[str, ...] = (),
                        upn_unknown: str | None = None, former_upn: str | None = None, uln: str | None = None,
                        expected_version: int | None = None) -> ChildCensusView:
    """Replace a child's census details (a blank field clears it).

    :raise NotFound / NotPermitted: as `people.person_for`.  :raise Conflict: stale `expected_version`.
    :raise Invalid: every problem, by field (codes from the DfE's lists; NONE alone; a UPN unknown reason only
        when no UPN is recorded; a former UPN that is a UPN).
    """
    person = person_for(uow, actor, person_id, Action.WRITE_CASE, for_update=True)
    errors = FieldErrors()
    if person.role != "child":
        errors.add("_schema", "Census details are recorded for children only")
    values: dict[str, str | None] = {
        "sex": _one_of(errors, "sex", sex, census.SEX, "the child's sex"),
        "ethnicity": _one_of(errors, "ethnicity", ethnicity, census.ETHNICITY, "the child's ethnicity"),
        "upn_unknown": _one_of(errors, "upn_unknown", upn_unknown, census.UPN_UNKNOWN, "why there is no UPN"),
    }
    codes = tuple(dict.fromkeys(c.strip().upper() for c in disabilities if c and c.strip()))
    if any(c not in census.DISABILITY for c in codes):
        errors.add("disabilities", "Choose the child's disabilities from the list")
    elif "NONE" in codes and len(codes) > 1:
        errors.add("disabilities", "Choose 'No disability' on its own, or the child's disabilities")
    values["disabilities"] = ",".join(codes) or None
    former = clean_upn(former_upn or "") or None
    if former and not upn_is_valid(former):
        errors.add("former_upn", "Enter a former UPN in the right format, like H801200001001")
    values["former_upn"] = former
    values["uln"] = "".join((uln or "").split()) or None
    errors.add("uln", sen2.uln_problem(values["uln"]))
    if values["upn_unknown"] and person.upn_ct:
        errors.add("upn_unknown", "Leave this empty: the child's UPN is recorded")
    errors.raise_if_any("Check the census details")  # wrong details are wrong at any version: checked first
    stale(uow, person, expected_version)
    before = child_view(uow, person)
    changed = [name for name in CHILD_FIELDS
               if (",".join(before.disabilities) or None if name == "disabilities" else getattr(before, name))
               != values[name]]
    for name in CHILD_FIELDS:
        person.seal(uow.keys, name, values[name])
    if changed:
        person.version += 1
        person.family.updated_at = uow.now()
    uow.session.flush()
    uow.audit(actor, "update", "person_census", person.id, family_id=person.family_id, fields=changed,
              version=person.version)
    return child_view(uow, person)


def get_referral_census(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID) -> ReferralCensusView:
    """:raise NotFound / NotPermitted: the actor may not see the referral."""
    return referral_view(uow, visible_referral(uow, actor, referral_id))


def update_referral_census(uow: UnitOfWork, actor: Actor, referral_id: uuid.UUID, *,
                           primary_need: str | None = None,
                           assessment_factors: list[str] | tuple[str, ...] = (),
                           reason_for_closure: str | None = None) -> ReferralCensusView:
    """The receiving team records a social care referral's primary need and the factors its assessment found;
    on a closed referral, its reason for closure too (one closed without it, or with the wrong one).

    :raise NotFound / NotPermitted: as `referrals.access.receiving_referral`.
    :raise Invalid: not a social care referral; codes not from the DfE's lists; 21 (no factors) with others; a
        reason for closure on an open referral, or one that does not fit (RC8/RC9 only after an assessment).
    """
    referral = receiving_referral(uow, actor, referral_id)
    errors = FieldErrors()
    if referral.pathway != "social_care":
        raise Invalid("Census details are for referrals to children's social care",
                      {"_schema": ["Only referrals to children's social care are in the CIN census"]})
    need = _one_of(errors, "primary_need", primary_need, census.PRIMARY_NEED, "the primary need")
    factors = tuple(dict.fromkeys(c.strip().upper() for c in assessment_factors if c and c.strip()))
    if any(c not in census.ASSESSMENT_FACTORS for c in factors):
        errors.add("assessment_factors", "Choose the factors from the list")
    elif census.NO_FACTORS in factors and len(factors) > 1:
        errors.add("assessment_factors", "Choose 'No factors identified' on its own, or the factors found")
    reason = (reason_for_closure or "").strip().upper() or None
    if reason is not None and referral.closed_at is None:
        errors.add("reason_for_closure", "The reason for closure is chosen when the referral is closed")
    elif reason is not None:
        stages = [e.kind.removeprefix("entered:") for e in referral.events if e.kind.startswith("entered:")]
        errors.add("reason_for_closure", census.closure_reason_problem(referral.pathway, reason, stages))
    errors.raise_if_any("Check the census details")
    before = referral_view(uow, referral)
    changed = [name for name, old, new in (("primary_need", before.primary_need, need),
                                           ("assessment_factors", before.assessment_factors, factors))
               if old != new]
    if reason is not None and reason != before.reason_for_closure:
        changed.append("reason_for_closure")
        referral.reason_for_closure = reason
    referral.primary_need = need
    referral.seal_codes(uow.keys, "assessment_factors", factors)
    uow.session.flush()
    uow.audit(actor, "update", "referral_census", referral.id, family_id=referral.family_id, fields=changed)
    return referral_view(uow, referral)

