"""The family plan: the plan page (goals with their actions and statuses, like a task list), adding a goal, adding
an action (owner: an agency, a practitioner or a family member) and changing an action's status. Staff of the
agency holding the case and the lead practitioner (any agency) change it; anyone else reads it only under cover
for `family_plan` (the disclosure engine, audited in the family's access log), otherwise 404."""
from __future__ import annotations

import uuid

from flask import abort, render_template, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.family_help import CLOSURE_REASON_LABELS
from coordination.extensions import uow
from coordination.services import directory
from coordination.services.family_help import lead, plan
from coordination.services.family_help.views import PlanView
from coordination.services.views import FamilyView

from ..actions import submit_action
from ..blueprint import bp
from ..forms_plan import ActionForm, GoalForm, OwnerFields, StatusForm
from ..pages import family_help_page


@bp.get("/families/<uuid:family_id>/plan")
@access("staff")
def plan_page(family_id: uuid.UUID):
    view = plan.read_plan_for(uow(), current_actor(), family_id, channel="web")
    uow().commit()
    return render_template("views/plan.html", plan=view, today=uow().today(),
                           closure_reasons=CLOSURE_REASON_LABELS)


@bp.route("/families/<uuid:family_id>/plan/goals/new", methods=["GET", "POST"])
@access("staff")
def new_goal(family_id: uuid.UUID):
    actor, family = family_help_page(family_id)
    form = GoalForm()
    done, errors = submit_action(
        form, lambda: plan.add_goal(uow(), actor, family_id, title=form.title.data or "",
                                    outcome_area=form.outcome_area.data or ""),
        fields={"title": form.title, "outcome_area": form.outcome_area},
        done=url_for("web.plan_page", family_id=family_id), success="Goal added to the plan")
    if done:
        return done
    uow().commit()
    return render_template("views/plan_goal_new.html", family=family, form=form, errors=errors)


def owner_choices(form: OwnerFields, family: FamilyView) -> None:
    """Every agency, every possible practitioner (any agency) and the family's people, to choose from."""
    form.agency_id.choices = [("", "Choose an agency")] + [(str(i), name) for i, name, _t in
                                                          directory.list_agencies(uow())]
    form.user_id.choices = [("", "Choose a practitioner")] + [(str(i), f"{name} ({agency})") for i, name, agency in
                                                              lead.possible_leads(uow())]
    form.person_id.choices = [("", "Choose someone")] + [(str(p.id), p.full_name) for p in family.people]


def _goal(view: PlanView, goal_id: uuid.UUID):
    goal = next((g for g in view.goals if g.id == goal_id), None)
    if goal is None or not view.may_change or view.family is None:
        abort(404)
    return goal


@bp.route("/families/<uuid:family_id>/plan/goals/<uuid:goal_id>/actions/new", methods=["GET", "POST"])
@access("staff")
def new_action(family_id: uuid.UUID, goal_id: uuid.UUID):
    actor = current_actor()
    view = plan.read_plan_for(uow(), actor, family_id, channel="web")
    goal = _goal(view, goal_id)
    assert view.family is not None
    form = ActionForm()
    owner_choices(form, view.family)
    done, errors = submit_action(
        form, lambda: plan.add_action(uow(), actor, family_id, goal_id, description=form.description.data or "",
                                      owner=form.owner(), due_on=form.due_on.data),
        fields={"description": form.description, **form.owner_fields("owner."), "due_on": form.due_on},
        done=url_for("web.plan_page", family_id=family_id), success="Action added to the plan",
        messages=form.unchosen("owner."))
    if done:
        return done
    uow().commit()
    return render_template("views/plan_action_new.html", plan=view, goal=goal, form=form, errors=errors)


@bp.route("/families/<uuid:family_id>/plan/goals/<uuid:goal_id>/actions/<uuid:action_id>/status",
          methods=["GET", "POST"])
@access("staff")
def action_status(family_id: uuid.UUID, goal_id: uuid.UUID, action_id: uuid.UUID):
    actor = current_actor()
    view = plan.read_plan_for(uow(), actor, family_id, channel="web")
    goal = _goal(view, goal_id)
    item = next((a for a in goal.actions if a.id == action_id), None)
    if item is None:
        abort(404)
    form = StatusForm()
    done, errors = submit_action(
        form, lambda: plan.set_action_status(uow(), actor, family_id, goal_id, action_id,
                                             status=form.status.data or "", reason=form.reason.data),
        fields={"status": form.status, "reason": form.reason},
        done=url_for("web.plan_page", family_id=family_id), success="Action status changed")
    if done:
        return done
    if not form.is_submitted():
        form.status.data, form.reason.data = item.status, item.status_reason
    uow().commit()
    return render_template("views/plan_action_status.html", plan=view, goal=goal, action=item, form=form,
                           errors=errors)
