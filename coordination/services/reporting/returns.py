"""The statutory returns a council submits to the DfE: the Children in Need census for a census year, as the DfE
XML, for the whole local authority (every child its teams hold), with a pre-submission report of what is missing.

Who may run it: a manager of one of the council's own teams (domain.permissions.Action.RUN_RETURNS), or the
command line (a system actor). It decrypts the identifiers of every child in the return. Every run is audited
(action "export", record type "cin_census": the year, the period, the counts and the file's SHA-256; never the
content).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain import cin_census as census
from coordination.domain.actors import Actor
from coordination.domain.calendar import england_date
from coordination.domain.permissions import Action, may
from coordination.errors import Invalid, NotPermitted
from coordination.models import Person
from coordination.repositories import returns as repo

FIRST_CENSUS_YEAR = 2010


@dataclass(frozen=True)
class Missing:
    """One thing the return lacks, and where to record it."""

    kind: str  # a key of MISSING
    la_child_id: str
    family_id: uuid.UUID
    person_id: uuid.UUID
    referral_id: uuid.UUID | None = None


# What a pre-submission report says of a child's identifiers missing, in either return: (one, many) with {n}.
CHILD_MISSING = {
    "ethnicity": ("{n} child has no ethnicity recorded (sent as NOBT, not yet obtained)",
                  "{n} children have no ethnicity recorded (sent as NOBT, not yet obtained)"),
    "sex": ("{n} child has no sex recorded (sent as U)", "{n} children have no sex recorded (sent as U)"),
    "date_of_birth": ("{n} child has no date of birth recorded", "{n} children have no date of birth recorded"),
    "upn": ("{n} child has neither a UPN nor a reason it is not known",
            "{n} children have neither a UPN nor a reason it is not known"),
}
# What the pre-submission report counts, in the order it lists them: (one, many) with {n}.
MISSING = {
    **CHILD_MISSING,
    "disabilities": ("{n} child has no disability recorded (not even NONE)",
                     "{n} children have no disability recorded (not even NONE)"),
    "primary_need": ("{n} referral going on to further action has no primary need",
                     "{n} referrals going on to further action have no primary need"),
    "reason_for_closure": ("{n} closed referral has no reason for closure",
                           "{n} closed referrals have no reason for closure"),
    "assessment_factors": ("{n} authorised assessment has no factors identified",
                           "{n} authorised assessments have no factors identified"),
}


@dataclass
class CensusReturn:
    year: int
    first: dt.date
    reference: dt.date
    la_code: str
    xml: bytes
    sha256: str
    children: int
    episodes: int
    assessments: int
    nfa: int
    missing: list[Missing] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"CIN_census_{self.la_code}_{self.year}.xml"

    def report(self) -> list[tuple[str, str, list[Missing]]]:
        """(kind, sentence, the items) for each kind of gap found, in MISSING's order."""
        return report(self.missing, MISSING)


def report(missing: list[Missing], sentences: dict[str, tuple[str, str]]) -> list[tuple[str, str, list[Missing]]]:
    """A return's pre-submission report: (kind, sentence, the items) for each kind of gap found, in the order of
    `sentences` (kind → (one, many) with {n})."""
    grouped: dict[str, list[Missing]] = defaultdict(list)
    for item in missing:
        grouped[item.kind].append(item)
    lines = []
    for kind, (one, many) in sentences.items():
        if items := grouped.get(kind):
            lines.append((kind, (one if len(items) == 1 else many).format(n=len(items)), items))
    return lines


def year_in(year: int | None, first: int, latest: int, what: str, asks: str) -> int:
    """`year` when from `first` to `latest`. :raise Invalid: not (`what`: "census"; `asks`: what the year is)."""
    if year is None or not first <= year <= latest:
        raise Invalid(f"Check the {what} year", {"year": [f"Enter {asks}, from {first} to {latest}, like {latest}"]})
    return year


def check_year(year: int | None, today: dt.date) -> int:
    """:raise Invalid: not a census year that has begun."""
    return year_in(year, FIRST_CENSUS_YEAR, today.year + 1 if today.month >= 4 else today.year, "census",
                   "the year the census ends in")


