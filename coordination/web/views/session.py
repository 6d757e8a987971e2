"""Signing in and out, the start page and the small JavaScript module that starts GOV.UK components."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, send_from_directory, session, url_for
from flask_login import current_user, login_user, logout_user

from coordination.auth.backoff import sign_in_backoff
from coordination.auth.decorators import access
from coordination.auth.web import SessionUser, current_actor
from coordination.domain.permissions import Action, may
from coordination.errors import TooManyAttempts
from coordination.extensions import limiter, uow
from coordination.services import auth as auth_service

from ..blueprint import ASSETS, bp
from ..forms import SignInForm, SignOutForm, error_list

SIGN_IN_ERROR = "Enter a correct email address and password"


def safe_next(target: str | None) -> str | None:
    """A `next` is honoured only when it is a path on this site (no scheme, host or `//`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _home() -> str:
    return url_for("web.caseload") if may(current_actor(), Action.READ_CASE) else url_for("web.index")


@bp.get("/")
@access("staff")
def index():
    if may(current_actor(), Action.READ_CASE):
        return redirect(url_for("web.caseload"))
    return render_template("views/index.html")


@bp.route("/sign-in", methods=["GET", "POST"])
@access("public")
@limiter.limit("10 per minute", methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(_home())
    form = SignInForm()
    errors: list[dict] = []
    if form.validate_on_submit():
        try:
            user = auth_service.sign_in(uow(), form.email.data or "", form.password.data or "",
                                        backoff=sign_in_backoff())
        except TooManyAttempts as exc:
            uow().commit()  # the refusal is audited
            wait = _in_words(exc.retry_after)
            form.email.errors = [f"Too many attempts to sign in to this account. Wait {wait} and try again"]
            errors = [{"text": form.email.errors[0], "href": "#email"}]
            page = render_template("views/sign_in.html", form=form, errors=errors)
            return page, 429, {"Retry-After": str(exc.retry_after)}
        uow().commit()  # the failure is audited too
        if user is not None:
            session.clear()
            login_user(SessionUser(user))
            return redirect(safe_next(request.args.get("next")) or _home())
        form.email.errors = [SIGN_IN_ERROR]
        errors = [{"text": SIGN_IN_ERROR, "href": "#email"}]
    elif form.is_submitted():
        errors = error_list(form)
    return render_template("views/sign_in.html", form=form, errors=errors)


def _in_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@bp.post("/sign-out")
@access("staff")
def sign_out():
    if SignOutForm().validate_on_submit():
        auth_service.sign_out(uow(), current_actor())
        uow().commit()
        logout_user()
        session.clear()
        flash("You have signed out", "success")
    return redirect(url_for("web.sign_in"))


@bp.get("/web-assets/init.mjs")
@access("public")
def init_script():
    """Starts GOV.UK Frontend's components (a module file: the CSP allows no inline script)."""
    return _asset("init.mjs", "text/javascript")


@bp.get("/web-assets/app.css")
@access("public")
def stylesheet():
    return _asset("app.css", "text/css")


def _asset(name: str, mimetype: str):
    """One of the service's own static files, cacheable for an hour (public: it holds nothing personal)."""
    response = send_from_directory(ASSETS, name, mimetype=mimetype, max_age=3600)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.app_context_processor
def _navigation():
    signed_in = current_user.is_authenticated
    return {"can_hold_cases": signed_in and may(current_actor(), Action.READ_CASE)}
