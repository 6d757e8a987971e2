"""Case notes (the list, and adding one: never edited, a correction is a new note) and the chronology
(everything on the family's record, newest first, filtered by kind through a GET form, printable)."""
from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from coordination.auth.decorators import access
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.notes import ENTRY_KIND_LABELS, ENTRY_KINDS
from coordination.domain.permissions import Action
from coordination.errors import Invalid
from coordination.extensions import uow
from coordination.services import case_notes, chronology, directory

from ..blueprint import bp
from ..drafts import keeps_drafts, timed_out
from ..formatting import today
from ..forms import add_service_errors, anchor
from ..forms_notes import ENGLAND, NoteForm, answer
from ..pages import family_page


@bp.get("/families/<uuid:family_id>/notes")
@access("staff", action=Action.READ_CASE)
def notes(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    items = case_notes.list_notes(uow(), actor, family_id)
    names = directory.names_of(uow(), [n.recorded_by for n in items])
    uow().commit()
    return render_template("views/notes.html", family=family, notes=items, names=names)


def _errors(form: NoteForm, problems: dict[str, str], service: dict[str, list[str]]) -> list[dict]:
    """Every problem at once, in the order of the form: the form's own first on each field, then the service's."""
    fields = {"kind": form.kind, "occurred_on": form.occurred_on, "occurred_time": form.occurred_time,
              "with_whom": form.with_whom, "text": form.text, "child_seen": form.child_seen,
              "seen_alone": form.seen_alone}
    for name, message in problems.items():
        fields[name].errors = [message]
    if "occurred_at" in service:
        service = dict(service)
        moment = service.pop("occurred_at")
        if not problems.get("occurred_on") and not problems.get("occurred_time"):
            form.occurred_on.errors = list(moment)
    unplaced = add_service_errors({k: v for k, v in fields.items() if k not in problems}, service)
    items = [{"text": f.errors[0], "href": f"#{anchor(f)}"} for f in fields.values() if f.errors]
    return timed_out(form) + items + [dict(e, href=f"#{anchor(form.text)}") for e in unplaced]


def _prefill(form: NoteForm, note: case_notes.NoteView) -> None:
    """A correction starts from the note it corrects: the same moment, people and words, to change."""
    local = note.occurred_at.astimezone(ENGLAND)
    form.corrects_id.data = str(note.id)
    form.kind.data, form.with_whom.data, form.text.data = note.kind, note.with_whom, note.text
    form.occurred_on.data, form.occurred_time.data = local.date(), f"{local:%H:%M}"
    seen = {True: "yes", False: "no", None: "na"}
    form.child_seen.data, form.seen_alone.data = seen[note.child_seen], seen[note.seen_alone]


@bp.route("/families/<uuid:family_id>/notes/new", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
@keeps_drafts(("with_whom", "Who was it with?"), ("text", "What happened and what was said"))
def new_note(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = NoteForm()
    errors: list[dict] = []
    corrects = None
    if form.is_submitted():
        form.validate()
        corrects_id = uuid_or_none(form.corrects_id.data)
        moment, problems = form.moment()
        fields: dict[str, Any] = {
            "kind": form.kind.data or "", "occurred_at": moment, "with_whom": form.with_whom.data or "",
            "text": form.text.data or "", "child_seen": answer(form.child_seen.data),
            "seen_alone": answer(form.seen_alone.data), "corrects_id": corrects_id}
        if problems or any(f.errors for f in form):
            errors = _errors(form, problems, case_notes.note_problems(uow(), actor, family_id, **fields))
        else:
            try:
                case_notes.record_note(uow(), actor, family_id, **fields)
            except Invalid as exc:
                uow().rollback()
                errors = _errors(form, {}, exc.errors)
            else:
                uow().commit()
                flash("Case note saved", "success")
                return redirect(url_for("web.notes", family_id=family_id))
        corrects = case_notes.get_note(uow(), actor, family_id, corrects_id) if corrects_id else None
    elif (corrects_id := uuid_or_none(request.args.get("corrects"))) is not None:
        corrects = case_notes.get_note(uow(), actor, family_id, corrects_id)
        if corrects is not None:
            _prefill(form, corrects)
    if not form.is_submitted() and corrects is None:
        form.occurred_on.data = today()
    uow().commit()
    return render_template("views/note_new.html", family=family, form=form, errors=errors, corrects=corrects)


@bp.get("/families/<uuid:family_id>/chronology")
@access("staff", action=Action.READ_CASE)
def chronology_page(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    chosen = [k for k in request.args.getlist("kind") if k in ENTRY_KINDS]
    entries = chronology.chronology(uow(), actor, family_id, chosen or None)
    names = directory.names_of(uow(), [e.by for e in entries])
    uow().commit()
    return render_template("views/chronology.html", family=family, entries=entries, names=names, chosen=chosen,
                           kinds=ENTRY_KIND_LABELS, chosen_labels=[ENTRY_KIND_LABELS[k] for k in chosen],
                           filters=[{"value": k, "text": label, "checked": k in chosen}
                                    for k, label in ENTRY_KIND_LABELS.items()])
