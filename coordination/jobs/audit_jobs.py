"""Job: the signed checkpoint (every 5 minutes) of the audit chain (services.audit_trail.write_checkpoint)."""
from __future__ import annotations

from coordination.services import audit_trail

from .runner import job_state, run_job


def write_audit_checkpoint() -> dict:
    """Scheduled (rq cron, see jobs/cron_config.py): sign the audit chain's head outside the database."""
    settings = job_state().settings
    return run_job(None, lambda unit: audit_trail.write_checkpoint(unit, settings.checkpoint_dir,
                                                                   settings.audit_signing_key))
