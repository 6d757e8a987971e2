"""A manager's team caseload: managers only, their own agency's open families only; unallocated work; allocating a
lead from it (with a reason: the lead changes, the change is audited and on the chronology); the management
oversight note (managers only, audited, shown as "Management oversight"); paging, sorting and filtering by GET."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from audit.models import AuditEvent
from coordination.models import Family, Task
from tests import factories

from .conftest import error_summary, title_of

SERVICE = "Early help case coordination"


def rows_of(html: str) -> list[str]:
    """The family references in the team caseload's rows, in order."""
    return re.findall(r'data-family="([^"]+)"', html)


def events(uow, **where) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.seq)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(uow.session.execute(query).scalars())


def unallocate(uow, family_id) -> None:
    family = uow.session.get(Family, family_id)
    family.lead_practitioner_id = None
    uow.commit()


def test_only_managers_see_the_team_caseload_and_its_link(browser, client, practitioner, manager, admin_user):
    browser.sign_in(practitioner)
    assert browser.get("/team").status_code == 403
    assert 'href="/team"' not in browser.get("/caseload").get_data(as_text=True)

    fresh = type(browser)(client.application.test_client())
    fresh.sign_in(manager)
    response = fresh.get("/team")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and title_of(html) == f"Team caseload – {SERVICE}"
    assert 'href="/team"' in fresh.get("/caseload").get_data(as_text=True)

    admin = type(browser)(client.application.test_client())
    admin.sign_in(admin_user)
    assert admin.get("/team").status_code == 403


def test_a_manager_sees_their_own_agencys_open_families_only(app, uow, browser, practitioner, manager, outsider,
                                                             make_family):
    ours = make_family(practitioner, surname="Brightwater")
    theirs = make_family(outsider, surname="Farfield")
    other_manager = factories.UserFactory(agency=outsider.agency, role="manager", email="oma.manager@example.org")

    browser.sign_in(manager)
    html = browser.get("/team").get_data(as_text=True)
    assert rows_of(html) == [ours.reference]
    assert "Brightwater family" in html and "Farfield" not in html
    assert practitioner.name in html

    elsewhere = type(browser)(app.test_client())
    elsewhere.sign_in(other_manager)
    assert rows_of(elsewhere.get("/team").get_data(as_text=True)) == [theirs.reference]
    assert elsewhere.get(f"/families/{ours.id}/oversight/new").status_code == 404
    assert events(uow, record_type="team_caseload", actor_user_id=str(manager.id))


def test_unallocated_families_are_counted_flagged_and_filtered(uow, browser, practitioner, manager, make_family):
    led = make_family(practitioner, surname="Brightwater")
    nobody = make_family(practitioner, surname="Ashdown")
    unallocate(uow, nobody.id)

    browser.sign_in(manager)
    html = browser.get("/team").get_data(as_text=True)
    assert re.search(r"<strong>1</strong> family with no lead practitioner", html)
    assert set(rows_of(html)) == {led.reference, nobody.reference} and "Unallocated" in html
    only = browser.get("/team?lead=none").get_data(as_text=True)
    assert rows_of(only) == [nobody.reference]
    assert rows_of(browser.get(f"/team?lead={practitioner.id}").get_data(as_text=True)) == [led.reference]
    # A lead nobody in the team is, or nonsense, falls back to everyone.
    assert len(rows_of(browser.get("/team?lead=not-a-lead").get_data(as_text=True))) == 2


def test_allocating_a_lead_from_the_team_caseload_changes_it_audits_it_and_puts_it_on_the_chronology(
        uow, browser, practitioner, manager, early_help, make_family):
    family = make_family(practitioner, surname="Brightwater")
    colleague = factories.UserFactory(agency=early_help, role="practitioner", email="cal.colleague@example.org",
                                      name="Cal Colleague")
    browser.sign_in(manager)
    team = browser.get("/team").get_data(as_text=True)
    assert f'href="/families/{family.id}/lead?from=team"' in team

    missing = browser.submit(f"/families/{family.id}/lead?from=team",
                             {"user_id": str(colleague.id), "chosen_with_family": "no", "reason": ""})
    assert "Enter why the lead practitioner is changing" in error_summary(missing.get_data(as_text=True)).values()

    response = browser.submit(f"/families/{family.id}/lead?from=team", {
        "user_id": str(colleague.id), "chosen_with_family": "no", "reason": "Balancing the team's caseloads"})
    assert response.status_code == 302 and response.headers["Location"] == "/team"
    after = browser.get("/team").get_data(as_text=True)
    assert f"Lead practitioner saved for {family.reference}" in after and "Cal Colleague" in after
    assert rows_of(browser.get(f"/team?lead={colleague.id}").get_data(as_text=True)) == [family.reference]
    change = events(uow, record_type="family_lead", action="update", family_id=str(family.id))
    assert len(change) == 1 and change[0].actor_user_id == str(manager.id)
    chronology = browser.get(f"/families/{family.id}/chronology?kind=lead").get_data(as_text=True)
    assert "Lead practitioner changed: now with Riverside Early Help Hub" in chronology


