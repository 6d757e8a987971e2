"""Flask commands (`flask --app wsgi …` or the `coordination` console script). They call services only."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from .accounts import agency_cli, apikey_cli, token_cli, user_cli
from .data import demo_cli, referrals_cli
from .family import family_cli
from .operations import audit_cli, calendar_cli, db_cli, jobs_cli, keys_cli
from .returns import returns_cli


def register_cli(app: Flask) -> None:
    for group in (db_cli, agency_cli, user_cli, token_cli, apikey_cli, audit_cli, demo_cli, keys_cli, jobs_cli,
                  calendar_cli, referrals_cli, returns_cli, family_cli):
        app.cli.add_command(group)


def _create():
    from .. import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create)
def main():
    """Early help case coordination."""
