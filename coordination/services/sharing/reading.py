"""Who reads which part of a family's assessment, in one place: the agency holding the case reads all of it;
anyone else exactly what a live consent or safeguarding disclosure covers for their agency now (the disclosure
engine, which audits the read as a disclosure and answers NotFound when nothing is covered).

Used by the API's assessment read, the referral service's "assessment behind a referral" (the referral pages and
API) and the referral check page's "the receiving team will read".
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.repositories import families as families_repo
from coordination.services import assessment
from coordination.services.views import AssessmentView

from . import disclosure


def read_assessment_for(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, channel: str) -> AssessmentView:
    """The assessment as the actor may read it now: whole for the case holder (audited as a read), otherwise the
    covered sections (audited as a disclosure through `channel`).

    :raise NotFound: not the case holder and nothing covered (as for a family that does not exist).
    :raise NotPermitted: a partner key without the read:assessment scope.
    """
    if families_repo.get_for(uow.session, actor, family_id) is not None:
        return assessment.get_assessment(uow, actor, family_id)
    return disclosure.disclose_assessment(uow, actor, family_id, channel=channel)


def sections_for_agency(uow: UnitOfWork, agency_id: uuid.UUID, owning_agency_id: uuid.UUID, family_id: uuid.UUID,
                        keys: Iterable[str]) -> list[str]:
    """Which of `keys` the agency would read of the family now, in the order given: all of them when it holds the
    case (`owning_agency_id`), otherwise those a live consent or disclosure covers for it. Reads, audits nothing."""
    keys = list(keys)
    if agency_id == owning_agency_id:
        return keys
    return sorted(disclosure.may_send(uow, agency_id, family_id, keys), key=keys.index)
