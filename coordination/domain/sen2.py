"""SEN2 (DfE, person level): its codes, its year, the rules an EHC needs assessment request's items must keep, and
each request's state as at the reference date. The XML message is domain/sen2_xml.py.

- SEN2 for year YYYY is the January YYYY census: it covers the calendar year YYYY-1, and the active plans are
  counted on the reference date, the third Thursday of January YYYY.
- A request is in the return when it was received on or before 31 December YYYY-1 and had not ended (decided
  not to assess, withdrawn, a plan not issued, a plan ceased) before 1 January YYYY-1.
- The state is as at the reference date: an outcome decided after it is "A" (not yet decided), a plan issued
  after it is not there, a plan ceased after it is still active.
- An outcome to assess or to issue decided before the year began is "H" (historical).
- `Week20` is SEN2's "20-week time limit exceptions apply": true when a reg 10(4)(a)–(d) exception was recorded
  on the referral (on or before the reference date), given only once the decision whether to issue is made.
  The service's own "issued within 20 weeks" is a dashboard measure, not an SEN2 item.

Rule numbers are this project's (S2-1xx), one for each check made; tests/unit/test_sen2_rules.py tests each.
Pure: plain values in, plain values out; no database, no Flask.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

REQUEST_OUTCOME = {
    "Y": "Yes: the local authority decided to assess",
    "N": "No: the local authority decided not to assess",
    "A": "Not decided yet",
    "W": "The request was withdrawn or ended before the decision whether to assess",
    "H": "Historical: the decision was made before this year's collection",
}
ASSESSMENT_OUTCOME = {
    "Y": "Yes: an EHC plan is to be issued",
    "N": "No: an EHC plan is not to be issued",
    "A": "Not decided yet",
    "W": "The request was withdrawn or ended before the decision whether to issue a plan",
    "H": "Historical: decided before this year's collection, or the plan was transferred from another authority",
}
SEN_NEED = {
    "SPLD": "Specific learning difficulty", "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty", "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health", "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment", "VI": "Vision impairment", "MSI": "Multi-sensory impairment",
    "PD": "Physical disability", "ASD": "Autistic spectrum disorder", "OTH": "Other difficulty",
}
MAX_NEEDS = 2  # SENneed: at most two, ranked 1 and 2
# Where a child with a plan is educated when it is not a school (URN) or college (UKPRN).
SEN_SETTING = {
    "OLA": "Other arrangement made by the local authority", "EHE": "Elective home education",
    "EYP": "Early years provider (not a school)", "OPA": "Other arrangement made by the parents",
    "OTH": "Other", "NEET": "Not in education, employment or training",
    "NIEC": "Not in education or training: notice to cease the plan given",
    "NIEO": "Not in education or training: other",
}
PLACEMENT_RANKS = (1, 2)
CEASE_REASON = {
    "1": "Reached the maximum age", "2": "Needs met without an EHC plan", "3": "Moved on to higher education",
    "4": "Moved on to paid employment (not an apprenticeship)", "5": "Transferred to another local authority",
    "6": "Young person no longer wishes to engage in education or training",
    "7": "Moved abroad", "8": "Died", "9": "Other",
}
REVIEW_OUTCOME = {"A": "Amend the plan", "C": "Cease the plan", "M": "Maintain the plan"}
WEEK20_EXCEPTIONS = frozenset({"10_4_a", "10_4_b", "10_4_c", "10_4_d"})  # the final_plan clock's (pathways.toml)
DECIDED = frozenset({"Y", "N", "W"})  # outcomes with a date
ENDED = frozenset({"N", "W"})
URN = re.compile(r"\d{6}")
UKPRN = re.compile(r"\d{8}")
ULN = re.compile(r"\d{10}")

# Each rule this project checks: number → what it says. The field it reports on is in `problems`.
RULES = {
    "S2-101": "RequestOutcomeDate must not be before ReceivedDate",
    "S2-102": "RequestOutcomeDate is needed when RequestOutcome is Y, N or W, and not given when it is A",
    "S2-103": "An assessment outcome only when the request outcome is Y (assess) or H",
    "S2-104": "AssessmentOutcomeDate must not be before RequestOutcomeDate (or ReceivedDate)",
    "S2-105": "AssessmentOutcomeDate is needed when AssessmentOutcome is Y, N or W, and not given when it is A",
    "S2-106": "A named plan only when the assessment outcome is Y (issue) or H",
    "S2-107": "A named plan needs a StartDate: placement, ceasing, needs and reviews only with one",
    "S2-108": "StartDate must not be before AssessmentOutcomeDate",
    "S2-109": "A placement is exactly one of a URN, a UKPRN or an SEN setting",
    "S2-110": "URN is 6 digits; UKPRN is 8 digits",
    "S2-111": "PlacementRank is 1 or 2, and only with a placement",
    "S2-112": "CeaseReason only with a CeaseDate, and a CeaseDate needs a CeaseReason",
    "S2-113": "CeaseDate must not be before StartDate",
    "S2-114": "SENneed: codes from the list, at most two, ranks 1..n each used once (no need twice)",
    "S2-115": "ReviewOutcome only with a ReviewMeeting date; ReviewMeeting and LastReview not before StartDate, "
              "LastReview not before ReviewMeeting",
    "S2-116": "No date after today",
    "S2-117": "UniqueLearnerNumber is 10 digits",
    "S2-118": "Week20 only when the decision whether to issue a plan (AssessmentOutcome Y or N) is recorded",
    "S2-119": "A plan ceased on or before the reference date has no ActivePlans; one ceased after it is active",
    "S2-120": "SENunitIndicator, ResourcedProvisionIndicator and the placement's EntryDate only with a placement",
}


def reference_date(year: int) -> dt.date:
    """The third Thursday of January `year`."""
    first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def sen2_period(year: int) -> tuple[dt.date, dt.date, dt.date]:
    """(1 January YYYY-1, 31 December YYYY-1, the reference date in January YYYY) for the SEN2 of `year`."""
    return dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31), reference_date(year)


@dataclass(frozen=True)
class EhcItems:
    """An EHC needs assessment request's SEN2 items as recorded (its EHC details); None or () while not recorded."""

    request_by_young_person: bool | None = None
    request_outcome: str | None = None
    request_outcome_on: dt.date | None = None
    request_mediation: bool | None = None
    request_tribunal: bool | None = None
    assessment_outcome: str | None = None
    assessment_outcome_on: dt.date | None = None
    plan_start_on: dt.date | None = None
    placement_urn: str | None = None
    placement_ukprn: str | None = None
    sen_setting: str | None = None
    placement_rank: int | None = None
    sen_unit: bool | None = None  # SENunitIndicator: placed in the school's SEN unit
    resourced_provision: bool | None = None  # ResourcedProvisionIndicator: in its resourced provision
    placement_entry_on: dt.date | None = None  # EntryDate: the day the child started at the placement
    plan_ceased_on: dt.date | None = None
    cease_reason: str | None = None
    sen_needs: tuple[str, ...] = ()  # in rank order
    review_meeting_on: dt.date | None = None
    review_outcome: str | None = None
    last_review_on: dt.date | None = None


