"""Assessment status: sections completed, agreed with the family, signed off by a manager; what a later change
undoes (docs/domain.md, "Assessment status"); each change audited and in the chronology."""
import datetime as dt

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain.assessment_status import is_required
from coordination.domain.sections import SECTION_KEYS
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import AssessmentStatusEvent
from coordination.services import assessment, chronology
from coordination.services import assessment_status as status
from coordination.services.families import NewPerson, create_family

from ..conftest import actor_of

REQUIRED = [k for k in SECTION_KEYS if is_required(k)]


def complete_all(uow, user, family_id, keys=REQUIRED):
    actor = actor_of(user)
    for key in keys:
        section = assessment.save_section(uow, actor, family_id, key, f"Fictional text for {key}.",
                                          assessment.get_section(uow, actor, family_id, key).version)
        assert section.status == "in_progress"
        status.mark_section(uow, actor, family_id, key, "completed")
    uow.commit()


def _parent(family):
    return next(p for p in family.people if p.role == "parent_carer")


def _audited(uow, change):
    return [e for e in uow.session.execute(select(AuditEvent)).scalars()
            if e.record_type == "assessment_status" and (e.details or {}).get("change") == change]


def test_sections_start_not_started_and_a_saved_section_is_in_progress(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, family.id, "health", "Asthma, uses an inhaler.", 0)
    uow.commit()
    view = assessment.get_assessment(uow, actor, family.id)
    statuses = {s.key: s.status for s in view.sections}
    assert statuses["health"] == "in_progress" and statuses["family_story"] == "not_started"
    assert view.state == "in_progress" and view.agreement is None and view.sign_off is None
    assert {s.key for s in view.sections if not s.required} == {"family_plan", "team_around_family"}


def test_a_section_nobody_wrote_cannot_be_marked_complete(uow, practitioner, make_family):
    family = make_family(practitioner)
    with pytest.raises(Invalid) as caught:
        status.mark_section(uow, actor_of(practitioner), family.id, "worries", "completed")
    assert "status" in caught.value.errors


def test_marking_complete_is_audited_and_can_be_undone(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, family.id, "strengths", "Grandad helps.", 0)
    view = status.mark_section(uow, actor, family.id, "strengths", "completed")
    uow.commit()
    section = next(s for s in view.sections if s.key == "strengths")
    assert section.status == "completed" and section.completed_by == practitioner.id
    assert len(_audited(uow, "section_completed")) == 1
    view = status.mark_section(uow, actor, family.id, "strengths", "in_progress")
    uow.commit()
    assert next(s for s in view.sections if s.key == "strengths").status == "in_progress"


def test_saving_a_completed_section_makes_it_in_progress_again(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, family.id, "strengths", "Grandad helps.", 0)
    status.mark_section(uow, actor, family.id, "strengths", "completed")
    uow.commit()
    saved = assessment.save_section(uow, actor, family.id, "strengths", "Grandad helps every weekend.", 1)
    uow.commit()
    assert saved.status == "in_progress"


