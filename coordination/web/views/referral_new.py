"""Making a referral from the family page: the questions, the check answers page (what the receiving team
will read, asked of the service's check_referral, which writes nothing) and the confirmation. The answers
travel in hidden fields of the check page's own form; a hidden Idempotency-Key made on the first page means a
double-clicked "Send referral" makes one referral. The labels and the receiving team's pages are in
views/referrals.py.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.identifiers import uuid_or_none
from coordination.domain.pathways import default_pathways
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.errors import Conflict, Invalid, NotFound
from coordination.extensions import uow
from coordination.services import directory
from coordination.services import families as families_service
from coordination.services import referrals as referrals_service

from ..blueprint import bp
from ..forms import add_service_errors, error_list
from ..forms_referrals import LINK_LABELS, LINK_PATHWAYS, URGENCY_LABELS, ReferralForm
from ..forms_sharing import AGENCY_TYPE_LABELS
from .referrals import MISSING, SECTION_TITLES, labels, teams_by_pathway


def _choices(form: ReferralForm, children: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, list]]:
    """The form's choices; (every agency's label by id, the teams each pathway offers)."""
    types = {t.value: v for t, v in AGENCY_TYPE_LABELS.items()}
    listed = directory.list_agencies(uow())
    agencies = [(str(a[0]), f"{a[1]} ({types.get(a[2], a[2])})") for a in listed]
    form.child_id.choices = children
    form.pathway.choices = [(k, p.title) for k, p in default_pathways().items()]
    form.to_agency_id.choices = [("", "Choose a team")] + agencies
    form.urgency.choices = list(URGENCY_LABELS.items())
    form.sections_shared.choices = [(s.key, s.title) for s in DEFAULT_TEMPLATE]
    return dict(agencies), teams_by_pathway(listed)


def _context(family_id: uuid.UUID, linked_id: uuid.UUID | None):
    """The family (None when the actor does not hold its case), the children who may be chosen, and the
    referral this one follows. Reading them is audited by the services; a family the actor neither holds nor
    reaches through a referral it may see is 404."""
    actor = current_actor()
    linked = referrals_service.get_referral(uow(), actor, linked_id) if linked_id else None
    if linked is not None and linked.family_id != family_id:
        raise NotFound("Referral not found")
    try:
        family = families_service.get_family(uow(), actor, family_id)
    except NotFound:
        if linked is None:
            raise
        family = None
    if family is not None:
        children = [(str(p.id), p.full_name) for p in family.people if p.role == "child"]
        if linked is not None:
            children = [c for c in children if c[0] == str(linked.child_id)]
    else:
        assert linked is not None
        names = referrals_service.child_names(uow(), actor, [linked.child_id])
        children = [(str(linked.child_id), names.get(linked.child_id, "The child"))]
    return family, children, linked


def _ask(family_id: uuid.UUID, form: ReferralForm, use_case: Callable[..., Any]) -> tuple[list[dict], Any]:
    """Put the answers to the service (check_referral or create_referral): ([], its answer) when it accepts them,
    (errors placed on the form, None) when not."""
    nothing = uuid.UUID(int=0)
    try:
        answer = use_case(
            uow(), current_actor(), family_id, uuid_or_none(form.child_id.data) or nothing, form.pathway.data or "",
            uuid_or_none(form.to_agency_id.data) or nothing, form.reason.data or "", urgency=form.urgency.data or "",
            received_on=form.received_on.data, idempotency_key=form.idempotency_key.data or None,
            linked_from_id=uuid_or_none(form.linked_from_id.data), link_kind=form.link_kind.data or None,
            sections_shared=list(form.sections_shared.data or []))
    except Invalid as exc:
        messages = {k: ([MISSING[k]] if k in MISSING and not (getattr(form, k).data or "").strip() else v)
                    for k, v in exc.errors.items()}
        fields = {"child_id": form.child_id, "pathway": form.pathway, "to_agency_id": form.to_agency_id,
                  "urgency": form.urgency, "reason": form.reason, "received_on": form.received_on,
                  "sections_shared": form.sections_shared}
        unplaced = [dict(e, href=f"#{form.child_id.id}") for e in add_service_errors(fields, messages)]
        return unplaced + error_list(form), None
    except Conflict:
        form.idempotency_key.data = uuid.uuid4().hex  # a changed referral after one was sent: a new one
        return [{"text": "You already sent a referral from this form. Check the child's journey, then send "
                         "this one if it is still needed", "href": f"#{form.child_id.id}"}], None
    return [], answer


@bp.route("/families/<uuid:family_id>/referrals/new", methods=["GET", "POST"])
@access("staff")
def make_referral(family_id: uuid.UUID):
    form = ReferralForm()
    if not form.is_submitted():
        kind = request.args.get("kind", "")
        form.link_kind.data = kind if kind in LINK_LABELS else ""
        form.linked_from_id.data = str(uuid_or_none(request.args.get("from")) or "") if form.link_kind.data else ""
        form.pathway.data = request.args.get("pathway") or LINK_PATHWAYS.get(form.link_kind.data)
        form.received_on.data = uow().today()
        form.idempotency_key.data = uuid.uuid4().hex
    errors: list[dict] = []
    if form.validate_on_submit() and not request.form.get("change"):
        confirmed = bool(request.form.get("confirm"))
        # Not confirmed yet: only asking whether the service accepts the answers, which writes nothing.
        errors, answer = _ask(family_id, form, referrals_service.create_referral if confirmed
                              else referrals_service.check_referral)
        if not errors and confirmed:
            uow().commit()  # post/redirect/get: Back and refresh never send the form again
            return redirect(url_for("web.referral_sent", referral_id=answer.id,
                                    again="1" if answer.replayed else None))
        if not errors:
            return _check_page(family_id, form, answer)
        uow().rollback()
    elif form.is_submitted() and not request.form.get("change"):
        errors = error_list(form)
    family, children, linked = _context(family_id, uuid_or_none(form.linked_from_id.data))
    _, teams = _choices(form, children)
    uow().commit()
    return render_template("views/referral_new.html", form=form, errors=errors, family=family,
                           family_id=family_id, linked=linked, teams=teams, **labels())


@bp.get("/referrals/<uuid:referral_id>/sent")
@access("staff")
def referral_sent(referral_id: uuid.UUID):
    """The confirmation after a referral is sent (reached by redirect, so it can be refreshed or bookmarked)."""
    referral = referrals_service.get_referral(uow(), current_actor(), referral_id)
    agency = directory.agency_names_of(uow(), [referral.to_agency_id]).get(referral.to_agency_id, "")
    uow().commit()
    return render_template("views/referral_made.html", referral=referral, agency=agency,
                           replayed=request.args.get("again") == "1", **labels())


def _check_page(family_id: uuid.UUID, form: ReferralForm, checked: referrals_service.ReferralCheck):
    family, children, linked = _context(family_id, uuid_or_none(form.linked_from_id.data))
    agencies, _ = _choices(form, children)
    chosen = list(form.sections_shared.data or [])
    covered = checked.covered
    carried = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirm", "change")]
    uow().commit()
    return render_template("views/referral_check.html", form=form, family=family, family_id=family_id,
                           linked=linked, carried=carried, children=dict(children), agencies=agencies,
                           covered=covered, holds_case=checked.holds_case, will_see=checked.will_see,
                           not_covered=[k for k in chosen if k not in covered],
                           not_covered_titles=[SECTION_TITLES.get(k, k) for k in chosen if k not in covered],
                           **labels())
