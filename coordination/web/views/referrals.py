"""Referrals and transitions (issue 4): the receiving team's inbox and its decision, moving a referral on and
closing it, the child's journey across every pathway, and what is due and overdue; the labels every referral
page shares. Making a referral from the family page is views/referral_new.py.

The rules and the audit are the services': services.referrals for the lifecycle, its audited reads, the due
list and the names of referred children.
Staff of any agency that works with referrals (practitioners and managers) reach these pages; who may see and
do what is answered by the services, in the SQL (another agency's referral is 404, acting on a referral
another agency receives is 403).
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from flask import render_template, url_for
from flask_login import current_user

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.actors import ActorKind
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.listing import ListSpec, page_of
from coordination.domain.pathways import default_pathways
from coordination.domain.permissions import may_work_with_referrals
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.errors import Invalid, NotFound
from coordination.extensions import uow
from coordination.services import directory
from coordination.services import referrals as referrals_service
from coordination.services.family_help import reviews

from ..actions import submit_action
from ..blueprint import bp
from ..formatting import govuk_date
from ..forms import error_list
from ..forms_referrals import (
    DECISION_LABELS,
    LINK_LABELS,
    URGENCY_LABELS,
    CloseForm,
    DecisionForm,
    RedirectForm,
    StageForm,
)
from ..forms_sharing import AGENCY_TYPE_LABELS
from ..listing import Listing, query_of

SECTION_TITLES = {s.key: s.title for s in DEFAULT_TEMPLATE}
STATUS_LABELS = {"submitted": "Submitted", "received": "Waiting for a decision", "accepted": "Accepted",
                 "declined": "Declined", "in_progress": "In progress", "closed": "Closed"}
STATUS_COLOURS = {"received": "blue", "accepted": "turquoise", "declined": "orange", "in_progress": "green",
                  "closed": "grey", "submitted": "blue"}
# Friendlier words than the service's lists of codes, when an answer was left out.
MISSING = {"child_id": "Select the child you are referring", "pathway": "Select the service you are referring to",
           "to_agency_id": "Select the team that will receive the referral",
           "urgency": "Select how urgent the referral is", "reason": "Enter why you are making this referral"}
REDIRECT_MISSING = {"to_agency_id": "Select the team that should receive the referral",
                    "reason": "Enter why the referral is going to that team"}
DECISION_MISSING = {"decision": "Select whether you accept or decline the referral",
                    "reason": "Enter the reason for your decision",
                    "signposted_to": "Enter where the family was signposted"}


@bp.app_context_processor
def _referral_navigation():
    signed_in = current_user.is_authenticated
    actor = current_actor() if signed_in else None
    return {"can_use_referrals": bool(actor and actor.kind == ActorKind.USER and actor.agency_id
                                      and may_work_with_referrals(actor))}


def labels() -> dict[str, Any]:
    return {"pathways": {k: p.title for k, p in default_pathways().items()}, "urgencies": URGENCY_LABELS,
            "statuses": STATUS_LABELS, "colours": STATUS_COLOURS, "sections": SECTION_TITLES,
            "links": LINK_LABELS, "all_stage_titles": {k: p.stage_titles for k, p in default_pathways().items()}}


def teams_by_pathway(listed: list[tuple[uuid.UUID, str, str]]) -> dict[str, list[tuple[str, str]]]:
    """For each pathway, the teams (id, "name (kind)") of the kinds that receive its referrals (pathways.toml)."""
    types = {t.value: v for t, v in AGENCY_TYPE_LABELS.items()}
    return {key: [(str(i), f"{name} ({types.get(kind, kind)})") for i, name, kind in listed
                  if pathway.receives_from(kind)] for key, pathway in default_pathways().items()}



# ---- the receiving team -------------------------------------------------------------------------------

INBOX_LIST = ListSpec(sorts=("received", "next_due", "urgency"), default_sort="received",
                      filters={"pathway": set(default_pathways()), "urgency": set(URGENCY_LABELS)})
URGENCY_ORDER = {"very_urgent": 0, "urgent": 1, "routine": 2}


def _next_due(view):
    running = [c for c in view.clocks if c.stopped_on is None]
    return min(running, key=lambda c: c.due_on) if running else None


@bp.get("/referrals")
@access("staff")
def inbox():
    actor = current_actor()
    waiting = referrals_service.list_referrals(uow(), actor, status="received", received_only=True)
    names = referrals_service.child_names(uow(), actor, [r.child_id for r in waiting])
    sent_on = referrals_service.redirected_by_us(uow(), actor, limit=20)
    agencies = directory.agency_names_of(uow(), [r.from_agency_id for r in waiting]
                                         + [r.to_agency_id for r in sent_on])
    uow().commit()
    query = query_of(INBOX_LIST)
    chosen = [(r, _next_due(r)) for r in waiting
              if all(getattr(r, name) == value for name, value in query.filters.items())]
    far = dt.date.max
    sorts = {"received": lambda row: row[0].received_on, "next_due": lambda row: row[1].due_on if row[1] else far,
             "urgency": lambda row: (URGENCY_ORDER.get(row[0].urgency, 9), row[0].received_on)}
    listing = Listing(page=page_of(chosen, query, sorts), query=query, endpoint="web.inbox", view_args={})
    return render_template("views/inbox.html", rows=listing.items, listing=listing, names=names, agencies=agencies,
                           sent_on=sent_on, waiting=len(waiting), overdue=sum(1 for r in waiting if r.overdue),
                           **labels())


def _redirect_form(form: RedirectForm | None, view) -> RedirectForm:
    """The redirect form, offering the teams that receive the referral's pathway, other than the one it is with."""
    form = form or RedirectForm(formdata=None)
    teams = teams_by_pathway(directory.list_agencies(uow())).get(view.pathway, [])
    form.redirect_to.choices = [("", "Choose a team")] + [t for t in teams if t[0] != str(view.to_agency_id)]
    return form


