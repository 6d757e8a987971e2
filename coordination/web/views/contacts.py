"""How to reach a family: a person's contact details (phone, email, language and interpreter, GP practice,
school), recording an address or a move (the address before is kept), and the other professionals involved."""
from __future__ import annotations

import uuid

from flask import flash, redirect, url_for

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.errors import Conflict
from coordination.extensions import uow
from coordination.services import contacts
from coordination.services.views import FamilyView

from ..blueprint import bp
from ..forms_people import AddressForm, ContactForm, EndProfessionalForm, ProfessionalForm
from ..pages import family_page
from .people import form_page, form_version, person_in, save_form

CONTACT = ("phone", "email", "language", "interpreter_needed", "gp_practice", "school_name", "school_urn")
YES_NO: dict[bool | None, str | None] = {True: "yes", False: "no", None: None}


def _who(family: FamilyView, household: str) -> list[tuple[str, str]]:
    return [("", household)] + [(str(p.id), p.full_name) for p in family.people]


def _person_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return uuid.UUID(int=0)  # not of this family: the service says so


def _prefill(form: ContactForm, contact: contacts.ContactView) -> None:
    for name in CONTACT:
        form[name].data = getattr(contact, name) if name != "interpreter_needed" else YES_NO.get(
            contact.interpreter_needed)
    form.version.data = str(contact.version)


@bp.route("/families/<uuid:family_id>/people/<uuid:person_id>/contact", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def contact_details(family_id: uuid.UUID, person_id: uuid.UUID):
    actor, family = family_page(family_id)
    person = person_in(family, person_id)
    form = ContactForm()
    fields = {name: form[name] for name in CONTACT}
    errors: list[dict] = []
    back = url_for("web.people_page", family_id=family_id)
    if not form.is_submitted():
        _prefill(form, contacts.household(uow(), actor, family_id).contacts[person_id])
    else:
        values = {name: (form[name].data or "").strip() or None for name in CONTACT if name != "interpreter_needed"}
        needed = {"yes": True, "no": False}.get(form.interpreter_needed.data or "")
        done, errors = save_form(form, lambda: contacts.update_contact(
            uow(), actor, person_id, interpreter_needed=needed, expected_version=form_version(form), **values),
            fields, done=back, success=f"{person.full_name}'s contact details saved",
            stale=lambda: _prefill(form, contacts.household(uow(), actor, family_id).contacts[person_id]))
        if done:
            return done
    uow().commit()
    return form_page({"family": family, "title": f"{person.full_name}'s contact details", "button": "Save",
                      "back": back, "intro": "Leave a box empty if it is not known."}, form, fields, errors)


@bp.route("/families/<uuid:family_id>/addresses/new", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def new_address(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = AddressForm()
    form.person_id.choices = _who(family, "The whole household")
    fields = {name: form[name] for name in ("person_id", "line_1", "line_2", "town", "postcode", "moved_in_on")}
    errors: list[dict] = []
    back = url_for("web.people_page", family_id=family_id)
    if form.is_submitted():
        done, errors = save_form(form, lambda: contacts.record_address(
            uow(), actor, family_id, person_id=_person_id(form.person_id.data), line_1=form.line_1.data or "",
            line_2=form.line_2.data, town=form.town.data or "", postcode=form.postcode.data or "",
            moved_in_on=form.moved_in_on.data), fields, done=back, success="Address saved")
        if done:
            return done
    uow().commit()
    return form_page({"family": family, "title": "Record an address or a move", "button": "Save address",
                      "back": back, "intro": "When a family moves, the address they lived at before is kept in "
                                             "their history."}, form, fields, errors)


@bp.route("/families/<uuid:family_id>/professionals/new", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def new_professional(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = ProfessionalForm()
    form.person_id.choices = _who(family, "The whole family")
    fields = {name: form[name] for name in ("person_id", "name", "role", "organisation", "contact")}
    errors: list[dict] = []
    back = url_for("web.people_page", family_id=family_id)
    if form.is_submitted():
        done, errors = save_form(form, lambda: contacts.add_professional(
            uow(), actor, family_id, person_id=_person_id(form.person_id.data), name=form.name.data or "",
            role=form.role.data or "", organisation=form.organisation.data or "", contact=form.contact.data),
            fields, done=back, success=lambda saved: f"{saved.name} added")
        if done:
            return done
    uow().commit()
    return form_page({"family": family, "title": "Add a professional involved", "button": "Add professional",
                      "back": back, "intro": "Someone from another service working with the family."},
                     form, fields, errors)


@bp.post("/families/<uuid:family_id>/professionals/<uuid:professional_id>/end")
@access("staff", action=Action.WRITE_CASE)
def end_professional(family_id: uuid.UUID, professional_id: uuid.UUID):
    actor, _family = family_page(family_id)
    EndProfessionalForm().validate_on_submit()  # CSRF is checked for every POST before the view runs
    try:
        ended = contacts.end_professional(uow(), actor, professional_id)
    except Conflict:
        uow().rollback()
        flash("They were already recorded as no longer involved", "info")
    else:
        uow().commit()
        flash(f"{ended.name} recorded as no longer involved", "success")
    return redirect(url_for("web.people_page", family_id=family_id))
