"""SEN2 for the January 2027 census (calendar year 2026; reference date Thursday 21 January 2027) on a hand-built
set, checked item by item.

Ash:  a1 requested Nov 2025, decided to assess Dec 2025 (before the year: H), plan to be issued March 2026 with
      a reg 10(4)(c) exception (Week20 true), issued 20 March 2026 at school 100001 (there since September 2023,
      in its resourced provision, not its SEN unit), ASD then SLCN, reviewed in December 2026; ceased 1 February
      2027 — after the reference date, so still active, no cease date.
      a2 requested October 2026, not decided yet (A). One Person, two Requests across two years.
Bay:  b1 requested Feb 2026, assessed, decided not to issue a plan (N, Week20 false); mediation yes, tribunal no.
      No ethnicity recorded: sent as NOBT and named in the pre-submission report. No address: no PostCode.
Cove: c1 requested Aug 2026, nothing recorded: RequestOutcome A, named in the pre-submission report.
Eve:  e1 plan issued Sept 2026 in elective home education (EHE), ceased 1 Dec 2026 (reason 7): a NamedPlan with
      its cease date and no ActivePlans.
Fay:  f1 decided to assess Oct 2026; the decision to issue came on 25 January 2027, after the reference date:
      AssessmentOutcome A, no date, no Week20, no plan.
Dale: a plan ceased in 2025 and a request received in January 2027: not in this return at all.
Also a social care referral for Ash (not SEN2's).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output
from pathlib import Path

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain.identifiers import upn_check_letter
from coordination.domain.sen2_xml import ITEMS
from coordination.errors import Invalid, NotPermitted
from coordination.models import Address, EhcDetails, Person, Referral, ReferralException
from coordination.services import census_details
from coordination.services.families import NewPerson, create_family
from coordination.services.reporting import sen2 as service

from ..conftest import actor_of
from ..factories import AgencyFactory, UserFactory

D = dt.date


def _at(day):
    return dt.datetime(day.year, day.month, day.day, 11, tzinfo=dt.UTC)


UPN = upn_check_letter("801200002001") + "801200002001"


@pytest.fixture
def sen2_set(uow, practitioner, early_help):
    actor = actor_of(practitioner)
    made = {}
    for key, name, dob, upn in (("ash", "Ash", D(2012, 6, 1), UPN), ("bay", "Bay", D(2019, 5, 1), None),
                                ("cove", "Cove", D(2016, 1, 15), None), ("eve", "Eve", D(2014, 2, 2), None),
                                ("fay", "Fay", D(2015, 3, 3), None), ("dale", "Dale", D(2008, 3, 3), None)):
        made[key] = create_family(uow, actor, [NewPerson("child", name, "Sentest", dob, upn=upn)], confirm_new=True)
    uow.commit()
    for key, details in (("ash", {"sex": "M", "ethnicity": "WBRI"}), ("bay", {"sex": "F", "upn_unknown": "UN1"}),
                         ("cove", {"sex": "F", "ethnicity": "BAFR", "upn_unknown": "UN2"}),
                         ("eve", {"sex": "F", "ethnicity": "MWAS", "upn_unknown": "UN2"}),
                         ("fay", {"sex": "M", "ethnicity": "AIND", "upn_unknown": "UN2"}),
                         ("dale", {"sex": "M", "ethnicity": "WOTH", "upn_unknown": "UN2"})):
        census_details.update_child_census(uow, actor, made[key].children[0].id, **details)
    ash = uow.session.get(Person, made["ash"].children[0].id)
    ash.seal(uow.keys, "uln", "1234567890")
    for key in ("ash", "cove", "eve", "fay", "dale"):
        family = made[key]
        address = Address(family_id=family.id, moved_in_on=D(2020, 1, 1), created_at=_at(D(2020, 1, 1)))
        for name, value in (("line_1", "1 Fictional Row"), ("town", "Eastmere"), ("postcode", "ZZ99 3AB")):
            address.seal(uow.keys, name, value)
        uow.session.add(address)
    uow.commit()
    send = AgencyFactory(name="Eastmere SEND Service", type="send_service")

    def request(key, received, pathway="ehc_needs_assessment", exceptions=(), **details):
        family = made[key]
        ref = Referral(family_id=family.id, child_id=family.children[0].id, pathway=pathway,
                       from_agency_id=early_help.id, to_agency_id=send.id, urgency="routine", status="received",
                       stage="request", received_on=received, received_at=_at(received),
                       owning_agency_id=family.owning_agency_id)
        uow.session.add(ref)
        uow.session.flush()
        for code, began in exceptions:
            uow.session.add(ReferralException(referral_id=ref.id, code=code, from_on=began, created_at=_at(began)))
        if details:
            row = EhcDetails(referral_id=ref.id, created_at=_at(received))
            for name in ("placement_urn", "sen_needs"):
                if name in details:
                    row.seal(uow.keys, name, details.pop(name))
            for name, value in details.items():
                setattr(row, name, value)
            uow.session.add(row)
        return ref

    refs = {
        "a1": request("ash", D(2025, 11, 3), exceptions=[("10_4_c", D(2026, 1, 5))], request_outcome="Y",
                      request_outcome_on=D(2025, 12, 12), request_mediation=False, assessment_outcome="Y",
                      assessment_outcome_on=D(2026, 3, 2), plan_start_on=D(2026, 3, 20), placement_urn="100001",
                      placement_rank=1, sen_unit=False, resourced_provision=True, placement_entry_on=D(2023, 9, 1),
                      sen_needs="ASD,SLCN", review_meeting_on=D(2026, 12, 1), review_outcome="M",
                      last_review_on=D(2026, 12, 10), plan_ceased_on=D(2027, 2, 1), cease_reason="5"),
        "a2": request("ash", D(2026, 10, 5), request_outcome="A", request_by_young_person=False),
        "b1": request("bay", D(2026, 2, 2), request_outcome="Y", request_outcome_on=D(2026, 3, 10),
                      request_mediation=True, request_tribunal=False, assessment_outcome="N",
                      assessment_outcome_on=D(2026, 6, 1)),
        "c1": request("cove", D(2026, 8, 3)),
        "e1": request("eve", D(2026, 4, 1), request_outcome="Y", request_outcome_on=D(2026, 5, 1),
                      assessment_outcome="Y", assessment_outcome_on=D(2026, 8, 20), plan_start_on=D(2026, 9, 1),
                      sen_setting="EHE", placement_rank=1, sen_unit=False, resourced_provision=False,
                      placement_entry_on=D(2026, 9, 1), plan_ceased_on=D(2026, 12, 1), cease_reason="7"),
        "f1": request("fay", D(2026, 9, 1), request_outcome="Y", request_outcome_on=D(2026, 10, 1),
                      assessment_outcome="Y", assessment_outcome_on=D(2027, 1, 25), plan_start_on=D(2027, 2, 1),
                      placement_urn="100002", placement_rank=1, sen_needs="MLD"),
        "d1": request("dale", D(2024, 1, 15), request_outcome="Y", request_outcome_on=D(2024, 2, 20),
                      assessment_outcome="Y", assessment_outcome_on=D(2024, 5, 1), plan_start_on=D(2024, 6, 1),
                      placement_urn="100003", placement_rank=1, sen_needs="PD", plan_ceased_on=D(2025, 8, 1),
                      cease_reason="2"),
        "d2": request("dale", D(2027, 1, 6)),
        "sc": request("ash", D(2026, 5, 5), pathway="social_care"),
    }
    uow.commit()
    return {**made, **refs}


def _items(element: ET.Element, path: str = "") -> list[tuple[str, str]]:
    """Every leaf of `element` as (path, text), in document order."""
    out = []
    for sub in element:
        where = f"{path}/{sub.tag}"
        out.extend(_items(sub, where) if len(sub) else [(where, (sub.text or "").strip())])
    return out


def _persons(root):
    return {p.findtext("Forename"): p for p in root.iter("Person")}


def test_sen2_is_the_state_at_the_reference_date_item_by_item(uow, manager, sen2_set):
    uow.now = lambda: dt.datetime(2027, 1, 28, 9, 30, tzinfo=dt.UTC)
    result = service.sen2_return(uow, actor_of(manager), 2027, "999", dmo="Y", dco="R")
    uow.commit()
    root = ET.fromstring(result.xml)  # noqa: S314 - our own output
    assert _items(root.find("Header")) == [
        ("/CollectionDetails/Collection", "SEN2"), ("/CollectionDetails/Year", "2027"),
        ("/CollectionDetails/ReferenceDate", "2027-01-21"), ("/Source/SourceLevel", "L"), ("/Source/LEA", "999"),
        ("/Source/SoftwareCode", "Early help coordination"), ("/Source/Release", "0.1"), ("/Source/SerialNo", "001"),
        ("/Source/DateTime", "2027-01-28T09:30:00"), ("/Source/DMO", "Y"), ("/Source/DCO", "R"),
    ]
    persons = _persons(root)
    assert set(persons) == {"Ash", "Bay", "Cove", "Eve", "Fay"}  # Dale's plan ended in 2025; d2 is 2027's
    assert _items(persons["Ash"]) == [
        ("/Surname", "Sentest"), ("/Forename", "Ash"), ("/PersonBirthDate", "2012-06-01"), ("/Sex", "M"),
        ("/Ethnicity", "WBRI"), ("/PostCode", "ZZ99 3AB"), ("/UPN", UPN), ("/UniqueLearnerNumber", "1234567890"),
        # a1: decided to assess before 2026 (H); the plan ceased after the reference date: still active.
        ("/Requests/ReceivedDate", "2025-11-03"), ("/Requests/RequestOutcomeDate", "2025-12-12"),
        ("/Requests/RequestOutcome", "H"), ("/Requests/RequestMediation", "false"),
        ("/Requests/Assessment/AssessmentOutcome", "Y"), ("/Requests/Assessment/AssessmentOutcomeDate", "2026-03-02"),
        ("/Requests/Assessment/Week20", "true"), ("/Requests/Assessment/NamedPlan/StartDate", "2026-03-20"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/URN", "100001"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/PlacementRank", "1"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/SENunitIndicator", "false"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/ResourcedProvisionIndicator", "true"),
        ("/Requests/ActivePlans/PlacementDetail/URN", "100001"),
        ("/Requests/ActivePlans/PlacementDetail/PlacementRank", "1"),
        ("/Requests/ActivePlans/PlacementDetail/EntryDate", "2023-09-01"),
        ("/Requests/ActivePlans/PlacementDetail/SENunitIndicator", "false"),
        ("/Requests/ActivePlans/PlacementDetail/ResourcedProvisionIndicator", "true"),
        ("/Requests/ActivePlans/SENneed/SENtype", "ASD"), ("/Requests/ActivePlans/SENneed/SENtypeRank", "1"),
        ("/Requests/ActivePlans/SENneed/SENtype", "SLCN"), ("/Requests/ActivePlans/SENneed/SENtypeRank", "2"),
        ("/Requests/ActivePlans/ReviewMeeting", "2026-12-01"), ("/Requests/ActivePlans/ReviewOutcome", "M"),
        ("/Requests/ActivePlans/LastReview", "2026-12-10"),
        # a2: not decided yet.
        ("/Requests/ReceivedDate", "2026-10-05"), ("/Requests/RYA", "false"), ("/Requests/RequestOutcome", "A"),
    ]
    assert len(persons["Ash"].findall("Requests")) == 2
    assert _items(persons["Bay"]) == [
        ("/Surname", "Sentest"), ("/Forename", "Bay"), ("/PersonBirthDate", "2019-05-01"), ("/Sex", "F"),
        ("/Ethnicity", "NOBT"), ("/UPNunknown", "UN1"),
        ("/Requests/ReceivedDate", "2026-02-02"), ("/Requests/RequestOutcomeDate", "2026-03-10"),
        ("/Requests/RequestOutcome", "Y"), ("/Requests/RequestMediation", "true"),
        ("/Requests/RequestTribunal", "false"), ("/Requests/Assessment/AssessmentOutcome", "N"),
        ("/Requests/Assessment/AssessmentOutcomeDate", "2026-06-01"), ("/Requests/Assessment/Week20", "false"),
    ]
    assert _items(persons["Cove"])[6:] == [("/UPNunknown", "UN2"), ("/Requests/ReceivedDate", "2026-08-03"),
                                           ("/Requests/RequestOutcome", "A")]
    assert _items(persons["Eve"])[7:] == [
        ("/Requests/ReceivedDate", "2026-04-01"), ("/Requests/RequestOutcomeDate", "2026-05-01"),
        ("/Requests/RequestOutcome", "Y"), ("/Requests/Assessment/AssessmentOutcome", "Y"),
        ("/Requests/Assessment/AssessmentOutcomeDate", "2026-08-20"), ("/Requests/Assessment/Week20", "false"),
        ("/Requests/Assessment/NamedPlan/StartDate", "2026-09-01"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/SENSetting", "EHE"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/PlacementRank", "1"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/SENunitIndicator", "false"),
        ("/Requests/Assessment/NamedPlan/PlanDetail/ResourcedProvisionIndicator", "false"),
        ("/Requests/Assessment/NamedPlan/CeaseDate", "2026-12-01"), ("/Requests/Assessment/NamedPlan/CeaseReason", "7"),
    ]
    assert _items(persons["Fay"])[7:] == [
        ("/Requests/ReceivedDate", "2026-09-01"), ("/Requests/RequestOutcomeDate", "2026-10-01"),
        ("/Requests/RequestOutcome", "Y"), ("/Requests/Assessment/AssessmentOutcome", "A"),
    ]
    assert (result.persons, result.requests, result.assessments, result.named_plans, result.active_plans) == (
        5, 6, 4, 2, 1)
    assert result.header_missing == []
    assert [(kind, sentence) for kind, sentence, _ in result.report()] == [
        ("ethnicity", "1 child has no ethnicity recorded (sent as NOBT, not yet obtained)"),
        ("postcode", "1 child has no address recorded (no postcode)"),
        ("request_outcome", "1 EHC request has no request outcome"),
    ]
    (gap,) = result.report()[2][2]
    assert gap.referral_id == sen2_set["c1"].id


def test_the_year_before_has_dales_plan_and_none_of_this_years_requests(uow, manager, sen2_set):
    result = service.sen2_return(uow, actor_of(manager), 2026, "999")
    root = ET.fromstring(result.xml)  # noqa: S314
    persons = _persons(root)
    assert set(persons) == {"Ash", "Dale"}
    assert persons["Ash"].findtext("Requests/RequestOutcome") == "Y"  # decided 12 Dec 2025, in that year
    assert persons["Ash"].findtext("Requests/Assessment/AssessmentOutcome") == "A"  # decided March 2026
    assert persons["Dale"].findtext("Requests/Assessment/NamedPlan/CeaseDate") == "2025-08-01"
    assert persons["Dale"].find("Requests/ActivePlans") is None


def test_the_return_is_audited_with_its_digest_and_counts_never_its_content(uow, manager, sen2_set):
    result = service.sen2_return(uow, actor_of(manager), 2027, "999")
    uow.commit()
    event = uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "sen2")).scalar_one()
    assert event.action == "export" and event.details["sha256"] == result.sha256 and len(result.sha256) == 64
    assert {k: event.details[k] for k in ("year", "first", "last", "reference", "persons", "requests")} == {
        "year": 2027, "first": "2026-01-01", "last": "2026-12-31", "reference": "2027-01-21", "persons": 5,
        "requests": 6}
    assert "Sentest" not in str(event.details) and UPN not in str(event.details)


def test_only_managers_of_the_councils_teams_run_sen2(uow, practitioner, manager, sen2_set):
    with pytest.raises(NotPermitted):
        service.sen2_return(uow, actor_of(practitioner), 2027, "999")
    send_manager = UserFactory(agency=AgencyFactory(name="Hilltop School", type="school"), role="manager",
                               email="sam.school@example.org")
    with pytest.raises(NotPermitted):
        service.sen2_return(uow, actor_of(send_manager), 2027, "999")
    with pytest.raises(Invalid):
        service.sen2_return(uow, actor_of(manager), 2014, "999")
    with pytest.raises(Invalid):
        service.sen2_return(uow, actor_of(manager), uow.today().year + 2, "999")


def test_the_command_line_writes_the_file_and_prints_its_counts_and_digest(app, sen2_set, tmp_path):
    out = tmp_path / "sen2.xml"
    result = app.test_cli_runner().invoke(args=["returns", "sen2", "--year", "2027", "--output", str(out)])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"sha256: {digest}" in result.output
    assert "persons: 5" in result.output and "requests: 6" in result.output and "active plans: 1" in result.output
    assert "missing: 1 EHC request has no request outcome" in result.output
    assert ET.fromstring(out.read_bytes()).findtext("Header/CollectionDetails/ReferenceDate") == "2027-01-21"  # noqa: S314
    bad = app.test_cli_runner().invoke(args=["returns", "sen2", "--year", "2014", "--output", str(out)])
    assert bad.exit_code == 2 and "Enter the year of the January census" in bad.output


def test_the_items_are_documented_with_their_sources():
    text = (Path(__file__).parents[2] / "docs" / "exports.md").read_text()
    for path, source in ITEMS:
        assert f"| `{path}` | {source} |" in text, path


def test_the_demo_boroughs_sen2_has_content_and_a_second_seed_adds_nothing(uow, settings):
    """Seeded as on 4 December 2026, the demo borough's SEN2 for January 2027: requests, assessments and plans
    (each recorded through the service, so keeping the rules), and only the gaps the demo leaves in the report."""
    from coordination import demo
    from coordination.demo import sen2 as demo_sen2
    from coordination.domain.actors import Actor

    uow.now = lambda: dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
    cli = Actor.system("cli")
    demo.seed(uow, cli, settings, families=30, password="demo-password-for-tests", say=lambda _m: None)
    result = service.sen2_return(uow, cli, 2027, settings.la_code)
    # The history is random (keyed on each family's random reference): how many requests got how far varies.
    assert result.requests >= 1 and result.requests >= result.assessments >= result.named_plans
    root = ET.fromstring(result.xml)  # noqa: S314
    assert {r.findtext("RequestOutcome") for r in root.iter("Requests")} <= {"Y", "A"}
    assert all(a.findtext("Week20") in ("true", "false", None) for a in root.iter("Assessment"))
    assert {kind for kind, _, _ in result.report()} <= {"ethnicity", "sen_needs"}
    assert demo_sen2.seed_sen2(uow, cli) == 0


def test_a_census_with_no_request_or_plan_says_its_file_cannot_be_sent(uow, manager, sen2_set):
    """The schema needs at least one Person: an empty year's file is written (so the counts can be seen) but the
    report says it cannot be sent as it is, first."""
    result = service.sen2_return(uow, actor_of(manager), 2016, "999", dmo="Y", dco="N")
    assert result.persons == 0
    assert ET.fromstring(result.xml).find("Persons/Person") is None  # noqa: S314
    assert result.header_missing == [service.NO_PERSON]


def test_the_report_lists_plans_without_their_placement_items_and_an_unset_header(uow, manager, sen2_set):
    """a1's placement without its SEN unit answer and entry date: the XML leaves them out (nothing invented) and
    the pre-submission report names the plan; DMO and DCO not set: left out and said."""
    row = uow.session.execute(select(EhcDetails).where(EhcDetails.referral_id == sen2_set["a1"].id)).scalar_one()
    row.sen_unit, row.placement_entry_on = None, None
    uow.commit()
    result = service.sen2_return(uow, actor_of(manager), 2027, "999")
    root = ET.fromstring(result.xml)  # noqa: S314
    assert root.find("Header/Source/DMO") is None and root.find("Header/Source/DCO") is None
    assert [s.split(" (")[0] for s in result.header_missing] == ["The header's DMO", "The header's DCO"]
    ash = _persons(root)["Ash"]
    assert ash.find("Requests/Assessment/NamedPlan/PlanDetail/SENunitIndicator") is None
    assert ash.find("Requests/ActivePlans/PlacementDetail/EntryDate") is None
    report = {kind: (sentence, [m.referral_id for m in items]) for kind, sentence, items in result.report()}
    assert report["placement_indicators"] == (
        "1 plan's placement has no SEN unit or resourced provision answer recorded", [sen2_set["a1"].id])
    assert report["placement_entry"] == ("1 active plan has no date the child started at the placement",
                                         [sen2_set["a1"].id])
