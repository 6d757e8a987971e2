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
