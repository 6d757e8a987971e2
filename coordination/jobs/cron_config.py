"""rq cron schedule: `rq cron coordination.jobs.cron_config` (see deploy/ and `make cron`)."""
from rq import cron

from coordination.jobs.metrics_tasks import refresh_metrics_summary
from coordination.jobs.tasks import write_audit_checkpoint

# Every hour at minute 7: a signed checkpoint of the audit chain, kept outside the database.
cron.register(write_audit_checkpoint, queue_name="default", cron="7 * * * *")
# Nightly at 02:15: the materialised timeliness summary of closed months (the dashboard shows its "as of").
cron.register(refresh_metrics_summary, queue_name="default", cron="15 2 * * *")
