"""The assessment's status pages: a section complete or back to in progress, the family's agreement, a manager's
sign-off, and the family's copy to print (every section the family may see, saying what is left out)."""
from __future__ import annotations

import uuid

from flask import abort, render_template, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.assessment_status import SECTION_STATUS_LABELS, STATE_LABELS, YOUNG_PERSON_AGREES_FROM
from coordination.domain.permissions import Action
from coordination.extensions import uow
from coordination.services import assessment_copy, directory
from coordination.services import assessment_status as status_service
from coordination.services import families as families_service

from ..actions import submit_action
from ..blueprint import bp
from ..formatting import today
from ..forms_assessment import AgreementForm, SectionStatusForm
from ..forms_sharing import ConfirmForm
from ..pages import family_page

OUTSTANDING = "Complete every required section before the family agrees the assessment"


@bp.route("/families/<uuid:family_id>/assessment/<key>/status", methods=["GET", "POST"])
@access("staff", action=Action.READ_CASE)
def section_status(family_id: uuid.UUID, key: str):
    """"Have you completed this section?" (also asked at the foot of the section page, which posts here)."""
    actor = current_actor()
    form = SectionStatusForm()
    done, errors = submit_action(
        form, lambda: status_service.mark_section(uow(), actor, family_id, key, form.status.data or ""),
        fields={"status": form.status}, done=url_for("web.assessment", family_id=family_id),
        success=lambda _v: "Section marked as complete" if form.status.data == "completed"
        else "Section marked as in progress")
    if done:
        return done
    family = families_service.get_family(uow(), actor, family_id)
    view = status_service.status_of(uow(), actor, family_id)
    section = next((s for s in view.sections if s.key == key), None)
    if section is None:
        abort(404)
    uow().commit()
    return render_template("views/section_status.html", family=family, section=section, form=form, errors=errors,
                           labels=SECTION_STATUS_LABELS)


@bp.route("/families/<uuid:family_id>/assessment/agreement", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def assessment_agreement(family_id: uuid.UUID):
    """Record that the family agreed the assessment: who of them, and when (not in the future)."""
    actor, family = family_page(family_id)
    form = AgreementForm()
    day = today()
    form.agreed_by.choices = [
        (str(p.id), p.full_name + (" (young person)" if p.role == "child" else ""))
        for p in family.people if p.in_household and (
            p.role == "parent_carer" or (p.role == "child" and (p.age_on(day) or 0) >= YOUNG_PERSON_AGREES_FROM))]
    fields = {"agreed_by": form.agreed_by, "agreed_on": form.agreed_on}
    done, errors = submit_action(
        form, lambda: status_service.record_agreement(uow(), actor, family_id, form.agreed_by.data or None,
                                                      form.agreed_on.data),
        fields=fields, done=url_for("web.assessment", family_id=family_id),
        success="The family's agreement is recorded", conflict="The family's agreement was already recorded",
        messages=lambda e: {k: v for k, v in e.items() if k != "assessment"} | (
            {"outstanding": [OUTSTANDING]} if "assessment" in e else {}))
    if done:
        return done
    # A message with no field (sections not complete) points at the list of them.
    errors = [dict(e, href=e.get("href") or "#outstanding") for e in errors]
    view = status_service.status_of(uow(), actor, family_id)
    uow().commit()
    return render_template("views/assessment_agreement.html", family=family, form=form, errors=errors, status=view,
                           labels=STATE_LABELS)


@bp.route("/families/<uuid:family_id>/assessment/sign-off", methods=["GET", "POST"])
@access("staff", action=Action.SIGN_OFF_ASSESSMENT)
def assessment_sign_off(family_id: uuid.UUID):
    """A manager of the team holding the case signs off the agreed assessment."""
    actor = current_actor()
    form = ConfirmForm()
    done, errors = submit_action(
        form, lambda: status_service.sign_off(uow(), actor, family_id), fields={},
        done=url_for("web.assessment", family_id=family_id), success="Assessment signed off",
        conflict="The assessment was already signed off", href="#agreement")
    if done:
        return done
    family = families_service.get_family(uow(), actor, family_id)
    view = status_service.status_of(uow(), actor, family_id)
    names = directory.names_of(uow(), [view.agreement.recorded_by if view.agreement else None])
    uow().commit()
    people = {p.id: p for p in family.people}
    return render_template("views/assessment_sign_off.html", family=family, form=form, errors=errors, status=view,
                           names=names, people=people, labels=STATE_LABELS)


@bp.get("/families/<uuid:family_id>/assessment/print")
@access("staff", action=Action.READ_CASE)
def assessment_print(family_id: uuid.UUID):
    """The assessment as the family sees it, to print or give them: no navigation, what is left out said."""
    actor, family = family_page(family_id)
    copy = assessment_copy.family_copy(uow(), actor, family_id)
    uow().commit()
    people = {p.id: p for p in family.people}
    return render_template("views/assessment_print.html", family=family, copy=copy, people=people,
                           labels=STATE_LABELS)

