"""What a signed-in family member reads of their own family, each read audited with channel `family` (so it
comes back to them in "Who has seen our information" as "You viewed …").

Every read is scoped to the actor's own family in the query. What they see (domain.family_access): every section
except `safety` unless a practitioner released it; a parent never sees a young person's confidential voice
entries; a young person sees the referrals about themselves, a parent those about every child; nothing a
manager withheld for risk. Reads go through the existing services (assessment.read_sections, the plan's
read_plan_for, the consent and access-log services) rather than second copies of them.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.calendar import england_date
from coordination.domain.family_access import is_young_person
from coordination.errors import NotFound
from coordination.models import Family
from coordination.repositories import families as families_repo
from coordination.repositories import family_access as repo
from coordination.repositories import plan as plan_repo
from coordination.repositories import users as users_repo
from coordination.services import assessment
from coordination.services.families import person_view
from coordination.services.family_help import feedback as feedback_service
from coordination.services.family_help import plan as plan_service
from coordination.services.family_help.lead import lead_of
from coordination.services.family_help.views import FeedbackView, LeadView, PlanView
from coordination.services.referrals.views import referral_view
from coordination.services.sharing import access_log as access_log_service
from coordination.services.sharing import consent as consent_service
from coordination.services.views import AssessmentView, PersonView, VoiceView

from . import proposals as proposals_service

FAMILY = {"kind": "family", "channel": "family"}


def _own_family(uow: UnitOfWork, actor: Actor) -> Family:
    family = families_repo.get_for(uow.session, actor, actor.family_id) if actor.is_family and actor.family_id \
        else None
    if family is None:
        raise NotFound("Family not found")
    return family


def _people(uow: UnitOfWork, family: Family) -> dict[uuid.UUID, PersonView]:
    return {p.id: person_view(uow.keys, p) for p in family.people}


@dataclass
class Home:
    me: PersonView
    young_person: bool
    lead: LeadView
    next_review_due_on: dt.date | None
    people: list[PersonView]


def home(uow: UnitOfWork, actor: Actor) -> Home:
    """Who they are, who their lead practitioner is and when the next review is. Audited."""
    family = _own_family(uow, actor)
    people = _people(uow, family)
    plan = plan_repo.get_plan(uow.session, family.id)
    uow.audit(actor, "read", "family_home", family.id, family_id=family.id, authority=FAMILY)
    return Home(people[actor.person_id], is_young_person(actor.family_capacity or ""),  # type: ignore[index]
                lead_of(uow, family), plan.next_review_due_on if plan else None,
                [p for p in people.values() if p.left_on is None])


@dataclass
class Story:
    assessment: AssessmentView
    voice: list[VoiceView]
    names: dict[uuid.UUID, str]
    young_person: bool
    me: uuid.UUID
    proposals: list[proposals_service.ProposalView] = field(default_factory=list)


def story(uow: UnitOfWork, actor: Actor) -> Story:
    """"Our story": the sections they may see (newest versions) and the children's voice entries they may see.
    One audited read for the sections (naming them), one for the voice entries."""
    family = _own_family(uow, actor)
    view = assessment.read_sections(uow, actor, family.id, repo.own_section_keys(uow.session, actor),
                                    authority=FAMILY)
    young = is_young_person(actor.family_capacity or "")
    voice = [assessment.voice_view(uow, e) for e in repo.own_voice(uow.session, actor)]
    uow.audit(actor, "read", "voice_entry", None, family_id=family.id, sections=["child_voice"], authority=FAMILY,
              entries=len(voice))
    names = {i: p.given_name for i, p in _people(uow, family).items()}
    return Story(view, voice, names, young, actor.person_id,  # type: ignore[arg-type]
                 proposals_service.own_proposals(uow, actor))


def section_to_change(uow: UnitOfWork, actor: Actor, key: str):
    """One section they can see, to propose a change to (audited as a read). :raise NotFound: not one they see."""
    family = _own_family(uow, actor)
    if key not in repo.own_section_keys(uow.session, actor):
        raise NotFound("No such section")
    view = assessment.read_sections(uow, actor, family.id, [key], authority=FAMILY)
    if not view.sections:
        raise NotFound("No such section")
    return view.sections[0]


def propose(uow: UnitOfWork, actor: Actor, key: str, text: str):
    return proposals_service.propose(uow, actor, key, text)


def is_young(actor: Actor) -> bool:
    return is_young_person(actor.family_capacity or "")


def add_own_words(uow: UnitOfWork, actor: Actor, words: str, confidential: bool) -> VoiceView:
    """A young person's own words about themself, through the one voice service (attributed to them; never edited).

    :raise NotPermitted: not a young person. :raise Invalid: empty or too long.
    """
    family = _own_family(uow, actor)
    assert actor.person_id is not None
    return assessment.record_voice(uow, actor, family.id, actor.person_id, words, "own_words", uow.today(),
                                   confidential=confidential)


def feedback(uow: UnitOfWork, actor: Actor) -> list[FeedbackView]:
    """What they told the team and the answers ("you said, we did"): their own, through the feedback service."""
    family = _own_family(uow, actor)
    return feedback_service.feedback_for(uow, actor, family.id)


def give_feedback(uow: UnitOfWork, actor: Actor, said: str) -> FeedbackView:
    """Tell the team something: the lead practitioner is told (no words in the email); a task until answered."""
    family = _own_family(uow, actor)
    return feedback_service.add_feedback(uow, actor, family.id, said=said)


def plan(uow: UnitOfWork, actor: Actor) -> PlanView:
    """The plan: goals, actions (theirs marked), reviews and the next review due, through the plan service."""
    family = _own_family(uow, actor)
    return plan_service.read_plan_for(uow, actor, family.id, channel="family")


@dataclass
class FamilyReferral:
    id: uuid.UUID
    child_name: str
    pathway_title: str
    team: str
    status: str
    status_text: str
    stage_title: str
    received_on: dt.date
    hear_by: dt.date | None
    signposted_to: str | None = None


def _status_text(status: str, team: str, stage_title: str) -> str:
    return {
        "submitted": f"Waiting for {team} to decide",
        "received": f"Waiting for {team} to decide",
        "accepted": f"{team} said yes. They will be in touch",
        "in_progress": f"Under way: {stage_title}",
        "declined": f"{team} said no",
        "closed": "Finished",
    }.get(status, status)


@dataclass
class Referrals:
    items: list[FamilyReferral] = field(default_factory=list)


def referrals(uow: UnitOfWork, actor: Actor) -> Referrals:
    """The referrals about their children (a young person: about themself), with plain-English status and the date
    they should hear by (the running clock's due date). Audited (no reasons are shown: they are staff words)."""
    family = _own_family(uow, actor)
    people = _people(uow, family)
    rows = repo.own_referrals(uow.session, actor)
    if is_young_person(actor.family_capacity or ""):
        rows = [r for r in rows if r.child_id == actor.person_id]
    teams = users_repo.agencies_by_id(uow.session, {r.to_agency_id for r in rows})
    items = []
    for row in rows:
        v = referral_view(uow, row)
        team = teams[v.to_agency_id].name if v.to_agency_id in teams else "the team"
        running = [c for c in v.clocks if c.stopped_on is None]
        child = people.get(v.child_id)
        items.append(FamilyReferral(
            id=v.id, child_name=child.given_name if child else "", pathway_title=v.pathway_title, team=team,
            status=v.status, status_text=_status_text(v.status, team, v.stage_title), stage_title=v.stage_title,
            received_on=v.received_on, hear_by=min((c.due_on for c in running), default=None),
            signposted_to=v.signposted_to if v.status == "declined" else None))
    uow.audit(actor, "read", "referral", None, family_id=family.id, authority=FAMILY, referrals=len(items))
    return Referrals(items)


def consents(uow: UnitOfWork, actor: Actor):
    """Their family's consents, through the consent service (audited there), naming no section confidential to
    another young person."""
    hidden = repo.confidential_to_others(uow.session, actor)
    items = consent_service.list_own_consents(uow, actor)
    return [replace(c, sections=[s for s in c.sections if s not in hidden]) for c in items
            if c.given_by_person_id == actor.person_id or not c.sections or set(c.sections) - hidden]


def withdraw(uow: UnitOfWork, actor: Actor, consent_id: uuid.UUID, reason: str | None):
    """Withdraw a consent they gave: the consent service's one withdrawal, effective for the very next read."""
    return consent_service.withdraw_own_consent(uow, actor, consent_id, reason)


@dataclass
class OwnView:
    at: dt.datetime  # the latest of the day's views of this part
    what: str
    sections: list[str]
    times: int = 1   # views of this part that day in England


_WHAT = {"assessment": "your story", "voice_entry": "the children's words", "family_plan": "your plan",
         "referral": "your referrals", "consent": "your sharing choices", "access_log": "who has seen your information",
         "family_home": "your home page", "family_feedback": "what you told us"}


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass
class AccessLogPage:
    log: access_log_service.AccessLog
    own_views: list[OwnView]


def access_log(uow: UnitOfWork, actor: Actor) -> AccessLogPage:
    """Who has seen their information (the family's version of the log) and their own views of it. Audited."""
    own: list[OwnView] = []
    by_day: dict[tuple[str, dt.date], OwnView] = {}
    for e in repo.own_read_events(uow.session, actor):  # newest first; one line per part a day, with a count
        at = _aware(e.occurred_at)
        what = _WHAT.get(e.record_type, e.record_type.replace("_", " "))
        if (found := by_day.get((what, england_date(at)))) is not None:
            found.times += 1
            continue
        by_day[(what, england_date(at))] = view = OwnView(at, what, list(e.sections or []))
        own.append(view)
    log = access_log_service.own_access_log(uow, actor)
    hidden = repo.confidential_to_others(uow.session, actor)
    if hidden:  # a read of only sections confidential to another young person is not theirs to know of
        log.entries = [replace(e, sections=[s for s in e.sections if s not in hidden]) for e in log.entries
                       if not e.sections or set(e.sections) - hidden]
    return AccessLogPage(log, own)
