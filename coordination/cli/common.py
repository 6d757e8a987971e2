"""What every command shares: one transaction per command, errors reported with exit code 2."""
from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from ..domain.actors import Actor
from ..errors import DomainError
from ..extensions import state
from ..jobs.runner import run_job

if TYPE_CHECKING:
    from ..db import UnitOfWork

CLI_ACTOR = Actor.system("cli")
T = TypeVar("T")


def _run(work: Callable[[UnitOfWork], T]) -> T:
    """Run the command's work as one transaction (jobs.runner); a DomainError is reported (exit code 2)."""
    try:
        return run_job("cli", work, state())
    except DomainError as exc:
        _fail(exc)


def _fail(exc: DomainError) -> NoReturn:
    click.echo(f"error: {exc.message}", err=True)
    for field, messages in getattr(exc, "errors", {}).items():
        click.echo(f"  {field}: {'; '.join(messages)}", err=True)
    sys.exit(2)



def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an id", param_hint=name) from None

