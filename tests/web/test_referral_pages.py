"""Referrals in the web UI: making one from the family page (questions → check answers → sent), the receiving
team's inbox and decision, moving on and closing, the child's journey with hand-computed due dates, and what is
due and overdue. Each page reads through the audited services: one audit event per read, none on a refusal.
"""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from coordination.extensions import state
from coordination.models import Referral
from coordination.services import assessment, contacts
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of
from .conftest import Browser, csrf_from, error_summary, ids_in, title_of

REASON = "Fictional: Rowan is withdrawn and has missed school for three weeks."


@pytest.fixture
def social_care(uow):
    return factories.AgencyFactory(name="Riverside Children's Social Care", type="social_care")


@pytest.fixture
def social_worker(social_care):
    return factories.UserFactory(agency=social_care, role="practitioner", email="sam.socialworker@example.org")


@pytest.fixture
def family(make_family, practitioner, uow):
    made = make_family(practitioner, children=("Rowan", "Skye"))
    parent = next(p for p in made.people if p.role == "parent_carer")
    consent_service.record_consent(
        uow, actor_of(practitioner), made.id, given_by=parent.id, capacity="parent_with_pr",
        sections=["family_story"], recipients={"agency_types": ["social_care"]},
        purpose="So the teams Rowan is referred to read the family's story once")
    uow.commit()
    return made


@pytest.fixture
def clock(app, monkeypatch):
    """Set the service's clock for the following requests (each request makes its own unit of work)."""
    app_state = state(app)
    original = app_state.unit_of_work

    def set_to(day: str, hour: int = 10):
        moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)

        def make(request_id=None):
            unit = original(request_id)
            unit.now = lambda: moment
            return unit
        monkeypatch.setattr(app_state, "unit_of_work", make)
    return set_to


def as_user(app, user) -> Browser:
    browser = Browser(app.test_client())
    browser.sign_in(user)
    return browser


def parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def answers(family, to_agency, **extra) -> dict:
    data = {"child_id": str(family.children[0].id), "pathway": "social_care", "to_agency_id": str(to_agency.id),
            "urgency": "urgent", "reason": REASON, "sections_shared": ["family_story", "health"]}
    data.update(extra)
    return data


def refer(browser, family, to_agency, **extra):
    """Answer the questions, check, send: the confirmation page."""
    url = f"/families/{family.id}/referrals/new"
    form = browser.get(url).get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', form).group(1)
    data = {"idempotency_key": key, **answers(family, to_agency, **extra)}
    check = browser.client.post(url, data={"csrf_token": csrf_from(form), **data}).get_data(as_text=True)
    assert title_of(check).startswith("Check the referral before sending it"), error_summary(check)
    sent = browser.client.post(url, data={"csrf_token": csrf_from(check), **data, "confirm": "yes"})
    assert sent.status_code == 302 and "/sent" in sent.headers["Location"]  # post/redirect/get
    sent = browser.get(sent.headers["Location"])
    assert sent.status_code == 200
    return sent.get_data(as_text=True), check


def summary_rows(html: str, marker: str) -> dict[str, str]:
    """The rows of the summary list marked `marker` (a data- attribute), as {key: value text}."""
    block = html.split(marker, 1)[1].split("</dl>", 1)[0]
    rows = re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
                      r'<dd class="govuk-summary-list__value">(.*?)</dd>', block, re.S)

    def text(value: str) -> str:
        return htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", value).split()))

    return {text(k): text(v) for k, v in rows}


def referrals_in(uow) -> list[Referral]:
    uow.session.expire_all()
    return list(uow.session.execute(select(Referral).order_by(Referral.received_at)).scalars())


def audit_count(uow, action: str, record_id=None, **where) -> int:
    query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action,
                                                               AuditEvent.record_type == "referral")
    if record_id is not None:
        query = query.where(AuditEvent.record_id == str(record_id))
    return uow.session.execute(query).scalar_one()


