"""Pathways as data (pathways.toml) and the clocks their stages run on.

`load_pathways()` reads the defaults and applies a local authority's local targets (only for clocks marked
`local`: statutory limits cannot be overridden). `compute_clocks()` turns a referral's events into clock
states: started, due, stopped, within target, overdue — using the one WorkingCalendar. Each pathway names the
kinds of agency that receive its referrals (`receives`; `Pathway.receiving_problem`).
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .actors import AgencyType
from .calendar import WorkingCalendar, add_calendar

PATHWAYS_FILE = Path(__file__).with_name("pathways.toml")
UNITS = ("working_days", "days", "weeks", "months", "hours")
URGENCIES = ("routine", "urgent", "very_urgent")
# Clock events: every one counts from its first occurrence except these, which count from their most recent
# (a referral redirected twice: the team it is with now got it at the second redirect).
EVENTS = ("received", "decided", "accepted", "closed", "redirected")
LATEST_EVENTS = frozenset({"redirected"})
# How the kinds of agency are named in messages ("… go to a SEND service").
AGENCY_KIND_NAMES = {
    AgencyType.COUNCIL_EARLY_HELP: "a council early help team",
    AgencyType.SOCIAL_CARE: "a children's social care team",
    AgencyType.SCHOOL: "a school",
    AgencyType.HEALTH: "a health service",
    AgencyType.MENTAL_HEALTH: "a mental health service",
    AgencyType.POLICE: "a police team",
    AgencyType.VOLUNTARY: "a voluntary sector service",
    AgencyType.SEND_SERVICE: "a SEND service",
}


class PathwayError(ValueError):
    """The pathways file or a local target is malformed."""


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Limit:
        try:
            amount, unit = text.split()
            limit = cls(int(amount), unit)
        except ValueError as exc:
            raise PathwayError(f"limit {text!r} is not '<n> <unit>'") from exc
        if limit.unit not in UNITS or limit.amount < 0:
            raise PathwayError(f"limit {text!r}: unit must be one of {', '.join(UNITS)}")
        return limit

    def due(self, start: dt.datetime, calendar: WorkingCalendar) -> dt.datetime | dt.date:
        """Due moment: a datetime for hour clocks, otherwise the last day on which it is still in time."""
        if self.unit == "hours":
            return start + dt.timedelta(hours=self.amount)
        day = start.date()
        if self.unit == "working_days":
            return calendar.add_working_days(day, self.amount)
        if self.unit == "days":
            return add_calendar(day, days=self.amount)
        if self.unit == "weeks":
            return add_calendar(day, weeks=self.amount)
        return add_calendar(day, months=self.amount)

    def __str__(self) -> str:
        words = self.unit.replace("_", " ")
        return f"{self.amount} {words[:-1] if self.amount == 1 else words}"  # "1 working day", "45 working days"


@dataclass(frozen=True)
class ClockDefinition:
    name: str
    title: str
    start: str
    stop: str
    limits: dict[str, Limit]  # by urgency; "*" for any
    statutory: bool = False
    local: bool = False
    exceptions: tuple[str, ...] = ()
    only_if_stopped: bool = False
    cancelled_by: str | None = None

    def limit_for(self, urgency: str) -> Limit:
        """The limit for this urgency; a single limit applies to every urgency."""
        if urgency in self.limits:
            return self.limits[urgency]
        if "*" in self.limits:
            return self.limits["*"]
        return self.limits.get("routine") or next(iter(self.limits.values()))


@dataclass(frozen=True)
class Pathway:
    key: str
    title: str
    stages: tuple[str, ...]
    stage_titles: dict[str, str]
    transitions: dict[str, tuple[str, ...]]
    clocks: tuple[ClockDefinition, ...]
    receives: tuple[str, ...] = ()  # kinds of agency (AgencyType values) whose teams receive its referrals

    def receives_from(self, agency_type: str) -> bool:
        return agency_type in self.receives

    def receiving_problem(self, agency_type: str | None) -> str | None:
        """None when a team of this kind receives the pathway's referrals; otherwise the message saying which do."""
        if agency_type is not None and self.receives_from(agency_type):
            return None
        kinds = [AGENCY_KIND_NAMES.get(AgencyType(t), t) for t in self.receives]
        which = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
        return f"{self.title} referrals go to {which}: choose a team of that kind"

    @property
    def first_stage(self) -> str:
        return self.stages[0]

    def can_move(self, from_stage: str, to_stage: str) -> bool:
        return to_stage in self.transitions.get(from_stage, ())

    def clock(self, name: str) -> ClockDefinition:
        return next(c for c in self.clocks if c.name == name)


def _limits(raw: str | dict) -> dict[str, Limit]:
    if isinstance(raw, str):
        return {"*": Limit.parse(raw)}
    return {urgency: Limit.parse(text) for urgency, text in raw.items()}


def _event_ok(event: str, stages: tuple[str, ...]) -> bool:
    if event in EVENTS:
        return True
    kind, _, stage = event.partition(":")
    return kind == "entered" and stage in stages


