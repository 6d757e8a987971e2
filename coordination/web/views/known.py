"""Is this child known? Ask across agencies by NHS number or name and date of birth; see which team to contact."""
from __future__ import annotations

import uuid

from flask import redirect, render_template, session, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.permissions import Action
from coordination.errors import Invalid
from coordination.extensions import uow
from coordination.services import known as known_service

from ..blueprint import bp
from ..forms import KnownForm, add_service_errors, error_list

ANSWER = "known_answer"  # the last answer, for post/redirect/get: team names and contacts only, no child's details


@bp.route("/known", methods=["GET", "POST"])
@access("staff", action=Action.READ_CASE)
def known():
    """A POST, not a GET: NHS numbers and names must not end up in URLs and access logs."""
    form = KnownForm()
    errors: list[dict] = []
    if form.is_submitted():
        nhs = (form.nhs_number.data or "").strip() or None
        names = {"given_name": (form.given_name.data or "").strip() or None,
                 "family_name": (form.family_name.data or "").strip() or None}
        form.validate()  # the form's own checks: a date of birth that is not a real date, the text rule
        if nhs:
            form.date_of_birth.errors = []  # an NHS number is asked by alone: the name and date are not used
        valid = not any(f.errors for f in form if f.name != "csrf_token") and not form.csrf_token.errors
        dob = None if form.date_of_birth.errors else form.date_of_birth.data
        problems = known_service.check_problems(nhs, names["given_name"], names["family_name"], dob)
        if form.date_of_birth.errors:
            problems.pop("date_of_birth", None)  # its own message stands
        if valid and not problems:
            try:
                answer = known_service.is_known(uow(), current_actor(), nhs_number=nhs,
                                                date_of_birth=None if nhs else dob, **names)
            except Invalid as exc:
                uow().rollback()
                problems = exc.errors
            else:
                uow().commit()
                session[ANSWER] = {"known": answer.known, "family_id": str(answer.family_id or ""),
                                   "teams": [[str(t.agency_id), t.name, t.contact] for t in answer.teams]}
                return redirect(url_for("web.known_result"))
        unplaced = add_service_errors(dict(form._fields), problems)
        errors = [dict(item, href=f"#{form.nhs_number.id}") for item in unplaced] + error_list(form)
    return render_template("views/known.html", form=form, errors=errors)


@bp.get("/known/result")
@access("staff", action=Action.READ_CASE)
def known_result():
    answer = session.get(ANSWER)
    if answer is None:
        return redirect(url_for("web.known"))
    family_id = uuid.UUID(answer["family_id"]) if answer["family_id"] else None
    teams = [{"agency_id": a, "name": n, "contact": c} for a, n, c in answer["teams"]]
    return render_template("views/known_result.html", known=answer["known"], family_id=family_id, teams=teams)
