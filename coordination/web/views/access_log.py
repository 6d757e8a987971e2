"""The family record's "who has seen this information" page (services.sharing.access_log, staff view)."""
from __future__ import annotations

import uuid

from flask import render_template

from coordination.auth.decorators import access
from coordination.domain import access_groups
from coordination.domain.listing import ListSpec, page_of
from coordination.domain.permissions import Action
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.extensions import uow
from coordination.services.sharing import access_log as access_log_service

from ..blueprint import bp
from ..forms_sharing import LAWFUL_BASIS_LABELS
from ..listing import Listing, query_of
from ..pages import family_page

SECTION_TITLES = {s.key: s.title for s in DEFAULT_TEMPLATE}


@bp.get("/families/<uuid:family_id>/access-log")
@access("staff", action=Action.READ_CASE)
def access_log(family_id: uuid.UUID):
    """Staff view: every disclosure, repeated views folded into one row with a count, 50 rows a page, newest
    first (or oldest first), of every agency or one (`?agency=`)."""
    actor, family = family_page(family_id)
    log = access_log_service.access_log(uow(), actor, family_id)
    uow().commit()
    groups = access_log_service.grouped(log)
    agencies = sorted({(e.agency_id, e.agency_name) for e in log.entries if e.agency_id}, key=lambda a: a[1])
    query = query_of(ListSpec(sorts=("when",), default_sort="when", default_descending=True,
                              filters={"agency": {a for a, _ in agencies}}, per_page=access_groups.PAGE_SIZE))
    agency = query.filters.get("agency")
    chosen = [g for g in groups if agency is None or g.newest.agency_id == agency]
    listing = Listing(page=page_of(chosen, query, {"when": lambda g: g.last}), query=query, endpoint="web.access_log",
                      view_args={"family_id": family_id})
    return render_template("views/access_log.html", family=family, log=log, groups=listing.items, listing=listing,
                           agencies=agencies, total=len(groups), sections=SECTION_TITLES, bases=LAWFUL_BASIS_LABELS)


@bp.get("/families/<uuid:family_id>/access-log/family-copy")
@access("staff", action=Action.READ_CASE)
def access_log_family_copy(family_id: uuid.UUID):
    """A copy to print or give the family: their view only (what a manager withheld for risk is left out,
    with no sign that anything was), in plain words, every row on one page. Audited as a read for the family."""
    actor, family = family_page(family_id)
    log = access_log_service.access_log(uow(), actor, family_id, for_family=True)
    uow().commit()
    return render_template("views/access_log_family.html", family=family, log=log,
                           groups=access_log_service.grouped(log), sections=SECTION_TITLES, bases=LAWFUL_BASIS_LABELS)
