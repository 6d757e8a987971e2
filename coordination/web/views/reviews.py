"""Family Help pages around the plan: record a review (with a check-answers page before it is saved), close or
hand over the plan, re-open it, "you said, we did" feedback and family group decision-making. Those who work on
the plan (the case holder, the lead practitioner of any agency) use them; anyone else gets 404."""
from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.family_help import CHILD_VIEW_METHOD_LABELS, CLOSURE_REASON_LABELS, GOAL_OUTCOME_LABELS
from coordination.domain.identifiers import uuid_or_none
from coordination.errors import Invalid
from coordination.extensions import uow
from coordination.services.family_help import closure, feedback, fgdm, plan, reviews
from coordination.services.family_help.views import PlanView

from ..actions import submit_action
from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_reviews import (
    FeedbackForm,
    FgdmForm,
    ReopenForm,
    ResponseForm,
    close_answers,
    close_fields,
    close_form,
    person_choices,
    review_answers,
    review_fields,
    review_form,
)

LABELS = {"methods": CHILD_VIEW_METHOD_LABELS, "reasons": CLOSURE_REASON_LABELS, "outcomes": GOAL_OUTCOME_LABELS}


def _working_plan(family_id: uuid.UUID) -> PlanView:
    view = plan.read_plan_for(uow(), current_actor(), family_id, channel="web")
    if not view.may_change or view.family is None:
        abort(404)
    return view


def _closed(view: PlanView):
    uow().commit()
    flash("The plan is closed: re-open it first", "info")
    return redirect(url_for("web.plan_page", family_id=view.family_id))


@bp.route("/families/<uuid:family_id>/reviews/new", methods=["GET", "POST"])
@access("staff")
def new_review(family_id: uuid.UUID):
    view = _working_plan(family_id)
    if view.status != "open":
        return _closed(view)
    assert view.family is not None
    children, goals = view.family.children, view.goals
    form = review_form(children, goals)
    errors: list[dict] = []
    if form.is_submitted() and not request.form.get("change"):
        if form.validate_on_submit():
            confirmed = bool(request.form.get("confirm"))
            answers = review_answers(form, children, goals)
            try:
                (reviews.record_review if confirmed else reviews.check_review)(
                    uow(), current_actor(), family_id, **answers)
            except Invalid as exc:
                uow().rollback()
                errors = add_service_errors(review_fields(form, children, goals), exc.errors) + error_list(form)
            else:
                if confirmed:
                    uow().commit()
                    flash("Review recorded", "success")
                    return redirect(url_for("web.plan_page", family_id=family_id))
                carried = [(k, v) for k, v in request.form.items(multi=True)
                           if k not in ("csrf_token", "confirm", "change")]
                uow().commit()
                return render_template("views/review_check.html", plan=view, form=form, a=answers,
                                       carried=carried, goals=goals, children=children, **LABELS)
        else:
            errors = error_list(form)
    elif not form.is_submitted():
        form.held_on.data = uow().today()
    uow().commit()
    return render_template("views/review_new.html", plan=view, form=form, errors=errors, children=children,
                           goals=goals)


@bp.route("/families/<uuid:family_id>/plan/close", methods=["GET", "POST"])
@access("staff")
def close_plan(family_id: uuid.UUID):
    actor = current_actor()
    view = _working_plan(family_id)
    if view.status != "open":
        return _closed(view)
    form = close_form(view.goals)
    done, errors = submit_action(
        form, lambda: closure.close_plan(uow(), actor, family_id, **close_answers(form, view.goals)),
        fields=close_fields(form, view.goals), done=url_for("web.plan_page", family_id=family_id),
        success=lambda c: "Plan handed over: the receiving team carries on the same plan" if c.handover
        else "Plan closed")
    if done:
        return done
    if not form.is_submitted():
        form.closed_on.data = uow().today()
    uow().commit()
    return render_template("views/plan_close.html", plan=view, form=form, errors=errors)


