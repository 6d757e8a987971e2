"""The family's own view in the database: a withdrawal a family member made is final, like any other (migration
0024 keeps migration 0002's rule, with the new column among those set once)."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from coordination.repositories import family_access as repo
from coordination.services.family_view.access import family_actor
from coordination.services.sharing import consent

from ..family_support import invite
from .consent_support import give, household, partner


def test_a_familys_withdrawal_is_recorded_as_theirs_and_cannot_be_undone(uow, practitioner):
    home = household(uow, practitioner)
    school, _ = partner(uow, "Riverside Primary School", "school")
    given = give(uow, practitioner, home.id, home.parent, agencies=[school])
    invite(uow, home.parent, "morgan@example.com")
    parent = family_actor(repo.get_by_person(uow.session, home.parent))
    withdrawn = consent.withdraw_own_consent(uow, parent, given.id, None)
    uow.commit()
    assert (withdrawn.withdrawn_by_person_id, withdrawn.withdrawn_by_id) == (home.parent, None)
    assert withdrawn.withdrawal_reason == "Withdrawn by the family in their own view"
    with pytest.raises(DBAPIError, match="immutable"):
        uow.session.execute(text("UPDATE consent SET withdrawn_by_person_id = NULL"))
    uow.rollback()
