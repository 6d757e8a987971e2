"""What most family pages start with: who is asking, and the family they may see (404 when they may not)."""
from __future__ import annotations

import uuid

from coordination.auth.web import current_actor
from coordination.domain.actors import Actor
from coordination.extensions import uow
from coordination.services import families as families_service
from coordination.services.views import FamilyView


def family_page(family_id: uuid.UUID) -> tuple[Actor, FamilyView]:
    """The signed-in actor and the family, read as that actor (scoped by what it may see)."""
    actor = current_actor()
    return actor, families_service.get_family(uow(), actor, family_id)
