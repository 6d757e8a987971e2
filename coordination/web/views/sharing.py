"""A family's consent and sharing: the consents and the section × agency grid, recording a consent
(questions, then a check-answers page, then confirm) and withdrawing one.

The in-progress answers live in the signed session cookie between the questions and the check page,
so the check page's "Change" links are plain links that work without JavaScript. Only ids, section
keys, dates and a short purpose (at most 500 characters) are kept there; the draft is removed when the
consent is recorded. The questions page asks the consent service itself whether the answers would be
accepted (and rolls that back), so the check page never shows answers the service would refuse.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.consent import competence_warning, default_expiry
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action, may
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.errors import Invalid, NotFound
from coordination.extensions import uow
from coordination.services import directory
from coordination.services import families as families_service
from coordination.services.sharing import consent as consent_service
from coordination.services.sharing import safeguarding

from ..actions import submit_action
from ..blueprint import bp
from ..formatting import today
from ..forms import add_service_errors, error_list
from ..forms_sharing import (
    AGENCY_TYPE_LABELS,
    CAPACITY_LABELS,
    DECISION_LABELS,
    METHOD_LABELS,
    ConfirmForm,
    ConsentForm,
    ReasonForm,
)
from ..pages import family_page

DRAFT = "consent_draft"
# Nothing is preselected (least of all the decision), so a question left unanswered is asked again in GOV.UK's
# words. How the decision was given is part of the record of it, so the form asks for it too.
UNANSWERED = {"decision": "Select whether they agreed to share", "method": "Select how the decision was given"}
SECTION_TITLES = {s.key: s.title for s in DEFAULT_TEMPLATE}
STATE_TAGS = {"live": ("Live", "govuk-tag--green"), "expired": ("Expired", "govuk-tag--grey"),
              "not_yet_valid": ("Not yet valid", "govuk-tag--blue"), "withdrawn": ("Withdrawn", "govuk-tag--red")}


def labels() -> dict[str, Any]:
    return {"sections": SECTION_TITLES, "capacities": CAPACITY_LABELS, "decisions": DECISION_LABELS,
            "methods": METHOD_LABELS, "types": {t.value: v for t, v in AGENCY_TYPE_LABELS.items()},
            "states": STATE_TAGS}


@bp.get("/families/<uuid:family_id>/consents")
@access("staff", action=Action.READ_CASE)
def consents(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    listing = consent_service.list_consents(uow(), actor, family_id)
    matrix = consent_service.consent_matrix(uow(), actor, family_id)
    disclosures = safeguarding.list_family_disclosures(uow(), actor, family_id)
    names = directory.names_of(uow(), [c.recorded_by_id for c in listing.consents]
                               + [c.competence_assessed_by_id for c in listing.consents])
    uow().commit()
    people = {p.id: p.full_name for p in family.people}
    consents_by_id = {c.id: c for c in listing.consents}
    return render_template("views/consents.html", family=family, listing=listing, matrix=matrix,
                           disclosures=disclosures, names=names, people=people, by_id=consents_by_id,
                           can_disclose=may(actor, Action.DISCLOSE_WITHOUT_CONSENT), **labels())


def _choices(form: ConsentForm, family, actor) -> list[tuple[uuid.UUID, str, str]]:
    form.given_by.choices = [(str(p.id), f"{p.full_name} ({'child' if p.role == 'child' else 'parent or carer'}"
                              + (f", {p.age_on(today())}" if p.role == "child" and p.date_of_birth else "") + ")")
                             for p in family.people if p.role in ("child", "parent_carer")]
    form.capacity.choices = list(CAPACITY_LABELS.items())
    form.decision.choices = list(DECISION_LABELS.items())
    form.method.choices = list(METHOD_LABELS.items())
    form.sections.choices = [(s.key, s.title) for s in DEFAULT_TEMPLATE]
    types = {t.value: v for t, v in AGENCY_TYPE_LABELS.items()}
    # grouped by type (shown after each name), so the schools sit together, then the health services…
    agencies = sorted((a for a in directory.list_agencies(uow()) if a[0] != actor.agency_id),
                      key=lambda a: (types.get(a[2], a[2]), a[1]))
    form.agencies.choices = [(str(a[0]), f"{a[1]} ({types.get(a[2], a[2])})") for a in agencies]
    form.agency_types.choices = [(t.value, v) for t, v in AGENCY_TYPE_LABELS.items()]
    staff = directory.names_of(uow(), [actor.user_id, family.lead_practitioner_id])
    form.competence_assessed_by.choices = [("", "Not applicable")] + [(str(k), v) for k, v in staff.items()]
    return agencies


def _answers(form: ConsentForm) -> dict[str, Any]:
    """The draft as stored in the session: ids, keys, ISO dates and the short purpose."""
    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None
    return {
        "given_by": form.given_by.data or "", "capacity": form.capacity.data or "",
        "competence_assessed_by": form.competence_assessed_by.data or "",
        "competence_assessed_on": iso(form.competence_assessed_on.data),
        "decision": form.decision.data or "", "sections": list(form.sections.data or []),
        "agencies": list(form.agencies.data or []), "agency_types": list(form.agency_types.data or []),
        "purpose": (form.purpose.data or "").strip(), "method": form.method.data or "",
        "valid_from": iso(form.valid_from.data), "expires_on": iso(form.expires_on.data),
        "extended_reason": (form.extended_reason.data or "").strip(),
    }


def _record(family_id: uuid.UUID, a: dict[str, Any]):
    """Ask the consent service to record the answers (the caller commits or rolls back)."""
    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None
    competent = a["capacity"] == "competent_child"
    return consent_service.record_consent(
        uow(), current_actor(), family_id, given_by=uuid_or_none(a["given_by"]),  # type: ignore[arg-type]
        capacity=a["capacity"], sections=a["sections"],
        recipients={"agencies": a["agencies"], "agency_types": a["agency_types"]}, purpose=a["purpose"],
        expires_on=day(a["expires_on"]), valid_from=day(a["valid_from"]), method=a["method"] or None,
        extended_reason=a.get("extended_reason") or None,
        decision=a["decision"] or "", competence_assessed_by=uuid_or_none(a["competence_assessed_by"]) if competent
        else None, competence_assessed_on=day(a["competence_assessed_on"]) if competent else None)


def _place_errors(form: ConsentForm, errors: dict[str, list[str]]) -> list[dict]:
    fields = {"given_by": form.given_by, "capacity": form.capacity, "decision": form.decision,
              "method": form.method, "competence_assessed_by": form.competence_assessed_by,
              "competence_assessed_on": form.competence_assessed_on, "sections": form.sections,
              # with no other agency to list, the agency checkboxes are absent: point at the types instead
              "recipients": form.agencies if form.agencies.choices else form.agency_types,
              "recipients.agencies": form.agencies,
              "recipients.agency_types": form.agency_types, "purpose": form.purpose,
              "valid_from": form.valid_from, "expires_on": form.expires_on,
              "extended_reason": form.extended_reason}
    unplaced = add_service_errors(fields, errors)
    return [dict(e, href="#given_by") for e in unplaced] + error_list(form)


def _fill(form: ConsentForm, a: dict[str, Any]) -> None:
    for name in ("given_by", "capacity", "competence_assessed_by", "decision", "sections", "agencies",
                 "agency_types", "purpose", "method", "extended_reason"):
        getattr(form, name).data = a.get(name)
    for name in ("competence_assessed_on", "valid_from", "expires_on"):
        getattr(form, name).data = dt.date.fromisoformat(a[name]) if a.get(name) else None


@bp.route("/families/<uuid:family_id>/consents/new", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def record_consent(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = ConsentForm()
    _choices(form, family, actor)
    errors: list[dict] = []
    if form.validate_on_submit():
        answers = _answers(form)
        problems: dict[str, list[str]] = {}
        try:
            _record(family_id, answers)
        except Invalid as exc:
            problems = dict(exc.errors)
        finally:
            uow().rollback()  # only asking whether the service would accept the answers
            family = families_service.get_family(uow(), actor, family_id)  # its read is audited again
        problems.update({name: [message] for name, message in UNANSWERED.items() if not answers[name]})
        if problems:
            errors = _place_errors(form, problems)
        if not errors:
            session[DRAFT] = {"family_id": str(family_id), **answers}
            return redirect(url_for("web.check_consent", family_id=family_id))
    elif form.is_submitted():
        errors = error_list(form)
    else:
        draft = session.get(DRAFT)
        if request.args.get("change") and draft and draft.get("family_id") == str(family_id):
            _fill(form, draft)
        else:
            session.pop(DRAFT, None)
            form.valid_from.data = today()
            form.expires_on.data = default_expiry(today())
    uow().commit()
    return render_template("views/consent_new.html", family=family, form=form, errors=errors)


@bp.route("/families/<uuid:family_id>/consents/check", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def check_consent(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    draft = session.get(DRAFT)
    if not draft or draft.get("family_id") != str(family_id):
        uow().commit()
        return redirect(url_for("web.record_consent", family_id=family_id))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            _record(family_id, draft)
        except Invalid as exc:
            uow().rollback()
            questions = ConsentForm(formdata=None)
            _choices(questions, family, actor)
            _fill(questions, draft)
            errors = _place_errors(questions, exc.errors)
            return render_template("views/consent_new.html", family=family, form=questions, errors=errors)
        uow().commit()
        session.pop(DRAFT, None)
        flash("Consent recorded", "success")
        return redirect(url_for("web.consents", family_id=family_id))
    questions = ConsentForm(formdata=None)
    _choices(questions, family, actor)
    agency_names = dict(questions.agencies.choices)  # type: ignore[arg-type]
    people = {str(p.id): p.full_name for p in family.people}
    staff = dict(questions.competence_assessed_by.choices)  # type: ignore[arg-type]
    giver = next((p for p in family.people if str(p.id) == draft.get("given_by")), None)
    warning = competence_warning(draft.get("capacity", ""), giver.date_of_birth if giver else None, today())
    uow().commit()
    return render_template("views/consent_check.html", family=family, a=draft, form=form, people=people,
                           competence_warning=warning,
                           agency_names=agency_names, staff=staff, dates={
                               k: dt.date.fromisoformat(draft[k]) if draft.get(k) else None
                               for k in ("valid_from", "expires_on", "competence_assessed_on")}, **labels())


@bp.route("/families/<uuid:family_id>/consents/<uuid:consent_id>/withdraw", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def withdraw_consent(family_id: uuid.UUID, consent_id: uuid.UUID):
    actor, family = family_page(family_id)
    listing = consent_service.list_consents(uow(), actor, family_id)
    consent = next((c for c in listing.consents if c.id == consent_id), None)
    if consent is None:
        raise NotFound("Consent not found")
    form = ReasonForm()
    done, errors = submit_action(
        form, lambda: consent_service.withdraw_consent(uow(), actor, consent_id, form.reason.data or ""),
        fields={"reason": form.reason}, href="#reason", done=url_for("web.consents", family_id=family_id),
        success="Consent withdrawn. Nothing more is shared under it",
        conflict="This consent had already been withdrawn")
    if done is not None:
        return done
    uow().commit()
    return render_template("views/consent_withdraw.html", family=family, consent=consent, form=form, errors=errors,
                           **labels())
