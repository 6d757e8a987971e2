"""The one assessment: versioned, attributed, encrypted at rest, audited; stale writes refused."""
import datetime as dt

import pytest
from sqlalchemy import select, text

import audit
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.models import Person, SectionVersion, VoiceEntry
from coordination.services import assessment

from ..conftest import actor_of


def test_new_family_has_every_template_section_empty(uow, practitioner, make_family):
    family = make_family(practitioner)
    view = assessment.get_assessment(uow, actor_of(practitioner), family.id)
    assert [s.key for s in view.sections][:3] == ["family_story", "child_voice", "strengths"]
    assert len(view.sections) == 12 and all(s.version == 0 and s.content == "" for s in view.sections)


def test_saving_a_section_appends_a_version_attributed_to_the_practitioner(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, family.id, "family_story", "Mum lost her job in March.", 0)
    uow.commit()
    second = assessment.save_section(uow, actor, family.id, "family_story", "Mum lost her job in March 2026.", 1)
    uow.commit()
    assert second.version == 2 and second.updated_by == practitioner.id
    _, history = assessment.section_history(uow, actor, family.id, "family_story")
    assert [v.version for v in history] == [2, 1]
    assert history[1].content == "Mum lost her job in March."


def test_stale_save_is_refused_with_the_newer_text(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, family.id, "worries", "First worry.", 0)
    uow.commit()
    with pytest.raises(Conflict) as caught:
        assessment.save_section(uow, actor, family.id, "worries", "My edit from an old page.", 0)
    uow.rollback()
    assert caught.value.details["current"].content == "First worry."
    assert assessment.get_section(uow, actor, family.id, "worries").version == 1


def test_section_text_and_names_are_not_stored_in_the_clear(uow, practitioner, make_family):
    family = make_family(practitioner, children=("Juniper",), surname="Quillfeather")
    assessment.save_section(uow, actor_of(practitioner), family.id, "health", "Asthma, uses an inhaler.", 0)
    uow.commit()
    conn = uow.session.connection()
    dump = " ".join(str(row) for table in ("section_version", "person", "audit_event")
                    for row in conn.execute(text(f"SELECT * FROM {table}")))  # noqa: S608
    assert "Asthma" not in dump and "Juniper" not in dump and "Quillfeather" not in dump


def test_ciphertext_moved_to_another_row_does_not_open(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, family.id, "strengths", "Grandad helps every weekend.", 0)
    assessment.save_section(uow, actor, family.id, "worries", "Rent arrears.", 0)
    uow.commit()
    a, b = uow.session.execute(select(SectionVersion).order_by(SectionVersion.created_at)).scalars().all()[-2:]
    b.content_ct = a.content_ct
    with pytest.raises(Exception, match="does not open"):
        b.unseal(uow.keys, "content")


def test_every_change_and_read_is_audited_with_sections_but_no_content(uow, practitioner, make_family):
    family = make_family(practitioner)
    actor = actor_of(practitioner)
    assessment.save_section(uow, actor, family.id, "safety", "Dad's friend visits when drunk.", 0)
    uow.commit()
    assessment.get_assessment(uow, actor, family.id)
    uow.commit()
    events = uow.session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.family_id == str(family.id)).order_by(audit.AuditEvent.seq)
    ).scalars().all()
    assert [(e.action, e.record_type) for e in events] == [
        ("create", "family"), ("update", "assessment_section"), ("read", "assessment")]
    assert events[1].sections == ["safety"] and events[1].actor_user_id == str(practitioner.id)
    assert events[2].sections == ["safety"]
    assert "drunk" not in str([(e.details, e.reason) for e in events])


def test_another_agency_cannot_know_the_family_exists(uow, practitioner, outsider, make_family):
    family = make_family(practitioner)
    with pytest.raises(NotFound):
        assessment.get_assessment(uow, actor_of(outsider), family.id)
    with pytest.raises(NotFound):
        assessment.save_section(uow, actor_of(outsider), family.id, "worries", "x", 0)


def test_admins_cannot_read_case_content(uow, practitioner, admin_user, make_family):
    family = make_family(practitioner)
    with pytest.raises((NotFound, NotPermitted)):
        assessment.get_assessment(uow, actor_of(admin_user), family.id)


def test_child_voice_is_recorded_verbatim_and_corrected_by_a_new_entry(uow, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",))
    child = family.children[0]
    actor = actor_of(practitioner)
    first = assessment.record_voice(uow, actor, family.id, child.id, "I don't like it when they shout.",
                                    "own_words", dt.date(2026, 11, 2))
    uow.commit()
    fix = assessment.record_voice(uow, actor, family.id, child.id, "I don't like it when they shout at night.",
                                  "own_words", dt.date(2026, 11, 2), corrects_id=first.id)
    uow.commit()
    entries = assessment.list_voice(uow, actor, family.id)
    by_id = {e.id: e for e in entries}
    assert by_id[first.id].words == "I don't like it when they shout."
    assert by_id[first.id].corrected_by_id == fix.id
    assert uow.session.execute(select(VoiceEntry)).scalars().all().__len__() == 2


def test_voice_for_someone_not_a_child_of_the_family_is_refused(uow, practitioner, make_family):
    family = make_family(practitioner)
    parent = [p for p in family.people if p.role == "parent_carer"][0]
    with pytest.raises(Invalid) as caught:
        assessment.record_voice(uow, actor_of(practitioner), family.id, parent.id, "words", "own_words",
                                dt.date(2026, 1, 1))
    assert "child_id" in caught.value.errors


def test_voice_in_the_future_is_refused(uow, practitioner, make_family):
    family = make_family(practitioner)
    with pytest.raises(Invalid) as caught:
        assessment.record_voice(uow, actor_of(practitioner), family.id, family.children[0].id, "hi",
                                "own_words", dt.date.today() + dt.timedelta(days=3))
    assert "recorded_on" in caught.value.errors


def test_voice_dated_before_the_child_was_born_is_refused_and_on_the_birthday_accepted(uow, practitioner, make_family):
    family = make_family(practitioner)
    child = family.children[0]  # born 1 June 2014
    with pytest.raises(Invalid) as caught:
        assessment.record_voice(uow, actor_of(practitioner), family.id, child.id, "hi", "observation",
                                dt.date(2014, 5, 31))
    assert caught.value.errors == {
        "recorded_on": ["The date it was recorded must be on or after the child's date of birth"]}
    entry = assessment.record_voice(uow, actor_of(practitioner), family.id, child.id, "Smiled at her mum",
                                    "observation", dt.date(2014, 6, 1))
    assert entry.recorded_on == dt.date(2014, 6, 1)


def test_people_rows_exist_for_each_person(uow, practitioner, make_family):
    family = make_family(practitioner, children=("A", "B", "C"))
    assert uow.session.execute(select(Person).where(Person.family_id == family.id)).scalars().all().__len__() == 4


def test_voice_dated_today_in_england_is_accepted_just_after_midnight_in_summer(uow, practitioner, make_family):
    family = make_family(practitioner)
    uow.now = lambda: dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 July in England
    entry = assessment.record_voice(uow, actor_of(practitioner), family.id, family.children[0].id, "Hello",
                                    "own_words", dt.date(2026, 7, 2))
    assert entry.recorded_on == dt.date(2026, 7, 2)
    with pytest.raises(Invalid):
        assessment.record_voice(uow, actor_of(practitioner), family.id, family.children[0].id, "Hi",
                                "own_words", dt.date(2026, 7, 3))
