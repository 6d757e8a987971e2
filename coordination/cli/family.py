"""The family's own view from the command line: invite a parent, carer or young person."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from .common import CLI_ACTOR, _run, _uuid


@click.group("family")
def family_cli():
    """The family's own view."""


@family_cli.command("invite")
@click.argument("person_id")
@click.option("--email", required=True, help="Their email address, checked with them")
@with_appcontext
def family_invite(person_id, email):
    """Invite PERSON_ID (a parent or carer with parental responsibility, or a young person of 13 or over) and email
    them the single-use link (valid 7 days). Prints the link as the last line, for development and tests."""
    from ..extensions import state
    from ..services.family_view import access
    from ..services.mail import sender_for

    settings = state().settings
    invitation = _run(lambda unit: access.invite(unit, CLI_ACTOR, _uuid(person_id, "PERSON_ID"), email,
                                                 base_url=settings.public_base_url))
    sender_for(settings).send(invitation.email)
    click.echo(f"invited person {invitation.person_id}; the link works once, for 7 days")
    click.echo(invitation.link)