def test_the_family_agrees_only_when_every_required_section_is_complete(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    complete_all(uow, practitioner, family.id, REQUIRED[:-1])
    with pytest.raises(Invalid) as caught:
        status.record_agreement(uow, actor, family.id, _parent(family).id, dt.date.today())
    uow.rollback()
    assert "Safety" in caught.value.errors["assessment"][0]
    complete_all(uow, practitioner, family.id, REQUIRED[-1:])
    view = status.record_agreement(uow, actor, family.id, _parent(family).id, dt.date.today())
    uow.commit()
    assert view.state == "agreed" and view.agreement.agreed_by == _parent(family).id


def test_an_agreement_lists_every_problem_at_once(uow, practitioner, make_family):
    family = make_family(practitioner)
    with pytest.raises(Invalid) as caught:
        status.record_agreement(uow, actor_of(practitioner), family.id, None,
                                dt.date.today() + dt.timedelta(days=1))
    assert set(caught.value.errors) == {"agreed_by", "agreed_on", "assessment"}
    assert caught.value.errors["agreed_on"] == ["The date the family agreed must be today or in the past"]


def test_a_child_under_13_cannot_agree_but_a_young_person_can(uow, practitioner):
    today = dt.date.today()
    people = [NewPerson("parent_carer", "Morgan", "Testfamily", dt.date(1988, 4, 2)),
              NewPerson("child", "Wren", "Testfamily", today.replace(year=today.year - 9)),
              NewPerson("child", "Ash", "Testfamily", today.replace(year=today.year - 14))]
    family = create_family(uow, actor_of(practitioner), people, confirm_new=True)
    uow.commit()
    complete_all(uow, practitioner, family.id)
    wren, ash = (next(p for p in family.people if p.given_name == name) for name in ("Wren", "Ash"))
    with pytest.raises(Invalid) as caught:
        status.record_agreement(uow, actor_of(practitioner), family.id, wren.id, today)
    uow.rollback()
    assert "aged 13 or over" in caught.value.errors["agreed_by"][0]
    view = status.record_agreement(uow, actor_of(practitioner), family.id, ash.id, today)
    assert view.agreement.agreed_by == ash.id


def test_only_a_manager_of_the_case_holding_team_signs_off(uow, practitioner, manager, outsider, make_family):
    family = make_family(practitioner)
    complete_all(uow, practitioner, family.id)
    with pytest.raises(Invalid):
        status.sign_off(uow, actor_of(manager), family.id)  # not agreed yet
    uow.rollback()
    status.record_agreement(uow, actor_of(practitioner), family.id, _parent(family).id, dt.date.today())
    uow.commit()
    with pytest.raises(NotPermitted):
        status.sign_off(uow, actor_of(practitioner), family.id)
    with pytest.raises(NotFound):
        status.sign_off(uow, actor_of(outsider), family.id)
    view = status.sign_off(uow, actor_of(manager), family.id)
    uow.commit()
    assert view.state == "signed_off" and view.sign_off.signed_off_by == manager.id
    assert len(_audited(uow, "signed_off")) == 1
    with pytest.raises(Conflict):
        status.sign_off(uow, actor_of(manager), family.id)


def test_a_change_after_sign_off_reopens_the_section_and_needs_a_new_agreement_and_sign_off(
        uow, practitioner, manager, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    complete_all(uow, practitioner, family.id)
    status.record_agreement(uow, actor, family.id, _parent(family).id, dt.date.today())
    status.sign_off(uow, actor_of(manager), family.id)
    uow.commit()
    version = assessment.get_section(uow, actor, family.id, "health").version
    assessment.save_section(uow, actor, family.id, "health", "New diagnosis: eczema.", version)
    uow.commit()
    view = status.status_of(uow, actor, family.id)
    assert view.state == "changed_since_sign_off"
    assert next(s for s in view.sections if s.key == "health").status == "in_progress"
    assert view.agreement is None and view.sign_off.signed_off_by == manager.id and view.sign_off.changed_at
    with pytest.raises(Invalid):
        status.sign_off(uow, actor_of(manager), family.id)
    uow.rollback()
    status.mark_section(uow, actor, family.id, "health", "completed")
    status.record_agreement(uow, actor, family.id, _parent(family).id, dt.date.today())
    assert status.sign_off(uow, actor_of(manager), family.id).state == "signed_off"
    uow.commit()
    kinds = [e.kind for e in uow.session.execute(select(AssessmentStatusEvent).where(
        AssessmentStatusEvent.family_id == family.id).order_by(AssessmentStatusEvent.at)).scalars()]
    assert kinds[-6:] == ["section_reopened", "agreement_set_aside", "changed_since_sign_off", "section_completed",
                          "agreed", "signed_off"]


def test_status_changes_are_on_the_chronology(uow, practitioner, manager, make_family):
    family = make_family(practitioner)
    complete_all(uow, practitioner, family.id)
    status.record_agreement(uow, actor_of(practitioner), family.id, _parent(family).id, dt.date.today())
    status.sign_off(uow, actor_of(manager), family.id)
    uow.commit()
    headlines = [e.headline for e in chronology.chronology(uow, actor_of(practitioner), family.id, ["assessment"])]
    assert "Assessment signed off by a manager" in headlines
    assert "Assessment agreed with Morgan Testfamily" in " ".join(headlines)
    assert "Assessment: Safety: abuse, exploitation, substance use marked complete" in headlines
