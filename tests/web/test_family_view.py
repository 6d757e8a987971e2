"""The family's own view, end to end through the pages: invitation → code → each page, per role.

Roles: a parent with parental responsibility, a young person (14), an excluded parent, and a member of another
family. Sections: every one but `safety` unless released; a parent never sees a young person's confidential
words; nothing withheld for risk. Codes: single use, 10 minutes, rate limited per person and per address.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from audit import AuditEvent
from coordination.domain.sections import SECTION_KEYS
from coordination.models import FamilySignInCode, VoiceEntry
from coordination.services import assessment
from coordination.services.family_view import access
from coordination.services.sharing import safeguarding

from .. import factories
from ..conftest import actor_of
from ..family_support import (
    enter_code,
    invite,
    last_code,
    mails,
    open_link,
    post,
    sign_in_with_link,
)
from ..integration.consent_support import give, household, partner, write
from .conftest import Browser

PARENT_EMAIL = "morgan.larkspur@example.com"
TEEN_EMAIL = "cody.larkspur@example.com"


@pytest.fixture
def home(uow, practitioner):
    family = household(uow, practitioner)
    write(uow, practitioner, family.id, SECTION_KEYS)
    actor = actor_of(practitioner)
    assessment.record_voice(uow, actor, family.id, family.child, "I like football with my dad.", "own_words",
                            uow.today())
    secret = assessment.record_voice(uow, actor, family.id, family.child, "I worry when they shout.", "own_words",
                                     uow.today())
    uow.commit()
    row = uow.session.get(VoiceEntry, secret.id)
    row.confidential = True
    uow.commit()
    return family


def _events(uow, action: str) -> list[AuditEvent]:
    uow.session.expire_all()
    return list(uow.session.query(AuditEvent).filter(AuditEvent.action == action))


def text_of(html: str) -> str:
    """The page's words inside <main>, tags dropped and spaces folded."""
    main = html[html.find("<main"):html.find("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).replace("&#39;", "'").split()).replace(" .", ".")


def _sections_on(html: str) -> list[str]:
    return re.findall(r'data-section="([a-z_]+)"', html)


def test_an_invited_parent_signs_in_with_the_link_and_a_code_and_the_link_works_once(app, client, uow, home):
    link = invite(uow, home.parent, PARENT_EMAIL)
    invitation = mails(app)  # the CLI/web send it; here the service made it: nothing sent yet
    assert invitation == []
    sign_in_with_link(app, client, link)
    page = client.get("/my-family/")
    assert page.status_code == 200
    assert "Hello Morgan" in page.get_data(as_text=True)
    code_mail = mails(app)[-1]
    assert code_mail["to"] == [PARENT_EMAIL]
    assert "Larkspur" not in code_mail["body"] and "Morgan" not in code_mail["body"]  # no case content
    other = app.test_client()
    response = open_link(other, link)
    assert response.status_code == 410
    assert "already been used" in response.get_data(as_text=True)
    assert _events(uow, "family_sign_in") and _events(uow, "family_code_sent")


def test_a_parent_sees_every_section_but_safety_and_not_the_young_persons_confidential_words(app, client, uow,
                                                                                              home, practitioner):
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    html = client.get("/my-family/our-story").get_data(as_text=True)
    assert _sections_on(html) == [k for k in SECTION_KEYS if k != "safety"]
    assert "I like football with my dad." in html
    assert "I worry when they shout." not in html
    reads = [e for e in _events(uow, "read") if e.record_type == "assessment" and e.actor_kind == "family"]
    assert reads[-1].authority == {"kind": "family", "channel": "family"}
    assert "safety" not in reads[-1].sections
    # A practitioner releases the safety section: it appears on the next read.
    access.release_section(uow, actor_of(practitioner), home.id, "safety", released=True)
    uow.commit()
    html = client.get("/my-family/our-story").get_data(as_text=True)
    assert _sections_on(html) == list(SECTION_KEYS)


def test_a_young_person_sees_their_own_confidential_words(app, client, uow, home):
    sign_in_with_link(app, client, invite(uow, home.child, TEEN_EMAIL))
    html = client.get("/my-family/our-story").get_data(as_text=True)
    assert "I worry when they shout." in html and "just for you" in html
    assert "safety" not in _sections_on(html)


def test_a_child_under_13_is_invited_only_when_assessed_competent(uow, home, practitioner):
    from coordination.errors import Invalid

    with pytest.raises(Invalid) as refused:
        access.invite(uow, actor_of(practitioner), home.little, "pip@example.com", base_url="http://x")
    assert "competent" in refused.value.errors["person_id"][0]
    uow.rollback()
    invitation = access.invite(uow, actor_of(practitioner), home.little, "pip@example.com", base_url="http://x",
                               competence_assessed=True)
    uow.commit()
    views, _ = access.list_access(uow, actor_of(practitioner), home.id)
    assert [v.capacity for v in views if v.person_id == invitation.person_id] == ["competent_child"]


def test_a_code_works_once_and_not_after_10_minutes(app, client, uow, home):
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    used = last_code(app)
    post(client, "/my-family/sign-out", form_url="/my-family/")
    assert client.get("/my-family/").status_code == 302
    # The same code again: refused.
    post(client, "/my-family/sign-in", {"email": PARENT_EMAIL})
    response = enter_code(client, used if used != last_code(app) else "000000")
    assert response.status_code == 200 and "That code does not work" in response.get_data(as_text=True)
    # A fresh code, left for 11 minutes: refused.
    post(client, "/my-family/sign-in", {"email": PARENT_EMAIL})
    fresh = last_code(app)
    for row in uow.session.query(FamilySignInCode).filter(FamilySignInCode.used_at.is_(None)):
        row.expires_at = row.created_at - dt.timedelta(seconds=1)
    uow.commit()
    response = enter_code(client, fresh)
    assert "That code does not work" in response.get_data(as_text=True)
    assert client.get("/my-family/").status_code == 302
    whys = [e.details.get("why") for e in _events(uow, "family_sign_in_failed")]
    assert "code_used" in whys or "wrong_code" in whys
    assert "code_expired" in whys


def test_codes_are_rate_limited_per_person(app, client, uow, home):
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    post(client, "/my-family/sign-out", form_url="/my-family/")
    sent = len(mails(app))
    for _ in range(4):  # the invitation's code was the first of five this hour
        post(client, "/my-family/sign-in", {"email": PARENT_EMAIL})
    assert len(mails(app)) == sent + 4
    post(client, "/my-family/sign-in", {"email": PARENT_EMAIL})
    assert len(mails(app)) == sent + 4  # refused, with the same page as ever
    assert [e.details["per"] for e in _events(uow, "family_code_refused")] == ["person"]


def test_an_excluded_parent_is_signed_out_at_once_and_cannot_sign_in_again(app, client, uow, home, manager):
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    assert client.get("/my-family/our-plan").status_code == 200
    staff = Browser(app.test_client())
    staff.sign_in(manager)
    response = staff.submit(f"/families/{home.id}/family-access/{home.parent}/exclude",
                            {"reason": "Parental responsibility restricted by court order"})
    assert response.status_code == 302
    assert client.get("/my-family/our-plan").status_code == 302  # the session ended
    sent = len(mails(app))
    post(client, "/my-family/sign-in", {"email": PARENT_EMAIL})
    assert len(mails(app)) == sent  # no code for an excluded person
    assert [e.reason for e in _events(uow, "family_exclude")] == [
        "Parental responsibility restricted by court order"]


def test_a_practitioner_cannot_exclude(uow, home, practitioner):
    from coordination.errors import NotPermitted

    with pytest.raises(NotPermitted):
        access.exclude(uow, actor_of(practitioner), home.parent, "No")


def test_another_familys_member_cannot_withdraw_this_familys_consent(app, client, uow, home, practitioner):
    school, _ = partner(uow, "Riverside Primary School", "school")
    consent = give(uow, practitioner, home.id, home.parent, sections=("strengths",), agencies=(school,))
    other = household(uow, practitioner, surname="Thornbury")
    sign_in_with_link(app, client, invite(uow, other.parent, "other.parent@example.com"))
    assert client.get(f"/my-family/sharing/{consent.id}/withdraw").status_code == 404
    assert "Riverside Primary School" not in client.get("/my-family/sharing").get_data(as_text=True)


def test_staff_and_family_sessions_never_mix(app, client, uow, home, practitioner):
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    assert staff.get("/my-family/").status_code == 404
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    response = client.get(f"/families/{home.id}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_withdrawal_by_the_family_stops_the_very_next_partner_read(app, client, uow, home, practitioner):
    from ..api.conftest import partner_key

    school = factories.AgencyFactory(name="Riverside Primary School", type="school")
    api = partner_key(app.test_client(), uow, school)
    consent = give(uow, practitioner, home.id, home.parent, sections=("strengths", "family_plan"),
                   agencies=(school,), expires_on=dt.date(2027, 3, 3))
    assert api.get(f"/families/{home.id}/assessment").status_code == 200
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    html = text_of(client.get("/my-family/sharing").get_data(as_text=True))
    assert "Riverside Primary School can see: what is working well, our plan: goals, actions, who and when — " \
           "until 3 March 2027" in html
    response = post(client, f"/my-family/sharing/{consent.id}/withdraw", {"reason": ""})
    assert response.status_code == 302
    assert api.get(f"/families/{home.id}/assessment").status_code == 404
    withdrawal = _events(uow, "withdraw")[-1]
    assert withdrawal.actor_kind == "family" and withdrawal.actor_key_id == str(home.parent)


def test_who_has_seen_it_shows_partner_reads_and_own_views_but_nothing_withheld_for_risk(app, client, uow, home,
                                                                                          practitioner, manager):
    from ..api.conftest import partner_key

    school = factories.AgencyFactory(name="Riverside Primary School", type="school")
    police = factories.AgencyFactory(name="Eastmere Police", type="police")
    give(uow, practitioner, home.id, home.parent, sections=("strengths",), agencies=(school,))
    assert partner_key(app.test_client(), uow, school).get(f"/families/{home.id}/assessment").status_code == 200
    disclosure = safeguarding.record_disclosure(
        uow, actor_of(manager), home.id, agency_id=police.id, sections=["worries"], lawful_basis="public_task",
        justification="Risk of harm", expires_on=uow.today() + dt.timedelta(days=30))
    uow.commit()
    assert partner_key(app.test_client(), uow, police).get(f"/families/{home.id}/assessment").status_code == 200
    safeguarding.withhold_from_family(uow, actor_of(manager), disclosure.id, "Telling them would increase risk")
    uow.commit()
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    client.get("/my-family/")
    client.get("/my-family/")
    client.get("/my-family/our-story")
    html = text_of(client.get("/my-family/who-has-seen-it").get_data(as_text=True))
    assert "Riverside Primary School saw what is working well on" in html
    assert "Eastmere Police" not in html and "what we are worried about" not in html
    assert "You viewed your story on" in html and "You viewed your home page 2 times on" in html


def test_a_young_persons_own_words_are_theirs_and_kept_from_parents_when_they_ask(app, client, uow, home,
                                                                                  practitioner):
    sign_in_with_link(app, client, invite(uow, home.child, TEEN_EMAIL))
    response = post(client, "/my-family/our-story/my-words", {"words": "I want to stay at my school.",
                                                              "who_can_see": "just_me"})
    assert response.status_code == 302
    assert "I want to stay at my school." in client.get("/my-family/our-story").get_data(as_text=True)
    parent = app.test_client()
    sign_in_with_link(app, parent, invite(uow, home.parent, PARENT_EMAIL))
    assert "I want to stay at my school." not in parent.get("/my-family/our-story").get_data(as_text=True)
    assert parent.get("/my-family/our-story/my-words").status_code == 404
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    html = text_of(staff.get(f"/families/{home.id}/voice").get_data(as_text=True))
    assert "I want to stay at my school." in html
    assert "by them, in the family's own view. Confidential to the young person" in html
    created = [e for e in _events(uow, "create") if e.record_type == "voice_entry"][-1]
    assert created.actor_kind == "family" and created.actor_key_id == str(home.child)


def test_you_said_we_did_from_the_familys_own_view(app, client, uow, home, practitioner):
    from coordination.services.family_help import feedback as feedback_service

    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    response = post(client, "/my-family/feedback", {"said": "Meetings after school are hard for us."})
    assert response.status_code == 302
    html = text_of(client.get("/my-family/feedback").get_data(as_text=True))
    assert "Meetings after school are hard for us." in html and "We have not answered yet" in html
    given = feedback_service.feedback_for(uow, actor_of(practitioner), home.id)
    assert [(f.said, f.from_person_id) for f in given] == [("Meetings after school are hard for us.", home.parent)]
    feedback_service.respond(uow, actor_of(practitioner), given[0].id, we_did="We moved reviews to 10am.")
    uow.commit()
    html = text_of(client.get("/my-family/feedback").get_data(as_text=True))
    assert "We did" in html and "We moved reviews to 10am." in html
    young = app.test_client()
    sign_in_with_link(app, young, invite(uow, home.child, TEEN_EMAIL))
    assert "Meetings after school" not in young.get("/my-family/feedback").get_data(as_text=True)  # not theirs
    # Asking for new sharing to be discussed reaches the team the same way.
    assert post(young, "/my-family/sharing/talk-about-it", {"said": "Can my college see my plan?"}).status_code == 302
    said = [f.said for f in feedback_service.feedback_for(uow, actor_of(practitioner), home.id)]
    assert "About sharing: Can my college see my plan?" in said


def test_a_proposed_change_changes_nothing_until_accepted_and_then_is_the_familys_words(app, client, uow, home,
                                                                                       practitioner):
    sign_in_with_link(app, client, invite(uow, home.parent, PARENT_EMAIL))
    url = "/my-family/our-story/strengths/suggest-a-change"
    assert "Text of strengths." in client.get(url).get_data(as_text=True)  # starts from what it says now
    assert post(client, url, {"text": "We cook together every Sunday."}).status_code == 302
    html = text_of(client.get("/my-family/our-story").get_data(as_text=True))
    assert "Text of strengths." in html and "Your practitioner has not answered yet" in html
    told = mails(app)[-1]  # the lead practitioner is emailed: a reference and a link, not the family's words
    assert told["to"] == [practitioner.email] and told["subject"].startswith("A proposed change from family")
    assert "Sunday" not in told["body"]
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    page = staff.get(f"/families/{home.id}/family-access").get_data(as_text=True)
    proposal_url = re.search(r'href="(/families/[^"]+/family-access/proposals/[^"]+)"', page).group(1)
    assert staff.submit(proposal_url + "/accept", {}, form_url=proposal_url).status_code == 302
    section = assessment.get_section(uow, actor_of(practitioner), home.id, "strengths")
    assert (section.content, section.source) == ("We cook together every Sunday.", "family")
    history = text_of(staff.get(f"/families/{home.id}/assessment/strengths/history").get_data(as_text=True))
    assert "(proposed by the family)" in history
    html = text_of(client.get("/my-family/our-story").get_data(as_text=True))
    assert "We cook together every Sunday." in html and "Your practitioner agreed" in html
    # A second proposal, answered with a reply instead: the record stays as it was.
    post(client, "/my-family/our-story/worries/suggest-a-change", {"text": "We are not worried any more."})
    page = staff.get(f"/families/{home.id}/family-access").get_data(as_text=True)
    proposal_url = re.search(r'href="(/families/[^"]+/family-access/proposals/[^"]+)"', page).group(1)
    assert staff.submit(proposal_url, {"reply": "Let us talk about this at the review."}).status_code == 302
    assert assessment.get_section(uow, actor_of(practitioner), home.id, "worries").content == "Text of worries."
    html = text_of(client.get("/my-family/our-story").get_data(as_text=True))
    assert "Your practitioner replied: Let us talk about this at the review." in html
