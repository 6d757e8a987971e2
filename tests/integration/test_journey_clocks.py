"""One child's journey across pathways, every due date computed by hand.

Convention (domain/calendar.py, docs/domain.md): the day a clock starts is day 0; "within N working days" is by
the end of the Nth working day after it; weeks are calendar weeks (start + 7N days). England and Wales bank
holidays in the period: Fri 25 Dec 2026, Mon 28 Dec 2026 (Boxing Day substitute), Fri 1 Jan 2027, Good
Friday 26 Mar 2027, Easter Monday 29 Mar 2027, early May Mon 3 May 2027, spring Mon 31 May 2027.

Early help → step-up to social care → step-down to early help → EHC needs assessment → final plan, and a
CAMHS referral in parallel. The service's clock is set to each day of the walk (10:00 UTC).
"""
from __future__ import annotations

import datetime as dt

from coordination.domain.actors import Actor
from coordination.services import auth as auth_service
from coordination.services import referrals as service
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of


def on(uow, day: str, hour: int = 10) -> None:
    """Run the next steps as if it were `day` at `hour`:00 UTC."""
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)
    uow.now = lambda: moment


def clocks(view) -> dict[str, tuple]:
    """name → (started_on, due_on, stopped_on, within_target, excepted), dates as ISO strings."""
    return {c.name: (c.started_on.isoformat(), c.due_on.isoformat(),
                     c.stopped_on.isoformat() if c.stopped_on else None, c.within_target, c.excepted)
            for c in view.clocks}


