"""Agencies, staff accounts, personal tokens and partner API keys."""
from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from ..domain.permissions import Scope
from .common import CLI_ACTOR, _run, _uuid

if TYPE_CHECKING:
    from ..db import UnitOfWork


@click.group("agency")
def agency_cli():
    """Partner agencies and council teams."""


@agency_cli.command("add")
@click.argument("name")
@click.option("--type", "type_", required=True)
@with_appcontext
def agency_add(name, type_):
    from ..services import admin

    agency = _run(lambda unit: admin.add_agency(unit, CLI_ACTOR, name, type_))
    click.echo(str(agency.id))


@agency_cli.command("census-source")
@click.argument("agency_id")
@click.argument("code")
@with_appcontext
def agency_census_source(agency_id, code):
    """Set the CIN census ReferralSource of the team's referrals (e.g. 3B health visiting, 3C school nursing, 3F
    CAMHS); `none` goes back to the one its type gives."""
    from ..services import admin

    agency = _run(lambda unit: admin.set_census_referral_source(
        unit, CLI_ACTOR, _uuid(agency_id, "AGENCY_ID"), None if code.lower() == "none" else code))
    click.echo(f"{agency.name}: {agency.census_referral_source or 'by its type'}")


@click.group("user")
def user_cli():
    """Staff users."""


@user_cli.command("add")
@click.argument("email")
@click.option("--agency", "agency_id", required=True)
@click.option("--role", required=True)
@click.option("--name", default="")
@click.option("--send-link", is_flag=True, help="Email them a one-time link to choose a password instead.")
@with_appcontext
def user_add(email, agency_id, role, name, send_link):
    """Add a staff user; the password is read from standard input, or with --send-link they choose it."""
    from ..services import admin, password_reset

    password = None if send_link else _read_password()
    agency = _uuid(agency_id, "--agency")

    def work(unit: UnitOfWork):
        user = admin.add_user(unit, CLI_ACTOR, email, name, agency, role, password)
        if send_link:
            password_reset.issue_password_reset(unit, CLI_ACTOR, user.id, new_account=True)
        return user

    click.echo(str(_run(work).id))


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _change_user(email: str, change) -> None:
    """Apply `change(unit, user_id)` to the user with this email, in one transaction; their sessions end."""
    from ..services import admin

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
    from ..services import admin

    password = _read_password()
    _change_user(email, lambda unit, uid: admin.set_password(unit, CLI_ACTOR, uid, password))


@user_cli.command("set-role")
@click.argument("email")
@click.argument("role")
@with_appcontext
def user_set_role(email, role):
    """Change a user's role; their sessions end."""
    from ..services import admin

    _change_user(email, lambda unit, uid: admin.change_role(unit, CLI_ACTOR, uid, role))


@user_cli.command("deactivate")
@click.argument("email")
@with_appcontext
def user_deactivate(email):
    """Deactivate a user: they cannot sign in, and their sessions and tokens stop working."""
    from ..services import admin

    _change_user(email, lambda unit, uid: admin.deactivate_user(unit, CLI_ACTOR, uid))


@user_cli.command("reactivate")
@click.argument("email")
@with_appcontext
def user_reactivate(email):
    """Reactivate a deactivated user: they can sign in again with the password they had."""
    from ..services import admin

    _change_user(email, lambda unit, uid: admin.reactivate_user(unit, CLI_ACTOR, uid))


@user_cli.command("send-reset-link")
@click.argument("email")
@with_appcontext
def user_send_reset_link(email):
    """Email the user a one-time link (24 hours) to choose a new password."""
    from ..services import password_reset

    _change_user(email, lambda unit, uid: password_reset.issue_password_reset(unit, CLI_ACTOR, uid))


@click.group("token")
def token_cli():
    """Personal access tokens for staff."""


@token_cli.command("issue")
@click.option("--user", "email", required=True)
@with_appcontext
def token_issue(email):
    from ..services import auth

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
    from ..services import auth

    agency = _uuid(agency_id, "--agency")
    _key, secret = _run(lambda unit: auth.issue_api_key(unit, CLI_ACTOR, agency, name or "CLI key",
                                                        list(scopes) or [Scope.READ_ASSESSMENT.value]))
    click.echo(secret)
