"""Timeliness aggregation in SQL over referral_clock (indexed) and the working_day table.

One statement per figure set, the same SQL on PostgreSQL and SQLite (window functions for median and 90th
percentile by nearest rank; dialect-specific only in date arithmetic, which repositories.dialect holds).
Nothing here loads referrals into Python to count them. Every query is scoped by the actor's agency in the
WHERE clause. The materialised summary of closed months is repositories.metrics_summary.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import (
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from coordination.domain.actors import Actor
from coordination.domain.measures import AGE_BANDS
from coordination.domain.pathways import Pathway
from coordination.models import Referral, ReferralClock, ReferralEvent, WorkingDay
from coordination.models.referral import MetricsSummary

from . import dialect


@dataclass
class FigureRow:
    pathway: str
    clock: str
    group: str
    count: int
    within_target: int
    count_excluding_exceptions: int
    within_excluding_exceptions: int
    median_days: float | None
    p90_days: float | None


def scope(actor: Actor) -> ColumnElement[bool]:
    """Referrals an actor may count: sent by, sent to, or about a family held by the actor's agency (three index
    ranges: referral (to_agency_id | from_agency_id | owning_agency_id, received_on))."""
    if actor.agency_id is None:
        return true() if actor.kind == "system" else false()
    return or_(Referral.to_agency_id == actor.agency_id, Referral.from_agency_id == actor.agency_id,
               Referral.owning_agency_id == actor.agency_id)


def clock_scope(actor: Actor) -> ColumnElement[bool]:
    """The same scope over referral_clock alone, whose rows carry their referral's three agencies."""
    if actor.agency_id is None:
        return true() if actor.kind == "system" else false()
    return or_(ReferralClock.to_agency_id == actor.agency_id, ReferralClock.from_agency_id == actor.agency_id,
               ReferralClock.owning_agency_id == actor.agency_id)


def duration_expression(session: Session, pathways: dict[str, Pathway]):
    """Days (or hours) a clock ran, in its own unit: working days through the working_day table."""
    ws, we = aliased(WorkingDay), aliased(WorkingDay)
    working = we.working_index - ws.working_index
    calendar = dialect.days_between(session, ReferralClock.started_on, ReferralClock.stopped_on)
    hours = dialect.hours_between(session, ReferralClock.started_at, ReferralClock.stopped_at)
    whens = []
    for pathway in pathways.values():
        for clock in pathway.clocks:
            unit = next(iter(clock.limits.values())).unit
            expr = working if unit == "working_days" else hours if unit == "hours" else calendar
            whens.append((and_(ReferralClock.pathway == pathway.key, ReferralClock.name == clock.name), expr))
    return case(*whens, else_=calendar), ws, we


def group_expression(breakdown: str | None):
    """The breakdown's group, from the referral's facts copied onto each clock row (no join)."""
    c = ReferralClock
    if breakdown == "agency":
        return cast(c.to_agency_id, type_=c.pathway.type)
    if breakdown == "ward":
        return func.coalesce(c.ward, "Unknown")
    if breakdown == "urgency":
        return func.coalesce(c.urgency, "Unknown")
    if breakdown == "age_band":
        return case(*[(c.child_age_at_referral.between(low, high), label) for label, low, high in AGE_BANDS],
                    else_="Unknown")
    return literal("")


def _clocks(actor: Actor, breakdown: str | None):
    """Every figure reads referral_clock alone: scope and breakdown columns are on its rows."""
    return ReferralClock.__table__


def _filters(actor: Actor, pathway: str | None):
    conditions = [clock_scope(actor)]
    if pathway:
        conditions.append(ReferralClock.pathway == pathway)
    return conditions


