"""One input rule for all text (coordination.domain.text), in `flask referrals import`: a cell with a control
character (a NUL byte, which PostgreSQL cannot store) is a validation line naming its line and column, in the
dry run and in the real run alike; the cell's value is never printed and nothing is written."""
from __future__ import annotations

import pytest

from .test_referral_import import GOOD_ROWS, agencies, counts, csv_bytes, existing  # noqa: F401  (fixtures)

AGENCY = "Riverside Early Help Hub"


@pytest.fixture
def bad_file(tmp_path):
    rows = list(GOOD_ROWS)
    rows[2] = rows[2].replace("Family support group", "Family\x00support group")  # line 4, column O
    rows[0] = rows[0].replace("needs_met", "needs\x1bmet")  # line 2, column R
    rows[4] = rows[4].replace("R-005", "R-\x00005")  # line 6, column A: the id that is looked up first
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(*rows))
    return path


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_control_characters_in_cells_are_reported_by_line_and_column_and_nothing_is_written(
        app, uow, agencies, existing, bad_file, dry_run):  # noqa: F811
    before = counts(uow)
    result = app.test_cli_runner().invoke(args=["referrals", "import", str(bad_file), "--agency", AGENCY,
                                                *(["--dry-run"] if dry_run else [])])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    message = "Remove the control characters (such as a NUL byte) from this cell"
    assert lines == [f"line 2, column R (outcome): {message}", f"line 4, column O (signposted_to): {message}",
                     f"line 6, column A (record_id): {message}", "3 problem(s) in 6 rows: nothing was imported."]
    assert "support group" not in result.output and "Traceback" not in result.output
    uow.session.expire_all()
    assert counts(uow) == before


def test_implausible_dates_of_birth_are_reported_by_line_and_column(uow, agencies, existing):  # noqa: F811
    from .test_referral_import import run

    rows = list(GOOD_ROWS)
    rows[0] = rows[0].replace("2015-06-01", "1899-06-01")   # line 2: before 1900
    rows[2] = rows[2].replace("2012-02-29", "1990-02-28")   # line 4: 36 when referred in 2026
    rows[3] = rows[3].replace("2019-09-09", "2001-03-06")   # line 5: 24 when referred on 5 January 2026
    report = run(uow, csv_bytes(*rows), dry_run=True)
    assert [str(p) for p in report.problems] == [
        "line 2, column D (date_of_birth): Date of birth must be in 1900 or later",
        "line 4, column D (date_of_birth): A child must be under 26: record someone aged 26 or over as a parent, "
        "carer or other"]
