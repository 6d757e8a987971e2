"""Timeliness for managers: per pathway and stage (clock) for a period — how many, how many within target,
the percentage, median and 90th percentile days, what is open and overdue, and the trend by month; the
statutory returns' measures (domain/measures.py); breakdowns by agency, age band, ward and urgency; and the
children behind any figure (only what the manager's agency may see), audited as a read.

Figures are computed in SQL (repositories/metrics.py). Working days follow domain/calendar.py: day 0 is the
start day; a referral on Friday with a 1-working-day target is due by the end of Monday.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import WorkingCalendar
from coordination.domain.measures import BREAKDOWNS, STATUTORY_MEASURES, Measure, percent, period_problem
from coordination.domain.pathways import Pathway, default_pathways
from coordination.domain.permissions import Action, may
from coordination.errors import Invalid, NotPermitted
from coordination.repositories import families as families_repo
from coordination.repositories import metrics as repo
from coordination.repositories import metrics_summary as summary_repo
from coordination.repositories import working_days

WORKING_DAY_CONVENTION = (
    "Working days are Monday to Friday, less England and Wales bank holidays and local closure days. "
    "The day a clock starts is day 0: a referral received on a Friday with a 1 working day target is "
    "due by the end of Monday."
)


@dataclass
class Figure:
    pathway: str
    pathway_title: str
    clock: str
    clock_title: str
    limit: str
    unit: str
    statutory: bool
    group: str
    count: int
    within_target: int
    median_days: float | None
    p90_days: float | None
    open: int
    open_overdue: int
    count_excluding_exceptions: int
    within_excluding_exceptions: int

    @property
    def percent_within_target(self) -> float | None:
        return percent(self.within_target, self.count)

    @property
    def percent_excluding_exceptions(self) -> float | None:
        return percent(self.within_excluding_exceptions, self.count_excluding_exceptions)


@dataclass
class TrendPoint:
    pathway: str
    clock: str
    month: str
    count: int
    within_target: int

    @property
    def percent_within_target(self) -> float | None:
        return percent(self.within_target, self.count)


@dataclass
class ReReferrals:
    pathway: str
    referrals: int
    re_referrals: int

    @property
    def percent(self) -> float | None:
        return percent(self.re_referrals, self.referrals)


@dataclass
class Doors:
    """Whether referrals found the right door: of those received, how many were declined, declined with nowhere
    offered instead ("fell through the gap": no signposting recorded), and sent on to the right team."""

    pathway: str
    received: int
    declined: int
    fell_through_gap: int
    redirected: int


@dataclass
class TimelinessReport:
    first: dt.date
    last: dt.date
    pathway: str | None
    breakdown: str | None
    figures: list[Figure]
    trend: list[TrendPoint]
    re_referrals: list[ReReferrals]
    as_of: dt.datetime
    convention: str = WORKING_DAY_CONVENTION
    measures: tuple[Measure, ...] = field(default=STATUTORY_MEASURES)
    doors: list[Doors] = field(default_factory=list)

    def figure(self, pathway: str, clock: str, group: str = "") -> Figure | None:
        return next((f for f in self.figures if (f.pathway, f.clock, f.group) == (pathway, clock, group)), None)


def _check(actor: Actor, first: dt.date, last: dt.date, pathway: str | None, breakdown: str | None,
           pathways: dict[str, Pathway], *, pathway_required: bool = False) -> None:
    if not may(actor, Action.VIEW_METRICS):
        raise NotPermitted("Only managers can see timeliness")
    errors: dict[str, list[str]] = {}
    if problem := period_problem(first, last):
        errors["to"] = [problem]
    if pathway_required and not pathway:
        errors["pathway"] = ["Choose a pathway"]
    elif pathway and pathway not in pathways:
        errors["pathway"] = [f"Unknown pathway: choose one of {', '.join(pathways)}"]
    if breakdown and breakdown not in BREAKDOWNS:
        errors["breakdown"] = [f"Choose one of {', '.join(BREAKDOWNS)}"]
    if errors:
        raise Invalid("Check the period and filters", errors)


def timeliness(uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date, *, pathway: str | None = None,
               breakdown: str | None = None) -> TimelinessReport:
    """Every figure for the period, for what the actor's agency may see.

    :raise NotPermitted: not a manager.  :raise Invalid: bad period, pathway or breakdown.
    """
    pathways = default_pathways()
    _check(actor, first, last, pathway, breakdown, pathways)
    ensure_working_days(uow, first, last)
    window = _summary_window(uow, actor, first, last)
    completed_rows, trend_rows, as_of = _completed_and_trend(uow, actor, pathways, first, last, pathway, breakdown,
                                                             window)
    completed = {(r.pathway, r.clock, r.group): r for r in completed_rows}
    opened = repo.open_overdue(uow.session, actor, last, today=uow.today(), pathway=pathway, breakdown=breakdown)
    figures = []
    for key in sorted(set(completed) | set(opened), key=lambda k: _order(pathways, k)):
        p_key, c_key, group = key
        if p_key not in pathways:
            continue
        p = pathways[p_key]
        definition = p.clock(c_key)
        row = completed.get(key)
        n_open, n_overdue = opened.get(key, (0, 0))
        limit = definition.limit_for("routine")
        figures.append(Figure(
            pathway=p_key, pathway_title=p.title, clock=c_key, clock_title=definition.title,
            limit=", ".join(f"{u.replace('_', ' ')}: {lim}" if u != "*" else str(lim)
                            for u, lim in definition.limits.items()),
            unit=limit.unit if limit.unit in ("working_days", "hours") else "days",
            statutory=definition.statutory, group=group,
            count=row.count if row else 0, within_target=row.within_target if row else 0,
            median_days=row.median_days if row else None, p90_days=row.p90_days if row else None,
            open=n_open, open_overdue=n_overdue,
            count_excluding_exceptions=row.count_excluding_exceptions if row else 0,
            within_excluding_exceptions=row.within_excluding_exceptions if row else 0,
        ))
    trend = [TrendPoint(*t) for t in trend_rows]
    rerefs = [ReReferrals(p, n, r) for p, (n, r) in sorted(_re_referrals(uow, actor, first, last, pathway,
                                                                         window).items())]
    doors = [Doors(p, *counts) for p, counts in sorted(repo.doors(uow.session, actor, first, last,
                                                                   pathway=pathway).items())]
    return TimelinessReport(first, last, pathway, breakdown, figures, trend, rerefs, as_of=as_of, doors=doors)


def _live_ranges(first: dt.date, last: dt.date, month_first: dt.date, month_last: dt.date
                 ) -> list[tuple[dt.date, dt.date]]:
    """The parts of [first, last] outside the summary's whole months [month_first, end of month_last]."""
    month_end = _month_end(month_last)
    return [(start, stop) for start, stop in ((first, month_first - dt.timedelta(days=1)),
                                              (month_end + dt.timedelta(days=1), last)) if start <= stop]


