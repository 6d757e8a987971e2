"""What the family's consents say, for reading: each consent as a view (state, recipients, who gave it), the
conflicts between a parent's and a young person's live decisions, the review reminder, the sharing grid (each
column answered by the disclosure engine itself) and a family member's own list. Recording and withdrawing
are services.sharing.consent.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.consent import YOUNG_PERSON_CAPACITIES, Capacity, ConsentState, consent_state, england_date
from coordination.domain.permissions import Action, may
from coordination.errors import NotFound, NotPermitted
from coordination.models import Consent, Family
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import consent as repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services.families import family_for, person_view
from coordination.services.sharing import disclosure


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


def family_of(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, action: Action) -> Family:
    """The family, if the actor may do `action` on its record (NotFound, NotPermitted otherwise)."""
    return family_for(uow, actor, family_id, action, "You cannot record consent for this family")


def recipient_views(uow: UnitOfWork, rows: Iterable[Consent]) -> dict[uuid.UUID, RecipientView]:
    ids = {r.agency_id for c in rows for r in c.recipients if r.agency_id}
    agencies = users_repo.agencies_by_id(uow.session, ids)
    return {a.id: RecipientView("agency", str(a.id), a.name) for a in agencies.values()}


def consent_view(uow: UnitOfWork, row: Consent, family: Family, today: dt.date,
          agencies: dict[uuid.UUID, RecipientView] | None = None) -> ConsentView:
    agencies = agencies if agencies is not None else recipient_views(uow, [row])
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
    family = family_of(uow, actor, family_id, Action.READ_CASE)
    today = england_date(uow.now())
    rows = repo.list_consents(uow.session, family.id)
    labels = recipient_views(uow, rows)
    agency_types = {a.id: a.type for a in users_repo.agencies_by_id(
        uow.session, {r.agency_id for c in rows for r in c.recipients if r.agency_id}).values()}
    views = [consent_view(uow, r, family, today, labels) for r in rows]
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
    labels = recipient_views(uow, rows)
    return [consent_view(uow, r, family, today, labels) for r in rows if (family := families[r.family_id]) is not None]


def consent_matrix(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> ConsentMatrix:
    """What each recipient named in a live consent or disclosure may see now, section by section.

    Each column is answered by the disclosure engine itself, so the grid cannot disagree with what is
    actually shared (for an agency column, consents to its type count too).
    """
    family = family_of(uow, actor, family_id, Action.READ_CASE)
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
    labels = recipient_views(uow, rows)
    views = [consent_view(uow, r, family, today, labels) for r in rows]
    uow.audit(actor, "read", "consent", None, family_id=family.id, authority={"kind": "family", "channel": "family"},
              consents=len(views))
    return views
