"""Exports for managers: the CSV of any timeliness figure's underlying list, and two extracts for a team's own
checks: EHC needs assessment timeliness and the Children in Need census-style referrals and assessments. They
are not the returns (the DfE files are services.reporting.returns, the CIN census, and services.reporting.sen2).
Each column is documented here, once, as data (the web's documentation page and docs/exports.md read the same
words).

Every export is audited (action "export", the record type, the row count and the period; never the content).
UPNs are decrypted only for families the actor's agency holds; other rows leave the UPN blank.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable, Iterable, Sequence

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import england_date
from coordination.domain.measures import period_problem
from coordination.domain.permissions import Action, may
from coordination.errors import Invalid, NotPermitted
from coordination.repositories import exports as repo
from coordination.repositories import families as families_repo
from coordination.services.reporting.metrics import DrillItem

Columns = tuple[tuple[str, str], ...]

DRILL_DOWN_COLUMNS: Columns = (
    ("referral_id", "The referral's id in this service."),
    ("family_reference", "The family's reference, when your agency holds the family; blank otherwise."),
    ("child_name", "The child's name, when your agency holds the family; blank otherwise."),
    ("pathway", "Pathway key (e.g. social_care)."),
    ("stage", "The clock (stage) counted, e.g. decision."),
    ("urgency", "routine, urgent or very_urgent."),
    ("started", "Date the clock started (ISO 8601)."),
    ("due", "Date it was due."),
    ("stopped", "Date it stopped; blank while open."),
    ("days", "Days it ran, in the clock's unit (working days, days or hours); blank while open."),
    ("within_target", "Y stopped on or before the due date; N late; blank while open."),
    ("exception", "Y when an allowed exception (e.g. EHC reg 10(4)) was recorded."),
)

SEN2_COLUMNS: Columns = (
    ("PersonId", "The child's person id in this service (not a name, and not the returns' LAchildID)."),
    ("UPN", "Unique pupil number, only for families your agency holds; blank otherwise or when not recorded."),
    ("ReceivedDate", "Date the request for an EHC needs assessment was received (the 20-week clock starts)."),
    ("RequestOutcomeDate", "Date of the decision whether to assess (the 'decided' event)."),
    ("RequestOutcome", "Y decided to assess; N decided not to assess; blank while undecided."),
    ("AssessmentOutcomeDate", "Date of the decision whether to issue a plan: entering 'draft plan' (issue) or "
                              "'decision not to issue a plan'."),
    ("AssessmentOutcome", "Y a plan is to be issued; N no plan; blank while the assessment is under way."),
    ("StartDate", "Date the final EHC plan was issued (entering the 'final plan' stage)."),
    ("IssuedWithin20Weeks", "Y the final plan was issued within 20 weeks (140 calendar days) of ReceivedDate, "
                            "counting every day; N later; blank while no final plan. The service's own timeliness "
                            "figure, not SEN2's Week20 (which says whether the 20-week exceptions apply)."),
    ("IssuedWithin20WeeksOrExcepted", "As IssuedWithin20Weeks, but a plan issued late where a reg 10(4)(a)–(d) "
                                      "exception was recorded counts as Y; blank while no final plan."),
    ("ExceptionCodes", "The reg 10(4) exception codes recorded (10_4_a … 10_4_d), separated by ';'."),
)

CIN_COLUMNS: Columns = (
    ("LAchildID", "The child's id in this service (a stable person id, not a name)."),
    ("UPN", "Unique pupil number, only for families your agency holds; blank otherwise or when not recorded."),
    ("CINreferralDate", "Date the referral to children's social care was received."),
    ("ReferralSource", "From the referring agency's type: 5D council early help; 2A school; 3A health or mental "
                       "health; 6 police; 8 voluntary sector; 10 (unknown) for any other or none. Check 2A/3A "
                       "against the finer DfE codes (2B, 3B–3F) before submitting."),
    ("ReferralNFA", "Y the referral was declined or closed with no further action; N accepted; blank undecided."),
    ("AssessmentActualStartDate", "Date the referral entered the 'assessment' stage (CIN rule 8670Q counts from "
                                  "this date)."),
    ("AssessmentAuthorisationDate", "Date the assessment was authorised (the assessment clock's stop)."),
    ("CINclosureDate", "Date the referral was closed; blank while open."),
    ("ReasonForClosure", "RC9 when closed with a step-down to early help (outcome step_down, or a step-down "
                         "referral linked from it); otherwise blank: other closure reasons are not recorded here "
                         "and must be added locally."),
)

REFERRAL_SOURCE = {"council_early_help": "5D", "school": "2A", "health": "3A", "mental_health": "3A",
                   "police": "6", "voluntary": "8"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (dt.date, uuid.UUID, int)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(columns: Columns, rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _ in columns])
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name, _ in columns])
    return out.getvalue()


def drill_down_rows(items: Sequence[DrillItem]) -> list[dict]:
    return [{
        "referral_id": i.row.referral_id, "family_reference": i.family_reference, "child_name": i.child_name,
        "pathway": i.row.pathway, "stage": i.row.clock, "urgency": i.row.urgency, "started": i.row.started_on,
        "due": i.row.due_on, "stopped": i.row.stopped_on, "days": i.row.days,
        "within_target": i.row.within_target, "exception": i.row.excepted,
    } for i in items]


def drill_down_csv(items: Sequence[DrillItem]) -> str:
    """The referrals behind a figure (services.reporting.metrics.children_behind) as CSV."""
    return to_csv(DRILL_DOWN_COLUMNS, drill_down_rows(items))


def record_export(uow: UnitOfWork, actor: Actor, record_type: str, rows: int, first: dt.date, last: dt.date,
                  **details) -> None:
    """Audit an export: what kind, how many rows and the period; never the content."""
    uow.audit(actor, "export", record_type, None, rows=rows, first=first.isoformat(), last=last.isoformat(),
              **details)


def _check(actor: Actor, first: dt.date, last: dt.date) -> None:
    if not may(actor, Action.VIEW_METRICS):
        raise NotPermitted("Only managers can export")
    if problem := period_problem(first, last):
        raise Invalid("Check the period", {"to": [problem]})


def _first_event(item: repo.ExtractReferral, *kinds: str) -> tuple[str, dt.date] | None:
    for event in item.events:
        if event.kind in kinds:
            return event.kind, england_date(event.occurred_at)
    return None


def _upns(uow: UnitOfWork, actor: Actor, items: list[repo.ExtractReferral]) -> dict[uuid.UUID, str | None]:
    """child id → UPN, only for families the actor's agency holds."""
    family_ids = {i.referral.family_id for i in items}
    held = families_repo.list_by_ids(uow.session, actor, family_ids) if family_ids else []
    return {p.id: p.unseal(uow.keys, "upn") for family in held for p in family.people}


