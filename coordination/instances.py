"""Each running web or rq worker process announces the encryption key ids it holds (see services/keys.py), so
`keys rotate` can refuse a key that a running instance has not loaded.

- Web: gunicorn's `post_worker_init` hook (deploy/gunicorn.conf.py) starts the announcer as each worker boots,
  and the first request in any process starts it too (for servers without the hook). The per-request cost is
  one attribute check; the database hears from each process once a minute, from a daemon thread.
- rq: `rq worker -w coordination.instances.AnnouncingWorker` announces from the worker's main process (the work
  horses it forks build their own app for each job, from the same environment).
- CLI commands never announce: they are not serving anyone, and run with whatever shell they were started from.
"""
from __future__ import annotations

import logging
import os
import socket
import threading

from flask import Flask
from rq import Worker

from .config import load_settings
from .extensions import AppState, build_state, state
from .services import keys

log = logging.getLogger("coordination.instances")


class Announcer:
    """Announces at once, then every `every` seconds, from a daemon thread, until stopped."""

    def __init__(self, app_state: AppState, kind: str, every: float = keys.ANNOUNCE_EVERY.total_seconds()):
        self.state, self.kind, self.every = app_state, kind, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def info(self) -> keys.InstanceInfo:
        host, pid = socket.gethostname(), os.getpid()
        ids = tuple(kid for kid, _ in self.state.settings.encryption_keys)
        return keys.InstanceInfo(id=f"{host}:{pid}", host=host, kind=self.kind, pid=pid, key_ids=ids,
                                 current_key_id=ids[-1])

    def announce_once(self) -> bool:
        unit = self.state.unit_of_work(request_id="announce")
        try:
            keys.announce(unit, self.info())
            unit.commit()
            return True
        except Exception:  # noqa: BLE001 - a database blip must never take the serving process down
            log.warning("could not announce this instance's key ids; will retry", exc_info=True)
            unit.rollback()
            return False
        finally:
            unit.session.close()

    def start(self, *, now: bool = True) -> Announcer:
        self._thread = threading.Thread(target=self._run, args=(now,), name="coordination-announce", daemon=True)
        self._thread.start()
        return self

    def _run(self, now: bool) -> None:
        if not now and self._stop.wait(self.every):
            return
        while True:
            self.announce_once()
            if self._stop.wait(self.every):
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


_current: Announcer | None = None
_lock = threading.Lock()


def _forget_after_fork() -> None:
    # A forked child (a gunicorn worker of a preloaded app) has no announcer thread: it starts its own.
    global _current
    _current = None


os.register_at_fork(after_in_child=_forget_after_fork)


def enabled(app: Flask) -> bool:
    return state(app).settings.announce_instances


def announce_from(app: Flask, kind: str = "web") -> Announcer | None:
    """Start this process's announcer once (a no-op after the first call; off in tests unless asked for)."""
    global _current
    if _current is not None or not enabled(app):
        return _current
    with _lock:
        if _current is None:
            _current = Announcer(state(app), kind).start()
    return _current


def stop() -> None:
    global _current
    with _lock:
        if _current is not None:
            _current.stop()
        _current = None


def install(app: Flask) -> None:
    """Start announcing on the first request of each process."""
    if not enabled(app):
        return

    @app.before_request
    def _announce():
        if _current is None:
            announce_from(app)


class AnnouncingWorker(Worker):
    """An rq worker whose main process announces the key ids its jobs will load."""

    def work(self, *args, **kwargs):
        announcer = Announcer(build_state(load_settings()), "worker")
        announcer.announce_once()  # before the first job: a rotation started now already sees this worker
        announcer.start(now=False)
        try:
            return super().work(*args, **kwargs)
        finally:
            announcer.stop()
            announcer.state.engine.dispose()
