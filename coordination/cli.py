"""Flask commands (`flask --app wsgi …` or the `coordination` console script). They call services only."""
from __future__ import annotations

import datetime as dt
import sys
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from .domain.actors import Actor
from .domain.permissions import Scope
from .errors import DomainError
from .extensions import state
from .jobs.runner import run_job

if TYPE_CHECKING:
    from .db import UnitOfWork

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


@click.group("db")
def db_cli():
    """Database migrations."""


@db_cli.command("upgrade")
@click.option("--revision", default="head")
@with_appcontext
def db_upgrade(revision):
    """Apply migrations (Alembic)."""
    from .migrate import upgrade

    upgrade(state().engine, revision)
    click.echo(f"database at {revision}")


@click.group("agency")
def agency_cli():
    """Partner agencies and council teams."""


@agency_cli.command("add")
@click.argument("name")
@click.option("--type", "type_", required=True)
@with_appcontext
def agency_add(name, type_):
    from .services import admin

    agency = _run(lambda unit: admin.add_agency(unit, CLI_ACTOR, name, type_))
    click.echo(str(agency.id))


@click.group("user")
def user_cli():
    """Staff users."""


@user_cli.command("add")
@click.argument("email")
@click.option("--agency", "agency_id", required=True)
@click.option("--role", required=True)
@click.option("--name", default="")
@with_appcontext
def user_add(email, agency_id, role, name):
    """Add a staff user; the password is read from standard input."""
    from .services import admin

    password = _read_password()
    agency = _uuid(agency_id, "--agency")
    user = _run(lambda unit: admin.add_user(unit, CLI_ACTOR, email, name, agency, role, password))
    click.echo(str(user.id))


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _change_user(email: str, change) -> None:
    """Apply `change(unit, user_id)` to the user with this email, in one transaction; their sessions end."""
    from .services import admin

    def work(unit: UnitOfWork) -> uuid.UUID:
        user_id = admin.user_id_for_email(unit, email)
        change(unit, user_id)
        return user_id

    click.echo(str(_run(work)))


@user_cli.command("set-password")
@click.argument("email")
@with_appcontext
def user_set_password(email):
    """Set a user's password (read from standard input); their sessions end."""
    from .services import admin

    password = _read_password()
    _change_user(email, lambda unit, uid: admin.set_password(unit, CLI_ACTOR, uid, password))


@user_cli.command("set-role")
@click.argument("email")
@click.argument("role")
@with_appcontext
def user_set_role(email, role):
    """Change a user's role; their sessions end."""
    from .services import admin

    _change_user(email, lambda unit, uid: admin.change_role(unit, CLI_ACTOR, uid, role))


@user_cli.command("deactivate")
@click.argument("email")
@with_appcontext
def user_deactivate(email):
    """Deactivate a user: they cannot sign in, and their sessions and tokens stop working."""
    from .services import admin

    _change_user(email, lambda unit, uid: admin.deactivate_user(unit, CLI_ACTOR, uid))


def _uuid(value: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an id", param_hint=name) from None


@click.group("token")
def token_cli():
    """Personal access tokens for staff."""


@token_cli.command("issue")
@click.option("--user", "email", required=True)
@with_appcontext
def token_issue(email):
    from .services import auth

    secret = _run(lambda unit: auth.issue_token_for_email(unit, CLI_ACTOR, email))
    click.echo(secret)


@click.group("apikey")
def apikey_cli():
    """Partner agency API keys."""


@apikey_cli.command("issue")
@click.option("--agency", "agency_id", required=True)
@click.option("--scope", "scopes", multiple=True)
@click.option("--name", default="")
@with_appcontext
def apikey_issue(agency_id, scopes, name):
    from .services import auth

    agency = _uuid(agency_id, "--agency")
    _key, secret = _run(lambda unit: auth.issue_api_key(unit, CLI_ACTOR, agency, name or "CLI key",
                                                        list(scopes) or [Scope.READ_ASSESSMENT.value]))
    click.echo(secret)


@click.group("audit")
def audit_cli():
    """The tamper-evident audit trail."""


@audit_cli.command("verify")
@with_appcontext
def audit_verify():
    from .services import audit_trail

    st = state()
    report = _run(lambda unit: audit_trail.verify_trail(unit, st.settings.checkpoint_dir,
                                                        st.settings.audit_signing_key))
    if report.ok:
        click.echo(report.message)
        return
    click.echo(f"BROKEN: {report.message}")
    sys.exit(1)


@audit_cli.command("checkpoint")
@with_appcontext
def audit_checkpoint():
    import json

    from .services import audit_trail

    st = state()
    try:
        record = _run(lambda unit: audit_trail.write_checkpoint(unit, st.settings.checkpoint_dir,
                                                                st.settings.audit_signing_key))
    except RuntimeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(record, sort_keys=True))


@click.group("demo")
def demo_cli():
    """The fictional demo borough."""


