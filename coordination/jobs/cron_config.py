"""rq cron schedule: `rq cron coordination.jobs.cron_config` (see deploy/ and `make cron`)."""
from rq import cron

from coordination.jobs.tasks import write_audit_checkpoint

# Every hour at minute 7: a signed checkpoint of the audit chain, kept outside the database.
cron.register(write_audit_checkpoint, queue_name="default", cron="7 * * * *")
