"""The SEN2 XML message (DfE, person level): Message → Header (CollectionDetails, Source) → Persons/Person (the
child's identifiers) → Requests (one per EHC needs assessment request) → Assessment → NamedPlan → PlanDetail;
and ActivePlans beside the Assessment. Element names and order as the liia-tools SEN2 schema (2024) has them;
items this service does not hold are left out (docs/exports.md lists them).

Pure: plain values in, bytes out; no database, no Flask.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML here, never parse it
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dfe_xml import SOURCE_ITEMS, IfHeld, Source, ethnicity, file_bytes, held_items, message, sex, upn_unknown
from .dfe_xml import element as _element
from .dfe_xml import sub as _sub
from .sen2 import Placement, Request, reference_date

# Each item the message holds and where it comes from (docs/exports.md shows the same words: a test keeps them so).
ITEMS: tuple[tuple[str, str], ...] = (
    ("Header/CollectionDetails/Collection", "Always SEN2."),
    ("Header/CollectionDetails/Year", "The census year (the `--year` / `?year=` asked for): the January census of "
                                      "that year, covering the calendar year before it."),
    ("Header/CollectionDetails/ReferenceDate", "The third Thursday of January of that year: the state of every "
                                               "request and plan on this day."),
    *SOURCE_ITEMS,
    ("Header/Source/DMO", "The `SEN2_DMO` setting (Y, N or R): the council's answer about its Designated Medical "
                          "Officer for SEND; left out, and named on the SEN2 page, when not set (the demo's Y)."),
    ("Header/Source/DCO", "The `SEN2_DCO` setting (Y, N or R): the same for its Designated Clinical Officer."),
    ("Person/Surname", "The person's family name (decrypted for the whole authority)."),
    ("Person/Forename", "The person's given name."),
    ("Person/PersonBirthDate", "The person's date of birth."),
    ("Person/Sex", "The child's census details: sex (M, F, U); U when not recorded (the pre-submission report "
                   "lists them)."),
    ("Person/Ethnicity", "The child's census details: ethnicity (WBRI … NOBT); NOBT (not yet obtained) when not "
                         "recorded (the pre-submission report lists them)."),
    ("Person/PostCode", "The postcode of the child's own address, else the household's, on the reference date; left "
                        "out when none is recorded."),
    ("Person/UPN", "The person's UPN; left out when none is recorded."),
    ("Person/UniqueLearnerNumber", "The child's census details: ULN (10 digits); left out when none is recorded."),
    ("Person/UPNunknown", "The child's census details: why there is no UPN (UN1–UN7); only when no UPN is recorded."),
    ("Requests/ReceivedDate", "The EHC needs assessment referral's received date (the clock start)."),
    ("Requests/RYA", "EHC details: the request was made by the young person (16 to 25) themselves; left out when "
                     "not recorded."),
    ("Requests/RequestOutcomeDate", "EHC details: the day the decision whether to assess was made, when on or "
                                    "before the reference date."),
    ("Requests/RequestOutcome", "EHC details: the request outcome (Y, N, W, H); A while not decided on the "
                                "reference date; H for a decision to assess made before the year."),
    ("Requests/RequestMediation", "EHC details: mediation about the decision whether to assess (true/false); left "
                                  "out when not recorded."),
    ("Requests/RequestTribunal", "EHC details: an appeal to the tribunal about it (true/false); left out when not "
                                 "recorded."),
    ("Requests/Assessment/AssessmentOutcome", "EHC details: the assessment outcome, whether a plan is to be issued "
                                              "(Y, N, W, H); A while not decided; only when the request outcome is Y "
                                              "or H."),
    ("Requests/Assessment/AssessmentOutcomeDate", "EHC details: the day that was decided, when on or before the "
                                                  "reference date."),
    ("Requests/Assessment/Week20", "true when a reg 10(4)(a)–(d) exception to the 20-week limit is recorded on the "
                                   "referral (20-week time limit exceptions apply), else false; only with an "
                                   "assessment outcome of Y or N."),
    ("Requests/Assessment/NamedPlan/StartDate", "EHC details: the day the plan was issued, when on or before the "
                                                "reference date."),
    ("Requests/Assessment/NamedPlan/PlanDetail/URN", "EHC details: the placement school's URN (6 digits)."),
    ("Requests/Assessment/NamedPlan/PlanDetail/UKPRN", "EHC details: the placement college's UKPRN (8 digits)."),
    ("Requests/Assessment/NamedPlan/PlanDetail/SENSetting", "EHC details: the SEN setting (OLA, EHE, EYP, OPA, OTH, "
                                                            "NEET, NIEC, NIEO) when the placement is neither (the "
                                                            "schema has no code for a school or college)."),
    ("Requests/Assessment/NamedPlan/PlanDetail/PlacementRank", "EHC details: the placement's rank (1 or 2)."),
    ("Requests/Assessment/NamedPlan/PlanDetail/SENunitIndicator", "EHC details: the child is placed in the school's "
                                                                  "SEN unit (true/false); left out, and listed in the "
                                                                  "pre-submission report, when not recorded."),
    ("Requests/Assessment/NamedPlan/PlanDetail/ResourcedProvisionIndicator", "EHC details: the child is placed in "
                                                                             "its resourced provision (true/false); "
                                                                             "as SENunitIndicator when not "
                                                                             "recorded."),
    ("Requests/Assessment/NamedPlan/CeaseDate", "EHC details: the day the plan ceased, when on or before the "
                                                "reference date (a plan ceased after it is still active)."),
    ("Requests/Assessment/NamedPlan/CeaseReason", "EHC details: why it ceased (1–9), with the cease date."),
    ("Requests/ActivePlans/PlacementDetail/URN", "As PlanDetail's, for a plan active on the reference date."),
    ("Requests/ActivePlans/PlacementDetail/UKPRN", "As PlanDetail's."),
    ("Requests/ActivePlans/PlacementDetail/SENSetting", "As PlanDetail's."),
    ("Requests/ActivePlans/PlacementDetail/PlacementRank", "As PlanDetail's."),
    ("Requests/ActivePlans/PlacementDetail/EntryDate", "EHC details: the day the child started at the placement, "
                                                       "when on or before the reference date; left out, and listed "
                                                       "in the pre-submission report, when not recorded."),
    ("Requests/ActivePlans/PlacementDetail/SENunitIndicator", "As PlanDetail's."),
    ("Requests/ActivePlans/PlacementDetail/ResourcedProvisionIndicator", "As PlanDetail's."),
    ("Requests/ActivePlans/SENneed/SENtype", "EHC details: the child's special educational needs (SPLD … OTH), "
                                             "one SENneed each; only for a plan active on the reference date."),
    ("Requests/ActivePlans/SENneed/SENtypeRank", "Its rank: 1 for the primary need, 2 for the secondary."),
    ("Requests/ActivePlans/ReviewMeeting", "EHC details: the last annual review meeting, when on or before the "
                                           "reference date."),
    ("Requests/ActivePlans/ReviewOutcome", "EHC details: its outcome (A amend, C cease, M maintain), with the "
                                           "meeting."),
    ("Requests/ActivePlans/LastReview", "EHC details: the day the local authority decided after the last review, "
                                        "when on or before the reference date."),
)


@dataclass
class Sen2Person:
    surname: str
    forename: str
    date_of_birth: dt.date | None
    sex: str | None
    ethnicity: str | None
    postcode: str | None = None
    upn: str | None = None
    uln: str | None = None
    upn_unknown: str | None = None
    requests: list[Request] = field(default_factory=list)


def sen2_xml(year: int, la_code: str, persons: Sequence[Sen2Person], produced_at: dt.datetime, serial: int = 1,
             software: str = "Early help coordination", release: str = "0.1", dmo: str | None = None,
             dco: str | None = None) -> bytes:
    """The SEN2 message for the January `year` census (UTF-8, with an XML declaration); `dmo` and `dco` are the
    header's DMO and DCO (Y, N or R), left out when None."""
    root, source = message("SEN2", year, reference_date(year),
                           Source(la_code, produced_at, serial, software, release))
    held_items(source, DMO=dmo, DCO=dco)
    listing = _sub(root, "Persons")
    for person in persons:
        _person(listing, person)
    return file_bytes(root)


