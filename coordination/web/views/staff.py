"""The admin console's staff pages: the list (paged, filtered), adding a staff member (questions, check answers,
confirmation), a staff member's account page, changing their role, deactivating or reactivating them, and
sending them a password reset link.

Every page needs MANAGE_USERS (admins); the services check it again. They show accounts only, never anything
about families. A new staff member is never given a password by the admin: they are emailed a one-time link to
choose one (services.password_reset). Each change is a POST that redirects to a page saying what happened.
"""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action, may
from coordination.errors import Conflict, Invalid, NotPermitted
from coordination.extensions import uow
from coordination.services import admin as admin_service
from coordination.services import password_reset

from ..actions import submit_action
from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_admin import (
    AGENCY_TYPES,
    ROLE_HINTS,
    ROLE_LABELS,
    STATUS_LABELS,
    AccountActionForm,
    CheckStaffForm,
    NewStaffForm,
    RoleForm,
    StaffFilterForm,
    role_choices,
)

DRAFT = "new_staff"  # the answers between the questions and the check page (signed session cookie)


@bp.app_context_processor
def _admin_navigation():
    return {"can_manage_users": current_user.is_authenticated and may(current_actor(), Action.MANAGE_USERS)}


def _agency_choices(first: str) -> list[tuple[str, str]]:
    types = {t.value: label for t, label in AGENCY_TYPES.items()}
    return [("", first)] + [(str(a.id), f"{a.name} ({types.get(a.type, a.type)})")
                            for a in admin_service.list_agencies(uow(), current_actor())]


def _role_items(form_field) -> None:
    form_field.choices = role_choices()


@bp.get("/admin/staff")
@access("staff", action=Action.MANAGE_USERS)
def staff_list():
    form = StaffFilterForm(request.args)
    form.agency.choices = _agency_choices("Any agency")
    form.role.choices = [("", "Any role"), *role_choices()]
    form.status.choices = [("", "Active or deactivated"), *STATUS_LABELS.items()]
    status = {"active": True, "deactivated": False}.get(form.status.data or "")
    role = form.role.data if form.role.data in ROLE_LABELS else None
    try:
        page_number = int(request.args.get("page", "1"))
    except ValueError:
        page_number = 1
    page = admin_service.list_staff(uow(), current_actor(), agency_id=uuid_or_none(form.agency.data), role=role,
                                    active=status, page=page_number)
    uow().commit()
    filters = {k: v for k, v in (("agency", form.agency.data), ("role", role), ("status", form.status.data)) if v}
    return render_template("views/staff_list.html", form=form, page=page, filters=filters, roles=ROLE_LABELS,
                           statuses=STATUS_LABELS)


