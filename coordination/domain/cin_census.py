"""The Children in Need census (DfE): its codes, its year, each referral's state as at the reference date, and
the XML message (Message → Header → Children/Child → ChildIdentifiers, ChildCharacteristics, CINdetails →
Assessments, CINPlanDates), element names and order as the DfE's CIN schema and the data-to-insight validator
(csc-validator-be-cin, ruleset cin2025_26) read them.

- The census year ending 31 March YYYY runs from 1 April YYYY-1; the reference date is 31 March YYYY.
- A referral counts when received on or before the reference date and not closed before the year began; an NFA
  referral (declined: no further action) counts only in the year it was received.
- The state is as at the reference date: events after it are ignored (a closure after 31 March leaves the
  episode open; an assessment authorised after it has no authorisation date).
- One child with several referrals is one `Child` with several `CINdetails`.
- `LAchildID`: a short random id (`new_la_child_id`), not derived from anything about the child.

Pure: plain values in, bytes out; no database, no Flask.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML here, never parse it
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .dfe_xml import SOURCE_ITEMS, IfHeld, Source, codes, ethnicity, file_bytes, message, sex, upn_unknown
from .dfe_xml import element as _element
from .dfe_xml import sub as _sub

SEX = {"M": "Male", "F": "Female", "U": "Not known or not recorded (and for an unborn child)"}

ETHNICITY = {
    "WBRI": "White British", "WIRI": "White Irish", "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background", "WROM": "Gypsy or Roma", "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African", "MWAS": "White and Asian", "MOTH": "Any other mixed background",
    "AIND": "Indian", "APKN": "Pakistani", "ABAN": "Bangladeshi", "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean", "BAFR": "Black African", "BOTH": "Any other Black background", "CHNE": "Chinese",
    "OOTH": "Any other ethnic group", "REFU": "Refused", "NOBT": "Information not yet obtained",
}

DISABILITY = {
    "NONE": "No disability", "MOB": "Mobility", "HAND": "Hand function", "PC": "Personal care",
    "INC": "Incontinence", "COMM": "Communication", "LD": "Learning", "HEAR": "Hearing", "VIS": "Vision",
    "BEH": "Behaviour", "CON": "Consciousness", "AUT": "Autism", "DDA": "Other",
}

UPN_UNKNOWN = {
    "UN1": "Child is aged under 6 and not yet attending school",
    "UN2": "Child has never attended a school in England",
    "UN3": "Child is educated outside England",
    "UN4": "Child is newly arrived in England and waiting for a school place",
    "UN5": "Sources collating UPNs reflect a discrepancy",
    "UN6": "Child is an unaccompanied asylum-seeking child",
    "UN7": "Referral with no further action",
}

PRIMARY_NEED = {
    "N1": "Abuse or neglect", "N2": "Child's disability", "N3": "Parental disability or illness",
    "N4": "Family in acute stress", "N5": "Family dysfunction", "N6": "Socially unacceptable behaviour",
    "N7": "Low income", "N8": "Absent parenting", "N9": "Cases other than children in need",
}

REASON_FOR_CLOSURE = {
    "RC1": "Adopted", "RC2": "Died", "RC3": "Child arrangements order", "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority", "RC6": "Transferred to adult social care services",
    "RC7": "Services ceased for any other reason, including child no longer in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}
# RC8 and RC9 mean the case closed straight after its assessment: they need an assessment on the episode
# (validator query 8831Q) and no child in need or child protection plan started after it.
CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})
CLOSURE_HINT = ("Choose RC8 or RC9 only when the case closed after its assessment, with no child in need plan "
                "or child protection plan: RC9 when the family was referred to early help, RC8 otherwise. "
                "After a plan, choose the reason services ended (RC7 when the child is no longer in need).")

ASSESSMENT_FACTORS = {
    "1A": "Alcohol misuse by the child", "1B": "Alcohol misuse by a parent or carer",
    "1C": "Alcohol misuse by another person in the household",
    "2A": "Drug misuse by the child", "2B": "Drug misuse by a parent or carer",
    "2C": "Drug misuse by another person in the household",
    "3A": "Domestic violence: the child subject to it", "3B": "Domestic violence: a parent or carer subject to it",
    "3C": "Domestic violence: another person in the household subject to it",
    "4A": "Mental health of the child", "4B": "Mental health of a parent or carer",
    "4C": "Mental health of another person in the household",
    "5A": "Learning disability of the child", "5B": "Learning disability of a parent or carer",
    "5C": "Learning disability of another person in the household",
    "6A": "Physical disability or illness of the child", "6B": "Physical disability or illness of a parent or carer",
    "6C": "Physical disability or illness of another person in the household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas child who intends to return",
    "8C": "Privately fostered: overseas child who intends to stay",
    "8D": "Privately fostered: UK child in an educational placement",
    "8E": "Privately fostered: UK child in an alternative family arrangement", "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child", "10A": "Going or being missing", "11A": "Child sexual exploitation",
    "12A": "Trafficking", "13A": "Gangs", "14A": "Socially unacceptable behaviour", "15A": "Self-harm",
    "16A": "Neglect", "17A": "Emotional abuse", "18B": "Physical abuse by another child",
    "18C": "Physical abuse by an adult", "19B": "Sexual abuse by another child", "19C": "Sexual abuse by an adult",
    "20": "Other", "21": "No factors identified (only with no further action)", "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief", "24A": "Child criminal exploitation",
}
NO_FACTORS = "21"

# ReferralSource by the referring agency's type; a team may say more exactly where in its service it sits
# (agency.census_referral_source: 3B health visitor, 3C school nurse, 3F CAMHS, 5A–5C other council services).
REFERRAL_SOURCE_BY_AGENCY_TYPE = {"council_early_help": "5D", "school": "2A", "health": "3D",
                                  "mental_health": "3F", "police": "6", "voluntary": "8", "send_service": "2B",
                                  "social_care": "5A"}
REFERRAL_SOURCE = {
    "1A": "Individual: family member, relative or carer", "1B": "Individual: acquaintance",
    "1C": "Individual: self", "1D": "Individual: other", "2A": "Schools", "2B": "Education services",
    "3A": "Health: GP", "3B": "Health: health visitor", "3C": "Health: school nurse",
    "3D": "Health: other primary health services", "3E": "Health: A&E", "3F": "Health: other (for example CAMHS)",
    "4": "Housing", "5A": "LA services: social care", "5B": "LA services: other internal",
    "5C": "LA services: external", "5D": "LA services: early help", "6": "Police", "7": "Other legal agency",
    "8": "Other", "9": "Anonymous", "10": "Unknown",
}

LA_CHILD_ID_PREFIX = "C"
_BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
LA_CHILD_ID = re.compile(r"[A-Za-z0-9]{1,20}")


# Each item the message holds and where it comes from (docs/exports.md shows the same words: a test keeps them so).
ITEMS: tuple[tuple[str, str], ...] = (
    ("Header/CollectionDetails/Collection", "Always CIN."),
    ("Header/CollectionDetails/Year", "The year the census ends in (the `--year` / `?year=` asked for)."),
    ("Header/CollectionDetails/ReferenceDate", "31 March of that year: the state of every referral on this day."),
    *SOURCE_ITEMS,
    ("ChildIdentifiers/LAchildID", "The person's `la_child_id`: C and 11 random letters and digits, unique, never "
                                   "reused, given when the person is recorded (migration 0025 gave one to everyone "
                                   "already recorded)."),
    ("ChildIdentifiers/UPN", "The person's UPN (decrypted for the whole authority); left out when none is recorded."),
    ("ChildIdentifiers/FormerUPN", "The child's census details: former UPN."),
    ("ChildIdentifiers/UPNunknown", "The child's census details: why there is no UPN (UN1–UN7); only when no UPN "
                                    "is recorded."),
    ("ChildIdentifiers/PersonBirthDate", "The person's date of birth."),
    ("ChildIdentifiers/Sex", "The child's census details: sex (M, F, U); U when not recorded (the "
                             "pre-submission report lists them)."),
    ("ChildCharacteristics/Ethnicity", "The child's census details: ethnicity (WBRI … NOBT); NOBT (not yet "
                                       "obtained) when not recorded (the pre-submission report lists them)."),
    ("ChildCharacteristics/Disabilities/Disability", "The child's census details: disabilities, one item each "
                                                     "(NONE for none); left out when none is recorded."),
    ("CINdetails/CINreferralDate", "The social care referral's received date."),
    ("CINdetails/ReferralSource", "The referring team's census source when set (health visiting 3B, school nursing "
                                  "3C, CAMHS 3F, …), else by its type: council early help 5D, school 2A, SEND "
                                  "service 2B, health 3D, mental health 3F, police 6, voluntary 8, social care 5A; "
                                  "10 with no referring team."),
    ("CINdetails/PrimaryNeedCode", "The referral's census details: primary need (N1–N9); left out for a referral "
                                   "with no further action."),
    ("CINdetails/CINclosureDate", "The day the referral was closed, when on or before the reference date; left out "
                                  "while open on it (and for no further action)."),
    ("CINdetails/ReasonForClosure", "The reason for closure chosen on closing (RC1–RC9), with the closure date."),
    ("CINdetails/Assessments/AssessmentActualStartDate", "The day the referral entered the assessment stage; the "
                                                         "assessment is left out when it was authorised before the "
                                                         "census year."),
    ("CINdetails/Assessments/AssessmentAuthorisationDate", "The day it entered 'assessment authorised', when on or "
                                                           "before the reference date."),
    ("CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors",
     "The referral's census details: factors identified at assessment, one item each; only once authorised."),
    ("CINdetails/CINPlanDates/CINPlanStartDate", "The day the referral entered the child in need plan stage; left "
                                                 "out when the plan ended before the census year."),
    ("CINdetails/CINPlanDates/CINPlanEndDate", "The day it moved to child protection, or closed, when on or before "
                                               "the reference date."),
    ("CINdetails/ReferralNFA", "true when the referral was declined (no further action) on or before the reference "
                               "date; false otherwise."),
)


def new_la_child_id() -> str:
    """A fresh LAchildID: "C" and 11 random Crockford base32 characters (55 bits; 12 letters and digits, within
    the census's 20). Random, so nothing about the child can be read from it; the column is unique."""
    return LA_CHILD_ID_PREFIX + "".join(secrets.choice(_BASE32) for _ in range(11))


def census_period(year: int) -> tuple[dt.date, dt.date]:
    """(1 April YYYY-1, 31 March YYYY): the census year ending in `year`; its last day is the reference date."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


@dataclass(frozen=True)
class ReferralFacts:
    """A social care referral as recorded now (dates as in England), for the census."""

    received_on: dt.date
    referral_source: str
    decided_on: dt.date | None = None
    declined: bool = False
    stage_entries: tuple[tuple[str, dt.date], ...] = ()  # (stage, day entered), oldest first
    closed_on: dt.date | None = None
    primary_need: str | None = None
    reason_for_closure: str | None = None
    assessment_factors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    started: dt.date
    authorised: dt.date | None
    factors: tuple[str, ...]


@dataclass(frozen=True)
class Episode:
    """One CINdetails as at the reference date."""

    referral_date: dt.date
    referral_source: str
    nfa: bool
    primary_need: str | None
    closure_date: dt.date | None
    reason_for_closure: str | None
    assessment: Assessment | None
    plan_start: dt.date | None
    plan_end: dt.date | None


@dataclass
class CensusChild:
    la_child_id: str
    sex: str | None
    ethnicity: str | None
    date_of_birth: dt.date | None = None
    upn: str | None = None
    former_upn: str | None = None
    upn_unknown: str | None = None
    disabilities: tuple[str, ...] = ()
    episodes: list[Episode] = field(default_factory=list)


def episode_as_at(facts: ReferralFacts, first: dt.date, reference: dt.date) -> Episode | None:
    """The referral's CINdetails in the census year [first, reference], or None when it is not in that year."""
    if facts.received_on > reference:
        return None
    decided = facts.decided_on if facts.decided_on and facts.decided_on <= reference else None
    nfa = bool(facts.declined and decided)
    if nfa:
        # No further action: counted in the year it was received, with no closure date or reason (the census
        # treats an NFA referral as neither open nor closed: validator rules 8815/8816 pass it by; RC8/RC9 need
        # an assessment) and no primary need (8610 asks it only of referrals going on to further action).
        if facts.received_on < first:
            return None
        return Episode(facts.received_on, facts.referral_source, True, None, None, None, None, None, None)
    closed = facts.closed_on if facts.closed_on and facts.closed_on <= reference else None
    if closed and closed < first:
        return None
    entered = [(stage, day) for stage, day in facts.stage_entries if day <= reference]
    started = next((day for stage, day in entered if stage == "assessment"), None)
    authorised = next((day for stage, day in entered if stage == "assessment_authorised"), None)
    assessment = None
    # An assessment (or a CIN plan) that ended before the year began is not in this year's return (rules 8696,
    # 4013); one still open at the reference date has no end date.
    if started and (authorised is None or authorised >= first):
        factors = facts.assessment_factors if authorised else ()
        assessment = Assessment(started, authorised, tuple(factors))
    plan_start = next((day for stage, day in entered if stage == "child_in_need_plan"), None)
    plan_end = None
    if plan_start:
        plan_end = next((day for stage, day in entered if stage == "child_protection" and day >= plan_start), closed)
        if plan_end and plan_end < first:
            plan_start = plan_end = None
    return Episode(facts.received_on, facts.referral_source, False, facts.primary_need, closed,
                   facts.reason_for_closure if closed else None, assessment, plan_start, plan_end)


def census_xml(year: int, la_code: str, children: Sequence[CensusChild], produced_at: dt.datetime,
               serial: int = 1, software: str = "Early help coordination", release: str = "0.1") -> bytes:
    """The CIN census message for the year ending 31 March `year` (UTF-8, with an XML declaration)."""
    _, reference = census_period(year)
    root, _source = message("CIN", year, reference, Source(la_code, produced_at, serial, software, release))
    listing = _sub(root, "Children")
    for child in children:
        _child(listing, child)
    return file_bytes(root)


def _child(parent: ET.Element, child: CensusChild) -> None:
    element = _sub(parent, "Child")
    _element(element, "ChildIdentifiers", LAchildID=child.la_child_id, UPN=IfHeld(child.upn),
             FormerUPN=IfHeld(child.former_upn), UPNunknown=IfHeld(upn_unknown(child.upn, child.upn_unknown)),
             PersonBirthDate=IfHeld(child.date_of_birth), Sex=sex(child.sex))
    characteristics = _element(element, "ChildCharacteristics", Ethnicity=ethnicity(child.ethnicity))
    codes(characteristics, "Disabilities", "Disability", child.disabilities)
    for episode in child.episodes:
        _episode(element, episode)


def _episode(parent: ET.Element, episode: Episode) -> None:
    details = _element(parent, "CINdetails", CINreferralDate=episode.referral_date,
                       ReferralSource=episode.referral_source, PrimaryNeedCode=IfHeld(episode.primary_need),
                       CINclosureDate=IfHeld(episode.closure_date),
                       ReasonForClosure=IfHeld(episode.reason_for_closure))
    if episode.assessment:
        assessment = _element(details, "Assessments", AssessmentActualStartDate=episode.assessment.started,
                              AssessmentAuthorisationDate=IfHeld(episode.assessment.authorised))
        codes(assessment, "FactorsIdentifiedAtAssessment", "AssessmentFactors", episode.assessment.factors)
    if episode.plan_start:
        _element(details, "CINPlanDates", CINPlanStartDate=episode.plan_start,
                 CINPlanEndDate=IfHeld(episode.plan_end))
    _sub(details, "ReferralNFA", episode.nfa)


def closure_reason_problem(pathway: str, reason: str | None, stages_entered: Iterable[str]) -> str | None:
    """Why `reason` cannot close a referral that entered `stages_entered`, or None. A social care referral needs
    one; RC8/RC9 only straight after an assessment (it reached the assessment stage and no child in need or
    child protection plan followed)."""
    if reason is None:
        return "Choose the reason for closure" if pathway == "social_care" else None
    if reason not in REASON_FOR_CLOSURE:
        return "Choose the reason for closure from the list"
    stages = set(stages_entered)
    if reason in CLOSED_AFTER_ASSESSMENT:
        if "assessment" not in stages:
            return f"{reason} is for a case closed after its assessment: this referral had no assessment"
        if stages & {"child_in_need_plan", "child_protection"}:
            return (f"{reason} is for a case closed straight after its assessment: after a plan, choose the "
                    "reason services ended")
    return None


def codes_problem(codes: Iterable[str], allowed: dict[str, str], what: str) -> str | None:
    """A message when any of `codes` is not one of `allowed`, else None."""
    unknown = [c for c in codes if c not in allowed]
    return f"Choose {what} from the list" if unknown else None
