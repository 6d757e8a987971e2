"""The family record's "who has seen this information" page."""
from __future__ import annotations

import datetime as dt

from coordination.services.sharing import safeguarding

from ..conftest import actor_of
from ..integration.consent_support import give, household, partner, seen, write
from .conftest import title_of


def test_page_lists_each_disclosure_with_agency_key_sections_and_authority_when_partners_read(
        browser, practitioner, manager, uow):
    home = household(uow, practitioner)
    write(uow, practitioner, home.id, ["strengths", "safety"])
    school, school_key = partner(uow, "Brookside Primary School", "school")
    police, police_key = partner(uow, "Riverside Police", "police")
    give(uow, practitioner, home.id, home.parent, sections=["strengths"], agencies=[school])
    assert seen(uow, school_key, home.id) == {"strengths"}
    safeguarding.record_disclosure(uow, actor_of(manager), home.id, agency_id=police.id, sections=["safety"],
                                   lawful_basis="vital_interests", justification="Immediate risk tonight",
                                   expires_on=uow.today() + dt.timedelta(days=7),
                                   withhold_reason="Telling the family would put the children at risk")
    uow.commit()
    assert seen(uow, police_key, home.id) == {"safety"}

    browser.sign_in(practitioner)
    response = browser.get(f"/families/{home.id}/access-log")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert title_of(html).startswith("Who has seen this information")
    assert "<caption" in html and 'scope="col"' in html
    assert "Brookside Primary School" in html and "Brookside Primary School key (system key)" in html
    assert "What is working well" in html and "Consent" in html
    assert "Riverside Police" in html and "Safety: abuse, exploitation, substance use" in html
    assert "Safeguarding disclosure: Vital interests (emergency) (UK GDPR Art 6(1)(d))" in html
    assert "Not shown to the family" in html
    # the newest read is listed first
    assert html.index("Riverside Police key") < html.index("Brookside Primary School key")


def test_page_says_nobody_has_seen_it_when_nothing_was_shared(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    html = signed_in.get(f"/families/{home.id}/access-log").get_data(as_text=True)
    assert "No other agency has seen this family's information." in html


def test_outsider_gets_not_found_when_asking_for_another_agencys_family(browser, practitioner, outsider, uow):
    home = household(uow, practitioner)
    browser.sign_in(outsider)
    assert browser.get(f"/families/{home.id}/access-log").status_code == 404
