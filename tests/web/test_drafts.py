"""A long text is not lost to a timed-out form (issue 15): posted with a token the session no longer holds (the
session ended and a new one began, e.g. after signing in again in another tab), the assessment section, case note
and child's voice forms come back with the typed text kept and an error summary saying the page timed out, and
nothing is saved; submitted again from that page, it saves. Signed out meanwhile: the typed text to copy."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from coordination.models import CaseNote, SectionVersion, VoiceEntry

from .conftest import csrf_from, error_summary, title_of

TIMED_OUT = ("The page timed out, so nothing was saved. What you typed is still here: check it and submit the "
             "page again")
SECTION_TEXT = "Fictional: a long account of what the family told us, typed over an hour."


def _count(uow, model) -> int:
    uow.session.expire_all()
    return uow.session.execute(select(func.count()).select_from(model)).scalar_one()


def _stale_token(browser, user, url: str) -> tuple[str, str]:
    """The form page's token, then a new session (signed out and in again): (old token, the form page)."""
    page = browser.get(url).get_data(as_text=True)
    token = csrf_from(page)
    browser.submit("/sign-out", {}, form_url="/caseload")
    browser.sign_in(user)
    return token, page


def _version_of(page: str) -> str:
    return re.search(r'name="version"[^>]*value="([^"]*)"', page).group(1)


def test_a_section_saved_with_a_timed_out_token_keeps_the_text_and_saves_nothing(signed_in, practitioner,
                                                                                  make_family, uow):
    family = make_family(practitioner)
    url = f"/families/{family.id}/assessment/family_story"
    token, form = _stale_token(signed_in, practitioner, url)
    before = _count(uow, SectionVersion)
    response = signed_in.client.post(url, data={"csrf_token": token, "content": SECTION_TEXT,
                                                "version": _version_of(form)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and title_of(page).startswith("Error: ")
    assert error_summary(page) == {"#content": TIMED_OUT}
    assert SECTION_TEXT in page and _count(uow, SectionVersion) == before
    # Submitted again from the page it came back on (a fresh token): saved.
    again = signed_in.client.post(url, data={"csrf_token": csrf_from(page), "content": SECTION_TEXT,
                                             "version": _version_of(page)})
    assert again.status_code == 302 and _count(uow, SectionVersion) == before + 1


def test_a_case_note_and_a_childs_voice_keep_their_text_when_the_token_timed_out(signed_in, practitioner,
                                                                                 make_family, uow):
    family = make_family(practitioner)
    rowan = next(p for p in family.people if p.role == "child")
    note_url = f"/families/{family.id}/notes/new"
    token, _ = _stale_token(signed_in, practitioner, note_url)
    note = {"kind": "visit", "occurred_on": ["2", "3", "2026"], "occurred_time": "14:30", "with_whom": "Morgan",
            "text": "Fictional home visit: a long note about the afternoon.", "child_seen": "yes",
            "seen_alone": "no"}
    page = signed_in.client.post(note_url, data={"csrf_token": token, **note}).get_data(as_text=True)
    assert error_summary(page) == {"#text": TIMED_OUT}
    assert "Fictional home visit: a long note about the afternoon." in page and _count(uow, CaseNote) == 0

    voice_url = f"/families/{family.id}/voice"
    token, _ = _stale_token(signed_in, practitioner, voice_url)
    words = {"child_id": str(rowan.id), "words": "I want to stay at my school", "method": "own_words",
             "recorded_on": ["2", "3", "2025"]}
    page = signed_in.client.post(voice_url, data={"csrf_token": token, **words}).get_data(as_text=True)
    assert error_summary(page) == {"#words": TIMED_OUT}
    assert "I want to stay at my school" in page and _count(uow, VoiceEntry) == 0


def test_signed_out_meanwhile_the_typed_text_is_shown_to_copy_and_nothing_of_the_family(signed_in, practitioner,
                                                                                        make_family, uow):
    family = make_family(practitioner)
    url = f"/families/{family.id}/assessment/family_story"
    form = signed_in.get(url).get_data(as_text=True)
    signed_in.submit("/sign-out", {}, form_url="/caseload")
    response = signed_in.client.post(url, data={"csrf_token": csrf_from(form), "content": SECTION_TEXT})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and title_of(page).startswith("You were signed out, so nothing was saved")
    assert SECTION_TEXT in page and family.reference not in page and "Testfamily" not in page
    assert 'href="/sign-in"' in page
    # Nothing typed: simply to sign in.
    assert signed_in.client.post(url, data={"content": " "}).status_code == 302


PLANTED = "Fictional words another site put in the form."


def test_another_sites_post_gets_the_usual_check_never_a_form_filled_in_with_its_words(signed_in, practitioner,
                                                                                      make_family, uow):
    """A page elsewhere can make the browser post to these forms. Their words must not come back in a form that
    says 'submit the page again', nor on the signed-out page: the app-wide CSRF check answers instead."""
    family = make_family(practitioner)
    url = f"/families/{family.id}/notes/new"
    before = _count(uow, CaseNote)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://elsewhere.example"}):
        response = signed_in.client.post(url, data={"csrf_token": "not-a-token", "with_whom": "Mum",
                                                    "text": PLANTED}, headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and PLANTED not in page and TIMED_OUT not in page
    assert _count(uow, CaseNote) == before
    # From the service's own page the draft is kept, as above.
    own = signed_in.client.post(url, data={"csrf_token": "not-a-token", "with_whom": "Mum", "text": PLANTED},
                                headers={"Sec-Fetch-Site": "same-origin"})
    assert own.status_code == 200 and PLANTED in own.get_data(as_text=True)
    # Signed out: another site's post is not shown back either, only sent to sign in.
    signed_in.submit("/sign-out", {}, form_url="/caseload")
    away = signed_in.client.post(url, data={"text": PLANTED}, headers={"Sec-Fetch-Site": "cross-site"})
    assert away.status_code == 302 and PLANTED not in away.get_data(as_text=True)