def _re_referrals(uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date, pathway: str | None,
                  window: tuple[dt.datetime, dt.date, dt.date] | None) -> dict[str, tuple[int, int]]:
    """pathway → (received, re-referrals): whole closed months from the summary, the rest live."""
    if window is None:
        return repo.re_referrals(uow.session, actor, [(first, last)], pathway=pathway)
    _, month_first, month_last = window
    totals = summary_repo.summary_re_referrals(uow.session, actor, month_first, month_last, pathway=pathway)
    live = repo.re_referrals(uow.session, actor, _live_ranges(first, last, month_first, month_last),
                             pathway=pathway)
    for p, (n, r) in live.items():
        n0, r0 = totals.get(p, (0, 0))
        totals[p] = (n0 + n, r0 + r)
    return totals


def _completed_and_trend(uow: UnitOfWork, actor: Actor, pathways: dict[str, Pathway], first: dt.date,
                         last: dt.date, pathway: str | None, breakdown: str | None,
                         window: tuple[dt.datetime, dt.date, dt.date] | None
                         ) -> tuple[list[repo.FigureRow], list[tuple[str, str, str, int, int]], dt.datetime]:
    """Completed figures and the monthly trend: whole closed months from the materialised summary when it
    covers any (with or without a breakdown), the rest live; `as_of` is the summary's refresh time when it was
    used."""
    if window is None:
        return (repo.completed_figures(uow.session, actor, pathways, first, last, pathway=pathway,
                                       breakdown=breakdown),
                repo.monthly_trend(uow.session, actor, first, last, pathway=pathway), uow.now())
    refreshed_at, month_first, month_last = window
    histogram = summary_repo.summary_histogram(uow.session, actor, month_first, month_last, pathway=pathway,
                                       breakdown=breakdown)
    trend = summary_repo.summary_trend(uow.session, actor, month_first, month_last, pathway=pathway)
    ranges = _live_ranges(first, last, month_first, month_last)
    if ranges:
        trend += repo.live_histogram(uow.session, actor, pathways, ranges, pathway=pathway, histogram=histogram,
                                     breakdown=breakdown)
    trend.sort(key=lambda t: (t[0], t[1], t[2]))
    return repo.figures_from_histogram(histogram), trend, refreshed_at


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _summary_window(uow: UnitOfWork, actor: Actor, first: dt.date, last: dt.date
                    ) -> tuple[dt.datetime, dt.date, dt.date] | None:
    """(refreshed_at, first month, last month) of the whole months in [first, last] the summary covers."""
    if summary_repo.summary_scope(actor) is None:
        return None
    state = repo.summary_state(uow.session)
    if state is None:
        return None
    refreshed_at, through = state
    month_first = first if first.day == 1 else _month_end(first) + dt.timedelta(days=1)
    end = min(through, last)
    month_last = end.replace(day=1) if end == _month_end(end) else end.replace(day=1) - dt.timedelta(days=1)
    month_last = month_last.replace(day=1)
    if month_first > month_last:
        return None
    return refreshed_at, month_first, month_last


