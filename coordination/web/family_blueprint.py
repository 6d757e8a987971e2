"""The `family` blueprint: the family's own view under /my-family, with its own gate and layout.

Deny by default, as for staff: a view without a rule is 404. Its pages need a family session
(auth.family); a staff user is never a family member, so a staff session gets a 404 here, and a family session
gets nowhere on the staff blueprint (flask-login sees nobody). Anything a family member may not see is 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from coordination.auth.family import current_family_actor
from coordination.errors import NotFound, NotPermitted
from coordination.extensions import uow

from .gate import gate

family_bp = Blueprint("family", __name__, url_prefix="/my-family")


def _signed_out(_view):
    if current_user.is_authenticated:  # staff: this part of the service is not theirs
        abort(404)
    return redirect(url_for("family.sign_in"))


family_bp.before_request(gate(current_family_actor, _signed_out, refused=404))


@family_bp.errorhandler(NotFound)
def _not_found(_error):
    uow().rollback()
    return render_template("family/not_found.html"), 404


@family_bp.errorhandler(NotPermitted)
def _not_permitted(_error):
    uow().rollback()
    return render_template("family/not_found.html"), 404


@family_bp.errorhandler(404)
def _missing(_error):
    return render_template("family/not_found.html"), 404


@family_bp.app_context_processor
def _family_member():
    return {"family_member": current_family_actor() if request.blueprint == "family" else None}
