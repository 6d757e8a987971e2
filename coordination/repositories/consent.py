"""Consents and disclosures: the disclosure engine's query, and reads scoped to the family's holder.

`permitted_rows` is the one place the rule "which sections may this recipient see of this family today,
and under which authority" becomes SQL; `services.sharing.disclosure` is its only caller. Everything else here
reads through `families.visible(actor)`, so a consent or disclosure of another agency's family is absent.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from functools import cache
from typing import TypeVar

from sqlalchemy import (
    Date,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    exists,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

import audit
from coordination.domain.actors import Actor
from coordination.domain.consent import YOUNG_PERSON_CAPACITIES, Capacity, Decision
from coordination.models import (
    ApiKey,
    Assessment,
    AssessmentSection,
    Consent,
    ConsentRecipient,
    ConsentSection,
    Disclosure,
    DisclosureSection,
    Family,
    SectionDefinition,
    SectionVersion,
)

from . import families

PARENT, YOUNG = "parent", "young"



def permitted_rows(session: Session, family_id: uuid.UUID, agency_id: uuid.UUID | None, agency_type: str | None,
                   today: dt.date):
    """Rows (section_key, kind 'consent'|'disclosure', authority_id, lawful_basis) that let a recipient
    (an agency, or an agency type) see sections of one family on `today`. One statement:

      covering  = live consents of the family (not withdrawn, valid_from <= today < expires_on) with a
                  recipient row naming the agency or its type, one row per section, with its level
                  (parent | young) and decision
      consent   = covering permits for which no refusal at the same level covers the same section, and,
                  for a parent's permit, no young person's decision (permit or refuse) covers it
      UNION ALL
      disclosure = live safeguarding disclosures of the family to this agency (not revoked,
                  today < expires_on), one row per section

    A missing agency id or type is bound as NULL and compared with `=`, which is never true (it is not
    `IS NULL`, which would match every recipient row of the other kind).
    """
    return session.execute(_permitted_statement(), _engine_params(family_id, agency_id, agency_type, today)).all()


def _engine_params(family_id: uuid.UUID, agency_id: uuid.UUID | None, agency_type: str | None, today: dt.date) -> dict:
    """The engine's four bound values (the rest of its words are written into the SQL: `_constant`)."""
    return {"family_id": family_id, "agency_id": agency_id,
            "agency_type": str(agency_type) if agency_type is not None else None, "today": today}


def _constant(value: str):
    """One of the engine's own fixed words (a level, a decision, a capacity) written into the SQL, not bound: the
    statement then has only the four parameters that change (family, agency, type, day), so nothing is expanded or
    sent for the rest on every read. Only plain lower-case words, so nothing can be quoted in."""
    if not value.replace("_", "").isalpha() or not value.islower():
        raise ValueError(f"not an engine constant: {value!r}")
    return literal_column(f"'{value}'", String)


