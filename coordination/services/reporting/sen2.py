"""SEN2, the DfE's person-level return of EHC needs assessment requests and plans, for the January census of a
year (covering the calendar year before it), as the DfE XML, for the whole local authority, with a
pre-submission report of what is missing.

Who may run it: as the CIN census (services.reporting.returns): a manager of one of the council's own teams
(Action.RUN_RETURNS) or the command line. It decrypts the names and identifiers of every child in the return.
Every run is audited (action "export", record type "sen2": the year, the period, the counts and the file's
SHA-256; never the content).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from coordination.db import UnitOfWork
from coordination.domain import sen2, sen2_xml
from coordination.domain.actors import Actor
from coordination.domain.permissions import Action, may
from coordination.errors import NotPermitted
from coordination.models import Address, Person
from coordination.repositories import returns as returns_repo
from coordination.repositories import sen2 as repo

from ..ehc_details import recorded_items
from .returns import CHILD_MISSING, Missing, report, year_in

FIRST_SEN2_YEAR = 2015

# What the pre-submission report counts, in the order it lists them: (one, many) with {n}.
MISSING = {
    **{kind: CHILD_MISSING[kind] for kind in ("ethnicity", "sex", "date_of_birth")},
    "postcode": ("{n} child has no address recorded (no postcode)",
                 "{n} children have no address recorded (no postcode)"),
    "upn": CHILD_MISSING["upn"],
    "request_outcome": ("{n} EHC request has no request outcome", "{n} EHC requests have no request outcome"),
    "assessment_outcome": ("{n} EHC assessment has no assessment outcome",
                           "{n} EHC assessments have no assessment outcome"),
    "plan_start": ("{n} request at the final plan stage has no plan start date",
                   "{n} requests at the final plan stage have no plan start date"),
    "sen_needs": ("{n} active plan has no special educational need recorded",
                  "{n} active plans have no special educational need recorded"),
    "placement_indicators": ("{n} plan's placement has no SEN unit or resourced provision answer recorded",
                             "{n} plans' placements have no SEN unit or resourced provision answer recorded"),
    "placement_entry": ("{n} active plan has no date the child started at the placement",
                        "{n} active plans have no date the child started at the placement"),
}
# The header's items the council answers once a year (settings): (item, setting, the role it asks about).
HEADER_SETTINGS = (("DMO", "SEN2_DMO", "Designated Medical Officer"),
                   ("DCO", "SEN2_DCO", "Designated Clinical Officer"))


@dataclass
class Sen2Return:
    year: int
    first: dt.date
    last: dt.date
    reference: dt.date
    la_code: str
    xml: bytes
    sha256: str
    persons: int
    requests: int
    assessments: int
    named_plans: int
    active_plans: int
    missing: list[Missing] = field(default_factory=list)
    # Sentences: what stops the file being sent as it is (a header item not set; no Person at all).
    header_missing: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"SEN2_{self.la_code}_{self.year}.xml"

    def report(self) -> list[tuple[str, str, list[Missing]]]:
        """(kind, sentence, the items) for each kind of gap found, in MISSING's order."""
        return report(self.missing, MISSING)


def check_year(year: int | None, today: dt.date) -> int:
    """:raise Invalid: not an SEN2 year (the January census of the year after this one at the latest)."""
    return year_in(year, FIRST_SEN2_YEAR, today.year + 1, "SEN2", "the year of the January census")


def _facts(uow: UnitOfWork, item: repo.Sen2Referral) -> sen2.RequestFacts:
    exceptions = tuple((e.code, e.from_on) for e in item.exceptions)
    items = recorded_items(uow, item.details) if item.details is not None else {}
    return sen2.RequestFacts(received_on=item.referral.received_on, exceptions=exceptions, **items)


def _postcodes(uow: UnitOfWork, people: list[Person], day: dt.date) -> dict[uuid.UUID, str]:
    """Each person's postcode on `day`: their own address, else their household's."""
    own: dict[uuid.UUID, Address] = {}
    household: dict[uuid.UUID, Address] = {}
    for address in repo.addresses_on(uow.session, {p.family_id for p in people}, day):
        (own if address.person_id else household)[address.person_id or address.family_id] = address
    found = {}
    for person in people:
        held = own.get(person.id) or household.get(person.family_id)
        if held is not None:
            found[person.id] = (held.unseal(uow.keys, "postcode") or "").strip().upper()
    return found


def _person(uow: UnitOfWork, person: Person, postcode: str | None) -> sen2_xml.Sen2Person:
    dob = person.unseal(uow.keys, "date_of_birth")
    return sen2_xml.Sen2Person(
        surname=person.unseal(uow.keys, "family_name") or "", forename=person.unseal(uow.keys, "given_name") or "",
        date_of_birth=dt.date.fromisoformat(dob) if dob else None, sex=person.unseal(uow.keys, "sex"),
        ethnicity=person.unseal(uow.keys, "ethnicity"), postcode=postcode or None, upn=person.unseal(uow.keys, "upn"),
        uln=person.unseal(uow.keys, "uln"), upn_unknown=person.unseal(uow.keys, "upn_unknown"))