def _referral_page(referral_id: uuid.UUID, *, decision: DecisionForm | None = None, stage: StageForm | None = None,
                   close: CloseForm | None = None, redirect: RedirectForm | None = None,
                   errors: list[dict] | None = None, status: int = 200):
    actor = current_actor()
    view = referrals_service.get_referral(uow(), actor, referral_id)
    try:
        story = referrals_service.shared_assessment(uow(), actor, referral_id)
    except NotFound:
        story = None  # nothing of the assessment is covered for this agency now
    names = referrals_service.child_names(uow(), actor, [view.child_id])
    details = referrals_service.referral_details(uow(), actor, referral_id)
    agencies = directory.agency_names_of(uow(), [view.from_agency_id, view.to_agency_id]
                                         + [a for e in view.events for a in (e.by_agency_id, e.from_agency_id,
                                                                             e.to_agency_id)])
    redirect = _redirect_form(redirect, view) if actor.agency_id == view.to_agency_id else None
    people = directory.names_of(uow(), [view.referred_by_user_id] + [e.by_user_id for e in view.events])
    uow().commit()
    pathway = default_pathways()[view.pathway]
    receiving = actor.agency_id == view.to_agency_id
    decision = decision or DecisionForm(formdata=None)
    decision.decision.choices = list(DECISION_LABELS.items())
    stage = stage or StageForm(formdata=None)
    stage.to_stage.choices = [(s, pathway.stage_titles.get(s, s)) for s in pathway.transitions.get(view.stage, ())]
    close = close or CloseForm(formdata=None)
    return render_template("views/referral_show.html", referral=view, story=story, details=details,
                           child_name=names.get(view.child_id, "The child"), agencies=agencies, people=people,
                           receiving=receiving, decision_form=decision, stage_form=stage, close_form=close,
                           redirect_form=redirect, errors=errors or [], **labels()), status


@bp.get("/referrals/<uuid:referral_id>")
@access("staff")
def referral(referral_id: uuid.UUID):
    return _referral_page(referral_id)


def _act(referral_id: uuid.UUID, form_name: str, form, call: Callable[[], Any], **options):
    """A receiving team's action from the referral page (submit_action): back to the page when it is done, or the
    page again with the errors and the form as it was sent."""
    done, errors = submit_action(form, call, done=url_for("web.referral", referral_id=referral_id), **options)
    return done if done is not None else _referral_page(referral_id, errors=errors, status=400, **{form_name: form})


@bp.post("/referrals/<uuid:referral_id>/decision")
@access("staff")
def decide(referral_id: uuid.UUID):
    form = DecisionForm()

    def friendlier(errors: dict[str, list[str]]) -> dict[str, list[str]]:
        return {k: ([DECISION_MISSING[k]] if k in DECISION_MISSING and not (getattr(form, k).data or "").strip()
                    else v) for k, v in errors.items()}

    return _act(referral_id, "decision", form, lambda: referrals_service.decide(
        uow(), current_actor(), referral_id, form.decision.data or "", form.reason.data or "",
        (form.signposted_to.data or "").strip() or None),
        fields={"decision": form.decision, "reason": form.reason, "signposted_to": form.signposted_to},
        messages=friendlier, success="Referral accepted" if form.decision.data == "accept" else "Referral declined",
        conflict="This referral has already been decided")


