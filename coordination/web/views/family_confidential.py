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
from coordination.services.family_view import confidential as service

from ..actions import submit_action
from ..blueprint import bp
from ..forms_family import ConfirmForm, SectionConfidentialForm
from ..pages import family_page

WHOLE_FAMILY = "family"


@bp.route("/families/<uuid:family_id>/assessment/<key>/family-view", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def section_family_view(family_id: uuid.UUID, key: str):
    """Who in the family sees this section in their own view: everyone who may, or only the child it is about."""
    actor, family = family_page(family_id)
    now = service.section_confidentiality(uow(), actor, family_id, key)
    form = SectionConfidentialForm()
    form.confidential_to.choices = [(WHOLE_FAMILY, "The family: parents and carers, and young people, who are "
                                                   "signed up")] + \
        [(str(i), f"Only {name}: not their parents or carers, nor the other children") for i, name in
         now.children.items()]

    def chosen() -> uuid.UUID | None:
        return None if form.confidential_to.data == WHOLE_FAMILY else uuid.UUID(form.confidential_to.data)

    def said(_result) -> str:
        child = chosen()
        return (f"Only {now.children[child]} sees this section in the family's own view" if child else
                "The family sees this section in their own view")

    done, errors = submit_action(
        form, lambda: service.set_section_confidential(uow(), actor, family_id, key, chosen()),
        fields={"confidential_to": form.confidential_to}, done=url_for("web.section", family_id=family_id, key=key),
        success=said)
    if done:
        return done
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
