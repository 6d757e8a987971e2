"""The family's own view from the command line: invite a parent, carer or young person, as the staff invitation
form does (the same service call, so the same rules: services.family_view.access.invite)."""
from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext

from .common import CLI_ACTOR, _run, _uuid


@click.group("family")
def family_cli():
    """The family's own view."""


@family_cli.command("invite")
@click.argument("person_id")
@click.option("--email", required=True, help="Their email address, checked with them")
@click.option("--parental-responsibility/--no-parental-responsibility", default=True,
              help="For a parent or carer: they have parental responsibility and it is not restricted (the default); "
                   "without it they cannot be invited")
@click.option("--young-person", is_flag=True, help="Invite a child as a young person (13 or over, or assessed as "
                                                    "competent: see the next two options)")
@click.option("--competence-assessed-by", metavar="NAME",
              help="For a child under 13: who assessed them as competent (their staff email address)")
@click.option("--competence-assessed-on", metavar="DATE", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="For a child under 13: when they were assessed as competent (YYYY-MM-DD)")
@with_appcontext
def family_invite(person_id, email, parental_responsibility, young_person, competence_assessed_by,
                  competence_assessed_on):
    """Invite PERSON_ID (a parent or carer with parental responsibility, or a young person of 13 or over, or younger
    when assessed competent) and email them the single-use link (valid 7 days). Prints the link as the last line,
    for development and tests."""
    from ..extensions import state
    from ..services.family_view import access
    from ..services.mail import sender_for

    if (competence_assessed_by is None) != (competence_assessed_on is None):
        raise click.UsageError("Give both --competence-assessed-by and --competence-assessed-on, or neither")
    if competence_assessed_by is not None and not young_person:
        raise click.UsageError("--competence-assessed-by and --competence-assessed-on are for --young-person")
    competence = access.Competence(competence_assessed_by, dt.date.fromordinal(competence_assessed_on.toordinal())) \
        if competence_assessed_by is not None else None
    settings = state().settings
    invitation = _run(lambda unit: access.invite(
        unit, CLI_ACTOR, _uuid(person_id, "PERSON_ID"), email, base_url=settings.public_base_url,
        has_parental_responsibility=parental_responsibility, young_person=young_person, competence=competence))
    sender_for(settings).send(invitation.email)
    click.echo(f"invited person {invitation.person_id}; the link works once, for 7 days")
    click.echo(invitation.link)
