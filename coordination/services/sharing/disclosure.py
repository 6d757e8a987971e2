"""THE disclosure engine: which sections may a recipient see of a family now, and under which authority.

Every way a family's record leaves the service goes through this module: the partner API and partner
users in the UI call `disclose_assessment` (through sharing.reading); jobs, exports and notifications call
`send_sections` (or `may_send` to decide whether to send at all) *when they send*, never when they are queued,
so a job queued before a withdrawal or expiry sends nothing afterwards.

- `permitted_sections` asks the database one question (repositories.consent.permitted_rows: live
  consents with the young-person rule, UNION ALL live safeguarding disclosures, filtered by family,
  recipient agency or agency type, and today's England date) and returns {section_key: authorities}.
- `disclose_assessment` reads only those keys (the key filter is in the SQL of the read) and writes one
  audit event, action "disclose", whose authority names the recipient, the channel and, per section,
  the consent(s) and/or disclosure(s) used. Nothing covered → NotFound, exactly as for a family that
  does not exist, so a partner cannot learn that a family is known.
- Consent is checked at the moment of disclosure: there is no cache. A withdrawal committed before a
  read is seen by that read.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.consent import england_date
from coordination.domain.permissions import Scope, key_lacks_scope
from coordination.errors import NotFound, NotPermitted
from coordination.repositories import consent as repo
from coordination.repositories import users as users_repo
from coordination.services import assessment
from coordination.services.views import AssessmentView


@dataclass(frozen=True)
class Recipient:
    """Who the data goes to: an agency (id and type), or every agency of a type (id None)."""

    agency_id: uuid.UUID | None
    agency_type: str | None

    @classmethod
    def of(cls, actor: Actor) -> Recipient:
        return cls(actor.agency_id, str(actor.agency_type) if actor.agency_type else None)


@dataclass(frozen=True)
class Authority:
    kind: str                        # consent | disclosure
    id: uuid.UUID
    lawful_basis: str | None = None  # for a disclosure

    def as_record(self) -> dict:
        record = {"kind": self.kind, "id": str(self.id)}
        if self.lawful_basis:
            record["lawful_basis"] = self.lawful_basis
        return record


Permitted = dict[str, tuple[Authority, ...]]


def permitted_sections(session: Session, who: Actor | Recipient, family_id: uuid.UUID,
                       at: dt.datetime) -> Permitted:
    """{section_key: authorities} the recipient may see of the family at `at` (consents first)."""
    recipient = who if isinstance(who, Recipient) else Recipient.of(who)
    if recipient.agency_id is None and recipient.agency_type is None:
        return {}
    rows = repo.permitted_rows(session, family_id, recipient.agency_id, recipient.agency_type, england_date(at))
    return _permitted_of(rows)


def _permitted_of(rows) -> Permitted:
    """{section_key: authorities, consents first} from rows starting (key, kind, authority_id, lawful_basis)."""
    found: dict[str, set[Authority]] = {}
    for key, kind, authority_id, lawful_basis, *_rest in rows:
        found.setdefault(key, set()).add(Authority(kind, authority_id, lawful_basis))
    return {key: tuple(sorted(auths, key=lambda a: (a.kind != "consent", str(a.id))))
            for key, auths in found.items()}


def authority_record(permitted: Permitted, recipient: Recipient, channel: str) -> dict:
    """The audit event's `authority`: what allowed each section to leave, and to whom."""
    kinds = sorted({a.kind for auths in permitted.values() for a in auths})
    return {
        "kind": kinds[0] if len(kinds) == 1 else "consent_and_disclosure",
        "recipient_agency_id": str(recipient.agency_id) if recipient.agency_id else None,
        "recipient_agency_type": recipient.agency_type,
        "channel": channel,
        "consents": sorted({str(a.id) for auths in permitted.values() for a in auths if a.kind == "consent"}),
        "disclosures": sorted({str(a.id) for auths in permitted.values() for a in auths if a.kind == "disclosure"}),
        "sections": {key: [a.as_record() for a in auths] for key, auths in sorted(permitted.items())},
    }


