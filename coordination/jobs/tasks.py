"""Job handlers: thin wrappers that rebuild context from ids and call services."""
from __future__ import annotations

import uuid

from coordination.domain.actors import Actor
from coordination.services import audit_trail
from coordination.services.sharing import disclosure

from .runner import job_state, run_job


def write_audit_checkpoint() -> dict:
    """Scheduled (rq cron, see jobs/cron_config.py): sign the audit chain's head outside the database."""
    settings = job_state().settings
    return run_job(None, lambda unit: audit_trail.write_checkpoint(unit, settings.checkpoint_dir,
                                                                   settings.audit_signing_key))


def share_sections(family_id: str, agency_id: str, keys: list[str], channel: str = "job") -> dict:
    """Send an agency the sections of a family it may see AT SEND TIME (never at enqueue time): a job queued
    before a withdrawal or expiry sends nothing after it. Returns the keys sent (the delivery itself is the
    caller's channel: notification, export, interchange)."""
    view = run_job(f"job:{channel}", lambda unit: disclosure.send_sections(
        unit, Actor.system("job"), uuid.UUID(agency_id), uuid.UUID(family_id), keys, channel=channel))
    return {"sent": [s.key for s in view.sections] if view else []}
