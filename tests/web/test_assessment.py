"""The assessment task list, saving a section, the stale-save conflict and the section history."""
from __future__ import annotations

import html as htmllib
import re

from coordination.services import assessment as assessment_service
from coordination.services.family_view import confidential

from ..conftest import actor_of
from .conftest import csrf_from, error_summary, title_of


def _version_in(page: str) -> str:
    match = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
    assert match, "no hidden version"
    return match.group(1) or match.group(2)


def test_task_list_shows_not_started_and_started_sections(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner)
    assessment_service.save_section(uow, actor_of(practitioner), family.id, "strengths", "Grandma helps.", 0)
    uow.commit()
    html = signed_in.get(f"/families/{family.id}/assessment").get_data(as_text=True)
    assert "govuk-task-list" in html
    assert html.count("Not started") == 11
    assert "In progress" in html
    assert f"by {practitioner.name}" in html and "Version 1, updated" in html
    assert f'href="/families/{family.id}/assessment/strengths"' in html


def test_saving_a_section_returns_to_the_task_list_with_a_banner(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    url = f"/families/{family.id}/assessment/family_story"
    response = signed_in.submit(url, {"content": "We moved in spring.", "version": "0"})
    assert response.status_code == 302 and response.headers["Location"] == f"/families/{family.id}/assessment"
    html = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Section saved" in html and "govuk-notification-banner--success" in html
    page = signed_in.get(url).get_data(as_text=True)
    assert "We moved in spring." in page and _version_in(page) == "1"


def test_empty_section_text_is_an_error_linked_to_the_box(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    html = signed_in.submit(f"/families/{family.id}/assessment/worries", {"content": "  ", "version": "0"}) \
        .get_data(as_text=True)
    assert error_summary(html) == {"#content": "Enter some text for this section"}


def test_stale_save_shows_the_newer_text_and_keeps_the_users_text(signed_in, practitioner, manager, make_family,
                                                                   uow):
    family = make_family(practitioner)
    url = f"/families/{family.id}/assessment/family_story"
    opened = signed_in.get(url).get_data(as_text=True)
    assert _version_in(opened) == "0"
    # Meanwhile a colleague saves first.
    assessment_service.save_section(uow, actor_of(manager), family.id, "family_story", "Dad's account: <moved>.", 0)
    uow.commit()
    response = signed_in.client.post(url, data={"csrf_token": csrf_from(opened), "version": "0",
                                                "content": "Mum's account of the move."})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert title_of(page).startswith("Error: ")
    (message,) = error_summary(page).values()
    assert message.startswith(f"This section was changed by {manager.name} at ")
    assert message.endswith("while you were editing")
    assert "Dad&#39;s account: &lt;moved&gt;." in page  # the newer text, escaped, read-only
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert htmllib.unescape(textarea).strip() == "Mum's account of the move."
    assert _version_in(page) == "1"
    # Nothing was overwritten ...
    current = assessment_service.get_section(uow, actor_of(practitioner), family.id, "family_story")
    assert current.version == 1 and current.content == "Dad's account: <moved>."
    # ... until the user saves again, deliberately, on top of the version they have now seen.
    again = signed_in.client.post(url, data={"csrf_token": csrf_from(page), "version": _version_in(page),
                                             "content": "Mum's account of the move."})
    assert again.status_code == 302
    history = signed_in.get(f"{url}/history").get_data(as_text=True)
    assert history.index("Version 2 (current)") < history.index("Version 1")
    assert "Mum&#39;s account of the move." in history and "Dad&#39;s account" in history
    assert manager.name in history and practitioner.name in history and "Riverside Early Help Hub" in history


def test_unknown_section_is_not_found(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    assert signed_in.get(f"/families/{family.id}/assessment/no_such_section").status_code == 404


def test_a_section_kept_to_a_young_person_says_so_on_its_page_and_the_task_list(signed_in, practitioner, make_family,
                                                                                uow):
    family = make_family(practitioner, children=("Rowan", "Skye"))
    rowan = next(p.id for p in family.people if p.given_name == "Rowan")
    url = f"/families/{family.id}/assessment/health"
    change = f'href="{url}/family-view"'
    open_page = signed_in.get(url).get_data(as_text=True)
    assert 'id="confidential-to"' not in open_page and "Confidential to the young person" not in open_page
    assert "and practitioners can see this" not in signed_in.get(f"/families/{family.id}/assessment") \
        .get_data(as_text=True)
    confidential.set_section_confidential(uow, actor_of(practitioner), family.id, "health", rowan)
    uow.commit()
    page = signed_in.get(url).get_data(as_text=True)
    inset = re.search(r'<div class="govuk-inset-text" id="confidential-to">(.*?)</div>', page, re.S).group(1)
    assert "Confidential to the young person" in inset and change in inset
    assert " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", inset)).split()) == (
        "Confidential to the young person Only Rowan and practitioners can see this in the family's view. "
        "Change who in the family can see this section")
    tasks = htmllib.unescape(signed_in.get(f"/families/{family.id}/assessment").get_data(as_text=True))
    assert tasks.count("Only Rowan and practitioners can see this in the family's view") == 1
    health = re.search(r'href="[^"]*/assessment/health".*?</li>', tasks, re.S).group(0)
    assert "Only Rowan and practitioners can see this" in health
    # Open to the family again: neither page says so any more.
    confidential.set_section_confidential(uow, actor_of(practitioner), family.id, "health", None)
    uow.commit()
    assert 'id="confidential-to"' not in signed_in.get(url).get_data(as_text=True)
    assert "and practitioners can see this" not in signed_in.get(f"/families/{family.id}/assessment") \
        .get_data(as_text=True)
