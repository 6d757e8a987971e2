"""Plausible limits in the web forms, with GOV.UK error messages (domain.people, domain.consent): a child's
date of birth in 1900 or later and under 26; a consent longer than 24 months only with its reason."""
from __future__ import annotations

import datetime as dt

from coordination.domain.consent import add_months
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of
from ..integration.consent_support import household
from .conftest import error_summary, person_rows, title_of
from .test_consent_pages import _answers, _parts


def test_implausible_dates_of_birth_show_the_error_summary(signed_in):
    today = dt.date.today()
    old = str(today.year - 30)
    data = person_rows(parent=("Morgan", "Testfamily", ("1", "1", "1850")),
                       children=[("Rowan", "Testfamily", ("1", "6", "0001")),
                                 ("Skye", "Testfamily", ("1", "6", old))])
    html = signed_in.submit("/families/new", data).get_data(as_text=True)
    assert title_of(html).startswith("Error: ")
    links = error_summary(html)
    assert links["#parents-0-date_of_birth-day"] == "Date of birth must be in 1900 or later"
    assert links["#children-0-date_of_birth-day"] == "Date of birth must be in 1900 or later"
    assert links["#children-1-date_of_birth-day"].startswith("A child must be under 26")


def test_a_consent_longer_than_24_months_needs_its_reason(signed_in, practitioner, uow):
    home = household(uow, practitioner)
    school = factories.AgencyFactory(name="Brookside Primary School", type="school")
    url = f"/families/{home.id}/consents/new"
    today = dt.date.today()
    long = _answers(home, school, valid_from=_parts(today), expires_on=_parts(add_months(today, 36)))
    html = signed_in.submit(url, long).get_data(as_text=True)
    assert error_summary(html) == {"#extended_reason": "Enter why consent must last longer than 24 months, or "
                                                       "choose an earlier expiry date"}
    forever = dict(long, expires_on=["31", "12", "9999"], extended_reason="For ever")
    assert "#expires_on-day" in error_summary(signed_in.submit(url, forever).get_data(as_text=True))
    response = signed_in.submit(url, dict(long, extended_reason="Agreed to cover the whole EHC plan"))
    assert response.status_code == 302
    check = signed_in.get(f"/families/{home.id}/consents/check").get_data(as_text=True)
    assert "Agreed to cover the whole EHC plan" in check
    assert signed_in.submit(f"/families/{home.id}/consents/check", {}).status_code == 302
    (recorded,) = consent_service.list_consents(uow, actor_of(practitioner), home.id).consents
    assert recorded.extended_reason == "Agreed to cover the whole EHC plan"
    assert recorded.expires_on == add_months(today, 36)
