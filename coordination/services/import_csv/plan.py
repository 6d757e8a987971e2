"""`check()`: the whole file read (parse), every row checked (rows) and its child matched (match), into an
ImportPlan for `apply()`. It reads the database (the agencies, the record ids already imported, the children
already recorded) and writes nothing."""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind
from coordination.domain.pathways import default_pathways
from coordination.errors import Invalid, NotPermitted
from coordination.repositories import referral_import as repo
from coordination.repositories import users as users_repo

from . import parse
from .match import Child, Children
from .report import ImportReport
from .rows import ParsedRow, check_row, child_identity


@dataclass
class ImportPlan:
    report: ImportReport
    agency_id: uuid.UUID | None
    rows: list[tuple[ParsedRow, Child]] = field(default_factory=list)  # each row with its matched child


def scope_for(agency_id: uuid.UUID) -> str:
    """The idempotency scope of an agency's imported referrals: a record_id is imported once per agency."""
    return f"import:{agency_id}"


def check_operator(actor: Actor) -> None:
    """:raise NotPermitted: only the service's operator (a system actor: the command line) imports."""
    if actor.kind != ActorKind.SYSTEM:
        raise NotPermitted("Only the service's operator can import referrals")


def check(uow: UnitOfWork, actor: Actor, agency: str, data: bytes) -> ImportPlan:
    """Read and check the whole file; write nothing.

    :raise NotPermitted: only the service's operator (a system actor: the command line) imports.
    :raise Invalid: `agency` (the importing agency's id or exact name) is not one the service knows.
    """
    check_operator(actor)
    known = users_repo.list_agencies(uow.session)
    agencies = parse.agency_index((a.id, a.name) for a in known)
    agency_types = {a.id: a.type for a in known}
    importer = parse.find_agency(agencies, agency)
    if importer is None:
        raise Invalid("Unknown agency", {"agency": ["Give the importing agency's id or its exact name"]})
    report = ImportReport(agency_id=importer, file_sha256=hashlib.sha256(data).hexdigest())
    plan = ImportPlan(report=report, agency_id=importer)
    sheet = parse.read_sheet(data, report)
    if sheet is None:
        return plan
    # Ids already imported are skipped before any other check.
    done = repo.imported_keys(uow.session, scope_for(importer), [k for k in sheet.first_line if k])
    candidates = parse.screen(sheet, report, done)
    children = Children(uow)
    for _, record, _ in candidates:
        children.note(child_identity(sheet.getter(record)))
    children.load()
    now, pathways = uow.now(), default_pathways()
    for number, record, row_check in candidates:
        row = check_row(number, sheet.getter(record), row_check, agencies, agency_types, pathways, now)
        child = children.resolve(row.child, row.ward, row_check.add) if row is not None else None
        if row is not None and child is not None and row_check.count == 0:
            plan.rows.append((row, child))
    # Line by line, left to right, as the person fixing the file reads it.
    report.problems.sort(key=lambda p: (p.line, len(p.letter or ""), p.letter or ""))
    report.to_create = len(plan.rows)
    report.families_to_create = len({id(child) for _, child in plan.rows if not child.existing})
    report.children_matched = len({child.person_id for _, child in plan.rows if child.existing})
    return plan
