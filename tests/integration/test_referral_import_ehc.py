"""`flask referrals import` with an `ehc_needs_assessment` referral's EHC details (SEN2's items, the API's field
names as columns): read and checked with the rules services.ehc_details.record_ehc_details keeps (one check,
domain/ehc_details.py), every problem by line and column before anything is written, then recorded through it
(audited as any change).

K-1 Kit: decided to assess 10 Feb 2026 (mediation no, tribunal yes), plan to be issued 1 May, issued 29 May at
    school 100001 (no rank given: 1, the one placement), in its resourced provision, there since 1 Sept 2025.
K-2 Lou: plan issued 1 Sept 2026 in elective home education (EHE), ceased 1 Nov 2026 (reason 7, moved abroad).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from audit.models import AuditEvent
from coordination.services import ehc_details

from .test_referral_import import (
    OPERATOR,
    agencies,  # noqa: F401 - the fixture
    by_record,
    counts,
    csv_bytes,
    run,
)

D = dt.date
HEADER = ("record_id,given_name,family_name,date_of_birth,pathway,to_agency,received_on,decision,decided_on,"
          "request_outcome,request_outcome_on,request_mediation,request_tribunal,assessment_outcome,"
          "assessment_outcome_on,plan_start_on,placement_urn,placement_ukprn,sen_setting,placement_rank,sen_unit,"
          "resourced_provision,placement_entry_on,plan_ceased_on,cease_reason")
BASE = "{id},{name},Example,2016-09-09,{pathway},{to},2026-01-05,accept,2026-02-10"
SEND = "Riverside SEND Service"


def _row(record_id: str, name: str, ehc: str, pathway: str = "ehc_needs_assessment", to: str = SEND) -> str:
    return BASE.format(id=record_id, name=name, pathway=pathway, to=to) + "," + ehc


def test_the_ehc_details_are_recorded_with_the_referral(uow, agencies):  # noqa: F811
    data = csv_bytes(
        _row("K-1", "Kit", "Y,2026-02-10,N,yes,Y,01/05/2026,2026-05-29,100001,,,,N,Y,2025-09-01,,"),
        _row("K-2", "Lou", "Y,2026-02-10,,,Y,2026-05-01,2026-09-01,,,ehe,1,n,n,2026-09-01,2026-11-01,7"),
        header=HEADER)
    report = run(uow, data)
    assert report.ok and report.referrals_created == 2, report.lines()
    refs = by_record(uow)
    kit = ehc_details.get_ehc_details(uow, OPERATOR, refs["K-1"].id)
    assert (kit.request_outcome, kit.request_outcome_on, kit.request_mediation, kit.request_tribunal) == (
        "Y", D(2026, 2, 10), False, True)
    assert (kit.assessment_outcome, kit.assessment_outcome_on, kit.plan_start_on) == ("Y", D(2026, 5, 1),
                                                                                      D(2026, 5, 29))
    assert (kit.placement_urn, kit.placement_rank, kit.sen_unit, kit.resourced_provision, kit.placement_entry_on) == (
        "100001", 1, False, True, D(2025, 9, 1))
    lou = ehc_details.get_ehc_details(uow, OPERATOR, refs["K-2"].id)
    assert (lou.sen_setting, lou.placement_urn, lou.plan_ceased_on, lou.cease_reason, lou.request_mediation) == (
        "EHE", None, D(2026, 11, 1), "7", None)
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "ehc_details",
                                                          AuditEvent.action == "update")).scalars().all()
    assert sorted(str(e.record_id) for e in events) == sorted(str(refs[k].id) for k in ("K-1", "K-2"))


def test_every_ehc_problem_is_listed_by_line_and_column_and_nothing_is_written(uow, agencies):  # noqa: F811
    before = counts(uow)
    data = csv_bytes(
        _row("K-3", "Mo", "A,,,,,,,,,,,,,,,", pathway="early_help", to="Riverside Early Help Hub"),
        _row("K-4", "Ned", "Y,31/02/2026,maybe,,,,,,,,,,,,,"),
        _row("K-5", "Oli", "Y,,,,Y,2026-05-01,2026-05-29,12345,,,,,,,,9"),
        _row("K-6", "Pat", "N,2026-02-10,,,,,,,,,,Y,,,,"),
        header=HEADER)
    report = run(uow, data)
    assert not report.ok
    assert report.lines() == [
        "line 2, column J (request_outcome): Only an ehc_needs_assessment referral has EHC details",
        "line 3, column K (request_outcome_on): '31/02/2026' is not a date: use YYYY-MM-DD (or DD/MM/YYYY), "
        "like 2024-03-27",
        "line 3, column L (request_mediation): 'maybe' is not yes or no: use Y or N",
        "line 4, column K (request_outcome_on): Enter the date of the request outcome",
        "line 4, column Q (placement_urn): Enter a URN of 6 digits, like 100001",
        "line 4, column X (plan_ceased_on): Enter the date the plan ceased",
        "line 5, column U (sen_unit): Record this only with the placement (a URN, a UKPRN or a setting)",
        "7 problem(s) in 4 rows: nothing was imported.",
    ]
    assert counts(uow) == before
