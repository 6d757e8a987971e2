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
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.consent import (
    COMPETENCE_UNDER_12,
    YOUNG_PERSON_CAPACITIES,
    Capacity,
    ConsentState,
    Decision,
    competence_warning,
    consent_state,
    england_date,
    review_on,
)
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import Consent, ConsentRecipient, ConsentSection, Family
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import consent as repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services.families import family_for, person_view
from coordination.services.sharing import consent_checks as checks
from coordination.services.sharing import disclosure
from coordination.services.sharing.consent_checks import as_uuid

MAX_PURPOSE_CHARS = 2_000
MAX_REASON_CHARS = 2_000


@dataclass
class RecipientView:
    kind: str                       # agency | agency_type
    value: str                      # agency id or agency type
    label: str


@dataclass(frozen=True)
class WarningView:
    code: str
    message: str


@dataclass
class ConsentView:
    id: uuid.UUID
    family_id: uuid.UUID
    given_by_person_id: uuid.UUID
    given_by_name: str
    capacity: str
    decision: str
    about_person_id: uuid.UUID | None
    purpose: str
    method: str | None
    valid_from: dt.date
    expires_on: dt.date
    review_on: dt.date
    recorded_by_id: uuid.UUID | None
    recorded_at: dt.datetime
    competence_assessed_by_id: uuid.UUID | None
    competence_assessed_on: dt.date | None
    sections: list[str]
    recipients: list[RecipientView]
    state: str
    review_due: bool
    supersedes_id: uuid.UUID | None = None
    withdrawn_at: dt.datetime | None = None
    withdrawn_by_id: uuid.UUID | None = None
    withdrawal_reason: str | None = None
    withdrawn_by_person_id: uuid.UUID | None = None  # a family member, in their own view
    extended_reason: str | None = None
    # What to check about a decision just recorded (never a reason to refuse it): only record_consent fills it.
    warnings: list[WarningView] = field(default_factory=list)


@dataclass
class ConflictView:
    """A parent and a young person decided differently about a section for overlapping recipients."""

    section_key: str
    recipients: list[str]
    parent_consent_id: uuid.UUID
    parent_decision: str
    young_person_consent_id: uuid.UUID
    young_person_decision: str
    young_person_id: uuid.UUID | None
    governs: str = "young_person"


@dataclass
class ConsentList:
    family_id: uuid.UUID
    consents: list[ConsentView]
    conflicts: list[ConflictView] = field(default_factory=list)


@dataclass
class MatrixCell:
    shared: bool
    authorities: list[disclosure.Authority]


@dataclass
class ConsentMatrix:
    """Sections (rows) × recipients named by live consents or disclosures (columns): shared or not now."""

    sections: list[tuple[str, str]]            # (key, title)
    columns: list[RecipientView]
    cells: dict[tuple[str, str], MatrixCell]   # (section key, column value) → cell


