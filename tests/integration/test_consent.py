"""Consent as records: each rule of domain.consent, as the partner read sees it, plus validation and audit."""
import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

import audit
from coordination.domain.consent import add_months
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.services.sharing import consent, disclosure

from ..conftest import actor_of
from .consent_support import give, household, partner, seen, today, write

ALL = ["family_story", "strengths", "worries", "health", "education_send", "safety"]


@pytest.fixture
def setting(uow, practitioner):
    fam = household(uow, practitioner)
    write(uow, practitioner, fam.id, ALL)
    school, school_key = partner(uow, "Riverside Primary", "school")
    other_school, other_school_key = partner(uow, "Hilltop Academy", "school")
    nhs, nhs_key = partner(uow, "Riverside NHS Trust", "health")
    return fam, (school, school_key), (other_school, other_school_key), (nhs, nhs_key)


def test_parent_consent_to_an_agency_shows_exactly_its_sections_to_that_agency(uow, practitioner, setting):
    fam, (school, school_key), (_, other_school_key), (_, nhs_key) = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "education_send"], agencies=[school])
    assert seen(uow, school_key, fam.id) == {"strengths", "education_send"}
    assert seen(uow, other_school_key, fam.id) is None
    assert seen(uow, nhs_key, fam.id) is None


def test_consent_to_an_agency_type_covers_every_agency_of_that_type_only(uow, practitioner, setting):
    fam, (_, school_key), (_, other_school_key), (_, nhs_key) = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["education_send"], types=["school"])
    assert seen(uow, school_key, fam.id) == {"education_send"}
    assert seen(uow, other_school_key, fam.id) == {"education_send"}
    assert seen(uow, nhs_key, fam.id) is None


def test_partner_sees_no_section_names_beyond_its_cover(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["strengths"], agencies=[school])
    view = disclosure.disclose_assessment(uow, school_key, fam.id)
    uow.commit()
    assert [(s.key, s.title) for s in view.sections] == [("strengths", "What is working well")]


def test_unknown_family_and_uncovered_family_are_both_not_found(uow, practitioner, setting):
    import uuid

    fam, (_, school_key), *_ = setting
    with pytest.raises(NotFound) as unknown:
        disclosure.disclose_assessment(uow, school_key, uuid.uuid4())
    with pytest.raises(NotFound) as uncovered:
        disclosure.disclose_assessment(uow, school_key, fam.id)
    assert str(unknown.value) == str(uncovered.value)


def test_key_without_read_scope_is_refused_before_anything_is_looked_up(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, agencies=[school])
    _, referral_only = partner(uow, "Referral Desk", "school", scopes=("referrals",))
    with pytest.raises(NotPermitted):
        disclosure.disclose_assessment(uow, referral_only, fam.id)


@pytest.mark.parametrize(("valid_from_days", "expires_days", "read_after_days", "visible"), [
    (0, 30, 0, True),        # live
    (0, 30, 29, True),       # last live day
    (0, 30, 30, False),      # expires on: the first day it no longer holds
    (0, 30, 200, False),     # long expired
    (5, 30, 0, False),       # not yet valid
    (5, 30, 5, True),        # valid from today
    (-10, 30, 0, True),      # recorded late, consent given 10 days ago
])
def test_consent_is_live_only_from_valid_from_until_the_day_before_expires_on(
        uow, practitioner, setting, valid_from_days, expires_days, read_after_days, visible):
    fam, (school, school_key), *_ = setting
    start = today(uow)
    give(uow, practitioner, fam.id, fam.parent, agencies=[school], valid_from=start + dt.timedelta(valid_from_days),
         expires_on=start + dt.timedelta(expires_days))
    real_now = uow.now
    later = real_now() + dt.timedelta(days=read_after_days)
    uow.now = lambda: later
    assert (seen(uow, school_key, fam.id) == {"strengths"}) is visible


