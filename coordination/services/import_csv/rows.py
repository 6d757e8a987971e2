"""Checking one data row's cells: the child, where the referral went, and what happened to it in order (the
decision, the stages, the closure, exceptions and pauses), against the pathway and domain.referrals.Lifecycle,
exactly as the live service would allow them. Free of the database, like parse.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from coordination.domain import cin_census
from coordination.domain.calendar import england_date
from coordination.domain.identifiers import clean_nhs_number, clean_upn, nhs_number_is_valid, upn_is_valid
from coordination.domain.pathways import Pathway
from coordination.domain.people import EARLIEST_BIRTH_YEAR, NewPerson, child_age_problem, date_of_birth_problem
from coordination.domain.referrals import Decision, Event, Lifecycle, Urgency
from coordination.domain.sections import PersonRole

from .ehc import ehc_details
from .parse import EARLIEST_YEAR, AgencyIndex, BadCell, RowCheck, date_of, find_agency, moment, show

_PAUSE_REASON = re.compile(r"[a-z0-9_]{1,60}")
Add = Callable[[str | None, str], None]


@dataclass
class ParsedRow:
    """A row whose cells are all right: the referral and its history, waiting for its child to be matched."""

    line: int
    record_id: str
    child: NewPerson  # who the row is about, as the file gives them (identifiers cleaned)
    ward: str | None
    pathway: Pathway
    from_agency_id: uuid.UUID | None
    to_agency_id: uuid.UUID
    urgency: str
    received_at: dt.datetime
    decision: str | None
    decided_at: dt.datetime | None
    signposted_to: str | None
    stages: list[tuple[str, dt.datetime]]
    closed_at: dt.datetime | None
    outcome: str | None
    exceptions: list[str]
    pauses: list[tuple[str, dt.date, dt.date | None]]
    primary_need: str | None = None  # social care only: the CIN census items (domain/cin_census.py)
    reason_for_closure: str | None = None
    ehc: dict[str, Any] = field(default_factory=dict)  # ehc_needs_assessment only: its EHC details, as checked

    @property
    def received_on(self) -> dt.date:
        return england_date(self.received_at)

    def events(self) -> list[tuple[str, dt.datetime, dict]]:
        """(kind, when, details) of what happened, in order, as the live service records it."""
        events: list[tuple[str, dt.datetime, dict]] = [
            (Event.RECEIVED, self.received_at, {"received_on": self.received_on.isoformat(), "backdated": True})]
        if self.decision is not None and self.decided_at is not None:
            decided, outcome = Lifecycle.decision_events(self.decision)
            events += [(decided, self.decided_at, {"decision": self.decision}), (outcome, self.decided_at, {})]
        from_stage = self.pathway.first_stage
        for key, at in self.stages:
            events.append((Lifecycle.stage_event(key), at, {"from_stage": from_stage}))
            from_stage = key
        if self.closed_at is not None:
            events.append((Event.CLOSED, self.closed_at, {}))
        return events

    @property
    def status(self) -> str:
        return Lifecycle.replay(kind for kind, _, _ in self.events()).value


def child_identity(get: Callable[[str], str]) -> NewPerson | None:
    """The row's child, when the identifying cells read (their problems are reported by check_row)."""
    try:
        dob = date_of(get("date_of_birth")) if get("date_of_birth") else None
    except BadCell:
        return None
    nhs, upn = get("nhs_number") or None, get("upn") or None
    if nhs and not nhs_number_is_valid(nhs):
        nhs = None
    if upn and not upn_is_valid(upn):
        upn = None
    if not dob or not get("given_name") or not get("family_name"):
        if not nhs and not upn:
            return None
    return NewPerson(PersonRole.CHILD.value, get("given_name"), get("family_name"), dob,
                     nhs_number=clean_nhs_number(nhs) if nhs else None, upn=clean_upn(upn) if upn else None)


class _Cells:
    """One row's cells with its problem collector, and `now` (dates may be today or in the past)."""

    def __init__(self, get: Callable[[str], str], add: Add, now: dt.datetime):
        self.get, self.add, self.now, self.today = get, add, now, england_date(now)

    def moment(self, column: str, required: bool = False) -> dt.datetime | None:
        value = self.get(column)
        if not value:
            if required:
                self.add(column, "Enter the date")
            return None
        try:
            at, timed = moment(value)
        except BadCell as exc:
            self.add(column, str(exc))
            return None
        if at > self.now and not timed and england_date(at) == self.today:
            at = self.now  # today, before 09:00
        if at > self.now:
            self.add(column, "The date must be today or in the past")
        elif at.year < EARLIEST_YEAR:
            self.add(column, f"Check the year: dates before {EARLIEST_YEAR} are not accepted")
        return at

    def text(self, column: str, limit: int) -> str | None:
        value = self.get(column)
        if len(value) > limit:
            self.add(column, f"Enter {limit} characters or fewer")
        return value or None


