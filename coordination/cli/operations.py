"""Running the service: migrations, the audit trail, encryption keys, jobs and the calendar."""
from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from ..extensions import state
from .common import CLI_ACTOR, _run, _uuid

if TYPE_CHECKING:
    from ..db import UnitOfWork


@click.group("db")
def db_cli():
    """Database migrations."""


@db_cli.command("upgrade")
@click.option("--revision", default="head")
@with_appcontext
def db_upgrade(revision):
    """Apply migrations (Alembic)."""
    from ..migrate import upgrade

    upgrade(state().engine, revision)
    click.echo(f"database at {revision}")


@click.group("audit")
def audit_cli():
    """The tamper-evident audit trail."""


@audit_cli.command("verify")
@with_appcontext
def audit_verify():
    from ..services import audit_trail

    st = state()
    report = _run(lambda unit: audit_trail.verify_trail(unit, st.settings.checkpoint_dir,
                                                        st.settings.audit_signing_key))
    if report.ok:
        click.echo(report.message)
        return
    click.echo(f"BROKEN: {report.message}")
    sys.exit(1)


@audit_cli.command("seal")
@with_appcontext
def audit_seal():
    """Chain the audit events committed since the last seal (PostgreSQL; the relay does this every 2 seconds)."""
    from ..services import audit_trail

    click.echo(f"sealed {_run(audit_trail.seal)}")


@audit_cli.command("checkpoint")
@with_appcontext
def audit_checkpoint():
    import json

    from ..services import audit_trail

    st = state()
    try:
        record = _run(lambda unit: audit_trail.write_checkpoint(unit, st.settings.checkpoint_dir,
                                                                st.settings.audit_signing_key))
    except RuntimeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(json.dumps(record, sort_keys=True))


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
    from ..services import keys

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
    from ..services import keys

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
    from ..jobs.relay import run

    result = run(state(), once=once, interval=interval, batch=batch)
    click.echo(f"dispatched {result.dispatched}, handled {result.handled}, failed {result.failed}, "
               f"requeued {result.requeued}, parked {result.parked}")


@jobs_cli.command("stuck")
@with_appcontext
def jobs_stuck():
    """List outbox messages parked after failing too often (ids, topics and error types: no content)."""
    from ..services import outbox

    stuck = _run(outbox.parked_messages)
    for message in stuck:
        click.echo(f"{message.message_id}  {message.topic}  created {message.created_at:%Y-%m-%d %H:%M}  "
                   f"failed {message.failures} times  last: {message.last_error or '-'}")
    click.echo(f"{len(stuck)} parked message(s)")


@jobs_cli.command("retry")
@click.argument("message_id")
@with_appcontext
def jobs_retry(message_id):
    """Try a parked outbox message again (after fixing what made it fail); audited."""
    from ..services import outbox

    target = _uuid(message_id, "MESSAGE_ID")
    if not _run(lambda unit: outbox.retry(unit, CLI_ACTOR, target)):
        click.echo(f"error: no parked message {message_id}", err=True)
        sys.exit(2)
    click.echo(f"message {message_id} will be relayed again")


@jobs_cli.command("daily")
@with_appcontext
def jobs_daily():
    """Run the daily jobs now (digests, consent reminders, age and phase transfer tasks); idempotent."""
    from ..jobs import handlers

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
    from ..services import calendar

    def refresh(unit: UnitOfWork) -> tuple[dt.date, dt.date, int]:
        today = unit.today()
        start = first.date() if first else today.replace(year=today.year - 3, month=1, day=1)
        end = last.date() if last else today.replace(year=today.year + 1, month=12, day=31)
        return start, end, calendar.refresh_working_days(unit, start, end, actor=CLI_ACTOR)

    start, end, added = _run(refresh)
    click.echo(f"working days {start.isoformat()} to {end.isoformat()}: {added} days added")
