"""Each child's voice: entries verbatim, and adding one. A correction is a new entry, never an edit."""
from __future__ import annotations

import uuid

from flask import render_template, request, url_for

from coordination.auth.decorators import access
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action
from coordination.domain.sections import DEFAULT_TEMPLATE, VOICE_METHOD_LABELS, VoiceMethod
from coordination.extensions import uow
from coordination.services import assessment as assessment_service
from coordination.services import directory

from ..actions import submit_action
from ..blueprint import bp
from ..drafts import keeps_drafts
from ..formatting import today
from ..forms import VoiceForm
from ..forms_family import ConfirmForm
from ..pages import family_page


@bp.route("/families/<uuid:family_id>/voice", methods=["GET", "POST"])
@access("staff", action=Action.READ_CASE)
@keeps_drafts(("words", "What the child said, drew or showed"))
def voice(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = VoiceForm()
    form.child_id.choices = [(str(c.id), c.full_name) for c in family.children]
    form.method.choices = [(m.value, VOICE_METHOD_LABELS[m]) for m in VoiceMethod]
    form.section_key.choices = [("", "None")] + [(s.key, s.title) for s in DEFAULT_TEMPLATE]
    fields = {"child_id": form.child_id, "words": form.words, "method": form.method,
              "recorded_on": form.recorded_on, "section_key": form.section_key}
    done, errors = submit_action(
        form, lambda: assessment_service.record_voice(
            uow(), actor, family_id, uuid_or_none(form.child_id.data) or uuid.UUID(int=0), form.words.data or "",
            form.method.data or "", form.recorded_on.data,  # type: ignore[arg-type]  # None is refused
            section_key=form.section_key.data or None, corrects_id=uuid_or_none(form.corrects_id.data),
            confidential=bool(form.confidential.data)),
        fields=fields, href="#words", done=url_for("web.voice", family_id=family_id),
        success="Child's voice recorded")
    if done is not None:
        return done
    entries = assessment_service.list_voice(uow(), actor, family_id)
    corrects = None
    if not form.is_submitted():
        form.recorded_on.data = today()
        corrects = next((e for e in entries if str(e.id) == request.args.get("corrects")), None)
        if corrects is not None:
            form.corrects_id.data = str(corrects.id)
            form.child_id.data = str(corrects.child_id)
            form.method.data = corrects.method
            form.words.data = corrects.words
            form.section_key.data = corrects.section_key or ""
            form.confidential.data = corrects.confidential
    else:
        corrects = next((e for e in entries if str(e.id) == form.corrects_id.data), None)
    names = directory.names_of(uow(), [e.recorded_by for e in entries])
    uow().commit()
    by_child = {c.id: [e for e in entries if e.child_id == c.id] for c in family.children}
    return render_template("views/voice.html", family=family, form=form, errors=errors, by_child=by_child,
                           names=names, corrects=corrects, labels={m.value: v for m, v in VOICE_METHOD_LABELS.items()},
                           section_titles=dict(form.section_key.choices), confirm=ConfirmForm())