def _person_gaps(entry: sen2_xml.Sen2Person, person: Person) -> list[Missing]:
    lacking = (("ethnicity", not entry.ethnicity), ("sex", not entry.sex), ("date_of_birth", not entry.date_of_birth),
               ("postcode", not entry.postcode), ("upn", not entry.upn and not entry.upn_unknown))
    return [Missing(kind, person.la_child_id, person.family_id, person.id) for kind, gap in lacking if gap]


def _request_gaps(request: sen2.Request, facts: sen2.RequestFacts, stage: str) -> list[str]:
    assessment = request.assessment
    placement = assessment.plan.placement if assessment and assessment.plan else None
    return [kind for kind, gap in (
        ("request_outcome", facts.request_outcome is None),
        ("assessment_outcome", bool(assessment and facts.assessment_outcome is None)),
        ("plan_start", stage == "final_plan" and not facts.plan_start_on),
        ("sen_needs", bool(request.active and not request.active.sen_needs)),
        ("placement_indicators", bool(placement and (placement.sen_unit is None
                                                     or placement.resourced_provision is None))),
        ("placement_entry", bool(request.active and placement and placement.entry_date is None))) if gap]


NO_PERSON = ("No EHC needs assessment request or plan falls in this census, and the DfE's schema needs at least "
             "one Person: the file has none, so it cannot be sent as it is")


def _header_gaps(dmo: str | None, dco: str | None, persons: int) -> list[str]:
    given = {"DMO": dmo, "DCO": dco}
    gaps = [f"The header's {item} (whether the council has a {role} for SEND: Y, N or R) is not set: set "
            f"{setting} before sending the file" for item, setting, role in HEADER_SETTINGS if not given[item]]
    return gaps if persons else [NO_PERSON, *gaps]


def sen2_return(uow: UnitOfWork, actor: Actor, year: int | None, la_code: str, *, report_only: bool = False,
                dmo: str | None = None, dco: str | None = None) -> Sen2Return:
    """SEN2 for the January `year` census: the XML, its counts and what is missing. Audited as an export (the
    file leaves the service), or with `report_only` as a read of the pre-submission report. `dmo` and `dco` are
    the header's answers (settings SEN2_DMO, SEN2_DCO).

    :raise NotPermitted: the actor may not run the returns.  :raise Invalid: not an SEN2 year.
    """
    if not may(actor, Action.RUN_RETURNS):
        raise NotPermitted("Only managers of the council's teams can run the statutory returns")
    year = check_year(year, uow.today())
    first, last, reference = sen2.sen2_period(year)
    items = repo.ehc_requests(uow.session, last)
    people = {p.id: p for p in returns_repo.people(uow.session, {i.referral.child_id for i in items})}
    postcodes = _postcodes(uow, list(people.values()), reference)
    persons: dict[uuid.UUID, sen2_xml.Sen2Person] = {}
    missing: list[Missing] = []
    for item in items:
        facts = _facts(uow, item)
        request = sen2.request_as_at(facts, year)
        if request is None:
            continue
        person = people[item.referral.child_id]
        if person.id not in persons:
            persons[person.id] = _person(uow, person, postcodes.get(person.id))
            missing.extend(_person_gaps(persons[person.id], person))
        persons[person.id].requests.append(request)
        missing.extend(Missing(kind, person.la_child_id, person.family_id, person.id, item.referral.id)
                       for kind in _request_gaps(request, facts, item.referral.stage))
    ordered = [persons[pid] for pid in sorted(persons, key=lambda pid: people[pid].la_child_id)]
    xml = sen2_xml.sen2_xml(year, la_code, ordered, uow.now().astimezone(dt.UTC), dmo=dmo, dco=dco)
    requests = [r for p in ordered for r in p.requests]
    result = Sen2Return(
        year=year, first=first, last=last, reference=reference, la_code=la_code, xml=xml,
        sha256=hashlib.sha256(xml).hexdigest(), persons=len(ordered), requests=len(requests),
        assessments=sum(1 for r in requests if r.assessment),
        named_plans=sum(1 for r in requests if r.assessment and r.assessment.plan),
        active_plans=sum(1 for r in requests if r.active), missing=missing,
        header_missing=_header_gaps(dmo, dco, len(ordered)))
    uow.audit(actor, "read" if report_only else "export", "sen2_report" if report_only else "sen2", None,
              year=year, first=first.isoformat(), last=last.isoformat(), reference=reference.isoformat(),
              la_code=la_code, persons=result.persons, requests=result.requests, assessments=result.assessments,
              named_plans=result.named_plans, active_plans=result.active_plans, sha256=result.sha256)
    return result