def _check_principal(actor: Actor) -> None:
    if key_lacks_scope(actor, Scope.READ_ASSESSMENT):
        raise NotPermitted("This key may not read assessments")
    if actor.agency_id is None:
        raise NotFound("Family not found")


def disclose_assessment(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, *,
                        channel: str = "api") -> AssessmentView:
    """The sections of the family's assessment a live consent or disclosure covers for the actor's
    agency at this moment, and nothing about the others. Audited as one "disclose" event.

    :raise NotFound: nothing is covered (indistinguishable from a family that does not exist).
    :raise NotPermitted: an API key without the read:assessment scope.
    """
    _check_principal(actor)
    recipient = Recipient.of(actor)
    # The engine's question and the read of exactly the permitted sections, in one statement.
    rows = repo.disclosed_rows(uow.session, family_id, recipient.agency_id, recipient.agency_type,
                               england_date(uow.now()))
    permitted = _permitted_of(rows)
    if not permitted or rows[0].assessment_id is None:
        raise NotFound("Family not found")
    # A section covered by several authorities comes back once per authority: show it once.
    sections = {row.section_key: row for row in rows if row.section_id is not None}
    ordered = [assessment.section_view_of(uow, row) for row in sorted(sections.values(), key=lambda r: r.position)]
    return assessment.show_section_views(uow, actor, family_id, rows[0].assessment_id, rows[0].assessment_status,
                                         ordered, audit_action="disclose",
                                         authority=authority_record(permitted, recipient, channel))


def cover_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, key: str, *, channel: str) -> dict:
    """For a disclosure of something other than assessment sections (the family plan, under its section key): the
    audit authority naming the consent(s) or disclosure(s) that cover `key` for the actor's agency now. The caller
    reads what `key` covers and writes the one "disclose" audit event with this authority, so the family's access
    log lists the read.

    :raise NotFound: nothing covers `key` for the actor's agency (indistinguishable from no such family).
    :raise NotPermitted: an API key without the read:assessment scope.
    """
    _check_principal(actor)
    permitted = permitted_sections(uow.session, actor, family_id, uow.now())
    if key not in permitted:
        raise NotFound("Family not found")
    return authority_record({key: permitted[key]}, Recipient.of(actor), channel)


def may_send(uow: UnitOfWork, agency_id: uuid.UUID | Actor, family_id: uuid.UUID, keys: Iterable[str]) -> Permitted:
    """For jobs, at send time: which of `keys` may go to the agency (given by id, or as the recipient
    Actor) now; empty: send nothing."""
    if isinstance(agency_id, Actor):
        recipient = Recipient.of(agency_id)
    else:
        agency = users_repo.agencies_by_id(uow.session, [agency_id]).get(agency_id)
        if agency is None:
            return {}
        recipient = Recipient(agency.id, agency.type)
    permitted = permitted_sections(uow.session, recipient, family_id, uow.now())
    wanted = set(keys)
    return {k: v for k, v in permitted.items() if k in wanted}


def send_sections(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, family_id: uuid.UUID,
                  keys: Iterable[str], *, channel: str) -> AssessmentView | None:
    """Read, for sending to an agency by a job, export or notification, the sections of `keys` it may
    see now; None when it may see none of them (the caller sends nothing). `actor` is whoever runs the
    send (a job's system actor); the recipient is named in the audit event's authority."""
    permitted = may_send(uow, agency_id, family_id, keys)
    if not permitted:
        return None
    agency = users_repo.agencies_by_id(uow.session, [agency_id])[agency_id]
    return assessment.read_sections(uow, actor, family_id, sorted(permitted), audit_action="disclose",
                                    authority=authority_record(permitted, Recipient(agency.id, agency.type),
                                                               channel))
