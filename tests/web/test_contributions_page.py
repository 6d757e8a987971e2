"""Partner contributions on the section page: staff see what a school added and mark it folded in."""
from __future__ import annotations

import html as htmllib

from coordination.domain.actors import Actor
from coordination.services import auth
from coordination.services import contributions as contributions_service
from coordination.services.sharing import consent as consent_service

from .. import factories
from ..conftest import actor_of
from .conftest import csrf_from


def test_section_page_shows_the_contribution_and_marks_it_folded_in(signed_in, practitioner, make_family, uow):
    family = make_family(practitioner)
    school = factories.AgencyFactory(name="Meadow Primary School", type="school")
    parent = next(p for p in family.people if p.role == "parent_carer")
    consent_service.record_consent(uow, actor_of(practitioner), family.id, given_by=parent.id,
                                   capacity="parent_with_pr", sections=["education_send"],
                                   recipients={"agencies": [school.id]}, purpose="School support")
    key, _ = auth.issue_api_key(uow, Actor.system("t"), school.id, "MIS", ["write:contributions"])
    uow.commit()
    contributions_service.add_contribution(uow, auth.actor_for_key(key), family.id, "education_send",
                                           "Reading age is two years behind; loves art club.")
    uow.commit()
    url = f"/families/{family.id}/assessment/education_send"
    page = htmllib.unescape(signed_in.get(url).get_data(as_text=True))
    assert "From partner agencies" in page and "Meadow Primary School" in page
    assert "Reading age is two years behind; loves art club." in page and ">New<" in page
    action = next(a.split('"')[0] for a in page.split('action="')[1:] if "/incorporated" in a.split('"')[0])
    done = signed_in.client.post(action, data={"csrf_token": csrf_from(page)}, follow_redirects=True)
    assert done.status_code == 200
    after = htmllib.unescape(done.get_data(as_text=True))
    assert "Marked the contribution from Meadow Primary School as folded into the section" in after
    assert ">Folded in<" in after and "Mark as folded in" not in after


def test_marking_without_the_csrf_token_is_refused(signed_in, practitioner, make_family):
    family = make_family(practitioner)
    response = signed_in.client.post(
        f"/families/{family.id}/contributions/00000000-0000-0000-0000-000000000000/incorporated", data={})
    assert response.status_code == 400
