"""How a job gets an app: workers build one from the environment, once per process."""
from __future__ import annotations

from functools import cache


@cache
def worker_app():
    from coordination import create_app  # noqa: PLC0415 - the worker builds its app lazily, once

    return create_app()