def test_withdrawal_is_effective_on_the_very_next_read(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    given = give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "health"], agencies=[school])
    assert seen(uow, school_key, fam.id) == {"strengths", "health"}
    consent.withdraw_consent(uow, actor_of(practitioner), given.id, "Mum asked us to stop sharing")
    uow.commit()
    assert seen(uow, school_key, fam.id) is None


def test_a_job_queued_before_a_withdrawal_sends_nothing_after_it(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    given = give(uow, practitioner, fam.id, fam.parent, sections=["strengths"], agencies=[school])
    queued = {"agency_id": school.id, "family_id": fam.id, "keys": ["strengths", "health"]}  # the job's payload
    assert set(disclosure.may_send(uow, **queued)) == {"strengths"}
    consent.withdraw_consent(uow, actor_of(practitioner), given.id, "Changed their mind")
    uow.commit()
    from coordination.domain.actors import Actor

    assert disclosure.may_send(uow, **queued) == {}
    assert disclosure.send_sections(uow, Actor.system("job"), **queued, channel="notification") is None


def test_a_job_at_send_time_sends_only_what_is_covered_and_audits_the_recipient(uow, practitioner, setting):
    from coordination.domain.actors import Actor

    fam, (school, _), *_ = setting
    given = give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "family_story"], agencies=[school])
    view = disclosure.send_sections(uow, Actor.system("job"), school.id, fam.id, ["strengths", "health"],
                                    channel="export")
    uow.commit()
    assert view is not None and [s.key for s in view.sections] == ["strengths"]
    event = uow.session.execute(select(audit.AuditEvent).where(audit.AuditEvent.action == "disclose")).scalar_one()
    assert event.authority["recipient_agency_id"] == str(school.id) and event.authority["channel"] == "export"
    assert event.authority["sections"] == {"strengths": [{"kind": "consent", "id": str(given.id)}]}


def test_young_persons_refusal_governs_over_a_parents_permit(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    parent = give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "health"], agencies=[school])
    teen = give(uow, practitioner, fam.id, fam.teen, capacity="young_person", sections=["health"],
                types=["school"], decision="refuse")
    assert seen(uow, school_key, fam.id) == {"strengths"}
    listed = consent.list_consents(uow, actor_of(practitioner), fam.id)
    assert [(c.section_key, c.parent_consent_id, c.young_person_consent_id, c.young_person_decision)
            for c in listed.conflicts] == [("health", parent.id, teen.id, "refuse")]
    assert listed.conflicts[0].recipients == ["Riverside Primary"]


def test_young_persons_permit_governs_over_a_parents_refusal(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["health"], types=["school"], decision="refuse")
    give(uow, practitioner, fam.id, fam.teen, capacity="young_person", sections=["health"], agencies=[school])
    assert seen(uow, school_key, fam.id) == {"health"}
    assert len(consent.list_consents(uow, actor_of(practitioner), fam.id).conflicts) == 1


def test_a_parents_refusal_wins_over_another_parents_permit(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["health", "strengths"], agencies=[school])
    give(uow, practitioner, fam.id, fam.parent, sections=["health"], agencies=[school], decision="refuse")
    assert seen(uow, school_key, fam.id) == {"strengths"}


def test_a_lapsed_young_person_decision_no_longer_overrides_the_parent(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["health"], agencies=[school])
    teen = give(uow, practitioner, fam.id, fam.teen, capacity="young_person", sections=["health"],
                agencies=[school], decision="refuse")
    assert seen(uow, school_key, fam.id) is None
    consent.withdraw_consent(uow, actor_of(practitioner), teen.id, "Teagan is happy for school to know now")
    uow.commit()
    assert seen(uow, school_key, fam.id) == {"health"}


