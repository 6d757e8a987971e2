"""Use cases. Each function: permission → scoped read → change → audit, committed once by the caller's
UnitOfWork. No Flask here; views, API, jobs and CLI call the same functions."""
