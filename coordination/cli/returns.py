"""The statutory returns, written to a file: `flask returns cin-census --year YYYY --output FILE` and
`flask returns sen2 --year YYYY --output FILE`."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from ..extensions import state
from .common import CLI_ACTOR, _run

if TYPE_CHECKING:
    from ..services.reporting.returns import CensusReturn
    from ..services.reporting.sen2 import Sen2Return

OUTPUT = click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True,
                      help="Where to write the XML.")


def _write(output: str, result: CensusReturn | Sen2Return, heading: str, counts: dict[str, int],
           missing: list[str]) -> None:
    """Write a return's XML to `output`; print its heading, counts, what is missing, and its SHA-256."""
    Path(output).write_bytes(result.xml)
    click.echo(heading)
    for name, count in counts.items():
        click.echo(f"{name}: {count}")
    for sentence in missing:
        click.echo(f"missing: {sentence}")
    click.echo(f"sha256: {result.sha256}")


@click.group("returns")
def returns_cli():
    """Statutory returns to the DfE, for the whole local authority (LA_CODE)."""


@returns_cli.command("cin-census")
@click.option("--year", type=int, required=True, help="The year the census ends in: 2026 is 1 April 2025 to "
              "31 March 2026 (reference date 31 March 2026).")
@OUTPUT
@with_appcontext
def cin_census(year, output):
    """Write the Children in Need census XML; print its counts, what is missing, and its SHA-256. Audited."""
    from ..services.reporting import returns

    result = _run(lambda unit: returns.cin_census(unit, CLI_ACTOR, year, state().settings.la_code))
    heading = f"CIN census {result.first.isoformat()} to {result.reference.isoformat()}, LA {result.la_code}"
    _write(output, result, heading, {"children": result.children, "referrals (CINdetails)": result.episodes,
                                     "assessments": result.assessments, "no further action": result.nfa},
           [sentence for _, sentence, _items in result.report()])


@returns_cli.command("sen2")
@click.option("--year", type=int, required=True, help="The year of the January census: 2027 covers the calendar "
              "year 2026 (reference date the third Thursday of January 2027).")
@OUTPUT
@with_appcontext
def sen2(year, output):
    """Write the SEN2 XML; print its counts, what is missing, and its SHA-256. Audited."""
    from ..services.reporting import sen2 as sen2_service

    settings = state().settings
    result = _run(lambda unit: sen2_service.sen2_return(unit, CLI_ACTOR, year, settings.la_code,
                                                        dmo=settings.sen2_dmo, dco=settings.sen2_dco))
    heading = (f"SEN2 {result.year}: {result.first.isoformat()} to {result.last.isoformat()}, reference date "
               f"{result.reference.isoformat()}, LA {result.la_code}")
    _write(output, result, heading, {"persons": result.persons, "requests": result.requests,
                                     "assessments": result.assessments, "named plans": result.named_plans,
                                     "active plans": result.active_plans},
           [sentence for _, sentence, _items in result.report()] + list(result.header_missing))
