"""The `web` blueprint and its gate: every view declares an access rule, checked before it runs.

Deny by default: a view without a rule is answered 404; staff views need a signed-in user (otherwise
a redirect to sign in) whose role the rule allows (otherwise 403).
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from coordination.auth.web import current_actor
from coordination.domain.actors import Actor

from .drafts import signed_out_draft
from .gate import gate

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"

bp = Blueprint("web", __name__, url_prefix="/")


def _staff() -> Actor | None:
    return current_actor() if current_user.is_authenticated else None


def _signed_out(view):
    # A long text posted after the session ended is shown back to copy (web.drafts), not dropped.
    return signed_out_draft(view) or redirect(url_for("web.sign_in", next=_relative_path()))


bp.before_request(gate(_staff, _signed_out, refused=403))


def _relative_path() -> str:
    return request.full_path.rstrip("?") if request.query_string else request.path
