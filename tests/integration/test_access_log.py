"""'Who has seen this information': every disclosure, its recipient and authority; withheld ones hidden
from the family's view only."""
import datetime as dt

import pytest
from sqlalchemy import select

import audit
from coordination.errors import Conflict, Invalid, NotFound, NotPermitted
from coordination.services.sharing import access_log, disclosure, safeguarding

from .. import factories
from ..conftest import actor_of
from .consent_support import give, household, partner, seen, today, write


@pytest.fixture
def setting(uow, practitioner):
    fam = household(uow, practitioner)
    write(uow, practitioner, fam.id, ["strengths", "health", "safety", "worries"])
    police, police_key = partner(uow, "Riverside Police", "police")
    school, school_key = partner(uow, "Riverside Primary", "school")
    return fam, (police, police_key), (school, school_key)


def share(uow, manager, fam, agency, sections, **kw):
    view = safeguarding.record_disclosure(
        uow, actor_of(manager), fam.id, agency_id=agency.id, sections=sections, lawful_basis="public_task",
        justification="Risk of harm", expires_on=today(uow) + dt.timedelta(days=30), **kw)
    uow.commit()
    return view


def test_each_read_is_logged_with_when_who_which_sections_and_under_which_consent(uow, practitioner, setting):
    fam, _, (school, school_key) = setting
    given = give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "health"], agencies=[school])
    seen(uow, school_key, fam.id)
    log = access_log.access_log(uow, actor_of(practitioner), fam.id)
    assert len(log.entries) == 1
    entry = log.entries[0]
    assert entry.agency_name == "Riverside Primary" and entry.api_key_name == "Riverside Primary key"
    assert entry.sections == ["health", "strengths"] and entry.channel == "api"
    assert [(a.kind, a.id, sorted(a.sections)) for a in entry.authorities] == [
        ("consent", str(given.id), ["health", "strengths"])]


def test_a_partner_user_in_the_ui_is_named_in_the_log(uow, practitioner, setting):
    fam, _, (school, _) = setting
    give(uow, practitioner, fam.id, fam.parent, sections=["strengths"], agencies=[school])
    teacher = factories.UserFactory(agency=school, role="practitioner", name="Tess Teacher",
                                    email="tess@example.org")
    view = disclosure.disclose_assessment(uow, actor_of(teacher), fam.id, channel="web")
    uow.commit()
    assert [s.key for s in view.sections] == ["strengths"]
    entry = access_log.access_log(uow, actor_of(practitioner), fam.id).entries[0]
    assert (entry.user_name, entry.agency_name, entry.channel) == ("Tess Teacher", "Riverside Primary", "web")


def test_disclosures_show_in_the_familys_view_unless_withheld(uow, practitioner, manager, setting):
    fam, (police, police_key), (school, school_key) = setting
    open_one = share(uow, manager, fam, school, ["health"])
    hidden = share(uow, manager, fam, police, ["safety", "worries"])
    give(uow, practitioner, fam.id, fam.parent, sections=["strengths", "worries"], agencies=[police])
    seen(uow, police_key, fam.id)
    seen(uow, school_key, fam.id)
    safeguarding.withhold_from_family(uow, actor_of(manager), hidden.id, "Telling dad would put the children at risk")
    uow.commit()

    staff = access_log.access_log(uow, actor_of(practitioner), fam.id)
    assert {d.id for d in staff.disclosures} == {open_one.id, hidden.id}
    police_read = next(e for e in staff.entries if e.agency_name == "Riverside Police")
    assert police_read.withheld_from_family and police_read.sections == ["safety", "strengths", "worries"]

    family = access_log.access_log(uow, actor_of(practitioner), fam.id, for_family=True)
    assert [d.id for d in family.disclosures] == [open_one.id]
    police_read = next(e for e in family.entries if e.agency_name == "Riverside Police")
    # Only what the consent covered remains; the withheld disclosure and the section only it covered are gone.
    assert police_read.sections == ["strengths", "worries"]
    assert [a.kind for a in police_read.authorities] == ["consent"]
    assert not police_read.withheld_from_family
    school_read = next(e for e in family.entries if e.agency_name == "Riverside Primary")
    assert [(a.kind, a.id) for a in school_read.authorities] == [("disclosure", str(open_one.id))]


def test_a_read_covered_only_by_a_withheld_disclosure_is_left_out_of_the_familys_view(uow, practitioner, manager,
                                                                                      setting):
    fam, (police, police_key), _ = setting
    share(uow, manager, fam, police, ["safety"], withhold_reason="Would alert the person causing harm")
    seen(uow, police_key, fam.id)
    assert len(access_log.access_log(uow, actor_of(practitioner), fam.id).entries) == 1
    assert access_log.access_log(uow, actor_of(practitioner), fam.id, for_family=True).entries == []


def test_withholding_is_manager_only_audited_and_needs_a_reason(uow, practitioner, manager, setting):
    fam, (police, _), _ = setting
    view = share(uow, manager, fam, police, ["safety"])
    with pytest.raises(NotPermitted):
        safeguarding.withhold_from_family(uow, actor_of(practitioner), view.id, "risk")
    with pytest.raises(Invalid):
        safeguarding.withhold_from_family(uow, actor_of(manager), view.id, "")
    withheld = safeguarding.withhold_from_family(uow, actor_of(manager), view.id, "Risk to the children")
    uow.commit()
    assert withheld.withheld_from_family and withheld.withheld_by_id == manager.id
    with pytest.raises(Conflict):
        safeguarding.withhold_from_family(uow, actor_of(manager), view.id, "again")
    event = uow.session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.record_id == str(view.id),
                                       audit.AuditEvent.action == "update")).scalar_one()
    assert event.actor_user_id == str(manager.id) and event.details["withheld_from_family"] is True


def test_another_agency_cannot_read_the_access_log(uow, practitioner, outsider, setting):
    fam, *_ = setting
    with pytest.raises(NotFound):
        access_log.access_log(uow, actor_of(outsider), fam.id)


def test_reading_the_access_log_is_itself_audited(uow, practitioner, setting):
    fam, *_ = setting
    access_log.access_log(uow, actor_of(practitioner), fam.id, for_family=True)
    uow.commit()
    event = uow.session.execute(
        select(audit.AuditEvent).where(audit.AuditEvent.record_type == "access_log")).scalar_one()
    assert event.family_id == str(fam.id) and event.details["for_family"] is True