def test_a_fourteen_year_old_cannot_decide_as_a_young_person(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    with pytest.raises(Invalid) as caught:
        give(uow, practitioner, fam.id, fam.child, capacity="young_person", agencies=[school])
    assert "capacity" in caught.value.errors


def test_a_competent_child_needs_competence_recorded(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    with pytest.raises(Invalid) as caught:
        give(uow, practitioner, fam.id, fam.child, capacity="competent_child", agencies=[school])
    assert {"competence_assessed_by", "competence_assessed_on"} <= set(caught.value.errors)


def test_a_competent_child_under_sixteen_with_competence_recorded_governs(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["health", "strengths"], agencies=[school])
    cody = give(uow, practitioner, fam.id, fam.child, capacity="competent_child", sections=["health"],
                agencies=[school], decision="refuse", competence_assessed_by=practitioner.id,
                competence_assessed_on=today(uow))
    assert cody.competence_assessed_by_id == practitioner.id and cody.about_person_id == fam.child
    assert seen(uow, school_key, fam.id) == {"strengths"}


def test_no_age_cut_off_a_six_year_old_assessed_competent_may_decide(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    view = give(uow, practitioner, fam.id, fam.little, capacity="competent_child", agencies=[school],
                sections=["health"], competence_assessed_by=practitioner.id, competence_assessed_on=today(uow))
    assert view.state == "live"


@pytest.mark.parametrize("capacity", ["young_person", "competent_child"])
def test_a_young_persons_decision_covers_only_the_sections_about_them(uow, practitioner, setting, capacity):
    fam, (school, _), *_ = setting
    with pytest.raises(Invalid) as caught:
        give(uow, practitioner, fam.id, fam.teen, capacity=capacity, agencies=[school],
             sections=["health", "family_story"], competence_assessed_by=practitioner.id,
             competence_assessed_on=today(uow))
    assert caught.value.errors["sections"] == [
        "A young person decides only about the sections about them (What the children want you to know, "
        "Growing up: health, learning, feelings, identity, relationships, Health and wellbeing, School, learning "
        "and SEND). A parent with parental responsibility decides about the others"]
    view = give(uow, practitioner, fam.id, fam.teen, capacity=capacity, agencies=[school],
                sections=["child_voice", "child_development", "health", "education_send"],
                competence_assessed_by=practitioner.id, competence_assessed_on=today(uow))
    assert view.state == "live"


@pytest.mark.parametrize(("who", "capacity", "field"), [
    ("teen", "parent_with_pr", "given_by"),
    ("parent", "young_person", "given_by"),
    ("nobody", "parent_with_pr", "given_by"),
    ("parent", "guardian", "capacity"),
])
def test_the_giver_must_fit_the_capacity(uow, practitioner, setting, who, capacity, field):
    import uuid

    fam, (school, _), *_ = setting
    giver = {"teen": fam.teen, "parent": fam.parent, "nobody": uuid.uuid4()}[who]
    with pytest.raises(Invalid) as caught:
        give(uow, practitioner, fam.id, giver, capacity=capacity, agencies=[school])
    assert field in caught.value.errors


def test_the_giver_must_belong_to_this_family(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    other = household(uow, practitioner, surname="Otherfamily")
    with pytest.raises(Invalid) as caught:
        give(uow, practitioner, fam.id, other.parent, agencies=[school])
    assert "given_by" in caught.value.errors


@pytest.mark.parametrize(("changes", "field"), [
    ({"sections": []}, "sections"),
    ({"sections": ["not_a_section"]}, "sections"),
    ({"agencies": [], "types": []}, "recipients"),
    ({"types": ["astrologer"]}, "recipients.agency_types"),
    ({"purpose": "  "}, "purpose"),
    ({"method": "telepathy"}, "method"),
    ({"decision": "maybe"}, "decision"),
    ({"expires_days": -1}, "expires_on"),
    ({"valid_from_days": 10, "expires_days": 10}, "expires_on"),
])
def test_invalid_consents_are_refused_with_the_field(uow, practitioner, setting, changes, field):
    fam, (school, _), *_ = setting
    kw = {"agencies": [school]}
    start = today(uow)
    for name, value in changes.items():
        if name == "expires_days":
            kw["expires_on"] = start + dt.timedelta(value)
        elif name == "valid_from_days":
            kw["valid_from"] = start + dt.timedelta(value)
        else:
            kw[name] = value
    with pytest.raises(Invalid) as caught:
        give(uow, practitioner, fam.id, fam.parent, **kw)
    assert field in caught.value.errors


def test_default_lifetime_is_twelve_months_with_a_review_four_weeks_before(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    view = give(uow, practitioner, fam.id, fam.parent, agencies=[school], method="verbal")
    assert view.valid_from == today(uow) and view.expires_on == add_months(today(uow), 12)
    assert view.review_on == view.expires_on - dt.timedelta(weeks=4)
    assert view.method == "verbal" and not view.review_due
    uow.now = lambda: dt.datetime.combine(view.review_on, dt.time(12), dt.UTC)
    assert consent.list_consents(uow, actor_of(practitioner), fam.id).consents[0].review_due


def test_a_change_is_a_new_consent_and_the_withdrawal_of_the_old(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    old = give(uow, practitioner, fam.id, fam.parent, sections=["strengths"], agencies=[school])
    new = give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "health"], agencies=[school],
               supersedes_id=old.id, supersede_reason="Mum agreed to share health too")
    listed = {c.id: c for c in consent.list_consents(uow, actor_of(practitioner), fam.id).consents}
    assert listed[old.id].state == "withdrawn" and listed[old.id].withdrawal_reason == "Mum agreed to share health too"
    assert listed[new.id].state == "live" and listed[new.id].supersedes_id == old.id
    assert seen(uow, school_key, fam.id) == {"strengths", "health"}
    with pytest.raises(Conflict):
        consent.withdraw_consent(uow, actor_of(practitioner), old.id, "again")


def test_withdrawal_needs_a_reason(uow, practitioner, setting):
    fam, (school, _), *_ = setting
    given = give(uow, practitioner, fam.id, fam.parent, agencies=[school])
    with pytest.raises(Invalid):
        consent.withdraw_consent(uow, actor_of(practitioner), given.id, " ")


def test_another_agency_cannot_see_or_change_the_familys_consents(uow, practitioner, outsider, admin_user, setting):
    fam, (school, _), *_ = setting
    given = give(uow, practitioner, fam.id, fam.parent, agencies=[school])
    for user in (outsider, admin_user):
        with pytest.raises(NotFound):
            give(uow, user, fam.id, fam.parent, agencies=[school])
        with pytest.raises(NotFound):
            consent.withdraw_consent(uow, actor_of(user), given.id, "not mine")
        with pytest.raises(NotFound):
            consent.list_consents(uow, actor_of(user), fam.id)


def test_recording_withdrawing_and_disclosing_are_audited_without_free_text(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    given = give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "health"], agencies=[school],
                 purpose="Because of Grandma Zelda's illness")
    seen(uow, school_key, fam.id)
    consent.withdraw_consent(uow, actor_of(practitioner), given.id, "Quarrel with Mrs Quibblesworth")
    uow.commit()
    events = uow.session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.record_type.in_(["consent", "assessment"]),
                                       audit.AuditEvent.family_id == str(fam.id)).order_by(audit.AuditEvent.seq)
    ).scalars().all()
    assert [(e.action, e.record_type) for e in events] == [
        ("create", "consent"), ("disclose", "assessment"), ("withdraw", "consent")]
    create, disclose, withdraw = events
    assert create.sections == ["health", "strengths"] and create.details["capacity"] == "parent_with_pr"
    assert disclose.actor_key_id == str(school_key.api_key_id) and disclose.authority["kind"] == "consent"
    assert disclose.authority["sections"]["health"] == [{"kind": "consent", "id": str(given.id)}]
    dump = " ".join(str(row) for table in ("audit_event", "consent")
                    for row in uow.session.connection().execute(text(f"SELECT * FROM {table}")))  # noqa: S608
    assert "Zelda" not in dump and "Quibblesworth" not in dump


def test_the_matrix_agrees_with_what_each_recipient_is_shown(uow, practitioner, setting):
    fam, (school, school_key), (_, other_school_key), (nhs, nhs_key) = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["strengths"], types=["school"])
    give(uow, practitioner, fam.id, fam.parent, sections=["health"], agencies=[nhs, school])
    give(uow, practitioner, fam.id, fam.teen, capacity="young_person", sections=["health"], agencies=[school],
         decision="refuse")
    matrix = consent.consent_matrix(uow, actor_of(practitioner), fam.id)
    columns = {c.label: c.value for c in matrix.columns}
    assert set(columns) == {"Riverside Primary", "Riverside NHS Trust", "school"}

    def shared(label):
        return {key for key, _ in matrix.sections if matrix.cells[(key, columns[label])].shared}

    assert shared("Riverside Primary") == seen(uow, school_key, fam.id) == {"strengths"}
    assert shared("Riverside NHS Trust") == seen(uow, nhs_key, fam.id) == {"health"}
    assert shared("school") == seen(uow, other_school_key, fam.id) == {"strengths"}


