"""Running the DfE-aligned CIN census validator (data-to-insight's csc-validator-be-cin, a test dependency) over
a return: `python -m cin_validator run FILE -r RULESET -o` in an empty folder writes user_report.csv there, one
row per issue with its rule code (codes ending in Q are queries)."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

RULESET = "cin2025_26"


def validator_issues(xml: bytes, folder: Path) -> dict[str, list[dict]]:
    """rule code → the issues the validator reports for `xml` (empty when it reports none)."""
    pytest.importorskip("cin_validator", reason="csc-validator-be-cin is not installed (make install)")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "census.xml"
    path.write_bytes(xml)
    done = subprocess.run([sys.executable, "-m", "cin_validator", "run", str(path), "-r", RULESET, "-o"],  # noqa: S603
                          cwd=folder, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = folder / "user_report.csv"
    assert report.exists(), "the validator wrote no report"  # it writes the header row even with no issues
    issues: dict[str, list[dict]] = {}
    with report.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            issues.setdefault(str(row["rule_code"]), []).append(row)
    return issues
