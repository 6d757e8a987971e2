"""What the family's plan, referrals and invitation pages say: their actions marked as theirs, plain-English
referral status with the date they should hear by, the staff invitation form, the command line's link, and codes
limited per address as well as per person."""
from __future__ import annotations

import datetime as dt

from audit import AuditEvent
from coordination.services import referrals as referrals_service
from coordination.services.family_help import plan as plan_service

from .. import factories
from ..conftest import actor_of
from ..family_support import invite, mails, post, sign_in_with_link
from ..integration.consent_support import household
from .conftest import Browser, error_summary
from .test_family_view import text_of


def test_the_plan_marks_the_family_members_own_actions_and_says_when_the_next_review_is(app, client, uow,
                                                                                       practitioner):
    home = household(uow, practitioner)
    actor = actor_of(practitioner)
    goal = plan_service.add_goal(uow, actor, home.id, title="Cody gets to school on time", outcome_area="education")
    plan_service.add_action(uow, actor, home.id, goal.id, description="Set two alarms",
                            owner={"person_id": home.parent}, due_on=uow.today() + dt.timedelta(days=14))
    plan_service.add_action(uow, actor, home.id, goal.id, description="Talk to the school about mornings",
                            owner={"user_id": practitioner.id}, due_on=uow.today() + dt.timedelta(days=7))
    uow.commit()
    sign_in_with_link(app, client, invite(uow, home.parent, "morgan@example.com"))
    html = text_of(client.get("/my-family/our-plan").get_data(as_text=True))
    assert "Cody gets to school on time" in html
    assert "Yours Set two alarms Who: you." in html
    assert "Talk to the school about mornings Who: " + practitioner.name in html
    assert "Your next review meeting is due by" in html
    event = [e for e in uow.session.query(AuditEvent).filter(AuditEvent.record_type == "family_plan",
                                                              AuditEvent.actor_kind == "family")][-1]
    assert event.authority == {"kind": "family", "channel": "family"}


def test_referrals_say_what_is_happening_and_when_to_hear_by_and_a_young_person_sees_only_their_own(
        app, client, uow, practitioner):
    home = household(uow, practitioner)
    camhs = factories.AgencyFactory(name="Eastmere CAMHS", type="mental_health")
    mine = referrals_service.create_referral(uow, actor_of(practitioner), home.id, home.child, "camhs", camhs.id,
                                             "Low mood for months")
    referrals_service.create_referral(uow, actor_of(practitioner), home.id, home.teen, "camhs", camhs.id,
                                      "Panic attacks at college")
    uow.commit()
    sign_in_with_link(app, client, invite(uow, home.parent, "morgan@example.com"))
    html = text_of(client.get("/my-family/referrals").get_data(as_text=True))
    assert "CAMHS for Cody" in html and "CAMHS for Teagan" in html
    assert "What is happening Waiting for Eastmere CAMHS to decide" in html
    hear_by = min(c.due_on for c in mine.clocks if c.stopped_on is None)
    assert f"You should hear by {hear_by.day} {hear_by:%B %Y}" in html
    assert "Low mood" not in html  # the reason is the practitioner's words, not shown
    young = app.test_client()
    sign_in_with_link(app, young, invite(uow, home.child, "cody@example.com"))
    html = text_of(young.get("/my-family/referrals").get_data(as_text=True))
    assert "CAMHS for Cody" in html and "Teagan" not in html


def test_a_practitioner_invites_from_the_family_page_and_the_email_holds_no_case_content(app, uow, practitioner):
    home = household(uow, practitioner)
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    url = f"/families/{home.id}/family-access/invite"
    response = staff.submit(url, {"person_id": str(home.parent), "email": "morgan@example.com"})
    assert response.status_code == 200
    assert "Confirm you have checked the address with them" in response.get_data(as_text=True)
    response = staff.submit(url, {"person_id": str(home.little), "email": "pip@example.com", "checked_with_them": "y"})
    assert "competent" in response.get_data(as_text=True)
    response = staff.submit(url, {"person_id": str(home.parent)})  # every problem at once
    summary = error_summary(response.get_data(as_text=True))
    assert list(summary.values()) == ["Only a parent or carer with parental responsibility can be invited",
                             "Enter their email address", "Confirm you have checked the address with them"]
    response = staff.submit(url, {"person_id": str(home.parent), "email": "morgan@example.com",
                                  "checked_with_them": "y", "parental_responsibility": "y"})
    assert response.status_code == 302
    sent = mails(app)[-1]
    assert sent["to"] == ["morgan@example.com"] and "/my-family/invitation/" in sent["body"]
    assert "Larkspur" not in sent["body"] and "Morgan" not in sent["body"]
    page = staff.get(f"/families/{home.id}/family-access").get_data(as_text=True)
    assert "Morgan Larkspur" in page and "Invited" in page


def test_the_command_line_prints_the_link_last(app, uow, practitioner):
    home = household(uow, practitioner)
    result = app.test_cli_runner().invoke(args=["family", "invite", str(home.teen), "--email", "teagan@example.com"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith("http") and "/my-family/invitation/" in link
    assert mails(app)[-1]["to"] == ["teagan@example.com"]
    client = app.test_client()
    sign_in_with_link(app, client, link.split("localhost:5000", 1)[-1] if "localhost:5000" in link else link)
    assert client.get("/my-family/").status_code == 200


def test_codes_are_rate_limited_per_address(app, uow, practitioner):
    home = household(uow, practitioner)
    shared = "household@example.com"  # one address for the parent and the young person
    for person in (home.parent, home.teen):
        client = app.test_client()
        sign_in_with_link(app, client, invite(uow, person, shared))
        post(client, "/my-family/sign-out", form_url="/my-family/")
    client = app.test_client()
    sent = len(mails(app))
    for _ in range(4):
        post(client, "/my-family/sign-in", {"email": shared})
    assert len(mails(app)) == sent + 3  # 2 invitation codes + 3 = 5 this hour for the address
    refusals = uow.session.query(AuditEvent).filter(AuditEvent.action == "family_code_refused").all()
    assert [e.details["per"] for e in refusals] == ["address"]


def test_inviting_again_replaces_the_link_and_the_address(app, uow, practitioner):
    home = household(uow, practitioner)
    client = app.test_client()
    first = invite(uow, home.parent, "old.address@example.com")
    sign_in_with_link(app, client, first)
    second = invite(uow, home.parent, "new.address@example.com")
    assert client.get("/my-family/").status_code == 302  # the old sessions ended
    assert post(app.test_client(), first).status_code == 404  # the old link no longer works
    again = app.test_client()
    sign_in_with_link(app, again, second)
    assert mails(app)[-1]["to"] == ["new.address@example.com"]


def test_a_manager_can_exclude_someone_before_they_are_invited_and_then_nobody_can_invite_them(app, uow,
                                                                                               practitioner, manager):
    home = household(uow, practitioner)
    staff = Browser(app.test_client())
    staff.sign_in(manager)
    page = staff.get(f"/families/{home.id}/family-access").get_data(as_text=True)
    assert f"/family-access/{home.parent}/exclude" in page
    assert staff.submit(f"/families/{home.id}/family-access/{home.parent}/exclude",
                        {"reason": "Subject of a safeguarding concern"}).status_code == 302
    response = staff.submit(f"/families/{home.id}/family-access/invite",
                            {"person_id": str(home.parent), "email": "morgan@example.com", "checked_with_them": "y",
                             "parental_responsibility": "y"})
    assert "A manager has excluded this person" in response.get_data(as_text=True)
    assert "Excluded" in text_of(staff.get(f"/families/{home.id}/family-access").get_data(as_text=True))
