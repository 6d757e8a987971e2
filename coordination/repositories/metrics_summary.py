"""The materialised timeliness summary (metrics_summary, referral_summary) of closed months: rebuilt nightly in
the database (INSERT … SELECT … GROUP BY), read by the dashboard for whole months (repositories.metrics reads
the live tables for the part months around them). Scoped like the live figures: one set of rows per agency that
may count a clock, and one for the region (REGION).
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, DateTime, Uuid, case, delete, false, func, insert, literal, select, true, union
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CTE

from coordination.domain.actors import Actor
from coordination.domain.measures import BREAKDOWNS
from coordination.domain.pathways import Pathway
from coordination.models import Referral, ReferralClock
from coordination.models.referral import MetricsSummary, ReferralSummary

from . import dialect
from .metrics import Histogram, duration_expression, group_expression

REGION = uuid.UUID(int=0)  # scope key of the region-wide summary rows


def summary_scope(actor: Actor) -> uuid.UUID | None:
    """The summary rows an actor may read, or None when it must use the live tables (it may count nothing)."""
    if actor.agency_id is not None:
        return actor.agency_id
    return REGION if actor.kind == "system" else None


def _scope_pairs(model: type[Referral] | type[ReferralClock], id_label: str, name: str) -> CTE:
    """(row id, scope) for every scope that may count the row: its three agencies (each once) and the region."""
    return union(
        select(model.id.label(id_label), model.to_agency_id.label("agency")),
        select(model.id, model.from_agency_id).where(model.from_agency_id.is_not(None)),
        select(model.id, model.owning_agency_id).where(model.owning_agency_id.is_not(None)),
        select(model.id, literal(REGION, Uuid)),
    ).cte(name)


def refresh_summary(session: Session, pathways: dict[str, Pathway], through: dt.date, now: dt.datetime) -> int:
    """Rebuild metrics_summary from referral_clock for clocks stopped on or before `through` (the end of the
    last closed month). Each clock is counted once in the region and once per agency that may count it, without
    a breakdown and in its group of each breakdown (one INSERT … SELECT per breakdown)."""
    session.execute(delete(MetricsSummary))
    for breakdown in ("", *BREAKDOWNS):
        _insert_summary(session, pathways, through, now, breakdown)
    _insert_referral_summary(session, through, now)
    session.flush()
    return int(session.execute(select(func.count()).select_from(MetricsSummary.__table__)).scalar_one())


def _insert_referral_summary(session: Session, through: dt.date, now: dt.datetime) -> None:
    """Referrals received per scope, month and pathway, and how many were re-referrals (closed months only)."""
    session.execute(delete(ReferralSummary))
    received = (
        select(Referral.id.label("rid"), dialect.month_start(session, Referral.received_on).label("month"),
               Referral.pathway.label("pathway"),
               case((Referral.re_referral == true(), 1), else_=0).label("flagged"))
        .where(Referral.received_on <= through)
    ).cte("received")
    pairs = _scope_pairs(Referral, "rid", "referral_pairs")
    r = received.c
    grouped = (
        select(pairs.c.agency, r.month, r.pathway, func.count(), func.sum(r.flagged), literal(through, Date),
               literal(now, DateTime(timezone=True)))
        .join(pairs, pairs.c.rid == r.rid)
        .group_by(pairs.c.agency, r.month, r.pathway)
    )
    session.execute(insert(ReferralSummary).from_select(
        ["scope_agency_id", "month", "pathway", "received", "re_referrals", "through", "refreshed_at"], grouped))


def summary_re_referrals(session: Session, actor: Actor, first_month: dt.date, last_month: dt.date, *,
                         pathway: str | None = None) -> dict[str, tuple[int, int]]:
    """pathway → (received, re-referrals) over whole months from the summary."""
    s = ReferralSummary
    conditions = [s.scope_agency_id == summary_scope(actor), s.month.between(first_month, last_month)]
    if pathway:
        conditions.append(s.pathway == pathway)
    query = select(s.pathway, func.sum(s.received), func.sum(s.re_referrals)).where(*conditions).group_by(s.pathway)
    return {p: (int(n or 0), int(r or 0)) for p, n, r in session.execute(query)}


def _insert_summary(session: Session, pathways: dict[str, Pathway], through: dt.date, now: dt.datetime,
                    breakdown: str) -> None:
    days, ws, we = duration_expression(session, pathways)
    clocks = (
        select(ReferralClock.id.label("cid"), ReferralClock.pathway.label("pathway"),
               ReferralClock.name.label("clock"), dialect.month_start(session, ReferralClock.stopped_on).label("month"),
               func.coalesce(ReferralClock.within_target, false()).label("within"),
               ReferralClock.excepted.label("excepted"), days.label("days"),
               group_expression(breakdown or None).label("grp"))
        .outerjoin(ws, ws.day == ReferralClock.started_on)
        .outerjoin(we, we.day == ReferralClock.stopped_on)
        .where(ReferralClock.stopped_on.is_not(None), ReferralClock.stopped_on <= through)
    ).cte("clocks")
    pairs = _scope_pairs(ReferralClock, "cid", "pairs")
    c = clocks.c
    grouped = (
        select(pairs.c.agency, literal(breakdown), c.grp, c.month, c.pathway, c.clock, c.within, c.excepted, c.days,
               func.count(), literal(through, Date), literal(now, DateTime(timezone=True)))
        .join(pairs, pairs.c.cid == c.cid)
        .where(c.days.is_not(None))
        .group_by(pairs.c.agency, c.grp, c.month, c.pathway, c.clock, c.within, c.excepted, c.days)
        .order_by(pairs.c.agency, c.month, c.pathway, c.clock, c.grp)
    )
    session.execute(insert(MetricsSummary).from_select(
        ["scope_agency_id", "breakdown", "grp", "month", "pathway", "clock", "within_target", "excepted", "days",
         "completed", "through", "refreshed_at"], grouped))




def summary_histogram(session: Session, actor: Actor, first_month: dt.date, last_month: dt.date, *,
                      pathway: str | None = None, breakdown: str | None = None) -> Histogram:
    """(pathway, clock, group) → {(within, excepted, days): completed} from the summary for whole months."""
    key = summary_scope(actor)
    s = MetricsSummary
    conditions = [s.scope_agency_id == key, s.breakdown == (breakdown or ""), s.month.between(first_month, last_month)]
    if pathway:
        conditions.append(s.pathway == pathway)
    query = (select(s.pathway, s.clock, s.grp, s.within_target, s.excepted, s.days, func.sum(s.completed))
             .where(*conditions).group_by(s.pathway, s.clock, s.grp, s.within_target, s.excepted, s.days))
    out: Histogram = {}
    for p, c, g, w, e, d, n in session.execute(query):
        bucket = out.setdefault((p, c, g or ""), {})
        bucket[(bool(w), bool(e), float(d))] = bucket.get((bool(w), bool(e), float(d)), 0) + int(n)
    return out




def summary_trend(session: Session, actor: Actor, first_month: dt.date, last_month: dt.date, *,
                  pathway: str | None = None) -> list[tuple[str, str, str, int, int]]:
    """(pathway, clock, YYYY-MM, completed, within target) per whole month from the summary."""
    s = MetricsSummary
    conditions = [s.scope_agency_id == summary_scope(actor), s.breakdown == "",
                  s.month.between(first_month, last_month)]
    if pathway:
        conditions.append(s.pathway == pathway)
    within = func.sum(case((s.within_target == true(), s.completed), else_=0))
    query = (select(s.pathway, s.clock, s.month, func.sum(s.completed), within).where(*conditions)
             .group_by(s.pathway, s.clock, s.month))
    return [(p, c, (m if isinstance(m, dt.date) else dt.date.fromisoformat(str(m))).strftime("%Y-%m"), int(n),
             int(w or 0)) for p, c, m, n, w in session.execute(query)]