def _child(c: _Cells) -> dt.date | None:
    """The child's cells; their date of birth, when it reads."""
    given, family_name = c.get("given_name"), c.get("family_name")
    if not given:
        c.add("given_name", "Enter the child's first name")
    if not family_name:
        c.add("family_name", "Enter the child's last name")
    if len(given) > 100:
        c.add("given_name", "Enter 100 characters or fewer")
    if len(family_name) > 100:
        c.add("family_name", "Enter 100 characters or fewer")
    dob = None
    if not c.get("date_of_birth"):
        c.add("date_of_birth", "Enter the child's date of birth")
    else:
        try:
            dob = date_of(c.get("date_of_birth"))
            if problem := date_of_birth_problem(dob, c.today, child=False):
                c.add("date_of_birth", problem)
        except BadCell as exc:
            c.add("date_of_birth", str(exc))
    nhs, upn = c.get("nhs_number"), c.get("upn")
    if nhs and not nhs_number_is_valid(nhs):
        c.add("nhs_number", "Enter a valid NHS number: 10 digits whose last is the check digit, like 943 476 5919")
    if upn and not upn_is_valid(upn):
        c.add("upn", "Enter a valid unique pupil number: a check letter then 12 characters, like H801200001001")
    return dob


def _destination(c: _Cells, agencies: AgencyIndex, agency_types: Mapping[uuid.UUID, str],
                 pathways: dict[str, Pathway]) -> tuple[Pathway | None, uuid.UUID | None, uuid.UUID | None, str]:
    """(pathway, to agency, from agency, urgency); the agency must be of a kind that receives the pathway's
    referrals, as for a live referral."""
    pathway = pathways.get(c.get("pathway"))
    if pathway is None:
        c.add("pathway", ("Enter the pathway" if not c.get("pathway") else f"Unknown pathway '{c.get('pathway')}'")
              + ": use one of " + ", ".join(pathways))
    to_agency = find_agency(agencies, c.get("to_agency")) if c.get("to_agency") else None
    if not c.get("to_agency"):
        c.add("to_agency", "Enter the agency the referral was sent to (its id or exact name)")
    elif to_agency is None:
        c.add("to_agency", f"Unknown agency '{c.get('to_agency')}': use an agency's id or its exact name "
                           "(add it first with `flask agency add`)")
    elif pathway is not None and (problem := pathway.receiving_problem(agency_types.get(to_agency))):
        c.add("to_agency", f"'{c.get('to_agency')}' cannot receive this referral. {problem}")
        to_agency = None
    from_agency = None
    if c.get("from_agency"):
        from_agency = find_agency(agencies, c.get("from_agency"))
        if from_agency is None:
            c.add("from_agency", f"Unknown agency '{c.get('from_agency')}': use an agency's id or its exact name")
    urgency = c.get("urgency").lower() or Urgency.ROUTINE.value
    if urgency not in {u.value for u in Urgency}:
        c.add("urgency", f"Unknown urgency '{c.get('urgency')}': use one of " + ", ".join(u.value for u in Urgency))
    return pathway, to_agency, from_agency, urgency


def _decision(c: _Cells, dob: dt.date | None) -> tuple[dt.datetime | None, str | None, dt.datetime | None,
                                                        str | None]:
    """(received at, decision, decided at, signposted to)."""
    received_at = c.moment("received_on", required=True)
    if received_at is not None and dob is not None and england_date(received_at) < dob:
        c.add("received_on", "The referral cannot be received before the child's date of birth")
    elif received_at is not None and dob is not None and england_date(received_at) <= c.today \
            and dob.year >= EARLIEST_BIRTH_YEAR and (problem := child_age_problem(dob, england_date(received_at))):
        c.add("date_of_birth", problem)  # the child's age when referred
    decision = c.get("decision").lower() or None
    if decision is not None and decision not in {d.value for d in Decision}:
        c.add("decision", f"Unknown decision '{c.get('decision')}': use accept or decline (or leave it empty)")
        decision = None
    decided_at = c.moment("decided_on")
    if c.get("decision") and not c.get("decided_on"):
        c.add("decided_on", "Enter the date of the decision")
    if c.get("decided_on") and not c.get("decision"):
        c.add("decision", "Enter the decision (accept or decline) made on decided_on")
    if decided_at and received_at and decided_at < received_at:
        c.add("decided_on", "The decision cannot be before the referral was received (received_on)")
    signposted_to = c.text("signposted_to", 200)
    if signposted_to and decision == Decision.ACCEPT:
        c.add("signposted_to", "Only a declined referral is signposted elsewhere")
    return received_at, decision, decided_at, signposted_to


