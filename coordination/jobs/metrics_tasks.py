"""Job: rebuild the materialised timeliness summary (services.reporting.metrics.refresh_summary) for closed months."""
from __future__ import annotations

from coordination.domain.actors import Actor
from coordination.extensions import state
from coordination.services.reporting import metrics

from .runtime import worker_app


def refresh_metrics_summary() -> int:
    """Scheduled (rq cron, see jobs/cron_config.py): the dashboard reads closed months from the summary."""
    app = worker_app()
    with app.app_context():
        unit = state(app).unit_of_work()
        try:
            rows = metrics.refresh_summary(unit, Actor.system("metrics summary job"))
            unit.commit()
            return rows
        finally:
            unit.session.close()
