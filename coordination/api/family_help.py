"""Family Help around the plan: team-around-the-family reviews, closure and hand-over (step-up, step-down: the
same plan carries on), re-opening, "you said, we did" feedback, family group decision-making, and the measures."""
from __future__ import annotations

import uuid

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services.family_help import closure, feedback, fgdm, reviews
from coordination.services.reporting import family_help as measures
from schemas import family_help as schema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint

FAMILY = "/families/<uuid:family_id>"


@bp.post(FAMILY + "/reviews")
@access("staff")
@endpoint("Record a team around the family review", tag="family help", body=schema.ReviewRequestSchema,
          response=schema.IdResponseSchema, status=201, errors=(403, 404, 409, 422))
def record_review(family_id: uuid.UUID, body: dict):
    """Who attended, what the family said, each child's view in their own words (or why it could not be had;
    never edited), a 0-10 score for every goal, decisions and the next review date. A new plan version, audited
    (no words in the audit trail); the plan's `next_review_due_on` moves on. A closed plan: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(reviews.record_review, family_id, **body)


@bp.post(FAMILY + "/close")
@access("staff")
@endpoint("Close the plan, or hand it over", tag="family help", body=schema.CloseRequestSchema,
          response=schema.ClosureResponseSchema, errors=(403, 404, 409, 422))
def close_plan(family_id: uuid.UUID, body: dict):
    """Closed on, why, each goal's outcome and whether the family's feedback was sought. `step_up` and
    `step_down` hand the same plan (id, goals, team, reviews) to the receiving team: it stays open. Any other
    reason closes it (every goal needs an outcome; `other` needs `reason_text`). Closed already: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(closure.close_plan, family_id, **body)


@bp.post(FAMILY + "/reopen")
@access("staff")
@endpoint("Re-open a closed plan", tag="family help", body=schema.ReopenRequestSchema,
          response=schema.ClosureResponseSchema, errors=(403, 404, 409, 422))
def reopen_plan(family_id: uuid.UUID, body: dict):
    """The same plan, open again; `reopened_within_12_months` flags a re-opening within 12 months of the
    closure. The first review falls due by the early help plan clock. Open already: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(closure.reopen_plan, family_id, **body)


@bp.post(FAMILY + "/feedback")
@access("staff")
@endpoint("Record a family's feedback (you said)", tag="family help", body=schema.FeedbackRequestSchema,
          response=schema.IdResponseSchema, status=201, errors=(403, 404, 422))
def add_feedback(family_id: uuid.UUID, body: dict):
    """From a family member or child (or the family as a whole), at any time. The lead practitioner is emailed
    (no words in the email); it is a task for the case-holding agency until answered.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(feedback.add_feedback, family_id, **body)


@bp.post("/feedback/<uuid:feedback_id>/response")
@access("staff")
@endpoint("Record what the team did (we did)", tag="family help", body=schema.FeedbackResponseRequestSchema,
          response=schema.FeedbackResponseSchema, errors=(403, 404, 409, 422))
def respond_to_feedback(feedback_id: uuid.UUID, body: dict):
    """Answers the feedback and closes its task. Answered already: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(feedback.respond, feedback_id, **body)


@bp.post(FAMILY + "/fgdm")
@access("staff")
@endpoint("Record family group decision-making", tag="family help", body=schema.FgdmRequestSchema,
          response=schema.IdResponseSchema, status=201, errors=(403, 404, 409, 422))
def record_fgdm(family_id: uuid.UUID, body: dict):
    """The offer (date, to which parent) or a best-interests exemption with its reason; accepted or declined and
    by whom; the meeting date, the family network who came and their relationship, whether the child attended;
    the family's own plan. A plan version, audited. A closed plan: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(fgdm.record_fgdm, family_id, None, **body)


@bp.put(FAMILY + "/fgdm/<uuid:fgdm_id>")
@access("staff")
@endpoint("Update family group decision-making", tag="family help", body=schema.FgdmRequestSchema,
          response=schema.IdResponseSchema, errors=(403, 404, 409, 422))
def update_fgdm(family_id: uuid.UUID, fgdm_id: uuid.UUID, body: dict):
    """The whole record as it stands now (e.g. the offer accepted, then the meeting held). A closed plan: 409.
    Staff of the agency holding the case and the lead practitioner (any agency) may; anyone else: 404."""
    return as_caller(fgdm.record_fgdm, family_id, fgdm_id, **body)


@bp.get("/metrics/family-help")
@access("staff", action=Action.VIEW_METRICS)
@endpoint("Family Help measures", tag="metrics", query=schema.MeasuresQuerySchema,
          response=schema.MeasuresResponseSchema, errors=(403, 422))
def family_help_measures(query: dict):
    """For a period, over the families the caller's agency holds: reviews held on time, reviews with every
    child's view recorded, closures by reason, goals met at closure, feedback answered within 20 working days.
    The same definitions as the manager dashboard (domain/measures.py), listed in `definitions`."""
    return as_caller(measures.family_help_measures, query["from_"], query["to"])
