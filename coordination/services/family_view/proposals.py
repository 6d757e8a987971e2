"""Corrections the family proposes to their story. Nothing the family writes changes the record until a
practitioner of the case-holding team (the lead practitioner is asked first, through a task for the team)
accepts it: then it becomes the section's new version with exactly the family's words, attributed "proposed by
the family" (source `family`). Otherwise the practitioner replies. The family sees the outcome on their story.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.family_help import MAX_TEXT
from coordination.domain.permissions import Action
from coordination.errors import Conflict, NotFound, required_text
from coordination.models import FamilyProposal, Task
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import families as families_repo
from coordination.repositories import family_access as repo
from coordination.repositories import family_help as family_help_repo
from coordination.repositories import plan as plan_repo
from coordination.services import assessment
from coordination.services.families import family_for, person_view
from coordination.services.outbox import publish

from .access import staff_names

FAMILY = {"kind": "family", "channel": "family"}
TASK_KIND = "family_proposal"
TASK_TITLE = "Answer the family's proposed change to their story"
ANSWER_WITHIN_DAYS = 10
TOPIC = "family_proposal.received"


@dataclass
class ProposalView:
    id: uuid.UUID
    section_key: str
    person_id: uuid.UUID
    person_name: str
    text: str
    status: str
    reply: str | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decided_by_name: str | None
    accepted_version: int | None


def _view(uow: UnitOfWork, row: FamilyProposal, names: dict[uuid.UUID, str], staff: dict[uuid.UUID, str]):
    return ProposalView(row.id, row.section_key, row.person_id, names.get(row.person_id, ""),
                        row.unseal(uow.keys, "text") or "", row.status, row.unseal(uow.keys, "reply"),
                        row.created_at, row.decided_at, staff.get(row.decided_by_id) if row.decided_by_id else None,
                        row.accepted_version)


def _own_family(uow: UnitOfWork, actor: Actor):
    family = families_repo.get_for(uow.session, actor, actor.family_id) if actor.is_family and actor.family_id \
        else None
    if family is None:
        raise NotFound("Family not found")
    return family


def propose(uow: UnitOfWork, actor: Actor, key: str, text: str) -> ProposalView:
    """A family member proposes what a section they can see should say.

    :raise NotFound: not a family member, or a section they cannot see. :raise Invalid: empty or too long.
    """
    family = _own_family(uow, actor)
    if key not in repo.own_section_keys(uow.session, actor):
        raise NotFound("No such section")
    text = required_text(text, "text", MAX_TEXT, ("Write what it should say", "Write what it should say"), "Write")
    found = assessment_repo.get_assessment(uow.session, family.id)
    section = assessment_repo.get_section(uow.session, found.id, key) if found else None
    if section is None:
        raise NotFound("No such section")
    assert actor.person_id is not None
    row = FamilyProposal(family_id=family.id, section_key=key, person_id=actor.person_id,
                         based_on_version=section.version, text_ct="", status="open", created_at=uow.now())
    row.seal(uow.keys, "text", text)
    repo.add_proposal(uow.session, row)
    plan_repo.add(uow.session, Task(family_id=family.id, agency_id=family.owning_agency_id, kind=TASK_KIND,
                                    title=TASK_TITLE, due_on=uow.today() + dt.timedelta(days=ANSWER_WITHIN_DAYS),
                                    dedupe_key=f"family_proposal:{row.id}", created_at=uow.now()))
    if family.lead_practitioner_id is not None:  # the lead is emailed (ids only in the outbox, no words in the email)
        publish(uow, TOPIC, {"proposal_id": str(row.id), "family_id": str(family.id),
                             "user_id": str(family.lead_practitioner_id)})
    uow.audit(actor, "create", "family_proposal", row.id, family_id=family.id, sections=[key], authority=FAMILY)
    names = {p.id: person_view(uow.keys, p).given_name for p in family.people}
    return _view(uow, row, names, {})


def own_proposals(uow: UnitOfWork, actor: Actor) -> list[ProposalView]:
    """The family member's own proposals and their outcomes, newest first (read with their story)."""
    family = _own_family(uow, actor)
    rows = repo.proposals_of(uow.session, family.id, person_id=actor.person_id)
    names = {p.id: person_view(uow.keys, p).given_name for p in family.people}
    return [_view(uow, r, names, staff_names(uow, {r.decided_by_id for r in rows})) for r in rows]


def proposals_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[ProposalView]:
    """For staff of the case-holding team: the family's proposals, newest first. Audited.

    :raise NotFound: a family the actor may not see. :raise NotPermitted: may not read the case."""
    family = family_for(uow, actor, family_id, Action.READ_CASE, "You cannot see this family's record")
    rows = repo.proposals_of(uow.session, family.id)
    names = {p.id: person_view(uow.keys, p).full_name for p in family.people}
    views = [_view(uow, r, names, staff_names(uow, {r.decided_by_id for r in rows})) for r in rows]
    uow.audit(actor, "read", "family_proposal", None, family_id=family.id, authority={"kind": "case_holder"},
              entries=len(views))
    return views


def _open(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, proposal_id: uuid.UUID):
    family = family_for(uow, actor, family_id, Action.WRITE_CASE, "You cannot change this family's record")
    row = repo.get_proposal(uow.session, proposal_id, for_update=True)
    if row is None or row.family_id != family.id:
        raise NotFound("No such proposal")
    if row.status != "open":
        raise Conflict("This proposal has been answered already")
    return family, row


def _done(uow: UnitOfWork, actor: Actor, row: FamilyProposal) -> None:
    row.decided_by_id, row.decided_at = actor.user_id, uow.now()
    task = family_help_repo.task_by_key(uow.session, f"family_proposal:{row.id}")
    if task is not None and task.done_at is None:
        task.done_at, task.done_by_id = uow.now(), actor.user_id


def accept(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, proposal_id: uuid.UUID) -> ProposalView:
    """Accept: the section's new version is exactly the family's words, attributed "proposed by the family".

    :raise NotFound: not a proposal of a family the actor may change. :raise Conflict: answered already."""
    _family, row = _open(uow, actor, family_id, proposal_id)
    found = assessment_repo.get_assessment(uow.session, row.family_id)
    current = assessment_repo.get_section(uow.session, found.id, row.section_key) if found else None
    view = assessment.save_section(uow, actor, row.family_id, row.section_key, row.unseal(uow.keys, "text") or "",
                                   current.version if current else 0, source="family")
    row.status, row.accepted_version = "accepted", view.version
    _done(uow, actor, row)
    uow.audit(actor, "decision", "family_proposal", row.id, family_id=row.family_id, sections=[row.section_key],
              decision="accepted", version=view.version)
    return _view(uow, row, {}, {})


def reply(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, proposal_id: uuid.UUID, text: str) -> ProposalView:
    """Reply instead of accepting: the record stays as it is; the family reads the reply.

    :raise Invalid: no reply. Otherwise as `accept`."""
    _family, row = _open(uow, actor, family_id, proposal_id)
    text = required_text(text, "reply", MAX_TEXT, ("Write a reply", "Write your reply to the family"), "Write")
    row.seal(uow.keys, "reply", text)
    row.status = "replied"
    _done(uow, actor, row)
    uow.audit(actor, "decision", "family_proposal", row.id, family_id=row.family_id, sections=[row.section_key],
              decision="replied")
    return _view(uow, row, {}, {})
