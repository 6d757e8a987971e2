"""Importing an authority's past referrals from a CSV file (`flask referrals import FILE.csv`), so its
timeliness figures and trends start with its history. The columns are documented in docs/import.md.

Two steps, so nothing is written unless the whole file is right:

1. `check()` (plan) reads the whole file and reports every problem as "line N, column X (name): message" (lines
   as a spreadsheet counts them: the header is line 1). Reading and checking the CSV (parse, rows) is free of
   the database; matching each row's child to one already recorded (match) reads it. Nothing is written.
2. `apply()` (apply) writes a checked plan in the caller's transaction: families for children not yet recorded
   (held by the importing agency, made by services.families), the referrals with their historic events (a date
   alone is taken as 09:00 England time, as for a backdated live referral), pauses and exceptions, the clocks
   (services.referrals.recompute_clocks, exactly as for a live referral), an audit event per referral and per
   family created (ids and codes only, `source: import`) and one summary event. No outbox messages: history
   notifies no one. When the nightly timeliness summary exists it is rebuilt in the same transaction, so the
   trend shows the history at once.

The lifecycle the history must follow is domain.referrals.Lifecycle, the one the live service follows.
Re-importing is safe: each row's `record_id` is stored as the referral's idempotency key under the scope
`import:<agency id>`; a row already imported is reported and skipped, never duplicated or changed.
"""
from .apply import SOURCE, apply, import_referrals
from .parse import COLUMNS, OPTIONAL, REQUIRED
from .plan import ImportPlan, check, scope_for
from .report import ImportReport, Problem, column_letter

__all__ = ["COLUMNS", "OPTIONAL", "REQUIRED", "SOURCE", "ImportPlan", "ImportReport", "Problem", "apply", "check",
           "column_letter", "import_referrals", "scope_for"]
