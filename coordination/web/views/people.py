"""The people of a family: the list (with ages, roles and who has left the household), adding a person (checked
for duplicates as a new family is), a person's details as a summary list with change links, correcting them (with
a reason) and recording that someone left the household."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response
from wtforms import Field

from coordination.auth.decorators import access
from coordination.domain.contacts import interpreter_text
from coordination.domain.people import ROLE_LABELS, NewPerson
from coordination.domain.permissions import Action
from coordination.errors import Conflict, Invalid, NotFound
from coordination.extensions import uow
from coordination.services import contacts, people
from coordination.services.views import FamilyView, PersonView

from ..blueprint import bp
from ..forms import DatePartsField, add_service_errors, anchor, error_list
from ..forms_people import CorrectPersonForm, LeftForm, PersonForm
from ..pages import family_page

IDENTITY = ("given_name", "family_name", "date_of_birth", "nhs_number", "upn")
STALE = "Someone changed these details since you opened this page. Check them and make your change again."


def person_in(family: FamilyView, person_id: uuid.UUID) -> PersonView:
    """:raise NotFound: the person is not of this family."""
    person = next((p for p in family.people if p.id == person_id), None)
    if person is None:
        raise NotFound("Person not found")
    return person


def field_params(field: Field) -> dict:
    """The GOV.UK parameters a field of these forms is shown with."""
    legend = {"legend": {"text": field.label.text, "classes": "govuk-fieldset__legend--s"}}
    if isinstance(field, DatePartsField):
        return {"fieldset": legend}
    if field.type == "RadioField":
        inline = len(field.choices or ()) <= 3 and not field.description
        return {"fieldset": legend, "classes": "govuk-radios--inline"} if inline else {"fieldset": legend}
    if field.type == "SelectMultipleField":
        return {"fieldset": legend}
    if field.type == "TextAreaField":
        return {"rows": 4}
    if field.type == "SelectField":
        return {}
    return {"classes": "govuk-!-width-two-thirds", "spellcheck": False, "autocomplete": "off"}


def run_form(form, call: Callable[[], Any], fields: dict[str, Field]) -> tuple[Any, list[dict]]:
    """Call the service with what was typed and collect every problem at once: the form's own (a date that is
    not a real date, control characters) on their fields, the service's on the others. (result, []) when done
    and nothing is wrong (not yet committed); (None, errors) otherwise, nothing written. Conflict propagates."""
    form.validate()
    own = {name for name, field in fields.items() if field.errors}
    try:
        result = call()
    except Invalid as exc:
        uow().rollback()
        placed = {k: v for k, v in exc.errors.items() if k not in own}
        unplaced = add_service_errors({k: f for k, f in fields.items() if k not in own}, placed)
        first = next(iter(fields.values()))
        return None, error_list(form) + [dict(e, href=f"#{anchor(first)}") for e in unplaced]
    except Conflict:
        if own:
            uow().rollback()
            return None, error_list(form)
        raise
    if own:
        uow().rollback()
        return None, error_list(form)
    return result, []


def form_version(form) -> int | None:
    """The version of the record the form was opened at (its hidden `version` field); None when not a number."""
    return int(form.version.data) if (form.version.data or "").isdigit() else None


def save_form(form, call: Callable[[], Any], fields: dict[str, Field], *, done: str,
              success: str | Callable[[Any], str], stale: Callable[[], None] | None = None
              ) -> tuple[Response | None, list[dict]]:
    """run_form, and when nothing is wrong commit, say `success` (or what it makes of the result) and go to
    `done`: (redirect, []); otherwise (None, errors), nothing written. A Conflict propagates, unless `stale`
    says how to show the record as it is now: then STALE is the error, at the first field."""
    try:
        saved, errors = run_form(form, call, fields)
    except Conflict:
        if stale is None:
            raise
        uow().rollback()
        stale()
        return None, [{"text": STALE, "href": f"#{next(iter(fields.values())).id}"}]
    if saved is None:
        return None, errors
    uow().commit()
    flash(success(saved) if callable(success) else success, "success")
    return redirect(done), []


def form_page(template_args: dict, form, fields: dict[str, Field], errors: list[dict]):
    return render_template("views/people_form.html", form=form, errors=errors,
                           fields=[(f, field_params(f)) for f in fields.values()], **template_args)


def carried() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirm_new")]


def _typed(form) -> dict[str, Any]:
    def clean(field: Field) -> Any:
        return field.data.strip() if isinstance(field.data, str) else field.data
    return {"given_name": clean(form.given_name) or "", "family_name": clean(form.family_name) or "",
            "date_of_birth": form.date_of_birth.data, "nhs_number": clean(form.nhs_number) or None,
            "upn": clean(form.upn) or None}


@bp.get("/families/<uuid:family_id>/people")
@access("staff", action=Action.READ_CASE)
def people_page(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    household = contacts.household(uow(), actor, family_id)
    uow().commit()
    return render_template("views/people.html", family=family, household=household, roles=ROLE_LABELS,
                           interpreter_text=interpreter_text)


@bp.route("/families/<uuid:family_id>/people/new", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def new_person(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = PersonForm()
    fields = {name: form[name] for name in ("role", *IDENTITY)}
    errors: list[dict] = []
    if form.is_submitted():
        new = NewPerson(role=form.role.data or "", **_typed(form))
        try:
            done, errors = save_form(form, lambda: people.add_person(
                uow(), actor, family_id, new, confirm_new=form.confirm_new.data == "yes"), fields,
                done=url_for("web.people_page", family_id=family_id),
                success=lambda added: f"{added.full_name} added to the family")
        except Conflict as exc:
            uow().rollback()
            return render_template("views/person_duplicates.html", family=family, form=form, carried=carried(),
                                   candidates=exc.details.get("candidates", []), title="This person may already "
                                   "be recorded", action=url_for("web.new_person", family_id=family_id))
        if done:
            return done
    uow().commit()
    return form_page({"family": family, "title": "Add a person", "button": "Add person",
                      "back": url_for("web.people_page", family_id=family_id),
                      "intro": "A newborn, a new partner or another child. We check whether they are already "
                               "recorded in a family you work with."}, form, fields, errors)


@bp.get("/families/<uuid:family_id>/people/<uuid:person_id>")
@access("staff", action=Action.READ_CASE)
def person_page(family_id: uuid.UUID, person_id: uuid.UUID):
    _actor, family = family_page(family_id)
    person = person_in(family, person_id)
    uow().commit()
    return render_template("views/person.html", family=family, person=person, roles=ROLE_LABELS)


def _prefill(form: CorrectPersonForm, person: PersonView) -> None:
    for name in IDENTITY:
        form[name].data = getattr(person, name)
    form.date_of_birth.raw_data = None  # shown from its data, not from what was typed
    form.version.data = str(person.version)


@bp.route("/families/<uuid:family_id>/people/<uuid:person_id>/change", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def change_person(family_id: uuid.UUID, person_id: uuid.UUID):
    actor, family = family_page(family_id)
    person = person_in(family, person_id)
    form = CorrectPersonForm()
    fields = {name: form[name] for name in (*IDENTITY, "reason")}
    errors: list[dict] = []
    if not form.is_submitted():
        _prefill(form, person)
    else:
        version = form_version(form)
        try:
            done, errors = save_form(form, lambda: people.correct_person(
                uow(), actor, person_id, _typed(form), form.reason.data or "", version,
                confirm_new=form.confirm_new.data == "yes"), fields,
                done=url_for("web.person_page", family_id=family_id, person_id=person_id),
                success=lambda changed: f"{changed.full_name}'s details corrected")
        except Conflict as exc:
            uow().rollback()
            if "current" not in exc.details:
                return render_template("views/person_duplicates.html", family=family, form=form, carried=carried(),
                                       candidates=exc.details.get("candidates", []),
                                       title="The corrected details match someone already recorded",
                                       action=url_for("web.change_person", family_id=family_id, person_id=person_id))
            _prefill(form, exc.details["current"])
            done, errors = None, [{"text": STALE, "href": f"#{form.given_name.id}"}]
        if done:
            return done
    uow().commit()
    return form_page({"family": family, "title": f"Correct {person.full_name}'s details", "button": "Save correction",
                      "back": url_for("web.person_page", family_id=family_id, person_id=person_id),
                      "intro": "Correct what was recorded wrongly. The change is audited with your reason."},
                     form, fields, errors)


@bp.route("/families/<uuid:family_id>/people/<uuid:person_id>/left", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def person_left(family_id: uuid.UUID, person_id: uuid.UUID):
    actor, family = family_page(family_id)
    person = person_in(family, person_id)
    back = url_for("web.people_page", family_id=family_id)
    if person.left_on is not None:
        flash(f"{person.full_name} is already recorded as having left the household", "info")
        return redirect(back)
    form = LeftForm()
    fields = {"left_on": form.left_on, "reason": form.reason}
    errors: list[dict] = []
    if form.is_submitted():
        done, errors = save_form(form, lambda: people.mark_left(uow(), actor, person_id, form.left_on.data,
                                                                form.reason.data or ""), fields, done=back,
                                 success=lambda left: f"{left.full_name} recorded as having left the household")
        if done:
            return done
    uow().commit()
    return form_page({"family": family, "title": f"{person.full_name} has left the household", "button": "Save",
                      "back": back, "intro": "They stay in the family's record, shown as having left on this day."},
                     form, fields, errors)