def test_a_child_walks_early_help_step_up_step_down_ehc_and_camhs_with_every_due_date_by_hand(
        uow, practitioner, make_family):
    social_care = factories.AgencyFactory(name="Riverside Children's Social Care", type="social_care")
    social_worker = actor_of(factories.UserFactory(agency=social_care, role="practitioner",
                                                   email="sam.socialworker@example.org"))
    send = factories.AgencyFactory(name="Riverside SEND Service", type="send_service")
    send_officer = actor_of(factories.UserFactory(agency=send, role="practitioner", email="ed.send@example.org"))
    camhs = factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")
    key, _ = auth_service.issue_api_key(uow, Actor.system("test"), camhs.id, "CAMHS system",
                                        ["referrals", "read:assessment"])
    uow.commit()
    camhs_key = auth_service.actor_for_key(key)
    lead = actor_of(practitioner)

    on(uow, "2026-12-21")
    family = make_family(practitioner, children=("Rowan",))
    child = family.children[0]
    parent = next(p for p in family.people if p.role == "parent_carer")
    consent_service.record_consent(
        uow, lead, family.id, given_by=parent.id, capacity="parent_with_pr", sections=["family_story", "health"],
        recipients={"agency_types": ["social_care", "send_service", "mental_health"]},
        purpose="So the teams Rowan is referred to read the family's story once")
    uow.commit()

    def refer(actor, pathway, to_agency, **kw):
        view = service.create_referral(uow, actor, family.id, child.id, pathway, to_agency.id,
                                       "Fictional reason for the referral", **kw)
        uow.commit()
        return view

    def step(fn, *args, **kw):
        view = fn(uow, *args, **kw)
        uow.commit()
        return view

    # 1. Early help: received Mon 21 Dec 2026.
    #    decision, 5 working days: Tue 22 (1), Wed 23 (2), Thu 24 (3), [Fri 25 Christmas, weekend, Mon 28
    #    Boxing Day substitute], Tue 29 (4), Wed 30 (5) → due Wed 30 Dec 2026.
    eh1 = refer(lead, "early_help", practitioner.agency)
    assert (eh1.status, eh1.stage) == ("received", "request")
    assert clocks(eh1) == {"decision": ("2026-12-21", "2026-12-30", None, None, False)}

    #    Accepted Thu 24 Dec 2026: decision in time. assessment, 45 working days from acceptance:
    #    Tue 29 (1), Wed 30 (2), Thu 31 (3), [Fri 1 Jan], Mon 4 – Fri 8 Jan (4–8), 11–15 Jan (9–13),
    #    18–22 Jan (14–18), 25–29 Jan (19–23), 1–5 Feb (24–28), 8–12 Feb (29–33), 15–19 Feb (34–38),
    #    22–26 Feb (39–43), Mon 1 Mar (44), Tue 2 Mar (45) → due Tue 2 Mar 2027.
    on(uow, "2026-12-24")
    eh1 = step(service.decide, lead, eh1.id, "accept", "Meets the early help threshold")
    assert eh1.status == "accepted"
    assert clocks(eh1) == {"decision": ("2026-12-21", "2026-12-30", "2026-12-24", True, False),
                           "assessment": ("2026-12-24", "2027-03-02", None, None, False)}
    on(uow, "2027-01-04")
    eh1 = step(service.transition, lead, eh1.id, "assessment", "Assessment visit booked")
    assert (eh1.status, eh1.stage) == ("in_progress", "assessment")

    # 2. Step-up to children's social care, received Tue 12 Jan 2027, linked to the early help episode.
    #    decision, 1 working day → Wed 13 Jan 2027. assessment, 45 working days from receipt: Wed 13 – Fri 15
    #    Jan (1–3), 18–22 Jan (4–8), 25–29 Jan (9–13), 1–5 Feb (14–18), 8–12 Feb (19–23), 15–19 Feb (24–28),
    #    22–26 Feb (29–33), 1–5 Mar (34–38), 8–12 Mar (39–43), Mon 15 Mar (44), Tue 16 Mar (45) → Tue 16 Mar.
    on(uow, "2027-01-12")
    sc = refer(lead, "social_care", social_care, urgency="urgent", linked_from_id=eh1.id, link_kind="step_up")
    assert (sc.status, sc.stage, sc.linked_from_id, sc.link_kind) == ("received", "referral", eh1.id, "step_up")
    assert clocks(sc) == {"decision": ("2027-01-12", "2027-01-13", None, None, False),
                          "assessment": ("2027-01-12", "2027-03-16", None, None, False)}
    on(uow, "2027-01-13")
    sc = step(service.decide, social_worker, sc.id, "accept", "Section 17 assessment needed")
    sc = step(service.transition, social_worker, sc.id, "assessment")
    #    The early help episode closes as the child steps up: its assessment clock never stopped and no
    #    longer runs (it is neither completed nor open and overdue).
    eh1 = step(service.close, lead, eh1.id, "stepped_up")
    assert (eh1.status, eh1.outcome) == ("closed", "stepped_up")
    assert clocks(eh1) == {"decision": ("2026-12-21", "2026-12-30", "2026-12-24", True, False)}

    # 5 (in parallel). CAMHS, received Wed 20 Jan 2027: first contact, 4 weeks → Wed 17 Feb 2027.
    on(uow, "2027-01-20")
    cm = refer(lead, "camhs", camhs, linked_from_id=sc.id, link_kind="parallel")
    assert clocks(cm) == {"first_contact": ("2027-01-20", "2027-02-17", None, None, False)}
    on(uow, "2027-01-22")
    cm = step(service.decide, camhs_key, cm.id, "accept", "Anxiety affecting school attendance")
    # The receiving team reads the consented story instead of asking the family again.
    shared = service.shared_assessment(uow, camhs_key, cm.id)
    uow.commit()
    assert {s.key for s in shared.sections} == {"family_story", "health"}
    on(uow, "2027-02-15")
    cm = step(service.transition, camhs_key, cm.id, "first_contact")
    assert (cm.status, cm.stage) == ("in_progress", "first_contact")
    assert clocks(cm) == {"first_contact": ("2027-01-20", "2027-02-17", "2027-02-15", True, False)}

    #    Social care: assessment authorised Thu 11 Mar 2027 (due Tue 16 Mar: in time); step-down Fri 12 Mar.
    on(uow, "2027-03-11")
    sc = step(service.transition, social_worker, sc.id, "assessment_authorised")
    assert clocks(sc) == {"decision": ("2027-01-12", "2027-01-13", "2027-01-13", True, False),
                          "assessment": ("2027-01-12", "2027-03-16", "2027-03-11", True, False)}

    # 3. Step-down to early help, received Fri 12 Mar 2027, made by the social worker (the family's consent
    #    covers social care). decision, 5 working days: Mon 15 – Fri 19 Mar (1–5) → due Fri 19 Mar 2027.
    on(uow, "2027-03-12")
    eh2 = refer(social_worker, "early_help", practitioner.agency, linked_from_id=sc.id, link_kind="step_down")
    sc = step(service.close, social_worker, sc.id, "stepped_down_to_early_help")
    assert clocks(eh2) == {"decision": ("2027-03-12", "2027-03-19", None, None, False)}
    #    Decided late, Mon 22 Mar. assessment, 45 working days: Tue 23 – Thu 25 Mar (1–3), [Good Friday 26,
    #    Easter Monday 29], Tue 30 Mar – Fri 2 Apr (4–7), 5–9 Apr (8–12), 12–16 Apr (13–17), 19–23 Apr (18–22),
    #    26–30 Apr (23–27), [Mon 3 May], Tue 4 – Fri 7 May (28–31), 10–14 May (32–36), 17–21 May (37–41),
    #    Mon 24 (42), Tue 25 (43), Wed 26 (44), Thu 27 May (45) → due Thu 27 May 2027.
    on(uow, "2027-03-22")
    eh2 = step(service.decide, lead, eh2.id, "accept", "Warm handover meeting held")
    eh2 = step(service.transition, lead, eh2.id, "assessment")
    assert clocks(eh2) == {"decision": ("2027-03-12", "2027-03-19", "2027-03-22", False, False),
                           "assessment": ("2027-03-22", "2027-05-27", None, None, False)}

    # 4. EHC needs assessment requested Mon 5 Apr 2027 by phone, recorded Wed 7 Apr (backdated).
    #    decision_to_assess, 6 weeks: 5 Apr + 42 days → Mon 17 May 2027.
    #    final_plan, 20 weeks: 5 Apr + 140 days (Apr 25 + May 31 + Jun 30 + Jul 31 + 23) → Mon 23 Aug 2027.
    on(uow, "2027-04-07")
    ehc = refer(lead, "ehc_needs_assessment", send, received_on=dt.date(2027, 4, 5), linked_from_id=eh2.id,
                link_kind="transition")
    assert ehc.received_on == dt.date(2027, 4, 5)
    assert ehc.received_at == dt.datetime(2027, 4, 5, 8, 0, tzinfo=dt.UTC)  # 09:00 BST
    assert clocks(ehc) == {"decision_to_assess": ("2027-04-05", "2027-05-17", None, None, False),
                           "final_plan": ("2027-04-05", "2027-08-23", None, None, False)}

    #    Early help plan Fri 7 May 2027 (assessment due Thu 27 May: in time). taf_review, 6 weeks:
    #    7 May + 42 days → Fri 18 Jun 2027; the review is held that very day: in time.
    on(uow, "2027-05-07")
    eh2 = step(service.transition, lead, eh2.id, "plan")
    on(uow, "2027-06-18")
    eh2 = step(service.transition, lead, eh2.id, "review")
    assert clocks(eh2) == {"decision": ("2027-03-12", "2027-03-19", "2027-03-22", False, False),
                           "assessment": ("2027-03-22", "2027-05-27", "2027-05-07", True, False),
                           "taf_review": ("2027-05-07", "2027-06-18", "2027-06-18", True, False)}

    #    EHC: decision to assess Fri 14 May (due Mon 17 May: in time).
    on(uow, "2027-05-14")
    ehc = step(service.decide, send_officer, ehc.id, "accept", "Needs may require an EHC plan")
    ehc = step(service.transition, send_officer, ehc.id, "assessment")
    on(uow, "2027-07-19")
    ehc = step(service.transition, send_officer, ehc.id, "draft_plan")
    #    Reg 10(4)(c): exceptional personal circumstances of the child or parent; the clock is excepted.
    on(uow, "2027-08-02")
    ehc = step(service.add_exception, send_officer, ehc.id, "10_4_c", dt.date(2027, 8, 2), dt.date(2027, 8, 27))
    assert clocks(ehc)["final_plan"] == ("2027-04-05", "2027-08-23", None, None, True)
    #    Final plan Tue 7 Sep 2027: after Mon 23 Aug, so late, but excepted (reported with and without).
    on(uow, "2027-09-07")
    ehc = step(service.transition, send_officer, ehc.id, "final_plan")
    ehc = step(service.close, send_officer, ehc.id, "final_plan_issued")
    assert (ehc.status, ehc.stage, ehc.outcome) == ("closed", "final_plan", "final_plan_issued")
    assert clocks(ehc) == {"decision_to_assess": ("2027-04-05", "2027-05-17", "2027-05-14", True, False),
                           "final_plan": ("2027-04-05", "2027-08-23", "2027-09-07", False, True)}

    # The journey, as the family's lead practitioner sees it: one story, each episode naming the one before.
    journey = service.journey(uow, lead, child.id)
    uow.commit()
    assert [(r.pathway, r.status, r.link_kind, r.linked_from_id) for r in journey] == [
        ("early_help", "closed", None, None),
        ("social_care", "closed", "step_up", eh1.id),
        ("camhs", "in_progress", "parallel", sc.id),
        ("early_help", "in_progress", "step_down", sc.id),
        ("ehc_needs_assessment", "closed", "transition", eh2.id),
    ]
    # The step-down comes within 12 months of the first early help episode's closure (13 Jan 2027): flagged.
    assert [r.re_referral for r in journey] == [False, False, False, True, False]