def refresh_summary(uow: UnitOfWork, actor: Actor) -> int:
    """Rebuild the materialised summary of every closed month (run by the jobs/metrics_jobs.py job); returns its rows.

    :raise NotPermitted: only the system (the scheduled job) refreshes it.
    """
    if actor.kind != "system":
        raise NotPermitted("Only the scheduled job refreshes the timeliness summary")
    through = uow.today().replace(day=1) - dt.timedelta(days=1)
    earliest = repo.earliest_clock_start(uow.session)
    if earliest is not None and earliest <= through:
        working_days.ensure_range(uow.session, WorkingCalendar(), earliest, through)
    return summary_repo.refresh_summary(uow.session, default_pathways(), through, uow.now())


def _order(pathways: dict[str, Pathway], key: tuple[str, str, str]) -> tuple[int, int, str]:
    names = list(pathways)
    p_key, c_key, group = key
    if p_key not in pathways:
        return (len(names), 0, group)
    clocks = [c.name for c in pathways[p_key].clocks]
    return (names.index(p_key), clocks.index(c_key) if c_key in clocks else 99, group)


@dataclass
class DrillItem:
    row: repo.DrillRow
    family_reference: str | None
    child_name: str | None


def children_behind(uow: UnitOfWork, actor: Actor, *, pathway: str, clock: str, first: dt.date, last: dt.date,
                    which: str, breakdown: str | None = None, group: str | None = None) -> list[DrillItem]:
    """The referrals behind one figure, with the child's name for those the actor's agency holds; with a
    breakdown and group, behind one row of the breakdown (e.g. age band "11-15").

    Audited as a read (it lists children). :raise Invalid: no or an unknown pathway; unknown stage (clock),
    `which` or breakdown.
    """
    pathways = default_pathways()
    _check(actor, first, last, pathway, None, pathways, pathway_required=True)
    if clock not in {c.name for c in pathways[pathway].clocks}:
        raise Invalid("Unknown stage", {"stage": ["Choose a stage of this pathway"]})
    if which not in ("completed", "within", "late", "open", "overdue"):
        raise Invalid("Unknown figure", {"which": ["Choose completed, within, late, open or overdue"]})
    if (breakdown is None) != (group is None) or (breakdown is not None and breakdown not in BREAKDOWNS):
        raise Invalid("Unknown breakdown", {"breakdown": ["Choose one of: " + ", ".join(BREAKDOWNS)
                                                          + ", with the group"]})
    ensure_working_days(uow, first, last)
    rows = repo.drill_down(uow.session, actor, pathways, pathway=pathway, clock=clock, first=first, last=last,
                           today=uow.today(),
                           which=which, breakdown=breakdown, group=group)
    names = _child_names(uow, actor, rows)
    uow.audit(actor, "read", "timeliness_drill_down", None, pathway=pathway, clock=clock, which=which,
              breakdown=breakdown, rows=len(rows), first=first.isoformat(), last=last.isoformat())
    return [DrillItem(r, *names.get(r.referral_id, (None, None))) for r in rows]


def _child_names(uow: UnitOfWork, actor: Actor, rows: list[repo.DrillRow]) -> dict:
    """Names only for families the actor's agency holds (staff of a receiving agency see references only)."""
    out = {}
    family_ids = {r.family_id for r in rows}
    held = {f.id: f for f in families_repo.list_by_ids(uow.session, actor, family_ids)} if family_ids else {}
    for r in rows:
        family = held.get(r.family_id)
        if family is None:
            continue
        child = next((p for p in family.people if p.id == r.child_id), None)
        name = f"{child.unseal(uow.keys, 'given_name')} {child.unseal(uow.keys, 'family_name')}" if child else None
        out[r.referral_id] = (family.reference, name)
    return out


def ensure_working_days(uow: UnitOfWork, first: dt.date, last: dt.date) -> None:
    """The working_day table must cover clocks that stopped in the period (started up to 3 years before)."""
    working_days.ensure_range(uow.session, WorkingCalendar(), first - dt.timedelta(days=3 * 366),
                              last + dt.timedelta(days=366))
