"""Signing in to the family's own view: an invitation link or an email address, then a one-time code.

The code travels by email only (services.family_view.sign_in.EmailCodeSignIn); in development the log sender
writes it to MAIL_LOG (instance/mail.log). Between the two steps the session keeps which attempt it is and the
address's blind index, never the code.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for

from coordination.auth.backoff import sign_in_backoff
from coordination.auth.decorators import access
from coordination.auth.family import current_family_actor, end_family_session, start_family_session
from coordination.errors import Conflict, NotFound, TooManyAttempts
from coordination.extensions import limiter, state, uow
from coordination.services.family_view import access as family_access
from coordination.services.family_view.sign_in import EmailCodeSignIn, Started
from coordination.services.mail import Email, sender_for

from ..family_blueprint import family_bp
from ..forms import error_list
from ..forms_family import ConfirmForm, FamilyCodeForm, FamilyEmailForm
from .session import _in_words

PENDING = "family_pending"
CODE_ERROR = "That code does not work. Check the email and try again, or ask for a new code"


def _sign_in() -> EmailCodeSignIn:
    return EmailCodeSignIn(backoff=sign_in_backoff())


def _send(email: Email | None) -> None:
    """After the commit: the message carries a link or a code, never case content."""
    if email is not None:
        sender_for(state().settings).send(email)


def _keep(started: Started) -> None:
    session[PENDING] = {"attempt": started.attempt_id, "account": started.account}


@family_bp.route("/invitation/<token>", methods=["GET", "POST"])
@access("public")
@limiter.limit("10 per minute", methods=["POST"])
def invitation(token: str):
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            started = _sign_in().begin_with_invitation(uow(), token)
        except NotFound:
            uow().commit()
            return render_template("family/invitation_problem.html", problem="unknown"), 404
        except Conflict as exc:
            uow().commit()
            problem = "used" if exc.details.get("used") else "expired"
            return render_template("family/invitation_problem.html", problem=problem), 410
        except TooManyAttempts as exc:
            uow().commit()
            return render_template("family/too_many.html", wait=_in_words(exc.retry_after)), 429
        uow().commit()
        _send(started.email)
        _keep(started)
        return redirect(url_for("family.code"))
    return render_template("family/invitation.html", form=form)


@family_bp.route("/sign-in", methods=["GET", "POST"])
@access("public")
@limiter.limit("10 per minute", methods=["POST"])
def sign_in():
    if current_family_actor() is not None:
        return redirect(url_for("family.home"))
    form = FamilyEmailForm()
    if form.validate_on_submit():
        started = _sign_in().begin_with_email(uow(), form.email.data or "")
        uow().commit()
        _send(started.email)
        _keep(started)
        return redirect(url_for("family.code"))
    return render_template("family/sign_in.html", form=form, errors=error_list(form) if form.is_submitted() else [])


@family_bp.route("/code", methods=["GET", "POST"])
@access("public")
@limiter.limit("10 per minute", methods=["POST"])
def code():
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return redirect(url_for("family.sign_in"))
    form = FamilyCodeForm()
    errors: list[dict] = []
    if form.validate_on_submit():
        started = Started(str(pending.get("attempt", "")), str(pending.get("account", "")))
        try:
            actor, epoch = _sign_in().finish(uow(), started, form.code.data or "")
        except TooManyAttempts as exc:
            uow().commit()
            form.code.errors = [f"Too many wrong codes. Wait {_in_words(exc.retry_after)} and try again"]
            return render_template("family/code.html", form=form, errors=error_list(form)), 429
        except NotFound:
            uow().commit()  # the failure is audited, and the wrong try counted
            form.code.errors = [CODE_ERROR]
            errors = error_list(form)
        else:
            uow().commit()
            start_family_session(actor, epoch)
            return redirect(url_for("family.home"))
    elif form.is_submitted():
        errors = error_list(form)
    return render_template("family/code.html", form=form, errors=errors)


@family_bp.post("/sign-out")
@access("family")
def sign_out():
    actor = current_family_actor()
    if ConfirmForm().validate_on_submit() and actor is not None:
        family_access.sign_out(uow(), actor)
        uow().commit()
        end_family_session()
        flash("You have signed out", "success")
    return redirect(url_for("family.sign_in"))