def test_consents_near_expiry_are_listed_for_review(uow, practitioner, outsider, setting):
    fam, (school, _), *_ = setting
    soon = give(uow, practitioner, fam.id, fam.parent, agencies=[school], expires_on=today(uow) + dt.timedelta(20))
    give(uow, practitioner, fam.id, fam.parent, agencies=[school])
    gone = give(uow, practitioner, fam.id, fam.parent, agencies=[school], expires_on=today(uow) + dt.timedelta(10))
    consent.withdraw_consent(uow, actor_of(practitioner), gone.id, "No longer needed")
    uow.commit()
    assert [c.id for c in consent.due_for_review(uow, actor_of(practitioner))] == [soon.id]
    assert consent.due_for_review(uow, actor_of(outsider)) == []


@pytest.mark.parametrize("change", [
    "UPDATE consent SET decision = 'refuse'",
    "UPDATE consent SET expires_on = valid_from",
    "UPDATE consent SET given_by_person_id = about_person_id",
    "UPDATE consent_section SET section_key = 'safety'",
    "UPDATE consent_recipient SET agency_type = 'police', agency_id = NULL",
])
def test_the_database_refuses_to_change_a_given_consent(uow, practitioner, setting, change):
    fam, (school, school_key), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, agencies=[school])
    with pytest.raises(DBAPIError, match="immutable|never change"):
        uow.session.execute(text(change))
    uow.rollback()
    assert seen(uow, school_key, fam.id) == {"strengths"}


def test_the_database_allows_one_withdrawal_and_re_encryption_but_no_un_withdrawing(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    given = give(uow, practitioner, fam.id, fam.parent, agencies=[school])
    uow.session.execute(text("UPDATE consent SET purpose_ct = purpose_ct"))  # what key rotation does
    consent.withdraw_consent(uow, actor_of(practitioner), given.id, "Stop")
    uow.commit()
    with pytest.raises(DBAPIError, match="immutable"):
        uow.session.execute(text("UPDATE consent SET withdrawn_at = NULL, withdrawn_by_id = NULL"))
    uow.rollback()
    assert seen(uow, school_key, fam.id) is None


def test_may_send_accepts_the_recipient_actor_as_well_as_an_agency_id(uow, practitioner, setting):
    fam, (school, school_key), *_ = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["strengths"], agencies=[school])
    assert set(disclosure.may_send(uow, school_key, fam.id, ["strengths", "health"])) == {"strengths"}
    assert set(disclosure.may_send(uow, school.id, fam.id, ["strengths", "health"])) == {"strengths"}