@demo_cli.command("seed")
@click.option("--families", default=30, show_default=True)
@with_appcontext
def demo_seed(families):
    from . import demo

    counts = _run(lambda unit: demo.seed(unit, CLI_ACTOR, state().settings, families=families))
    for name, count in counts.items():
        click.echo(f"{name}: {count}")


@click.group("keys")
def keys_cli():
    """Encryption keys."""


@keys_cli.command("rotate")
@click.option("--batch-size", default=500, show_default=True)
@click.option("--seen-within", default=5, show_default=True, type=click.IntRange(1),
              help="Minutes: instances announced more recently than this must all hold the newest key.")
@click.option("--force", is_flag=True, help="Rotate even though a running instance lacks the key (audited).")
@click.option("--reason", help="Why the rotation is forced (required with --force).")
@with_appcontext
def keys_rotate(batch_size, seen_within, force, reason):
    """Re-encrypt every protected field under the newest key in ENCRYPTION_KEYS, once every running web and rq
    worker instance has announced that it holds that key."""
    from .services import keys

    if force != (reason is not None):
        raise click.UsageError("--force and --reason go together")

    def rotate(unit: UnitOfWork) -> dict[str, int]:
        ready = keys.authorise_rotation(unit, CLI_ACTOR, dt.timedelta(minutes=seen_within),
                                        force_reason=reason if force else None)
        unit.commit()  # a forced rotation's audit event, before the first batch
        if ready.ok:
            click.echo(f"all {len(ready.seen)} instances seen in the last {seen_within} minutes hold key "
                       f"{ready.key_id}")
        else:
            click.echo(f"forced (audited): {ready.problem()}", err=True)
        with click.progressbar(length=keys.count_rows(unit),
                               label=f"Re-encrypting under key {unit.keys.current_id}") as bar:
            return keys.rotate(unit, CLI_ACTOR, batch_size=batch_size, progress=bar.update)

    counts = _run(rotate)
    for table, count in counts.items():
        click.echo(f"{table}: {count} fields re-encrypted")


@keys_cli.command("reindex")
@click.option("--batch-size", default=500, show_default=True)
@with_appcontext
def keys_reindex(batch_size):
    """Recompute the blind indexes people are found by (after a change to name matching, or a new
    BLIND_INDEX_KEY). Idempotent."""
    from .services import keys

    def reindex(unit: UnitOfWork) -> dict[str, int]:
        with click.progressbar(length=keys.count_people(unit), label="Re-indexing people") as bar:
            return keys.reindex(unit, CLI_ACTOR, batch_size=batch_size, progress=bar.update)

    counts = _run(reindex)
    for table, count in counts.items():
        click.echo(f"{table}: {count} rows re-indexed")


@click.group("jobs")
def jobs_cli():
    """Background work: the outbox relay and the daily jobs."""


@jobs_cli.command("relay")
@click.option("--once", is_flag=True, help="Relay one batch and exit (without Redis: handle it here).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls when idle.")
@click.option("--batch", default=500, show_default=True)
@with_appcontext
def jobs_relay(once, interval, batch):
    """Move outbox messages into rq (or, with REDIS_URL unset, handle them directly)."""
    from .jobs.relay import run

    result = run(state(), once=once, interval=interval, batch=batch)
    click.echo(f"dispatched {result.dispatched}, handled {result.handled}, failed {result.failed}")


@jobs_cli.command("daily")
@with_appcontext
def jobs_daily():
    """Run the daily jobs now (digests, consent reminders, age and phase transfer tasks); idempotent."""
    from .jobs import handlers

    for job in (handlers.queue_daily_digests, handlers.queue_consent_reminders,
                handlers.raise_age_transition_tasks, handlers.raise_phase_transfer_tasks):
        click.echo(f"{job.__name__}: {job(state())}")


@click.group("calendar")
def calendar_cli():
    """The working-day calendar (England and Wales bank holidays) the timeliness figures use."""


@calendar_cli.command("refresh")
@click.option("--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day (default: 1 January three years ago).")
@click.option("--to", "last", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Last day (default: 31 December next year).")
@with_appcontext
def calendar_refresh(first, last):
    """Fill the working_day table for a range of days; days already there are left alone (idempotent)."""
    from .services import calendar

    def refresh(unit: UnitOfWork) -> tuple[dt.date, dt.date, int]:
        today = unit.today()
        start = first.date() if first else today.replace(year=today.year - 3, month=1, day=1)
        end = last.date() if last else today.replace(year=today.year + 1, month=12, day=31)
        return start, end, calendar.refresh_working_days(unit, start, end, actor=CLI_ACTOR)

    start, end, added = _run(refresh)
    click.echo(f"working days {start.isoformat()} to {end.isoformat()}: {added} days added")


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

    from .services import import_csv

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


def register_cli(app: Flask) -> None:
    for group in (db_cli, agency_cli, user_cli, token_cli, apikey_cli, audit_cli, demo_cli, keys_cli, jobs_cli,
                  calendar_cli, referrals_cli):
        app.cli.add_command(group)


def _create():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create)
def main():
    """Early help case coordination."""
