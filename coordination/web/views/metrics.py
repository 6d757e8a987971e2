"""Timeliness for managers: the dashboard (statutory measures, per pathway and stage, charts with tables),
the children behind a figure (page and CSV) and the statutory-return style extracts with their documentation.

Parses the period, calls services.reporting (metrics, exports), shapes figures for the templates and charts.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from werkzeug.datastructures import MultiDict
from wtforms import SelectField

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.family_help import CLOSURE_REASON_LABELS
from coordination.domain.measures import BREAKDOWNS, percent
from coordination.domain.pathways import default_pathways
from coordination.domain.permissions import Action, may
from coordination.errors import Invalid
from coordination.extensions import uow
from coordination.services import directory
from coordination.services.reporting import exports as exports_service
from coordination.services.reporting import family_help as family_help_service
from coordination.services.reporting import metrics as metrics_service
from coordination.services.reporting.metrics import Figure, TimelinessReport

from .. import charts
from ..blueprint import bp
from ..formatting import today
from ..forms import DatePartsField, ServiceSubForm, add_service_errors, error_list

UNITS = {"working_days": "working days", "days": "days", "hours": "hours"}
BREAKDOWN_TITLES = {"agency": "Agency", "age_band": "Age band", "ward": "Ward", "urgency": "Urgency"}
WHICH_TITLES = {"completed": "completed", "within": "completed within target", "late": "completed late",
                "open": "open", "overdue": "open and overdue"}


class PeriodForm(ServiceSubForm):
    """A GET form (bookmarkable, no CSRF needed: it changes nothing)."""

    from_date = DatePartsField("From", description="For example, 1 4 2025")
    to_date = DatePartsField("To", description="For example, 31 3 2026")
    pathway = SelectField("Pathway", widget=GovSelect(), choices=[], validate_choice=False)
    breakdown = SelectField("Break down by", widget=GovSelect(), validate_choice=False,
                            choices=[("", "None")] + [(b, BREAKDOWN_TITLES[b]) for b in BREAKDOWNS])


class ExportForm(ServiceSubForm):
    from_date = DatePartsField("From", description="For example, 1 4 2025")
    to_date = DatePartsField("To", description="For example, 31 3 2026")


def default_period() -> tuple[dt.date, dt.date]:
    """The last 12 months ending today."""
    last = today()
    try:
        year_before = last.replace(year=last.year - 1)
    except ValueError:  # 29 February
        year_before = last.replace(year=last.year - 1, day=28)
    return year_before + dt.timedelta(days=1), last


def _args_with_defaults() -> MultiDict:
    """The query string, with ISO dates (from links) spread into day/month/year and missing dates defaulted."""
    args = MultiDict(request.args)
    defaults = dict(zip(("from_date", "to_date"), default_period(), strict=True))
    for name, default in defaults.items():
        values = args.getlist(name)
        if not values:
            values = [default.isoformat()]
        if len(values) == 1:
            try:
                day = dt.date.fromisoformat(values[0])
                values = [str(day.day), str(day.month), str(day.year)]
            except ValueError:
                values = [values[0], "", ""]
        args.setlist(name, values)
    return args


def _period_of(form) -> tuple[dt.date, dt.date] | None:
    for f, message in ((form.from_date, "Enter the start of the period"),
                       (form.to_date, "Enter the end of the period")):
        if f.data is None and not f.errors:
            f.errors = [message]
    if form.from_date.data is None or form.to_date.data is None:
        return None
    return form.from_date.data, form.to_date.data


@bp.app_context_processor
def _metrics_navigation():
    return {"can_view_metrics": current_user.is_authenticated and may(current_actor(), Action.VIEW_METRICS)}


# ---- shaping figures for the page --------------------------------------------------------------------

@dataclass
class MeasureRow:
    title: str
    statutory_return: str | None
    pathway: str
    clock: str
    count: int
    within: int
    report_exceptions: bool
    count_ex: int
    within_ex: int

    @property
    def percent(self) -> float | None:
        return percent(self.within, self.count)

    @property
    def percent_ex(self) -> float | None:
        return percent(self.within_ex, self.count_ex)


@dataclass
class PathwayView:
    key: str
    title: str
    figures: list[Figure]
    chart: charts.Chart
    trends: list[tuple[str, str, charts.Chart, list[tuple[str, int, int, float | None]]]] = field(default_factory=list)


def _measure_rows(report: TimelinessReport) -> list[MeasureRow]:
    rows = []
    for m in report.measures:
        if report.pathway and m.pathway != report.pathway:
            continue
        found = [f for f in report.figures if (f.pathway, f.clock) == (m.pathway, m.clock)]
        rows.append(MeasureRow(m.title, m.statutory_return, m.pathway, m.clock,
                               sum(f.count for f in found), sum(f.within_target for f in found),
                               m.report_exceptions, sum(f.count_excluding_exceptions for f in found),
                               sum(f.within_excluding_exceptions for f in found)))
    return rows


def _group_names(report: TimelinessReport) -> dict[str, str]:
    if report.breakdown != "agency":
        return {}
    ids = {}
    for f in report.figures:
        try:
            ids[f.group] = uuid.UUID(f.group)
        except ValueError:
            continue
    names = directory.agency_names_of(uow(), ids.values())
    return {group: names.get(agency_id, "Unknown agency") for group, agency_id in ids.items()}


def _pathway_views(report: TimelinessReport, group_names: dict[str, str]) -> list[PathwayView]:
    pathways = default_pathways()
    views: dict[str, PathwayView] = {}
    for f in report.figures:
        view = views.get(f.pathway)
        if view is None:
            view = views[f.pathway] = PathwayView(f.pathway, f.pathway_title, [], charts.horizontal_bars([]))
        view.figures.append(f)
    months = charts.months_between(report.first, report.last)

    def label(f: Figure) -> str:
        return f.clock_title + (f" – {group_names.get(f.group, f.group)}" if f.group else "")

    for view in views.values():
        view.chart = charts.horizontal_bars([(label(f), f.percent_within_target, f.within_target, f.count)
                                             for f in view.figures])
        clocks = [c for c in pathways[view.key].clocks] if view.key in pathways else []
        for clock in clocks:
            points = {t.month: t for t in report.trend if (t.pathway, t.clock) == (view.key, clock.name)}
            if not points:
                continue
            series = [(m, points[m].count if m in points else 0, points[m].within_target if m in points else 0,
                       points[m].percent_within_target if m in points else None) for m in months]
            chart = charts.vertical_bars([(m, pct, within, count) for m, count, within, pct in series])
            view.trends.append((clock.name, clock.title, chart, series))
    return list(views.values())


def _pathway_choices() -> list[tuple[str, str]]:
    return [("", "All pathways")] + [(key, p.title) for key, p in default_pathways().items()]


@bp.get("/timeliness")
@access("staff", action=Action.VIEW_METRICS)
def dashboard():
    form = PeriodForm(_args_with_defaults())
    form.pathway.choices = _pathway_choices()
    form.validate()
    period = _period_of(form)
    report, errors, family_help = None, [], None
    if period is not None:
        try:
            report = metrics_service.timeliness(uow(), current_actor(), *period, pathway=form.pathway.data or None,
                                                breakdown=form.breakdown.data or None)
        except Invalid as exc:
            uow().rollback()
            fields = {"from": form.from_date, "to": form.to_date, "pathway": form.pathway,
                      "breakdown": form.breakdown}
            errors = add_service_errors(fields, exc.errors)
        else:
            family_help = family_help_service.family_help_measures(uow(), current_actor(), *period)
            uow().commit()
    errors = error_list(form, [dict(e, href="#from_date-day") for e in errors])
    if report is None:
        return render_template("views/dashboard.html", form=form, errors=errors, report=None), 400
    group_names = _group_names(report)
    return render_template(
        "views/dashboard.html", form=form, errors=errors, report=report, measures=_measure_rows(report),
        family_help=family_help, closure_reasons=CLOSURE_REASON_LABELS,
        pathways=_pathway_views(report, group_names), group_names=group_names, units=UNITS,
        breakdown_title=BREAKDOWN_TITLES.get(report.breakdown or ""), label_every=charts.label_every,
        period={"from": report.first.isoformat(), "to": report.last.isoformat()},
        pathway_titles={key: p.title for key, p in default_pathways().items()})


# ---- drill-down ----------------------------------------------------------------------------------------

def _drill_args() -> dict:
    args = request.args
    try:
        first = dt.date.fromisoformat(args.get("from", ""))
        last = dt.date.fromisoformat(args.get("to", ""))
    except ValueError:
        abort(400)
    return {"pathway": args.get("pathway", ""), "clock": args.get("stage", ""), "first": first, "last": last,
            "which": args.get("which", ""), "breakdown": args.get("breakdown") or None,
            "group": args.get("group") if args.get("breakdown") else None}


class _BadDrillDown(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages


@bp.errorhandler(_BadDrillDown)
def _bad_drill_down(error: _BadDrillDown):
    """The 400 page with an error summary saying which part of the link is wrong (page and CSV alike)."""
    return render_template("error/400.html", errors=[{"text": m} for m in error.messages]), 400


def _children(query: dict):
    try:
        return metrics_service.children_behind(uow(), current_actor(), **query)
    except Invalid as exc:
        uow().rollback()
        raise _BadDrillDown([m for messages in exc.errors.values() for m in messages]) from None


@bp.get("/timeliness/children")
@access("staff", action=Action.VIEW_METRICS)
def drill_down():
    query = _drill_args()
    items = _children(query)
    uow().commit()
    pathway = default_pathways()[query["pathway"]]
    clock = pathway.clock(query["clock"])
    params: dict[str, Any] = request.args.to_dict()
    csv_url = url_for("web.drill_down_csv", **params)
    back = url_for("web.dashboard", from_date=query["first"].isoformat(), to_date=query["last"].isoformat())
    unit = next(iter(clock.limits.values())).unit
    group_title = None
    if query["breakdown"]:
        group = query["group"] or ""
        if query["breakdown"] == "agency":
            try:
                group = directory.agency_names_of(uow(), [uuid.UUID(group)]).get(uuid.UUID(group), "Unknown agency")
            except ValueError:
                group = "Unknown agency"
        group_title = f"{BREAKDOWN_TITLES[query['breakdown']]}: {group}"
    return render_template("views/drill_down.html", items=items, pathway=pathway, clock=clock, query=query,
                           which=WHICH_TITLES[query["which"]], csv_url=csv_url, back=back,
                           unit=UNITS.get(unit, "days"), group_title=group_title)


@bp.get("/timeliness/children.csv")
@access("staff", action=Action.VIEW_METRICS)
def drill_down_csv():
    query = _drill_args()
    items = _children(query)
    body = exports_service.drill_down_csv(items)
    exports_service.record_export(uow(), current_actor(), "timeliness_drill_down", len(items), query["first"],
                                  query["last"], pathway=query["pathway"], clock=query["clock"],
                                  which=query["which"])
    uow().commit()
    name = f"timeliness-{query['pathway']}-{query['clock']}-{query['which']}-{query['first']}-to-{query['last']}.csv"
    if query["breakdown"]:
        name = name.replace(".csv", f"-by-{query['breakdown']}.csv")
    return _csv(body, name)


def _csv(body: str, filename: str) -> Response:
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- statutory extracts ----------------------------------------------------------------------------

@bp.get("/timeliness/exports")
@access("staff", action=Action.VIEW_METRICS)
def exports():
    """The period form; its two buttons download the EHC timeliness or the CIN-census-style extract."""
    kind = request.args.get("extract")
    form = ExportForm(_args_with_defaults())
    errors: list[dict] = []
    if kind is not None:
        form.validate()
        period = _period_of(form)
        if kind not in exports_service.EXTRACTS:
            abort(400)
        if period is not None:
            title, columns, extract = exports_service.EXTRACTS[kind]
            try:
                rows = extract(uow(), current_actor(), *period)
            except Invalid as exc:
                uow().rollback()
                errors = add_service_errors({"from": form.from_date, "to": form.to_date}, exc.errors)
            else:
                uow().commit()
                return _csv(exports_service.to_csv(columns, rows), f"{kind}-extract-{period[0]}-to-{period[1]}.csv")
        errors = error_list(form, errors)
    status = 400 if errors else 200
    return render_template("views/exports.html", form=form, errors=errors,
                           extracts=exports_service.EXTRACTS), status


@bp.get("/timeliness/exports/documentation")
@access("staff", action=Action.VIEW_METRICS)
def exports_documentation():
    return render_template("views/exports_documentation.html", extracts=exports_service.EXTRACTS,
                           drill_columns=exports_service.DRILL_DOWN_COLUMNS,
                           referral_source=exports_service.REFERRAL_SOURCE)
