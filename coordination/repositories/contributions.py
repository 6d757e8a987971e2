"""Partner contributions of a family (callers check the family is one the actor may see)."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coordination.models import Contribution


def list_for_family(session: Session, family_id: uuid.UUID, section: str | None = None) -> list[Contribution]:
    query = select(Contribution).where(Contribution.family_id == family_id)
    if section:
        query = query.where(Contribution.section_key == section)
    return list(session.execute(query.order_by(Contribution.created_at.desc(), Contribution.id)).scalars())


def get(session: Session, contribution_id: uuid.UUID) -> Contribution | None:
    return session.get(Contribution, contribution_id)
