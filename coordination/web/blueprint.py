"""The `web` blueprint and its gate: every view declares an access rule, checked before it runs.

Deny by default: a view without a rule is answered 404; staff views need a signed-in user (otherwise
a redirect to sign in) whose role the rule allows (otherwise 403).
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from coordination.auth.decorators import check, rule_of
from coordination.auth.web import current_actor
from coordination.errors import NotPermitted

from .drafts import signed_out_draft

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"

bp = Blueprint("web", __name__, url_prefix="/")


@bp.before_request
def _gate():
    view = current_app.view_functions.get(request.endpoint or "")
    rule = rule_of(view)
    if rule is None:
        abort(404)
    if rule.audience == "public":
        return None
    if not current_user.is_authenticated:
        # A long text posted after the session ended is shown back to copy (web.drafts), not dropped.
        return signed_out_draft(view) or redirect(url_for("web.sign_in", next=_relative_path()))
    try:
        check(current_actor(), rule)
    except NotPermitted:
        abort(403)
    return None


def _relative_path() -> str:
    return request.full_path.rstrip("?") if request.query_string else request.path
