"""Early help case coordination: tell your story once.

create_app(): settings → extensions → blueprints → error handlers → CLI.
"""
from __future__ import annotations

import logging

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Settings, load_settings
from .extensions import build_state, init_app

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    # Case data must never sit in shared or browser caches.
    ("Cache-Control", "no-store"),
)


class WebSessions(SecureCookieSessionInterface):
    """Cookie sessions for the web UI only. The API takes bearer credentials, never cookies, so its requests get
    Flask's null session: no cookie is read or verified, and none is ever set on an API response."""

    def open_session(self, app, request):
        if request.path == "/api" or request.path.startswith("/api/"):
            return self.make_null_session(app)
        return super().open_session(app, request)


def create_app(settings: Settings | None = None, engine=None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()),
                static_folder="static", static_url_path="/assets")
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.env == "production",
        SESSION_COOKIE_NAME="__Host-session" if settings.env == "production" else "session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.env == "production",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings.env == "test",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    app.config["RATELIMIT_ENABLED"] = settings.ratelimit_enabled
    app.session_interface = WebSessions()
    # One proxy in front (nginx): trust its X-Forwarded-For/Proto/Host.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    logging.getLogger("coordination").setLevel(logging.INFO)

    from .jobs.inline import dispatcher_for

    # Without REDIS_URL every unit of work handles its outbox messages right after it commits.
    app_state = build_state(settings, engine, outbox_dispatcher=dispatcher_for(settings))
    init_app(app, app_state)
    from .instances import install as announce_instance

    announce_instance(app)  # this process's encryption key ids, for `keys rotate` (see coordination/instances.py)

    from .api import init_api
    from .auth import web as _auth_web  # noqa: F401  (registers the flask-login user loader)
    from .cli import register_cli
    from .web import init_web

    init_web(app)
    init_api(app)
    register_cli(app)

    headers = list(SECURITY_HEADERS)
    if settings.env == "production":
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    @app.after_request
    def _security_headers(response):
        # One pass over what the response already has (a view may have set its own), instead of a setdefault per
        # header: each of those scans the list and raises and catches a KeyError when the header is missing.
        present = {name.lower() for name in response.headers.keys()}
        for name, value in headers:
            if name.lower() not in present:
                response.headers.add(name, value)
        return response

    return app


