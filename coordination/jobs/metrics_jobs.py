"""Job: rebuild the materialised timeliness summary (services.reporting.metrics.refresh_summary) for closed months."""
from __future__ import annotations

from coordination.domain.actors import Actor
from coordination.services.reporting import metrics

from .runner import run_job


def refresh_metrics_summary() -> int:
    """Scheduled (rq cron, see jobs/cron_config.py): the dashboard reads closed months from the summary."""
    return run_job(None, lambda unit: metrics.refresh_summary(unit, Actor.system("metrics summary job")))
