"""The child's voice: adding an entry verbatim, and correcting one with a new entry."""
from __future__ import annotations

import re

from coordination.services import assessment as assessment_service

from ..conftest import actor_of
from .conftest import error_summary, title_of


def test_adding_an_entry_and_correcting_it(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner, children=("Rowan", "Skye"))
    rowan = next(c for c in family.children if c.given_name == "Rowan")
    url = f"/families/{family.id}/voice"
    page = signed_in.get(url).get_data(as_text=True)
    assert "Nothing recorded yet." in page
    assert 'name="recorded_on"' in page and "In their own words" in page
    response = signed_in.submit(url, {"child_id": str(rowan.id), "words": "I like it when Dad walks me to school",
                                      "method": "own_words", "recorded_on": ["2", "3", "2025"],
                                      "section_key": "family_plan"})
    assert response.status_code == 302
    page = signed_in.get(url).get_data(as_text=True)
    assert "Child&#39;s voice recorded" in page
    assert "I like it when Dad walks me to school" in page and "2 March 2025" in page
    assert "Our plan: goals, actions, who and when" in page and practitioner.name in page
    (entry,) = assessment_service.list_voice(uow, actor_of(practitioner), family.id)

    correct = signed_in.get(f"{url}?corrects={entry.id}").get_data(as_text=True)
    assert "Correct an entry" in correct and f'value="{entry.id}"' in correct
    response = signed_in.submit(url, {"child_id": str(rowan.id), "words": "I like it when Dad walks me to the bus",
                                      "method": "own_words", "recorded_on": ["2", "3", "2025"],
                                      "corrects_id": str(entry.id)}, form_url=f"{url}?corrects={entry.id}")
    assert response.status_code == 302
    page = signed_in.get(url).get_data(as_text=True)
    assert "Corrected by a later entry" in page and "Corrects an earlier entry" in page
    assert "walks me to school" in page and "walks me to the bus" in page  # the old entry is kept as it was
    entries = assessment_service.list_voice(uow, actor_of(practitioner), family.id)
    old = next(e for e in entries if e.id == entry.id)
    assert old.words == "I like it when Dad walks me to school" and old.corrected_by_id is not None
    assert len(re.findall(r"Correct this entry", page)) == 1  # only the newest can be corrected


def test_missing_words_and_choices_link_to_their_fields(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    html = signed_in.submit(f"/families/{family.id}/voice", {"words": "", "recorded_on": ["", "", ""]}) \
        .get_data(as_text=True)
    assert title_of(html).startswith("Error: Child's voice")
    links = error_summary(html)
    assert links["#child_id"] == "Choose a child in this family"
    assert links["#words"] == "Enter what the child said, drew or showed"
    assert links["#method"] == "Choose how the child's voice was captured"
    assert links["#recorded_on-day"] == "Enter the date it was recorded"
    assert 'id="child_id"' in html and 'id="recorded_on-day"' in html