def test_a_practitioner_makes_a_referral_from_the_family_page_and_it_reaches_the_receiving_inbox_and_journey(
        app, uow, practitioner, social_worker, social_care, family):
    lead = as_user(app, practitioner)
    page = lead.get(f"/families/{family.id}").get_data(as_text=True)
    assert f'href="/families/{family.id}/referrals/new"' in page and "Make a referral" in page
    assert f'href="/children/{family.children[0].id}/journey"' in page

    form = lead.get(f"/families/{family.id}/referrals/new").get_data(as_text=True)
    assert title_of(form).startswith("Make a referral")
    assert "Children&#39;s social care (step-up)" in form and "Riverside Children&#39;s Social Care" in form
    assert "Rowan Testfamily" in form and "Skye Testfamily" in form

    sent, check = refer(lead, family, social_care)
    # The check page told the practitioner what the team will see under the family's consent today.
    assert "Urgent" in check and REASON in check
    assert summary_rows(check, "data-will-see") == {
        "The child's name": "Shown: the referral names the child", "The child's date of birth": "Shown",
        "Parents and carers": "Shown: their names",
        "The family's address": 'Not shown: "Home, money, work and community" is not shared with this team',
        "Parts of the assessment": "Our story: what has happened"}
    assert "does not cover Health and wellbeing for this team" in check
    assert "Referral sent" in sent and "Riverside Children&#39;s Social Care" in sent

    (made,) = referrals_in(uow)
    assert (made.pathway, made.urgency, made.status, made.to_agency_id) == ("social_care", "urgent", "received",
                                                                            social_care.id)
    assert made.sections_shared == ["family_story", "health"] and made.received_on == uow.today()
    assert audit_count(uow, "create", made.id) == 1

    worker = as_user(app, social_worker)
    inbox = worker.get("/referrals").get_data(as_text=True)
    assert title_of(inbox).startswith("Referrals waiting for a decision")
    assert f'href="/referrals/{made.id}"' in inbox and "Rowan Testfamily" in inbox
    assert 'href="/referrals/due"' in inbox  # the service navigation
    # The sender's inbox does not list it: it waits for the receiving team.
    assert f'href="/referrals/{made.id}"' not in lead.get("/referrals").get_data(as_text=True)

    journey = worker.get(f"/children/{made.child_id}/journey").get_data(as_text=True)
    assert title_of(journey).startswith("Rowan Testfamily's journey across services".replace("'", "'"))
    assert "Children&#39;s social care (step-up)" in journey and "Waiting for a decision" in journey


def test_the_referral_page_reads_once_and_shows_the_consented_story_to_the_receiving_team(
        app, uow, practitioner, social_worker, social_care, family):
    assessment.save_section(uow, actor_of(practitioner), family.id, "family_story", "Fictional story, told once.", 0)
    assessment.save_section(uow, actor_of(practitioner), family.id, "health", "Fictional health notes.", 0)
    uow.commit()
    lead = as_user(app, practitioner)
    refer(lead, family, social_care)
    (made,) = referrals_in(uow)
    worker = as_user(app, social_worker)
    reads_before = audit_count(uow, "read", made.id)
    page = worker.get(f"/referrals/{made.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Record decision" in html and "Fictional story, told once." in html
    assert "Fictional health notes." not in html  # asked for, but the family's consent does not cover it
    assert audit_count(uow, "read", made.id) == reads_before + 1  # one read of the referral per page view
    disclosed = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "disclose",
                                                             AuditEvent.family_id == str(family.id))
                                    .order_by(AuditEvent.seq)).scalars()
    # The story, exactly as consent covers it; then the child's details the same consent allows.
    story, details = disclosed
    assert (story.sections, details.sections) == (["family_story"], [])
    assert (details.record_type, details.authority["fact"], details.authority["details"]) == (
        "family_people", "referral_details", ["date_of_birth", "parents"])
    # The sending team sees it read-only: no decision form.
    html = lead.get(f"/referrals/{made.id}").get_data(as_text=True)
    assert "Record decision" not in html and "Waiting for a decision" in html


