"""The assessment status rules without a database (domain/assessment_status.py)."""
import datetime as dt

from coordination.domain.assessment_status import (
    SectionStatus,
    after_change,
    agreement_date_problem,
    assessment_state,
    may_agree_for_family,
)

DONE, WIP, NONE = SectionStatus.COMPLETED, SectionStatus.IN_PROGRESS, SectionStatus.NOT_STARTED
TODAY = dt.date(2026, 12, 3)


def state(statuses, agreed=False, signed_off=False, changed=False):
    return assessment_state(statuses, agreed=agreed, signed_off=signed_off, changed_since_sign_off=changed)


def test_optional_sections_do_not_hold_up_the_agreement():
    assert state({"family_story": DONE, "family_plan": NONE}) == "ready_to_agree"
    assert state({"family_story": WIP, "family_plan": DONE}) == "in_progress"
    assert state({"family_story": NONE, "family_plan": NONE}) == "not_started"


def test_sign_off_stands_until_a_change():
    assert state({"family_story": DONE}, agreed=True, signed_off=True) == "signed_off"
    assert state({"family_story": WIP}, signed_off=True, changed=True) == "changed_since_sign_off"


def test_a_change_undoes_completion_agreement_and_marks_the_first_change_after_sign_off():
    first = after_change(section_completed=True, agreed=True, signed_off=True, already_changed_since_sign_off=False)
    assert first.reopen_section and first.set_aside_agreement and first.changed_since_sign_off
    later = after_change(section_completed=False, agreed=False, signed_off=True, already_changed_since_sign_off=True)
    assert not (later.reopen_section or later.set_aside_agreement or later.changed_since_sign_off)


def test_who_may_agree_for_the_family():
    assert may_agree_for_family("parent_carer", None, TODAY, True)
    assert may_agree_for_family("child", dt.date(2013, 12, 3), TODAY, True)      # 13 today
    assert not may_agree_for_family("child", dt.date(2013, 12, 4), TODAY, True)  # 13 tomorrow
    assert not may_agree_for_family("parent_carer", None, TODAY, False)          # left the household
    assert not may_agree_for_family("other", None, TODAY, True)


def test_the_agreement_date_is_not_in_the_future_nor_before_the_assessment():
    assert agreement_date_problem(TODAY, TODAY, dt.date(2026, 1, 1)) is None
    assert "today or in the past" in agreement_date_problem(TODAY + dt.timedelta(days=1), TODAY, TODAY)
    assert "on or after 1 December 2026" in agreement_date_problem(dt.date(2026, 11, 30), TODAY, dt.date(2026, 12, 1))
