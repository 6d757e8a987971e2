"""No wrong door: a receiving team redirects an undecided referral to the right team in one step; the family's
wait keeps counting from the original received date while the new team's own decision clock starts; both teams
see the history; the pathway's kinds of agency are enforced; a decline with nowhere offered is counted.

Due dates by hand (domain/calendar.py: day 0 is the start; no bank holidays in January 2027 after the 1st):
  received Mon 4 Jan 2027 → early help decision (5 working days): 5, 6, 7, 8, 11 → due Mon 11 Jan.
  redirected Wed 6 Jan → the new team's decision (5 working days): 7, 8, 11, 12, 13 → due Wed 13 Jan.
  decided Tue 12 Jan: the family waited too long (late on the first clock), the new team was in time.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import OutboxMessage
from coordination.services import import_csv
from coordination.services import referrals as service
from coordination.services.reporting import metrics

from .. import factories
from ..conftest import actor_of
from .test_journey_clocks import clocks, on
from .test_referrals import REASON, consent_to

WHY = "Fictional: the family moved to the south of the borough last month."


@pytest.fixture
def north(uow):
    return factories.AgencyFactory(name="Northside Early Help Hub", type="council_early_help")


@pytest.fixture
def south(uow):
    return factories.AgencyFactory(name="Southside Early Help Hub", type="council_early_help")


@pytest.fixture
def north_worker(north):
    return actor_of(factories.UserFactory(agency=north, role="practitioner", email="north.worker@example.org"))


@pytest.fixture
def south_worker(south):
    return actor_of(factories.UserFactory(agency=south, role="practitioner", email="south.worker@example.org"))


@pytest.fixture
def sent(uow, practitioner, make_family, north):
    """A referral from the case-holding hub to the north hub (covered by the family's consent) on Mon 4 Jan 2027."""
    on(uow, "2027-01-04")
    family = make_family(practitioner, children=("Rowan",))
    consent_to(uow, practitioner, family, north, sections=["family_story"])
    view = service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "early_help",
                                   north.id, REASON, sections_shared=["family_story", "health"])
    uow.commit()
    return family, view


def test_the_redirect_keeps_the_familys_wait_starts_the_new_teams_clock_and_both_teams_see_the_history(
        uow, sent, north, south, north_worker, south_worker):
    family, made = sent
    on(uow, "2027-01-06")
    moved = service.redirect(uow, north_worker, made.id, south.id, WHY)
    uow.commit()

    assert (moved.to_agency_id, moved.status, moved.received_on) == (south.id, "received", dt.date(2027, 1, 4))
    assert clocks(moved) == {
        "decision": ("2027-01-04", "2027-01-11", None, None, False),             # the family's wait goes on
        "redirected_decision": ("2027-01-06", "2027-01-13", None, None, False),  # the new team's own clock
    }
    redirected = [e for e in moved.events if e.kind == "redirected"]
    assert [(e.by_agency_id, e.from_agency_id, e.to_agency_id, e.note) for e in redirected] == [
        (north.id, north.id, south.id, WHY)]

    # The new team has it in its inbox, with the history; the old team no longer does, but keeps its entry.
    inbox = service.list_referrals(uow, south_worker, status="received", received_only=True)
    assert [r.id for r in inbox] == [made.id]
    assert [e.kind for e in service.get_referral(uow, south_worker, made.id).events] == ["received", "redirected"]
    assert service.list_referrals(uow, north_worker, received_only=True) == []
    with pytest.raises(NotFound):
        service.get_referral(uow, north_worker, made.id)
    (kept,) = service.redirected_by_us(uow, north_worker)
    assert (kept.referral_id, kept.to_agency_id, kept.reason, kept.received_on) == (
        made.id, south.id, WHY, dt.date(2027, 1, 4))
    assert service.redirected_by_us(uow, south_worker) == []
    uow.commit()

    # Audited (ids and codes, never the reason), and the new team is told as for a new referral.
    (event,) = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "redirect")).scalars()
    assert (event.record_id, event.family_id, event.actor_agency_id) == (str(made.id), str(family.id),
                                                                         str(north.id))
    assert event.details["from_agency_id"] == str(north.id) and event.details["to_agency_id"] == str(south.id)
    assert event.details["received_on"] == "2027-01-04" and WHY not in str(event.details)
    assert event.details["sections_covered"] == []  # the family's consent covers the north hub, not the south
    kinds = [m.topic for m in uow.session.execute(select(OutboxMessage)).scalars()]
    assert kinds.count("referral.created") == 2

    on(uow, "2027-01-12")
    decided = service.decide(uow, south_worker, made.id, "accept", "Ours now")
    uow.commit()
    assert clocks(decided) == {
        "decision": ("2027-01-04", "2027-01-11", "2027-01-12", False, False),
        "redirected_decision": ("2027-01-06", "2027-01-13", "2027-01-12", True, False),
        "assessment": ("2027-01-12", "2027-03-16", None, None, False),
    }


def test_a_second_redirect_restarts_only_the_new_teams_clock(uow, sent, practitioner, south, north_worker,
                                                             south_worker):
    family, made = sent
    central = factories.AgencyFactory(name="Central Early Help Hub", type="council_early_help")
    consent_to(uow, practitioner, family, south, sections=["family_story"])
    on(uow, "2027-01-05")
    service.redirect(uow, north_worker, made.id, south.id, WHY)
    on(uow, "2027-01-07")
    again = service.redirect(uow, south_worker, made.id, central.id, "Fictional: Central holds the sibling's case.")
    uow.commit()
    got = clocks(again)
    assert got["decision"][:2] == ("2027-01-04", "2027-01-11")
    assert got["redirected_decision"][:2] == ("2027-01-07", "2027-01-14")  # 8, 11, 12, 13, 14
    assert [e.kind for e in again.events] == ["received", "redirected", "redirected"]
    assert [r.to_agency_id for r in service.redirected_by_us(uow, south_worker)] == [central.id]


