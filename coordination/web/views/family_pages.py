"""The family's own pages under /my-family: home, our story, our plan, referrals, sharing (with withdraw) and
who has seen our information. Each calls one service in services.family_view; each read is audited there."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for

from coordination.auth.decorators import access
from coordination.auth.family import current_family_actor
from coordination.domain.actors import Actor
from coordination.domain.plan import OUTCOME_AREA_LABELS
from coordination.domain.sections import DEFAULT_TEMPLATE
from coordination.errors import Conflict
from coordination.extensions import uow
from coordination.services.family_view import pages

from ..actions import submit_action
from ..family_blueprint import family_bp
from ..forms_family import AskAboutSharingForm, FamilyWithdrawForm, FeedbackForm, OwnWordsForm, ProposalForm

AGENCY_TYPES = {"council_early_help": "council early help teams", "social_care": "children's social care teams",
                "school": "schools", "health": "health services", "mental_health": "mental health services",
                "police": "the police", "voluntary": "voluntary organisations", "send_service": "SEND services"}


def _actor() -> Actor:
    actor = current_family_actor()
    assert actor is not None  # the gate let only a family member in
    return actor


def _show(template: str, read: Callable[..., Any], nav_current: str, **context: Any) -> str:
    """A page that reads one thing for the family member (audited in the service) and shows it as `page`."""
    page = read(uow(), _actor())
    uow().commit()
    return render_template(template, page=page, nav_current=nav_current, **context)


@family_bp.get("/")
@access("family")
def home():
    return _show("family/home.html", pages.home, "home")


@family_bp.get("/our-story")
@access("family")
def story():
    return _show("family/story.html", pages.story, "story")


@family_bp.get("/our-plan")
@access("family")
def plan():
    actor = _actor()
    view = pages.plan(uow(), actor)
    uow().commit()
    return render_template("family/plan.html", plan=view, me=actor.person_id, areas=OUTCOME_AREA_LABELS,
                           nav_current="plan")


@family_bp.get("/referrals")
@access("family")
def referrals():
    return _show("family/referrals.html", pages.referrals, "referrals")


def _titles() -> dict[str, str]:
    return {s.key: s.title for s in DEFAULT_TEMPLATE}


@family_bp.get("/sharing")
@access("family")
def consents():
    actor = _actor()
    items = pages.consents(uow(), actor)
    uow().commit()
    return render_template("family/consents.html", consents=items, me=actor.person_id, titles=_titles(),
                           types=AGENCY_TYPES, nav_current="consents")


@family_bp.route("/sharing/<uuid:consent_id>/withdraw", methods=["GET", "POST"])
@access("family")
def withdraw(consent_id: uuid.UUID):
    actor = _actor()
    form = FamilyWithdrawForm()
    if form.validate_on_submit():
        try:
            pages.withdraw(uow(), actor, consent_id, form.reason.data)
        except Conflict:
            uow().rollback()
            flash("You had already stopped this sharing", "success")
            return redirect(url_for("family.consents"))
        uow().commit()
        flash("You have stopped this sharing. Nobody can see it under this agreement from now on", "success")
        return redirect(url_for("family.consents"))
    consent = next((c for c in pages.consents(uow(), actor) if c.id == consent_id and c.given_by_person_id
                    == actor.person_id and c.state == "live"), None)
    if consent is None:
        uow().rollback()
        return render_template("family/not_found.html"), 404
    uow().commit()
    errors = [{"text": f.errors[0], "href": f"#{f.id}"} for f in (form.reason,) if f.errors]
    return render_template("family/withdraw.html", consent=consent, form=form, titles=_titles(),
                           types=AGENCY_TYPES, errors=errors, nav_current="consents")


@family_bp.get("/who-has-seen-it")
@access("family")
def access_log():
    return _show("family/access_log.html", pages.access_log, "access_log", titles=_titles())


@family_bp.route("/our-story/my-words", methods=["GET", "POST"])
@access("family")
def own_words():
    """A young person adds their own words (a voice entry, method own_words, attributed to them)."""
    actor = _actor()
    if not pages.is_young(actor):
        return render_template("family/not_found.html"), 404
    form = OwnWordsForm()
    done, errors = submit_action(
        form, lambda: pages.add_own_words(uow(), actor, form.words.data or "", form.who_can_see.data == "just_me"),
        fields={"words": form.words}, done=url_for("family.story") + "#voice",
        success="Thank you. Your words are now part of your family's record")
    if done:
        return done
    return render_template("family/own_words.html", form=form, errors=errors, nav_current="story")


@family_bp.route("/feedback", methods=["GET", "POST"])
@access("family")
def feedback():
    """"You said, we did": tell the team something, and see their answers."""
    actor = _actor()
    form = FeedbackForm()
    done, errors = submit_action(form, lambda: pages.give_feedback(uow(), actor, form.said.data or ""),
                                 fields={"said": form.said}, done=url_for("family.feedback"),
                                 success="Thank you. Your practitioner will answer you here")
    if done:
        return done
    items = pages.feedback(uow(), actor)
    uow().commit()
    return render_template("family/feedback.html", form=form, items=items, errors=errors, nav_current="feedback")


@family_bp.route("/our-story/<key>/suggest-a-change", methods=["GET", "POST"])
@access("family")
def propose(key: str):
    """Propose what a section should say: it goes to the practitioner; nothing changes until they agree."""
    actor = _actor()
    section = pages.section_to_change(uow(), actor, key)
    form = ProposalForm()
    done, errors = submit_action(form, lambda: pages.propose(uow(), actor, key, form.text.data or ""),
                                 fields={"text": form.text}, done=url_for("family.story") + f"#section-{key}",
                                 success="Thank you. Your practitioner will look at your change and tell you here")
    if done:
        return done
    if not form.is_submitted():
        form.text.data = section.content
    uow().commit()
    return render_template("family/propose.html", form=form, section=section, errors=errors, nav_current="story")


@family_bp.route("/sharing/talk-about-it", methods=["GET", "POST"])
@access("family")
def ask_about_sharing():
    """Ask for new sharing to be discussed: it reaches the practitioner as feedback, and is answered there."""
    actor = _actor()
    form = AskAboutSharingForm()
    done, errors = submit_action(
        form, lambda: pages.give_feedback(uow(), actor, f"About sharing: {form.said.data or ''}"),
        fields={"said": form.said}, done=url_for("family.consents"),
        success="Thank you. Your practitioner will talk to you about it")
    if done:
        return done
    return render_template("family/ask_about_sharing.html", form=form, errors=errors, nav_current="consents")
