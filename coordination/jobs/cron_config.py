"""rq cron schedule: `rq cron coordination.jobs.cron_config` (see deploy/ and `make cron`)."""
from rq import cron

from coordination.jobs.audit_jobs import write_audit_checkpoint
from coordination.jobs.handlers import (
    queue_consent_reminders,
    queue_daily_digests,
    raise_age_transition_tasks,
    raise_phase_transfer_tasks,
)
from coordination.jobs.metrics_jobs import refresh_metrics_summary

# Every 5 minutes: a signed checkpoint of the audit chain, kept outside the database. It bounds how long a
# database administrator with an old copy of the chain's head row could hide a cut tail (see README, Security).
cron.register(write_audit_checkpoint, queue_name="default", cron="*/5 * * * *")
# Nightly at 02:15: the materialised timeliness summary of closed months (the dashboard shows its "as of").
cron.register(refresh_metrics_summary, queue_name="default", cron="15 2 * * *")
# Daily (each idempotent: per-day / per-child dedupe keys, so a second run or a second host adds nothing).
cron.register(queue_daily_digests, queue_name="default", cron="0 7 * * 1-5")
cron.register(queue_consent_reminders, queue_name="default", cron="5 7 * * 1-5")
cron.register(raise_age_transition_tasks, queue_name="default", cron="30 1 * * *")
cron.register(raise_phase_transfer_tasks, queue_name="default", cron="40 1 * * *")
