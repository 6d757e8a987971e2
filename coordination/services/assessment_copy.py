"""The family's copy of their assessment, to print or give them: every section the family may see (DOMAIN.md,
"The family's own access": every section except `safety`, which this service has no way yet to release to a
family), with where the assessment has got to, and what is left out said in words. Read by staff of the agency
holding the case and audited as a read of the sections shown, with the purpose `family_copy`.

The children's own voice entries are not printed: the service has no flag yet for a young person's entry they
want kept from their parents, so none is shown rather than one that should not be. The section "What the children
want you to know" (the summary the practitioner wrote with them) is.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.permissions import Action
from coordination.repositories import assessment as repo
from coordination.services import assessment_status
from coordination.services.assessment import read_sections
from coordination.services.families import family_for
from coordination.services.views import CaseAssessmentView

# Sections a family does not see unless a practitioner releases them (DOMAIN.md).
NOT_FOR_THE_FAMILY = ("safety",)


@dataclass
class FamilyCopy:
    assessment: CaseAssessmentView
    left_out: list[str]  # the titles of the sections not included


def family_copy(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> FamilyCopy:
    """:raise NotFound: the family does not exist or the actor may not know it exists."""
    family_for(uow, actor, family_id, Action.READ_CASE, "You cannot read this family's record")
    definitions = repo.list_definitions(uow.session)
    keys = [d.key for d in definitions if d.key not in NOT_FOR_THE_FAMILY]
    view = read_sections(uow, actor, family_id, keys, authority={"kind": "case_holder", "purpose": "family_copy"})
    return FamilyCopy(assessment=assessment_status.with_status(uow, view),
                      left_out=[d.title for d in definitions if d.key in NOT_FOR_THE_FAMILY])
