"""Recording and withdrawing consent; the family's consents, their conflicts and the sharing grid.

Staff of the agency holding the case (WRITE_CASE to change, READ_CASE to list) use these; a family of
another agency is absent (NotFound). The rules themselves live in domain.consent; what a recipient may
see is decided only by services.sharing.disclosure.

- `record_consent` validates and stores one decision (permit or refuse). A parent gives it as
  `parent_with_pr` (a person recorded as parent or carer); a child of the family gives it as
  `young_person` when 16 or over on the day it is recorded, or as `competent_child` at any age when who
  assessed their competence (a staff user) and when is recorded. `expires_on` defaults to 12 months
  after `valid_from` (default today); it must be after both `valid_from` and today. `method` is how it
  was given (written, verbal, digital) and may be left unrecorded.
- A consent is never edited. `record_consent(..., supersedes_id=old)` records the new one and withdraws
  the old one in the same transaction; `withdraw_consent` takes effect for the very next read.
- `list_consents` shows every consent with its state and the conflicts between a parent's and a young
  person's live decisions (same section, overlapping recipients, different decisions): the young
  person's decision governs, and staff see both.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.consent import (
    COMPETENCE_UNDER_12,
    YOUNG_PERSON_CAPACITIES,
    Capacity,
    Decision,
    competence_warning,
    england_date,
    review_on,
)
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import Consent, ConsentRecipient, ConsentSection, Family
from coordination.repositories import consent as repo
from coordination.repositories import families as families_repo
from coordination.services.families import person_view
from coordination.services.sharing import consent_checks as checks
from coordination.services.sharing.consent_views import (  # noqa: F401  (the reading side, re-exported for callers)
    ConflictView,
    ConsentList,
    ConsentMatrix,
    ConsentView,
    MatrixCell,
    RecipientView,
    WarningView,
    consent_matrix,
    consent_view,
    due_for_review,
    family_of,
    list_consents,
    list_own_consents,
)

MAX_PURPOSE_CHARS = 2_000
MAX_REASON_CHARS = 2_000


def record_consent(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *, given_by: uuid.UUID, capacity: str,
                   sections: Iterable[str], recipients: Mapping[str, Iterable], purpose: str,
                   expires_on: dt.date | None = None, valid_from: dt.date | None = None,
                   method: str | None = None, decision: str = Decision.PERMIT.value,
                   competence_assessed_by: uuid.UUID | None = None,
                   competence_assessed_on: dt.date | None = None,
                   supersedes_id: uuid.UUID | None = None, supersede_reason: str | None = None,
                   extended_reason: str | None = None) -> ConsentView:
    """Record one consent decision. `recipients` is {"agencies": [id…], "agency_types": [type…]}.

    :raise NotFound: the family (or the consent it supersedes) is not one the actor may see.
    :raise NotPermitted: the actor may not change this family's record.
    :raise Invalid: a rule is broken (field map in `errors`).
    :raise Conflict: the superseded consent was already withdrawn.
    """
    family = family_of(uow, actor, family_id, Action.WRITE_CASE)
    today = england_date(uow.now())
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    giver = checks.giver(family, given_by, capacity, decision, method, err)
    assessor = uuid_or_none(competence_assessed_by) if competence_assessed_by else None
    if giver is not None and capacity in {c.value for c in Capacity}:
        checks.capacity(uow, giver, Capacity(capacity), assessor, competence_assessed_on, today, err)
    keys = checks.sections(uow, sections, capacity, err)
    agency_ids, agency_types = checks.recipients(uow, recipients, err)
    checks.purpose(purpose, MAX_PURPOSE_CHARS, err)
    start, end = checks.period(valid_from, expires_on, today, extended_reason, err)
    old = _superseded(uow, actor, family, supersedes_id) if supersedes_id is not None else None
    if errors:
        raise Invalid("Check the consent details", errors)
    assert giver is not None
    cap = Capacity(capacity)
    row = Consent(
        family_id=family.id, given_by_person_id=giver.id, capacity=cap.value, decision=decision,
        about_person_id=giver.id if cap in YOUNG_PERSON_CAPACITIES else None, method=method,
        valid_from=start, expires_on=end, review_on=max(start, review_on(end)), recorded_by_id=actor.user_id,
        recorded_at=uow.now(), created_at=uow.now(),
        competence_assessed_by_id=assessor if cap == Capacity.COMPETENT_CHILD else None,
        competence_assessed_on=competence_assessed_on if cap == Capacity.COMPETENT_CHILD else None,
        supersedes_id=old.id if old else None,
    )
    row.seal(uow.keys, "purpose", purpose.strip())
    row.seal(uow.keys, "extended_reason", (extended_reason or "").strip() or None)
    row.sections = [ConsentSection(section_key=k) for k in keys]
    row.recipients = ([ConsentRecipient(agency_id=a) for a in agency_ids]
                      + [ConsentRecipient(agency_type=t) for t in agency_types])
    repo.add(uow.session, row)
    uow.audit(actor, "create", "consent", row.id, family_id=family.id, sections=keys,
              given_by=str(giver.id), capacity=cap.value, decision=decision, method=method,
              valid_from=start.isoformat(), expires_on=end.isoformat(),
              recipient_agencies=[str(a) for a in agency_ids], recipient_agency_types=agency_types,
              competence_assessed_by=str(assessor) if row.competence_assessed_by_id else None,
              supersedes=str(old.id) if old else None)
    if old is not None:
        _withdraw(uow, actor, old, supersede_reason or "Replaced by a new consent", replaced_by=row.id)
    return _warned(consent_view(uow, row, family, today), cap, person_view(uow.keys, giver).date_of_birth, today)


def _warned(view: ConsentView, capacity: Capacity, born: dt.date | None, today: dt.date) -> ConsentView:
    warning = competence_warning(capacity, born, today)
    if warning:  # the same words as the web's check page
        view.warnings.append(WarningView(COMPETENCE_UNDER_12, warning))
    return view


def _superseded(uow: UnitOfWork, actor: Actor, family: Family, supersedes_id: uuid.UUID) -> Consent:
    old = repo.get_consent_for(uow.session, actor, supersedes_id, for_update=True)
    if old is None or old.family_id != family.id:
        raise NotFound("Consent not found")
    if old.withdrawn_at is not None:
        raise Conflict("The consent being replaced has already been withdrawn")
    return old


def _withdraw(uow: UnitOfWork, actor: Actor, row: Consent, reason: str, replaced_by: uuid.UUID | None = None) -> None:
    row.withdrawn_at = uow.now()
    row.withdrawn_by_id = actor.user_id
    row.withdrawn_by_person_id = actor.person_id if actor.is_family else None
    row.seal(uow.keys, "withdrawal_reason", reason)
    uow.session.flush()
    uow.audit(actor, "withdraw", "consent", row.id, family_id=row.family_id,
              sections=[s.section_key for s in row.sections],
              replaced_by=str(replaced_by) if replaced_by else None)


def withdraw_consent(uow: UnitOfWork, actor: Actor, consent_id: uuid.UUID, reason: str) -> ConsentView:
    """Withdraw a consent, effective for the very next read (no disclosure uses it once committed).

    :raise NotFound: no such consent for a family the actor may see.
    :raise NotPermitted: the actor may not change this family's record.
    :raise Invalid: no reason given.
    :raise Conflict: already withdrawn.
    """
    row = repo.get_consent_for(uow.session, actor, consent_id, for_update=True)
    if row is None:
        raise NotFound("Consent not found")
    family = family_of(uow, actor, row.family_id, Action.WRITE_CASE)
    if not (reason or "").strip():
        raise Invalid("Enter a reason", {"reason": ["Enter why consent was withdrawn"]})
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid("Too long", {"reason": [f"Enter {MAX_REASON_CHARS:,} characters or fewer"]})
    if row.withdrawn_at is not None:
        raise Conflict("This consent has already been withdrawn")
    _withdraw(uow, actor, row, reason.strip())
    return consent_view(uow, row, family, england_date(uow.now()))


def withdraw_own_consent(uow: UnitOfWork, actor: Actor, consent_id: uuid.UUID, reason: str | None) -> ConsentView:
    """A family member withdraws a consent they gave, in their own view: the same withdrawal as a practitioner
    records (effective for the very next read), recorded as withdrawn by that person.

    :raise NotFound: not a consent of their family, or not one they gave.
    :raise Conflict: already withdrawn.
    """
    if not actor.is_family:
        raise NotPermitted("Only a family member withdraws their own consent here")
    row = repo.get_consent_for(uow.session, actor, consent_id, for_update=True)  # scoped to their own family
    if row is None or row.given_by_person_id != actor.person_id:
        raise NotFound("Consent not found")
    if row.withdrawn_at is not None:
        raise Conflict("This consent has already been withdrawn")
    reason = (reason or "").strip()[:MAX_REASON_CHARS] or "Withdrawn by the family in their own view"
    family = families_repo.get_for(uow.session, actor, row.family_id)
    assert family is not None
    _withdraw(uow, actor, row, reason)
    return consent_view(uow, row, family, england_date(uow.now()))


