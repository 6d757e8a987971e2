"""Setting a password through a one-time link (public: the person is not signed in).

The link's secret is in the query string (`/password-reset?link=…`), which the access logs of gunicorn and nginx
leave out (deploy/), and the form posts it back in its body, not its address. Every response carries
Cache-Control: no-store, and the service's Referrer-Policy is no-referrer, so the secret is not kept by the
browser or passed to another site. A wrong,
used, expired or revoked link is a 404 page that says which (never whose link it was). Setting the password
uses the link up and ends every session the person had; they then sign in.
"""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import logout_user

from coordination.auth.decorators import access
from coordination.errors import Invalid, NotFound
from coordination.extensions import limiter, uow
from coordination.services import password_reset

from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_admin import NewPasswordForm

NO_STORE = {"Cache-Control": "no-store"}


@bp.route("/password-reset", methods=["GET", "POST"])
@access("public")
@limiter.limit("10 per minute", methods=["POST"])
def reset_password():
    secret = (request.form.get("link") if request.method == "POST" else request.args.get("link")) or ""
    check = password_reset.check_link(uow(), secret)
    if check.state is None or check.state.value != "open":
        uow().commit()
        state = check.state.value if check.state else "unknown"
        return render_template("views/password_reset_dead.html", state=state), 404, NO_STORE
    form = NewPasswordForm()
    errors: list[dict] = []
    if form.validate_on_submit():
        try:
            password_reset.complete_password_reset(uow(), secret, form.password.data or "",
                                                   form.confirmation.data or "")
        except Invalid as exc:
            uow().rollback()
            errors = add_service_errors({"password": form.password, "confirmation": form.confirmation},
                                        exc.errors) + error_list(form)
        except NotFound:  # used a moment ago, in another tab
            uow().rollback()
            return render_template("views/password_reset_dead.html", state="used"), 404, NO_STORE
        else:
            uow().commit()
            logout_user()  # whoever was signed in in this browser: the person signs in with the new password
            return redirect(url_for("web.password_reset_done"))
    elif form.is_submitted():
        errors = error_list(form)
    uow().commit()
    return render_template("views/password_reset.html", form=form, errors=errors, name=check.name,
                           secret=secret), 200, NO_STORE


@bp.get("/password-reset/done")
@access("public")
def password_reset_done():
    return render_template("views/password_reset_done.html")