@bp.post("/referrals/<uuid:referral_id>/redirect")
@access("staff")
def redirect_referral(referral_id: uuid.UUID):
    """No wrong door: the receiving team sends the referral to the right team, then goes back to its inbox (the
    referral has left it)."""
    form = RedirectForm()

    fields = {"to_agency_id": form.redirect_to, "reason": form.redirect_reason}

    def friendlier(errors: dict[str, list[str]]) -> dict[str, list[str]]:
        return {k: ([REDIRECT_MISSING[k]] if k in REDIRECT_MISSING and not (fields[k].data or "").strip()
                    else v) for k, v in errors.items()}

    def sent(view) -> str:
        name = directory.agency_names_of(uow(), [view.to_agency_id]).get(view.to_agency_id, "the team")
        return (f"Referral redirected to {name}. They can see why, and the family's wait still counts from "
                f"{govuk_date(view.received_on)}")

    def call():
        try:
            return referrals_service.redirect(uow(), current_actor(), referral_id,
                                              uuid_or_none(form.redirect_to.data) or uuid.UUID(int=0),
                                              form.redirect_reason.data or "")
        except referrals_service.NoCover as exc:  # said on the page, where the team can decline instead
            raise Invalid("Check where the referral is going", {"to_agency_id": [str(exc)]}) from None

    done, errors = submit_action(form, call, done=url_for("web.inbox"),
        fields=fields, messages=friendlier, success=sent,
        conflict="This referral has already been decided, so it can no longer be redirected")
    return done if done is not None else _referral_page(referral_id, errors=errors, status=400, redirect=form)


@bp.post("/referrals/<uuid:referral_id>/stage")
@access("staff")
def move_stage(referral_id: uuid.UUID):
    form = StageForm()
    if form.validate_on_submit() and not form.to_stage.data:
        form.to_stage.errors = ["Select the stage the referral is moving to"]
        return _referral_page(referral_id, stage=form, errors=error_list(form), status=400)
    return _act(referral_id, "stage", form, lambda: referrals_service.transition(
        uow(), current_actor(), referral_id, form.to_stage.data or "", form.note.data or None),
        fields={"to_stage": form.to_stage, "note": form.note}, success=lambda view: f"Moved to {view.stage_title}",
        conflict="Only an accepted referral that is not closed can move to another stage")


@bp.post("/referrals/<uuid:referral_id>/close")
@access("staff")
def close_referral(referral_id: uuid.UUID):
    form = CloseForm()
    social_care = referrals_service.get_referral(uow(), current_actor(), referral_id).pathway == "social_care"
    return _act(referral_id, "close", form, lambda: referrals_service.close(
        uow(), current_actor(), referral_id, form.outcome.data or "", form.note.data or None,
        reason_for_closure=(form.reason_for_closure.data or None) if social_care else None,
        require_reason=social_care),
        fields={"outcome": form.outcome, "reason_for_closure": form.reason_for_closure}, success="Referral closed",
        conflict="Only an accepted referral that is not closed can be closed")


# ---- the child's journey and what is due -------------------------------------------------------------

@bp.get("/children/<uuid:child_id>/journey")
@access("staff")
def journey(child_id: uuid.UUID):
    actor = current_actor()
    episodes = referrals_service.journey(uow(), actor, child_id)  # none visible: the same empty page for any id
    names = referrals_service.child_names(uow(), actor, [child_id])
    agencies = directory.agency_names_of(uow(), [a for r in episodes for a in (r.from_agency_id, r.to_agency_id)])
    uow().commit()
    by_id = {r.id: r for r in episodes}
    return render_template("views/journey.html", episodes=episodes, by_id=by_id, agencies=agencies,
                           child_name=names.get(child_id, "The child"), **labels())


@bp.get("/referrals/due")
@access("staff")
def due():
    actor = current_actor()
    query = query_of(ListSpec(sorts=("due", "received"), default_sort="due",
                              filters={"pathway": set(default_pathways()), "show": {"overdue"}}))
    pathway = query.filters.get("pathway")
    listing = referrals_service.due(uow(), actor, pathway)
    agencies = directory.agency_names_of(uow(), [c.to_agency_id for c in listing.clocks])
    plan_reviews = reviews.reviews_due(uow(), actor)
    uow().commit()
    shown = [c for c in listing.clocks if query.filters.get("show") != "overdue" or c.overdue]
    # "due": overdue first, then soonest (the service's order, kept by a stable sort); "received": oldest first.
    sorts = {"due": lambda c: (not c.overdue, c.due_on), "received": lambda c: c.received_on}
    pages = Listing(page=page_of(shown, query, sorts), query=query, endpoint="web.due", view_args={})
    return render_template("views/due.html", listing=listing, agencies=agencies, chosen=pathway or "",
                           plan_reviews=plan_reviews, pages=pages, **labels())
