"""The JSON API at /api/v1 (staff tokens now; partner keys as their endpoints arrive).

Each resource module holds thin views: load the request through a schema, call one service function,
commit the unit of work once (reads too, so their audit events are written), dump the response.
"""
from __future__ import annotations

from flask import Flask

from coordination.extensions import REDIS_STORAGE_OPTIONS, limiter, state

from . import (  # noqa: F401  (each registers its routes on `bp`)
    access_log,
    assessment,
    consents,
    contributions,
    disclosures,
    ehc_details,
    families,
    family_help,
    known,
    metrics,
    notes,
    openapi,
    people,
    plan,
    rate_limit,
    referrals,
    returns,
    voice,
)
from .blueprint import bp, docs_bp
from .errors import register_error_handlers, register_routing_problems

__all__ = ["bp", "docs_bp", "init_api"]

# Blueprint set-up runs once per process; init_api may register the blueprints on many apps (tests).
register_error_handlers(bp)
register_error_handlers(docs_bp)


def init_api(app: Flask) -> None:
    """Register the API blueprint, problem+json errors and the OpenAPI document."""
    settings = state(app).settings
    redis_store = settings.ratelimit_storage.startswith(("redis", "rediss"))
    rate_limit.init_app(app, settings.ratelimit_storage, REDIS_STORAGE_OPTIONS if redis_store else None,
                        settings.ratelimit_enabled, limiter)
    app.register_blueprint(bp)
    app.register_blueprint(docs_bp)
    register_routing_problems(app)
