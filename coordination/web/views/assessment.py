"""The assessment task list, one page per section (never silently overwriting) and each section's history."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.assessment_status import STATE_LABELS
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, Invalid
from coordination.extensions import uow
from coordination.services import assessment as assessment_service
from coordination.services import contributions as contributions_service
from coordination.services import directory
from coordination.services import families as families_service

from ..blueprint import bp
from ..drafts import keeps_drafts
from ..formatting import govuk_datetime
from ..forms import SectionForm, add_service_errors, error_list
from ..forms_assessment import SectionStatusForm
from ..forms_sharing import ConfirmForm


@bp.get("/families/<uuid:family_id>/assessment")
@access("staff", action=Action.READ_CASE)
def assessment(family_id: uuid.UUID):
    family = families_service.get_family(uow(), current_actor(), family_id)
    view = assessment_service.get_assessment(uow(), current_actor(), family_id)
    names = directory.names_of(uow(), [s.updated_by for s in view.sections]
                               + [view.sign_off.signed_off_by if view.sign_off else None])
    uow().commit()
    return render_template("views/assessment.html", family=family, assessment=view, names=names,
                           states=STATE_LABELS, can_sign_off=may(current_actor(), Action.SIGN_OFF_ASSESSMENT))


@bp.route("/families/<uuid:family_id>/assessment/<key>", methods=["GET", "POST"])
@access("staff", action=Action.READ_CASE)
@keeps_drafts(("content", "Section text"))
def section(family_id: uuid.UUID, key: str):
    """Edit one section. A save based on an old version is refused and shown, never merged silently.

    On a conflict the newer text is shown read-only, the user's text stays in the box and the hidden
    version moves to the newest, so saving again is a deliberate choice to replace it.
    """
    actor = current_actor()
    form = SectionForm()
    errors: list[dict] = []
    newer = None
    if form.validate_on_submit():
        try:
            expected = int(form.version.data or "0")
        except ValueError:
            expected = -1
        try:
            assessment_service.save_section(uow(), actor, family_id, key, form.content.data or "", expected)
        except Conflict as exc:
            uow().rollback()
            newer = exc.details["current"]
            by = directory.names_of(uow(), [newer.updated_by]).get(newer.updated_by, "someone else")
            message = (f"This section was changed by {by} at {govuk_datetime(newer.updated_at)} "
                       "while you were editing")
            errors = [{"text": message, "href": "#newer-version"}]
            form.version.data = str(newer.version)
        except Invalid as exc:
            uow().rollback()
            errors = add_service_errors({"content": form.content}, exc.errors) + error_list(form)
        else:
            uow().commit()
            flash("Section saved", "success")
            return redirect(url_for("web.assessment", family_id=family_id))
    elif form.is_submitted():
        errors = error_list(form)
    family = families_service.get_family(uow(), actor, family_id)
    current = newer or assessment_service.get_section(uow(), actor, family_id, key)
    if not form.is_submitted():
        form.content.data = current.content
        form.version.data = str(current.version)
    names = directory.names_of(uow(), [current.updated_by])
    contributions = contributions_service.list_contributions(uow(), actor, family_id, section=key)
    uow().commit()
    return render_template("views/section.html", family=family, section=current, form=form, errors=errors,
                           newer=newer, names=names, contributions=contributions, confirm=ConfirmForm(),
                           status_form=SectionStatusForm(formdata=None))


@bp.post("/families/<uuid:family_id>/contributions/<uuid:contribution_id>/incorporated")
@access("staff", action=Action.WRITE_CASE)
def contribution_incorporated(family_id: uuid.UUID, contribution_id: uuid.UUID):
    """Record that a partner's contribution has been folded into the section text."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        view = contributions_service.mark_incorporated(uow(), current_actor(), contribution_id)
    except Conflict:
        uow().rollback()
        flash("That contribution was already marked as folded in", "success")
        return redirect(url_for("web.assessment", family_id=family_id))
    uow().commit()
    flash(f"Marked the contribution from {view.agency_name} as folded into the section", "success")
    return redirect(url_for("web.section", family_id=family_id, key=view.section))


@bp.get("/families/<uuid:family_id>/assessment/<key>/history")
@access("staff", action=Action.READ_CASE)
def section_history(family_id: uuid.UUID, key: str):
    family = families_service.get_family(uow(), current_actor(), family_id)
    current, versions = assessment_service.section_history(uow(), current_actor(), family_id, key)
    names = directory.names_of(uow(), [v.created_by for v in versions])
    agencies = directory.agency_names_of(uow(), [v.created_by_agency for v in versions])
    uow().commit()
    versions = sorted(versions, key=lambda v: v.version, reverse=True)
    return render_template("views/history.html", family=family, section=current, versions=versions,
                           names=names, agencies=agencies)
