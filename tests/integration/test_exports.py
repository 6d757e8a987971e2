"""SEN2-style and CIN-census-style extracts on a known data set (period 1 January – 31 March 2026).

EHC requests:  e1 plan within 20 weeks → IssuedWithin20Weeks Y/Y;  e2 late with reg 10(4)(c) recorded → N,
or excepted Y;  e3 late, no exception → N/N;  e4 declined to assess → RequestOutcome N, no plan, blank.
Social care:   c1 from council early help, assessed, closed with outcome step_down → 5D, RC9;  c2 from a school,
declined → 2A, NFA Y;  c3 closed and a step-down referral linked from it → RC9;  c4 sent to this agency about
another council's family → in the extract, UPN blank.  Another council's own referral is never in it.
"""
import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain.identifiers import upn_check_letter
from coordination.errors import Invalid, NotPermitted
from coordination.models import Referral, ReferralClock, ReferralEvent, ReferralException
from coordination.services.families import NewPerson, create_family
from coordination.services.reporting import exports

from ..conftest import actor_of
from ..factories import AgencyFactory

D = dt.date
FIRST, LAST = D(2026, 1, 1), D(2026, 3, 31)


def _at(day):
    return dt.datetime(day.year, day.month, day.day, 11, tzinfo=dt.UTC)


def _upn(body):
    return upn_check_letter(body) + body


@pytest.fixture
def known(uow, practitioner, manager, outsider, early_help):
    ours = create_family(uow, actor_of(practitioner), [
        NewPerson("child", "Ash", "Testfamily", D(2014, 6, 1), upn=_upn("801200001001"))], confirm_new=True)
    theirs = create_family(uow, actor_of(outsider), [
        NewPerson("child", "Birch", "Elsewhere", D(2013, 2, 1), upn=_upn("801200001002"))], confirm_new=True)
    uow.commit()
    send = AgencyFactory(name="Eastmere SEND Team", type="send_service")
    social_care = AgencyFactory(name="Eastmere Children's Social Care", type="social_care")
    school = AgencyFactory(name="Eastmere Primary", type="school")
    hillside = AgencyFactory(name="Hillside Social Care", type="social_care")

    def referral(pathway, received, *, to, sender=early_help, family=ours, decision=None, closed=None,
                 outcome=None, events=(), clocks=(), exceptions=(), linked_from=None, link_kind=None):
        ref = Referral(family_id=family.id, child_id=family.children[0].id, pathway=pathway,
                       from_agency_id=sender.id if sender else None, to_agency_id=to.id, urgency="routine",
                       status="closed" if closed else "received", stage="x", received_on=received,
                       received_at=_at(received), decision=decision, closed_at=_at(closed) if closed else None,
                       outcome=outcome, linked_from_id=linked_from, link_kind=link_kind,
                       owning_agency_id=family.owning_agency_id)
        uow.session.add(ref)
        uow.session.flush()
        for kind, day in (("received", received), *events):
            uow.session.add(ReferralEvent(referral_id=ref.id, kind=kind, occurred_at=_at(day)))
        for name, start, due, stop, within, excepted in clocks:
            uow.session.add(ReferralClock.of(ref, name=name, started_at=_at(start), started_on=start, due_on=due,
                                          stopped_at=_at(stop) if stop else None, stopped_on=stop,
                                          within_target=within, excepted=excepted, statutory=True, limit_text="x"))
        for code in exceptions:
            uow.session.add(ReferralException(referral_id=ref.id, code=code, from_on=D(2025, 12, 1),
                                              to_on=D(2025, 12, 20)))
        uow.session.flush()
        return ref

    refs = {
        "e1": referral("ehc_needs_assessment", D(2025, 10, 6), to=send, decision="accept",
                       events=[("decided", D(2025, 11, 10)), ("entered:draft_plan", D(2026, 1, 20)),
                               ("entered:final_plan", D(2026, 2, 23))],
                       clocks=[("final_plan", D(2025, 10, 6), D(2026, 2, 23), D(2026, 2, 23), True, False)]),
        "e2": referral("ehc_needs_assessment", D(2025, 9, 1), to=send, decision="accept",
                       events=[("decided", D(2025, 10, 1)), ("entered:final_plan", D(2026, 1, 26))],
                       clocks=[("final_plan", D(2025, 9, 1), D(2026, 1, 19), D(2026, 1, 26), False, True)],
                       exceptions=["10_4_c"]),
        "e3": referral("ehc_needs_assessment", D(2025, 9, 15), to=send, decision="accept",
                       events=[("decided", D(2025, 10, 20)), ("entered:final_plan", D(2026, 3, 2))],
                       clocks=[("final_plan", D(2025, 9, 15), D(2026, 2, 2), D(2026, 3, 2), False, False)]),
        "e4": referral("ehc_needs_assessment", D(2026, 2, 2), to=send, decision="decline",
                       events=[("decided", D(2026, 3, 2))]),
        "c1": referral("social_care", D(2026, 1, 9), to=social_care, decision="accept", closed=D(2026, 3, 1),
                       outcome="step_down", events=[("decided", D(2026, 1, 9)), ("entered:assessment", D(2026, 1, 12))],
                       clocks=[("assessment", D(2026, 1, 9), D(2026, 3, 13), D(2026, 2, 20), True, False)]),
        "c2": referral("social_care", D(2026, 2, 3), to=social_care, sender=school, decision="decline",
                       closed=D(2026, 2, 4), events=[("decided", D(2026, 2, 4))]),
        "c3": referral("social_care", D(2026, 1, 5), to=social_care, decision="accept", closed=D(2026, 3, 10)),
        "c4": referral("social_care", D(2026, 2, 10), to=early_help, sender=hillside, family=theirs),
        # Closed before the period: not in it.
        "old": referral("social_care", D(2025, 6, 1), to=social_care, closed=D(2025, 7, 1)),
    }
    referral("early_help", D(2026, 3, 10), to=early_help, sender=social_care, linked_from=refs["c3"].id,
             link_kind="step_down")
    # Another council's own referral: never in this manager's extract.
    refs["theirs"] = referral("social_care", D(2026, 1, 9), to=hillside, sender=hillside, family=theirs)
    uow.commit()
    return refs


