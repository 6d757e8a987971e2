"""WSGI app for bench/partner_read.py: the real app, plus (only with COORDINATION_BENCH_FLOOR=1) two bench routes.

    COORDINATION_BENCH_FLOOR=1 gunicorn bench.floor_app:app

- GET /api/v1/bench/floor/<section_version_id>: the floor. One SectionVersion row read by primary key through
  the same stack as the API (ProxyFix, the API blueprint's gate and rate limiter, the request's UnitOfWork and
  SQLAlchemy session, JSON response, security headers); returns the ciphertext's length. No decryption, no
  consent, no audit: the least any request can cost here.
- GET /api/v1/bench/partner/<family_id>: a stand-in for the partner read of GET /families/{id}/assessment,
  used only while the real route does not serve partner keys yet. It does what that view does: bearer key →
  services.sharing.disclosure.disclose_assessment → dump through AssessmentResponseSchema → uow().commit().

- GET /bare/<section_version_id>: the bare floor. A separate, minimal Flask app mounted in front of the real one
  (werkzeug's DispatcherMiddleware), so the same gunicorn workers serve it: the same row by primary key with
  SQLAlchemy over psycopg and nothing else (no ProxyFix, gate, credentials, rate limiter, security headers or
  unit of work). It is what "as fast as the stack allows" is measured against.

The first two are added to the app under endpoint names in the "api" blueprint, so Flask runs that blueprint's
before_request gate, rate limiter and error handlers for them exactly as for a real API view. The routes exist
only in this module and only when the variable is set: the deployed wsgi.py never imports it.
COORDINATION_BENCH_RATE_LIMIT (e.g. "10000000 per minute") replaces the API's per-key limit so the limiter
still runs (one Redis round trip per request, as in production) but never throttles the bench.
"""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coordination import create_app  # noqa: E402
from coordination.api.endpoint import endpoint  # noqa: E402
from coordination.auth.api import api_actor  # noqa: E402
from coordination.auth.decorators import access  # noqa: E402
from coordination.domain.permissions import Scope  # noqa: E402
from coordination.extensions import uow  # noqa: E402
from coordination.models import SectionVersion  # noqa: E402
from coordination.services.sharing import disclosure  # noqa: E402
from schemas.assessment import AssessmentResponseSchema  # noqa: E402

app = create_app()

if os.environ.get("COORDINATION_BENCH_RATE_LIMIT"):
    app.config["API_RATE_LIMIT"] = os.environ["COORDINATION_BENCH_RATE_LIMIT"]


@access("public")
def bench_floor(version_id: uuid.UUID):
    row = uow().session.get(SectionVersion, version_id)
    return {"length": len(row.content_ct) if row is not None else 0}


@access("partner", scope=Scope.READ_ASSESSMENT)
@endpoint("Bench: partner read", tag="bench", response=AssessmentResponseSchema, errors=(404,))
def bench_partner(family_id: uuid.UUID):
    view = disclosure.disclose_assessment(uow(), api_actor(), family_id)
    uow().commit()
    return view


def bare_app():
    """The bare floor: Flask, a SQLAlchemy engine and one ORM get by primary key."""
    from flask import Flask
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    bare = Flask("bare")
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=10)

    @bare.get("/<uuid:version_id>")
    def bare_row(version_id: uuid.UUID):
        with Session(engine) as session:
            row = session.get(SectionVersion, version_id)
            return {"length": len(row.content_ct) if row is not None else 0}

    return bare


if os.environ.get("COORDINATION_BENCH_FLOOR") == "1":
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {"/bare": bare_app()})  # type: ignore[method-assign]
    app.add_url_rule("/api/v1/bench/floor/<uuid:version_id>", endpoint="api.bench_floor", view_func=bench_floor)
    app.add_url_rule("/api/v1/bench/partner/<uuid:family_id>", endpoint="api.bench_partner",
                     view_func=bench_partner)
