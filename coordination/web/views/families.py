"""Caseload, finding a family, creating one (with the likely-duplicate check) and the family overview."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.listing import ListSpec, page_of
from coordination.domain.permissions import Action
from coordination.domain.sections import DEFAULT_TEMPLATE, PersonRole
from coordination.errors import Conflict, Invalid
from coordination.extensions import uow
from coordination.services import directory, oversight
from coordination.services import families as families_service
from coordination.services.families import NewPerson
from coordination.services.family_help import reviews

from ..blueprint import bp
from ..forms import CreateFamilyForm, FindFamilyForm, add_service_errors, error_list
from ..listing import Listing, query_of
from ..pages import family_page

CASELOAD_LIST = ListSpec(sorts=("updated", "reference", "next_review"), default_sort="updated",
                         default_descending=True, filters={"show": {"review_due"}})
FIND_NOTHING = ("Enter a family reference, an NHS number, a UPN, a last name and date of birth, or part of a "
                "name")


@bp.get("/caseload")
@access("staff", action=Action.READ_CASE)
def caseload():
    families = families_service.caseload(uow(), current_actor())
    due = reviews.next_reviews(uow(), [f.id for f in families])
    today = uow().today()
    uow().commit()
    soon = sorted(((d, f) for f in families if (d := due.get(f.id)) and d <= today + dt.timedelta(days=14)),
                  key=lambda pair: pair[0])
    query = query_of(CASELOAD_LIST)
    sorts = {"updated": lambda f: f.updated_at, "reference": lambda f: f.reference,
             "next_review": lambda f: due.get(f.id)}
    review_due = {f.id for _, f in soon}
    chosen = [f for f in families if query.filters.get("show") != "review_due" or f.id in review_due]
    listing = Listing(page=page_of(chosen, query, sorts), query=query, endpoint="web.caseload", view_args={})
    return render_template("views/caseload.html", families=families, reviews_due=soon, today=today, listing=listing,
                           next_reviews=due)


@bp.route("/families/find", methods=["GET", "POST"])
@access("staff", action=Action.READ_CASE)
def find_family():
    """A POST, not a GET: NHS numbers and names must not end up in URLs and access logs."""
    form = FindFamilyForm()
    results = None
    errors: list[dict] = []
    if form.validate_on_submit():
        query: dict[str, Any] = {
            "reference": (form.reference.data or "").strip() or None,
            "nhs_number": (form.nhs_number.data or "").strip() or None,
            "upn": (form.upn.data or "").strip() or None,
        }
        by_name = bool((form.family_name.data or "").strip() and form.date_of_birth.data)
        if by_name:
            query.update(given_name=(form.given_name.data or "").strip() or None,
                         family_name=(form.family_name.data or "").strip(), date_of_birth=form.date_of_birth.data)
        partial = (form.name.data or "").strip()
        if partial and not any(query.values()):
            query["name"] = partial
        if not any(query.values()):
            errors = [{"text": FIND_NOTHING, "href": "#reference"}]
        else:
            try:
                results = families_service.search_families(uow(), current_actor(), **query)
            except Invalid as exc:
                uow().rollback()
                errors = add_service_errors({"name": form.name}, exc.errors) + error_list(form)
            else:
                uow().commit()
    elif form.is_submitted():
        errors = error_list(form)
    return render_template("views/find_family.html", form=form, results=results, errors=errors)


def _people_from(form: CreateFamilyForm) -> tuple[list[NewPerson], list]:
    """The filled-in rows as NewPerson, with the row each came from (to place the service's errors)."""
    people, rows = [], []
    for role, entries in ((PersonRole.PARENT_CARER, form.parents.entries),
                          (PersonRole.CHILD, form.children.entries)):
        for entry in entries:
            row = entry.form
            values: dict[str, Any] = {name: (field.data.strip() if isinstance(field.data, str) else field.data)
                      for name, field in row._fields.items()}
            if not any(values.values()) and not any(v for v in (row.date_of_birth.raw_data or [])):
                continue
            people.append(NewPerson(
                role=role.value, given_name=values["given_name"] or "", family_name=values["family_name"] or "",
                date_of_birth=values["date_of_birth"], nhs_number=values["nhs_number"] or None,
                upn=values.get("upn") or None,
            ))
            rows.append(row)
    return people, rows


@bp.route("/families/new", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def create_family():
    form = CreateFamilyForm()
    errors: list[dict] = []
    if form.validate_on_submit():
        people, rows = _people_from(form)
        try:
            family = families_service.create_family(uow(), current_actor(), people,
                                                    confirm_new=form.confirm_new.data == "yes")
        except Invalid as exc:
            uow().rollback()
            errors = _placed(form, rows, exc.errors)
        except Conflict as exc:
            uow().rollback()
            candidates = exc.details.get("candidates", [])
            return render_template("views/duplicates.html", candidates=candidates, form=form,
                                   carried=_carried_fields(form))
        else:
            uow().commit()
            flash(f"Family created. Its reference is {family.reference}", "success")
            return redirect(url_for("web.family", family_id=family.id))
    elif form.is_submitted():
        # The form's own errors (a date that is not a real date) and, at the same time, every rule the service
        # would apply to what could be read: GOV.UK's error summary lists every error at once.
        people, rows = _people_from(form)
        try:
            families_service.validate_people(people, uow().today())
            errors = error_list(form)
        except Invalid as exc:
            errors = _placed(form, rows, exc.errors)
    return render_template("views/create_family.html", form=form, errors=errors)


def _placed(form: CreateFamilyForm, rows: list, problems: dict[str, list[str]]) -> list[dict]:
    """The service's field map placed on the rows' fields (after any error a field already has), as the summary."""
    fields = {f"people.{i}.{name}": field for i, row in enumerate(rows) for name, field in row._fields.items()}
    unplaced = add_service_errors(fields, problems)
    first_child = form.children.entries[0].form.given_name
    return [dict(item, href=f"#{first_child.id}") for item in unplaced] + error_list(form)


def _carried_fields(form: CreateFamilyForm) -> list[tuple[str, str]]:
    """The posted rows as (name, value) pairs, to re-post them from the duplicates page."""
    return [(name, value) for name, value in request.form.items(multi=True)
            if name not in ("csrf_token", "confirm_new") and (name.startswith("parents-")
                                                            or name.startswith("children-"))]


@bp.get("/families/<uuid:family_id>")
@access("staff", action=Action.READ_CASE)
def family(family_id: uuid.UUID):
    actor, view = family_page(family_id)
    latest = oversight.latest_oversight(uow(), actor, family_id)
    lead = directory.names_of(uow(), [view.lead_practitioner_id, latest[1] if latest else None])
    uow().commit()
    lead_name = lead.get(view.lead_practitioner_id) if view.lead_practitioner_id else None
    return render_template("views/family.html", family=view, lead=lead_name, lead_chosen=view.lead_chosen_with_family,
                           sections=DEFAULT_TEMPLATE, oversight=latest,
                           oversight_by=lead.get(latest[1]) if latest and latest[1] else None)
