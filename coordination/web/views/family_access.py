"""Staff pages for the family's own view: who is invited, signed up or excluded; invite a parent, carer or young
person (the address checked with them); a manager excludes someone with a reason; release the safety section."""
from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import flash, redirect, render_template, url_for

from coordination.auth.decorators import access
from coordination.auth.web import current_actor
from coordination.domain.family_access import HIDDEN_UNLESS_RELEASED, capacity_for
from coordination.domain.permissions import Action, may
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.errors import Conflict, Invalid, NotFound
from coordination.extensions import state, uow
from coordination.services import assessment
from coordination.services.family_view import access as access_service
from coordination.services.family_view import proposals as proposals_service
from coordination.services.mail import sender_for

from ..blueprint import bp
from ..formatting import today
from ..forms import add_service_errors, error_list
from ..forms_family import ConfirmForm, ExcludeForm, InviteForm, ReplyForm
from ..pages import family_page
from .people import person_in


@bp.get("/families/<uuid:family_id>/family-access")
@access("staff", action=Action.READ_CASE)
def family_access(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    people, released = access_service.list_access(uow(), actor, family_id)
    proposals = proposals_service.proposals_for(uow(), actor, family_id)
    uow().commit()
    return render_template("views/family_access.html", family=family, people=people, released=released,
                           proposals=proposals, titles={s.key: s.title for s in DEFAULT_TEMPLATE},
                           hidden=sorted(HIDDEN_UNLESS_RELEASED), form=ConfirmForm(),
                           is_manager=may(actor, Action.EXCLUDE_FROM_FAMILY_VIEW))


@bp.route("/families/<uuid:family_id>/family-access/invite", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def invite_to_family_view(family_id: uuid.UUID):
    actor, family = family_page(family_id)
    form = InviteForm()
    form.person_id.choices = [(str(p.id), f"{p.full_name} ({'child' if p.role == 'child' else 'parent or carer'})")
                              for p in family.people if p.role in ("parent_carer", "child") and p.left_on is None]
    errors: list[dict] = []
    if form.validate_on_submit():
        try:
            invitation = access_service.invite(
                uow(), actor, uuid.UUID(form.person_id.data), form.email.data or "",
                base_url=state().settings.public_base_url,
                has_parental_responsibility=bool(form.parental_responsibility.data),
                competence_assessed=bool(form.competence_assessed.data))
        except Invalid as exc:
            uow().rollback()
            unplaced = add_service_errors({"email": form.email, "person_id": form.person_id}, exc.errors)
            errors = error_list(form, unplaced)
        except Conflict as exc:
            uow().rollback()
            form.person_id.errors = [exc.message]
            errors = error_list(form)
        else:
            uow().commit()
            sender_for(state().settings).send(invitation.email)
            flash("Invitation sent. The link works once, for 7 days", "success")
            return redirect(url_for("web.family_access", family_id=family_id))
    elif form.is_submitted():
        # Every problem at once: who may be invited, as the service would say, with the form's own.
        chosen = next((p for p in family.people if str(p.id) == form.person_id.data), None)
        if chosen is not None and not form.person_id.errors:
            _, why_not = capacity_for(chosen.role, chosen.date_of_birth, today(),
                                      has_parental_responsibility=bool(form.parental_responsibility.data),
                                      competence_assessed=bool(form.competence_assessed.data))
            if why_not:
                form.person_id.errors = [why_not]
        errors = error_list(form)
    uow().commit()
    return render_template("views/family_invite.html", family=family, form=form, errors=errors)


@bp.route("/families/<uuid:family_id>/family-access/<uuid:person_id>/exclude", methods=["GET", "POST"])
@access("staff", action=Action.EXCLUDE_FROM_FAMILY_VIEW)
def exclude_from_family_view(family_id: uuid.UUID, person_id: uuid.UUID):
    actor, family = family_page(family_id)
    person = person_in(family, person_id)
    form = ExcludeForm()
    errors: list[dict] = []
    if form.validate_on_submit():
        try:
            access_service.exclude(uow(), actor, person_id, form.reason.data or "")
        except Invalid as exc:
            uow().rollback()
            errors = error_list(form, add_service_errors({"reason": form.reason}, exc.errors))
        except Conflict as exc:
            uow().rollback()
            flash(exc.message, "success")
            return redirect(url_for("web.family_access", family_id=family_id))
        else:
            uow().commit()
            flash(f"{person.full_name} is excluded. Their invitation and any session have ended", "success")
            return redirect(url_for("web.family_access", family_id=family_id))
    elif form.is_submitted():
        errors = error_list(form)
    uow().commit()
    return render_template("views/family_exclude.html", family=family, person=person, form=form, errors=errors)


@bp.post("/families/<uuid:family_id>/family-access/release/<key>")
@access("staff", action=Action.WRITE_CASE)
def release_to_family(family_id: uuid.UUID, key: str):
    actor = current_actor()
    if ConfirmForm().validate_on_submit():
        _, released = access_service.list_access(uow(), actor, family_id)
        access_service.release_section(uow(), actor, family_id, key, released=key not in released)
        uow().commit()
        flash("The family now sees this section" if key not in released else "The family no longer sees this section",
              "success")
    return redirect(url_for("web.family_access", family_id=family_id))


def _answer(call: Callable[[], object], success: str) -> None:
    """Answer a family's proposal (reply or accept) and say so; answered already (Conflict): its message."""
    try:
        call()
    except Conflict as exc:
        uow().rollback()
        flash(exc.message, "success")
    else:
        uow().commit()
        flash(success, "success")


@bp.route("/families/<uuid:family_id>/family-access/proposals/<uuid:proposal_id>", methods=["GET", "POST"])
@access("staff", action=Action.WRITE_CASE)
def family_proposal(family_id: uuid.UUID, proposal_id: uuid.UUID):
    """One change the family proposed: accept it (their words become the section's new version) or reply."""
    actor, family = family_page(family_id)
    proposal = next((p for p in proposals_service.proposals_for(uow(), actor, family_id) if p.id == proposal_id),
                    None)
    if proposal is None:
        raise NotFound("Proposal not found")
    form = ReplyForm()
    errors: list[dict] = []
    if form.validate_on_submit():
        _answer(lambda: proposals_service.reply(uow(), actor, family_id, proposal_id, form.reply.data or ""),
                "Your reply is on the family's story page")
        return redirect(url_for("web.family_access", family_id=family_id))
    if form.is_submitted():
        errors = error_list(form)
    current = assessment.get_section(uow(), actor, family_id, proposal.section_key)
    uow().commit()
    return render_template("views/family_proposal.html", family=family, proposal=proposal, current=current,
                           form=form, accept_form=ConfirmForm(), errors=errors,
                           title_of={s.key: s.title for s in DEFAULT_TEMPLATE})


@bp.post("/families/<uuid:family_id>/family-access/proposals/<uuid:proposal_id>/accept")
@access("staff", action=Action.WRITE_CASE)
def accept_family_proposal(family_id: uuid.UUID, proposal_id: uuid.UUID):
    if ConfirmForm().validate_on_submit():
        _answer(lambda: proposals_service.accept(uow(), current_actor(), family_id, proposal_id),
                "Accepted: the section now says what the family proposed")
    return redirect(url_for("web.family_access", family_id=family_id))
