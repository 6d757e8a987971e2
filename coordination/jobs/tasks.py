"""Job handlers: thin wrappers that rebuild context from ids and call services."""
from __future__ import annotations

import uuid

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services import audit_trail
from coordination.services.sharing import disclosure

from .runtime import worker_app


def write_audit_checkpoint() -> dict:
    """Scheduled (rq cron, see jobs/cron_config.py): sign the audit chain's head outside the database."""
    app = worker_app()
    with app.app_context():
        st = state(app)
        unit = st.unit_of_work()
        try:
            return audit_trail.write_checkpoint(unit, st.settings.checkpoint_dir, st.settings.audit_signing_key)
        finally:
            unit.session.close()


def share_sections(family_id: str, agency_id: str, keys: list[str], channel: str = "job") -> dict:
    """Send an agency the sections of a family it may see AT SEND TIME (never at enqueue time): a job queued
    before a withdrawal or expiry sends nothing after it. Returns the keys sent (the delivery itself is the
    caller's channel: notification, export, interchange)."""
    app = worker_app()
    with app.app_context():
        unit = state(app).unit_of_work(request_id=f"job:{channel}")
        try:
            view = disclosure.send_sections(unit, Actor.system("job"), uuid.UUID(agency_id), uuid.UUID(family_id),
                                            keys, channel=channel)
            unit.commit()
        finally:
            unit.session.close()
    return {"sent": [s.key for s in view.sections] if view else []}