def _facts(uow: UnitOfWork, item: repo.CensusReferral) -> census.ReferralFacts:
    ref = item.referral
    source = (item.from_agency_source
              or census.REFERRAL_SOURCE_BY_AGENCY_TYPE.get(item.from_agency_type or "", "10"))
    entries = tuple((e.kind.removeprefix("entered:"), england_date(e.occurred_at)) for e in item.events
                    if e.kind.startswith("entered:"))
    declined = ref.referral_nfa if ref.referral_nfa is not None else ref.decision == "decline"
    return census.ReferralFacts(
        received_on=ref.received_on, referral_source=source,
        decided_on=england_date(ref.decided_at) if ref.decided_at else None, declined=bool(declined),
        stage_entries=entries, closed_on=england_date(ref.closed_at) if ref.closed_at else None,
        primary_need=ref.primary_need, reason_for_closure=ref.reason_for_closure,
        assessment_factors=ref.unseal_codes(uow.keys, "assessment_factors"))


def census_child(uow: UnitOfWork, person: Person) -> census.CensusChild:
    dob = person.unseal(uow.keys, "date_of_birth")
    return census.CensusChild(
        la_child_id=person.la_child_id, sex=person.unseal(uow.keys, "sex"),
        ethnicity=person.unseal(uow.keys, "ethnicity"), date_of_birth=dt.date.fromisoformat(dob) if dob else None,
        upn=person.unseal(uow.keys, "upn"), former_upn=person.unseal(uow.keys, "former_upn"),
        upn_unknown=person.unseal(uow.keys, "upn_unknown"),
        disabilities=person.unseal_codes(uow.keys, "disabilities"))


def _missing_about(child: census.CensusChild, person: Person) -> list[Missing]:
    def gap(kind: str) -> Missing:
        return Missing(kind, child.la_child_id, person.family_id, person.id)
    gaps = []
    if not child.ethnicity:
        gaps.append(gap("ethnicity"))
    if not child.sex:
        gaps.append(gap("sex"))
    if not child.date_of_birth:
        gaps.append(gap("date_of_birth"))
    if not child.upn and not child.upn_unknown:
        gaps.append(gap("upn"))
    if not child.disabilities:
        gaps.append(gap("disabilities"))
    return gaps


def cin_census(uow: UnitOfWork, actor: Actor, year: int | None, la_code: str, *, report_only: bool = False
               ) -> CensusReturn:
    """The CIN census for the year ending 31 March `year`: the XML, its counts and what is missing. Audited as an
    export (the file leaves the service), or with `report_only` as a read of the pre-submission report.

    :raise NotPermitted: the actor may not run the returns.  :raise Invalid: not a census year.
    """
    if not may(actor, Action.RUN_RETURNS):
        raise NotPermitted("Only managers of the council's teams can run the statutory returns")
    year = check_year(year, uow.today())
    first, reference = census.census_period(year)
    referrals = repo.social_care_referrals(uow.session, first, reference)
    people = {p.id: p for p in repo.people(uow.session, {r.referral.child_id for r in referrals})}
    children: dict[uuid.UUID, census.CensusChild] = {}
    missing: list[Missing] = []
    for item in referrals:
        episode = census.episode_as_at(_facts(uow, item), first, reference)
        if episode is None:
            continue
        person = people[item.referral.child_id]
        if person.id not in children:
            children[person.id] = census_child(uow, person)
            missing.extend(_missing_about(children[person.id], person))
        child = children[person.id]
        child.episodes.append(episode)

        gaps = [kind for kind, lacking in (
            ("primary_need", not episode.nfa and not episode.primary_need),
            ("reason_for_closure", bool(episode.closure_date and not episode.reason_for_closure)),
            ("assessment_factors", bool(episode.assessment and episode.assessment.authorised
                                        and not episode.assessment.factors))) if lacking]
        missing.extend(Missing(kind, child.la_child_id, person.family_id, person.id, item.referral.id)
                       for kind in gaps)
    ordered = sorted(children.values(), key=lambda c: c.la_child_id)
    xml = census.census_xml(year, la_code, ordered, uow.now().astimezone(dt.UTC))
    episodes = [e for c in ordered for e in c.episodes]
    result = CensusReturn(
        year=year, first=first, reference=reference, la_code=la_code, xml=xml,
        sha256=hashlib.sha256(xml).hexdigest(), children=len(ordered), episodes=len(episodes),
        assessments=sum(1 for e in episodes if e.assessment), nfa=sum(1 for e in episodes if e.nfa),
        missing=missing)
    uow.audit(actor, "read" if report_only else "export", "cin_census_report" if report_only else "cin_census",
              None, year=year, first=first.isoformat(), last=reference.isoformat(),
              la_code=la_code, children=result.children, episodes=result.episodes,
              assessments=result.assessments, nfa=result.nfa, sha256=result.sha256)
    return result
