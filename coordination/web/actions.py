"""One way to carry out a form that changes something: call the service, then either show the errors where
they belong (nothing written), or say it was already done, or commit and say what happened.

Views that revoke, withdraw, withhold, decide, move on or close use it, so each keeps only what differs: the
service call, which form fields its field map lands on, where to go after and the words to show.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, redirect
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import Field

from coordination.errors import Conflict, Invalid
from coordination.extensions import uow

from .forms import add_service_errors, error_list


def submit_action(form: FlaskForm, call: Callable[[], Any], *, fields: Mapping[str, Field], done: str,
                  success: str | Callable[[Any], str], conflict: str | None = None, href: str | None = None,
                  messages: Callable[[dict[str, list[str]]], dict[str, list[str]]] | None = None
                  ) -> tuple[Response | None, list[dict]]:
    """(redirect, []) when the action was carried out (committed) or had already been (Conflict: rolled back,
    `conflict` shown; without `conflict` a Conflict is not expected and propagates); (None, errors) to show the
    form again: the form's own errors, or the service's Invalid field map placed on `fields` (rolled back).
    `href` points every service error at one field; `messages` rewrites the field map first (e.g. friendlier
    words for an empty answer)."""
    if not form.validate_on_submit():
        return None, error_list(form) if form.is_submitted() else []
    try:
        result = call()
    except Invalid as exc:
        uow().rollback()
        placed = add_service_errors(dict(fields), messages(exc.errors) if messages else exc.errors)
        if href:
            placed = [dict(e, href=href) for e in placed]
        return None, placed + error_list(form)
    except Conflict:
        if conflict is None:
            raise
        uow().rollback()
        flash(conflict, "info")
        return redirect(done), []
    uow().commit()
    flash(success(result) if callable(success) else success, "success")
    return redirect(done), []
