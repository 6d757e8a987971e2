"""Timeliness: query and response shapes (GET /metrics/timeliness and its drill-down)."""
from __future__ import annotations

from marshmallow import fields, validate

from coordination.domain.measures import BREAKDOWNS

from .base import BaseSchema, StrictBoolean, UtcDateTime

WHICH = ("completed", "within", "late", "open", "overdue")


class TimelinessQuerySchema(BaseSchema):
    from_ = fields.Date(data_key="from", required=True, metadata={"description": "First day of the period"})
    to = fields.Date(required=True, metadata={"description": "Last day of the period (inclusive)"})
    pathway = fields.String(load_default=None, metadata={"description": "A pathway key, e.g. social_care"})
    breakdown = fields.String(load_default=None, validate=validate.OneOf(BREAKDOWNS))


class FigureSchema(BaseSchema):
    pathway = fields.String()
    pathway_title = fields.String()
    stage = fields.String(attribute="clock", metadata={"description": "The clock (stage) key"})
    stage_title = fields.String(attribute="clock_title")
    limit = fields.String()
    unit = fields.String(metadata={"description": "working_days, days or hours"})
    statutory = StrictBoolean()
    group = fields.String(metadata={"description": "The breakdown value ('' without a breakdown)"})
    count = fields.Integer(metadata={"description": "Clocks stopped in the period"})
    within_target = fields.Integer()
    percent_within_target = fields.Float(allow_none=True)
    median_days = fields.Float(allow_none=True)
    p90_days = fields.Float(allow_none=True)
    open = fields.Integer(metadata={"description": "Running at the end of the period"})
    open_overdue = fields.Integer(metadata={"description": "Running and past due at the end of the period"})
    count_excluding_exceptions = fields.Integer()
    within_excluding_exceptions = fields.Integer()
    percent_excluding_exceptions = fields.Float(allow_none=True)


class TrendPointSchema(BaseSchema):
    pathway = fields.String()
    stage = fields.String(attribute="clock")
    month = fields.String(metadata={"description": "YYYY-MM of the stop date"})
    count = fields.Integer()
    within_target = fields.Integer()
    percent_within_target = fields.Float(allow_none=True)


class ReReferralSchema(BaseSchema):
    pathway = fields.String()
    referrals = fields.Integer()
    re_referrals = fields.Integer()
    percent = fields.Float(allow_none=True)


class MeasureSchema(BaseSchema):
    key = fields.String()
    title = fields.String()
    pathway = fields.String()
    stage = fields.String(attribute="clock")
    statutory_return = fields.String(allow_none=True)
    report_exceptions = StrictBoolean()


class TimelinessResponseSchema(BaseSchema):
    from_ = fields.Date(data_key="from", attribute="first")
    to = fields.Date(attribute="last")
    pathway = fields.String(allow_none=True)
    breakdown = fields.String(allow_none=True)
    as_of = UtcDateTime()
    convention = fields.String()
    figures = fields.List(fields.Nested(FigureSchema))
    trend = fields.List(fields.Nested(TrendPointSchema))
    re_referrals = fields.List(fields.Nested(ReReferralSchema))
    measures = fields.List(fields.Nested(MeasureSchema))


class DrillQuerySchema(BaseSchema):
    from_ = fields.Date(data_key="from", required=True)
    to = fields.Date(required=True)
    pathway = fields.String(required=True)
    stage = fields.String(required=True)
    which = fields.String(required=True, validate=validate.OneOf(WHICH))
    breakdown = fields.String(load_default=None, validate=validate.OneOf(BREAKDOWNS),
                              metadata={"description": "With `group`: only the referrals of one breakdown row"})
    group = fields.String(load_default=None, metadata={"description": "The row's `group` from the figures"})


class DrillItemSchema(BaseSchema):
    referral_id = fields.UUID(attribute="row.referral_id")
    family_id = fields.UUID(attribute="row.family_id")
    family_reference = fields.String(allow_none=True)
    child_name = fields.String(allow_none=True, metadata={"description": "Only for families the caller's agency holds"})
    pathway = fields.String(attribute="row.pathway")
    stage = fields.String(attribute="row.clock")
    urgency = fields.String(attribute="row.urgency")
    started_on = fields.Date(attribute="row.started_on")
    due_on = fields.Date(attribute="row.due_on")
    stopped_on = fields.Date(attribute="row.stopped_on", allow_none=True)
    within_target = StrictBoolean(attribute="row.within_target", allow_none=True)
    excepted = StrictBoolean(attribute="row.excepted")
    days = fields.Float(attribute="row.days", allow_none=True)


class DrillResponseSchema(BaseSchema):
    items = fields.List(fields.Nested(DrillItemSchema))