def _after_decision(c: _Cells, pathway: Pathway | None, decision: str | None, decided_at: dt.datetime | None
                    ) -> tuple[list[tuple[str, dt.datetime]], dt.datetime | None, str | None]:
    """(stages entered, closed at, outcome), as the lifecycle allows them after the decision."""
    status = Lifecycle.replay([Event.RECEIVED, *(Lifecycle.decision_events(decision) if decision else ())])
    stages: list[tuple[str, dt.datetime]] = []
    if c.get("stages"):
        if not Lifecycle.may(status, Event.ENTERED):
            c.add("stages", "Only an accepted referral moves through stages: set decision to accept")
        elif pathway is not None:
            stages = _stages(c.get("stages"), pathway, decided_at, c.now, c.add)
    closed_at = c.moment("closed_on")
    outcome = c.text("outcome", 40)
    if closed_at is not None:
        if not Lifecycle.may(status, Event.CLOSED):
            c.add("closed_on", "Only an accepted referral is closed (a declined one ends with its decision)")
        elif decided_at and closed_at < decided_at:
            c.add("closed_on", "The referral cannot close before it was decided (decided_on)")
        elif stages and closed_at < stages[-1][1]:
            c.add("closed_on", f"The referral cannot close before its last stage ({show(stages[-1][1])})")
        if not outcome:
            c.add("outcome", "Enter the outcome of the closed referral")
    elif outcome:
        c.add("closed_on", "Enter the date the referral closed with this outcome")
    return stages, closed_at, outcome


def _census(c: _Cells, pathway: Pathway | None, stages: list[tuple[str, dt.datetime]],
            closed_at: dt.datetime | None) -> tuple[str | None, str | None]:
    """(primary need, reason for closure): social care referrals' CIN census codes, the reason only with closed_on
    (RC8/RC9 only straight after an assessment, as on the close form)."""
    need = c.get("primary_need").strip().upper() or None
    reason = c.get("reason_for_closure").strip().upper() or None
    if (need or reason) and pathway is not None and pathway.key != "social_care":
        c.add("primary_need" if need else "reason_for_closure", "Only a social care referral has CIN census codes")
        return None, None
    if need and need not in cin_census.PRIMARY_NEED:
        c.add("primary_need", f"Enter a primary need code: {', '.join(cin_census.PRIMARY_NEED)}")
    if reason and closed_at is None:
        c.add("reason_for_closure", "Only a closed referral has a reason for closure: set closed_on")
    elif reason and (problem := cin_census.closure_reason_problem("social_care", reason, [s for s, _ in stages])):
        c.add("reason_for_closure", problem)
    return need, reason


def _exceptions(c: _Cells, pathway: Pathway | None) -> list[str]:
    exceptions: list[str] = []
    if c.get("exceptions") and pathway is not None:
        allowed = sorted({code for clock in pathway.clocks for code in clock.exceptions})
        for code in dict.fromkeys(code.strip() for code in c.get("exceptions").split(";") if code.strip()):
            if code not in allowed:
                c.add("exceptions", f"Unknown exception '{code}': " + (
                    "use one of " + ", ".join(allowed) if allowed else f"no clock of {pathway.key} allows exceptions"))
            else:
                exceptions.append(code)
    return exceptions


