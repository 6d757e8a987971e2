"""Family Help: the lead practitioner, the team around the family and the one family plan."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Scope
from coordination.services.family_help import lead, plan, team
from schemas import plan as schema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint

FAMILY = "/families/<uuid:family_id>"
ACTION = FAMILY + "/plan/goals/<uuid:goal_id>/actions/<uuid:action_id>"


@bp.put(FAMILY + "/lead")
@access("staff")
@endpoint("Set the lead practitioner", tag="family help", body=schema.LeadRequestSchema,
          response=schema.LeadResponseSchema, errors=(403, 404, 409, 422))
def set_lead(family_id: uuid.UUID, body: dict):
    """The lead may be a practitioner or manager of any agency. A change of lead needs a `reason`; it is kept as a
    handover in the family's history, counted as a plan version and audited. A closed plan: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(lead.set_lead, family_id, **body)


@bp.post(FAMILY + "/team")
@access("staff")
@endpoint("Add a team member", tag="family help", body=schema.MemberRequestSchema,
          response=schema.IdResponseSchema, status=201, errors=(403, 404, 409, 422))
def add_member(family_id: uuid.UUID, body: dict):
    """An agency, a member of staff or a person in the family or its wider network: exactly one of `agency_id`,
    `user_id`, `person_id`, with their role. Membership gives no access to the record: a member agency reads the
    plan only under a live consent or disclosure covering `family_plan`. In the team already, or a closed plan: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(team.add_member, family_id, **body)


@bp.delete(FAMILY + "/team/<uuid:member_id>")
@access("staff")
@endpoint("End a team membership", tag="family help", response=schema.MemberResponseSchema,
          errors=(403, 404, 409))
def end_member(family_id: uuid.UUID, member_id: uuid.UUID):
    """Sets `left_on` to today; the member stays in the team's history. Ended already, or a closed plan: 409."""
    return as_caller(team.end_member, family_id, member_id)


@bp.get(FAMILY + "/plan")
@access("staff_or_partner", scope=Scope.READ_ASSESSMENT)
@endpoint("Read the family plan", tag="family help", response=schema.PlanResponseSchema, errors=(403, 404))
def read_plan(family_id: uuid.UUID):
    """The one plan: lead, team, goals and their actions. The case holder and the lead practitioner read it whole.
    Anyone else (partner keys with read:assessment, staff of other agencies) reads it only while a live consent or
    safeguarding disclosure covers `family_plan` for their agency, audited as a disclosure (it is in the family's
    access log); otherwise 404, as for a family that does not exist. `owned_by_caller` marks your actions."""
    return as_caller(plan.read_plan_for, family_id, channel="api")


@bp.post(FAMILY + "/plan/goals")
@access("staff")
@endpoint("Add a goal", tag="family help", body=schema.GoalRequestSchema, response=schema.IdResponseSchema,
          status=201, errors=(403, 404, 409, 422))
def add_goal(family_id: uuid.UUID, body: dict):
    """A goal in the family's own words, with its outcome area. A new plan version, audited. A closed plan: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(plan.add_goal, family_id, **body)


@bp.post(FAMILY + "/plan/goals/<uuid:goal_id>/actions")
@access("staff")
@endpoint("Add an action", tag="family help", body=schema.ActionRequestSchema, response=schema.IdResponseSchema,
          status=201, errors=(403, 404, 409, 422))
def add_action(family_id: uuid.UUID, goal_id: uuid.UUID, body: dict):
    """What will be done, by whom (an agency, a named practitioner or a family member) and by when; it starts as
    not_started. A new plan version, audited. A closed plan: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(plan.add_action, family_id, goal_id, **body)


@bp.post(ACTION + "/status")
@access("staff")
@endpoint("Change an action's status", tag="family help", body=schema.ActionStatusRequestSchema,
          response=schema.ActionResponseSchema, errors=(403, 404, 409, 422))
def set_action_status(family_id: uuid.UUID, goal_id: uuid.UUID, action_id: uuid.UUID, body: dict):
    """not_started, in_progress, done or dropped (a drop needs a `reason`). A new plan version, audited. A closed
    plan: 409."""
    return as_caller(plan.set_action_status, family_id, goal_id, action_id, **body)
