"""The lead practitioner (change, with the handovers so far) and the team around the family (members, joined and
left, and whether each member's agency can see the plan now: membership is no key to the record)."""
from __future__ import annotations

import uuid

from flask import abort, render_template, request, url_for
from flask_wtf import FlaskForm

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.permissions import Action, may
from coordination.extensions import uow
from coordination.services import directory
from coordination.services.family_help import lead, team

from ..actions import submit_action
from ..blueprint import bp
from ..forms_plan import LeadForm, MemberForm
from ..pages import family_help_page
from .plan import owner_choices


@bp.route("/families/<uuid:family_id>/lead", methods=["GET", "POST"])
@access("staff")
def lead_page(family_id: uuid.UUID):
    actor, family = family_help_page(family_id)
    current, handovers = lead.handovers(uow(), actor, family_id)
    form = LeadForm()
    form.user_id.choices = [("", "Choose a practitioner")] + [(str(i), f"{name} ({agency})") for i, name, agency in
                                                              lead.possible_leads(uow())]
    chosen = {"yes": True, "no": False}
    from_team = request.args.get("from") == "team"  # allocated from the manager's team caseload: back there after
    done, errors = submit_action(
        form, lambda: lead.set_lead(uow(), actor, family_id, user_id=uuid_or_none(form.user_id.data),
                                    chosen_with_family=chosen.get(form.chosen_with_family.data or ""),
                                    reason=form.reason.data),
        fields={"user_id": form.user_id, "chosen_with_family": form.chosen_with_family, "reason": form.reason},
        done=url_for("web.team_caseload") if from_team else url_for("web.team_page", family_id=family_id),
        success=f"Lead practitioner saved for {family.reference}" if from_team else "Lead practitioner saved")
    if done:
        return done
    if not form.is_submitted():
        form.user_id.data = str(current.user_id) if current.user_id else ""
    names = directory.names_of(uow(), [u for h in handovers for u in (h.from_user_id, h.to_user_id)])
    uow().commit()
    return render_template("views/lead.html", family=family, lead=current, handovers=handovers, names=names,
                           form=form, errors=errors, from_team=from_team)


@bp.get("/families/<uuid:family_id>/team")
@access("staff")
def team_page(family_id: uuid.UUID):
    actor, family = family_help_page(family_id)
    current, _handovers = lead.handovers(uow(), actor, family_id)
    members = team.team(uow(), actor, family_id)
    uow().commit()
    holds = may(actor, Action.WRITE_CASE) and actor.agency_id == family.owning_agency_id
    return render_template("views/team.html", family=family, lead=current, members=members, end_form=FlaskForm(),
                           can_record_consent=holds)


@bp.route("/families/<uuid:family_id>/team/new", methods=["GET", "POST"])
@access("staff")
def new_member(family_id: uuid.UUID):
    actor, family = family_help_page(family_id)
    form = MemberForm()
    owner_choices(form, family)
    done, errors = submit_action(
        form, lambda: team.add_member(uow(), actor, family_id, role=form.role.data or "",
                                      agency_id=form.owner()["agency_id"], user_id=form.owner()["user_id"],
                                      person_id=form.owner()["person_id"]),
        fields={**form.owner_fields(), "role": form.role}, conflict="They are already in the team",
        done=url_for("web.team_page", family_id=family_id), success="Added to the team around the family",
        messages=form.unchosen())
    if done:
        return done
    uow().commit()
    return render_template("views/team_member_new.html", family=family, form=form, errors=errors)


@bp.post("/families/<uuid:family_id>/team/<uuid:member_id>/end")
@access("staff")
def end_member(family_id: uuid.UUID, member_id: uuid.UUID):
    form = FlaskForm()
    done, _errors = submit_action(
        form, lambda: team.end_member(uow(), current_actor(), family_id, member_id), fields={},
        conflict="They had already left the team", done=url_for("web.team_page", family_id=family_id),
        success="Membership ended: they stay in the team's history")
    if done is None:  # only the CSRF token is posted: a missing or stale one
        abort(400)
    return done