def _extract(uow: UnitOfWork, actor: Actor, pathway: str, first: dt.date, last: dt.date, record_type: str,
             row: Callable[[repo.ExtractReferral, str | None], dict]) -> list[dict]:
    """One `row` (the referral, its child's UPN where the actor's agency holds the family) for each referral of
    `pathway` active in the period; audited as the export `record_type`."""
    _check(actor, first, last)
    items = repo.referrals_active_in(uow.session, actor, pathway, first, last)
    upns = _upns(uow, actor, items)
    rows = [row(item, upns.get(item.referral.child_id)) for item in items]
    record_export(uow, actor, record_type, len(rows), first, last)
    return rows


def _yn(value: bool | None) -> str | None:
    return None if value is None else ("Y" if value else "N")


def sen2_extract(uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date) -> list[dict]:
    """One row per EHC needs assessment request active in the period: its decisions and whether the plan was
    issued within 20 weeks (the service's timeliness; SEN2 itself is services.reporting.sen2).

    :raise NotPermitted: not a manager.  :raise Invalid: bad period.
    """
    return _extract(uow, actor, "ehc_needs_assessment", first, last, "sen2_extract", _sen2_row)


def _sen2_row(item: repo.ExtractReferral, upn: str | None) -> dict:
    ref = item.referral
    decided = _first_event(item, "decided", "accepted", "declined")
    outcome = _first_event(item, "entered:draft_plan", "entered:no_plan")
    final = item.clocks.get("final_plan")
    issued = _first_event(item, "entered:final_plan")
    start_date = issued[1] if issued else (final.stopped_on if final else None)
    within = final.within_target if final and final.stopped_on else None
    return {
        "PersonId": ref.child_id, "UPN": upn, "ReceivedDate": ref.received_on,
        "RequestOutcomeDate": decided[1] if decided else None,
        "RequestOutcome": {"accept": "Y", "decline": "N"}.get(ref.decision or ""),
        "AssessmentOutcomeDate": outcome[1] if outcome else None,
        "AssessmentOutcome": ({"entered:draft_plan": "Y", "entered:no_plan": "N"}[outcome[0]] if outcome
                              else ("Y" if start_date else None)),
        "StartDate": start_date,
        "IssuedWithin20Weeks": _yn(within),
        "IssuedWithin20WeeksOrExcepted": _yn(None if within is None else within or bool(final and final.excepted)),
        "ExceptionCodes": ";".join(item.exception_codes) or None,
    }


def cin_extract(uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date) -> list[dict]:
    """One row per social care referral active in the period (CIN census referral/assessment fields).

    :raise NotPermitted: not a manager.  :raise Invalid: bad period.
    """
    return _extract(uow, actor, "social_care", first, last, "cin_extract", _cin_row)


def _cin_row(item: repo.ExtractReferral, upn: str | None) -> dict:
    ref = item.referral
    started = _first_event(item, "entered:assessment")
    assessment = item.clocks.get("assessment")
    closed = england_date(ref.closed_at) if ref.closed_at else None
    nfa = "Y" if ref.decision == "decline" or ref.outcome == "nfa" else ("N" if ref.decision else None)
    step_down = ref.outcome == "step_down" or item.stepped_down
    return {
        "LAchildID": ref.child_id, "UPN": upn, "CINreferralDate": ref.received_on,
        "ReferralSource": REFERRAL_SOURCE.get(item.from_agency_type or "", "10"),
        "ReferralNFA": nfa,
        "AssessmentActualStartDate": started[1] if started else None,
        "AssessmentAuthorisationDate": assessment.stopped_on if assessment else None,
        "CINclosureDate": closed,
        "ReasonForClosure": "RC9" if step_down and closed else None,
    }


EXTRACTS = {
    "sen2": ("EHC needs assessment timeliness", SEN2_COLUMNS, sen2_extract),
    "cin": ("Children in Need census-style referrals and assessments", CIN_COLUMNS, cin_extract),
}
