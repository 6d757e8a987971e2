"""A manager's team view: the open families their agency holds (lead practitioner, last contact, next review,
overdue items), what is not yet allocated, and the filters, order and page asked for.

Managers only (`Action.MANAGE_TEAM`), each seeing only their own agency's families: the repository scopes the
query, so another agency's family is never read. Reading it shows the families' names: audited as one read.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.listing import ListQuery, ListSpec, Page, clamp
from coordination.domain.permissions import Action, may
from coordination.errors import NotPermitted
from coordination.repositories import team_caseload as repo
from coordination.services.families import family_view
from coordination.services.views import FamilyView

UNALLOCATED = repo.UNALLOCATED
SORTS = ("overdue", "reference", "lead", "last_contact", "next_review")


@dataclass
class TeamRow:
    family: FamilyView
    lead_name: str | None
    last_contact: dt.datetime | None
    next_review_due_on: dt.date | None
    overdue_items: int
    today: dt.date

    @property
    def review_overdue(self) -> bool:
        return self.next_review_due_on is not None and self.next_review_due_on < self.today


@dataclass
class TeamCaseload:
    page: Page[TeamRow]
    query: ListQuery
    unallocated: int
    waiting_referrals: int
    leads: list[tuple[uuid.UUID, str]]


def spec(leads: list[tuple[uuid.UUID, str]]) -> ListSpec:
    """The team caseload's sorts and filters: `lead` (a lead's id, or "none": unallocated), `show=overdue`."""
    return ListSpec(sorts=SORTS, default_sort="overdue", default_descending=True,
                    filters={"lead": {UNALLOCATED, *(str(uid) for uid, _ in leads)}, "show": {"overdue"}})


def check_manager(actor: Actor) -> None:
    """:raise NotPermitted: anyone but a manager of an agency that holds cases."""
    if not may(actor, Action.MANAGE_TEAM) or actor.agency_id is None:
        raise NotPermitted("Only managers see the team caseload")


def team_leads(uow: UnitOfWork, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """Who leads the agency's open families (the lead filter's choices)."""
    check_manager(actor)
    return repo.team_leads(uow.session, actor)


def team_caseload(uow: UnitOfWork, actor: Actor, query: ListQuery,
                  leads: list[tuple[uuid.UUID, str]] | None = None) -> TeamCaseload:
    """One page of the manager's agency's open families, as `query` asks (parsed against `spec`).

    :raise NotPermitted: the actor is not a manager of a case-holding agency.
    """
    check_manager(actor)
    leads = repo.team_leads(uow.session, actor) if leads is None else leads
    today = uow.today()

    def read(q: ListQuery) -> tuple[list[tuple], int]:
        return repo.team_caseload(uow.session, actor, today=today, lead=q.filters.get("lead"),
                                  overdue_only=q.filters.get("show") == "overdue", sort=q.sort,
                                  descending=q.descending, offset=q.offset, limit=q.per_page)

    rows, total = read(query)
    if not rows and total and query.page > 1:  # past the end: the last page
        query = clamp(query, total)
        rows, total = read(query)
    items = [TeamRow(family=family_view(uow.keys, family), lead_name=lead_name, last_contact=last_contact,
                     next_review_due_on=next_review, overdue_items=int(overdue or 0), today=today)
             for family, lead_name, last_contact, next_review, overdue in rows]
    uow.audit(actor, "read", "team_caseload", None, families=len(items), page=query.page, total=total)
    return TeamCaseload(page=Page(items=items, total=total, number=query.page, per_page=query.per_page),
                        query=query, unallocated=repo.count_unallocated(uow.session, actor),
                        waiting_referrals=repo.count_waiting_referrals(uow.session, actor), leads=leads)
