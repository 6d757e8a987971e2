"""The statutory returns' data and the returns themselves: a child's census details (on their person record), a
social care referral's (primary need, factors at assessment, reason for closure), and the CIN census page —
the census year, its counts, a pre-submission report of what is missing (each with a link to fix it) and the
download of the DfE XML."""
from __future__ import annotations

import uuid

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain import cin_census as census
from coordination.domain.permissions import Action, may
from coordination.errors import Invalid
from coordination.extensions import state, uow
from coordination.services import census_details
from coordination.services.reporting import returns as returns_service
from coordination.services.reporting import sen2 as sen2_service

from ..actions import submit_action
from ..blueprint import bp
from ..forms_returns import CensusYearForm, ChildCensusForm, ReferralCensusForm
from ..pages import family_page, referral_page
from .people import form_page, form_version, person_in, save_form


@bp.app_context_processor
def _returns_navigation():
    return {"can_run_returns": current_user.is_authenticated and may(current_actor(), Action.RUN_RETURNS)}


CHILD = ("sex", "ethnicity", "disabilities", "upn_unknown", "former_upn", "uln")


def _prefill(form: ChildCensusForm, view: census_details.ChildCensusView) -> None:
    form.sex.data, form.ethnicity.data = view.sex, view.ethnicity or ""
    form.disabilities.data = list(view.disabilities)
    form.upn_unknown.data, form.former_upn.data = view.upn_unknown or "", view.former_upn
    form.uln.data = view.uln
    form.version.data = str(view.version)


@bp.route("/families/<uuid:family_id>/people/<uuid:person_id>/census", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def child_census(family_id: uuid.UUID, person_id: uuid.UUID):
    actor, family = family_page(family_id)
    person = person_in(family, person_id)
    form = ChildCensusForm()
    fields = {name: form[name] for name in CHILD}
    errors: list[dict] = []
    back = url_for("web.person_page", family_id=family_id, person_id=person_id)
    if not form.is_submitted():
        _prefill(form, census_details.get_child_census(uow(), actor, person_id))
    else:
        done, errors = save_form(form, lambda: census_details.update_child_census(
            uow(), actor, person_id, sex=form.sex.data or None, ethnicity=form.ethnicity.data or None,
            disabilities=form.disabilities.data or [], upn_unknown=form.upn_unknown.data or None,
            former_upn=form.former_upn.data or None, uln=form.uln.data or None,
            expected_version=form_version(form)), fields, done=back,
            success=f"{person.full_name}'s census details saved",
            stale=lambda: _prefill(form, census_details.get_child_census(uow(), actor, person_id)))
        if done:
            return done
    uow().commit()
    return form_page({"family": family, "title": f"{person.full_name}'s census details", "button": "Save",
                      "back": back, "intro": "What the Children in Need census and SEN2 returns record about the "
                      "child, in the Department for Education's codes."}, form, fields, errors)


@bp.route("/referrals/<uuid:referral_id>/census", methods=["GET", "POST"])
@access("staff")
def referral_census(referral_id: uuid.UUID):
    actor, view, child_name = referral_page(referral_id)
    form = ReferralCensusForm()
    back = url_for("web.referral", referral_id=referral_id)
    closed = view.status == "closed"
    fields = {"primary_need": form.primary_need, "assessment_factors": form.assessment_factors}
    if closed:
        fields["reason_for_closure"] = form.reason_for_closure
    if not form.is_submitted():
        current = census_details.get_referral_census(uow(), actor, referral_id)
        form.primary_need.data = current.primary_need or ""
        form.assessment_factors.data = list(current.assessment_factors)
        form.reason_for_closure.data = current.reason_for_closure
        errors: list[dict] = []
    else:
        done, errors = submit_action(form, lambda: census_details.update_referral_census(
            uow(), actor, referral_id, primary_need=form.primary_need.data or None,
            assessment_factors=form.assessment_factors.data or [],
            reason_for_closure=(form.reason_for_closure.data or None) if closed else None),
            fields=fields, done=back, success="Census details saved")
        if done is not None:
            return done
    uow().commit()
    return render_template("views/referral_census.html", form=form, fields=list(fields.values()), errors=errors,
                           back=back, referral=view, child_name=child_name,
                           title="Children in need census details"), 400 if errors else 200


def year_of(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() and len(raw.strip()) == 4 else None


@bp.get("/returns/cin-census")
@access("staff", action=Action.RUN_RETURNS)
def cin_census_page():
    """The census year asked for (GET form); with a year, the counts and the pre-submission report."""
    form = CensusYearForm(request.args)
    today = uow().today()
    latest = today.year + 1 if today.month >= 4 else today.year
    result, errors = None, []
    if request.args.get("year") is not None:
        try:
            result = returns_service.cin_census(uow(), current_actor(), year_of(form.year.data),
                                                state().settings.la_code, report_only=True)
        except Invalid as exc:
            uow().rollback()
            form.year.errors = exc.errors.get("year", ["Enter the census year"])
            errors = [{"text": form.year.errors[0], "href": f"#{form.year.id}"}]
    else:
        form.year.data = str(latest - 1 if today.month < 6 else latest)
    uow().commit()
    return render_template("views/returns_cin.html", form=form, result=result, errors=errors,
                           title="Children in need census", codes=census), 400 if errors else 200


@bp.get("/returns/cin-census.xml")
@access("staff", action=Action.RUN_RETURNS)
def cin_census_download():
    """The XML for the year, as the CLI writes it; audited as an export with its SHA-256."""
    try:
        result = returns_service.cin_census(uow(), current_actor(), year_of(request.args.get("year")),
                                            state().settings.la_code)
    except Invalid:
        uow().rollback()
        return redirect(url_for("web.cin_census_page", year=request.args.get("year", "")))
    uow().commit()
    return xml_file(result)


def xml_file(result: returns_service.CensusReturn | sen2_service.Sen2Return) -> Response:
    """A return's XML as a download, with its SHA-256 as audited."""
    return Response(result.xml, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{result.filename}"', "X-Content-SHA256": result.sha256})
