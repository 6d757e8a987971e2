"""Job handlers: thin wrappers that rebuild context from ids and call services."""
from __future__ import annotations

from coordination.extensions import state
from coordination.services import audit_trail

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
