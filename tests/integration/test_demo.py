"""The demo borough: fictional, idempotent, usable (staff can sign in and see a caseload), audited."""
import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from coordination import demo
from coordination.demo import borough, team
from coordination.domain.actors import Actor
from coordination.domain.identifiers import nhs_number_is_valid, upn_is_valid
from coordination.errors import NotPermitted
from coordination.models import CaseNote, Family, Person, SectionVersion, User, VoiceEntry
from coordination.services import assessment, audit_trail, auth, case_notes, chronology, families

CLI = Actor.system("cli")
PASSWORD = "demo-password-for-tests"


def _rows(uow):
    return {m.__name__: uow.session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Family, Person, SectionVersion, VoiceEntry, User)}


def test_seeding_twice_gives_the_same_counts_and_creates_nothing_the_second_time(uow, settings):
    first = demo.seed(uow, CLI, settings, families=12, password=PASSWORD, say=lambda _m: None)
    before = _rows(uow)
    second = demo.seed(uow, CLI, settings, families=12, password=PASSWORD, say=lambda _m: None)
    assert second == first
    assert _rows(uow) == before
    # The families asked for, and the North team's families waiting for a lead (the team view's unallocated work).
    assert first["families"] == 12 + len(team.WAITING) and first["agencies"] == len(borough.AGENCIES)
    assert first["staff"] == len(borough.STAFF) and first["voice_entries"] >= first["people"] // 3
    assert first["section_versions"] >= first["sections_written"] > 12 * 2
    assert first["case_notes"] >= 12 * 2


def test_an_interrupted_seed_finishes_with_the_families_it_was_asked_for(uow, settings):
    demo.seed(uow, CLI, settings, families=3, password=PASSWORD, say=lambda _m: None)
    counts = demo.seed(uow, CLI, settings, families=7, password=PASSWORD, say=lambda _m: None)
    assert counts["families"] == 7


def test_demo_practitioner_signs_in_and_sees_a_caseload_of_fictional_families(uow, settings):
    demo.seed(uow, CLI, settings, families=10, password=PASSWORD, say=lambda _m: None)
    user = auth.sign_in(uow, "practitioner@eastmere.example", PASSWORD)
    uow.commit()
    assert user is not None and user.role == "practitioner"
    actor = auth.actor_for_user(user)
    caseload = families.caseload(uow, actor)
    assert caseload
    people = [p for f in caseload for p in f.people]
    assert all(p.family_name in borough.FAMILY_SURNAMES for p in people if p.role == "child")
    assert all(nhs_number_is_valid(p.nhs_number) and p.nhs_number.startswith("999") for p in people if p.nhs_number)
    assert all(upn_is_valid(p.upn) and p.upn[1:4] == "999" for p in people if p.upn)
    children = [p for p in people if p.role == "child"]
    assert all(0 <= p.age_on(dt.date.today()) <= 17 for p in children)
    view = assessment.get_assessment(uow, actor, caseload[0].id)
    story = next(s for s in view.sections if s.key == "family_story")
    assert story.version >= 1 and len(story.content) > 800
    assert assessment.list_voice(uow, actor, caseload[0].id)
    notes = case_notes.list_notes(uow, actor, caseload[0].id)
    assert len(notes) >= 2 and all(n.recorded_by == user.id for n in notes)
    assert any("Correction to the note of" in e.summary for f in caseload
               for e in chronology.chronology(uow, actor, f.id, ["note"]))
    uow.commit()


def test_the_audit_trail_verifies_after_seeding(uow, settings):
    demo.seed(uow, CLI, settings, families=6, password=PASSWORD, say=lambda _m: None)
    report = audit_trail.verify_trail(uow, settings.checkpoint_dir, settings.audit_signing_key)
    assert report.ok, report.message


def test_without_a_password_one_is_generated_once_into_the_instance_folder(uow, settings, tmp_path):
    said = []
    demo.seed(uow, CLI, settings, families=1, say=said.append)
    secret = (tmp_path / demo.PASSWORD_FILE).read_text().strip()
    assert len(secret) >= 12 and str(tmp_path / demo.PASSWORD_FILE) in said[0]
    assert secret not in said[0]
    # The closing message names every demo account, with its role, so each role can be tried.
    for staff in borough.STAFF:
        assert f"{staff.email} (" in said[0], staff.email
    assert {"practitioner", "manager", "admin"} <= {s.role.value for s in borough.STAFF}
    assert all(word in said[0] for word in ("(practitioner)", "(manager)", "(admin)")), said[0]
    assert (tmp_path / demo.PASSWORD_FILE).stat().st_mode & 0o077 == 0
    assert auth.sign_in(uow, "manager@eastmere.example", secret) is not None


def test_the_demo_refuses_to_load_into_production(uow, settings):
    with pytest.raises(NotPermitted):
        demo.seed(uow, CLI, replace(settings, env="production"), families=1, password=PASSWORD, say=lambda _m: None)