def test_the_receiving_team_sees_the_childs_details_as_far_as_the_familys_consent_allows(
        app, uow, practitioner, social_worker, social_care, family):
    me = actor_of(practitioner)
    contacts.record_address(uow, me, family.id, line_1="1 Fictional Row", town="Eastmere", postcode="em1 4ab",
                            moved_in_on=dt.date(2020, 1, 1))
    uow.commit()
    refer(as_user(app, practitioner), family, social_care)
    (made,) = referrals_in(uow)
    worker = as_user(app, social_worker)
    rowan = family.children[0]

    # The family's consent covers its story for social care: date of birth and parents, not the address.
    rows = summary_rows(worker.get(f"/referrals/{made.id}").get_data(as_text=True), "data-details")
    assert rows == {"Child": "Rowan Testfamily", "Date of birth": f"{rowan.date_of_birth:%-d %B %Y}",
                    "Parents and carers": "Morgan Testfamily", "Address": "Not shared with your team"}

    # The family agrees to share its home too: the address follows, and the check page says so first.
    parent = next(p for p in family.people if p.role == "parent_carer")
    home = consent_service.record_consent(
        uow, me, family.id, given_by=parent.id, capacity="parent_with_pr", sections=["family_environment"],
        recipients={"agency_types": ["social_care"]}, purpose="So the team can visit")
    uow.commit()
    rows = summary_rows(worker.get(f"/referrals/{made.id}").get_data(as_text=True), "data-details")
    assert rows["Address"] == "1 Fictional Row Eastmere EM1 4AB"
    _, check = refer(as_user(app, practitioner), family, social_care, child_id=str(family.children[1].id))
    assert summary_rows(check, "data-will-see")["The family's address"] == "Shown"

    # Every consent withdrawn: the referral still names its child, and nothing else leaves.
    for consent in consent_service.list_consents(uow, me, family.id).consents:
        consent_service.withdraw_consent(uow, me, consent.id, "The family changed their mind")
    uow.commit()
    before = len(disclosures_of(uow, family))
    rows = summary_rows(worker.get(f"/referrals/{made.id}").get_data(as_text=True), "data-details")
    assert rows == {"Child": "Rowan Testfamily", "Date of birth": "Not shared with your team",
                    "Parents and carers": "Not shared with your team", "Address": "Not shared with your team"}
    assert len(disclosures_of(uow, family)) == before  # nothing disclosed, nothing logged as disclosed
    _, check = refer(as_user(app, practitioner), family, social_care, child_id=str(family.children[1].id),
                     reason="Fictional: a second referral after the family withdrew consent")
    will_see = summary_rows(check, "data-will-see")
    assert will_see["The child's date of birth"].startswith("Not shown")
    assert will_see["Parts of the assessment"] == "None"
    assert will_see["The child's name"] == "Shown: the referral names the child"
    # The family's access log lists each read of the details, with what was read.
    log = as_user(app, practitioner).get(f"/families/{family.id}/access-log").get_data(as_text=True)
    assert "From a referral: the child&#39;s date of birth, parents and carers, the family&#39;s address" in log
    assert home.id


def disclosures_of(uow, family) -> list[AuditEvent]:
    return list(uow.session.execute(select(AuditEvent).where(AuditEvent.action == "disclose",
                                                             AuditEvent.family_id == str(family.id))).scalars())


def test_bad_answers_show_the_error_summary_and_write_nothing(app, uow, practitioner, social_care, family):
    lead = as_user(app, practitioner)
    url = f"/families/{family.id}/referrals/new"
    tomorrow = uow.today() + dt.timedelta(days=1)
    response = lead.submit(url, {"pathway": "social_care", "to_agency_id": str(social_care.id), "urgency": "urgent",
                                 "reason": "  ", "received_on": parts(tomorrow)})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and title_of(html).startswith("Error: Make a referral")
    assert error_summary(html) == {
        "#child_id": "Select the child you are referring",
        "#reason": "Enter why you are making this referral",
        "#received_on-day": "The date received must be today or in the past",
    }
    assert referrals_in(uow) == [] and audit_count(uow, "create") == 0

    # Not a real date: the form says so before the service is asked.
    html = lead.submit(url, answers(family, social_care, received_on=["31", "2", "2026"])).get_data(as_text=True)
    assert error_summary(html) == {"#received_on-day": "Date the referral was received must be a real date"}
    assert referrals_in(uow) == []


def test_a_double_sent_referral_is_made_once(app, uow, practitioner, social_care, family):
    lead = as_user(app, practitioner)
    url = f"/families/{family.id}/referrals/new"
    form = lead.get(url).get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', form).group(1)
    data = {"csrf_token": csrf_from(form), "idempotency_key": key, "confirm": "yes", **answers(family, social_care)}
    first = lead.client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    again = lead.client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "Referral sent" in first and "it was not sent twice" in again
    assert len(referrals_in(uow)) == 1