def _family(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, action: Action) -> Family:
    return family_for(uow, actor, family_id, action, "You cannot record consent for this family")


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
    family = _family(uow, actor, family_id, Action.WRITE_CASE)
    today = england_date(uow.now())
    errors: dict[str, list[str]] = {}

    def err(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    giver = checks.giver(family, given_by, capacity, decision, method, err)
    assessor = as_uuid(competence_assessed_by) if competence_assessed_by else None
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
    view = _view(uow, row, family, today)
    warning = competence_warning(cap, person_view(uow.keys, giver).date_of_birth, today)
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
    family = _family(uow, actor, row.family_id, Action.WRITE_CASE)
    if not (reason or "").strip():
        raise Invalid("Enter a reason", {"reason": ["Enter why consent was withdrawn"]})
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid("Too long", {"reason": [f"Enter {MAX_REASON_CHARS:,} characters or fewer"]})
    if row.withdrawn_at is not None:
        raise Conflict("This consent has already been withdrawn")
    _withdraw(uow, actor, row, reason.strip())
    return _view(uow, row, family, england_date(uow.now()))


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
    return _view(uow, row, family, england_date(uow.now()))


def list_own_consents(uow: UnitOfWork, actor: Actor) -> list[ConsentView]:
    """The consents of a family member's own family (oldest first), for their own view. Audited, channel family.

    :raise NotFound: not a family member.
    """
    family = families_repo.get_for(uow.session, actor, actor.family_id) if actor.is_family and actor.family_id \
        else None
    if family is None:
        raise NotFound("Family not found")
    today = england_date(uow.now())
    rows = repo.list_consents(uow.session, family.id)
    labels = _recipient_views(uow, rows)
    views = [_view(uow, r, family, today, labels) for r in rows]
    uow.audit(actor, "read", "consent", None, family_id=family.id, authority={"kind": "family", "channel": "family"},
              consents=len(views))
    return views


def _recipient_views(uow: UnitOfWork, rows: Iterable[Consent]) -> dict[uuid.UUID, RecipientView]:
    ids = {r.agency_id for c in rows for r in c.recipients if r.agency_id}
    agencies = users_repo.agencies_by_id(uow.session, ids)
    return {a.id: RecipientView("agency", str(a.id), a.name) for a in agencies.values()}


def _view(uow: UnitOfWork, row: Consent, family: Family, today: dt.date,
          agencies: dict[uuid.UUID, RecipientView] | None = None) -> ConsentView:
    agencies = agencies if agencies is not None else _recipient_views(uow, [row])
    people = {p.id: p for p in family.people}
    giver = people.get(row.given_by_person_id)
    state = consent_state(row.valid_from, row.expires_on, row.withdrawn_at is not None, today)
    recipients = [agencies.get(r.agency_id) or RecipientView("agency", str(r.agency_id), "Unknown agency")
                  for r in row.recipients if r.agency_id]
    recipients += [RecipientView("agency_type", r.agency_type, r.agency_type.replace("_", " "))
                   for r in row.recipients if r.agency_type]
    return ConsentView(
        id=row.id, family_id=row.family_id, given_by_person_id=row.given_by_person_id,
        given_by_name=person_view(uow.keys, giver).full_name if giver else "",
        capacity=row.capacity, decision=row.decision, about_person_id=row.about_person_id,
        purpose=row.unseal(uow.keys, "purpose") or "", method=row.method, valid_from=row.valid_from,
        expires_on=row.expires_on, review_on=row.review_on, recorded_by_id=row.recorded_by_id,
        recorded_at=row.recorded_at, competence_assessed_by_id=row.competence_assessed_by_id,
        competence_assessed_on=row.competence_assessed_on, sections=sorted(s.section_key for s in row.sections),
        recipients=recipients, state=state.value,
        review_due=state == ConsentState.LIVE and today >= row.review_on, supersedes_id=row.supersedes_id,
        withdrawn_at=row.withdrawn_at, withdrawn_by_id=row.withdrawn_by_id,
        withdrawn_by_person_id=row.withdrawn_by_person_id,
        withdrawal_reason=row.unseal(uow.keys, "withdrawal_reason"),
        extended_reason=row.unseal(uow.keys, "extended_reason"),
    )


def _overlap(a: Consent, b: Consent, agency_types: dict[uuid.UUID, str],
             labels: dict[uuid.UUID, RecipientView]) -> list[str]:
    """Labels of the recipients both consents cover (same agency, same type, or an agency of the type)."""
    a_ids = {r.agency_id for r in a.recipients if r.agency_id}
    b_ids = {r.agency_id for r in b.recipients if r.agency_id}
    a_types = {r.agency_type for r in a.recipients if r.agency_type}
    b_types = {r.agency_type for r in b.recipients if r.agency_type}
    agencies = (a_ids & b_ids) | {i for i in a_ids if agency_types.get(i) in b_types} | {
        i for i in b_ids if agency_types.get(i) in a_types}
    out = sorted(labels[i].label if i in labels else str(i) for i in agencies)
    return out + sorted(t.replace("_", " ") for t in a_types & b_types)


def _conflicts(live: list[Consent], agency_types: dict[uuid.UUID, str],
               labels: dict[uuid.UUID, RecipientView]) -> list[ConflictView]:
    parents = [c for c in live if c.capacity == Capacity.PARENT_WITH_PR]
    young = [c for c in live if c.capacity in YOUNG_PERSON_CAPACITIES]
    found = []
    for p in parents:
        for y in young:
            if p.decision == y.decision:
                continue
            shared = {s.section_key for s in p.sections} & {s.section_key for s in y.sections}
            recipients = _overlap(p, y, agency_types, labels) if shared else []
            for key in sorted(shared) if recipients else []:
                found.append(ConflictView(key, recipients, p.id, p.decision, y.id, y.decision, y.about_person_id))
    return found


def list_consents(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> ConsentList:
    """Every consent of the family (oldest first) with its state, and the parent/young person conflicts."""
    family = _family(uow, actor, family_id, Action.READ_CASE)
    today = england_date(uow.now())
    rows = repo.list_consents(uow.session, family.id)
    labels = _recipient_views(uow, rows)
    agency_types = {a.id: a.type for a in users_repo.agencies_by_id(
        uow.session, {r.agency_id for c in rows for r in c.recipients if r.agency_id}).values()}
    views = [_view(uow, r, family, today, labels) for r in rows]
    live = [r for r, v in zip(rows, views, strict=True) if v.state == ConsentState.LIVE]
    uow.audit(actor, "read", "consent", None, family_id=family.id, authority={"kind": "case_holder"},
              consents=len(views))
    return ConsentList(family.id, views, _conflicts(live, agency_types, labels))


def due_for_review(uow: UnitOfWork, actor: Actor) -> list[ConsentView]:
    """The review reminder: live consents of the actor's agency's families within 4 weeks of expiry."""
    if not may(actor, Action.READ_CASE):
        raise NotPermitted("You cannot see consents")
    today = england_date(uow.now())
    rows = repo.list_due_for_review(uow.session, actor, today)
    families = {f: families_repo.get_for(uow.session, actor, f) for f in {r.family_id for r in rows}}
    labels = _recipient_views(uow, rows)
    return [_view(uow, r, family, today, labels) for r in rows if (family := families[r.family_id]) is not None]


def consent_matrix(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> ConsentMatrix:
    """What each recipient named in a live consent or disclosure may see now, section by section.

    Each column is answered by the disclosure engine itself, so the grid cannot disagree with what is
    actually shared (for an agency column, consents to its type count too).
    """
    family = _family(uow, actor, family_id, Action.READ_CASE)
    now = uow.now()
    today = england_date(now)
    rows = [r for r in repo.list_consents(uow.session, family.id)
            if consent_state(r.valid_from, r.expires_on, r.withdrawn_at is not None, today) == ConsentState.LIVE]
    agency_ids = {r.agency_id for c in rows for r in c.recipients if r.agency_id}
    agency_ids |= {d.agency_id for d in repo.list_disclosures(uow.session, [family.id])
                   if d.revoked_at is None and d.expires_on > today}
    agencies = users_repo.agencies_by_id(uow.session, agency_ids)
    types = sorted({r.agency_type for c in rows for r in c.recipients if r.agency_type})
    columns = [RecipientView("agency", str(a.id), a.name) for a in sorted(agencies.values(), key=lambda a: a.name)]
    columns += [RecipientView("agency_type", t, t.replace("_", " ")) for t in types]
    cells: dict[tuple[str, str], MatrixCell] = {}
    definitions = assessment_repo.list_definitions(uow.session)
    for column in columns:
        if column.kind == "agency":
            agency = agencies[uuid.UUID(column.value)]
            who = disclosure.Recipient(agency.id, agency.type)
        else:
            who = disclosure.Recipient(None, column.value)
        permitted = disclosure.permitted_sections(uow.session, who, family.id, now)
        for d in definitions:
            auths = permitted.get(d.key, ())
            cells[(d.key, column.value)] = MatrixCell(bool(auths), list(auths))
    return ConsentMatrix([(d.key, d.title) for d in definitions], columns, cells)
