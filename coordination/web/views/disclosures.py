"""Safeguarding disclosures (sharing without consent, managers only): recording one through a
check-answers page, the manager oversight page and revoking one.

The check page carries the answers in hidden fields of its own form (not in the session cookie): the
justification can be long and is sensitive, so it is never stored client-side beyond the page itself.
"Change your answers" posts them back to the questions; "Record disclosure" records them.
"""
from __future__ import annotations

import datetime as dt
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.consent import MAX_DISCLOSURE_DAYS
from coordination.domain.permissions import Action, may
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.errors import Invalid, NotFound
from coordination.extensions import uow
from coordination.services import directory
from coordination.services import families as families_service
from coordination.services.sharing import safeguarding

from ..actions import submit_action
from ..blueprint import bp
from ..formatting import today
from ..forms import add_service_errors, error_list
from ..forms_sharing import AGENCY_TYPE_LABELS, LAWFUL_BASIS_LABELS, DisclosureForm, ReasonForm
from ..pages import family_page

SECTION_TITLES = {s.key: s.title for s in DEFAULT_TEMPLATE}
WITHHOLD_CHOICES = [("no", "No, the family can see it in their record of who has seen their information"),
                    ("yes", "Yes, do not show it to the family")]
EXPIRING_WITHIN = dt.timedelta(days=14)


@bp.app_context_processor
def _oversight_navigation():
    return {"can_oversee": current_user.is_authenticated
            and may(current_actor(), Action.DISCLOSE_WITHOUT_CONSENT)}


def _choices(form: DisclosureForm, owning_agency_id: uuid.UUID) -> None:
    types = {t.value: v for t, v in AGENCY_TYPE_LABELS.items()}
    form.agency_id.choices = [(str(a[0]), f"{a[1]} ({types.get(a[2], a[2])})")
                              for a in directory.list_agencies(uow()) if a[0] != owning_agency_id]
    form.sections.choices = [(s.key, s.title) for s in DEFAULT_TEMPLATE]
    form.lawful_basis.choices = list(LAWFUL_BASIS_LABELS.items())
    form.withhold.choices = WITHHOLD_CHOICES


def _record(family_id: uuid.UUID, form: DisclosureForm) -> list[dict]:
    """Ask the service to record the answers; field errors placed on the form (empty list: accepted)."""
    try:
        agency_id = uuid.UUID(form.agency_id.data or "")
    except ValueError:
        agency_id = None
    withhold = form.withhold.data == "yes"
    try:
        safeguarding.record_disclosure(
            uow(), current_actor(), family_id, agency_id=agency_id,  # type: ignore[arg-type]
            sections=form.sections.data or [], lawful_basis=form.lawful_basis.data or "",
            justification=form.justification.data or "", expires_on=form.expires_on.data,
            withhold_reason=(form.withhold_reason.data or "") if withhold else None)
    except Invalid as exc:
        fields = {"agency_id": form.agency_id, "sections": form.sections, "lawful_basis": form.lawful_basis,
                  "justification": form.justification, "expires_on": form.expires_on,
                  "withhold_reason": form.withhold_reason}
        extra = [dict(e, href="#agency_id") for e in add_service_errors(fields, exc.errors)]
        if not form.withhold.data:
            form.withhold.errors = ["Choose whether telling the family would increase the risk"]
        return extra + error_list(form)
    if not form.withhold.data:
        form.withhold.errors = ["Choose whether telling the family would increase the risk"]
        return error_list(form)
    return []


@bp.route("/families/<uuid:family_id>/disclosures/new", methods=["GET", "POST"])
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
def record_disclosure(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = DisclosureForm()
    _choices(form, family.owning_agency_id)
    errors: list[dict] = []
    if form.validate_on_submit() and not request.form.get("change"):
        errors = _record(family_id, form)
        if not errors and request.form.get("confirm"):
            uow().commit()
            flash("Safeguarding disclosure recorded", "success")
            return redirect(url_for("web.consents", family_id=family_id))
        uow().rollback()  # not confirmed yet: only asking whether the service accepts the answers
        family = families_service.get_family(uow(), actor, family_id)
        if not errors:
            carried = [(k, v) for k, v in request.form.items(multi=True)
                       if k not in ("csrf_token", "confirm", "change")]
            uow().commit()
            return render_template("views/disclosure_check.html", family=family, form=form, carried=carried,
                                   sections=SECTION_TITLES, agencies=dict(form.agency_id.choices),  # type: ignore
                                   bases=LAWFUL_BASIS_LABELS)
    elif form.is_submitted() and not request.form.get("change"):
        errors = error_list(form)
    elif not form.is_submitted():
        form.expires_on.data = today() + dt.timedelta(days=28)
    uow().commit()
    return render_template("views/disclosure_new.html", family=family, form=form, errors=errors,
                           max_days=MAX_DISCLOSURE_DAYS)


@bp.get("/oversight")
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
def oversight():
    views = safeguarding.list_disclosures_for_oversight(uow(), current_actor())
    uow().commit()
    soon = today() + EXPIRING_WITHIN
    return render_template("views/oversight.html", disclosures=views, sections=SECTION_TITLES, soon=soon)


def _disclosure_reason_action(family_id: uuid.UUID, disclosure_id: uuid.UUID, change, template: str,
                              success: str, conflict: str):
    """A change to one of the family's disclosures that needs only a reason (revoke, withhold from the family)."""
    actor, family = family_page(family_id)
    found = next((d for d in safeguarding.list_family_disclosures(uow(), actor, family_id)
                  if d.id == disclosure_id), None)
    if found is None:
        raise NotFound("Disclosure not found")
    form = ReasonForm()
    done, errors = submit_action(
        form, lambda: change(uow(), actor, disclosure_id, form.reason.data or ""),
        fields={"reason": form.reason}, href="#reason", done=url_for("web.oversight"),
        success=success, conflict=conflict)
    if done is not None:
        return done
    uow().commit()
    return render_template(template, family=family, disclosure=found, form=form, errors=errors,
                           sections=SECTION_TITLES)


@bp.route("/families/<uuid:family_id>/disclosures/<uuid:disclosure_id>/revoke", methods=["GET", "POST"])
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
def revoke_disclosure(family_id: uuid.UUID, disclosure_id: uuid.UUID):
    return _disclosure_reason_action(
        family_id, disclosure_id, safeguarding.revoke_disclosure, "views/disclosure_revoke.html",
        success="Disclosure revoked. Nothing more is shared under it",
        conflict="This disclosure had already been revoked")


@bp.route("/families/<uuid:family_id>/disclosures/<uuid:disclosure_id>/withhold", methods=["GET", "POST"])
@access("staff", action=Action.DISCLOSE_WITHOUT_CONSENT)
def withhold_disclosure(family_id: uuid.UUID, disclosure_id: uuid.UUID):
    """Record, after the event, that telling the family about a disclosure would increase risk."""
    return _disclosure_reason_action(
        family_id, disclosure_id, safeguarding.withhold_from_family, "views/disclosure_withhold.html",
        success="The family will not see this disclosure in their record",
        conflict="This disclosure was already not shown to the family")