ITEM_NAMES = tuple(f.name for f in fields(EhcItems))


@dataclass(frozen=True, kw_only=True)
class RequestFacts(EhcItems):
    """An EHC needs assessment request as recorded now (the referral and its EHC details)."""

    received_on: dt.date
    exceptions: tuple[tuple[str, dt.date | None], ...] = ()  # (reg 10(4) code, the day it began)


def _before(later: dt.date | None, earlier: dt.date | None) -> bool:
    return bool(later and earlier and later < earlier)


def _outcome_rules(f: RequestFacts) -> list[tuple[str, str, str]]:
    found = []
    if _before(f.request_outcome_on, f.received_on):
        found.append(("S2-101", "request_outcome_on", "The request outcome date must be on or after the request"))
    if (f.request_outcome in DECIDED) != bool(f.request_outcome_on) and f.request_outcome != "H":
        found.append(("S2-102", "request_outcome_on", "Enter the date of the request outcome"
                      if f.request_outcome in DECIDED else "Leave the date empty until the request is decided"))
    if f.assessment_outcome and f.request_outcome not in ("Y", "H"):
        found.append(("S2-103", "assessment_outcome",
                      "Record an assessment outcome only when the request outcome is to assess"))
    if _before(f.assessment_outcome_on, f.request_outcome_on or f.received_on):
        found.append(("S2-104", "assessment_outcome_on",
                      "The assessment outcome date must be on or after the request outcome date"))
    if f.assessment_outcome and f.assessment_outcome != "H" and (
            (f.assessment_outcome in DECIDED) != bool(f.assessment_outcome_on)):
        found.append(("S2-105", "assessment_outcome_on", "Enter the date of the assessment outcome"
                      if f.assessment_outcome in DECIDED else "Leave the date empty until the outcome is decided"))
    elif f.assessment_outcome_on and not f.assessment_outcome:
        found.append(("S2-105", "assessment_outcome", "Choose the assessment outcome for this date"))
    return found


