"""Partner API keys pages: the list (admins; managers, scoped), asking for a key, confirming one, revoking
and setting an expiry.

Issuing is two-person (services.api_keys): the admin who asks is shown the first part of the secret, the
second person who confirms is shown the second part; each is rendered straight into the response to that
POST (never put in the session or a redirect), and every response carries Cache-Control: no-store, so it is
not kept by the browser. An expiry date means the key stops working at the start of that day in England.
"""
from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.actors import AgencyType
from coordination.domain.permissions import Action, may, may_hold_api_key
from coordination.errors import Conflict, Invalid, NotPermitted
from coordination.extensions import uow
from coordination.services import api_keys as keys_service
from coordination.services import directory

from ..actions import submit_action
from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_sharing import AGENCY_TYPE_LABELS, SCOPE_LABELS, ApiKeyForm, ConfirmForm, ExpiryForm, ReasonForm

ENGLAND = ZoneInfo("Europe/London")
ASKED_KEYS = "asked_api_keys"  # this session's recent key requests: ids of forms sent, never keys or secrets


@bp.app_context_processor
def _keys_navigation():
    return {"can_manage_keys": current_user.is_authenticated and may(current_actor(), Action.VIEW_KEYS)}


def _start_of(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(), tzinfo=ENGLAND).astimezone(dt.UTC) if day else None


def _day_of(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(ENGLAND).date() if moment else None


@bp.get("/admin/api-keys")
@access("staff", action=Action.VIEW_KEYS)
def api_keys():
    keys = keys_service.list_api_keys(uow(), current_actor())
    uow().commit()
    return render_template("views/api_keys.html", keys=keys, scopes=SCOPE_LABELS, day_of=_day_of,
                           may_issue=may(current_actor(), Action.MANAGE_KEYS))


@bp.route("/admin/api-keys/new", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_KEYS)
def issue_api_key():
    form = ApiKeyForm()
    types = {t.value: v for t, v in AGENCY_TYPE_LABELS.items()}
    form.agency_id.choices = [("", "Choose an agency")] + [
        (str(a[0]), f"{a[1]} ({types.get(a[2], a[2])})") for a in directory.list_agencies(uow())
        if may_hold_api_key(AgencyType(a[2]))]
    form.scopes.choices = list(SCOPE_LABELS.items())
    errors: list[dict] = []
    asked = session.get(ASKED_KEYS, [])
    if not form.is_submitted():
        form.request_id.data = uuid.uuid4().hex
    elif form.request_id.data and form.request_id.data in asked:
        # The page that showed the first part was sent again (Back, refresh): never a second key.
        uow().commit()
        flash("This key has already been asked for, and its first part was shown once. If it was not copied, "
              "revoke the key and ask for a new one.", "info")
        return redirect(url_for("web.api_keys"))
    if form.validate_on_submit():
        try:
            agency_id = uuid.UUID(form.agency_id.data or "")
        except ValueError:
            form.agency_id.errors = ["Choose the agency the key is for"]
        if not form.scopes.data:
            form.scopes.errors = ["Choose what the key may do"]
        expires_at = _start_of(form.expires_on.data)
        if expires_at is not None and expires_at <= uow().now():
            form.expires_on.errors = ["The expiry date must be in the future"]
        if not (form.agency_id.errors or form.scopes.errors or form.expires_on.errors):
            try:
                view, first_part = keys_service.request_api_key(
                    uow(), current_actor(), agency_id, form.name.data.strip(), list(form.scopes.data),
                    expires_at=expires_at)
            except Invalid as exc:
                uow().rollback()
                fields = {"agency_id": form.agency_id, "scopes": form.scopes}
                errors = [dict(e, href="#agency_id") for e in add_service_errors(fields, exc.errors)]
            else:
                uow().commit()
                if form.request_id.data:
                    session[ASKED_KEYS] = [*asked, form.request_id.data][-20:]
                return render_template("views/api_key_part.html", part=1, key=view, secret=first_part,
                                       scopes=SCOPE_LABELS, day_of=_day_of)
        errors += error_list(form)
    elif form.is_submitted():
        errors = error_list(form)
    uow().commit()
    return render_template("views/api_key_new.html", form=form, errors=errors)


@bp.route("/admin/api-keys/<uuid:key_id>/confirm", methods=["GET", "POST"])
@access("staff", action=Action.VIEW_KEYS)
def confirm_api_key(key_id: uuid.UUID):
    """The second person checks the pending key and confirms it; the second part is shown to them once."""
    key = keys_service.get_api_key(uow(), current_actor(), key_id)
    if not key.may_confirm:
        uow().commit()
        if key.state != "pending":
            flash("This key is not waiting to be confirmed", "info")
            return redirect(url_for("web.api_keys"))
        raise NotPermitted("A second admin, or a manager of the receiving agency, confirms a key: not its issuer")
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            view, second_part = keys_service.confirm_api_key(uow(), current_actor(), key_id)
        except Conflict:  # confirmed (or revoked) by someone else a moment ago
            uow().rollback()
            flash("This key is not waiting to be confirmed", "info")
            return redirect(url_for("web.api_keys"))
        uow().commit()
        return render_template("views/api_key_part.html", part=2, key=view, secret=second_part,
                               scopes=SCOPE_LABELS, day_of=_day_of)
    uow().commit()
    return render_template("views/api_key_confirm.html", key=key, form=form, scopes=SCOPE_LABELS,
                           day_of=_day_of, errors=error_list(form) if form.is_submitted() else [])


@bp.route("/admin/api-keys/<uuid:key_id>/revoke", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_KEYS)
def revoke_api_key(key_id: uuid.UUID):
    form = ReasonForm()
    return _key_action(
        key_id, form, "views/api_key_revoke.html",
        lambda: keys_service.revoke_api_key(uow(), current_actor(), key_id, form.reason.data or ""),
        fields={"reason": form.reason}, href="#reason",
        success="Key {prefix}… revoked. It no longer works", conflict="This key had already been revoked")


@bp.route("/admin/api-keys/<uuid:key_id>/expiry", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_KEYS)
def api_key_expiry(key_id: uuid.UUID):
    form = ExpiryForm()
    return _key_action(
        key_id, form, "views/api_key_expiry.html",
        lambda: keys_service.set_api_key_expiry(uow(), current_actor(), key_id, _start_of(form.expires_on.data)),
        fields={"expires_at": form.expires_on}, href="#expires_on-day",
        success="Expiry of key {prefix}… saved", conflict="A revoked key cannot be given a new expiry",
        prefill=lambda key: setattr(form.expires_on, "data", _day_of(key.expires_at)))


def _key_action(key_id: uuid.UUID, form, template: str, call, *, fields, href: str, success: str, conflict: str,
                prefill=None):
    """One change to a key from its own page (revoke, expiry): carried out, or the page again with its errors."""
    key = keys_service.get_api_key(uow(), current_actor(), key_id)
    done, errors = submit_action(form, call, fields=fields, href=href, done=url_for("web.api_keys"),
                                 success=success.format(prefix=key.prefix), conflict=conflict)
    if done is not None:
        return done
    if prefill is not None and not form.is_submitted():
        prefill(key)
    uow().commit()
    return render_template(template, key=key, form=form, errors=errors)