def test_another_agency_cannot_see_or_decide_and_the_sender_cannot_decide(
        app, uow, practitioner, outsider, social_care, family):
    lead = as_user(app, practitioner)
    refer(lead, family, social_care)
    (made,) = referrals_in(uow)
    other = as_user(app, outsider)
    reads = audit_count(uow, "read", made.id)
    assert other.get(f"/referrals/{made.id}").status_code == 404
    assert f'href="/referrals/{made.id}"' not in other.get("/referrals").get_data(as_text=True)
    assert f'href="/referrals/{made.id}"' not in other.get("/referrals/due").get_data(as_text=True)
    assert "Rowan" not in other.get(f"/children/{made.child_id}/journey").get_data(as_text=True)
    decision = {"decision": "accept", "reason": "Not mine to decide"}
    assert other.submit(f"/referrals/{made.id}/decision", decision, form_url="/referrals").status_code == 404
    # The sending team sees it but only the receiving team decides.
    assert lead.submit(f"/referrals/{made.id}/decision", decision, form_url="/referrals").status_code == 403
    assert audit_count(uow, "read", made.id) == reads and audit_count(uow, "decision", made.id) == 0
    assert referrals_in(uow)[0].status == "received"


def test_the_receiving_team_declines_with_a_reason_and_where_the_family_was_signposted(
        app, uow, practitioner, social_worker, social_care, family):
    refer(as_user(app, practitioner), family, social_care)
    (made,) = referrals_in(uow)
    worker = as_user(app, social_worker)
    url = f"/referrals/{made.id}/decision"
    response = worker.submit(url, {"decision": "decline", "reason": "Below the threshold"},
                             form_url=f"/referrals/{made.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and title_of(html).startswith("Error: ")
    assert error_summary(html) == {"#signposted_to": "Enter where the family was signposted"}
    response = worker.submit(url, {"decision": "", "reason": ""}, form_url=f"/referrals/{made.id}")
    assert error_summary(response.get_data(as_text=True)) == {
        "#decision": "Select whether you accept or decline the referral",
        "#reason": "Enter the reason for your decision"}
    assert referrals_in(uow)[0].status == "received" and audit_count(uow, "decision", made.id) == 0

    response = worker.submit(url, {"decision": "decline", "reason": "Below the threshold",
                                   "signposted_to": "Riverside Family Hub"}, form_url=f"/referrals/{made.id}")
    assert response.status_code == 302
    (declined,) = referrals_in(uow)
    assert (declined.status, declined.decision, declined.signposted_to) == ("declined", "decline",
                                                                           "Riverside Family Hub")
    assert audit_count(uow, "decision", made.id) == 1
    html = worker.get(f"/referrals/{made.id}").get_data(as_text=True)
    assert "Referral declined" in html and "Riverside Family Hub" in html and "Record decision" not in html


def test_the_receiving_team_accepts_moves_the_referral_on_and_closes_it(
        app, uow, practitioner, social_worker, social_care, family):
    refer(as_user(app, practitioner), family, social_care)
    (made,) = referrals_in(uow)
    worker = as_user(app, social_worker)
    page = f"/referrals/{made.id}"
    assert worker.submit(f"{page}/decision", {"decision": "accept", "reason": "Section 17 assessment needed"},
                         form_url=page).status_code == 302
    html = worker.get(page).get_data(as_text=True)
    assert "Referral accepted" in html and "Move to the next stage" in html
    assert 'value="assessment"' in html and 'value="child_protection"' not in html  # only the allowed next stage
    response = worker.submit(f"{page}/stage", {"to_stage": ""}, form_url=page)
    assert error_summary(response.get_data(as_text=True)) == {
        "#to_stage": "Select the stage the referral is moving to"}
    response = worker.submit(f"{page}/stage", {"to_stage": "child_protection"}, form_url=page)
    assert response.status_code == 400 and "#to_stage" in error_summary(response.get_data(as_text=True))
    assert worker.submit(f"{page}/stage", {"to_stage": "assessment", "note": "Visit booked"},
                         form_url=page).status_code == 302
    (moved,) = referrals_in(uow)
    assert (moved.status, moved.stage) == ("in_progress", "assessment")
    html = worker.get(page).get_data(as_text=True)
    assert "Moved to Assessment under way" in html and "Visit booked" in html
    assert audit_count(uow, "transition", made.id) == 1

    assert error_summary(worker.submit(f"{page}/close", {"outcome": ""}, form_url=page).get_data(as_text=True)) \
        == {"#outcome": "Enter the outcome"}
    # Closed straight after the assessment began, referred to early help: the census's RC9.
    assert worker.submit(f"{page}/close", {"outcome": "stepped_down", "reason_for_closure": "RC9"},
                         form_url=page).status_code == 302
    (closed,) = referrals_in(uow)
    assert (closed.status, closed.outcome) == ("closed", "stepped_down")


def test_the_journey_shows_each_episode_in_order_with_hand_computed_due_dates_and_the_links(
        app, uow, clock, practitioner, social_worker, social_care, family):
    # Early help received Fri 4 Dec 2026. decision, 5 working days: Mon 7 (1), Tue 8 (2), Wed 9 (3), Thu 10 (4),
    # Fri 11 (5) → due Fri 11 Dec 2026.
    clock("2026-12-04")
    lead = as_user(app, practitioner)
    refer(lead, family, practitioner.agency, pathway="early_help", urgency="routine")
    (early,) = referrals_in(uow)
    # Step-up from the early help page, the same day: social care decision, 1 working day: Fri 4 Dec → Mon 7 Dec.
    # assessment, 45 working days from receipt: 7–11 Dec (1–5), 14–18 (6–10), 21–24 Dec (11–14), [Fri 25 Dec,
    # Mon 28 Dec Boxing Day substitute] 29–31 Dec (15–17), [Fri 1 Jan] 4–8 Jan (18–22), 11–15 (23–27), 18–22 (28–32),
    # 25–29 (33–37), 1–5 Feb (38–42), Mon 8 (43), Tue 9 (44), Wed 10 Feb (45) → due Wed 10 Feb 2027.
    clock("2026-12-04", 11)
    html = lead.get(f"/referrals/{early.id}").get_data(as_text=True)
    step_up = f"/families/{family.id}/referrals/new?from={early.id}&amp;kind=step_up"
    assert step_up in html and "Step up to children&#39;s social care" in html
    form = lead.get(step_up.replace("&amp;", "&")).get_data(as_text=True)
    assert title_of(form).startswith("Step up to children's social care")
    assert 'value="social_care" checked' in form.replace('checked=""', "checked") or \
        re.search(r'value="social_care"[^>]*checked', form)
    assert "Skye Testfamily" not in form  # the child of the episode it follows
    data = {"csrf_token": csrf_from(form), "linked_from_id": str(early.id), "link_kind": "step_up",
            "idempotency_key": "step-up-1", **answers(family, social_care, reason="Handover: " + REASON)}
    check = lead.client.post(f"/families/{family.id}/referrals/new", data=data).get_data(as_text=True)
    assert "Stepped up from the Early help referral received on 4 December 2026" in check, error_summary(check)
    sent = lead.client.post(f"/families/{family.id}/referrals/new", data={**data, "confirm": "yes"},
                            follow_redirects=True)
    assert "Referral sent" in sent.get_data(as_text=True)
    early, stepped = referrals_in(uow)
    assert (stepped.linked_from_id, stepped.link_kind) == (early.id, "step_up")

    clock("2026-12-07")
    journey = as_user(app, practitioner).get(f"/children/{early.child_id}/journey").get_data(as_text=True)
    first, second = journey.index(f'id="episode-{early.id}"'), journey.index(f'id="episode-{stepped.id}"')
    assert first < second
    episode_one, episode_two = journey[first:second], journey[second:]
    assert "1. Early help" in episode_one and "11 December 2026" in episode_one
    assert "2. Children&#39;s social care (step-up)" in episode_two
    assert "7 December 2026" in episode_two and "10 February 2027" in episode_two
    assert re.search(rf'Stepped up from\s*<a class="govuk-link" href="#episode-{early.id}">Early help \(received '
                     r"4 December 2026\)</a>", episode_two)
    assert audit_count(uow, "read") >= 1


def test_due_and_overdue_lists_the_overdue_clock_first_with_counts_and_a_pathway_filter(
        app, uow, clock, practitioner, social_care, family):
    # On Mon 7 Dec 2026: a CAMHS-free pair. Social care received Thu 3 Dec (backdated phone referral): decision due
    # Fri 4 Dec, so overdue. Early help received today: decision due Mon 14 Dec (5 working days).
    clock("2026-12-07")
    lead = as_user(app, practitioner)
    refer(lead, family, practitioner.agency, pathway="early_help", urgency="routine")
    refer(lead, family, social_care, received_on=["3", "12", "2026"])
    early, social = sorted(referrals_in(uow), key=lambda r: r.pathway)
    assert social.received_on == dt.date(2026, 12, 3)

    page = lead.get("/referrals/due")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and title_of(html).startswith("Due and overdue")
    rows = re.findall(r'href="/referrals/([0-9a-f-]+)"', html)
    assert rows[0] == str(social.id)  # the overdue decision leads
    counts = dict((label, int(n)) for n, label in re.findall(
        r'govuk-heading-l govuk-!-margin-bottom-0">(\d+)</span>([a-z ]+\d* ?[a-z]*)', html))
    assert counts["overdue"] == 1 and counts["running in all"] == 3
    first_row = html[html.index("<tbody"):html.index("</tr>", html.index("<tbody"))]
    assert "Overdue" in first_row and "4 December 2026" in first_row
    assert "14 December 2026" in html

    filtered = lead.get("/referrals/due?pathway=early_help").get_data(as_text=True)
    assert re.findall(r'href="/referrals/([0-9a-f-]+)"', filtered) == [str(early.id)]
    assert '<option value="early_help" selected>' in filtered
    assert audit_count(uow, "read") >= 2


def test_a_social_worker_steps_a_child_down_to_early_help_with_a_warm_handover(
        app, uow, practitioner, social_worker, social_care, family):
    """The social worker does not hold the family's case: the family's consent to social care lets them refer,
    and the step-down is pre-linked to the social care episode with the child fixed."""
    refer(as_user(app, practitioner), family, social_care)
    (social,) = referrals_in(uow)
    worker = as_user(app, social_worker)
    assert worker.get(f"/families/{family.id}").status_code == 404  # not their case
    html = worker.get(f"/referrals/{social.id}").get_data(as_text=True)
    step_down = f"/families/{family.id}/referrals/new?from={social.id}&amp;kind=step_down"
    assert step_down in html
    form = worker.get(step_down.replace("&amp;", "&")).get_data(as_text=True)
    assert title_of(form).startswith("Step down to early help")
    assert "Rowan Testfamily" in form and "Skye" not in form
    data = {"csrf_token": csrf_from(form), "linked_from_id": str(social.id), "link_kind": "step_down",
            "idempotency_key": "step-down-1",
            **answers(family, practitioner.agency, pathway="early_help", urgency="routine",
                      reason="Handover: assessment complete, family want early help support",
                      sections_shared=["family_story"])}
    url = f"/families/{family.id}/referrals/new"
    check = worker.client.post(url, data=data).get_data(as_text=True)
    assert "Stepped down from the Children&#39;s social care (step-up) referral" in check, error_summary(check)
    assert "This team holds the family's case: it reads the whole assessment, and sees the child's date" in check
    assert "Referral sent" in worker.client.post(url, data={**data, "confirm": "yes"},
                                                 follow_redirects=True).get_data(as_text=True)
    social, down = referrals_in(uow)
    assert (down.pathway, down.linked_from_id, down.link_kind, down.from_agency_id) == (
        "early_help", social.id, "step_down", social_care.id)
    # It reaches the early help team's inbox.
    inbox = as_user(app, practitioner).get("/referrals").get_data(as_text=True)
    assert f'href="/referrals/{down.id}"' in inbox


def test_admins_have_no_referral_pages(app, uow, admin_user):
    admin = as_user(app, admin_user)
    for url in ("/referrals", "/referrals/due"):
        assert admin.get(url).status_code == 403
    assert 'href="/referrals"' not in admin.get("/").get_data(as_text=True)


def audited_by(uow, request) -> list[tuple[str, str, str | None]]:
    """(action, record_type, the referral's id or else the family's) of the audit events one request wrote."""
    uow.session.expire_all()
    last = uow.session.execute(select(func.max(AuditEvent.seq))).scalar_one() or 0
    response = request()
    assert response.status_code == 200, response.status_code
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq)).scalars()
    return [(e.action, e.record_type, e.record_id if e.record_type == "referral" else e.family_id) for e in events]


