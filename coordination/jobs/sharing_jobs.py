"""Job: send an agency a family's sections through the disclosure engine, consent checked at send time."""
from __future__ import annotations

import uuid

from coordination.domain.actors import Actor
from coordination.services.sharing import disclosure

from .runner import run_job


def share_sections(family_id: str, agency_id: str, keys: list[str], channel: str = "job") -> dict:
    """Send an agency the sections of a family it may see AT SEND TIME (never at enqueue time): a job queued
    before a withdrawal or expiry sends nothing after it. Returns the keys sent (the delivery itself is the
    caller's channel: notification, export, interchange)."""
    view = run_job(f"job:{channel}", lambda unit: disclosure.send_sections(
        unit, Actor.system("job"), uuid.UUID(agency_id), uuid.UUID(family_id), keys, channel=channel))
    return {"sent": [s.key for s in view.sections] if view else []}