def test_ehc_timeliness_is_reported_with_and_without_exceptions(uow, manager, known):
    rows = exports.sen2_extract(uow, actor_of(manager), FIRST, LAST)
    got = {r["ReceivedDate"]: (r["IssuedWithin20Weeks"], r["IssuedWithin20WeeksOrExcepted"], r["ExceptionCodes"])
           for r in rows}
    assert got == {
        D(2025, 10, 6): ("Y", "Y", None),
        D(2025, 9, 1): ("N", "Y", "10_4_c"),
        D(2025, 9, 15): ("N", "N", None),
        D(2026, 2, 2): (None, None, None),
    }
    e1 = next(r for r in rows if r["ReceivedDate"] == D(2025, 10, 6))
    assert (e1["RequestOutcome"], e1["RequestOutcomeDate"]) == ("Y", D(2025, 11, 10))
    assert (e1["AssessmentOutcome"], e1["AssessmentOutcomeDate"], e1["StartDate"]) == ("Y", D(2026, 1, 20),
                                                                                     D(2026, 2, 23))
    assert e1["PersonId"] == known["e1"].child_id and e1["UPN"] == _upn("801200001001")
    e4 = next(r for r in rows if r["ReceivedDate"] == D(2026, 2, 2))
    assert (e4["RequestOutcome"], e4["StartDate"]) == ("N", None)


def test_cin_referral_source_and_step_down_closure(uow, manager, known):
    rows = exports.cin_extract(uow, actor_of(manager), FIRST, LAST)
    got = {r["CINreferralDate"]: r for r in rows}
    assert set(got) == {D(2026, 1, 9), D(2026, 2, 3), D(2026, 1, 5), D(2026, 2, 10)}
    c1 = got[D(2026, 1, 9)]
    assert (c1["ReferralSource"], c1["ReferralNFA"], c1["ReasonForClosure"]) == ("5D", "N", "RC9")
    assert (c1["AssessmentActualStartDate"], c1["AssessmentAuthorisationDate"], c1["CINclosureDate"]) == (
        D(2026, 1, 12), D(2026, 2, 20), D(2026, 3, 1))
    c2 = got[D(2026, 2, 3)]
    assert (c2["ReferralSource"], c2["ReferralNFA"], c2["ReasonForClosure"]) == ("2A", "Y", None)
    assert got[D(2026, 1, 5)]["ReasonForClosure"] == "RC9"  # a step-down referral links from it
    c4 = got[D(2026, 2, 10)]
    assert c4["ReferralSource"] == "10" and c4["UPN"] is None  # another council holds that family
    assert c4["LAchildID"] == known["c4"].child_id
    assert known["theirs"].child_id == c4["LAchildID"]  # same child, but only the referral sent to us is listed
    assert len(rows) == 4


def test_every_extract_is_audited_without_its_content(uow, manager, known):
    exports.cin_extract(uow, actor_of(manager), FIRST, LAST)
    exports.sen2_extract(uow, actor_of(manager), FIRST, LAST)
    uow.commit()
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "export")
                                 .order_by(AuditEvent.seq)).scalars().all()
    assert [(e.record_type, e.details) for e in events] == [
        ("cin_extract", {"rows": 4, "first": "2026-01-01", "last": "2026-03-31"}),
        ("sen2_extract", {"rows": 4, "first": "2026-01-01", "last": "2026-03-31"}),
    ]


def test_another_councils_manager_gets_only_their_own_referrals(uow, outsider, known):
    from coordination.services.auth import actor_for_user

    outsider.role = "manager"
    uow.session.flush()
    rows = exports.cin_extract(uow, actor_for_user(outsider), FIRST, LAST)
    # Their own referral and the one they sent to our hub; none of ours.
    assert sorted(r["CINreferralDate"] for r in rows) == [D(2026, 1, 9), D(2026, 2, 10)]
    assert all(r["LAchildID"] == known["theirs"].child_id for r in rows)
    assert exports.sen2_extract(uow, actor_for_user(outsider), FIRST, LAST) == []


def test_practitioners_cannot_export_and_bad_periods_are_refused(uow, practitioner, manager):
    with pytest.raises(NotPermitted):
        exports.cin_extract(uow, actor_of(practitioner), FIRST, LAST)
    with pytest.raises(Invalid) as caught:
        exports.sen2_extract(uow, actor_of(manager), LAST, FIRST)
    assert set(caught.value.errors) == {"to"}


def test_csv_has_the_documented_header_and_defuses_formulas():
    text = exports.to_csv(exports.CIN_COLUMNS, [{"LAchildID": "=HYPERLINK(1)", "CINreferralDate": D(2026, 1, 9)}])
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == [name for name, _ in exports.CIN_COLUMNS]
    assert row[0] == "'=HYPERLINK(1)" and row[2] == "2026-01-09"


def test_docs_file_documents_every_column_of_every_export():
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "exports.md").read_text()
    for columns in (exports.SEN2_COLUMNS, exports.CIN_COLUMNS, exports.DRILL_DOWN_COLUMNS):
        for name, meaning in columns:
            assert f"| `{name}` | {meaning} |" in text, name