def check_row(line: int, get: Callable[[str], str], check: RowCheck, agencies: AgencyIndex,
              agency_types: Mapping[uuid.UUID, str], pathways: dict[str, Pathway], now: dt.datetime
              ) -> ParsedRow | None:
    """The row, when every cell is right (its problems, if any, are added to `check`)."""
    c = _Cells(get, check.add, now)
    dob = _child(c)
    ward = c.text("ward", 60)
    pathway, to_agency, from_agency, urgency = _destination(c, agencies, agency_types, pathways)
    received_at, decision, decided_at, signposted_to = _decision(c, dob)
    stages, closed_at, outcome = _after_decision(c, pathway, decision, decided_at)
    exceptions = _exceptions(c, pathway)
    primary_need, reason_for_closure = _census(c, pathway, stages, closed_at)
    pauses = _pauses(get("pauses"), received_at, c.today, c.add) if get("pauses") else []
    ehc = ehc_details(get, c.add, pathway.key if pathway else None,
                      england_date(received_at) if received_at else None, c.today)
    if check.count or pathway is None or to_agency is None or received_at is None or dob is None:
        return None
    nhs, upn = get("nhs_number"), get("upn")
    child = NewPerson(PersonRole.CHILD.value, get("given_name"), get("family_name"), dob,
                      nhs_number=clean_nhs_number(nhs) if nhs else None, upn=clean_upn(upn) if upn else None)
    return ParsedRow(line=line, record_id=get("record_id"), child=child, ward=ward, pathway=pathway,
                     from_agency_id=from_agency, to_agency_id=to_agency, urgency=urgency, received_at=received_at,
                     decision=decision, decided_at=decided_at,
                     signposted_to=signposted_to if decision == Decision.DECLINE else None, stages=stages,
                     closed_at=closed_at, outcome=outcome, exceptions=exceptions, pauses=pauses,
                     primary_need=primary_need, reason_for_closure=reason_for_closure, ehc=ehc)


def _items(value: str) -> Iterable[str]:
    return (item for item in (i.strip() for i in value.split(";")) if item)


def _stages(value: str, pathway: Pathway, decided_at: dt.datetime | None, now: dt.datetime,
            add: Add) -> list[tuple[str, dt.datetime]]:
    """`stage=date;stage=date`, each a move the lifecycle allows from the one before (the first from the
    pathway's first stage, which may itself be entered once, as acceptance does), on or after the one before."""
    stages: list[tuple[str, dt.datetime]] = []
    current, entered_first, previous = pathway.first_stage, False, decided_at
    for item in _items(value):
        key, sep, when = (part.strip() for part in item.partition("="))
        if not sep or not key or not when:
            add("stages", f"'{item}' is not stage=date, like assessment=2024-01-08")
            return []
        if key not in pathway.stages:
            add("stages", f"Unknown stage '{key}' for {pathway.key}: use " + ", ".join(pathway.stages))
            return []
        if not Lifecycle.may_enter(pathway, current, key, entered_first):
            allowed = list(pathway.transitions.get(current, ()))
            add("stages", f"{key} cannot follow {current}: from {current} the referral can move to "
                + (", ".join(allowed) if allowed else "no other stage"))
            return []
        try:
            at, _timed = moment(when)
        except BadCell as exc:
            add("stages", f"{key}: {exc}")
            return []
        if at > now:
            add("stages", f"{key}: the date must be today or in the past")
            return []
        if previous is not None and at < previous:
            add("stages", f"{key} ({show(at)}) is before "
                + (f"the stage before it ({show(previous)})" if stages else "the decision (decided_on)"))
            return []
        entered_first = entered_first or key == pathway.first_stage
        stages.append((key, at))
        current, previous = key, at
    return stages


def _pauses(value: str, received_at: dt.datetime | None, today: dt.date,
            add: Add) -> list[tuple[str, dt.date, dt.date | None]]:
    """`reason=from..to;reason=from..` (an open end: the pause goes on)."""
    pauses: list[tuple[str, dt.date, dt.date | None]] = []
    for item in _items(value):
        reason, sep, span = (part.strip() for part in item.partition("="))
        first_text, dots, last_text = (part.strip() for part in span.partition(".."))
        if not sep or not dots or not _PAUSE_REASON.fullmatch(reason) or not first_text:
            add("pauses", f"'{item}' is not reason=YYYY-MM-DD..YYYY-MM-DD (reason a short code like "
                          "family_request; leave the end empty for a pause that goes on)")
            continue
        try:
            first = date_of(first_text)
            last = date_of(last_text) if last_text else None
        except BadCell as exc:
            add("pauses", f"{reason}: {exc}")
            continue
        if first > today:
            add("pauses", f"{reason}: the pause must start today or in the past")
        elif last is not None and last < first:
            add("pauses", f"{reason}: the pause must end on or after its start")
        elif received_at is not None and first < england_date(received_at):
            add("pauses", f"{reason}: the pause cannot start before the referral was received")
        else:
            pauses.append((reason, first, last))
    return pauses
