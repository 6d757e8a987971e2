"""The practitioner web UI (GOV.UK Design System), server-rendered and working without JavaScript.

`init_web(app)` wires the blueprint, the template loaders (our templates first, then the GOV.UK macros
under the `govuk_frontend_jinja/` and `govuk_frontend_wtf/` prefixes), the form helpers and the error pages.
"""
from __future__ import annotations

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from ..extensions import state
from . import errors, formatting
from .blueprint import TEMPLATES, bp
from .csp import allow_govuk_template_script
from .family_blueprint import family_bp

# Importing the view modules registers their routes.
from .views import (  # noqa: F401
    access_log,
    agencies,
    api_keys,
    assessment,
    assessment_status,
    contacts,
    disclosures,
    families,
    family_access,
    family_confidential,
    family_pages,
    family_session,
    known,
    metrics,
    notes,
    password_reset,
    people,
    plan,
    referral_new,
    referrals,
    returns,
    reviews,
    sen2,
    session,
    sharing,
    staff,
    tasks,
    team,
    team_caseload,
    voice,
)


def init_web(app: Flask) -> None:
    """Register the web blueprint, templates and error pages."""
    app.jinja_loader = ChoiceLoader([  # type: ignore[assignment]
        FileSystemLoader(str(TEMPLATES)),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    # Not StrictUndefined: the GOV.UK macros test optional parameters that callers leave out
    # (`params.classes`, `params.slots.start`, `item.title.classes`), which StrictUndefined refuses.
    # ChainableUndefined lets those chains read as empty; our tests render every page to catch our own slips.
    app.jinja_env.undefined = ChainableUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["council_name"] = state(app).settings.council_name
    WTFormsHelpers(app)
    formatting.register(app)
    app.register_blueprint(bp)
    app.register_blueprint(family_bp)
    errors.register(app)
    app.after_request(allow_govuk_template_script)