def _person(parent: ET.Element, person: Sen2Person) -> None:
    element = _element(parent, "Person", Surname=person.surname, Forename=person.forename,
                       PersonBirthDate=IfHeld(person.date_of_birth), Sex=sex(person.sex),
                       Ethnicity=ethnicity(person.ethnicity), PostCode=IfHeld(person.postcode),
                       UPN=IfHeld(person.upn), UniqueLearnerNumber=IfHeld(person.uln),
                       UPNunknown=IfHeld(upn_unknown(person.upn, person.upn_unknown)))
    for request in person.requests:
        _request(element, request)


def _request(parent: ET.Element, request: Request) -> None:
    element = _element(parent, "Requests", ReceivedDate=request.received, RYA=IfHeld(request.rya),
                       RequestOutcomeDate=IfHeld(request.outcome_date), RequestOutcome=request.outcome,
                       RequestMediation=IfHeld(request.mediation), RequestTribunal=IfHeld(request.tribunal))
    if request.assessment:
        assessment = _element(element, "Assessment", AssessmentOutcome=request.assessment.outcome,
                              AssessmentOutcomeDate=IfHeld(request.assessment.outcome_date),
                              Week20=IfHeld(request.assessment.week20))
        if plan := request.assessment.plan:
            named = _element(assessment, "NamedPlan", StartDate=plan.start)
            if plan.placement:
                _placement(_sub(named, "PlanDetail"), plan.placement, entry=False)
            held_items(named, CeaseDate=plan.cease_date, CeaseReason=plan.cease_reason)
    if active := request.active:
        plans = _sub(element, "ActivePlans")
        if active.placement:
            _placement(_sub(plans, "PlacementDetail"), active.placement, entry=True)
        for rank, need in enumerate(active.sen_needs, start=1):
            _element(plans, "SENneed", SENtype=need, SENtypeRank=rank)
        held_items(plans, ReviewMeeting=active.review_meeting, ReviewOutcome=active.review_outcome,
                   LastReview=active.last_review)


def _placement(element: ET.Element, placement: Placement, *, entry: bool) -> None:
    """PlanDetail's items, or with `entry` PlacementDetail's (its EntryDate after the rank), in the schema's order."""
    held_items(element, URN=placement.urn, UKPRN=placement.ukprn, SENSetting=placement.sen_setting,
               PlacementRank=placement.rank)
    if entry:
        held_items(element, EntryDate=placement.entry_date)
    held_items(element, SENunitIndicator=placement.sen_unit, ResourcedProvisionIndicator=placement.resourced_provision)