@bp.route("/admin/staff/new", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def new_staff():
    form = NewStaffForm()
    form.agency_id.choices = _agency_choices("Choose an agency")
    _role_items(form.role)
    errors: list[dict] = []
    if form.validate_on_submit():
        answers = {"name": (form.name.data or "").strip(), "email": (form.email.data or "").strip(),
                   "agency_id": form.agency_id.data or "", "role": form.role.data or ""}
        problems = admin_service.check_new_user(uow(), current_actor(), answers["email"], answers["name"],
                                                uuid_or_none(answers["agency_id"]), answers["role"])
        if not problems:
            session[DRAFT] = answers
            uow().commit()
            return redirect(url_for("web.check_new_staff"))
        fields = {"name": form.name, "email": form.email, "agency_id": form.agency_id, "role": form.role}
        errors = add_service_errors(fields, problems) + error_list(form)
    elif form.is_submitted():
        errors = error_list(form)
    elif DRAFT in session:  # "Change" from the check page: the answers given so far
        draft = session[DRAFT]
        form.name.data, form.email.data = draft.get("name"), draft.get("email")
        form.agency_id.data, form.role.data = draft.get("agency_id"), draft.get("role")
    uow().commit()
    return render_template("views/staff_new.html", form=form, errors=errors, hints=ROLE_HINTS)


@bp.route("/admin/staff/new/check", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def check_new_staff():
    draft = session.get(DRAFT)
    if not draft:
        return redirect(url_for("web.new_staff"))
    form = CheckStaffForm()
    agency_id = uuid_or_none(draft.get("agency_id"))
    errors: list[dict] = []
    if form.validate_on_submit():
        try:
            user = admin_service.add_user(uow(), current_actor(), draft["email"], draft["name"], agency_id,  # type: ignore[arg-type]
                                          draft["role"], None)
            password_reset.issue_password_reset(uow(), current_actor(), user.id, new_account=True)
        except (Invalid, Conflict) as exc:  # someone added the same email, or the agency went, meanwhile
            uow().rollback()
            messages = getattr(exc, "errors", {}) or {"email": [exc.message]}
            errors = [{"text": m, "href": url_for("web.new_staff")} for ms in messages.values() for m in ms]
        else:
            uow().commit()
            session.pop(DRAFT, None)
            return redirect(url_for("web.staff_added", user_id=user.id))
    agency = admin_service.get_agency(uow(), current_actor(), agency_id) if agency_id else None
    uow().commit()
    return render_template("views/staff_check.html", form=form, draft=draft, agency=agency, errors=errors,
                           roles=ROLE_LABELS, types=AGENCY_TYPES)


@bp.get("/admin/staff/<uuid:user_id>/added")
@access("staff", action=Action.MANAGE_USERS)
def staff_added(user_id: uuid.UUID):
    """The confirmation page after adding someone (a GET: reloading it adds nobody)."""
    person = admin_service.get_staff(uow(), current_actor(), user_id)
    uow().commit()
    return render_template("views/staff_added.html", person=person, roles=ROLE_LABELS)


@bp.get("/admin/staff/<uuid:user_id>")
@access("staff", action=Action.MANAGE_USERS)
def staff_member(user_id: uuid.UUID):
    person = admin_service.get_staff(uow(), current_actor(), user_id)
    uow().commit()
    return render_template("views/staff_member.html", person=person, roles=ROLE_LABELS, types=AGENCY_TYPES)


def _someone_else(user_id: uuid.UUID) -> admin_service.StaffView:
    """The staff member, when they are not the signed-in admin (whose own account another admin changes)."""
    person = admin_service.get_staff(uow(), current_actor(), user_id)
    if person.is_you:
        raise NotPermitted("Another admin changes your own account")
    return person


@bp.route("/admin/staff/<uuid:user_id>/role", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def change_staff_role(user_id: uuid.UUID):
    person = _someone_else(user_id)
    form = RoleForm()
    _role_items(form.role)
    errors: list[dict] = []
    if form.validate_on_submit():
        role = form.role.data or ""
        if role not in ROLE_LABELS:
            form.role.errors = ["Select their new role"]
        elif role == person.role:
            form.role.errors = [f"{person.name} is already {_a(ROLE_LABELS[role])}: select another role"]
        else:
            try:
                admin_service.change_role(uow(), current_actor(), user_id, role)
            except Conflict:
                uow().rollback()
                form.role.errors = [f"{person.name} is already {_a(ROLE_LABELS[role])}: select another role"]
            else:
                uow().commit()
                flash(f"{person.name} is now {_a(ROLE_LABELS[role])}. They have been signed out everywhere, and "
                      "have the new role when they next sign in", "success")
                return redirect(url_for("web.staff_member", user_id=user_id))
    if form.is_submitted():
        errors = error_list(form)
    uow().commit()
    return render_template("views/staff_role.html", form=form, person=person, errors=errors, roles=ROLE_LABELS,
                           hints=ROLE_HINTS)


def _a(label: str) -> str:
    return ("an " if label[0] in "AEIOU" else "a ") + label.lower()


def _account_action(person: admin_service.StaffView, template: str, call, success: str,
                    conflict: str | None = None):
    form = AccountActionForm()
    done, errors = submit_action(form, call, fields={}, done=url_for("web.staff_member", user_id=person.id),
                                 success=success.format(name=person.name), conflict=conflict)
    if done is not None:
        return done
    uow().commit()
    return render_template(template, form=form, person=person, errors=errors, roles=ROLE_LABELS)


@bp.route("/admin/staff/<uuid:user_id>/deactivate", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def deactivate_staff(user_id: uuid.UUID):
    return _account_action(
        _someone_else(user_id), "views/staff_deactivate.html",
        lambda: admin_service.deactivate_user(uow(), current_actor(), user_id),
        success="{name}'s account is deactivated. They have been signed out and cannot sign in",
        conflict="This account was already deactivated")


@bp.route("/admin/staff/<uuid:user_id>/reactivate", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def reactivate_staff(user_id: uuid.UUID):
    return _account_action(
        _someone_else(user_id), "views/staff_reactivate.html",
        lambda: admin_service.reactivate_user(uow(), current_actor(), user_id),
        success="{name}'s account is active again. They can sign in with their password, or you can send them "
                "a link to set a new one",
        conflict="This account was already active")


@bp.route("/admin/staff/<uuid:user_id>/password-reset", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_USERS)
def send_password_reset(user_id: uuid.UUID):
    person = admin_service.get_staff(uow(), current_actor(), user_id)
    if not person.active:
        uow().commit()
        flash("Reactivate the account before sending a password reset link", "info")
        return redirect(url_for("web.staff_member", user_id=user_id))
    return _account_action(
        person, "views/staff_password_reset.html",
        lambda: password_reset.issue_password_reset(uow(), current_actor(), user_id),
        success="We have emailed {name} a link to set a new password. It works once, for 24 hours")
