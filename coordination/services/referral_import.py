"""Importing an authority's past referrals from a CSV file (`flask referrals import FILE.csv`), so its
timeliness figures and trends start with its history. The columns are documented in docs/import.md.

Two steps, so nothing is written unless the whole file is right:

1. `check()` reads the whole file and reports every problem as "line N, column X (name): message" (lines as a
   spreadsheet counts them: the header is line 1). It reads the database (agencies, children already recorded,
   rows already imported) but writes nothing.
2. `apply()` writes a checked plan in the caller's transaction: families for children not yet recorded (held by
   the importing agency, encrypted and blind-indexed as services.families does), the referrals with their
   historic events (a date alone is taken as 09:00 England time, as services.referrals does for a backdated
   referral), pauses and exceptions, the clocks (services.referrals.recompute_clocks, exactly as for a live
   referral), an audit event per referral and per family created (ids and codes only, `source: import`) and
   one summary event. No outbox messages: history notifies no one. When the nightly timeliness summary
   exists it is rebuilt in the same transaction, so the trend shows the history at once.

Re-importing is safe: each row's `record_id` is stored as the referral's idempotency key under the scope
`import:<agency id>`; a row already imported is reported and skipped, never duplicated or changed.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor, ActorKind
from coordination.domain.calendar import ENGLAND, england_date
from coordination.domain.identifiers import clean_nhs_number, clean_upn, nhs_number_is_valid, upn_is_valid
from coordination.domain.pathways import Pathway, default_pathways
from coordination.domain.people import age_on
from coordination.domain.referrals import RECEIVED_HOUR, Decision, Event, Lifecycle, Urgency, is_re_referral
from coordination.domain.sections import PersonRole
from coordination.errors import Invalid, NotPermitted
from coordination.models import (
    Agency,
    Assessment,
    AssessmentSection,
    Family,
    Person,
    Referral,
    ReferralEvent,
    ReferralException,
    ReferralPause,
)
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import families as families_repo
from coordination.repositories import metrics as metrics_repo
from coordination.repositories import referral_import as repo
from coordination.repositories import users as users_repo
from coordination.services.families import NewPerson, person_digests
from coordination.services.referrals import recompute_clocks
from coordination.services.reporting import metrics

REQUIRED = ("record_id", "given_name", "family_name", "date_of_birth", "pathway", "to_agency", "received_on")
OPTIONAL = ("nhs_number", "upn", "ward", "from_agency", "urgency", "decision", "decided_on", "signposted_to",
            "stages", "closed_on", "outcome", "exceptions", "pauses")
COLUMNS = REQUIRED + OPTIONAL
SOURCE = "import"
MAX_RECORD_ID = 200
MAX_PROBLEMS_PER_ROW = 20
EARLIEST_YEAR = 2000  # an event date before this is a typing slip, not history
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S")
_PAUSE_REASON = re.compile(r"[a-z0-9_]{1,60}")


def scope_for(agency_id: uuid.UUID) -> str:
    return f"import:{agency_id}"


# ---- the report -------------------------------------------------------------------------------------

def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet labels it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    line: int
    column: str | None
    letter: str | None
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return f"line {self.line}: {self.message}"
        where = f"{self.letter} ({self.column})" if self.letter else self.column
        return f"line {self.line}, column {where}: {self.message}"


@dataclass
class ImportReport:
    agency_id: uuid.UUID | None
    file_sha256: str
    rows: int = 0                                              # data rows read (blank lines are not rows)
    problems: list[Problem] = field(default_factory=list)
    already_imported: list[tuple[int, str]] = field(default_factory=list)  # (line, record_id)
    to_create: int = 0                                         # referrals the file adds
    families_to_create: int = 0
    children_matched: int = 0                                  # distinct children already recorded
    referrals_created: int = 0
    families_created: int = 0
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        skipped = ""
        if self.already_imported:
            skipped = (f"; {len(self.already_imported)} already imported, skipped (lines "
                       + ", ".join(str(line) for line, _ in self.already_imported[:20])
                       + (", …" if len(self.already_imported) > 20 else "") + ")")
        if not self.ok:
            return f"{len(self.problems)} problem(s) in {self.rows} rows: nothing was imported."
        if self.written:
            return (f"Imported {self.referrals_created} referrals from {self.rows} rows{skipped}; "
                    f"{self.families_created} families created; {self.children_matched} children matched "
                    f"to records already in the service.")
        return (f"Dry run: all {self.rows} rows are valid. An import would create {self.to_create} referrals and "
                f"{self.families_to_create} families and match {self.children_matched} children already in the "
                f"service{skipped}. Nothing was written.")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] + [self.summary()]


# ---- the plan ---------------------------------------------------------------------------------------

@dataclass
class _Child:
    """A child the import refers: one already recorded (`person`), or one to create (first row's details)."""
    given_name: str
    family_name: str
    date_of_birth: dt.date
    nhs_number: str | None = None
    upn: str | None = None
    ward: str | None = None
    nhs_digest: str | None = None
    upn_digest: str | None = None
    person_id: uuid.UUID | None = None
    family_id: uuid.UUID | None = None
    family_ward: str | None = None
    owning_agency_id: uuid.UUID | None = None
    existing: bool = False


@dataclass
class _Row:
    line: int
    record_id: str
    child: _Child
    pathway: Pathway
    from_agency_id: uuid.UUID | None
    to_agency_id: uuid.UUID
    urgency: str
    ward: str | None
    received_at: dt.datetime
    decision: str | None
    decided_at: dt.datetime | None
    signposted_to: str | None
    stages: list[tuple[str, dt.datetime]]
    closed_at: dt.datetime | None
    outcome: str | None
    exceptions: list[str]
    pauses: list[tuple[str, dt.date, dt.date | None]]

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


@dataclass
class ImportPlan:
    report: ImportReport
    agency: Agency | None
    rows: list[_Row] = field(default_factory=list)


# ---- reading values ---------------------------------------------------------------------------------

class _Bad(ValueError):
    """A cell's value is wrong; the message is shown to the person fixing the file."""


def _moment(text: str) -> tuple[dt.datetime, bool]:
    """(the moment in UTC, whether a time was given). A date alone is 09:00 England time."""
    text = text.strip()
    day_text, _, time_text = text.replace("T", " ", 1).partition(" ")
    day = None
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(day_text, fmt).date()
            break
        except ValueError:
            continue
    if day is None:
        raise _Bad(f"'{text}' is not a date: use YYYY-MM-DD (or DD/MM/YYYY), like 2024-03-27")
    moment_time = dt.time(RECEIVED_HOUR)
    if time_text.strip():
        for fmt in _TIME_FORMATS:
            try:
                moment_time = dt.datetime.strptime(time_text.strip(), fmt).time()
                break
            except ValueError:
                continue
        else:
            raise _Bad(f"'{text}' has a time that is not HH:MM (24-hour, England time), like 2024-03-27 14:30")
    return dt.datetime.combine(day, moment_time, tzinfo=ENGLAND).astimezone(dt.UTC), bool(time_text.strip())


def _date(text: str) -> dt.date:
    moment, timed = _moment(text)
    if timed:
        raise _Bad("Enter a date without a time")
    return england_date(moment)


def _show(moment: dt.datetime) -> str:
    local = moment.astimezone(ENGLAND)
    return local.date().isoformat() if local.time() == dt.time(RECEIVED_HOUR) else local.strftime("%Y-%m-%d %H:%M")


# ---- check ------------------------------------------------------------------------------------------

class _RowCheck:
    """Collects a row's problems against the header's column positions."""

    def __init__(self, line: int, positions: dict[str, int], problems: list[Problem]):
        self.line, self.positions, self.problems, self.count = line, positions, problems, 0

    def add(self, column: str | None, message: str) -> None:
        self.count += 1
        if self.count > MAX_PROBLEMS_PER_ROW:
            return
        letter = column_letter(self.positions[column]) if column in self.positions else None
        self.problems.append(Problem(self.line, column, letter, message))


def _decode(data: bytes, report: ImportReport) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        report.problems.append(Problem(line, None, None, "The file is not UTF-8 text: save it as 'CSV UTF-8'"))
        return None


def _agency_index(agencies: list[Agency]) -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in agencies:
        index[str(agency.id)] = agency
        index[agency.name.strip().casefold()] = agency
    return index


def _find_agency(index: dict[str, Agency], value: str) -> Agency | None:
    value = value.strip()
    try:
        return index.get(str(uuid.UUID(value)))
    except ValueError:
        return index.get(value.casefold())


def check(uow: UnitOfWork, actor: Actor, agency: str, data: bytes) -> ImportPlan:
    """Read and check the whole file; write nothing.

    :raise NotPermitted: only the service's operator (a system actor: the command line) imports.
    :raise Invalid: `agency` (the importing agency's id or exact name) is not one the service knows.
    """
    if actor.kind != ActorKind.SYSTEM:
        raise NotPermitted("Only the service's operator can import referrals")
    session = uow.session
    agencies = _agency_index(users_repo.list_agencies(session))
    importer = _find_agency(agencies, agency)
    if importer is None:
        raise Invalid("Unknown agency", {"agency": ["Give the importing agency's id or its exact name"]})
    report = ImportReport(agency_id=importer.id, file_sha256=hashlib.sha256(data).hexdigest())
    plan = ImportPlan(report=report, agency=importer)
    text = _decode(data, report)
    if text is None:
        return plan
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records.extend(reader)
    except csv.Error as exc:
        report.problems.append(Problem(len(records) + 1, None, None, f"The file cannot be read as CSV here ({exc})"))
        return plan
    while records and records[0] and not records[0][-1].strip():
        records[0].pop()  # spreadsheets often save empty columns after the last one named
    if not records or not any(cell.strip() for cell in records[0]):
        report.problems.append(Problem(1, None, None, "The file is empty: the first line must name the columns"))
        return plan
    if len(records[0]) == 1 and ";" in records[0][0]:
        report.problems.append(Problem(1, None, None, "The columns are separated by semicolons: save the file as "
                                                      "CSV with commas (Excel: 'CSV UTF-8 (comma delimited)')"))
        return plan
    positions = _check_header(records[0], report.problems)
    if report.problems:
        return plan

    rows = [(number, record) for number, record in enumerate(records[1:], start=2)
            if any(cell.strip() for cell in record)]
    report.rows = len(rows)
    if not rows:
        report.problems.append(Problem(2, None, None, "The file has a header but no referrals"))
        return plan

    def cell(record: list[str], name: str) -> str:
        at = positions.get(name)
        return record[at].strip() if at is not None and at < len(record) else ""

    # Duplicate ids in the file, and ids already imported (skipped before any other check).
    first_line: dict[str, int] = {}
    duplicates: set[int] = set()
    for number, record in rows:
        key = cell(record, "record_id")
        if key in first_line:
            duplicates.add(number)
        else:
            first_line.setdefault(key, number)
    done = repo.imported_keys(session, scope_for(importer.id), [k for k in first_line if k])

    children = _Children(uow)
    candidates: list[tuple[int, list[str], _RowCheck]] = []
    for number, record in rows:
        row_check = _RowCheck(number, positions, report.problems)
        key = cell(record, "record_id")
        if len(record) > len(positions):
            extra = [c for c in record[len(positions):] if c.strip()]
            if extra:
                row_check.add(None, f"The row has {len(record)} cells but the header names {len(positions)} columns")
        if not key:
            row_check.add("record_id", "Enter the referral's id in the system it comes from")
        elif len(key) > MAX_RECORD_ID:
            row_check.add("record_id", f"Enter {MAX_RECORD_ID} characters or fewer")
        elif number in duplicates:
            row_check.add("record_id", f"'{key}' is also the record_id on line {first_line[key]}: "
                                       "each referral needs its own id")
        elif key in done:
            report.already_imported.append((number, key))
            continue
        candidates.append((number, record, row_check))
        children.note(record, cell)
    children.load()

    now = uow.now()
    pathways = default_pathways()
    for number, record, row_check in candidates:
        row = _check_row(number, functools.partial(cell, record), row_check, agencies, pathways, children, now)
        if row is not None and row_check.count == 0:
            plan.rows.append(row)
    # Line by line, left to right, as the person fixing the file reads it.
    report.problems.sort(key=lambda p: (p.line, len(p.letter or ""), p.letter or ""))
    report.to_create = len(plan.rows)
    report.families_to_create = len({id(r.child) for r in plan.rows if not r.child.existing})
    report.children_matched = len({r.child.person_id for r in plan.rows if r.child.existing})
    return plan


def _check_header(header: list[str], problems: list[Problem]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        letter = column_letter(index)
        if not name:
            problems.append(Problem(1, None, letter, f"Column {letter} has no name: name it or delete it"))
        elif name not in COLUMNS:
            hint = f" (did you mean {_closest(name)}?)" if _closest(name) else ""
            problems.append(Problem(1, name, letter, f"Unknown column{hint}: the columns are listed in docs/import.md"))
        elif name in positions:
            problems.append(Problem(1, name, letter,
                                    f"Column {name} appears twice (also column {column_letter(positions[name])})"))
        else:
            positions[name] = index
    for name in REQUIRED:
        if name not in positions:
            problems.append(Problem(1, None, None, f"Add the required column {name}"))
    return positions


def _closest(name: str) -> str | None:
    import difflib

    match = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.75)
    return match[0] if match else None


class _Children:
    """Matches each row's child to a child already recorded (by NHS number, then UPN, then name and date of
    birth, through the blind indexes) or to one child created for all the rows that identify them."""

    def __init__(self, uow: UnitOfWork):
        self.uow = uow
        self.digests: set[str] = set()
        self.by_digest: dict[str, list[Person]] = {}
        self.new: dict[str, _Child] = {}        # digest → a child this import creates
        self.existing: dict[uuid.UUID, _Child] = {}

    def note(self, record: list[str], cell: Callable[[list[str], str], str]) -> None:
        person = _new_person(lambda name: cell(record, name))
        if person is not None:
            self.digests.update(d for d in self._digests(person).values() if d)

    def _digests(self, p: NewPerson) -> dict[str, str | None]:
        d = person_digests(self.uow.blind, p)
        return {"nhs": d["nhs_number_bidx"], "upn": d["upn_bidx"], "name_dob": d["name_dob_bidx"]}

    def load(self) -> None:
        for person in repo.people_matching(self.uow.session, self.digests):
            for digest in (person.nhs_number_bidx, person.upn_bidx, person.name_dob_bidx):
                if digest in self.digests:
                    self.by_digest.setdefault(digest, []).append(person)

    def resolve(self, p: NewPerson, ward: str | None, add: Callable[[str | None, str], None]) -> _Child | None:
        digests = self._digests(p)
        for kind in ("nhs", "upn", "name_dob"):
            digest = digests[kind]
            if not digest:
                continue
            # A record with a different NHS number or UPN is a different child, whatever the name.
            matches = [m for m in self.by_digest.get(digest, [])
                       if not (digests["nhs"] and m.nhs_number_bidx and m.nhs_number_bidx != digests["nhs"])
                       and not (digests["upn"] and m.upn_bidx and m.upn_bidx != digests["upn"])]
            matches = list({m.id: m for m in matches}.values())
            if len(matches) > 1:
                what = {"nhs": "NHS number", "upn": "UPN", "name_dob": "name and date of birth"}[kind]
                add("nhs_number" if kind == "nhs" else "upn" if kind == "upn" else "given_name",
                    f"The {what} matches {len(matches)} people already recorded: "
                    "add the child's NHS number or UPN so the right one is found")
                return None
            if matches:
                return self._existing(matches[0], p, kind, add)
        return self._new(p, digests, ward, add)

    def _existing(self, person: Person, p: NewPerson, kind: str, add) -> _Child | None:
        if person.role != PersonRole.CHILD:
            add("nhs_number" if kind == "nhs" else "upn" if kind == "upn" else "given_name",
                "This identifies someone already recorded who is not a child in their family")
            return None
        if person.id not in self.existing:
            keys = self.uow.keys
            dob = person.unseal(keys, "date_of_birth")
            family = self.uow.session.get(Family, person.family_id)
            assert p.date_of_birth is not None
            self.existing[person.id] = _Child(
                given_name="", family_name="", date_of_birth=dt.date.fromisoformat(dob) if dob else p.date_of_birth,
                person_id=person.id, family_id=person.family_id, family_ward=family.ward if family else None,
                owning_agency_id=family.owning_agency_id if family else None, existing=True)
        child = self.existing[person.id]
        if kind != "name_dob" and p.date_of_birth and child.date_of_birth != p.date_of_birth:
            add("date_of_birth", "The child already recorded with this "
                + ("NHS number" if kind == "nhs" else "UPN") + " has a different date of birth")
            return None
        return child

    def _new(self, p: NewPerson, digests: dict[str, str | None], ward: str | None, add) -> _Child | None:
        child = None
        for kind in ("nhs", "upn", "name_dob"):
            digest = digests[kind]
            if digest and digest in self.new:
                candidate = self.new[digest]
                if (digests["nhs"] and candidate.nhs_digest and candidate.nhs_digest != digests["nhs"]) or \
                        (digests["upn"] and candidate.upn_digest and candidate.upn_digest != digests["upn"]):
                    continue  # another child of the same name and birthday
                child = candidate
                break
        if child is None:
            assert p.date_of_birth is not None
            child = _Child(given_name=p.given_name, family_name=p.family_name, date_of_birth=p.date_of_birth,
                           nhs_number=p.nhs_number, upn=p.upn, ward=ward)
        elif child.date_of_birth != p.date_of_birth:
            add("date_of_birth", "An earlier row identifies the same child with a different date of birth")
            return None
        child.nhs_number = child.nhs_number or p.nhs_number
        child.nhs_digest = child.nhs_digest or digests["nhs"]
        child.upn = child.upn or p.upn
        child.upn_digest = child.upn_digest or digests["upn"]
        child.ward = child.ward or ward
        for digest in digests.values():
            if digest:
                self.new.setdefault(digest, child)
        return child


def _as_person(child: _Child) -> NewPerson:
    return NewPerson(PersonRole.CHILD.value, child.given_name, child.family_name, child.date_of_birth,
                     nhs_number=child.nhs_number, upn=child.upn)


def _new_person(get: Callable[[str], str]) -> NewPerson | None:
    """The row's child, when the identifying cells read (their problems are reported by _check_row)."""
    try:
        dob = _date(get("date_of_birth")) if get("date_of_birth") else None
    except _Bad:
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


def _check_row(line: int, get: Callable[[str], str], check: _RowCheck,
               agencies: dict[str, Agency], pathways: dict[str, Pathway], children: _Children,
               now: dt.datetime) -> _Row | None:
    add = check.add
    today = england_date(now)

    def moment(column: str, required: bool = False) -> dt.datetime | None:
        value = get(column)
        if not value:
            if required:
                add(column, "Enter the date")
            return None
        try:
            at, timed = _moment(value)
        except _Bad as exc:
            add(column, str(exc))
            return None
        if at > now and not timed and england_date(at) == today:
            at = now  # today, before 09:00
        if at > now:
            add(column, "The date must be today or in the past")
        elif at.year < EARLIEST_YEAR:
            add(column, f"Check the year: dates before {EARLIEST_YEAR} are not accepted")
        return at

    def text(column: str, limit: int) -> str | None:
        value = get(column)
        if len(value) > limit:
            add(column, f"Enter {limit} characters or fewer")
        return value or None

    # The child.
    given, family_name = get("given_name"), get("family_name")
    if not given:
        add("given_name", "Enter the child's first name")
    if not family_name:
        add("family_name", "Enter the child's last name")
    if len(given) > 100:
        add("given_name", "Enter 100 characters or fewer")
    if len(family_name) > 100:
        add("family_name", "Enter 100 characters or fewer")
    dob = None
    if not get("date_of_birth"):
        add("date_of_birth", "Enter the child's date of birth")
    else:
        try:
            dob = _date(get("date_of_birth"))
            if dob > today:
                add("date_of_birth", "Date of birth must be today or in the past")
        except _Bad as exc:
            add("date_of_birth", str(exc))
    nhs, upn = get("nhs_number"), get("upn")
    if nhs and not nhs_number_is_valid(nhs):
        add("nhs_number", "Enter a valid NHS number: 10 digits whose last is the check digit, like 943 476 5919")
    if upn and not upn_is_valid(upn):
        add("upn", "Enter a valid unique pupil number: a check letter then 12 characters, like H801200001001")
    ward = text("ward", 60)

    # Where it went.
    pathway = pathways.get(get("pathway"))
    if pathway is None:
        add("pathway", ("Enter the pathway" if not get("pathway") else f"Unknown pathway '{get('pathway')}'")
            + ": use one of " + ", ".join(pathways))
    to_agency = _find_agency(agencies, get("to_agency")) if get("to_agency") else None
    if not get("to_agency"):
        add("to_agency", "Enter the agency the referral was sent to (its id or exact name)")
    elif to_agency is None:
        add("to_agency", f"Unknown agency '{get('to_agency')}': use an agency's id or its exact name "
                         "(add it first with `flask agency add`)")
    from_agency = None
    if get("from_agency"):
        from_agency = _find_agency(agencies, get("from_agency"))
        if from_agency is None:
            add("from_agency", f"Unknown agency '{get('from_agency')}': use an agency's id or its exact name")
    urgency = get("urgency").lower() or Urgency.ROUTINE.value
    if urgency not in {u.value for u in Urgency}:
        add("urgency", f"Unknown urgency '{get('urgency')}': use one of " + ", ".join(u.value for u in Urgency))

    # What happened, in order.
    received_at = moment("received_on", required=True)
    if received_at is not None and dob is not None and england_date(received_at) < dob:
        add("received_on", "The referral cannot be received before the child's date of birth")
    decision = get("decision").lower() or None
    if decision is not None and decision not in {d.value for d in Decision}:
        add("decision", f"Unknown decision '{get('decision')}': use accept or decline (or leave it empty)")
        decision = None
    decided_at = moment("decided_on")
    if get("decision") and not get("decided_on"):
        add("decided_on", "Enter the date of the decision")
    if get("decided_on") and not get("decision"):
        add("decision", "Enter the decision (accept or decline) made on decided_on")
    if decided_at and received_at and decided_at < received_at:
        add("decided_on", "The decision cannot be before the referral was received (received_on)")
    signposted_to = text("signposted_to", 200)
    if signposted_to and decision == Decision.ACCEPT:
        add("signposted_to", "Only a declined referral is signposted elsewhere")

    status = Lifecycle.replay([Event.RECEIVED, *(Lifecycle.decision_events(decision) if decision else ())])
    stages: list[tuple[str, dt.datetime]] = []
    if get("stages"):
        if not Lifecycle.may(status, Event.ENTERED):
            add("stages", "Only an accepted referral moves through stages: set decision to accept")
        elif pathway is not None:
            stages = _stages(get("stages"), pathway, decided_at, now, add)
    closed_at = moment("closed_on")
    outcome = text("outcome", 40)
    if closed_at is not None:
        if not Lifecycle.may(status, Event.CLOSED):
            add("closed_on", "Only an accepted referral is closed (a declined one ends with its decision)")
        elif decided_at and closed_at < decided_at:
            add("closed_on", "The referral cannot close before it was decided (decided_on)")
        elif stages and closed_at < stages[-1][1]:
            add("closed_on", f"The referral cannot close before its last stage ({_show(stages[-1][1])})")
        if not outcome:
            add("outcome", "Enter the outcome of the closed referral")
    elif outcome:
        add("closed_on", "Enter the date the referral closed with this outcome")

    exceptions: list[str] = []
    if get("exceptions") and pathway is not None:
        allowed = sorted({code for clock in pathway.clocks for code in clock.exceptions})
        for code in dict.fromkeys(c.strip() for c in get("exceptions").split(";") if c.strip()):
            if code not in allowed:
                add("exceptions", f"Unknown exception '{code}': " + (
                    "use one of " + ", ".join(allowed) if allowed else f"no clock of {pathway.key} allows exceptions"))
            else:
                exceptions.append(code)
    pauses = _pauses(get("pauses"), received_at, today, add) if get("pauses") else []

    if check.count or pathway is None or to_agency is None or received_at is None or dob is None:
        return None
    person = NewPerson(PersonRole.CHILD.value, given, family_name, dob,
                       nhs_number=clean_nhs_number(nhs) if nhs else None, upn=clean_upn(upn) if upn else None)
    child = children.resolve(person, ward, add)
    if child is None:
        return None
    return _Row(line=line, record_id=get("record_id"), child=child, pathway=pathway,
                from_agency_id=from_agency.id if from_agency else None, to_agency_id=to_agency.id, urgency=urgency,
                ward=ward, received_at=received_at, decision=decision, decided_at=decided_at,
                signposted_to=signposted_to if decision == Decision.DECLINE else None, stages=stages,
                closed_at=closed_at, outcome=outcome, exceptions=exceptions, pauses=pauses)


def _stages(value: str, pathway: Pathway, decided_at: dt.datetime | None, now: dt.datetime,
            add: Callable[[str | None, str], None]) -> list[tuple[str, dt.datetime]]:
    """`stage=date;stage=date`, each an allowed move from the one before (the first from the pathway's first
    stage, which may itself be entered once, as acceptance does), on or after the one before."""
    stages: list[tuple[str, dt.datetime]] = []
    current, entered_first, previous = pathway.first_stage, False, decided_at
    for item in (i.strip() for i in value.split(";")):
        if not item:
            continue
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
            at, _timed = _moment(when)
        except _Bad as exc:
            add("stages", f"{key}: {exc}")
            return []
        if at > now:
            add("stages", f"{key}: the date must be today or in the past")
            return []
        if previous is not None and at < previous:
            add("stages", f"{key} ({_show(at)}) is before "
                + (f"the stage before it ({_show(previous)})" if stages else "the decision (decided_on)"))
            return []
        entered_first = entered_first or key == pathway.first_stage
        stages.append((key, at))
        current, previous = key, at
    return stages


def _pauses(value: str, received_at: dt.datetime | None, today: dt.date,
            add: Callable[[str | None, str], None]) -> list[tuple[str, dt.date, dt.date | None]]:
    """`reason=from..to;reason=from..` (an open end: the pause goes on)."""
    pauses: list[tuple[str, dt.date, dt.date | None]] = []
    for item in (i.strip() for i in value.split(";")):
        if not item:
            continue
        reason, sep, span = (part.strip() for part in item.partition("="))
        first_text, dots, last_text = (part.strip() for part in span.partition(".."))
        if not sep or not dots or not _PAUSE_REASON.fullmatch(reason) or not first_text:
            add("pauses", f"'{item}' is not reason=YYYY-MM-DD..YYYY-MM-DD (reason a short code like "
                          "family_request; leave the end empty for a pause that goes on)")
            continue
        try:
            first = _date(first_text)
            last = _date(last_text) if last_text else None
        except _Bad as exc:
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


# ---- apply ------------------------------------------------------------------------------------------

def apply(uow: UnitOfWork, actor: Actor, plan: ImportPlan, progress: Callable[[int], None] | None = None
          ) -> ImportReport:
    """Write a checked plan in the caller's transaction (the caller commits). Rows are written in the order
    they were received, so each re-referral flag sees the child's earlier closures."""
    report = plan.report
    if not report.ok or plan.agency is None:
        raise Invalid("The file has problems: nothing can be imported", {"file": report.lines()})
    if actor.kind != ActorKind.SYSTEM:
        raise NotPermitted("Only the service's operator can import referrals")
    session = uow.session
    agency_id = plan.agency.id
    scope = scope_for(agency_id)
    now = uow.now()
    definitions = [d.key for d in assessment_repo.list_definitions(session)]
    closures: dict[tuple[uuid.UUID, str], list[dt.date]] = {}
    for row in sorted(plan.rows, key=lambda r: (r.received_at, r.line)):
        child = row.child
        if child.person_id is None:
            _create_family(uow, actor, agency_id, child, definitions)
            report.families_created += 1
        assert child.person_id is not None and child.family_id is not None
        known = closures.get((child.person_id, row.pathway.key))
        if known is None:
            known = [england_date(at) for at in repo.closures(session, child.person_id, row.pathway.key) if at] \
                if child.existing else []
            closures[(child.person_id, row.pathway.key)] = known
        earlier = [day for day in known if day <= row.received_on]
        _write_referral(uow, actor, row, scope, now, re_referral=is_re_referral(
            row.received_on, max(earlier) if earlier else None))
        if row.closed_at is not None:
            known.append(england_date(row.closed_at))
        report.referrals_created += 1
        if progress is not None:
            progress(1)
    if report.referrals_created and metrics_repo.summary_state(session) is not None:
        metrics.refresh_summary(uow, actor)  # whole past months come from the summary: include the history now
    uow.audit(actor, "create", "referral_import", None, source=SOURCE, agency_id=str(agency_id),
              file_sha256=report.file_sha256, rows=report.rows, referrals_created=report.referrals_created,
              families_created=report.families_created, children_matched=report.children_matched,
              already_imported=len(report.already_imported))
    report.written = True
    return report


def _create_family(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, child: _Child,
                   definitions: list[str]) -> None:
    """A family held by the importing agency with the one child, as services.families.create_family makes it
    (encrypted names, date of birth and identifiers, blind indexes, an empty assessment from the template)."""
    session = uow.session
    family = Family(reference=_new_reference(uow), owning_agency_id=agency_id, lead_practitioner_id=None,
                    created_by_id=None, ward=child.ward)
    families_repo.add(session, family)
    person = Person(family_id=family.id, role=PersonRole.CHILD.value, position=0,
                    **person_digests(uow.blind, _as_person(child)))
    person.seal(uow.keys, "given_name", child.given_name)
    person.seal(uow.keys, "family_name", child.family_name)
    person.seal(uow.keys, "date_of_birth", child.date_of_birth.isoformat())
    person.seal(uow.keys, "nhs_number", child.nhs_number)
    person.seal(uow.keys, "upn", child.upn)
    session.add(person)
    assessment = Assessment(family_id=family.id)
    session.add(assessment)
    session.add_all([AssessmentSection(assessment_id=assessment.id, key=key, version=0) for key in definitions])
    child.person_id, child.family_id, child.family_ward = person.id, family.id, family.ward
    child.owning_agency_id = agency_id
    uow.audit(actor, "create", "family", family.id, family_id=family.id, people=1, source=SOURCE,
              owning_agency_id=str(agency_id))


def _new_reference(uow: UnitOfWork) -> str:
    from coordination.services.families import _new_reference as new_reference

    return new_reference(uow)


def _write_referral(uow: UnitOfWork, actor: Actor, row: _Row, scope: str, now: dt.datetime, *,
                    re_referral: bool) -> Referral:
    session, child = uow.session, row.child
    assert child.person_id is not None and child.family_id is not None
    stage = row.stages[-1][0] if row.stages else row.pathway.first_stage
    referral = Referral(
        family_id=child.family_id, child_id=child.person_id, pathway=row.pathway.key,
        from_agency_id=row.from_agency_id, to_agency_id=row.to_agency_id, owning_agency_id=child.owning_agency_id,
        referred_by_user_id=None,
        referred_by_key_id=None, urgency=row.urgency, status=row.status, stage=stage, received_on=row.received_on,
        received_at=row.received_at, decision=row.decision, decided_at=row.decided_at,
        signposted_to=row.signposted_to, closed_at=row.closed_at, outcome=row.outcome, re_referral=re_referral,
        sections_shared=[], child_age_at_referral=age_on(child.date_of_birth, row.received_on),
        ward=row.ward or child.family_ward, idempotency_scope=scope, idempotency_key=row.record_id, created_at=now)
    referral.seal(uow.keys, "reason", "Imported from the previous case system")
    session.add(referral)

    for kind, at, details in row.events():
        by = row.from_agency_id if kind == Event.RECEIVED else row.to_agency_id  # the sender, then the receiver
        session.add(ReferralEvent(referral_id=referral.id, kind=kind, occurred_at=at, recorded_at=now,
                                  by_agency_id=by, details={"source": SOURCE, **details}))
    for reason, first, last in row.pauses:
        session.add(ReferralPause(referral_id=referral.id, reason=reason, from_on=first, to_on=last,
                                  recorded_by_id=None, created_at=now))
    for code in row.exceptions:
        session.add(ReferralException(referral_id=referral.id, code=code, from_on=None, to_on=None,
                                      recorded_by_id=None, created_at=now))
    session.flush()
    recompute_clocks(uow, referral)
    uow.audit(actor, "create", "referral", referral.id, family_id=child.family_id, source=SOURCE,
              pathway=row.pathway.key, to_agency_id=str(row.to_agency_id),
              from_agency_id=str(row.from_agency_id) if row.from_agency_id else None, urgency=row.urgency,
              received_on=row.received_on.isoformat(), status=row.status, re_referral=re_referral,
              matched_existing_child=child.existing)
    return referral


def import_referrals(uow: UnitOfWork, actor: Actor, agency: str, data: bytes, *, dry_run: bool = False,
                     progress: Callable[[int], None] | None = None) -> ImportReport:
    """check() then, when the file has no problems and this is not a dry run, apply(). The caller commits."""
    plan = check(uow, actor, agency, data)
    plan.report.dry_run = dry_run
    if plan.report.ok and not dry_run:
        apply(uow, actor, plan, progress)
    return plan.report
