"""The CIN census for the year ending 31 March 2026 (1 April 2025 – 31 March 2026) on a hand-built set, checked item
by item and run through the DfE-aligned validator (csc-validator-be-cin, ruleset cin2025_26).

Ash:   a1 referred Nov 2024 by early help (5D), assessed and on a CIN plan in 2024, closed 30 May 2025 (RC7): in the
       return with its plan, without the assessment authorised before the year;  a2 from a school, declined
       (NFA) Sept 2025;  a3 from the police Jan 2026, assessed, closed RC9 in Feb 2026. One Child, three CINdetails.
Bay:   b1 from the health visiting team (3B), assessed, on a CIN plan, closed 15 April 2026 — after the reference
       date, so open in this return (no closure date, plan still open). No UPN: UN1, under school age.
Cove:  c1 from a voluntary group in March 2026, declined in April 2026 (after the reference date): open and not
       NFA here. No ethnicity recorded: sent as NOBT and named in the pre-submission report.
Dale:  an NFA referral of 2024 and a referral closed in March 2025: not in this year's return at all.
Also an early help referral for Ash (not the census's) and nothing from another pathway.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.domain.identifiers import upn_check_letter
from coordination.errors import Invalid, NotPermitted
from coordination.models import Person, Referral, ReferralEvent
from coordination.services import census_details
from coordination.services.families import NewPerson, create_family
from coordination.services.reporting import returns

from ..cin_validator_support import validator_issues
from ..conftest import actor_of
from ..factories import AgencyFactory, UserFactory

D = dt.date


def _at(day):
    return dt.datetime(day.year, day.month, day.day, 11, tzinfo=dt.UTC)


def _upn(body):
    return upn_check_letter(body) + body


@pytest.fixture
def census_set(uow, practitioner, early_help):
    actor = actor_of(practitioner)
    ash = create_family(
        uow, actor, [NewPerson("child", "Ash", "Testfamily", D(2014, 6, 1), upn=_upn("801200001001"))], confirm_new=True
    )
    bay = create_family(uow, actor, [NewPerson("child", "Bay", "Testfamily", D(2022, 5, 1))], confirm_new=True)
    cove = create_family(
        uow,
        actor,
        [NewPerson("child", "Cove", "Testfamily", D(2012, 1, 15), upn=_upn("801200001003"))],
        confirm_new=True,
    )
    dale = create_family(
        uow,
        actor,
        [NewPerson("child", "Dale", "Testfamily", D(2011, 3, 3), upn=_upn("801200001004"))],
        confirm_new=True,
    )
    uow.commit()
    for family, details in (
        (ash, {"sex": "M", "ethnicity": "WBRI", "disabilities": ["NONE"]}),
        (bay, {"sex": "F", "ethnicity": "BAFR", "disabilities": ["COMM", "LD"], "upn_unknown": "UN1"}),
        (cove, {"sex": "F", "disabilities": ["NONE"]}),
        (dale, {"sex": "M", "ethnicity": "WOTH", "disabilities": ["NONE"]}),
    ):
        census_details.update_child_census(uow, actor, family.children[0].id, **details)
    uow.commit()
    social_care = AgencyFactory(name="Eastmere Children's Social Care", type="social_care")
    school = AgencyFactory(name="Eastmere Primary", type="school")
    police = AgencyFactory(name="Eastmere Police", type="police")
    voluntary = AgencyFactory(name="Eastmere Family Action", type="voluntary")
    health_visiting = AgencyFactory(name="Eastmere Health Visiting", type="health", census_referral_source="3B")

    def referral(
        family,
        received,
        sender,
        *,
        decision=None,
        decided=None,
        stages=(),
        closed=None,
        reason=None,
        need=None,
        factors=(),
        pathway="social_care",
    ):
        ref = Referral(
            family_id=family.id,
            child_id=family.children[0].id,
            pathway=pathway,
            from_agency_id=sender.id,
            to_agency_id=social_care.id,
            urgency="routine",
            status="closed" if closed else "received",
            stage="referral",
            received_on=received,
            received_at=_at(received),
            decision=decision,
            decided_at=_at(decided) if decided else None,
            referral_nfa=None if decision is None else decision == "decline",
            closed_at=_at(closed) if closed else None,
            reason_for_closure=reason,
            primary_need=need,
            owning_agency_id=family.owning_agency_id,
        )
        uow.session.add(ref)
        uow.session.flush()
        ref.seal(uow.keys, "assessment_factors", ",".join(factors) or None)
        for kind, day in (("received", received), *((f"entered:{s}", d) for s, d in stages)):
            uow.session.add(ReferralEvent(referral_id=ref.id, kind=kind, occurred_at=_at(day)))
        return ref

    refs = {
        "a1": referral(
            ash,
            D(2024, 11, 4),
            early_help,
            decision="accept",
            decided=D(2024, 11, 4),
            stages=[
                ("assessment", D(2024, 11, 5)),
                ("assessment_authorised", D(2024, 12, 16)),
                ("child_in_need_plan", D(2024, 12, 20)),
            ],
            closed=D(2025, 5, 30),
            reason="RC7",
            need="N4",
            factors=("4B", "3B"),
        ),
        "a2": referral(ash, D(2025, 9, 1), school, decision="decline", decided=D(2025, 9, 1)),
        "a3": referral(
            ash,
            D(2026, 1, 12),
            police,
            decision="accept",
            decided=D(2026, 1, 12),
            stages=[("assessment", D(2026, 1, 13)), ("assessment_authorised", D(2026, 2, 20))],
            closed=D(2026, 2, 27),
            reason="RC9",
            need="N1",
            factors=("16A", "4B"),
        ),
        "b1": referral(
            bay,
            D(2025, 6, 2),
            health_visiting,
            decision="accept",
            decided=D(2025, 6, 2),
            stages=[
                ("assessment", D(2025, 6, 3)),
                ("assessment_authorised", D(2025, 7, 14)),
                ("child_in_need_plan", D(2025, 7, 21)),
            ],
            closed=D(2026, 4, 15),
            reason="RC7",
            need="N2",
            factors=("6A",),
        ),
        "c1": referral(cove, D(2026, 3, 2), voluntary, decision="decline", decided=D(2026, 4, 2), need="N5"),
        "d1": referral(dale, D(2024, 10, 1), school, decision="decline", decided=D(2024, 10, 1)),
        "d2": referral(
            dale,
            D(2024, 12, 1),
            police,
            decision="accept",
            decided=D(2024, 12, 1),
            stages=[("assessment", D(2024, 12, 2)), ("assessment_authorised", D(2025, 1, 10))],
            closed=D(2025, 3, 20),
            reason="RC8",
            need="N5",
            factors=("21",),
        ),
        "eh": referral(ash, D(2025, 10, 1), school, pathway="early_help"),
    }
    uow.commit()
    return {"ash": ash, "bay": bay, "cove": cove, "dale": dale, **refs}


def _items(element: ET.Element, path: str = "") -> list[tuple[str, str]]:
    """Every leaf of `element` as (path, text), in document order."""
    out = []
    for sub in element:
        where = f"{path}/{sub.tag}"
        out.extend(_items(sub, where) if len(sub) else [(where, (sub.text or "").strip())])
    return out


def _person(uow, family):
    return uow.session.get(Person, family.children[0].id)


def test_the_census_is_the_state_at_the_reference_date_item_by_item(uow, manager, census_set):
    uow.now = lambda: dt.datetime(2026, 4, 20, 9, 30, tzinfo=dt.UTC)
    result = returns.cin_census(uow, actor_of(manager), 2026, "999")
    uow.commit()
    root = ET.fromstring(result.xml)  # noqa: S314 - our own output
    assert _items(root.find("Header")) == [
        ("/CollectionDetails/Collection", "CIN"),
        ("/CollectionDetails/Year", "2026"),
        ("/CollectionDetails/ReferenceDate", "2026-03-31"),
        ("/Source/SourceLevel", "L"),
        ("/Source/LEA", "999"),
        ("/Source/SoftwareCode", "Early help coordination"),
        ("/Source/Release", "0.1"),
        ("/Source/SerialNo", "001"),
        ("/Source/DateTime", "2026-04-20T09:30:00"),
    ]
    children = {c.findtext("ChildIdentifiers/LAchildID"): c for c in root.iter("Child")}
    ash, bay, cove = (_person(uow, census_set[k]).la_child_id for k in ("ash", "bay", "cove"))
    assert set(children) == {ash, bay, cove}  # Dale's referrals are of earlier years
    assert _items(children[ash]) == [
        ("/ChildIdentifiers/LAchildID", ash),
        ("/ChildIdentifiers/UPN", _upn("801200001001")),
        ("/ChildIdentifiers/PersonBirthDate", "2014-06-01"),
        ("/ChildIdentifiers/Sex", "M"),
        ("/ChildCharacteristics/Ethnicity", "WBRI"),
        ("/ChildCharacteristics/Disabilities/Disability", "NONE"),
        # a1: referred the year before; its assessment was authorised before 1 April 2025, so it is not here.
        ("/CINdetails/CINreferralDate", "2024-11-04"),
        ("/CINdetails/ReferralSource", "5D"),
        ("/CINdetails/PrimaryNeedCode", "N4"),
        ("/CINdetails/CINclosureDate", "2025-05-30"),
        ("/CINdetails/ReasonForClosure", "RC7"),
        ("/CINdetails/CINPlanDates/CINPlanStartDate", "2024-12-20"),
        ("/CINdetails/CINPlanDates/CINPlanEndDate", "2025-05-30"),
        ("/CINdetails/ReferralNFA", "false"),
        # a2: no further action.
        ("/CINdetails/CINreferralDate", "2025-09-01"),
        ("/CINdetails/ReferralSource", "2A"),
        ("/CINdetails/ReferralNFA", "true"),
        # a3: assessed and closed with a step-down to early help.
        ("/CINdetails/CINreferralDate", "2026-01-12"),
        ("/CINdetails/ReferralSource", "6"),
        ("/CINdetails/PrimaryNeedCode", "N1"),
        ("/CINdetails/CINclosureDate", "2026-02-27"),
        ("/CINdetails/ReasonForClosure", "RC9"),
        ("/CINdetails/Assessments/AssessmentActualStartDate", "2026-01-13"),
        ("/CINdetails/Assessments/AssessmentAuthorisationDate", "2026-02-20"),
        ("/CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors", "16A"),
        ("/CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors", "4B"),
        ("/CINdetails/ReferralNFA", "false"),
    ]
    assert len(children[ash].findall("CINdetails")) == 3
    assert _items(children[bay]) == [
        ("/ChildIdentifiers/LAchildID", bay),
        ("/ChildIdentifiers/UPNunknown", "UN1"),
        ("/ChildIdentifiers/PersonBirthDate", "2022-05-01"),
        ("/ChildIdentifiers/Sex", "F"),
        ("/ChildCharacteristics/Ethnicity", "BAFR"),
        ("/ChildCharacteristics/Disabilities/Disability", "COMM"),
        ("/ChildCharacteristics/Disabilities/Disability", "LD"),
        # Closed on 15 April 2026, after the reference date: open here, its plan too.
        ("/CINdetails/CINreferralDate", "2025-06-02"),
        ("/CINdetails/ReferralSource", "3B"),
        ("/CINdetails/PrimaryNeedCode", "N2"),
        ("/CINdetails/Assessments/AssessmentActualStartDate", "2025-06-03"),
        ("/CINdetails/Assessments/AssessmentAuthorisationDate", "2025-07-14"),
        ("/CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors", "6A"),
        ("/CINdetails/CINPlanDates/CINPlanStartDate", "2025-07-21"),
        ("/CINdetails/ReferralNFA", "false"),
    ]
    assert _items(children[cove]) == [
        ("/ChildIdentifiers/LAchildID", cove),
        ("/ChildIdentifiers/UPN", _upn("801200001003")),
        ("/ChildIdentifiers/PersonBirthDate", "2012-01-15"),
        ("/ChildIdentifiers/Sex", "F"),
        ("/ChildCharacteristics/Ethnicity", "NOBT"),
        ("/ChildCharacteristics/Disabilities/Disability", "NONE"),
        # Declined on 2 April 2026, after the reference date: still awaiting a decision here.
        ("/CINdetails/CINreferralDate", "2026-03-02"),
        ("/CINdetails/ReferralSource", "8"),
        ("/CINdetails/PrimaryNeedCode", "N5"),
        ("/CINdetails/ReferralNFA", "false"),
    ]
    assert (result.children, result.episodes, result.assessments, result.nfa) == (3, 5, 2, 1)
    assert [(kind, sentence) for kind, sentence, _ in result.report()] == [
        ("ethnicity", "1 child has no ethnicity recorded (sent as NOBT, not yet obtained)")
    ]


def test_the_validator_finds_nothing_wrong_with_the_hand_built_set(uow, manager, census_set, tmp_path):
    result = returns.cin_census(uow, actor_of(manager), 2026, "999")
    assert validator_issues(result.xml, tmp_path) == {}


def test_the_year_before_has_dales_referrals_and_none_of_this_years(uow, manager, census_set, tmp_path):
    result = returns.cin_census(uow, actor_of(manager), 2025, "999")
    root = ET.fromstring(result.xml)  # noqa: S314
    dale, ash = (_person(uow, census_set[k]).la_child_id for k in ("dale", "ash"))
    dates = {
        c.findtext("ChildIdentifiers/LAchildID"): [d.findtext("CINreferralDate") for d in c.iter("CINdetails")]
        for c in root.iter("Child")
    }
    assert dates == {dale: ["2024-10-01", "2024-12-01"], ash: ["2024-11-04"]}
    assert validator_issues(result.xml, tmp_path) == {}


def test_the_return_is_audited_with_its_digest_and_counts_never_its_content(uow, manager, census_set):
    result = returns.cin_census(uow, actor_of(manager), 2026, "999")
    uow.commit()
    event = uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "cin_census")).scalar_one()
    assert event.action == "export"
    assert event.details["sha256"] == result.sha256 and len(result.sha256) == 64
    assert {k: event.details[k] for k in ("year", "first", "last", "children", "episodes")} == {
        "year": 2026,
        "first": "2025-04-01",
        "last": "2026-03-31",
        "children": 3,
        "episodes": 5,
    }
    assert "Testfamily" not in str(event.details) and _upn("801200001001") not in str(event.details)


def test_only_managers_of_the_councils_teams_run_returns(uow, practitioner, manager, census_set):
    with pytest.raises(NotPermitted):
        returns.cin_census(uow, actor_of(practitioner), 2026, "999")
    school_manager = UserFactory(
        agency=AgencyFactory(name="Hilltop School", type="school"), role="manager", email="sam.school@example.org"
    )
    with pytest.raises(NotPermitted):
        returns.cin_census(uow, actor_of(school_manager), 2026, "999")
    with pytest.raises(Invalid):
        returns.cin_census(uow, actor_of(manager), 1999, "999")


def test_the_demo_boroughs_census_passes_the_validator(uow, settings, tmp_path):
    """Seeded as on 20 April 2026, the demo borough's census for the year ending 31 March 2026 (LA 999): no error
    and no query from the DfE-aligned validator but rule 1530, which flags the demo's fictional LA number in its
    UPNs (characters 2–4 of a UPN must be a real LA's code; the demo's are all 999, which no LA has). The header's
    LEA 999 is flagged by no rule."""
    from coordination import demo
    from coordination.domain.actors import Actor

    uow.now = lambda: dt.datetime(2026, 4, 20, 9, 0, tzinfo=dt.UTC)
    cli = Actor.system("cli")
    demo.seed(uow, cli, settings, families=30, password="demo-password-for-tests", say=lambda _m: None)
    result = returns.cin_census(uow, cli, 2026, settings.la_code)
    assert settings.la_code == "999"
    # The history is random (keyed on each family's random reference): some years have no NFA referral.
    assert result.children >= 1 and result.episodes >= result.children
    root = ET.fromstring(result.xml)  # noqa: S314
    assert {d.findtext("ReferralSource") for d in root.iter("CINdetails")} <= {
        "5A",
        "5D",
        "2A",
        "2B",
        "3A",
        "3B",
        "3C",
        "3F",
        "6",
        "8",
    }
    issues = validator_issues(result.xml, tmp_path)
    assert set(issues) <= {"1530"}
    assert all(issue["value_flagged"][1:4] == "999" for issue in issues.get("1530", []))
    assert [kind for kind, _, _ in result.report()] == ["ethnicity"] or not result.report()
    demo.seed(uow, cli, settings, families=30, password="demo-password-for-tests", say=lambda _m: None)
    assert returns.cin_census(uow, cli, 2026, settings.la_code).sha256 == result.sha256  # a second seed adds nothing


def test_docs_name_each_item_of_the_census_and_its_source():
    from pathlib import Path

    from coordination.domain.cin_census import ITEMS

    text = (Path(__file__).parents[2] / "docs" / "exports.md").read_text()
    for path, source in ITEMS:
        assert f"| `{path}` | {source} |" in text, path


def test_the_command_line_writes_the_file_and_prints_its_counts_and_digest(app, census_set, tmp_path):
    out = tmp_path / "cin.xml"
    result = app.test_cli_runner().invoke(args=["returns", "cin-census", "--year", "2026", "--output", str(out)])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"sha256: {digest}" in result.output
    assert "children: 3" in result.output and "referrals (CINdetails): 5" in result.output
    assert "missing: 1 child has no ethnicity recorded (sent as NOBT, not yet obtained)" in result.output
    assert ET.fromstring(out.read_bytes()).findtext("Header/CollectionDetails/Year") == "2026"  # noqa: S314
    bad = app.test_cli_runner().invoke(args=["returns", "cin-census", "--year", "1999", "--output", str(out)])
    assert bad.exit_code == 2 and "Enter the year the census ends in" in bad.output


def test_a_teams_census_referral_source_is_set_on_the_command_line(app, uow):
    team = AgencyFactory(name="Eastmere School Nursing", type="health")
    uow.commit()
    done = app.test_cli_runner().invoke(args=["agency", "census-source", str(team.id), "3c"])
    assert done.exit_code == 0 and "Eastmere School Nursing: 3C" in done.output, done.output
    bad = app.test_cli_runner().invoke(args=["agency", "census-source", str(team.id), "3Z"])
    assert bad.exit_code == 2 and "Choose one of: 1A" in bad.output


def test_the_import_takes_the_census_codes_of_past_social_care_referrals(uow):
    from coordination.services import import_csv

    hub = AgencyFactory(name="Eastmere Early Help Hub (North)", type="council_early_help")
    AgencyFactory(name="Eastmere Front Door", type="social_care")
    uow.commit()
    head = ("record_id,given_name,family_name,date_of_birth,pathway,from_agency,to_agency,received_on,decision,"
            "decided_on,stages,closed_on,outcome,primary_need,reason_for_closure\n")
    walked = "Eastmere Front Door,2025-05-01,accept,2025-05-01,assessment=2025-05-02;assessment_authorised=2025-06-10"
    good = head + f"R1,Ash,Importfamily,2014-06-01,social_care,{hub.name},{walked},2025-06-20,Stepped down,n4,RC9\n"
    report = import_csv.import_referrals(uow, Actor.system("cli"), hub.name, good.encode())
    assert report.ok, report.lines()
    referral = uow.session.execute(select(Referral).where(Referral.pathway == "social_care")).scalar_one()
    assert (referral.primary_need, referral.reason_for_closure, referral.referral_nfa) == ("N4", "RC9", False)
    bad = head + (f"R2,Bay,Importfamily,2014-06-01,social_care,{hub.name},Eastmere Front Door,2025-05-01,accept,"
                  "2025-05-01,,2025-06-20,Needs met,N0,RC8\n")
    problems = " ".join(import_csv.import_referrals(uow, Actor.system("cli"), hub.name, bad.encode()).lines())
    assert "Enter a primary need code" in problems and "this referral had no assessment" in problems