def test_a_second_early_help_episode_within_12_months_of_closure_is_a_re_referral(uow, practitioner, make_family):
    lead = actor_of(practitioner)
    on(uow, "2027-01-04")
    family = make_family(practitioner, children=("Rowan",))
    child = family.children[0]
    first = service.create_referral(uow, lead, family.id, child.id, "early_help", practitioner.agency.id, "Reason")
    service.decide(uow, lead, first.id, "accept", "Threshold met")
    on(uow, "2027-02-01")
    service.close(uow, lead, first.id, "needs_met")
    uow.commit()
    # 1 Feb 2027 + 12 months = 1 Feb 2028: a referral that day is a re-referral, the next day is not.
    on(uow, "2028-02-01")
    again = service.create_referral(uow, lead, family.id, child.id, "early_help", practitioner.agency.id, "Reason")
    on(uow, "2028-02-02")
    later = service.create_referral(uow, lead, family.id, child.id, "early_help", practitioner.agency.id, "Reason")
    camhs = factories.AgencyFactory(name="Riverside CAMHS", type="mental_health")  # the pathway's kind of team
    other = service.create_referral(uow, lead, family.id, child.id, "camhs", camhs.id, "Reason")
    uow.commit()
    assert (first.re_referral, again.re_referral, later.re_referral, other.re_referral) == (False, True, False, False)