def _plan_rules(f: RequestFacts) -> list[tuple[str, str, str]]:
    found = []
    placement = [v for v in (f.placement_urn, f.placement_ukprn, f.sen_setting) if v]
    indicators = (f.sen_unit, f.resourced_provision, f.placement_entry_on)
    rest = placement or f.placement_rank or f.plan_ceased_on or f.cease_reason or f.sen_needs \
        or f.review_meeting_on or f.review_outcome or f.last_review_on
    if f.plan_start_on and f.assessment_outcome not in ("Y", "H"):
        found.append(("S2-106", "plan_start_on", "Record a plan only when the assessment outcome is to issue one"))
    if rest and not f.plan_start_on:
        found.append(("S2-107", "plan_start_on", "Enter the date the plan was issued"))
    if _before(f.plan_start_on, f.assessment_outcome_on):
        found.append(("S2-108", "plan_start_on", "The plan's start date must be on or after the assessment outcome"))
    if f.plan_start_on and len(placement) != 1:
        found.append(("S2-109", "placement_urn", "Enter the school's URN, the college's UKPRN or the setting, "
                      "one of them" if placement else "Enter where the child is placed"))
    if f.placement_urn and not URN.fullmatch(f.placement_urn):
        found.append(("S2-110", "placement_urn", "Enter a URN of 6 digits, like 100001"))
    if f.placement_ukprn and not UKPRN.fullmatch(f.placement_ukprn):
        found.append(("S2-110", "placement_ukprn", "Enter a UKPRN of 8 digits, like 10000001"))
    if (f.placement_rank is not None and (f.placement_rank not in PLACEMENT_RANKS or not placement)) \
            or (placement and f.placement_rank is None):
        found.append(("S2-111", "placement_rank", "Choose the placement's rank, 1 or 2"))
    for name, value in zip(("sen_unit", "resourced_provision", "placement_entry_on"), indicators, strict=True):
        if value is not None and not placement:
            found.append(("S2-120", name, "Record this only with the placement (a URN, a UKPRN or a setting)"))
    if bool(f.cease_reason) != bool(f.plan_ceased_on):
        found.append(("S2-112", "cease_reason" if f.plan_ceased_on else "plan_ceased_on",
                      "Choose why the plan ceased" if f.plan_ceased_on else "Enter the date the plan ceased"))
    if _before(f.plan_ceased_on, f.plan_start_on):
        found.append(("S2-113", "plan_ceased_on", "The plan must cease on or after its start date"))
    if any(n not in SEN_NEED for n in f.sen_needs) or len(f.sen_needs) > MAX_NEEDS \
            or len(set(f.sen_needs)) != len(f.sen_needs):
        found.append(("S2-114", "sen_needs", "Choose up to two different needs from the list, the primary first"))
    if (f.review_outcome and not f.review_meeting_on) or _before(f.review_meeting_on, f.plan_start_on) \
            or _before(f.last_review_on, f.review_meeting_on or f.plan_start_on):
        found.append(("S2-115", "review_outcome" if f.review_outcome and not f.review_meeting_on
                      else "last_review_on" if _before(f.last_review_on, f.review_meeting_on) else "review_meeting_on",
                      "Enter the review meeting's date (on or after the plan started) and a decision on or after it"))
    return found


def problems(f: RequestFacts, today: dt.date) -> list[tuple[str, str, str]]:
    """Every rule `f` breaks, as (rule, field, message), in rule order."""
    found = _outcome_rules(f) + _plan_rules(f)
    dates = ("request_outcome_on", "assessment_outcome_on", "plan_start_on", "placement_entry_on", "plan_ceased_on",
             "review_meeting_on", "last_review_on")
    found.extend(("S2-116", name, "The date must be today or in the past") for name in dates
                 if getattr(f, name) and getattr(f, name) > today)
    return sorted(found, key=lambda p: p[0])