def completed_figures(session: Session, actor: Actor, pathways: dict[str, Pathway], first: dt.date,
                      last: dt.date, *, pathway: str | None = None, breakdown: str | None = None) -> list[FigureRow]:
    """Clocks stopped in [first, last]: counts, within target (with and without exceptions), median, p90."""
    days, ws, we = duration_expression(session, pathways)
    grp = group_expression(breakdown).label("grp")
    base = (
        select(ReferralClock.pathway.label("pathway"), ReferralClock.name.label("clock"), grp,
               ReferralClock.within_target.label("within"), ReferralClock.excepted.label("excepted"),
               days.label("days"))
        .select_from(_clocks(actor, breakdown))
        .outerjoin(ws, ws.day == ReferralClock.started_on)
        .outerjoin(we, we.day == ReferralClock.stopped_on)
        .where(ReferralClock.stopped_on.between(first, last), *_filters(actor, pathway))
    ).cte("completed")
    partition = (base.c.pathway, base.c.clock, base.c.grp)
    ranked = select(
        base,
        func.row_number().over(partition_by=partition, order_by=base.c.days).label("rn"),
        func.count().over(partition_by=partition).label("n"),
    ).cte("ranked")
    r = ranked.c
    within = case((r.within == true(), 1), else_=0)
    not_excepted = case((r.excepted == true(), 0), else_=1)
    median = func.avg(case((r.rn.in_([(r.n + 1) // 2, (r.n + 2) // 2]), r.days)))
    p90 = func.max(case((r.rn == (r.n * 9 + 9) // 10, r.days)))
    query = (
        select(r.pathway, r.clock, r.grp, func.count().label("total"), func.sum(within).label("within"),
               func.sum(not_excepted).label("count_ex"), func.sum(within * not_excepted).label("within_ex"),
               median.label("median"), p90.label("p90"))
        .group_by(r.pathway, r.clock, r.grp).order_by(r.pathway, r.clock, r.grp)
    )
    return [FigureRow(row.pathway, row.clock, row.grp or "", int(row.total), int(row.within or 0),
                      int(row.count_ex or 0), int(row.within_ex or 0),
                      float(row.median) if row.median is not None else None,
                      float(row.p90) if row.p90 is not None else None)
            for row in session.execute(query)]


def open_at(as_of: dt.date, today: dt.date) -> ColumnElement[bool]:
    """Clocks open at the end of `as_of`. From today on that is simply "not stopped" (no clock starts or stops in
    the future), which the partial index of open clocks answers alone."""
    if as_of >= today:
        return ReferralClock.stopped_on.is_(None)
    return and_(ReferralClock.started_on <= as_of,
                or_(ReferralClock.stopped_on.is_(None), ReferralClock.stopped_on > as_of))


def open_overdue(session: Session, actor: Actor, as_of: dt.date, *, today: dt.date, pathway: str | None = None,
                 breakdown: str | None = None) -> dict[tuple[str, str, str], tuple[int, int]]:
    """(pathway, clock, group) → (open, of which overdue) as at the end of `as_of`."""
    grp = group_expression(breakdown).label("grp")
    is_open = open_at(as_of, today)
    overdue = case((ReferralClock.due_on < as_of, 1), else_=0)
    query = (
        select(ReferralClock.pathway, ReferralClock.name, grp, func.count(), func.sum(overdue))
        .select_from(_clocks(actor, breakdown))
        .where(is_open, *_filters(actor, pathway))
        .group_by(ReferralClock.pathway, ReferralClock.name, grp)
    )
    return {(p, c, g or ""): (int(n), int(o or 0)) for p, c, g, n, o in session.execute(query)}


def monthly_trend(session: Session, actor: Actor, first: dt.date, last: dt.date, *,
                  pathway: str | None = None) -> list[tuple[str, str, str, int, int]]:
    """(pathway, clock, YYYY-MM, completed, within target) per month of the stop date."""
    month = dialect.month_text(session, ReferralClock.stopped_on).label("month")
    within = case((ReferralClock.within_target == true(), 1), else_=0)
    query = (
        select(ReferralClock.pathway, ReferralClock.name, month, func.count(), func.sum(within))
        .select_from(_clocks(actor, None))
        .where(ReferralClock.stopped_on.between(first, last), *_filters(actor, pathway))
        .group_by(ReferralClock.pathway, ReferralClock.name, month)
        .order_by(ReferralClock.pathway, ReferralClock.name, month)
    )
    return [(p, c, m, int(n), int(w or 0)) for p, c, m, n, w in session.execute(query)]


def re_referrals(session: Session, actor: Actor, ranges: list[tuple[dt.date, dt.date]], *,
                 pathway: str | None = None) -> dict[str, tuple[int, int]]:
    """pathway → (referrals received in the date ranges, of which re-referrals within 12 months)."""
    if not ranges:
        return {}
    flagged = case((Referral.re_referral == true(), 1), else_=0)
    conditions = [or_(*[Referral.received_on.between(a, b) for a, b in ranges]), scope(actor)]
    if pathway:
        conditions.append(Referral.pathway == pathway)
    query = select(Referral.pathway, func.count(), func.sum(flagged)).where(*conditions).group_by(Referral.pathway)
    return {p: (int(n), int(r or 0)) for p, n, r in session.execute(query)}


def doors(session: Session, actor: Actor, first: dt.date, last: dt.date, *,
          pathway: str | None = None) -> dict[str, tuple[int, int, int, int]]:
    """pathway → (referrals received in the period, declined, of which fell through the gap, redirected).

    Fell through the gap: declined with no signposting recorded (nowhere offered instead). A redirected
    referral is not a decline: it counts only if the team it went to declined it without signposting.
    """
    redirected = select(ReferralEvent.referral_id).where(ReferralEvent.kind == "redirected")
    declined = Referral.status == "declined"
    no_signpost = or_(Referral.signposted_to.is_(None), func.trim(Referral.signposted_to) == "")
    conditions = [Referral.received_on.between(first, last), scope(actor)]
    if pathway:
        conditions.append(Referral.pathway == pathway)
    query = select(Referral.pathway, func.count(), func.sum(case((declined, 1), else_=0)),
                   func.sum(case((and_(declined, no_signpost), 1), else_=0)),
                   func.sum(case((Referral.id.in_(redirected), 1), else_=0))
                   ).where(*conditions).group_by(Referral.pathway)
    return {p: (int(n), int(d or 0), int(g or 0), int(r or 0)) for p, n, d, g, r in session.execute(query)}


@dataclass
class DrillRow:
    referral_id: uuid.UUID
    family_id: uuid.UUID
    child_id: uuid.UUID
    pathway: str
    clock: str
    urgency: str
    started_on: dt.date
    due_on: dt.date
    stopped_on: dt.date | None
    within_target: bool | None
    excepted: bool
    days: float | None


def drill_down(session: Session, actor: Actor, pathways: dict[str, Pathway], *, pathway: str, clock: str,
               first: dt.date, last: dt.date, which: str, today: dt.date, breakdown: str | None = None,
               group: str | None = None, limit: int = 5000) -> list[DrillRow]:
    """The clocks behind a figure: which = completed | within | late | open | overdue; with a breakdown, only
    the clocks of one group (the same expression the breakdown's figures were grouped by)."""
    days, ws, we = duration_expression(session, pathways)
    conditions = [ReferralClock.pathway == pathway, ReferralClock.name == clock, clock_scope(actor)]
    if breakdown is not None and group is not None:
        conditions.append(group_expression(breakdown) == group)
    if which in ("completed", "within", "late"):
        conditions.append(ReferralClock.stopped_on.between(first, last))
        if which == "within":
            conditions.append(ReferralClock.within_target == true())
        elif which == "late":
            conditions.append(ReferralClock.within_target == false())
    else:
        conditions.append(open_at(last, today))
        if which == "overdue":
            conditions.append(ReferralClock.due_on < last)
    query = (
        select(Referral.id, Referral.family_id, Referral.child_id, ReferralClock.pathway, ReferralClock.name,
               Referral.urgency, ReferralClock.started_on, ReferralClock.due_on, ReferralClock.stopped_on,
               ReferralClock.within_target, ReferralClock.excepted, days)
        .join(Referral, Referral.id == ReferralClock.referral_id)
        .outerjoin(ws, ws.day == ReferralClock.started_on)
        .outerjoin(we, we.day == ReferralClock.stopped_on)
        .where(*conditions).order_by(ReferralClock.due_on, Referral.id).limit(limit)
    )
    return [DrillRow(referral_id, family_id, child_id, row_pathway, name, urgency, started_on, due_on, stopped_on,
                     within, excepted, float(duration) if duration is not None else None)
            for (referral_id, family_id, child_id, row_pathway, name, urgency, started_on, due_on, stopped_on,
                 within, excepted, duration) in session.execute(query)]


# ---- the materialised summary (closed months) ------------------------------------------------------------

def earliest_clock_start(session: Session) -> dt.date | None:
    return session.execute(select(func.min(ReferralClock.started_on))).scalar_one_or_none()


def summary_state(session: Session) -> tuple[dt.datetime, dt.date] | None:
    """(refreshed_at, through) of the current summary, or None when it has never been built."""
    row = session.execute(select(MetricsSummary.refreshed_at, MetricsSummary.through).limit(1)).first()
    return (row[0], row[1]) if row else None


Histogram = dict[tuple[str, str, str], dict[tuple[bool, bool, float | None], int]]
"""(pathway, clock, group) → {(within target, excepted, duration or None): clocks}. A live clock's duration is
None when the working_day table does not cover its days; the summary holds none such."""


def live_histogram(session: Session, actor: Actor, pathways: dict[str, Pathway],
                   ranges: list[tuple[dt.date, dt.date]], *, pathway: str | None, histogram: Histogram,
                   breakdown: str | None = None) -> list[tuple[str, str, str, int, int]]:
    """Add clocks stopped in `ranges` (the part months the summary does not cover) to `histogram`, in one
    statement; returns their monthly trend rows (pathway, clock, YYYY-MM, completed, within target)."""
    days, ws, we = duration_expression(session, pathways)
    within = func.coalesce(ReferralClock.within_target, false())
    month = dialect.month_text(session, ReferralClock.stopped_on)
    grp = group_expression(breakdown)
    query = (
        select(ReferralClock.pathway, ReferralClock.name, grp, month, within, ReferralClock.excepted, days,
               func.count())
        .select_from(_clocks(actor, None))
        .outerjoin(ws, ws.day == ReferralClock.started_on)
        .outerjoin(we, we.day == ReferralClock.stopped_on)
        .where(or_(*[ReferralClock.stopped_on.between(a, b) for a, b in ranges]), *_filters(actor, pathway))
        .group_by(ReferralClock.pathway, ReferralClock.name, grp, month, within, ReferralClock.excepted, days)
    )
    trend: dict[tuple[str, str, str], list[int]] = {}
    for p, c, g, m, w, e, d, n in session.execute(query):
        bucket = histogram.setdefault((p, c, g or ""), {})
        k = (bool(w), bool(e), float(d) if d is not None else None)
        bucket[k] = bucket.get(k, 0) + int(n)
        point = trend.setdefault((p, c, m), [0, 0])
        point[0] += int(n)
        point[1] += int(n) if w else 0
    return [(p, c, m, n, w) for (p, c, m), (n, w) in trend.items()]


def figures_from_histogram(histogram: Histogram) -> list[FigureRow]:
    """Counts, within target, median and p90 (nearest rank, as completed_figures computes them in SQL)."""
    rows = []
    for (p, c, g), bucket in sorted(histogram.items()):
        total = sum(bucket.values())
        within = sum(n for (w, _e, _d), n in bucket.items() if w)
        count_ex = sum(n for (_w, e, _d), n in bucket.items() if not e)
        within_ex = sum(n for (w, e, _d), n in bucket.items() if w and not e)
        ordered = sorted(((d, n) for (_w, _e, d), n in bucket.items() if d is not None), key=lambda x: x[0])

        # Row numbers run over every completed clock (NULL durations sort last in PostgreSQL, first in SQLite;
        # there are none once the working_day table covers the period).
        lo, hi = _value_at(ordered, (total + 1) // 2), _value_at(ordered, (total + 2) // 2)
        median = (lo + hi) / 2 if lo is not None and hi is not None else lo if lo is not None else hi
        rows.append(FigureRow(p, c, g, total, within, count_ex, within_ex, median,
                              _value_at(ordered, (total * 9 + 9) // 10)))
    return rows


def _value_at(ordered: list[tuple[float, int]], rank: int) -> float | None:
    seen = 0
    for value, n in ordered:
        seen += n
        if seen >= rank:
            return value
    return None