def test_each_page_writes_exactly_its_reads_to_the_audit_trail(
        app, uow, clock, practitioner, social_worker, social_care, family):
    clock("2026-12-07")
    lead = as_user(app, practitioner)
    refer(lead, family, social_care, received_on=["3", "12", "2026"])
    (made,) = referrals_in(uow)
    worker = as_user(app, social_worker)
    rid, fid = str(made.id), str(family.id)
    assert audited_by(uow, lambda: worker.get("/referrals")) == [("read", "referral", None)]
    # The due list reads running clocks and the reviews due on plans the team works on.
    assert audited_by(uow, lambda: worker.get("/referrals/due")) == [("read", "referral", None),
                                                                    ("read", "family_plan", None)]
    assert audited_by(uow, lambda: worker.get(f"/children/{made.child_id}/journey")) == [("read", "referral", None)]
    # The receiving team: the referral, the story as the family's consent covers it and the child's details the
    # same consent allows (both disclosed to them).
    assert audited_by(uow, lambda: worker.get(f"/referrals/{rid}")) == [("read", "referral", rid),
                                                                      ("disclose", "assessment", fid),
                                                                      ("disclose", "family_people", fid)]
    # The case-holding team: the referral, its own assessment and its own family's people.
    assert audited_by(uow, lambda: lead.get(f"/referrals/{rid}")) == [("read", "referral", rid),
                                                                    ("read", "assessment", fid),
                                                                    ("read", "family_people", fid)]
    assert audited_by(uow, lambda: lead.get(f"/families/{fid}/referrals/new")) == [("read", "family", fid)]

    # The overdue decision (received Thu 3 Dec, due Fri 4 Dec) is tagged in the receiving team's inbox.
    inbox = worker.get("/referrals").get_data(as_text=True)
    assert "4 December 2026" in inbox and "Overdue" in inbox and "<strong>1</strong> overdue" in inbox


