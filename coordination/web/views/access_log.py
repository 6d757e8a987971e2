"""The family record's "who has seen this information" page (services.sharing.access_log, staff view)."""
from __future__ import annotations

import uuid

from flask import render_template

from coordination.auth.decorators import access
from coordination.domain.permissions import Action
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.extensions import uow
from coordination.services.sharing import access_log as access_log_service

from ..blueprint import bp
from ..forms_sharing import LAWFUL_BASIS_LABELS
from ..pages import family_page


@bp.get("/families/<uuid:family_id>/access-log")
@access("staff", action=Action.READ_CASE)
def access_log(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    log = access_log_service.access_log(uow(), actor, family_id)
    uow().commit()
    return render_template("views/access_log.html", family=family, log=log,
                           sections={s.key: s.title for s in DEFAULT_TEMPLATE}, bases=LAWFUL_BASIS_LABELS)
