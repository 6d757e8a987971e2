"""The one place a job's transaction is opened and closed.

`run_job` builds a unit of work, runs the work in it, commits if the work returns, rolls back if it raises
and closes the session either way; the commit hands the outbox messages the work published to the unit of
work's dispatcher (db.UnitOfWork). Jobs run by an rq worker pass no app state and get the worker's own app
(`runtime.worker_app`); the CLI and tests pass theirs.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from coordination.extensions import state
from coordination.services import outbox

from .runtime import worker_app

if TYPE_CHECKING:
    from coordination.db import UnitOfWork
    from coordination.extensions import AppState

T = TypeVar("T")


def job_state(app_state: AppState | None = None) -> AppState:
    """The given app state, or (in an rq worker) the worker app's."""
    return app_state or state(worker_app())


def run_job(request_id: str | None, work: Callable[[UnitOfWork], T], app_state: AppState | None = None) -> T:
    """Run `work` as one transaction of its own and return what it returned."""
    unit = job_state(app_state).unit_of_work(request_id=request_id)
    try:
        result = work(unit)
        unit.commit()
        return result
    except Exception:
        unit.rollback()
        raise
    finally:
        unit.session.close()


def record_handler_failure(app_state: AppState, message_id: uuid.UUID, error: str) -> bool:
    """In a transaction of its own: the message's handling failed (back-off, maybe parked); True when parked."""
    return run_job(None, lambda unit: outbox.record_handler_failure(unit, message_id, error), app_state)
