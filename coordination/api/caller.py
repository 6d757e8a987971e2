"""The one way an API view calls a service: as the calling principal, in this request's unit of work, committed.

Every service takes `(uow, actor, …)`; the view's job is only to say which service with which arguments. The
commit writes the change and its audit events together (db.UnitOfWork), so a view never forgets either.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from coordination.auth.api import api_actor
from coordination.extensions import uow

T = TypeVar("T")


def as_caller(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`service(uow, the caller's actor, *args, **kwargs)`, committed; its result."""
    result = service(uow(), api_actor(), *args, **kwargs)
    uow().commit()
    return result


def as_reader(service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`as_caller` for a use case that only reads and audits what it read: on PostgreSQL it runs without a
    transaction around it, saving two round trips, and any other write in it is refused (db.UnitOfWork.audit_only)."""
    uow().audit_only()
    return as_caller(service, *args, **kwargs)
