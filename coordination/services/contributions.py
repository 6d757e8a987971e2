"""Partner contributions: what a school, GP or CAMHS team knows, added to the family's one assessment.

A partner may contribute to a family only while its agency has some live cover (a consent or a safeguarding
disclosure) for that family — otherwise the family does not exist for it (NotFound), as for reads — and only
to a section that cover includes (NotPermitted otherwise: the family is known to it, the section is not
open to it; it learns nothing it could not read, since it reads exactly the covered sections). The
contribution is attached to a section, encrypted, attributed to the agency and key, and shown to the staff
holding the case, who fold it into the section text; the partner keeps no copy of its own.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.permissions import Action, Scope, key_lacks_scope, may
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import Contribution
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import contributions as contributions_repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services.sharing import disclosure

MAX_CONTRIBUTION_CHARS = 10_000


@dataclass
class ContributionView:
    id: uuid.UUID
    family_id: uuid.UUID
    section: str
    content: str
    agency_id: uuid.UUID
    agency_name: str
    api_key_id: uuid.UUID | None
    created_at: dt.datetime
    status: str
    acknowledged_at: dt.datetime | None = None


def _view(uow: UnitOfWork, row: Contribution, agency_names: dict[uuid.UUID, str]) -> ContributionView:
    return ContributionView(id=row.id, family_id=row.family_id, section=row.section_key,
                            content=row.unseal(uow.keys, "content") or "", agency_id=row.agency_id,
                            agency_name=agency_names.get(row.agency_id, ""), api_key_id=row.api_key_id,
                            created_at=row.created_at, status=row.status, acknowledged_at=row.acknowledged_at)


def add_contribution(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, section: str,
                     content: str) -> ContributionView:
    """A partner adds what it knows to one section of the family's assessment.

    :raise NotPermitted: not a partner key with the write:contributions scope.
    :raise NotFound: the partner's agency has no live consent or disclosure for this family.
    :raise Invalid: unknown section, empty or too long content.
    :raise NotPermitted: the agency's cover for this family does not include this section.
    """
    if not actor.is_partner or key_lacks_scope(actor, Scope.WRITE_CONTRIBUTIONS):
        raise NotPermitted("This key may not add contributions")
    permitted = disclosure.permitted_sections(uow.session, actor, family_id, uow.now())
    if not permitted:
        raise NotFound("Family not found")
    errors: dict[str, list[str]] = {}
    if section not in {d.key for d in assessment_repo.list_definitions(uow.session)}:
        errors["section"] = ["Choose a section key of the assessment template"]
    if not (content or "").strip():
        errors["content"] = ["Enter what you know"]
    elif len(content) > MAX_CONTRIBUTION_CHARS:
        errors["content"] = [f"Enter {MAX_CONTRIBUTION_CHARS:,} characters or fewer"]
    if errors:
        raise Invalid("Check the contribution", errors)
    if section not in permitted:
        raise NotPermitted("Your agency's consent or disclosure for this family does not cover this section")
    permitted = {section: permitted[section]}
    row = Contribution(family_id=family_id, section_key=section, agency_id=actor.agency_id,
                       api_key_id=actor.api_key_id, user_id=actor.user_id, status="new", created_at=uow.now())
    row.seal(uow.keys, "content", content)
    uow.session.add(row)
    uow.session.flush()
    # The cover that let the partner know the family exists at all, by id: the consents and disclosures.
    uow.audit(actor, "create", "contribution", row.id, family_id=family_id, sections=[section],
              authority=disclosure.authority_record(permitted, disclosure.Recipient.of(actor), "contribution"))
    agency = users_repo.get_agency(uow.session, actor.agency_id) if actor.agency_id else None
    return _view(uow, row, {agency.id: agency.name} if agency else {})


def list_contributions(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID,
                       section: str | None = None) -> list[ContributionView]:
    """Contributions to the family's assessment, newest first, for the staff holding the case (audited)."""
    if families_repo.get_for(uow.session, actor, family_id) is None:
        raise NotFound("Family not found")
    if not may(actor, Action.READ_CASE):
        raise NotPermitted("You cannot read this family's record")
    rows = contributions_repo.list_for_family(uow.session, family_id, section)
    names = {i: a.name for i, a in users_repo.agencies_by_id(uow.session, (r.agency_id for r in rows)).items()}
    uow.audit(actor, "read", "contribution", None, family_id=family_id,
              sections=sorted({r.section_key for r in rows}), entries=len(rows))
    return [_view(uow, r, names) for r in rows]


def mark_incorporated(uow: UnitOfWork, actor: Actor, contribution_id: uuid.UUID) -> ContributionView:
    """Staff record that a contribution has been folded into the section text.

    :raise NotFound: not a contribution to a family the actor may see.  :raise Conflict: already done.
    """
    row = contributions_repo.get(uow.session, contribution_id)
    if row is None or families_repo.get_for(uow.session, actor, row.family_id) is None:
        raise NotFound("Contribution not found")
    if not may(actor, Action.WRITE_CASE):
        raise NotPermitted("You cannot change this family's record")
    if row.status == "incorporated":
        raise Conflict("This contribution is already marked as incorporated")
    row.status, row.acknowledged_at, row.acknowledged_by_id = "incorporated", uow.now(), actor.user_id
    uow.session.flush()
    uow.audit(actor, "update", "contribution", row.id, family_id=row.family_id, sections=[row.section_key],
              status="incorporated")
    agency = users_repo.get_agency(uow.session, row.agency_id)
    return _view(uow, row, {agency.id: agency.name} if agency else {})