def uln_problem(uln: str | None) -> str | None:
    """S2-117."""
    return None if not uln or ULN.fullmatch(uln) else "Enter a Unique Learner Number of 10 digits"


@dataclass(frozen=True)
class Placement:
    """PlanDetail (the named plan's) and, with its EntryDate, PlacementDetail (the active plan's)."""

    urn: str | None
    ukprn: str | None
    sen_setting: str | None
    rank: int | None
    sen_unit: bool | None
    resourced_provision: bool | None
    entry_date: dt.date | None


@dataclass(frozen=True)
class NamedPlan:
    start: dt.date
    placement: Placement | None
    cease_date: dt.date | None
    cease_reason: str | None


@dataclass(frozen=True)
class ActivePlan:
    placement: Placement | None
    sen_needs: tuple[str, ...]
    review_meeting: dt.date | None
    review_outcome: str | None
    last_review: dt.date | None


@dataclass(frozen=True)
class Assessment:
    outcome: str
    outcome_date: dt.date | None
    week20: bool | None
    plan: NamedPlan | None


@dataclass(frozen=True)
class Request:
    """One SEN2 `Requests` as at the reference date."""

    received: dt.date
    rya: bool | None
    outcome: str
    outcome_date: dt.date | None
    mediation: bool | None
    tribunal: bool | None
    assessment: Assessment | None
    active: ActivePlan | None


def _as_at(code: str | None, on: dt.date | None, first: dt.date, reference: dt.date) -> tuple[str, dt.date | None]:
    """An outcome as at the reference date: "A" until decided on or before it; "H" for a Y before the year."""
    if code == "H":
        return "H", on if on and on <= reference else None
    if code is None or code == "A" or on is None or on > reference:
        return "A", None
    return ("H" if code == "Y" and on < first else code), on


def _ended_on(f: RequestFacts, reference: dt.date) -> dt.date | None:
    def within(day: dt.date | None) -> dt.date | None:
        return day if day and day <= reference else None
    if f.request_outcome in ENDED and within(f.request_outcome_on):
        return f.request_outcome_on
    if f.assessment_outcome in ENDED and within(f.assessment_outcome_on):
        return f.assessment_outcome_on
    return within(f.plan_ceased_on)


def request_as_at(f: RequestFacts, year: int) -> Request | None:
    """The request's SEN2 `Requests` in the return for `year`, or None when it is not in that return."""
    first, last, reference = sen2_period(year)
    ended = _ended_on(f, reference)
    if f.received_on > last or (ended and ended < first):
        return None
    outcome, outcome_on = _as_at(f.request_outcome, f.request_outcome_on, first, reference)
    assessment = None
    active = None
    if outcome in ("Y", "H"):
        a_outcome, a_on = _as_at(f.assessment_outcome, f.assessment_outcome_on, first, reference)
        week20 = None
        if a_outcome in ("Y", "N"):
            week20 = any(code in WEEK20_EXCEPTIONS and (began is None or began <= reference)
                         for code, began in f.exceptions)
        plan = None
        if a_outcome in ("Y", "H") and f.plan_start_on and f.plan_start_on <= reference:
            ceased = f.plan_ceased_on if f.plan_ceased_on and f.plan_ceased_on <= reference else None
            placement = None
            if f.placement_urn or f.placement_ukprn or f.sen_setting:
                entry = f.placement_entry_on if f.placement_entry_on and f.placement_entry_on <= reference else None
                placement = Placement(f.placement_urn, f.placement_ukprn, f.sen_setting, f.placement_rank,
                                      f.sen_unit, f.resourced_provision, entry)
            plan = NamedPlan(f.plan_start_on, placement, ceased, f.cease_reason if ceased else None)
            if ceased is None:
                def held(day: dt.date | None) -> dt.date | None:
                    return day if day and day <= reference else None
                meeting = held(f.review_meeting_on)
                active = ActivePlan(placement, f.sen_needs, meeting, f.review_outcome if meeting else None,
                                    held(f.last_review_on))
        assessment = Assessment(a_outcome, a_on, week20, plan)
    return Request(f.received_on, f.request_by_young_person, outcome, outcome_on, f.request_mediation,
                   f.request_tribunal, assessment, active)
