"""Reading an import file: bytes → UTF-8 text → CSV records → the header's columns → the data rows, and the values
in its cells (dates, moments, agencies by id or exact name).

Free of the database (no session, no models; an import-linter contract keeps it so): what it needs from the
service, the agencies and the record ids already imported, is handed in as plain data.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from coordination.domain.calendar import ENGLAND, england_date
from coordination.domain.referrals import RECEIVED_HOUR
from coordination.domain.text import CELL_MESSAGE, bad_cells

from .report import ImportReport, Problem, column_letter

REQUIRED = ("record_id", "given_name", "family_name", "date_of_birth", "pathway", "to_agency", "received_on")
OPTIONAL = ("nhs_number", "upn", "ward", "from_agency", "urgency", "decision", "decided_on", "signposted_to",
            "stages", "closed_on", "outcome", "exceptions", "pauses", "primary_need", "reason_for_closure",
            # an ehc_needs_assessment referral's EHC details (import_csv/ehc.py; the API's field names)
            "request_outcome", "request_outcome_on", "request_mediation", "request_tribunal", "assessment_outcome",
            "assessment_outcome_on", "plan_start_on", "placement_urn", "placement_ukprn", "sen_setting",
            "placement_rank", "sen_unit", "resourced_provision", "placement_entry_on", "plan_ceased_on",
            "cease_reason")
COLUMNS = REQUIRED + OPTIONAL
MAX_RECORD_ID = 200
MAX_PROBLEMS_PER_ROW = 20
EARLIEST_YEAR = 2000  # an event date before this is a typing slip, not history
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S")

AgencyIndex = dict[str, uuid.UUID]  # an agency's id (as text) and its casefolded name → its id


# ---- values -----------------------------------------------------------------------------------------

class BadCell(ValueError):
    """A cell's value is wrong; the message is shown to the person fixing the file."""


def _parse(text: str, formats: tuple[str, ...]) -> dt.datetime | None:
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def moment(text: str) -> tuple[dt.datetime, bool]:
    """(the moment in UTC, whether a time was given). A date alone is 09:00 England time."""
    text = text.strip()
    day_text, _, time_text = text.replace("T", " ", 1).partition(" ")
    day = _parse(day_text, _DATE_FORMATS)
    if day is None:
        raise BadCell(f"'{text}' is not a date: use YYYY-MM-DD (or DD/MM/YYYY), like 2024-03-27")
    moment_time = dt.time(RECEIVED_HOUR)
    if time_text.strip():
        timed = _parse(time_text.strip(), _TIME_FORMATS)
        if timed is None:
            raise BadCell(f"'{text}' has a time that is not HH:MM (24-hour, England time), like 2024-03-27 14:30")
        moment_time = timed.time()
    return dt.datetime.combine(day.date(), moment_time, tzinfo=ENGLAND).astimezone(dt.UTC), bool(time_text.strip())


def date_of(text: str) -> dt.date:
    at, timed = moment(text)
    if timed:
        raise BadCell("Enter a date without a time")
    return england_date(at)


def show(at: dt.datetime) -> str:
    """A moment as the file would give it: the date alone when it is 09:00 England time."""
    local = at.astimezone(ENGLAND)
    return local.date().isoformat() if local.time() == dt.time(RECEIVED_HOUR) else local.strftime("%Y-%m-%d %H:%M")


def agency_index(agencies: Iterable[tuple[uuid.UUID, str]]) -> AgencyIndex:
    index: AgencyIndex = {}
    for agency_id, name in agencies:
        index[str(agency_id)] = agency_id
        index[name.strip().casefold()] = agency_id
    return index


def find_agency(index: AgencyIndex, value: str) -> uuid.UUID | None:
    value = value.strip()
    try:
        return index.get(str(uuid.UUID(value)))
    except ValueError:
        return index.get(value.casefold())


# ---- the file ---------------------------------------------------------------------------------------

class RowCheck:
    """Collects a row's problems against the header's column positions (at most MAX_PROBLEMS_PER_ROW shown)."""

    def __init__(self, line: int, positions: dict[str, int], problems: list[Problem]):
        self.line, self.positions, self.problems, self.count = line, positions, problems, 0

    def add(self, column: str | None, message: str) -> None:
        self.count += 1
        if self.count > MAX_PROBLEMS_PER_ROW:
            return
        letter = column_letter(self.positions[column]) if column in self.positions else None
        self.problems.append(Problem(self.line, column, letter, message))


