"""`flask referrals import`: an authority loads its past referrals; clocks and figures as for live referrals.

Every due date below is worked out by hand. Convention (domain/calendar.py): the day a clock starts is day 0;
"N working days" is by the end of the Nth working day after it; weeks are calendar weeks. England bank
holidays in the period: Good Friday 3 April 2026, Easter Monday 6 April 2026, Monday 4 May 2026.
A date alone is 09:00 England time.

The good file (importing agency: Riverside Early Help Hub):
  R-001 early help, Rowan Example (new child), from the school, received Fri 6 Mar, accepted Mon 9 Mar
        decision (5 working days): Mon 9 (1) … Fri 13 (5) → due 13 Mar; stopped 9 Mar: within.
        assessment (45 working days from acceptance, Mon 9 Mar): Mar 10–13 (4), 16–20 (9), 23–27 (14),
          Mar 30–Apr 2 (18), [3 and 6 Apr], Apr 7–10 (22), 13–17 (27), 20–24 (32), Apr 27–May 1 (37), [4 May],
          May 5–8 (41), 11 (42), 12 (43), 13 (44), 14 (45) → due 14 May; plan entered Mon 20 Apr (day 28): within.
        taf_review (6 weeks from 20 Apr) → due 1 Jun; review entered 26 May: within. Closed 10 Jun.
  R-002 social care (urgent), the child already recorded (matched by NHS number), from the hub,
        received Fri 13 Mar, accepted Tue 17 Mar.
        decision (1 working day) → due Mon 16 Mar; stopped Tue 17 (2 working days): late.
        assessment (45 working days from Fri 13 Mar): Mar 16–20 (5), 23–27 (10), Mar 30–Apr 2 (14), Apr 7–10 (18),
          13–17 (23), 20–24 (28), Apr 27–May 1 (33), May 5–8 (37), 11–15 (42), 18 (43), 19 (44), 20 (45)
          → due 20 May; authorised 24 Apr: within.
  R-003 social care, Sol Example (new), received Fri 20 Mar, declined Mon 23 Mar: decision (1 working day)
        due Mon 23 Mar: within; the assessment clock ends with the decline (no row).
  R-004 EHC needs assessment, Kit Example (new, with a UPN), received Mon 5 Jan, accepted Tue 10 Feb,
        exception 10_4_c. decision_to_assess (6 weeks) → due 16 Feb: within. final_plan (20 weeks = 140 days)
        → due 25 May; final plan 29 May: late, excepted. no_plan: only once a decision not to issue a plan.
  R-005 CAMHS crisis (very urgent), Ari Example (new), received 14 Apr 10:00, accepted 10:30, response 13:30
        (BST): response clock 4 hours → due 14:00: within.
  R-006 early help again for Rowan (same NHS number: the same new family), received Wed 1 Jul, no decision:
        a re-referral (R-001 closed 10 Jun, within 12 months); decision due Wed 8 Jul (Jul 2, 3, 6, 7, 8), so
        open and overdue now.

Timeliness for the hub's manager, 1 January – 30 June 2026 (hand-computed from the above):
  early help decision 1/1, assessment 1/1 (28 working days), taf_review 1/1 (36 days);
  social care decision 2 completed, 1 within (50%), days [1, 2]: median 1.5; assessment 1/1 (28 working days);
  EHC decision_to_assess 1/1; final_plan 1 completed, 0 within, excluding exceptions 0 completed;
  CAMHS crisis response 1/1.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.domain.calendar import ENGLAND
from coordination.errors import Invalid, NotPermitted
from coordination.models import Family, Person, Referral, ReferralClock, ReferralEvent
from coordination.services import import_csv as service
from coordination.services import referrals as referrals_service
from coordination.services.reporting import metrics

from .. import factories
from ..conftest import actor_of

OPERATOR = Actor.system("cli")
ROWAN_NHS = "9990000018"   # fictional: the 999 range is reserved for testing
EXISTING_NHS = "9990000026"
KIT_UPN = "M999000026001"
HEADER = ("record_id,given_name,family_name,date_of_birth,nhs_number,upn,ward,pathway,from_agency,to_agency,"
          "urgency,received_on,decision,decided_on,signposted_to,stages,closed_on,outcome,exceptions,pauses")
GOOD_ROWS = [
    f"R-001,Rowan,Example,2015-06-01,{ROWAN_NHS},,Riverside North,early_help,Riverside Primary School,"
    "Riverside Early Help Hub,routine,2026-03-06,accept,2026-03-09,,"
    "assessment=2026-03-10;plan=2026-04-20;review=2026-05-26,2026-06-10,needs_met,,",
    f"R-002,Rory,Testfamily,2014-06-01,{EXISTING_NHS},,,social_care,Riverside Early Help Hub,"
    "Riverside Children's Social Care,urgent,2026-03-13,accept,2026-03-17,,"
    "assessment=2026-03-17;assessment_authorised=2026-04-24,,,,",
    "R-003,Sol,Example,2012-02-29,,,Riverside South,social_care,,Riverside Children's Social Care,,"
    "2026-03-20,decline,2026-03-23,Family support group,,,,,",
    f"R-004,Kit,Example,2019-09-09,,{KIT_UPN},,ehc_needs_assessment,,Riverside SEND Service,,2026-01-05,accept,"
    "10/02/2026,,assessment=2026-02-10;draft_plan=2026-05-01;final_plan=2026-05-29,,,10_4_c,",
    "R-005,Ari,Example,2010-01-15,,,,camhs_crisis,,Riverside CAMHS,very_urgent,2026-04-14 10:00,accept,"
    "2026-04-14 10:30,,response=2026-04-14 13:30,,,,",
    f"R-006,Rowan,Example,2015-06-01,{ROWAN_NHS},,,early_help,,Riverside Early Help Hub,,2026-07-01,,,,,,,,",
]


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


@pytest.fixture
def agencies(uow, early_help):
    made = {name: factories.AgencyFactory(name=name, type=kind) for name, kind in (
        ("Riverside Primary School", "school"), ("Riverside Children's Social Care", "social_care"),
        ("Riverside SEND Service", "send_service"), ("Riverside CAMHS", "mental_health"))}
    uow.session.flush()
    return made


@pytest.fixture
def existing(practitioner, make_family):
    """A family the hub already holds: Rory Testfamily, born 1 June 2014, with an NHS number."""
    return make_family(practitioner, children=("Rory",), nhs_numbers=(EXISTING_NHS,))


def counts(uow) -> dict[str, int]:
    s = uow.session
    return {model.__name__: s.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Referral, Family, Person, AuditEvent, ReferralEvent, ReferralClock)}


def run(uow, data: bytes, agency: str = "Riverside Early Help Hub", **kw) -> service.ImportReport:
    report = service.import_referrals(uow, OPERATOR, agency, data, **kw)
    if report.ok and not report.dry_run:
        uow.commit()
    else:
        uow.rollback()
    return report


def by_record(uow) -> dict[str, Referral]:
    rows = uow.session.execute(select(Referral).where(Referral.idempotency_scope.like("import:%"))).scalars()
    return {r.idempotency_key: r for r in rows}


def clocks(uow, referral: Referral) -> dict[str, tuple]:
    rows = uow.session.execute(select(ReferralClock).where(ReferralClock.referral_id == referral.id)).scalars()
    return {c.name: (c.started_on.isoformat(), c.due_on.isoformat(),
                     c.stopped_on.isoformat() if c.stopped_on else None, c.within_target, c.excepted)
            for c in rows}


def test_a_good_file_imports_every_row_with_hand_computed_clocks(uow, agencies, existing):
    before = counts(uow)
    report = run(uow, csv_bytes(*GOOD_ROWS))
    assert report.ok, report.lines()
    assert (report.rows, report.referrals_created, report.families_created, report.children_matched) == (6, 6, 4, 1)
    assert report.summary().startswith("Imported 6 referrals from 6 rows; 4 families created; 1 children matched")
    after = counts(uow)
    assert after["Referral"] - before["Referral"] == 6
    assert after["Family"] - before["Family"] == 4 and after["Person"] - before["Person"] == 4

    refs = by_record(uow)
    assert set(refs) == {"R-001", "R-002", "R-003", "R-004", "R-005", "R-006"}
    assert clocks(uow, refs["R-001"]) == {
        "decision": ("2026-03-06", "2026-03-13", "2026-03-09", True, False),
        "assessment": ("2026-03-09", "2026-05-14", "2026-04-20", True, False),
        "taf_review": ("2026-04-20", "2026-06-01", "2026-05-26", True, False),
    }
    assert clocks(uow, refs["R-002"]) == {
        "decision": ("2026-03-13", "2026-03-16", "2026-03-17", False, False),
        "assessment": ("2026-03-13", "2026-05-20", "2026-04-24", True, False),
    }
    assert clocks(uow, refs["R-003"]) == {"decision": ("2026-03-20", "2026-03-23", "2026-03-23", True, False)}
    assert clocks(uow, refs["R-004"]) == {
        "decision_to_assess": ("2026-01-05", "2026-02-16", "2026-02-10", True, False),
        "final_plan": ("2026-01-05", "2026-05-25", "2026-05-29", False, True),
    }
    crisis = uow.session.execute(
        select(ReferralClock).where(ReferralClock.referral_id == refs["R-005"].id)).scalar_one()
    # Due 14:00 England time (13:00 UTC in summer time), on both databases (SQLite hands back naive UTC).
    due_at = crisis.due_at if crisis.due_at.tzinfo else crisis.due_at.replace(tzinfo=dt.UTC)
    assert (crisis.name, due_at, crisis.within_target) == ("response", dt.datetime(2026, 4, 14, 13, tzinfo=dt.UTC),
                                                           True)
    assert due_at.astimezone(ENGLAND).hour == 14
    assert clocks(uow, refs["R-006"]) == {"decision": ("2026-07-01", "2026-07-08", None, False, False)}  # overdue

    # The referrals read as live ones do: status, stage, decision, closure, flags, who holds the child.
    r1, r2, r3, r6 = refs["R-001"], refs["R-002"], refs["R-003"], refs["R-006"]
    assert (r1.status, r1.stage, r1.outcome, r1.ward, r1.child_age_at_referral) == (
        "closed", "review", "needs_met", "Riverside North", 10)
    assert r1.from_agency_id == agencies["Riverside Primary School"].id
    assert (r2.status, r2.stage, r2.urgency) == ("in_progress", "assessment_authorised", "urgent")
    assert (r3.status, r3.decision, r3.signposted_to) == ("declined", "decline", "Family support group")
    assert (r6.status, r6.re_referral, r1.re_referral) == ("received", True, False)
    assert r6.child_id == r1.child_id and r6.family_id == r1.family_id  # one family for Rowan's two rows
    assert r2.family_id == existing.id and r2.child_id == existing.children[0].id
    hub = r1.to_agency_id
    new_family = uow.session.get(Family, r1.family_id)
    assert (new_family.owning_agency_id, new_family.ward) == (hub, "Riverside North")
    kinds = [e.kind for e in uow.session.execute(select(ReferralEvent).where(
        ReferralEvent.referral_id == r1.id).order_by(ReferralEvent.occurred_at)).scalars()]
    assert kinds[0] == "received" and kinds[-1] == "closed"
    assert kinds[1:-1] == ["decided", "accepted", "entered:assessment", "entered:plan", "entered:review"] or \
        kinds[1:-1] == ["accepted", "decided", "entered:assessment", "entered:plan", "entered:review"]

    # A live view of an imported referral works (names decrypt; the clocks are the same rows).
    view = referrals_service.get_referral(uow, OPERATOR, r1.id)
    assert view.received_at == dt.datetime(2026, 3, 6, 9, tzinfo=dt.UTC)  # 09:00 GMT
    person = uow.session.get(Person, r1.child_id)
    assert person.unseal(uow.keys, "given_name") == "Rowan"
    assert person.unseal(uow.keys, "nhs_number") == ROWAN_NHS

    # Audit: one per referral and per family, ids and codes only, and one summary.
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.seq > 0)).scalars().all()
    imported = [e for e in events if (e.details or {}).get("source") == "import"]
    assert sorted((e.record_type, e.action) for e in imported) == sorted(
        [("referral", "create")] * 6 + [("family", "create")] * 4 + [("referral_import", "create")])
    summary = next(e for e in imported if e.record_type == "referral_import")
    assert summary.details["referrals_created"] == 6 and summary.details["agency_id"] == str(hub)
    assert all("Rowan" not in str(e.details) and ROWAN_NHS not in str(e.details) for e in imported)


def test_timeliness_after_the_import_matches_the_hand_computed_figures(uow, agencies, existing, manager):
    # The nightly summary of closed months already exists (built over an earlier referral, outside the figures
    # below) when the history is imported: the import must rebuild it, or the history would not show.
    earlier = ("R-000,Zo,Example,2016-01-01,,,,early_help,,Riverside Early Help Hub,,2025-11-03,accept,"
               "2025-11-04,,,,,,")
    assert run(uow, csv_bytes(earlier)).ok
    assert metrics.refresh_summary(uow, OPERATOR) > 0
    uow.commit()
    assert run(uow, csv_bytes(*GOOD_ROWS)).ok
    report = metrics.timeliness(uow, actor_of(manager), dt.date(2026, 1, 1), dt.date(2026, 6, 30))

    def figure(pathway, clock):
        f = report.figure(pathway, clock)
        return (f.count, f.within_target, f.median_days) if f else None

    assert figure("early_help", "decision") == (1, 1, 1.0)
    assert figure("early_help", "assessment") == (1, 1, 28.0)
    assert figure("early_help", "taf_review") == (1, 1, 36.0)
    assert figure("social_care", "decision") == (2, 1, 1.5)
    assert report.figure("social_care", "decision").percent_within_target == 50.0
    assert figure("social_care", "assessment") == (1, 1, 28.0)
    assert figure("ehc_needs_assessment", "decision_to_assess")[:2] == (1, 1)
    final = report.figure("ehc_needs_assessment", "final_plan")
    assert (final.count, final.within_target, final.count_excluding_exceptions) == (1, 0, 0)
    assert figure("camhs_crisis", "response")[:2] == (1, 1)


def test_a_bad_file_lists_every_problem_by_line_and_column_and_writes_nothing(uow, agencies, existing):
    before = counts(uow)
    bad = csv_bytes(
        GOOD_ROWS[0],
        "R-010,Bea,Example,2016-01-01,9990000019,,,early_help,,Riverside Early Help Hub,,2026-03-02,,,,,,,,",
        "R-011,Cal,Example,2016-01-01,,,,early_hlep,,Nowhere Council,soon,2099-01-01,,,,,,,,",
        "R-012,Dee,Example,2016-01-01,,,,early_help,,Riverside Early Help Hub,,2026-03-10,accept,2026-03-09,,"
        "plan=2026-03-12,,,,",
        "R-013,Eve,Example,2016-01-01,,,,early_help,,Riverside Early Help Hub,,2026-03-10,accept,2026-03-11,,"
        "assessment=2026-03-20;plan=2026-03-15,,,10_4_c,",
        "R-001,Fay,Example,2016-01-01,,,,early_help,,Riverside Early Help Hub,,2026-03-10,,,,,,,,",
        "R-014,Gus,Example,31/02/2016,,,,early_help,,Riverside Early Help Hub,,2026-03-10,,,,,2026-03-12,,,",
    )
    report = run(uow, bad)
    assert not report.ok
    lines = report.lines()
    assert lines == [
        "line 3, column E (nhs_number): Enter a valid NHS number: 10 digits whose last is the check digit, "
        "like 943 476 5919",
        "line 4, column H (pathway): Unknown pathway 'early_hlep': use one of " + ", ".join(
            ["early_help", "social_care", "ehc_needs_assessment", "mental_health_support_team", "camhs",
             "camhs_crisis", "eating_disorder", "neurodevelopmental", "voluntary_sector"]),
        "line 4, column J (to_agency): Unknown agency 'Nowhere Council': use an agency's id or its exact name "
        "(add it first with `flask agency add`)",
        "line 4, column K (urgency): Unknown urgency 'soon': use one of routine, urgent, very_urgent",
        "line 4, column L (received_on): The date must be today or in the past",
        "line 5, column N (decided_on): The decision cannot be before the referral was received (received_on)",
        "line 5, column P (stages): plan cannot follow request: from request the referral can move to assessment",
        "line 6, column P (stages): plan (2026-03-15) is before the stage before it (2026-03-20)",
        "line 6, column S (exceptions): Unknown exception '10_4_c': no clock of early_help allows exceptions",
        "line 7, column A (record_id): 'R-001' is also the record_id on line 2: each referral needs its own id",
        "line 8, column D (date_of_birth): '31/02/2016' is not a date: use YYYY-MM-DD (or DD/MM/YYYY), "
        "like 2024-03-27",
        "line 8, column Q (closed_on): Only an accepted referral is closed (a declined one ends with its decision)",
        "line 8, column R (outcome): Enter the outcome of the closed referral",
        "13 problem(s) in 7 rows: nothing was imported.",
    ]
    assert counts(uow) == before


def test_the_header_is_checked_first(uow, agencies):
    report = run(uow, csv_bytes("x,y", header="record_id,given_name,family_nmae,date_of_birth,pathway,received_on"))
    assert report.lines()[:3] == [
        "line 1, column C (family_nmae): Unknown column (did you mean family_name?): the columns are listed in "
        "docs/import.md",
        "line 1: Add the required column family_name",
        "line 1: Add the required column to_agency",
    ]


def test_a_semicolon_file_and_a_file_that_is_not_utf8_are_explained(uow, agencies):
    semicolons = run(uow, HEADER.replace(",", ";").encode() + b"\r\n")
    assert semicolons.lines()[0].startswith("line 1: The columns are separated by semicolons")
    latin1 = run(uow, csv_bytes(GOOD_ROWS[0], GOOD_ROWS[1].replace("Rory", "R\u00f6ry")).decode().encode("latin-1"))
    assert latin1.lines()[0] == "line 3: The file is not UTF-8 text: save it as 'CSV UTF-8'"
    # Empty columns a spreadsheet saves after the last named one are no problem; a cell too big to read is.
    assert run(uow, csv_bytes(*[r + ",," for r in GOOD_ROWS[2:4]], header=HEADER + ",,"), dry_run=True).ok
    huge = run(uow, csv_bytes(GOOD_ROWS[2], f'R-9,"{"x" * 200_000}"'))
    assert huge.lines()[0].startswith("line 3: The file cannot be read as CSV here (field larger than")


def test_lines_are_counted_as_a_spreadsheet_counts_rows_even_with_a_cell_over_two_lines(uow, agencies):
    two_line_cell = ('R-300,Cy,Example,2016-01-01,,,,social_care,,Riverside Children\'s Social Care,,2026-03-02,'
                     'decline,2026-03-02,"Family support group,\nThursdays",,,,,')
    slip = "R-301,Di,Example,1920-01-01,,,,early_help,,Riverside Early Help Hub,,1926-03-02,,,,,,,,"
    assert run(uow, csv_bytes(two_line_cell, "", slip)).lines() == [
        "line 4, column L (received_on): Check the year: dates before 2000 are not accepted",
        "1 problem(s) in 2 rows: nothing was imported.",
    ]


def test_a_pause_moves_the_due_date_as_it_does_for_a_live_referral(uow, agencies):
    # Early help received Mon 2 Feb 2026: decision due Mon 9 Feb (Feb 3, 4, 5, 6, 9); paused Tue 3 – Wed 4 Feb
    # (2 working days) → due Wed 11 Feb; decided Wed 11 Feb: within (it would be late without the pause).
    row = ("R-200,Bo,Example,2016-01-01,,,,early_help,,Riverside Early Help Hub,,2026-02-02,accept,2026-02-11,,,,,,"
           "family_request=2026-02-03..2026-02-04")
    assert run(uow, csv_bytes(row)).ok
    assert clocks(uow, by_record(uow)["R-200"])["decision"] == ("2026-02-02", "2026-02-11", "2026-02-11", True, False)


def test_importing_the_same_file_again_creates_nothing(uow, agencies, existing):
    assert run(uow, csv_bytes(*GOOD_ROWS)).ok
    before = counts(uow)
    again = run(uow, csv_bytes(*GOOD_ROWS))
    assert again.ok and again.referrals_created == 0 and again.families_created == 0
    assert [line for line, _ in again.already_imported] == [2, 3, 4, 5, 6, 7]
    after = counts(uow)
    assert after["AuditEvent"] - before["AuditEvent"] == 1  # only the summary of a run that added nothing
    assert {k: v for k, v in after.items() if k != "AuditEvent"} == \
        {k: v for k, v in before.items() if k != "AuditEvent"}
    # A file that adds one row to the old ones creates that one only.
    extra = "R-007,Ari,Example,2010-01-15,,,,camhs,,Riverside CAMHS,,2026-05-01,,,,,,,,"
    third = run(uow, csv_bytes(*GOOD_ROWS, extra))
    assert (third.referrals_created, third.families_created, len(third.already_imported)) == (1, 0, 6)
    assert by_record(uow)["R-007"].child_id == by_record(uow)["R-005"].child_id  # matched by name and birthday


def test_an_existing_child_is_matched_by_nhs_number_not_duplicated(uow, agencies, existing):
    # Another spelling of the name; the NHS number decides.
    row = (f"R-100,Rori,Testfamilee,2014-06-01,{EXISTING_NHS},,,camhs,,Riverside CAMHS,,2026-02-02,,,,,,,,")
    before = counts(uow)
    report = run(uow, csv_bytes(row))
    assert report.ok and (report.families_created, report.children_matched) == (0, 1)
    referral = by_record(uow)["R-100"]
    assert (referral.family_id, referral.child_id) == (existing.id, existing.children[0].id)
    assert counts(uow)["Person"] == before["Person"] and counts(uow)["Family"] == before["Family"]
    # A different date of birth with the same NHS number is a problem, not a guess.
    clash = run(uow, csv_bytes(f"R-101,Rory,Testfamily,2014-06-02,{EXISTING_NHS},,,camhs,,Riverside CAMHS,,"
                               "2026-02-02,,,,,,,,"))
    assert clash.lines()[0] == ("line 2, column D (date_of_birth): The child already recorded with this NHS "
                                "number has a different date of birth")


def test_two_children_with_the_same_name_and_birthday_but_different_nhs_numbers_are_two_children(uow, agencies):
    rows = [f"R-40{i},Sam,Smith,2016-01-01,{nhs},,,camhs,,Riverside CAMHS,,2026-02-02,,,,,,,,"
            for i, nhs in enumerate(("9990000034", "9990000042", "999 000 0034"))]
    report = run(uow, csv_bytes(*rows))
    assert (report.referrals_created, report.families_created) == (3, 2)
    refs = by_record(uow)
    assert refs["R-400"].child_id != refs["R-401"].child_id and refs["R-402"].child_id == refs["R-400"].child_id


def test_a_dry_run_checks_and_writes_nothing(uow, agencies, existing):
    before = counts(uow)
    report = run(uow, csv_bytes(*GOOD_ROWS), dry_run=True)
    assert report.ok and report.summary() == (
        "Dry run: all 6 rows are valid. An import would create 6 referrals and 4 families and match 1 children "
        "already in the service. Nothing was written.")
    assert counts(uow) == before


def test_only_the_operator_imports_and_the_agency_must_exist(uow, agencies, practitioner):
    with pytest.raises(NotPermitted):
        service.import_referrals(uow, actor_of(practitioner), "Riverside Early Help Hub", csv_bytes(*GOOD_ROWS))
    with pytest.raises(Invalid):
        service.import_referrals(uow, OPERATOR, "No Such Hub", csv_bytes(*GOOD_ROWS))


def test_the_command_prints_the_summary_and_exits_1_on_errors(app, uow, agencies, existing, tmp_path):
    good, bad, report_file = tmp_path / "good.csv", tmp_path / "bad.csv", tmp_path / "report.txt"
    good.write_bytes(csv_bytes(*GOOD_ROWS))
    bad.write_bytes(csv_bytes(GOOD_ROWS[0].replace("2026-03-09", "2026-03-01")))
    runner = app.test_cli_runner()
    before = counts(uow)

    failed = runner.invoke(args=["referrals", "import", str(bad), "--agency", "Riverside Early Help Hub",
                                 "--report", str(report_file)])
    assert failed.exit_code == 1, failed.output
    assert "line 2, column N (decided_on): The decision cannot be before the referral was received" in failed.output
    assert "1 problem(s) in 1 rows: nothing was imported." in failed.output
    assert report_file.read_text().splitlines()[-1] == "1 problem(s) in 1 rows: nothing was imported."
    assert counts(uow) == before

    dry = runner.invoke(args=["referrals", "import", str(good), "--agency", "Riverside Early Help Hub", "--dry-run"])
    assert dry.exit_code == 0 and "Dry run: all 6 rows are valid" in dry.output
    assert counts(uow) == before

    camhs_id = str(agencies["Riverside CAMHS"].id)  # an agency may be named by its id too
    done = runner.invoke(args=["referrals", "import", str(good), "--agency", camhs_id])
    assert done.exit_code == 0, done.output
    assert "Imported 6 referrals from 6 rows; 4 families created; 1 children matched" in done.output
    assert counts(uow)["Referral"] == before["Referral"] + 6

    unknown = runner.invoke(args=["referrals", "import", str(good), "--agency", "No Such Hub"])
    assert unknown.exit_code == 2 and "Give the importing agency's id" in unknown.output


def test_the_documented_example_file_has_the_documented_columns():
    from pathlib import Path

    example = Path(__file__).parents[2] / "docs" / "examples" / "referrals-import-example.csv"
    header = example.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert set(header) == set(service.COLUMNS)
    docs = (Path(__file__).parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    assert all(f"`{column}`" in docs for column in service.COLUMNS)


def test_the_documented_example_file_imports_into_the_demo_borough(uow):
    from pathlib import Path

    from coordination.demo import borough

    for demo in borough.AGENCIES:
        factories.AgencyFactory(name=demo.name, type=demo.type.value)
    uow.session.flush()
    example = Path(__file__).parents[2] / "docs" / "examples" / "referrals-import-example.csv"
    report = run(uow, example.read_bytes(), agency=borough.NORTH)
    assert report.ok, report.lines()
    assert (report.referrals_created, report.families_created) == (6, 5)
