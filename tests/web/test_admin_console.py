"""The admin console: staff (list, add with check answers, role, deactivate/reactivate, password reset link) and
agencies. Admins only (managers and practitioners 403); every change audited with the acting admin; a
deactivation or role change ends that person's sessions at once; a reset link is emailed to the person only,
works once and runs out; no admin page shows anything about families."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.extensions import state
from coordination.models import PasswordReset, User
from coordination.services import auth as auth_service

from .. import factories
from ..factories import PASSWORD
from .conftest import Browser, csrf_from, error_summary, title_of
from .test_no_preselection import checked_radios

LINK = re.compile(r"http://\S+/password-reset\?link=(rst_[A-Za-z0-9_\-]+)")
NEW_PASSWORD = "correct horse battery staple"


def _mail(app) -> list[dict]:
    path = state(app).settings.mail_log
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _link_for(app, email: str) -> str:
    (secret,) = [m for mail in _mail(app) if mail["to"] == [email] for m in LINK.findall(mail["body"])][-1:]
    return f"/password-reset?link={secret}"


def _choose(person: Browser, link: str, password: str, confirmation: str):
    """Fill in the link's page as a browser would: the form posts the link's secret in its body."""
    return person.submit("/password-reset", {"link": link.split("link=")[1], "password": password,
                                             "confirmation": confirmation}, form_url=link)


def _events(uow, **where) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.seq)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(uow.session.execute(query).scalars())


def _as(app, user) -> Browser:
    other = Browser(app.test_client())
    other.sign_in(user)
    return other


def _refused(client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def _fresh(uow, user_id) -> User:
    uow.session.expire_all()
    return uow.session.get(User, user_id)


# Every console route: (method, path template) → what a GET (or the POST) answers an admin.
ADMIN_ROUTES = {
    ("GET", "/admin/staff"): 200,
    ("GET", "/admin/staff/new"): 200,
    ("POST", "/admin/staff/new"): 200,            # errors shown: nothing posted
    ("GET", "/admin/staff/new/check"): 302,       # no answers yet: back to the questions
    ("POST", "/admin/staff/new/check"): 302,
    ("GET", "/admin/staff/{user}"): 200,
    ("GET", "/admin/staff/{user}/added"): 200,
    ("GET", "/admin/staff/{user}/role"): 200,
    ("POST", "/admin/staff/{user}/role"): 200,
    ("GET", "/admin/staff/{user}/deactivate"): 200,
    ("POST", "/admin/staff/{user}/deactivate"): 302,
    ("GET", "/admin/staff/{user}/reactivate"): 200,
    ("POST", "/admin/staff/{user}/reactivate"): 302,
    ("GET", "/admin/staff/{user}/password-reset"): 200,
    ("POST", "/admin/staff/{user}/password-reset"): 302,
    ("GET", "/admin/agencies"): 200,
    ("GET", "/admin/agencies/new"): 200,
    ("POST", "/admin/agencies/new"): 200,
    ("GET", "/admin/agencies/{agency}/edit"): 200,
    ("POST", "/admin/agencies/{agency}/edit"): 200,
}
PUBLIC_ROUTES = {("GET", "/password-reset"), ("POST", "/password-reset"), ("GET", "/password-reset/done")}


def test_the_table_covers_every_console_route(app):
    routes = {(method, rule.rule) for rule in app.url_map.iter_rules()
              if rule.rule.startswith(("/admin/staff", "/admin/agencies", "/password-reset"))
              for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    declared = {(m, p.replace("{user}", "<uuid:user_id>").replace("{agency}", "<uuid:agency_id>"))
                for m, p in ADMIN_ROUTES} | PUBLIC_ROUTES
    assert routes == declared


def test_only_admins_use_the_console(app, client, admin_user, manager, practitioner, early_help):
    target = factories.UserFactory(agency=early_help, role="practitioner", email="tam.target@example.org")
    paths = {(m, p.format(user=target.id, agency=early_help.id)): status for (m, p), status in ADMIN_ROUTES.items()}
    for who in (manager, practitioner):
        browser = _as(app, who)
        token = csrf_from(browser.get("/caseload").get_data(as_text=True))
        for (method, path) in paths:
            response = browser.get(path) if method == "GET" else browser.client.post(path, data={"csrf_token": token})
            assert response.status_code == 403, (who.role, method, path)
        html = browser.get("/caseload").get_data(as_text=True)
        assert 'href="/admin/staff"' not in html
    for (method, path) in paths:  # signed out: to the sign-in page, for every route
        response = client.get(path) if method == "GET" else client.post(path)
        assert response.status_code in (302, 400), path
        if method == "GET":
            assert response.headers["Location"].startswith("/sign-in")
    admin = _as(app, admin_user)
    assert 'href="/admin/staff"' in admin.get("/").get_data(as_text=True)  # the nav and the start page
    for (method, path), status in paths.items():
        if method == "GET":
            assert admin.get(path).status_code == status, path
    uow_events = _events(state(app).unit_of_work(request_id="t"), action="update", record_id=str(target.id))
    assert uow_events == []  # looking changed nothing


def test_adding_a_staff_member_checks_the_answers_then_emails_them_a_link_to_choose_a_password(
        app, browser, admin_user, early_help, uow):
    browser.sign_in(admin_user)
    page = browser.get("/admin/staff/new").get_data(as_text=True)
    assert checked_radios(page) == []  # no role preselected
    response = browser.submit("/admin/staff/new", {"name": "", "email": "not-an-email", "agency_id": ""})
    summary = error_summary(response.get_data(as_text=True))
    assert summary == {"#name": "Enter their full name",
                       "#email": "Enter an email address in the correct format, like name@example.org",
                       "#agency_id": "Select their agency", "#role": "Select their role"}
    answers = {"name": "Priya Fictional", "email": "Priya.Fictional@example.org", "agency_id": str(early_help.id),
               "role": "practitioner"}
    response = browser.submit("/admin/staff/new", answers)
    assert response.headers["Location"] == "/admin/staff/new/check"
    check = browser.get("/admin/staff/new/check").get_data(as_text=True)
    assert title_of(check).startswith("Check the staff member's details")
    assert "Priya Fictional" in check and early_help.name in check and "Practitioner" in check
    assert not _mail(app)  # nothing is added, nor sent, before the check page is confirmed
    # "Change" brings back the answers given.
    assert 'value="Priya Fictional"' in browser.get("/admin/staff/new").get_data(as_text=True)
    response = browser.submit("/admin/staff/new/check", {})
    user = uow.session.execute(select(User).where(User.email == "priya.fictional@example.org")).scalar_one()
    assert response.headers["Location"] == f"/admin/staff/{user.id}/added"
    added = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Staff member added" in added and "priya.fictional@example.org" in added
    assert "rst_" not in added  # the admin never sees the link
    assert browser.get("/admin/staff/new/check").headers["Location"] == "/admin/staff/new"  # the draft is gone
    # Until they choose a password, they cannot sign in; the admin chose none.
    assert auth_service.sign_in(uow, user.email, PASSWORD) is None
    uow.rollback()
    (created,) = _events(uow, action="create", record_type="staff_user", record_id=str(user.id))
    assert created.actor_user_id == str(admin_user.id) and created.details["role"] == "practitioner"
    (issued,) = _events(uow, action="issue_credential", record_type="password_reset")
    assert issued.actor_user_id == str(admin_user.id) and issued.details["subject_user_id"] == str(user.id)
    assert [m["subject"] for m in _mail(app)] == ["Set your password for early help case coordination"]

    # The new staff member opens the link and chooses a password.
    person = Browser(app.test_client())
    link = _link_for(app, user.email)
    form = person.get(link)
    assert form.status_code == 200 and "no-store" in form.headers["Cache-Control"]
    assert "Priya Fictional" in form.get_data(as_text=True)
    response = _choose(person, link, "short", "different")
    assert error_summary(response.get_data(as_text=True)) == {
        "#password": "Password must be 12 characters or more", "#confirmation": "The passwords do not match"}
    response = _choose(person, link, NEW_PASSWORD, NEW_PASSWORD)
    assert response.headers["Location"] == "/password-reset/done"
    person.sign_in(user, NEW_PASSWORD)
    assert person.get("/caseload").status_code == 200
    # The link works once.
    again = person.get(link)
    assert again.status_code == 404 and "already been used" in again.get_data(as_text=True)
    (changed,) = _events(uow, action="update", record_id=str(user.id))
    assert changed.details == {"change": "password", "via": "reset_link", "reset_id": changed.details["reset_id"]}
    stored = uow.session.execute(select(PasswordReset.digest)).scalar_one()
    assert stored and stored not in link  # only the digest is stored


def test_adding_someone_whose_email_is_taken_is_an_error_on_the_email(browser, admin_user, practitioner,
                                                                        early_help):
    browser.sign_in(admin_user)
    response = browser.submit("/admin/staff/new", {"name": "Someone", "email": practitioner.email.upper(),
                                                   "agency_id": str(early_help.id), "role": "manager"})
    assert error_summary(response.get_data(as_text=True)) == {
        "#email": "A staff member with this email address already exists"}


def test_deactivating_someone_ends_their_session_at_once_and_reactivating_lets_them_back(
        app, browser, admin_user, practitioner, uow, token_for):
    theirs = _as(app, practitioner)
    token = token_for(practitioner)
    assert theirs.get("/caseload").status_code == 200
    browser.sign_in(admin_user)
    confirm = browser.get(f"/admin/staff/{practitioner.id}/deactivate").get_data(as_text=True)
    assert "signed out everywhere" in confirm
    response = browser.submit(f"/admin/staff/{practitioner.id}/deactivate", {})
    assert response.headers["Location"] == f"/admin/staff/{practitioner.id}"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "account is deactivated" in page and "Deactivated" in page
    _refused(theirs.client)  # their very next request
    assert app.test_client().get("/api/v1/referrals", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with pytest.raises(AssertionError):
        Browser(app.test_client()).sign_in(practitioner)
    (event,) = _events(uow, action="update", record_id=str(practitioner.id))
    assert event.details["change"] == "deactivated" and event.actor_user_id == str(admin_user.id)
    # A reset link cannot be sent to a deactivated account: reactivate first.
    assert browser.get(f"/admin/staff/{practitioner.id}/password-reset").headers["Location"].endswith(
        str(practitioner.id))
    browser.submit(f"/admin/staff/{practitioner.id}/reactivate", {})
    assert _fresh(uow, practitioner.id).active
    Browser(app.test_client()).sign_in(practitioner)


def test_changing_a_role_ends_their_sessions_and_they_come_back_with_the_new_role(
        app, browser, admin_user, practitioner, uow):
    theirs = _as(app, practitioner)
    browser.sign_in(admin_user)
    url = f"/admin/staff/{practitioner.id}/role"
    page = browser.get(url).get_data(as_text=True)
    assert checked_radios(page) == [] and "They are a practitioner now" in page  # not even the current role
    response = browser.submit(url, {})
    assert error_summary(response.get_data(as_text=True)) == {"#role": "Select their new role"}
    response = browser.submit(url, {"role": "practitioner"})
    assert "is already a practitioner" in response.get_data(as_text=True)
    response = browser.submit(url, {"role": "manager"})
    assert response.status_code == 302
    assert "is now a manager" in browser.get(response.headers["Location"]).get_data(as_text=True)
    _refused(theirs.client)
    (event,) = _events(uow, action="update", record_id=str(practitioner.id))
    assert event.actor_user_id == str(admin_user.id)
    assert (event.details["role_before"], event.details["role"]) == ("practitioner", "manager")
    back = _as(app, practitioner)
    assert back.get("/oversight").status_code == 200  # a manager's page


def test_an_admin_changes_other_peoples_accounts_never_their_own(browser, admin_user, second_admin, uow):
    browser.sign_in(admin_user)
    own = f"/admin/staff/{admin_user.id}"
    page = browser.get(own).get_data(as_text=True)
    assert "This is your own account" in page and f"{own}/role" not in page and f"{own}/deactivate" not in page
    assert browser.get(f"{own}/role").status_code == 403
    token = csrf_from(page)
    assert browser.client.post(f"{own}/role", data={"csrf_token": token, "role": "manager"}).status_code == 403
    assert browser.client.post(f"{own}/deactivate", data={"csrf_token": token}).status_code == 403
    assert _fresh(uow, admin_user.id).role == "admin" and _fresh(uow, admin_user.id).active
    # Another admin's account is theirs to change.
    assert browser.get(f"/admin/staff/{second_admin.id}/role").status_code == 200


def test_a_reset_link_that_is_wrong_replaced_or_expired_does_not_work(app, browser, admin_user, practitioner, uow):
    browser.sign_in(admin_user)
    wrong = browser.client.get("/password-reset?link=rst_not-a-real-link")
    assert wrong.status_code == 404 and "copied the whole link" in wrong.get_data(as_text=True)
    browser.submit(f"/admin/staff/{practitioner.id}/password-reset", {})
    first = _link_for(app, practitioner.email)
    response = browser.submit(f"/admin/staff/{practitioner.id}/password-reset", {})
    assert "We have emailed" in browser.get(response.headers["Location"]).get_data(as_text=True)
    second = _link_for(app, practitioner.email)
    assert first != second
    person = Browser(app.test_client())
    replaced = person.get(first)
    assert replaced.status_code == 404 and "replaced by a newer one" in replaced.get_data(as_text=True)
    # The password they had still works until they choose a new one.
    Browser(app.test_client()).sign_in(practitioner)
    # A day later, the second link has run out too.
    uow.session.expire_all()
    for reset in uow.session.execute(select(PasswordReset)).scalars():
        reset.expires_at = reset.created_at - dt.timedelta(seconds=1)
    uow.session.flush()
    uow.commit()
    expired = person.get(second)
    assert expired.status_code == 404 and "expired" in expired.get_data(as_text=True)
    token = csrf_from(person.get("/sign-in").get_data(as_text=True))
    posted = person.client.post("/password-reset", data={"csrf_token": token, "link": second.split("link=")[1],
                                                          "password": NEW_PASSWORD, "confirmation": NEW_PASSWORD})
    assert posted.status_code == 404
    assert auth_service.sign_in(uow, practitioner.email, NEW_PASSWORD) is None


def test_choosing_a_password_through_the_link_ends_the_persons_other_sessions(app, browser, admin_user,
                                                                              practitioner):
    theirs = _as(app, practitioner)
    browser.sign_in(admin_user)
    browser.submit(f"/admin/staff/{practitioner.id}/password-reset", {})
    person = Browser(app.test_client())
    link = _link_for(app, practitioner.email)
    assert _choose(person, link, NEW_PASSWORD, NEW_PASSWORD).status_code == 302
    _refused(theirs.client)


def test_agencies_are_added_and_changed_with_a_contact_route(browser, admin_user, early_help, uow):
    browser.sign_in(admin_user)
    assert checked_radios(browser.get("/admin/agencies/new").get_data(as_text=True)) == []
    response = browser.submit("/admin/agencies/new", {"name": " ", "contact": "x" * 300})
    assert error_summary(response.get_data(as_text=True)) == {
        "#name": "Enter the agency's name", "#type": "Select the type of agency",
        "#contact": "Contact details must be 254 characters or fewer"}
    response = browser.submit("/admin/agencies/new", {"name": early_help.name, "type": "school"})
    assert error_summary(response.get_data(as_text=True)) == {"#name": "An agency with this name already exists"}
    response = browser.submit("/admin/agencies/new", {"name": "Larkfield Primary School", "type": "school",
                                                      "contact": "office@larkfield.example.org"})
    assert response.headers["Location"] == "/admin/agencies"
    listing = browser.get("/admin/agencies").get_data(as_text=True)
    assert "Larkfield Primary School added" in listing and "office@larkfield.example.org" in listing
    (created,) = _events(uow, action="create", record_type="agency")
    assert created.actor_user_id == str(admin_user.id)
    edit = f"/admin/agencies/{created.record_id}/edit"
    page = browser.get(edit).get_data(as_text=True)
    assert 'value="Larkfield Primary School"' in page and 'name="type"' not in page  # the type is fixed
    response = browser.submit(edit, {"name": "Larkfield Primary Academy", "contact": "01632 960 001"})
    assert response.headers["Location"] == "/admin/agencies"
    (updated,) = _events(uow, action="update", record_type="agency")
    assert updated.details["changed"] == ["name", "contact"] and updated.actor_user_id == str(admin_user.id)


def test_the_staff_list_pages_and_filters(browser, admin_user, early_help, other_council_team):
    for n in range(27):
        factories.UserFactory(agency=early_help, role="practitioner", name=f"Listed Person {n:02}")
    factories.UserFactory(agency=other_council_team, role="manager", name="Other Manager", active=False)
    browser.sign_in(admin_user)
    first = browser.get("/admin/staff").get_data(as_text=True)
    assert "29 staff members" in first and "page 1 of 2" in first and "Listed Person 00" in first
    assert 'href="/admin/staff?page=2"' in first
    second = browser.get("/admin/staff?page=2").get_data(as_text=True)
    assert "Listed Person 26" in second and "Listed Person 00" not in second
    filtered = browser.get(f"/admin/staff?agency={other_council_team.id}&status=deactivated").get_data(as_text=True)
    assert "1 staff member matches" in filtered and "Other Manager" in filtered and "Listed Person" not in filtered
    admins = browser.get("/admin/staff?role=admin").get_data(as_text=True)
    assert "Ada" in admins or admin_user.name in admins
    assert "Listed Person" not in admins


def test_no_admin_page_shows_anything_about_families(browser, admin_user, practitioner, make_family):
    family = make_family(practitioner, children=("Zephyrine",), surname="Quillfeather")
    browser.sign_in(admin_user)
    for path in ("/", "/admin/staff", f"/admin/staff/{practitioner.id}", "/admin/agencies",
                 f"/admin/staff/{practitioner.id}/role", f"/admin/staff/{practitioner.id}/deactivate"):
        html = browser.get(path).get_data(as_text=True)
        assert "Quillfeather" not in html and "Zephyrine" not in html and family.reference not in html, path