@cache
def _permitted_statement():
    """Built once, with bound parameters: the statement is compiled once and cached by SQLAlchemy."""
    family_id, agency_id = bindparam("family_id", type_=Uuid), bindparam("agency_id", type_=Uuid)
    agency_type, today = bindparam("agency_type", type_=String), bindparam("today", type_=Date)
    level = case(
        (Consent.capacity == _constant(Capacity.PARENT_WITH_PR.value), _constant(PARENT)),
        (Consent.capacity.in_([_constant(c.value) for c in YOUNG_PERSON_CAPACITIES]), _constant(YOUNG)),
        else_=_constant("unknown"),
    )
    covering = (
        select(ConsentSection.section_key.label("section_key"), Consent.id.label("consent_id"),
               level.label("level"), Consent.decision.label("decision"))
        .join(ConsentSection, ConsentSection.consent_id == Consent.id)
        .where(Consent.family_id == family_id, Consent.withdrawn_at.is_(None),
               Consent.valid_from <= today, Consent.expires_on > today,
               exists().where(ConsentRecipient.consent_id == Consent.id,
                              or_(ConsentRecipient.agency_id == agency_id,
                                  ConsentRecipient.agency_type == agency_type)))
        .cte("covering")
    )
    c, refusal, young = covering.alias("c"), covering.alias("refusal"), covering.alias("young")
    permit = _constant(Decision.PERMIT.value)
    by_consent = select(
        c.c.section_key, _constant("consent").label("kind"), c.c.consent_id.label("authority_id"),
        cast(null(), String(30)).label("lawful_basis"),
    ).where(
        c.c.decision == permit,
        c.c.level.in_([_constant(PARENT), _constant(YOUNG)]),
        # Anything but a permit counts as a refusal: an unknown value must never share.
        ~exists().where(refusal.c.section_key == c.c.section_key, refusal.c.level == c.c.level,
                        refusal.c.decision != permit),
        or_(c.c.level == _constant(YOUNG),
            ~exists().where(young.c.section_key == c.c.section_key, young.c.level == _constant(YOUNG))),
    )
    by_disclosure = (
        select(DisclosureSection.section_key, _constant("disclosure").label("kind"),
               Disclosure.id.label("authority_id"), Disclosure.lawful_basis)
        .join(DisclosureSection, DisclosureSection.disclosure_id == Disclosure.id)
        .where(Disclosure.family_id == family_id, Disclosure.agency_id == agency_id,
               Disclosure.revoked_at.is_(None), Disclosure.expires_on > today)
    )
    return union_all(by_consent, by_disclosure)


def disclosed_rows(session: Session, family_id: uuid.UUID, agency_id: uuid.UUID | None, agency_type: str | None,
                   today: dt.date):
    """`permitted_rows`, each with the family's assessment (id, status) and the permitted section's columns
    (`SECTION_COLUMNS`: the section, its definition and its newest version): the engine's question and the read
    of exactly the sections it allows, in one statement (one round trip instead of three on the partner read).
    Columns, not ORM objects: the read only shows them, and building three objects a section was a fifth of the
    partner read's CPU.

    A permitted key without a section row still comes back (section columns None), so the authority
    recorded is the same as `permitted_rows` gives; no assessment: assessment_id is None.
    """
    params = _engine_params(family_id, agency_id, agency_type, today)
    # Run on the session's connection, as Core: the rows are only shown, so the ORM's result machinery is not needed
    # (a quarter of this call's Python). That skips the session's autoflush, so flush as it would have.
    session.flush()
    return session.connection().execute(_disclosed_statement(), params).all()


# What showing a section needs, labelled as `services.assessment.section_view_of` reads them.
SECTION_COLUMNS = (
    AssessmentSection.id.label("section_id"), AssessmentSection.key.label("key"),
    AssessmentSection.version.label("version"), AssessmentSection.updated_at.label("updated_at"),
    AssessmentSection.updated_by_id.label("updated_by_id"),
    AssessmentSection.updated_by_agency_id.label("updated_by_agency_id"),
    SectionDefinition.title.label("title"), SectionDefinition.hint.label("hint"),
    SectionDefinition.sensitivity.label("sensitivity"), SectionDefinition.position.label("position"),
    SectionVersion.id.label("version_id"), SectionVersion.content_ct.label("content_ct"),
    SectionVersion.source.label("source"),
)


@cache
def _disclosed_statement():
    permitted = _permitted_statement().subquery("permitted")
    family_id = bindparam("family_id", type_=Uuid)
    return (
        select(permitted.c.section_key, permitted.c.kind, permitted.c.authority_id, permitted.c.lawful_basis,
               Assessment.id.label("assessment_id"), Assessment.status.label("assessment_status"),
               *SECTION_COLUMNS)
        .select_from(permitted)
        # The family's one assessment (at most one row: unique on family_id), beside every permitted key.
        .outerjoin(Assessment, Assessment.family_id == family_id)
        .outerjoin(AssessmentSection, and_(AssessmentSection.assessment_id == Assessment.id,
                                           AssessmentSection.key == permitted.c.section_key))
        .outerjoin(SectionDefinition, SectionDefinition.key == AssessmentSection.key)
        .outerjoin(SectionVersion, and_(SectionVersion.section_id == AssessmentSection.id,
                                        SectionVersion.version == AssessmentSection.version))
    )


