"""A manager's team caseload (filtered, sorted and paged through GET links), allocating a lead from it (the lead
page, back to this list after) and the management oversight note on a family."""
from __future__ import annotations

import uuid

from flask import render_template, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import TextAreaField

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.permissions import Action, may
from coordination.extensions import uow
from coordination.services import oversight
from coordination.services import team_caseload as team_service
from coordination.services.team_caseload import UNALLOCATED

from ..actions import submit_action
from ..blueprint import bp
from ..forms import ServiceForm
from ..listing import Listing, query_of
from ..pages import family_page


class OversightForm(ServiceForm):
    text = TextAreaField("Your oversight", widget=GovTextArea(), description=(
        "What you reviewed, what you decided and what should happen next, and by when."))


@bp.app_context_processor
def _team_navigation():
    return {"can_manage_team": current_user.is_authenticated and may(current_actor(), Action.MANAGE_TEAM)}


@bp.get("/team")
@access("staff", action=Action.MANAGE_TEAM)
def team_caseload():
    actor = current_actor()
    leads = team_service.team_leads(uow(), actor)
    query = query_of(team_service.spec(leads))
    view = team_service.team_caseload(uow(), actor, query, leads)
    uow().commit()
    listing = Listing(page=view.page, query=view.query, endpoint="web.team_caseload", view_args={})
    chosen = view.query.filters.get("lead", "")
    lead_choices = [{"value": value, "text": text, "selected": value == chosen} for value, text in
                    [("", "Anyone"), (UNALLOCATED, "No lead (unallocated)"),
                     *((str(uid), name) for uid, name in view.leads)]]
    return render_template("views/team_caseload.html", view=view, listing=listing, lead_choices=lead_choices,
                           unallocated_value=UNALLOCATED)


@bp.route("/families/<uuid:family_id>/oversight/new", methods=["GET", "POST"])
@access("staff", action=Action.MANAGE_TEAM)
def new_oversight_note(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    oversight.check_may_oversee(uow(), actor, family_id)
    form = OversightForm()
    done, errors = submit_action(form, lambda: oversight.record_oversight(uow(), actor, family_id, text=form.text.data),
                                 fields={"text": form.text}, done=url_for("web.notes", family_id=family_id),
                                 success="Management oversight note saved")
    if done:
        return done
    uow().commit()
    return render_template("views/oversight_new.html", family=family, form=form, errors=errors)
