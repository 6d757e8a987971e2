"""Safeguarding disclosures: sharing without consent where a child is at risk of harm (golden rule 3).

Only a manager (Action.DISCLOSE_WITHOUT_CONSENT) of the agency holding the case may record one; a
practitioner is refused (NotPermitted) and another agency's family is absent (NotFound). Each names one
recipient agency, the sections, a lawful basis from docs/domain.md's list (domain.consent.LAWFUL_BASES: the
Art 6 basis, with Art 9(2)(g) + DPA 2018 Sch 1 para 18 for special category sections), a justification
and an expiry: after today and at most 90 days ahead, so every disclosure is reviewed; renewing it is
a new decision. The disclosure engine applies it whatever the consents say.

Audit: creating, withholding and revoking are audit events naming the disclosure and its lawful basis.
The free text (justification, reasons) is stored encrypted on the disclosure, not in the audit trail,
which holds no sensitive content; the event points at the record that holds it.

The family's access log shows a disclosure (and the reads made under it) unless a manager records that
telling the family would increase risk (`withhold_from_family`, itself audited with who and when).
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.consent import (
    LAWFUL_BASES,
    MAX_DISCLOSURE_DAYS,
    DisclosureState,
    LawfulBasis,
    disclosure_state,
    england_date,
)
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import Disclosure, DisclosureSection, Family
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import consent as repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo

MAX_TEXT_CHARS = 5_000


@dataclass
class DisclosureView:
    id: uuid.UUID
    family_id: uuid.UUID
    family_reference: str
    agency_id: uuid.UUID
    agency_name: str
    sections: list[str]
    lawful_basis: str
    lawful_basis_text: str
    justification: str
    decided_by_id: uuid.UUID
    decided_by_name: str
    decided_at: dt.datetime
    expires_on: dt.date
    state: str
    withheld_from_family: bool
    withheld_reason: str | None = None
    withheld_by_id: uuid.UUID | None = None
    withheld_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    revoked_by_id: uuid.UUID | None = None
    revocation_reason: str | None = None


def lawful_basis_text(basis: str) -> str:
    text = LAWFUL_BASES.get(LawfulBasis(basis)) if basis in {b.value for b in LawfulBasis} else None
    return f"{text.article} {text.label.lower()}; {text.special_category}" if text else basis


def authority_of(row: Disclosure) -> dict:
    return {"kind": "disclosure", "id": str(row.id), "lawful_basis": row.lawful_basis}


def _manager_family(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> Family:
    family = families_repo.get_for(uow.session, actor, family_id)
    if family is None:
        raise NotFound("Family not found")
    if not may(actor, Action.DISCLOSE_WITHOUT_CONSENT):
        raise NotPermitted("Only a manager can share information without consent")
    return family


def _text(value: str | None, field: str, message: str, errors: dict[str, list[str]]) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    elif len(value) > MAX_TEXT_CHARS:
        errors.setdefault(field, []).append(f"Enter {MAX_TEXT_CHARS:,} characters or fewer")
    return value


def _reason(value: str | None, message: str) -> str:
    """A change's one required reason, stripped. :raise Invalid: blank or too long (field "reason")."""
    errors: dict[str, list[str]] = {}
    text = _text(value, "reason", message, errors)
    if errors:
        raise Invalid("Enter a reason", errors)
    return text


def record_disclosure(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, agency_id: uuid.UUID,
                      sections: Iterable[str], lawful_basis: str, justification: str, expires_on: dt.date | None,
                      withhold_reason: str | None = None) -> DisclosureView:
    """Record a manager's decision to share sections with one agency without consent.

    :raise NotFound: the family is not one the actor may see.
    :raise NotPermitted: the actor is not a manager.
    :raise Invalid: field map in `errors`.
    """
    family = _manager_family(uow, actor, family_id)
    today = england_date(uow.now())
    errors: dict[str, list[str]] = {}
    wanted = uuid_or_none(agency_id)
    agency = users_repo.agencies_by_id(uow.session, [wanted]).get(wanted) if wanted else None
    if agency is None:
        errors["agency_id"] = ["Choose the agency the information is shared with"]
    elif agency.id == family.owning_agency_id:
        errors["agency_id"] = ["Choose an agency other than the one holding the case"]
    keys = list(dict.fromkeys(sections or []))
    if not keys:
        errors["sections"] = ["Choose at least one section"]
    elif set(keys) - {d.key for d in assessment_repo.list_definitions(uow.session)}:
        errors["sections"] = ["Choose sections of the assessment"]
    if lawful_basis not in {b.value for b in LawfulBasis}:
        errors["lawful_basis"] = ["Choose the lawful basis for sharing without consent"]
    text = _text(justification, "justification", "Explain why the information must be shared without consent",
                 errors)
    if expires_on is None:
        errors["expires_on"] = ["Enter when this sharing ends"]
    elif expires_on <= today:
        errors["expires_on"] = ["The end date must be in the future"]
    elif expires_on > today + dt.timedelta(days=MAX_DISCLOSURE_DAYS):
        errors["expires_on"] = [f"The end date must be within {MAX_DISCLOSURE_DAYS} days; renew it if still needed"]
    if withhold_reason is not None:
        _text(withhold_reason, "withhold_reason", "Explain why telling the family would increase risk", errors)
    if errors:
        raise Invalid("Check the disclosure details", errors)
    assert agency is not None and expires_on is not None
    row = Disclosure(family_id=family.id, agency_id=agency.id, lawful_basis=lawful_basis,
                     decided_by_id=actor.user_id, decided_at=uow.now(), created_at=uow.now(), expires_on=expires_on,
                     withheld_from_family=False)
    row.seal(uow.keys, "justification", text)
    row.sections = [DisclosureSection(section_key=k) for k in keys]
    repo.add(uow.session, row)
    uow.audit(actor, "create", "disclosure", row.id, family_id=family.id, sections=keys, authority=authority_of(row),
              recipient_agency_id=str(agency.id), expires_on=expires_on.isoformat(),
              lawful_basis_text=lawful_basis_text(lawful_basis))
    if withhold_reason is not None:
        _withhold(uow, actor, row, withhold_reason.strip())
    return disclosure_views(uow, [row])[0]


