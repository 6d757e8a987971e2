"""What an import tells the operator: each problem by line and column, as a spreadsheet labels them (the header
is line 1, columns A, B, …), and a summary of what was, or would be, written."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field


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

    def problem(self, line: int, message: str) -> None:
        """A problem with the file or a line as a whole (no column)."""
        self.problems.append(Problem(line, None, None, message))

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
