"""The referral service: lifecycle and audit, backdating, idempotency, who may see and act, partners."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import OutboxMessage, Referral
from coordination.services import auth as auth_service
from coordination.services import referrals as service
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of

REASON = "Fictional: Rowan has stopped going to school and is withdrawn at home."


@pytest.fixture
def camhs(uow):
    return factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")


@pytest.fixture
def clinician(camhs):
    return factories.UserFactory(agency=camhs, role="practitioner", email="cam.clinician@example.org")


@pytest.fixture
def family(make_family, practitioner):
    return make_family(practitioner)


def key_for(uow, agency, scopes=("referrals",)):
    key, _ = auth_service.issue_api_key(uow, Actor.system("test"), agency.id, "Key", list(scopes))
    uow.commit()
    return auth_service.actor_for_key(key)


def refer(uow, user_or_actor, family, to_agency, pathway="camhs", **kw):
    actor = user_or_actor if isinstance(user_or_actor, Actor) else actor_of(user_or_actor)
    view = service.create_referral(uow, actor, family.id, family.children[0].id, pathway, to_agency.id,
                                   kw.pop("reason", REASON), **kw)
    uow.commit()
    return view


def consent_to(uow, practitioner, family, agency, sections=("health",)):
    parent = next(p for p in family.people if p.role == "parent_carer")
    consent_service.record_consent(uow, actor_of(practitioner), family.id, given_by=parent.id,
                                   capacity="parent_with_pr", sections=list(sections),
                                   recipients={"agencies": [agency.id]}, purpose="Referral to the team")
    uow.commit()


def referral_events(uow, referral_id) -> list[AuditEvent]:
    return list(uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "referral",
                                                             AuditEvent.record_id == str(referral_id))
                                    .order_by(AuditEvent.seq)).scalars())


def test_a_referral_walks_received_accepted_in_progress_closed_with_each_step_attributed_and_audited(
        uow, practitioner, clinician, camhs, family):
    made = refer(uow, practitioner, family, camhs)
    assert (made.status, made.stage, made.received_on, made.reason) == ("received", "referral", uow.today(), REASON)
    assert [c.name for c in made.clocks] == ["first_contact"]

    accepted = service.decide(uow, actor_of(clinician), made.id, "accept", "Meets criteria")
    uow.commit()
    moved = service.transition(uow, actor_of(clinician), made.id, "first_contact", "Met Rowan and Morgan")
    uow.commit()
    closed = service.close(uow, actor_of(clinician), made.id, "discharged_goals_met", "Goals met")
    uow.commit()

    assert accepted.status == "accepted" and accepted.decision == "accept"
    assert accepted.decision_reason == "Meets criteria"
    assert (moved.status, moved.stage) == ("in_progress", "first_contact")
    assert (closed.status, closed.outcome) == ("closed", "discharged_goals_met")
    assert [(e.kind, e.by_agency_id) for e in closed.events] == [
        ("received", practitioner.agency_id), ("decided", camhs.id), ("accepted", camhs.id),
        ("entered:first_contact", camhs.id), ("closed", camhs.id)]
    assert closed.events[3].note == "Met Rowan and Morgan"
    assert closed.clocks[0].stopped_on == uow.today() and closed.clocks[0].within_target is True
    events = [e for e in referral_events(uow, made.id) if e.action != "notify"]  # the emails have their own
    assert [(e.action, e.actor_agency_id) for e in events] == [
        ("create", str(practitioner.agency_id)), ("decision", str(camhs.id)), ("transition", str(camhs.id)),
        ("update", str(camhs.id))]
    assert events[0].family_id == str(family.id)
    assert events[2].details["to_stage"] == "first_contact"
    # Nothing the family said in the audit trail: no reason, no decision reason, no note.
    text = json.dumps([[e.details, e.reason, e.authority] for e in events])
    assert "school" not in text and "criteria" not in text and "Morgan" not in text


def test_creating_a_referral_publishes_ids_only_to_the_outbox(uow, practitioner, camhs, family):
    made = refer(uow, practitioner, family, camhs)
    message = uow.session.execute(select(OutboxMessage).where(OutboxMessage.topic == "referral.created")
                                  .order_by(OutboxMessage.created_at.desc())).scalars().first()
    assert message.payload == {"referral_id": str(made.id)}


def test_a_referral_received_by_phone_last_week_is_backdated_and_its_clocks_start_then(
        uow, practitioner, camhs, family):
    last_week = uow.today() - dt.timedelta(days=7)
    made = refer(uow, practitioner, family, camhs, received_on=last_week)
    assert made.received_on == last_week
    assert made.clocks[0].started_on == last_week
    assert made.clocks[0].due_on == last_week + dt.timedelta(weeks=4)
    assert referral_events(uow, made.id)[0].details["backdated"] is True


def test_a_received_date_in_the_future_is_refused_when_staff_refer(uow, practitioner, camhs, family):
    with pytest.raises(Invalid) as refused:
        refer(uow, practitioner, family, camhs, received_on=uow.today() + dt.timedelta(days=1))
    assert refused.value.errors == {"received_on": ["The date received must be today or in the past"]}


def test_unknown_pathway_agency_child_and_urgency_are_all_named_when_the_referral_is_wrong(
        uow, practitioner, family, make_family):
    other_child = make_family(practitioner, surname="Otherfamily", children=("Ash",)).children[0]
    with pytest.raises(Invalid) as refused:
        service.create_referral(uow, actor_of(practitioner), family.id, other_child.id, "astrology",
                                family.id, " ", urgency="whenever")
    assert set(refused.value.errors) == {"pathway", "to_agency_id", "child_id", "urgency", "reason"}


def test_a_retry_with_the_same_idempotency_key_returns_the_first_referral_when_sent_twice(
        uow, practitioner, camhs, family):
    first = refer(uow, practitioner, family, camhs, idempotency_key="abc-123")
    again = refer(uow, practitioner, family, camhs, idempotency_key="abc-123")
    count = uow.session.scalar(select(func.count()).select_from(Referral).where(Referral.family_id == family.id))
    assert (again.id, again.replayed, first.replayed, count) == (first.id, True, False, 1)
    with pytest.raises(Conflict):
        refer(uow, practitioner, family, camhs, pathway="eating_disorder", idempotency_key="abc-123")


def test_the_same_idempotency_key_from_another_credential_is_another_referral(
        uow, practitioner, manager, camhs, family):
    first = refer(uow, practitioner, family, camhs, idempotency_key="1")
    second = refer(uow, manager, family, camhs, idempotency_key="1")
    assert first.id != second.id


def test_another_agency_is_told_the_referral_does_not_exist_when_it_is_neither_holder_sender_nor_receiver(
        uow, practitioner, outsider, camhs, clinician, family):
    made = refer(uow, practitioner, family, camhs)
    with pytest.raises(NotFound):
        service.get_referral(uow, actor_of(outsider), made.id)
    with pytest.raises(NotFound):
        service.decide(uow, actor_of(outsider), made.id, "accept", "x")
    assert service.list_referrals(uow, actor_of(outsider)) == []
    # The receiving agency's staff see it; the sender sees it but cannot decide for the receiver.
    assert service.get_referral(uow, actor_of(clinician), made.id).id == made.id
    assert [r.id for r in service.list_referrals(uow, actor_of(clinician), status="received")] == [made.id]
    with pytest.raises(NotPermitted):
        service.decide(uow, actor_of(practitioner), made.id, "accept", "Self-approved")


def test_admins_cannot_read_or_make_referrals(uow, practitioner, admin_user, camhs, family):
    made = refer(uow, practitioner, family, camhs)
    with pytest.raises(NotPermitted):
        service.get_referral(uow, actor_of(admin_user), made.id)
    with pytest.raises(NotPermitted):
        refer(uow, admin_user, family, camhs)


def test_a_decline_needs_where_the_family_was_signposted_and_is_final(uow, practitioner, clinician, camhs, family):
    made = refer(uow, practitioner, family, camhs)
    with pytest.raises(Invalid) as refused:
        service.decide(uow, actor_of(clinician), made.id, "decline", "Below threshold")
    assert set(refused.value.errors) == {"signposted_to"}
    declined = service.decide(uow, actor_of(clinician), made.id, "decline", "Below threshold",
                              signposted_to="Kooth online support")
    uow.commit()
    assert (declined.status, declined.signposted_to) == ("declined", "Kooth online support")
    # The first-contact clock waited for a contact that will not happen: it no longer runs.
    assert declined.clocks == []
    with pytest.raises(Conflict):
        service.decide(uow, actor_of(clinician), made.id, "accept", "Changed our mind")
    with pytest.raises(Conflict):
        service.transition(uow, actor_of(clinician), made.id, "first_contact")


def test_a_stage_the_pathway_does_not_allow_next_is_refused(uow, practitioner, early_help, family):
    made = refer(uow, practitioner, family, early_help, pathway="early_help")
    with pytest.raises(Conflict):  # not accepted yet
        service.transition(uow, actor_of(practitioner), made.id, "assessment")
    service.decide(uow, actor_of(practitioner), made.id, "accept", "Threshold met")
    with pytest.raises(Invalid) as refused:
        service.transition(uow, actor_of(practitioner), made.id, "review")
    assert refused.value.errors == {"to_stage": ["From request the referral can move to: assessment"]}


def test_an_hour_clock_is_due_hours_after_receipt_when_a_crisis_referral_is_very_urgent(
        uow, practitioner, camhs, family):
    made = refer(uow, practitioner, family, camhs, pathway="camhs_crisis", urgency="very_urgent")
    clock = made.clocks[0]
    assert clock.name == "response"
    assert clock.due_at == made.received_at + dt.timedelta(hours=4)


def test_a_pause_moves_a_working_day_clock_back_by_the_working_days_paused(uow, practitioner, early_help, family):
    uow.now = lambda: dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC)  # Mon 4 Jan 2027
    made = refer(uow, practitioner, family, early_help, pathway="early_help")
    assert made.clocks[0].due_on == dt.date(2027, 1, 11)  # Tue 5 … Mon 11: 5 working days
    uow.now = lambda: dt.datetime(2027, 1, 6, 10, tzinfo=dt.UTC)  # recorded on Wed 6 Jan, after the fact
    paused = service.add_pause(uow, actor_of(practitioner), made.id, "family_request", dt.date(2027, 1, 4),
                               dt.date(2027, 1, 5))
    # 4 and 5 Jan are two working days paused: Mon 11 + 2 working days = Wed 13 Jan.
    assert paused.clocks[0].due_on == dt.date(2027, 1, 13)


def test_an_exception_code_the_pathway_does_not_allow_is_refused(uow, practitioner, camhs, family):
    made = refer(uow, practitioner, family, camhs)
    with pytest.raises(NotPermitted):
        service.add_exception(uow, actor_of(practitioner), made.id, "10_4_c")
    camhs_key = key_for(uow, camhs)
    with pytest.raises(Invalid) as refused:
        service.add_exception(uow, camhs_key, made.id, "10_4_c")
    assert refused.value.errors == {"code": ["No clock of this pathway allows exceptions"]}


def test_a_partner_without_cover_for_the_family_is_told_it_does_not_exist(uow, camhs, family):
    with pytest.raises(NotFound):
        refer(uow, key_for(uow, camhs), family, camhs)


def test_a_partner_with_consent_refers_today_and_decides_only_what_is_sent_to_it(
        uow, practitioner, camhs, early_help, family):
    consent_to(uow, practitioner, family, camhs)
    partner = key_for(uow, camhs)
    made = refer(uow, partner, family, early_help, pathway="early_help",
                 received_on=uow.today() - dt.timedelta(days=3))
    assert made.received_on == uow.today()  # partners do not backdate
    assert (made.from_agency_id, made.referred_by_key_id) == (camhs.id, partner.api_key_id)
    assert referral_events(uow, made.id)[0].authority["recipient_agency_id"] == str(camhs.id)
    with pytest.raises(NotPermitted):
        service.decide(uow, partner, made.id, "accept", "We sent it")
    to_partner = refer(uow, practitioner, family, camhs)
    assert service.decide(uow, partner, to_partner.id, "accept", "Seen").status == "accepted"
    assert {r.id for r in service.list_referrals(uow, partner)} == {made.id, to_partner.id}


def test_a_key_without_the_referrals_scope_may_not_use_referrals(uow, practitioner, camhs, family):
    consent_to(uow, practitioner, family, camhs)
    with pytest.raises(NotPermitted):
        refer(uow, key_for(uow, camhs, scopes=("read:assessment",)), family, camhs)


def test_the_receiving_team_reads_only_the_consented_sections_of_the_story(
        uow, practitioner, clinician, camhs, family):
    made = refer(uow, practitioner, family, camhs)
    with pytest.raises(NotFound):  # no consent yet: nothing to read
        service.shared_assessment(uow, actor_of(clinician), made.id)
    uow.rollback()
    consent_to(uow, practitioner, family, camhs, sections=("health", "family_story"))
    seen = service.shared_assessment(uow, actor_of(clinician), made.id)
    uow.commit()
    assert {s.key for s in seen.sections} == {"health", "family_story"}
    disclose = [e for e in uow.session.execute(select(AuditEvent).where(AuditEvent.action == "disclose",
                AuditEvent.family_id == str(family.id)).order_by(AuditEvent.seq)).scalars()]
    assert disclose[-1].authority["channel"] == "referral"
    # The case holder reads the whole assessment.
    whole = service.shared_assessment(uow, actor_of(practitioner), made.id)
    assert len(whole.sections) > 2
