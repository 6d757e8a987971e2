"""Confidential to the young person: a practitioner keeps a section or a voice entry to the young person it is
about, from the staff pages (audited); a young person chooses who sees their own words. In the family's own view
a parent never sees such an entry or section (not on the story, the proposal page, the sharing or the access
log); the young person it belongs to does; other young people do not."""
from __future__ import annotations

import re

from audit import AuditEvent
from coordination.domain.sections import SECTION_KEYS
from coordination.services import assessment

from ..conftest import actor_of
from ..family_support import invite, post, sign_in_with_link
from ..integration.consent_support import household, write
from .conftest import Browser, error_summary


def _sections_on(html: str) -> list[str]:
    return re.findall(r'data-section="([a-z_]+)"', html)


def _events(uow, action: str) -> list[AuditEvent]:
    uow.session.expire_all()
    return list(uow.session.query(AuditEvent).filter(AuditEvent.action == action))


def _signed_in(app, uow, person_id, email):
    client = app.test_client()
    sign_in_with_link(app, client, invite(uow, person_id, email))
    return client


def test_a_section_kept_to_the_young_person_it_is_about_is_seen_by_them_only(app, uow, practitioner):
    home = household(uow, practitioner)
    write(uow, practitioner, home.id, SECTION_KEYS)
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    url = f"/families/{home.id}/assessment/health/family-view"
    assert url in staff.get(f"/families/{home.id}/assessment/health").get_data(as_text=True)
    response = staff.submit(url, {})  # nothing chosen: the error summary says so
    assert list(error_summary(response.get_data(as_text=True)).values()) == [
        "Choose who in the family can see this section"]
    assert staff.submit(url, {"confidential_to": str(home.child)}).status_code == 302
    assert "Now: only Cody Larkspur sees this section" in staff.get(url).get_data(as_text=True)
    marked = _events(uow, "family_confidential")
    assert [(e.record_type, e.sections, e.details["person_id"]) for e in marked] == [
        ("assessment_section", ["health"], str(home.child))]
    expected = [k for k in SECTION_KEYS if k != "safety"]
    parent = _signed_in(app, uow, home.parent, "morgan@example.com")
    assert _sections_on(parent.get("/my-family/our-story").get_data(as_text=True)) == \
        [k for k in expected if k != "health"]
    assert parent.get("/my-family/our-story/health/suggest-a-change").status_code == 404
    cody = _signed_in(app, uow, home.child, "cody@example.com")
    assert _sections_on(cody.get("/my-family/our-story").get_data(as_text=True)) == expected
    assert cody.get("/my-family/our-story/health/suggest-a-change").status_code == 200
    teagan = _signed_in(app, uow, home.teen, "teagan@example.com")
    assert "health" not in _sections_on(teagan.get("/my-family/our-story").get_data(as_text=True))
    # Opened to the family again: the parent sees it on the next read.
    assert staff.submit(url, {"confidential_to": "family"}).status_code == 302
    assert "health" in _sections_on(parent.get("/my-family/our-story").get_data(as_text=True))
    assert [e.record_type for e in _events(uow, "family_confidential_ended")] == ["assessment_section"]


def test_a_section_can_be_kept_only_to_a_child_of_the_family(app, uow, practitioner):
    home = household(uow, practitioner)
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    response = staff.submit(f"/families/{home.id}/assessment/health/family-view", {"confidential_to": str(home.parent)})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert _events(uow, "family_confidential") == []


def test_a_practitioner_keeps_a_voice_entry_from_the_parents_with_a_button(app, uow, practitioner):
    home = household(uow, practitioner)
    entry = assessment.record_voice(uow, actor_of(practitioner), home.id, home.child, "I hide my phone at night.",
                                    "own_words", uow.today())
    uow.commit()
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    parent = _signed_in(app, uow, home.parent, "morgan@example.com")
    assert "I hide my phone at night." in parent.get("/my-family/our-story").get_data(as_text=True)
    response = staff.submit(f"/families/{home.id}/voice/{entry.id}/confidential", {"confidential": "1"},
                            form_url=f"/families/{home.id}/voice")
    assert response.status_code == 302
    assert "I hide my phone at night." not in parent.get("/my-family/our-story").get_data(as_text=True)
    cody = _signed_in(app, uow, home.child, "cody@example.com")
    assert "I hide my phone at night." in cody.get("/my-family/our-story").get_data(as_text=True)
    teagan = _signed_in(app, uow, home.teen, "teagan@example.com")
    assert "I hide my phone at night." not in teagan.get("/my-family/our-story").get_data(as_text=True)
    assert [(e.record_type, e.record_id) for e in _events(uow, "family_confidential")] == [
        ("voice_entry", str(entry.id))]
    # Recorded confidential from the start, with the form's checkbox.
    assert staff.submit(f"/families/{home.id}/voice", {
        "child_id": str(home.child), "words": "Mum does not know about the bus.", "method": "own_words",
        "recorded_on": [str(uow.today().day), str(uow.today().month), str(uow.today().year)],
        "confidential": "y"}).status_code == 302
    assert "Mum does not know about the bus." not in parent.get("/my-family/our-story").get_data(as_text=True)
    assert "Mum does not know about the bus." in cody.get("/my-family/our-story").get_data(as_text=True)


def test_a_young_person_chooses_who_sees_their_own_words(app, uow, practitioner):
    home = household(uow, practitioner)
    cody = _signed_in(app, uow, home.child, "cody@example.com")
    url = "/my-family/our-story/my-words"
    page = cody.get(url).get_data(as_text=True)
    assert "My family and my practitioner" in page and "Just me and my practitioner" in page
    assert "checked" not in page  # no choice made for them
    response = post(cody, url, {"words": "I like art club."})
    assert list(error_summary(response.get_data(as_text=True)).values()) == ["Choose who can see what you write"]
    assert post(cody, url, {"words": "I like art club.", "who_can_see": "family"}).status_code == 302
    assert post(cody, url, {"words": "I miss my old school.", "who_can_see": "just_me"}).status_code == 302
    parent = _signed_in(app, uow, home.parent, "morgan@example.com")
    html = parent.get("/my-family/our-story").get_data(as_text=True)
    assert "I like art club." in html and "I miss my old school." not in html
    # Staff cannot undo the young person's own choice.
    staff = Browser(app.test_client())
    staff.sign_in(practitioner)
    voice = staff.get(f"/families/{home.id}/voice").get_data(as_text=True)
    assert voice.count("Show it to their parents") == 0 and voice.count("Keep it from their parents") == 1
