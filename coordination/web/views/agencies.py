"""The admin console's agency pages: the list, adding an agency and changing its name or contact route.

An agency's type is chosen when it is added and not changed here: it decides what its staff may see.
"""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.actors import AgencyType
from coordination.domain.permissions import Action
from coordination.errors import Conflict, Invalid
from coordination.extensions import uow
from coordination.services import admin as admin_service

from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_admin import AGENCY_TYPES, AgencyForm


@bp.get("/admin/agencies")
@access("staff", action=Action.MANAGE_USERS)
def agencies():
    listing = admin_service.list_agencies(uow(), current_actor())
    uow().commit()
    return render_template("views/agencies.html", agencies=listing, types=AGENCY_TYPES)


def _save(form: AgencyForm, call, template: str, **context):
    errors: list[dict] = []
    if form.validate_on_submit():
        try:
            agency = call()
        except Conflict:
            uow().rollback()
            form.name.errors = ["An agency with this name already exists"]
            errors = error_list(form)
        except Invalid as exc:
            uow().rollback()
            errors = add_service_errors({"name": form.name, "type": form.type, "contact": form.contact},
                                        exc.errors) + error_list(form)
        else:
            uow().commit()
            return redirect(url_for("web.agencies")), agency
    elif form.is_submitted():
        errors = error_list(form)
    uow().commit()
    return render_template(template, form=form, errors=errors, types=AGENCY_TYPES, **context), None


@bp.route("/admin/agencies/new", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def new_agency():
    form = AgencyForm()
    form.type.choices = [(t.value, AGENCY_TYPES[t]) for t in AgencyType]
    page, agency = _save(form, lambda: admin_service.add_agency(
        uow(), current_actor(), form.name.data or "", form.type.data or "", form.contact.data),
        "views/agency_form.html", agency=None)
    if agency is not None:
        flash(f"{agency.name} added", "success")
    return page


@bp.route("/admin/agencies/<uuid:agency_id>/edit", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def edit_agency(agency_id: uuid.UUID):
    current = admin_service.get_agency(uow(), current_actor(), agency_id)
    form = AgencyForm()
    if not form.is_submitted():
        form.name.data, form.contact.data = current.name, current.contact
    page, agency = _save(form, lambda: admin_service.update_agency(
        uow(), current_actor(), agency_id, form.name.data or "", form.contact.data),
        "views/agency_form.html", agency=current)
    if agency is not None:
        flash(f"{agency.name} saved", "success")
    return page
