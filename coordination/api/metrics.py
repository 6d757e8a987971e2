"""Timeliness for managers: the figures (GET /metrics/timeliness) and the children behind one."""
from __future__ import annotations

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.services.reporting import metrics as metrics_service
from schemas.metrics import DrillQuerySchema, DrillResponseSchema, TimelinessQuerySchema, TimelinessResponseSchema

from .blueprint import bp
from .caller import as_caller
from .endpoint import endpoint


@bp.get("/metrics/timeliness")
@access("staff", action=Action.VIEW_METRICS)
@endpoint("Timeliness per pathway and stage", tag="metrics", query=TimelinessQuerySchema,
          response=TimelinessResponseSchema, errors=(403, 422))
def timeliness(query: dict):
    """For a period: per pathway and stage, how many clocks stopped, how many within target, the percentage,
    median and 90th percentile days, what is open and overdue at the end of the period, the trend by month,
    re-referrals within 12 months, and the statutory measures. Counts what the caller's agency may see."""
    return as_caller(metrics_service.timeliness, query["from_"], query["to"], pathway=query["pathway"],
                     breakdown=query["breakdown"])


@bp.get("/metrics/timeliness/children")
@access("staff", action=Action.VIEW_METRICS)
@endpoint("The referrals behind a timeliness figure", tag="metrics", query=DrillQuerySchema,
          response=DrillResponseSchema, errors=(403, 422))
def children_behind(query: dict):
    """The referrals behind one figure (`which`: completed, within, late, open, overdue). Children's names
    only for families the caller's agency holds. Audited as a read."""
    items = as_caller(metrics_service.children_behind, pathway=query["pathway"], clock=query["stage"],
                      first=query["from_"], last=query["to"], which=query["which"],
                      breakdown=query["breakdown"], group=query["group"])
    return {"items": items}