def test_a_manager_records_a_management_oversight_note_audited_and_shown_as_such(
        uow, browser, client, practitioner, manager, make_family):
    family = make_family(practitioner, surname="Brightwater")
    browser.sign_in(manager)
    empty = browser.submit(f"/families/{family.id}/oversight/new", {"text": "  "}).get_data(as_text=True)
    assert title_of(empty).startswith("Error: ")
    assert list(error_summary(empty).values()) == [
        "Enter what you reviewed, what you decided and what should happen next"]

    saved = browser.submit(f"/families/{family.id}/oversight/new",
                           {"text": "Reviewed the plan with Ava. Review the school attendance goal by Friday."})
    assert saved.status_code == 302 and saved.headers["Location"] == f"/families/{family.id}/notes"
    notes = browser.get(f"/families/{family.id}/notes").get_data(as_text=True)
    assert "Management oversight," in notes and "Review the school attendance goal by Friday." in notes
    chronology = browser.get(f"/families/{family.id}/chronology").get_data(as_text=True)
    assert "Management oversight" in chronology
    assert "Last recorded" in browser.get(f"/families/{family.id}").get_data(as_text=True)
    created = events(uow, record_type="oversight_note", action="create", family_id=str(family.id))
    assert len(created) == 1 and created[0].actor_user_id == str(manager.id)
    assert "school attendance" not in str(created[0].details)
    # The oversight note is not contact with the family: the team caseload's last contact stays empty.
    assert "None recorded" in browser.get("/team").get_data(as_text=True)

    staff = type(browser)(client.application.test_client())
    staff.sign_in(practitioner)
    assert staff.get(f"/families/{family.id}/oversight/new").status_code == 403
    assert "Add a management oversight note" not in staff.get(f"/families/{family.id}/notes").get_data(as_text=True)


def test_the_team_caseload_pages_sorts_and_falls_back_from_bad_parameters(uow, browser, practitioner, manager,
                                                                          make_family):
    families = [make_family(practitioner, surname=f"Family{i:02d}", children=("Rowan",)) for i in range(27)]
    references = sorted(f.reference for f in families)
    browser.sign_in(manager)

    first = browser.get("/team?sort=reference&order=asc").get_data(as_text=True)
    assert rows_of(first) == references[:25]
    assert "Showing <strong>1</strong> to <strong>25</strong> of <strong>27</strong>" in first
    assert 'class="govuk-pagination' in first and "page=2" in first
    second = browser.get("/team?sort=reference&order=asc&page=2").get_data(as_text=True)
    assert rows_of(second) == references[25:]
    assert rows_of(browser.get("/team?sort=reference&order=desc").get_data(as_text=True)) == references[::-1][:25]
    # Past the end: the last page. Not a number, or an unknown sort: the defaults.
    assert rows_of(browser.get("/team?sort=reference&order=asc&page=99").get_data(as_text=True)) == references[25:]
    assert rows_of(browser.get("/team?sort=reference&order=asc&page=abc").get_data(as_text=True)) == references[:25]
    bogus = browser.get("/team?sort=drop+table&order=sideways")
    assert bogus.status_code == 200 and len(rows_of(bogus.get_data(as_text=True))) == 25
    assert rows_of(browser.get("/team?show=overdue").get_data(as_text=True)) == []


def test_overdue_items_are_counted_and_filtered(uow, browser, practitioner, manager, early_help, make_family):
    late, fine = make_family(practitioner, surname="Ashdown"), make_family(practitioner, surname="Brightwater")
    long_ago = dt.date.today() - dt.timedelta(days=30)
    for i in range(2):
        uow.session.add(Task(family_id=late.id, agency_id=early_help.id, kind="age_transition", title="Prepare",
                             due_on=long_ago, dedupe_key=f"test-overdue-{i}"))
    uow.session.add(Task(family_id=fine.id, agency_id=early_help.id, kind="age_transition", title="Later",
                         due_on=dt.date.today() + dt.timedelta(days=30), dedupe_key="test-later"))
    uow.commit()
    browser.sign_in(manager)
    html = browser.get("/team").get_data(as_text=True)
    assert rows_of(html) == [late.reference, fine.reference]  # most overdue first, by default
    assert re.search(rf'data-family="{late.reference}".*?data-label="Overdue actions and tasks"[^>]*>2<', html,
                     re.DOTALL)
    assert rows_of(browser.get("/team?show=overdue").get_data(as_text=True)) == [late.reference]