@dataclass
class Sheet:
    """The file's data rows (line number, cells) under its header's column positions."""

    positions: dict[str, int]
    rows: list[tuple[int, list[str]]]
    first_line: dict[str, int] = field(default_factory=dict)  # record_id → the line it first appears on
    duplicates: set[int] = field(default_factory=set)          # lines repeating an earlier line's record_id

    def __post_init__(self) -> None:
        for number, record in self.rows:
            key = self.cell(record, "record_id")
            if key in self.first_line:
                self.duplicates.add(number)
            else:
                self.first_line[key] = number

    def cell(self, record: list[str], name: str) -> str:
        at = self.positions.get(name)
        return record[at].strip() if at is not None and at < len(record) else ""

    def getter(self, record: list[str]) -> Callable[[str], str]:
        return lambda name: self.cell(record, name)


def _records(data: bytes, report: ImportReport) -> list[list[str]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.problem(data[:exc.start].count(b"\n") + 1, "The file is not UTF-8 text: save it as 'CSV UTF-8'")
        return None
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        report.problem(len(records) + 1, f"The file cannot be read as CSV here ({exc})")
        return None
    return records


def read_sheet(data: bytes, report: ImportReport) -> Sheet | None:
    """The file's header and data rows; None (with the problem in `report`) when it cannot be read as one."""
    records = _records(data, report)
    if records is None:
        return None
    while records and records[0] and not records[0][-1].strip():
        records[0].pop()  # spreadsheets often save empty columns after the last one named
    if not records or not any(cell.strip() for cell in records[0]):
        report.problem(1, "The file is empty: the first line must name the columns")
        return None
    if len(records[0]) == 1 and ";" in records[0][0]:
        report.problem(1, "The columns are separated by semicolons: save the file as CSV with commas "
                          "(Excel: 'CSV UTF-8 (comma delimited)')")
        return None
    positions = _check_header(records[0], report.problems)
    if report.problems:
        return None
    rows = [(number, record) for number, record in enumerate(records[1:], start=2)
            if any(cell.strip() for cell in record)]
    report.rows = len(rows)
    if not rows:
        report.problem(2, "The file has a header but no referrals")
        return None
    if _text_problems(rows, positions, report.problems):  # the one text rule, before any cell is used
        return None
    return Sheet(positions, rows)


def _text_problems(rows: list[tuple[int, list[str]]], positions: dict[str, int], problems: list[Problem]) -> bool:
    """Report each cell with control characters (domain.text) by line and column, never its value."""
    names = {at: name for name, at in positions.items()}
    before = len(problems)
    problems.extend(Problem(line, names.get(at, "no name"), column_letter(at), CELL_MESSAGE)
                    for line, at in bad_cells(rows))
    return len(problems) > before


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
    match = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.75)
    return match[0] if match else None


def screen(sheet: Sheet, report: ImportReport, done: set[str]) -> list[tuple[int, list[str], RowCheck]]:
    """The rows to check, each with its problem collector, after the record_id checks; rows whose id is in
    `done` (imported before) are reported as skipped and left out."""
    candidates: list[tuple[int, list[str], RowCheck]] = []
    width = len(sheet.positions)
    for number, record in sheet.rows:
        row_check = RowCheck(number, sheet.positions, report.problems)
        key = sheet.cell(record, "record_id")
        if len(record) > width and [c for c in record[width:] if c.strip()]:
            row_check.add(None, f"The row has {len(record)} cells but the header names {width} columns")
        if not key:
            row_check.add("record_id", "Enter the referral's id in the system it comes from")
        elif len(key) > MAX_RECORD_ID:
            row_check.add("record_id", f"Enter {MAX_RECORD_ID} characters or fewer")
        elif number in sheet.duplicates:
            row_check.add("record_id", f"'{key}' is also the record_id on line {sheet.first_line[key]}: "
                                       "each referral needs its own id")
        elif key in done:
            report.already_imported.append((number, key))
            continue
        candidates.append((number, record, row_check))
    return candidates
