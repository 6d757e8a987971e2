"""SEN2 in the web UI: an EHC needs assessment request's SEN2 details (a form reached from the referral page of the
SEND team that received it), and the SEN2 page for managers — the year, its counts, a pre-submission report of
what is missing (each with a link to fix it) and the download of the DfE XML."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain import ehc_details as rules
from coordination.domain.permissions import Action
from coordination.errors import Conflict, Invalid
from coordination.extensions import state, uow
from coordination.services import ehc_details as ehc_service
from coordination.services.reporting import sen2 as sen2_service

from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_sen2 import EhcDetailsForm, Sen2YearForm
from ..pages import referral_page
from .people import form_version
from .returns import xml_file, year_of

BOOLEANS, DATES, TEXTS, CODES = rules.BOOLEANS, rules.DATES, rules.SEALED, tuple(rules.CODES)
STALE = "Someone changed these details since you opened them: check them and save again"


def _prefill(form: EhcDetailsForm, view: ehc_service.EhcDetailsView) -> None:
    for name in BOOLEANS:
        value = getattr(view, name)
        form[name].data = None if value is None else ("yes" if value else "no")
    for name in CODES + TEXTS + DATES:
        form[name].data = getattr(view, name) or (None if name in DATES else "")
    form.placement_rank.data = str(view.placement_rank) if view.placement_rank else None
    form.sen_need_1.data = view.sen_needs[0] if view.sen_needs else ""
    form.sen_need_2.data = view.sen_needs[1] if len(view.sen_needs) > 1 else ""
    form.version.data = str(view.version)


def _values(form: EhcDetailsForm) -> dict[str, Any]:
    """What the form says, for the service: the fields whose own checks failed (a date that is not one) are left
    out, so the service still checks all the rest and the error summary lists every problem at once."""
    values: dict[str, Any] = {name: {"yes": True, "no": False}.get(form[name].data or "") for name in BOOLEANS}
    values.update({name: form[name].data or None for name in CODES + TEXTS})
    values.update({name: form[name].data for name in DATES if not form[name].errors})
    values["placement_rank"] = form.placement_rank.data or None
    values["sen_needs"] = [n for n in (form.sen_need_1.data, form.sen_need_2.data) if n]
    return values


def _fields(form: EhcDetailsForm) -> dict[str, Any]:
    fields = {name: form[name] for name in BOOLEANS + CODES + TEXTS + DATES + ("placement_rank",)}
    fields["sen_needs"] = form.sen_need_1
    return fields


@bp.route("/referrals/<uuid:referral_id>/ehc-details", methods=["GET", "POST"])
@access("staff")
def ehc_details(referral_id: uuid.UUID):
    actor, view, child_name = referral_page(referral_id)
    form = EhcDetailsForm()
    back = url_for("web.referral", referral_id=referral_id)
    errors: list[dict] = []
    current = ehc_service.get_ehc_details(uow(), actor, referral_id)
    if not form.is_submitted():
        _prefill(form, current)
    else:
        form.validate_on_submit()
        version = form_version(form)
        try:
            if form.errors:  # the form's own problems: ask the service for the rules' too, writing nothing
                ehc_service.check_ehc_details(uow(), actor, referral_id, expected_version=version, **_values(form))
            else:
                ehc_service.record_ehc_details(uow(), actor, referral_id, expected_version=version, **_values(form))
                uow().commit()
                flash("EHC details saved", "success")
                return redirect(back)
        except Invalid as exc:
            uow().rollback()
            errors = add_service_errors(_fields(form), exc.errors)
        except Conflict:
            uow().rollback()
            _prefill(form, ehc_service.get_ehc_details(uow(), actor, referral_id))
            errors = [{"text": STALE, "href": f"#{form.request_outcome.id}"}]
        errors = error_list(form, errors)
    uow().commit()
    return render_template("views/ehc_details.html", form=form, errors=errors, back=back, referral=view,
                           child_name=child_name, exceptions=current.week20_exceptions,
                           title="EHC details for SEN2"), 400 if errors else 200


def _sen2_return(year: int | None, *, report_only: bool = False) -> sen2_service.Sen2Return:
    settings = state().settings
    return sen2_service.sen2_return(uow(), current_actor(), year, settings.la_code, report_only=report_only,
                                    dmo=settings.sen2_dmo, dco=settings.sen2_dco)


@bp.get("/returns/sen2")
@access("staff", action=Action.RUN_RETURNS)
def sen2_page():
    """The year asked for (GET form); with a year, the counts and the pre-submission report."""
    form = Sen2YearForm(request.args)
    today: dt.date = uow().today()
    result, errors = None, []
    if request.args.get("year") is not None:
        try:
            result = _sen2_return(year_of(form.year.data), report_only=True)
        except Invalid as exc:
            uow().rollback()
            form.year.errors = exc.errors.get("year", ["Enter the year of the census"])
            errors = [{"text": form.year.errors[0], "href": f"#{form.year.id}"}]
    else:
        form.year.data = str(today.year + 1 if today.month >= 2 else today.year)
    uow().commit()
    return render_template("views/returns_sen2.html", form=form, result=result, errors=errors,
                           title="SEN2"), 400 if errors else 200


@bp.get("/returns/sen2.xml")
@access("staff", action=Action.RUN_RETURNS)
def sen2_download():
    """The XML for the year, as the CLI writes it; audited as an export with its SHA-256."""
    try:
        result = _sen2_return(year_of(request.args.get("year")))
    except Invalid:
        uow().rollback()
        return redirect(url_for("web.sen2_page", year=request.args.get("year", "")))
    uow().commit()
    return xml_file(result)
