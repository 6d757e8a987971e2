"""Staff pages: keep a section or a child's voice entry confidential to the young person in the family's own view
(services.family_view.confidential). Staff still see everything; only the family's own view changes."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.permissions import Action
from coordination.errors import Invalid
from coordination.extensions import uow
from coordination.services import families as families_service
from coordination.services.family_view import confidential as service

from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_family import ConfirmForm, SectionConfidentialForm

WHOLE_FAMILY = "family"


@bp.route("/families/<uuid:family_id>/assessment/<key>/family-view", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def section_family_view(family_id: uuid.UUID, key: str):
    """Who in the family sees this section in their own view: everyone who may, or only the child it is about."""
    actor = current_actor()
    family = families_service.get_family(uow(), actor, family_id)
    now = service.section_confidentiality(uow(), actor, family_id, key)
    form = SectionConfidentialForm()
    form.confidential_to.choices = [(WHOLE_FAMILY, "The family: parents and carers, and young people, who are "
                                                   "signed up")] + \
        [(str(i), f"Only {name}: not their parents or carers, nor the other children") for i, name in
         now.children.items()]
    errors: list[dict] = []
    if form.validate_on_submit():
        chosen = None if form.confidential_to.data == WHOLE_FAMILY else uuid.UUID(form.confidential_to.data)
        try:
            service.set_section_confidential(uow(), actor, family_id, key, chosen)
        except Invalid as exc:
            uow().rollback()
            errors = error_list(form, add_service_errors({"confidential_to": form.confidential_to}, exc.errors))
        else:
            uow().commit()
            flash(f"Only {now.children[chosen]} sees this section in the family's own view" if chosen else
                  "The family sees this section in their own view", "success")
            return redirect(url_for("web.section", family_id=family_id, key=key))
    elif form.is_submitted():
        errors = error_list(form)
    uow().commit()
    return render_template("views/section_family_view.html", family=family, section=now, form=form, errors=errors)


@bp.post("/families/<uuid:family_id>/voice/<uuid:entry_id>/confidential")
@access("staff", action=Action.WRITE_CASE)
def voice_confidential(family_id: uuid.UUID, entry_id: uuid.UUID):
    """Keep a child's voice entry from their parents in the family's own view (or show it to them again)."""
    if ConfirmForm().validate_on_submit():
        confidential = request.form.get("confidential") == "1"
        try:
            service.set_voice_confidential(uow(), current_actor(), family_id, entry_id, confidential=confidential)
        except Invalid as exc:
            uow().rollback()
            flash(next(iter(exc.errors.values()))[0], "success")
        else:
            uow().commit()
            flash("Only the young person sees this entry in the family's own view" if confidential else
                  "Their parents or carers see this entry in the family's own view", "success")
    return redirect(url_for("web.voice", family_id=family_id) + f"#entry-{entry_id}")