def test_error_summary_links_go_to_fields_on_the_page_and_strangers_get_no_form(
        app, uow, practitioner, outsider, social_care, family):
    lead = as_user(app, practitioner)
    html = lead.submit(f"/families/{family.id}/referrals/new", {"reason": ""}).get_data(as_text=True)
    links = error_summary(html)
    assert set(links) == {"#child_id", "#pathway", "#to_agency_id", "#urgency", "#reason"}
    assert {href[1:] for href in links} <= ids_in(html)
    refer(lead, family, social_care)
    (made,) = referrals_in(uow)
    worker = as_user(app, factories.UserFactory(agency=social_care, role="practitioner"))
    html = worker.submit(f"/referrals/{made.id}/decision", {"decision": "decline"},
                         form_url=f"/referrals/{made.id}").get_data(as_text=True)
    assert {href[1:] for href in error_summary(html)} <= ids_in(html)
    assert as_user(app, outsider).get(f"/families/{family.id}/referrals/new").status_code == 404
    assert as_user(app, outsider).get(f"/families/{family.id}/referrals/new?from={made.id}&kind=step_up")\
        .status_code == 404


def test_refer_on_offers_the_transitions_that_fit_the_pathway(app, uow, practitioner, social_care, family):
    lead = as_user(app, practitioner)
    refer(lead, family, practitioner.agency, pathway="early_help", urgency="routine")
    refer(lead, family, social_care)
    early, social = sorted(referrals_in(uow), key=lambda r: r.pathway)
    html = lead.get(f"/referrals/{early.id}").get_data(as_text=True)
    assert "Step up to children&#39;s social care" in html and "Step down to early help" not in html
    html = lead.get(f"/referrals/{social.id}").get_data(as_text=True)
    assert "Step down to early help" in html and "Step up to children&#39;s social care" not in html
    assert "Refer to another service alongside this one" in html


def test_the_confirmation_is_a_page_of_its_own_so_refreshing_it_sends_nothing(app, uow, practitioner, social_care,
                                                                              family, outsider):
    lead = as_user(app, practitioner)
    refer(lead, family, social_care)
    (made,) = referrals_in(uow)
    for _ in range(2):  # refresh, or Back and Forward
        page = lead.get(f"/referrals/{made.id}/sent")
        assert page.status_code == 200 and "Referral sent" in page.get_data(as_text=True)
    assert len(referrals_in(uow)) == 1
    assert as_user(app, outsider).get(f"/referrals/{made.id}/sent").status_code == 404
