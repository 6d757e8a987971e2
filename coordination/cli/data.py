"""Data in: the fictional demo borough and the historic referral import."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from ..extensions import state
from .common import CLI_ACTOR, _run

if TYPE_CHECKING:
    from ..db import UnitOfWork


@click.group("demo")
def demo_cli():
    """The fictional demo borough."""


@demo_cli.command("seed")
@click.option("--families", default=30, show_default=True)
@with_appcontext
def demo_seed(families):
    from .. import demo

    counts = _run(lambda unit: demo.seed(unit, CLI_ACTOR, state().settings, families=families))
    for name, count in counts.items():
        click.echo(f"{name}: {count}")


@click.group("referrals")
def referrals_cli():
    """Referrals: importing an authority's past referrals."""


@referrals_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--agency", required=True, help="The importing agency (its id or exact name): it holds the families "
              "the import creates.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the report (problems and summary) to this file.")
@with_appcontext
def referrals_import(file, agency, dry_run, report_file):
    """Import past referrals from a CSV file (columns: docs/import.md). All or nothing: any problem, reported
    by line and column, and nothing is written (exit code 1)."""
    from pathlib import Path

    from ..services import import_csv

    with open(file, "rb") as fh:
        data = fh.read()
    def run(unit: UnitOfWork) -> import_csv.ImportReport:
        plan = import_csv.check(unit, CLI_ACTOR, agency, data)
        plan.report.dry_run = dry_run
        if plan.report.ok and not dry_run:
            with click.progressbar(length=len(plan.rows), label="Importing referrals") as bar:
                import_csv.apply(unit, CLI_ACTOR, plan, progress=bar.update)
        else:
            unit.rollback()  # a dry run, or a file with problems: nothing is written
        return plan.report

    report = _run(run)
    lines = report.lines()
    for line in lines:
        click.echo(line)
    if report_file:
        Path(report_file).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not report.ok:
        sys.exit(1)