def test_who_may_redirect_where_and_when(uow, sent, practitioner, north, north_worker, outsider):
    family, made = sent
    social_care = factories.AgencyFactory(name="Northside Children's Social Care", type="social_care")
    with pytest.raises(Invalid) as wrong_kind:
        service.redirect(uow, north_worker, made.id, social_care.id, WHY)
    assert wrong_kind.value.errors == {"to_agency_id": [
        "Early help referrals go to a council early help team: choose a team of that kind"]}
    with pytest.raises(Invalid) as same:
        service.redirect(uow, north_worker, made.id, north.id, " ")
    assert set(same.value.errors) == {"to_agency_id", "reason"}
    with pytest.raises(NotPermitted):  # the sender (and case holder) sees it, but is not the receiving team
        service.redirect(uow, actor_of(practitioner), made.id, practitioner.agency_id, WHY)
    with pytest.raises(NotFound):
        service.redirect(uow, actor_of(outsider), made.id, practitioner.agency_id, WHY)
    with pytest.raises(NotPermitted):
        service.redirect(uow, actor_of(factories.UserFactory(agency=north, role="admin")), made.id,
                         practitioner.agency_id, WHY)
    uow.rollback()
    service.decide(uow, north_worker, made.id, "decline", "Not ours", "Eastmere Family Hub drop-in")
    uow.commit()
    with pytest.raises(Conflict):
        service.redirect(uow, north_worker, made.id, practitioner.agency_id, WHY)


def test_a_team_without_cover_for_the_family_cannot_pass_its_referral_on(uow, practitioner, make_family, north,
                                                                          south, north_worker):
    family = make_family(practitioner, children=("Skye",))
    made = service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "early_help",
                                   north.id, REASON)  # no consent covers the north hub
    uow.commit()
    with pytest.raises(service.NoCover):
        service.redirect(uow, north_worker, made.id, south.id, WHY)


def test_the_pathway_decides_which_kinds_of_team_receive_a_referral(uow, practitioner, make_family):
    family = make_family(practitioner)
    front_door = factories.AgencyFactory(name="Northside Front Door", type="social_care")
    send = factories.AgencyFactory(name="Northside SEND Service", type="send_service")
    with pytest.raises(Invalid) as refused:
        service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id,
                                "ehc_needs_assessment", front_door.id, REASON)
    assert refused.value.errors == {"to_agency_id": [
        "EHC needs assessment referrals go to a SEND service: choose a team of that kind"]}
    made = service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id,
                                   "ehc_needs_assessment", send.id, REASON)
    assert made.to_agency_id == send.id


IMPORT_HEADER = ("record_id,given_name,family_name,date_of_birth,nhs_number,upn,ward,pathway,from_agency,"
                 "to_agency,urgency,received_on,decision,decided_on,signposted_to,stages,closed_on,outcome,"
                 "exceptions,pauses")


def _import(uow, *rows: str):
    data = ("\r\n".join([IMPORT_HEADER, *rows]) + "\r\n").encode()
    report = import_csv.import_referrals(uow, Actor.system("cli"), "Riverside Early Help Hub", data)
    uow.commit()
    return report


def test_the_import_refuses_a_referral_to_a_team_of_the_wrong_kind(uow, early_help):
    factories.AgencyFactory(name="Riverside Front Door", type="social_care")
    uow.commit()
    report = _import(uow, "W-1,Ellis,Example,2015-01-01,,,,ehc_needs_assessment,,Riverside Front Door,,"
                          "2026-01-05,,,,,,,,")
    assert not report.ok and report.referrals_created == 0
    assert any("cannot receive this referral" in line and "EHC needs assessment referrals go to a SEND service"
               in line for line in report.lines())


def test_the_dashboard_counts_declines_with_nowhere_offered_as_fallen_through_the_gap(
        uow, early_help, manager, practitioner, make_family, north, north_worker):
    # A known data set, received in January 2026: four imported (accepted; declined and signposted; declined
    # with nothing offered, twice as blank) and one live referral, redirected by the north hub.
    rows = ["G-1,Ada,Example,2015-01-01,,,,early_help,,Riverside Early Help Hub,,2026-01-05,accept,2026-01-06,,,,,,",
            "G-2,Bo,Example,2015-01-01,,,,early_help,,Riverside Early Help Hub,,2026-01-05,decline,2026-01-06,"
            "School nurse,,,,,",
            "G-3,Cy,Example,2015-01-01,,,,early_help,,Riverside Early Help Hub,,2026-01-07,decline,2026-01-08,,,,,,",
            "G-4,Di,Example,2015-01-01,,,,early_help,,Riverside Early Help Hub,,2026-01-07,decline,2026-01-08,,,,,,"]
    assert _import(uow, *rows).ok
    on(uow, "2026-01-12")
    family = make_family(practitioner, children=("Rowan",))
    consent_to(uow, practitioner, family, north, sections=["family_story"])
    made = service.create_referral(uow, actor_of(practitioner), family.id, family.children[0].id, "early_help",
                                   north.id, REASON)
    service.redirect(uow, north_worker, made.id, practitioner.agency_id, WHY)
    uow.commit()
    on(uow, "2026-02-02")
    report = metrics.timeliness(uow, actor_of(manager), dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    uow.commit()
    assert [(d.pathway, d.received, d.redirected, d.declined, d.fell_through_gap) for d in report.doors] == [
        ("early_help", 5, 1, 3, 2)]