@bp.route("/families/<uuid:family_id>/plan/reopen", methods=["GET", "POST"])
@access("staff")
def reopen_plan(family_id: uuid.UUID):
    actor = current_actor()
    view = _working_plan(family_id)
    form = ReopenForm()
    done, errors = submit_action(
        form, lambda: closure.reopen_plan(uow(), actor, family_id, reason=form.reason.data or ""),
        fields={"reason": form.reason}, done=url_for("web.plan_page", family_id=family_id),
        success=lambda c: "Plan re-opened" + (", within 12 months of closing" if c.reopened_within_12_months
                                              else ""), conflict="The plan is already open")
    if done:
        return done
    uow().commit()
    return render_template("views/plan_reopen.html", plan=view, form=form, errors=errors)


@bp.route("/families/<uuid:family_id>/feedback", methods=["GET", "POST"])
@access("staff")
def family_feedback(family_id: uuid.UUID):
    actor = current_actor()
    entries = feedback.feedback_for(uow(), actor, family_id)
    family = plan.family_to_plan_for(uow(), actor, family_id)
    form = FeedbackForm()
    form.from_person_id.choices = person_choices(family.people, "The family as a whole")
    done, errors = submit_action(
        form, lambda: feedback.add_feedback(uow(), actor, family_id, said=form.said.data or "",
                                            from_person_id=uuid_or_none(form.from_person_id.data)),
        fields={"said": form.said, "from_person_id": form.from_person_id},
        done=url_for("web.family_feedback", family_id=family_id),
        success="Feedback recorded. The lead practitioner has been told")
    if done:
        return done
    uow().commit()
    return render_template("views/feedback.html", family=family, entries=entries, form=form, errors=errors)


@bp.route("/feedback/<uuid:feedback_id>/response", methods=["GET", "POST"])
@access("staff")
def feedback_response(feedback_id: uuid.UUID):
    actor = current_actor()
    entry = feedback.get_feedback(uow(), actor, feedback_id)
    back = url_for("web.family_feedback", family_id=entry.family_id)
    form = ResponseForm()
    done, errors = submit_action(
        form, lambda: feedback.respond(uow(), actor, feedback_id, we_did=form.we_did.data or ""),
        fields={"we_did": form.we_did}, done=back, success="Response recorded",
        conflict="This feedback has been answered already")
    if done:
        return done
    uow().commit()
    return render_template("views/feedback_response.html", entry=entry, form=form, errors=errors, back=back)


@bp.route("/families/<uuid:family_id>/fgdm", methods=["GET", "POST"])
@bp.route("/families/<uuid:family_id>/fgdm/<uuid:fgdm_id>", methods=["GET", "POST"])
@access("staff")
def fgdm_page(family_id: uuid.UUID, fgdm_id: uuid.UUID | None = None):
    actor = current_actor()
    records = fgdm.fgdm_for(uow(), actor, family_id)
    family = plan.family_to_plan_for(uow(), actor, family_id)
    record = next((r for r in records if r.id == fgdm_id), None) if fgdm_id else (records[-1] if records else None)
    if fgdm_id and record is None:
        abort(404)
    form = FgdmForm()
    parents = [p for p in family.people if p.role == "parent_carer"]
    form.offered_to_id.choices = person_choices(parents, "Choose a parent or carer")
    form.response_by_id.choices = person_choices(family.people, "Choose someone")
    done, errors = submit_action(
        form, lambda: fgdm.record_fgdm(uow(), actor, family_id, record.id if record else None, **form.answers()),
        fields=form.fields(), done=url_for("web.plan_page", family_id=family_id),
        success="Family group decision-making recorded",
        messages=lambda e: {("attendees" if k.startswith("attendees.") else k): v for k, v in e.items()})
    if done:
        return done
    if not form.is_submitted() and record is not None:
        _fill_fgdm(form, record)
    uow().commit()
    return render_template("views/fgdm.html", family=family, form=form, errors=errors, record=record)


def _fill_fgdm(form: FgdmForm, r) -> None:
    form.exempt.data = "yes" if r.exempt else "no"
    form.exemption_reason.data, form.offered_on.data = r.exemption_reason, r.offered_on
    form.offered_to_id.data = str(r.offered_to_id or "")
    form.response.data, form.response_by_id.data = r.response or "", str(r.response_by_id or "")
    form.meeting_on.data = r.meeting_on
    form.attendees.data = "\n".join(f"{a['name']}, {a['relationship']}" for a in r.attendees)
    form.child_attended.data = {True: "yes", False: "no"}.get(r.child_attended, "")
    form.family_plan.data = r.family_plan