def test_the_demo_has_referrals_to_decide_and_history_for_the_dashboard(uow, settings):
    from coordination.models import Referral
    from coordination.services import referrals
    from coordination.services.reporting import metrics

    demo.seed(uow, CLI, settings, families=12, password=PASSWORD, say=lambda _m: None)
    made = uow.session.execute(select(func.count(Referral.id))).scalar_one()
    demo.seed(uow, CLI, settings, families=12, password=PASSWORD, say=lambda _m: None)
    assert uow.session.execute(select(func.count(Referral.id))).scalar_one() == made  # nothing twice

    def actor(email):
        user = uow.session.execute(select(User).where(User.email == f"{email}@{borough.DOMAIN}")).scalar_one()
        return auth.actor_for_user(user)

    inbox = referrals.list_referrals(uow, actor("socialworker"), status="received", received_only=True)
    assert len(inbox) == 2 and all(r.pathway == "social_care" for r in inbox)  # made today by practitioner@
    today = uow.today()
    report = metrics.timeliness(uow, Actor.system("test"), today - dt.timedelta(days=365), today)
    assert sum(f.count for f in report.figures) > 10  # ten months of history on several pathways
    assert len({f.pathway for f in report.figures if f.count}) >= 3


def test_the_demo_shares_with_a_school_whose_reads_show_in_the_access_log_once_per_seed(uow, settings):
    from coordination.services.sharing import access_log

    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    lead = uow.session.execute(select(User).where(User.email == "practitioner@eastmere.example")).scalar_one()
    logs = [access_log.access_log(uow, auth.actor_for_user(lead), f.id) for f in families.caseload(
        uow, auth.actor_for_user(lead))]
    shared = [log for log in logs if log.entries]
    assert shared, "no demo family has been seen by the school"
    assert {e.agency_name for log in shared for e in log.entries} == {"Riverside Primary School (fictional)"}
    assert {e.user_name for log in shared for e in log.entries} == {"Ola Pennywhistle"}
    reads = sum(len(log.entries) for log in logs)
    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    again = sum(len(access_log.access_log(uow, auth.actor_for_user(lead), log.family_id).entries) for log in logs)
    assert again == reads


def test_demo_families_have_a_lead_a_team_and_a_plan_one_led_from_a_school(uow, settings):
    from coordination.services.family_help import plan

    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    views = [plan.read_plan_for(uow, CLI, f.id) for f in _demo_families(uow)]
    with_plans = [v for v in views if v.goals]
    assert len(with_plans) >= 4
    assert any(v.lead.chosen_with_family for v in with_plans)
    school_led = [v for v in with_plans if v.lead.agency_name == "Riverside Primary School (fictional)"]
    assert len(school_led) == 1 and school_led[0].lead.chosen_with_family is True
    assert all(len(v.team) >= 3 and all(g.actions for g in v.goals) for v in with_plans)
    statuses = {a.status for v in with_plans for g in v.goals for a in g.actions}
    assert statuses == {"not_started", "in_progress", "done", "dropped"}
    before = [(v.family_id, v.version) for v in views]
    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    assert [(v.family_id, v.version) for v in (plan.read_plan_for(uow, CLI, fid) for fid, _ in before)] == before


def _demo_families(uow):
    return uow.session.execute(select(Family).order_by(Family.created_at, Family.id)).scalars().all()


def test_the_demo_has_family_help_at_every_point_once(uow, settings):
    from coordination.models import FamilyFeedback, FamilyPlan, FgdmRecord, PlanClosure, PlanReview

    def counts():
        uow.session.expire_all()
        q = uow.session.query
        return {"reviews": q(PlanReview).count(), "closures": q(PlanClosure).count(),
                "fgdm": q(FgdmRecord).count(), "feedback": q(FamilyFeedback).count()}

    demo.seed(uow, CLI, settings, families=12, password=PASSWORD, say=lambda _m: None)
    first = counts()
    demo.seed(uow, CLI, settings, families=12, password=PASSWORD, say=lambda _m: None)
    assert counts() == first == {"reviews": 5, "closures": 2, "fgdm": 1, "feedback": 2}
    today = dt.date.today()
    plans = uow.session.query(FamilyPlan).all()
    assert any(p.next_review_due_on and p.next_review_due_on < today for p in plans)  # an overdue review
    assert {(c.reason, c.handover) for c in uow.session.query(PlanClosure)} == {("step_up", True),
                                                                               ("needs_met", False)}
    assert [p.status for p in plans].count("closed") == 1
    [held] = uow.session.query(FgdmRecord).all()
    assert held.meeting_on is not None and held.child_attended is True
    assert sorted(f.answered_on is None for f in uow.session.query(FamilyFeedback)) == [False, True]


def test_the_demo_manager_has_unallocated_families_and_an_oversight_note_once(uow, settings):
    from coordination.domain.listing import parse
    from coordination.services import team_caseload

    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    manager = auth.sign_in(uow, "manager@eastmere.example", PASSWORD)
    actor = auth.actor_for_user(manager)
    leads = team_caseload.team_leads(uow, actor)
    view = team_caseload.team_caseload(uow, actor, parse(team_caseload.spec(leads), {"lead": "none"}), leads)
    assert view.unallocated == len(team.WAITING) and view.page.total == len(team.WAITING)
    assert {row.family.name for row in view.page.items} == {"Bramblecote family", "Quenbury family"}
    notes = uow.session.execute(select(func.count(CaseNote.id)).where(CaseNote.kind == "oversight")).scalar_one()
    assert notes == 1