def parse_pathways(data: dict, local_targets: dict | None = None) -> dict[str, Pathway]:
    """Build pathways from parsed TOML; `local_targets` is {pathway: {clock: limit}} for local clocks only."""
    local_targets = local_targets or {}
    pathways: dict[str, Pathway] = {}
    for key, raw in data.items():
        stages = tuple(raw["stages"])
        clocks = []
        for c in raw.get("clocks", []):
            for event in (c["start"], c["stop"], c.get("cancelled_by") or "received"):
                if not _event_ok(event, stages):
                    raise PathwayError(f"{key}.{c['name']}: unknown event {event!r}")
            limits = _limits(c["limit"])
            override = local_targets.get(key, {}).get(c["name"])
            if override is not None:
                if not c.get("local"):
                    raise PathwayError(f"{key}.{c['name']} is statutory: its limit cannot be changed locally")
                limits = _limits(override)
            clocks.append(ClockDefinition(
                name=c["name"], title=c["title"], start=c["start"], stop=c["stop"], limits=limits,
                statutory=bool(c.get("statutory")), local=bool(c.get("local")),
                exceptions=tuple(c.get("exceptions", ())), only_if_stopped=bool(c.get("only_if_stopped")),
                cancelled_by=c.get("cancelled_by"),
            ))
        transitions = {s: tuple(t) for s, t in raw.get("transitions", {}).items()}
        receives = tuple(raw.get("receives", ()))
        if not receives or not set(receives) <= {t.value for t in AgencyType}:
            raise PathwayError(f"{key}: receives must name kinds of agency: "
                               + ", ".join(t.value for t in AgencyType))
        for source, targets in transitions.items():
            if source not in stages or not set(targets) <= set(stages):
                raise PathwayError(f"{key}: transition from {source!r} names an unknown stage")
        pathways[key] = Pathway(key=key, title=raw["title"], stages=stages,
                                stage_titles=dict(raw.get("stage_titles", {})), transitions=transitions,
                                clocks=tuple(clocks), receives=receives)
    for unknown in set(local_targets) - set(pathways):
        raise PathwayError(f"local target for unknown pathway {unknown!r}")
    return pathways


@cache
def default_pathways() -> dict[str, Pathway]:
    with PATHWAYS_FILE.open("rb") as fh:
        return parse_pathways(tomllib.load(fh))


def load_pathways(local_targets_file: Path | None = None) -> dict[str, Pathway]:
    if local_targets_file is None:
        return default_pathways()
    with PATHWAYS_FILE.open("rb") as fh, local_targets_file.open("rb") as local:
        return parse_pathways(tomllib.load(fh), tomllib.load(local))


@dataclass
class ClockState:
    name: str
    title: str
    limit: str
    started_at: dt.datetime
    due: dt.datetime | dt.date
    stopped_at: dt.datetime | None
    within_target: bool | None   # None while running and not yet overdue
    overdue: bool                # running and past due
    statutory: bool
    excepted: bool = False       # an allowed exception applies (reported with and without)
    paused_days: int = 0
    exception_codes: list[str] = field(default_factory=list)

    @property
    def started_on(self) -> dt.date:
        return self.started_at.date()

    @property
    def stopped_on(self) -> dt.date | None:
        return self.stopped_at.date() if self.stopped_at else None

    @property
    def due_on(self) -> dt.date:
        return self.due.date() if isinstance(self.due, dt.datetime) else self.due


def _in_time(stopped: dt.datetime, due: dt.datetime | dt.date) -> bool:
    if isinstance(due, dt.datetime):
        return stopped <= due
    return stopped.date() <= due


def compute_clocks(pathway: Pathway, events: dict[str, dt.datetime], urgency: str, now: dt.datetime,
                   calendar: WorkingCalendar, *, pauses: tuple[tuple[dt.date, dt.date], ...] = (),
                   exceptions: tuple[str, ...] = ()) -> list[ClockState]:
    """Clock states for a referral given the time each event happened (`events`: the first occurrence, or the
    most recent for LATEST_EVENTS — see `clock_events`).

    A clock appears once its start event has happened, unless a `cancelled_by` event happened (e.g. the
    final-plan clock once a decision not to issue a plan was made) or it is `only_if_stopped` and has not
    stopped. Pauses (inclusive date ranges) push the due date back by the paused days they overlap.
    """
    states = []
    for clock in pathway.clocks:
        started = events.get(clock.start)
        if started is None or (clock.cancelled_by and clock.cancelled_by in events):
            continue
        stopped = events.get(clock.stop)
        if clock.only_if_stopped and stopped is None:
            continue
        limit = clock.limit_for(urgency)
        due = limit.due(started, calendar)
        paused = _paused_days(pauses, started.date(), (stopped or now).date(), limit, calendar)
        if paused:
            due = (due + dt.timedelta(days=paused)) if limit.unit != "working_days" \
                else calendar.add_working_days(due, paused)  # type: ignore[arg-type]
        excepted_codes = [code for code in exceptions if code in clock.exceptions]
        within: bool | None
        if stopped is not None:
            within, overdue = _in_time(stopped, due), False
        else:
            overdue = not _in_time(now, due)
            within = False if overdue else None
        states.append(ClockState(
            name=clock.name, title=clock.title, limit=str(limit), started_at=started, due=due, stopped_at=stopped,
            within_target=within, overdue=overdue, statutory=clock.statutory, excepted=bool(excepted_codes),
            paused_days=paused, exception_codes=excepted_codes,
        ))
    return states


def clock_events(events: list[tuple[str, dt.datetime]]) -> dict[str, dt.datetime]:
    """The moment each event kind counts from, given (kind, moment) in the order they happened: the first
    occurrence, or the most recent for LATEST_EVENTS."""
    moments: dict[str, dt.datetime] = {}
    for kind, at in events:
        if kind in LATEST_EVENTS:
            moments[kind] = at
        else:
            moments.setdefault(kind, at)
    return moments


def _paused_days(pauses, start: dt.date, end: dt.date, limit: Limit, calendar: WorkingCalendar) -> int:
    total = 0
    for first, last in pauses or ():
        lo, hi = max(first, start), min(last, end)
        if lo > hi:
            continue
        if limit.unit == "working_days":
            total += sum(1 for n in range((hi - lo).days + 1)
                         if calendar.is_working_day(lo + dt.timedelta(days=n)))
        else:
            total += (hi - lo).days + 1
    return total
