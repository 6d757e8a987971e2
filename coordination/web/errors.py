"""GOV.UK error pages, and the mapping of domain errors raised by services in web views.

A family the user may not know exists is 404 (never 403), so existence does not leak. Paths under
/api/ are left to the API's own problem+json handlers.
"""
from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from coordination.errors import NotFound, NotPermitted, Unauthenticated
from coordination.extensions import request_id, retry_after_seconds, uow

from .blueprint import bp

log = logging.getLogger("coordination.web")

PAGES = {400: "error/400.html", 403: "error/403.html", 404: "error/404.html", 405: "error/405.html",
         413: "error/413.html", 429: "error/429.html", 500: "error/500.html"}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, template: str | None = None):
    return render_template(template or PAGES[status]), status


def _http_error(error: HTTPException):
    if _is_api() or error.code not in PAGES:
        return error
    page, status = _page(error.code or 500)
    if status == 429 and (wait := retry_after_seconds()) is not None:
        return page, status, {"Retry-After": str(wait)}
    return page, status


def _csrf_error(error: CSRFError):
    if _is_api():
        return error
    return _page(400, "error/csrf.html")


def _server_error(error: Exception):
    if _is_api():
        return InternalServerError()
    # The type and request id only: never the message, which may quote case data.
    log.error("unhandled %s (request %s)", type(getattr(error, "original_exception", error)).__name__,
              request_id())
    return _page(500)


@bp.errorhandler(NotFound)
def _not_found(_error: NotFound):
    uow().rollback()
    return _page(404)


@bp.errorhandler(NotPermitted)
def _not_permitted(_error: NotPermitted):
    uow().rollback()
    return _page(403)


@bp.errorhandler(Unauthenticated)
def _unauthenticated(_error: Unauthenticated):
    uow().rollback()
    return redirect(url_for("web.sign_in"))


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _http_error)
    app.register_error_handler(500, _server_error)