def _visible_family_ids(actor: Actor):
    return families.visible(actor).with_only_columns(Family.id)


def add(session: Session, row: Consent | Disclosure) -> None:
    session.add(row)
    session.flush()


def get_consent_for(session: Session, actor: Actor, consent_id: uuid.UUID, for_update: bool = False) -> Consent | None:
    query = select(Consent).where(Consent.id == consent_id, Consent.family_id.in_(_visible_family_ids(actor)))
    if for_update:
        query = query.with_for_update(of=Consent)
    return session.execute(query).scalar_one_or_none()


def list_consents(session: Session, family_id: uuid.UUID) -> list[Consent]:
    """Callers must already hold a family the actor may see (families.get_for)."""
    return list(session.execute(
        select(Consent).where(Consent.family_id == family_id).order_by(Consent.recorded_at, Consent.id)
    ).scalars())


def list_due_for_review(session: Session, actor: Actor, today: dt.date) -> list[Consent]:
    """Live consents of the families the actor may see whose review date has come (soonest expiry first)."""
    return list(session.execute(
        select(Consent).where(Consent.family_id.in_(_visible_family_ids(actor)), Consent.withdrawn_at.is_(None),
                              Consent.review_on <= today, Consent.valid_from <= today, Consent.expires_on > today)
        .order_by(Consent.expires_on, Consent.id)
    ).scalars())


def get_disclosure_for(session: Session, actor: Actor, disclosure_id: uuid.UUID,
                       for_update: bool = False) -> Disclosure | None:
    query = select(Disclosure).where(Disclosure.id == disclosure_id,
                                     Disclosure.family_id.in_(_visible_family_ids(actor)))
    if for_update:
        query = query.with_for_update(of=Disclosure)
    return session.execute(query).scalar_one_or_none()


def list_disclosures(session: Session, family_ids: Iterable[uuid.UUID] | None = None, *,
                     actor: Actor | None = None) -> list[Disclosure]:
    """Disclosures of the given families, or (with `actor`) of every family the actor may see."""
    query = select(Disclosure).order_by(Disclosure.decided_at.desc(), Disclosure.id)
    if actor is not None:
        query = query.where(Disclosure.family_id.in_(_visible_family_ids(actor)))
    if family_ids is not None:
        query = query.where(Disclosure.family_id.in_(list(family_ids)))
    return list(session.execute(query).scalars())


def api_keys_by_id(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ApiKey]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {k.id: k for k in session.execute(select(ApiKey).where(ApiKey.id.in_(ids))).scalars()}


AuditRow = TypeVar("AuditRow", audit.AuditEvent, audit.AuditPending)


def _disclosed(session: Session, table: type[AuditRow], family_id: uuid.UUID, order: InstrumentedAttribute[int]
               ) -> list[AuditRow]:
    """The family's disclosure events in one audit table (`table`: chained or pending), newest (`order`) first."""
    return list(session.execute(
        select(table)
        .where(and_(table.family_id == str(family_id), table.action == audit.AuditAction.DISCLOSE.value))
        .order_by(order.desc())
    ).scalars())


def disclosure_events(session: Session, family_id: uuid.UUID) -> list[audit.AuditEvent | audit.AuditPending]:
    """Audit events of data leaving the service from this family's record, newest first: the chained ones and
    those committed but still waiting for the sealer (PostgreSQL), so a disclosure shows at once."""
    sealed = _disclosed(session, audit.AuditEvent, family_id, audit.AuditEvent.seq)
    waiting = _disclosed(session, audit.AuditPending, family_id, audit.AuditPending.pos)
    if not waiting:
        return list(sealed)
    return sorted([*waiting, *sealed], key=lambda e: e.occurred_at, reverse=True)