def _withhold(uow: UnitOfWork, actor: Actor, row: Disclosure, reason: str) -> None:
    row.withheld_from_family = True
    row.withheld_at = uow.now()
    row.withheld_by_id = actor.user_id
    row.seal(uow.keys, "withheld_reason", reason)
    uow.session.flush()
    uow.audit(actor, "update", "disclosure", row.id, family_id=row.family_id, authority=authority_of(row),
              withheld_from_family=True)


def _manager_disclosure(uow: UnitOfWork, actor: Actor, disclosure_id: uuid.UUID) -> Disclosure:
    row = repo.get_disclosure_for(uow.session, actor, disclosure_id, for_update=True)
    if row is None:
        raise NotFound("Disclosure not found")
    if not may(actor, Action.DISCLOSE_WITHOUT_CONSENT):
        raise NotPermitted("Only a manager can change a disclosure")
    return row


def withhold_from_family(uow: UnitOfWork, actor: Actor, disclosure_id: uuid.UUID, reason: str) -> DisclosureView:
    """Record that telling the family about this disclosure would increase risk: the family's access log
    leaves it out. Audited (who, when); the reason is kept encrypted on the disclosure.

    :raise Conflict: already withheld.
    """
    row = _manager_disclosure(uow, actor, disclosure_id)
    text = _reason(reason, "Explain why telling the family would increase risk")
    if row.withheld_from_family:
        raise Conflict("This disclosure is already withheld from the family")
    _withhold(uow, actor, row, text)
    return disclosure_views(uow, [row])[0]


def revoke_disclosure(uow: UnitOfWork, actor: Actor, disclosure_id: uuid.UUID, reason: str) -> DisclosureView:
    """End a disclosure before its expiry; effective for the very next read.

    :raise Conflict: already revoked.
    """
    row = _manager_disclosure(uow, actor, disclosure_id)
    text = _reason(reason, "Explain why the sharing is ending")
    if row.revoked_at is not None:
        raise Conflict("This disclosure has already been revoked")
    row.revoked_at = uow.now()
    row.revoked_by_id = actor.user_id
    row.seal(uow.keys, "revocation_reason", text)
    uow.session.flush()
    uow.audit(actor, "revoke", "disclosure", row.id, family_id=row.family_id,
              sections=[s.section_key for s in row.sections], authority=authority_of(row))
    return disclosure_views(uow, [row])[0]


def disclosure_views(uow: UnitOfWork, rows: list[Disclosure]) -> list[DisclosureView]:
    today = england_date(uow.now())
    agencies = users_repo.agencies_by_id(uow.session, {r.agency_id for r in rows})
    users = users_repo.users_by_id(uow.session, {r.decided_by_id for r in rows})
    references = families_repo.references_of(uow.session, {r.family_id for r in rows})
    return [DisclosureView(
        id=r.id, family_id=r.family_id, family_reference=references.get(r.family_id, ""), agency_id=r.agency_id,
        agency_name=agencies[r.agency_id].name if r.agency_id in agencies else "Unknown agency",
        sections=sorted(s.section_key for s in r.sections), lawful_basis=r.lawful_basis,
        lawful_basis_text=lawful_basis_text(r.lawful_basis), justification=r.unseal(uow.keys, "justification") or "",
        decided_by_id=r.decided_by_id,
        decided_by_name=users[r.decided_by_id].name if r.decided_by_id in users else "",
        decided_at=r.decided_at, expires_on=r.expires_on,
        state=disclosure_state(r.expires_on, r.revoked_at is not None, today).value,
        withheld_from_family=r.withheld_from_family, withheld_reason=r.unseal(uow.keys, "withheld_reason"),
        withheld_by_id=r.withheld_by_id, withheld_at=r.withheld_at, revoked_at=r.revoked_at,
        revoked_by_id=r.revoked_by_id, revocation_reason=r.unseal(uow.keys, "revocation_reason"),
    ) for r in rows]


def list_family_disclosures(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[DisclosureView]:
    """Every disclosure of one family, newest first, for staff holding the case."""
    family = families_repo.get_for(uow.session, actor, family_id)
    if family is None:
        raise NotFound("Family not found")
    if not may(actor, Action.READ_CASE):
        raise NotPermitted("You cannot see this family's record")
    views = disclosure_views(uow, repo.list_disclosures(uow.session, [family.id]))
    uow.audit(actor, "read", "disclosure", None, family_id=family.id, authority={"kind": "case_holder"},
              disclosures=len(views))
    return views


def list_disclosures_for_oversight(uow: UnitOfWork, actor: Actor, *,
                                   state: DisclosureState | None = None) -> list[DisclosureView]:
    """The manager oversight page: every disclosure of the families the manager's agency holds.

    :raise NotPermitted: not a manager.
    """
    if not may(actor, Action.DISCLOSE_WITHOUT_CONSENT):
        raise NotPermitted("Only managers oversee disclosures without consent")
    views = disclosure_views(uow, repo.list_disclosures(uow.session, actor=actor))
    if state is not None:
        views = [v for v in views if v.state == state]
    uow.audit(actor, "read", "disclosure_oversight", None, disclosures=len(views))
    return views
