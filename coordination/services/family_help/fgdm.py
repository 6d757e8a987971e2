"""Family group decision-making (Children Act 1989 s.31ZA, inserted by the Children's Wellbeing and Schools Act
2026 s.1): the offer (when, to which parent), or why an offer would not be in the child's best interests; who
accepted or declined it; the meeting, who of the family network came and how they are related, whether the child
attended; and the family's own plan, attached to the family plan. Each record or update is a plan version."""
from __future__ import annotations

import datetime as dt
import json
import uuid

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.family_help import MAX_ATTENDEE, MAX_ATTENDEES, MAX_TEXT
from coordination.domain.plan import PLAN_SECTION, ChangeKind
from coordination.errors import FieldErrors, NotFound
from coordination.models import Family, FgdmRecord
from coordination.repositories import family_help as repo
from coordination.repositories import plan as plan_repo

from .access import family_to_work_on, new_version, plan_for_change
from .views import FgdmView

RESPONSES = ("accepted", "declined")
FIELDS = ("offered_on", "offered_to_id", "exempt", "exemption_reason", "response", "response_by_id", "meeting_on",
          "attendees", "child_attended", "family_plan")


def _date(errors: FieldErrors, name: str, value: dt.date | None, today: dt.date, what: str) -> None:
    if value is not None and value > today:
        errors.add(name, f"The date {what} must be today or in the past")


def _problems(uow: UnitOfWork, family: Family, a: dict) -> FieldErrors:
    errors = FieldErrors()
    people = {p.id: p for p in family.people}
    parents = {i for i, p in people.items() if p.role == "parent_carer"}
    today = uow.today()
    if a.get("exempt"):
        errors.require_text("exemption_reason", a.get("exemption_reason"),
                            "why an offer would not be in the child's best interests", MAX_TEXT)
    else:
        if a.get("offered_on") is None:
            errors.add("offered_on", "Enter the date the meeting was offered")
        if a.get("offered_to_id") not in parents:
            errors.add("offered_to_id", "Choose the parent or carer it was offered to")
    _date(errors, "offered_on", a.get("offered_on"), today, "it was offered")
    if a.get("response") not in (None, *RESPONSES):
        errors.add("response", "Select whether it was accepted or declined")
    elif a.get("response") and a.get("response_by_id") not in people:
        errors.add("response_by_id", "Choose who accepted or declined it")
    if a.get("meeting_on") is not None:
        if a.get("response") != "accepted":
            errors.add("meeting_on", "A meeting is held only once the offer was accepted")
        elif a.get("offered_on") and a["meeting_on"] < a["offered_on"]:
            errors.add("meeting_on", "The meeting must be on or after the day it was offered")
        _date(errors, "meeting_on", a["meeting_on"], today, "of the meeting")
    attendees = a.get("attendees") or []
    if len(attendees) > MAX_ATTENDEES:
        errors.add("attendees", f"Enter {MAX_ATTENDEES} people or fewer")
    for i, person in enumerate(attendees):
        errors.require_text(f"attendees.{i}.name", person.get("name"), "their name", MAX_ATTENDEE)
        errors.require_text(f"attendees.{i}.relationship", person.get("relationship"),
                            "how they are related to the child, for example aunt", MAX_ATTENDEE)
    if a.get("family_plan") and len(a["family_plan"]) > MAX_TEXT:
        errors.add("family_plan", f"Enter {MAX_TEXT:,} characters or fewer")
    return errors


def _fill(uow: UnitOfWork, row: FgdmRecord, a: dict) -> None:
    row.offered_on, row.offered_to_id = a.get("offered_on"), a.get("offered_to_id")
    row.exempt = bool(a.get("exempt"))
    row.response, row.response_by_id = a.get("response"), a.get("response_by_id") if a.get("response") else None
    row.meeting_on, row.child_attended = a.get("meeting_on"), a.get("child_attended")
    row.seal(uow.keys, "exemption_reason", (a.get("exemption_reason") or "").strip() or None)
    attendees = [{"name": p["name"].strip(), "relationship": p["relationship"].strip()}
                 for p in a.get("attendees") or []]
    row.seal(uow.keys, "attendees", json.dumps(attendees) if attendees else None)
    row.seal(uow.keys, "family_plan", (a.get("family_plan") or "").strip() or None)


def fgdm_view(uow: UnitOfWork, row: FgdmRecord) -> FgdmView:
    return FgdmView(id=row.id, offered_on=row.offered_on, offered_to_id=row.offered_to_id, exempt=row.exempt,
                    exemption_reason=row.unseal(uow.keys, "exemption_reason"), response=row.response,
                    response_by_id=row.response_by_id, meeting_on=row.meeting_on,
                    attendees=json.loads(row.unseal(uow.keys, "attendees") or "[]"),
                    child_attended=row.child_attended, family_plan=row.unseal(uow.keys, "family_plan"))


def record_fgdm(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, fgdm_id: uuid.UUID | None = None,
                **answers) -> FgdmView:
    """Record family group decision-making (a new record, or the whole of one updated as it goes on).

    :raise NotFound: no such family or record, or the actor neither holds the case nor leads it.
    :raise Invalid: offered_on, offered_to_id, exemption_reason, response, response_by_id, meeting_on,
        attendees(.N.name|relationship), family_plan.
    """
    family = family_to_work_on(uow, actor, family_id)
    row = None
    if fgdm_id is not None and (row := repo.get_fgdm(uow.session, family.id, fgdm_id)) is None:
        raise NotFound("No such family group decision-making record")
    _problems(uow, family, answers).raise_if_any("Check the family group decision-making record")
    plan = plan_for_change(uow, family.id)
    if row is None:
        row = FgdmRecord(family_id=family.id, plan_id=plan.id, recorded_at=uow.now(), recorded_by_id=actor.user_id)
        _fill(uow, row, answers)
        plan_repo.add(uow.session, row)
        action = "create"
    else:
        _fill(uow, row, answers)
        row.updated_at, action = uow.now(), "update"
    version = new_version(uow, actor, plan, ChangeKind.FGDM, row.id, status=row.response or (
        "exempt" if row.exempt else "offered"))
    uow.audit(actor, action, "fgdm_record", row.id, family_id=family.id, sections=[PLAN_SECTION], version=version,
              exempt=row.exempt, response=row.response, meeting_held=row.meeting_on is not None,
              child_attended=row.child_attended, family_plan_attached=bool(answers.get("family_plan")))
    return fgdm_view(uow, row)


def fgdm_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[FgdmView]:
    """The family's records, oldest first. Audited as a read.  :raise NotFound: as `record_fgdm`."""
    family = family_to_work_on(uow, actor, family_id)
    rows = [fgdm_view(uow, r) for r in repo.fgdm_of(uow.session, family.id)]
    uow.audit(actor, "read", "fgdm_record", None, family_id=family.id, sections=[PLAN_SECTION], entries=len(rows))
    return rows
