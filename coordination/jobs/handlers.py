"""rq entry points for outbox messages and the daily jobs: thin wrappers that build a unit of work from
ids and call services (services.notifications, services.tasks), each in one transaction (jobs/runner.py).

`handle(message_id)` is what the relay enqueues (job id = message id). It is idempotent: the service
records ProcessedMessage in the same transaction as the effect, so a message delivered twice (a relay that
enqueued and then failed to mark it dispatched, a worker killed after commit) changes nothing the second
time. The daily jobs commit once each; their messages are published with per-day dedupe keys and, without
Redis, handled inline right after that commit.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from coordination.domain.actors import Actor
from coordination.services import notifications, tasks

from .queue import base_url, mail_sender
from .runner import job_state, run_job

if TYPE_CHECKING:
    from coordination.db import UnitOfWork
    from coordination.extensions import AppState


def handle(message_id: str, app_state: AppState | None = None) -> str:
    """Handle one outbox message (by id) once; returns "done", "duplicate" or "missing"."""
    st = job_state(app_state)
    sender, link = mail_sender(st.settings), base_url(st.settings)
    return run_job(f"job:{message_id}", lambda unit: notifications.process(unit, uuid.UUID(message_id), sender, link),
                   st)


def _daily(name: str, work: Callable[[UnitOfWork, Actor], int], app_state: AppState | None) -> int:
    return run_job(f"job:{name}", lambda unit: work(unit, Actor.system(f"{name} job")), app_state)


def queue_daily_digests(app_state: AppState | None = None) -> int:
    """Daily: publish each agency's overdue / due-soon digest (once a day per agency)."""
    return _daily("daily digest", notifications.queue_daily_digests, app_state)


def queue_consent_reminders(app_state: AppState | None = None) -> int:
    """Daily: publish consent review reminders to lead practitioners (once a day per practitioner)."""
    return _daily("consent reminders", notifications.queue_consent_reminders, app_state)


def raise_age_transition_tasks(app_state: AppState | None = None) -> int:
    """Daily: tasks for children turning 14, 17½ or 18 within 90 days (once per child and transition)."""
    return _daily("age transitions", tasks.raise_age_transition_tasks, app_state)


def raise_phase_transfer_tasks(app_state: AppState | None = None) -> int:
    """Daily: EHC phase transfer deadline tasks (once per child and transfer year)."""
    return _daily("phase transfers", tasks.raise_phase_transfer_tasks, app_state)
