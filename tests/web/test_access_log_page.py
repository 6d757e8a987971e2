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


def test_repeated_views_fold_into_one_row_with_a_count_and_the_log_pages(browser, practitioner, uow):
    home = household(uow, practitioner)
    write(uow, practitioner, home.id, ["strengths", "health"])
    school, school_key = partner(uow, "Brookside Primary School", "school")
    give(uow, practitioner, home.id, home.parent, sections=["strengths"], agencies=[school])
    for _ in range(3):
        assert seen(uow, school_key, home.id) == {"strengths"}
    browser.sign_in(practitioner)
    html = browser.get(f"/families/{home.id}/access-log").get_data(as_text=True)
    assert html.count('data-views="') == 1 and 'data-views="3"' in html
    assert "3 times," in html and "3 views in 1 row" in html
    assert "govuk-pagination" not in html  # one page


def test_more_than_fifty_rows_are_paged(browser, practitioner, uow, monkeypatch):
    import coordination.domain.access_groups as groups

    home = household(uow, practitioner)
    write(uow, practitioner, home.id, ["strengths", "health"])
    school, school_key = partner(uow, "Brookside Primary School", "school")
    give(uow, practitioner, home.id, home.parent, sections=["strengths"], agencies=[school])
    for _ in range(3):
        seen(uow, school_key, home.id)
    # three rows a day would need 50 days of reads; a page of one row shows the paging the same way
    monkeypatch.setattr(groups, "PAGE_SIZE", 1)
    other, other_key = partner(uow, "Riverside Police", "police")
    give(uow, practitioner, home.id, home.parent, sections=["strengths"], agencies=[other])
    seen(uow, other_key, home.id)
    browser.sign_in(practitioner)
    first = browser.get(f"/families/{home.id}/access-log").get_data(as_text=True)
    second = browser.get(f"/families/{home.id}/access-log?page=2").get_data(as_text=True)
    assert "(page 1 of 2)" in first and "govuk-pagination" in first and "Riverside Police key" in first
    assert "(page 2 of 2)" in second and "Brookside Primary School key" in second
    assert "Riverside Police key" not in second
    assert "(page 2 of 2)" in browser.get(f"/families/{home.id}/access-log?page=9").get_data(as_text=True)


def test_the_family_copy_leaves_out_what_was_withheld_for_risk_and_is_audited(browser, practitioner, manager, uow):
    import audit

    home = household(uow, practitioner)
    write(uow, practitioner, home.id, ["strengths", "safety"])
    school, school_key = partner(uow, "Brookside Primary School", "school")
    police, police_key = partner(uow, "Riverside Police", "police")
    give(uow, practitioner, home.id, home.parent, sections=["strengths"], agencies=[school])
    seen(uow, school_key, home.id)
    seen(uow, school_key, home.id)
    safeguarding.record_disclosure(uow, actor_of(manager), home.id, agency_id=police.id, sections=["safety"],
                                   lawful_basis="vital_interests", justification="Immediate risk tonight",
                                   expires_on=uow.today() + dt.timedelta(days=7),
                                   withhold_reason="Telling the family would put the children at risk")
    uow.commit()
    seen(uow, police_key, home.id)
    browser.sign_in(practitioner)
    staff = browser.get(f"/families/{home.id}/access-log").get_data(as_text=True)
    assert "Riverside Police" in staff and f"/families/{home.id}/access-log/family-copy" in staff
    response = browser.get(f"/families/{home.id}/access-log/family-copy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert title_of(html).startswith("Who has seen your family's information")
    assert "Brookside Primary School" in html and "what is working well" in html and "2 times between" in html
    assert "Your family agreed to share this (consent)." in html
    for hidden in ("Riverside Police", "Safety", "safety", "Not shown to the family", "Immediate risk",
                   "put the children at risk", "Decisions to share without asking"):
        assert hidden not in html, hidden
    reads = uow.session.query(audit.AuditEvent).filter(audit.AuditEvent.record_type == "access_log").all()
    assert [e.details.get("for_family") for e in reads][-1] is True


def test_the_family_copy_of_another_agencys_family_is_not_found(browser, practitioner, outsider, uow):
    home = household(uow, practitioner)
    browser.sign_in(outsider)
    assert browser.get(f"/families/{home.id}/access-log/family-copy").status_code == 404


def test_the_access_log_filters_by_agency_and_turns_oldest_first(browser, practitioner, uow):
    home = household(uow, practitioner)
    write(uow, practitioner, home.id, ["strengths", "health"])
    school, school_key = partner(uow, "Brookside Primary School", "school")
    police, police_key = partner(uow, "Riverside Police", "police")
    give(uow, practitioner, home.id, home.parent, sections=["strengths"], agencies=[school, police])
    seen(uow, school_key, home.id)
    seen(uow, police_key, home.id)
    browser.sign_in(practitioner)
    url = f"/families/{home.id}/access-log"
    newest = browser.get(url).get_data(as_text=True)
    assert newest.index("Riverside Police key") < newest.index("Brookside Primary School key")
    oldest = browser.get(f"{url}?order=asc").get_data(as_text=True)
    assert oldest.index("Brookside Primary School key") < oldest.index("Riverside Police key")
    only = browser.get(f"{url}?agency={school.id}").get_data(as_text=True)
    assert "Brookside Primary School key" in only and "Riverside Police key" not in only
    assert "Riverside Police key" in browser.get(f"{url}?agency=not-an-agency").get_data(as_text=True)
