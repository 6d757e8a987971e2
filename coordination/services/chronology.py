"""A family's chronology: everything that happened on its record, newest first, in one list.

Case notes, assessment section changes, referrals (made, decided, moved on, closed), consents (given or
refused, withdrawn), safeguarding disclosures (decided, revoked), and Family Help: plan changes (goals, actions,
team, closure, step-up and step-down, re-opening, FGDM), reviews, lead practitioner changes and feedback (the
family's words stay on their pages: entries say what happened, not what was said). Each entry has a moment, a kind (the
`?kind=` filter, domain.notes.EntryKind), a one-line summary and the record it points at. Reading it is a read
of case content, for staff of the agency holding the case, audited once with the kinds read.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.domain.notes import ENTRY_KINDS, OVERSIGHT_LABEL, EntryKind, day_text, seen_text, shorten
from coordination.domain.pathways import default_pathways
from coordination.domain.permissions import Action
from coordination.errors import Invalid
from coordination.repositories import assessment as assessment_repo
from coordination.repositories import case_notes as repo
from coordination.repositories import family_help as family_help_repo
from coordination.repositories import plan as plan_repo
from coordination.services import assessment_status, directory
from coordination.services.case_notes import CASE_HOLDER, notes_of
from coordination.services.families import family_for, person_view


@dataclass
class Entry:
    at: dt.datetime
    kind: str
    headline: str
    # case_note | section | assessment_status | referral | consent | disclosure | plan | review | lead | feedback
    record_type: str
    record_id: uuid.UUID
    key: str | None = None  # the section key of a section change
    by: uuid.UUID | None = None
    text: str | None = None  # a note's full text, for the printable page

    @property
    def summary(self) -> str:
        """One line: the headline, and the start of a note's text."""
        return f"{self.headline}: {shorten(self.text)}" if self.text else self.headline


def chronology(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, kinds: list[str] | None = None) -> list[Entry]:
    """The family's entries of `kinds` (every kind when empty), newest first.

    :raise NotFound: the family does not exist or the actor may not know it exists.
    :raise Invalid: an unknown kind.
    """
    family = family_for(uow, actor, family_id, Action.READ_CASE, "You cannot read this family's record")
    wanted = list(dict.fromkeys(kinds or ENTRY_KINDS))
    if unknown := [k for k in wanted if k not in ENTRY_KINDS]:
        raise Invalid("Unknown kind", {"kind": [f"Choose from {', '.join(ENTRY_KINDS)} (not {unknown[0]})"]})
    people = {p.id: person_view(uow.keys, p) for p in family.people}
    sources = {
        EntryKind.NOTE: lambda: _notes(uow, actor, family_id),
        EntryKind.ASSESSMENT: lambda: _sections(uow, actor, family_id) + _status(uow, actor, family_id, people),
        EntryKind.REFERRAL: lambda: _referrals(uow, actor, family_id, people),
        EntryKind.CONSENT: lambda: _consents(uow, actor, family_id, people),
        EntryKind.DISCLOSURE: lambda: _disclosures(uow, actor, family_id),
        EntryKind.PLAN: lambda: _plan_changes(uow, family_id),
        EntryKind.REVIEW: lambda: _reviews(uow, family_id),
        EntryKind.LEAD: lambda: _leads(uow, family_id),
        EntryKind.FEEDBACK: lambda: _feedback(uow, family_id, people),
    }
    entries = [e for kind in wanted for e in sources[EntryKind(kind)]()]
    entries.sort(key=lambda e: (e.at, e.kind, str(e.record_id)), reverse=True)
    uow.audit(actor, "read", "chronology", None, family_id=family_id, authority=CASE_HOLDER, kinds=wanted,
              entries=len(entries))
    return entries


def _notes(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[Entry]:
    out = []
    for n in notes_of(uow, actor, family_id):
        if n.oversight:  # a manager's oversight of the case, not contact with the family
            out.append(Entry(n.occurred_at, EntryKind.NOTE, OVERSIGHT_LABEL, "case_note", n.id, by=n.recorded_by,
                             text=n.text))
            continue
        parts = [f"{n.kind_label} with {shorten(n.with_whom, 80)}"]
        if seen := seen_text(n.child_seen, n.seen_alone):
            parts.append(seen)
        if n.corrects_occurred_at is not None:
            parts.append(f"Correction to the note of {day_text(n.corrects_occurred_at)}")
        if n.corrected_by_id is not None:
            parts.append("Corrected by a later note")
        out.append(Entry(n.occurred_at, EntryKind.NOTE, ". ".join(parts), "case_note", n.id, by=n.recorded_by,
                         text=n.text))
    return out


def _sections(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[Entry]:
    out = []
    for version, key, title in repo.section_changes(uow.session, actor, family_id):
        how = " from a partner's contribution" if version.source == "partner" else ""
        done = "written" if version.version == 1 else "updated"
        summary = f"Assessment: {title} {done}{how} (version {version.version})"
        out.append(Entry(version.created_at, EntryKind.ASSESSMENT, summary, "section", version.id, key=key,
                         by=version.created_by_id))
    return out


STATUS_HEADLINES = {
    "section_completed": "Assessment: {title} marked complete",
    "section_reopened": "Assessment: {title} back to in progress",
    "agreed": "Assessment agreed with {who} on {day}",
    "agreement_set_aside": "Assessment: the family's agreement set aside because {title} changed (agree it again)",
    "signed_off": "Assessment signed off by a manager",
    "changed_since_sign_off": "Assessment changed since sign-off ({title})",
}


def _status(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, people: dict) -> list[Entry]:
    """Sections completed or re-opened, the agreement with the family, sign-off (services.assessment_status)."""
    titles = {d.key: d.title for d in assessment_repo.list_definitions(uow.session)}
    out = []
    for e in assessment_status.status_events(uow, actor, family_id):
        who = people[e.person_id].full_name if e.person_id in people else "the family"
        headline = STATUS_HEADLINES.get(e.kind, "Assessment: {kind}").format(
            title=titles.get(e.section_key or "", e.section_key), who=who, kind=e.kind.replace("_", " "),
            day=_day(e.agreed_on) if e.agreed_on else "")
        out.append(Entry(e.at, EntryKind.ASSESSMENT, headline, "assessment_status", e.id, key=e.section_key,
                         by=e.by_id))
    return out


def _referrals(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, people: dict) -> list[Entry]:
    rows = [(e, r) for e, r in repo.referral_events(uow.session, actor, family_id) if e.kind != "decided"]
    pathways = default_pathways()
    agencies = directory.agency_names_of(uow, {r.to_agency_id for _e, r in rows})
    out = []
    for event, referral in rows:
        pathway = pathways.get(referral.pathway)
        title = pathway.title if pathway else referral.pathway
        child = people[referral.child_id].given_name if referral.child_id in people else "a child"
        team = agencies.get(referral.to_agency_id, "another team")
        what, _, stage = event.kind.partition(":")
        summary = {
            "received": f"Referral made for {child}: {title}, to {team}",
            "accepted": f"Referral for {child} accepted by {team} ({title})",
            "declined": f"Referral for {child} declined by {team} ({title})",
            "closed": f"{title} referral for {child} closed"
                      + (f": {referral.outcome.replace('_', ' ')}" if referral.outcome else ""),
            "entered": f"{title} for {child}: moved to "
                       + (pathway.stage_titles.get(stage, stage) if pathway else stage).lower(),
        }.get(what, f"{title} referral for {child}: {event.kind.replace('_', ' ')}")
        out.append(Entry(event.occurred_at, EntryKind.REFERRAL, summary, "referral", referral.id,
                         by=event.by_user_id))
    return out


def _recipients(uow: UnitOfWork, consent) -> str:
    names = directory.agency_names_of(uow, [r.agency_id for r in consent.recipients if r.agency_id])
    parts = [names.get(r.agency_id, "an agency") for r in consent.recipients if r.agency_id]
    parts += [f"all {r.agency_type.replace('_', ' ')} agencies" for r in consent.recipients if r.agency_type]
    return ", ".join(parts) or "no one"


def _consents(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID, people: dict) -> list[Entry]:
    out = []
    for c in repo.consents(uow.session, actor, family_id):
        who = people[c.given_by_person_id].full_name if c.given_by_person_id in people else "a family member"
        n = len(c.sections)
        scope = f"{n} section{'s' if n != 1 else ''} with {_recipients(uow, c)}"
        verb = "given" if c.decision == "permit" else "refused"
        out.append(Entry(c.recorded_at, EntryKind.CONSENT, f"Consent {verb} by {who}: {scope}", "consent", c.id,
                         by=c.recorded_by_id))
        if c.withdrawn_at is not None:
            out.append(Entry(c.withdrawn_at, EntryKind.CONSENT,
                             f"Consent withdrawn: {who}'s consent of {day_text(c.recorded_at)} ({scope})",
                             "consent", c.id, by=c.withdrawn_by_id))
    return out


def _disclosures(uow: UnitOfWork, actor: Actor, family_id: uuid.UUID) -> list[Entry]:
    rows = repo.disclosures(uow.session, actor, family_id)
    agencies = directory.agency_names_of(uow, {d.agency_id for d in rows})
    out = []
    for d in rows:
        team = agencies.get(d.agency_id, "another agency")
        n = len(d.sections)
        out.append(Entry(d.decided_at, EntryKind.DISCLOSURE,
                         f"Shared without consent with {team} for safeguarding: {n} section{'s' if n != 1 else ''}",
                         "disclosure", d.id, by=d.decided_by_id))
        if d.revoked_at is not None:
            out.append(Entry(d.revoked_at, EntryKind.DISCLOSURE,
                             f"Safeguarding disclosure to {team} of {day_text(d.decided_at)} revoked", "disclosure",
                             d.id, by=d.revoked_by_id))
    return out


PLAN_HEADLINES = {
    "goal_added": "Family plan: goal added", "action_added": "Family plan: action added",
    "action_status": "Family plan: an action is now {status}", "member_added": "Team around the family: joined",
    "member_left": "Team around the family: left", "closed": "Family plan closed: {status}",
    "stepped_up": "Stepped up to children's social care: the same plan carried on",
    "stepped_down": "Stepped down to universal or community support: the same plan carried on",
    "reopened": "Family plan re-opened", "fgdm": "Family group decision-making: {status}",
}


def _plan_changes(uow: UnitOfWork, family_id: uuid.UUID) -> list[Entry]:
    plan = plan_repo.get_plan(uow.session, family_id)
    if plan is None:
        return []
    out = []
    for c in plan_repo.list_changes(uow.session, plan.id):
        if c.kind not in PLAN_HEADLINES:
            continue  # reviews and lead changes are their own kinds
        headline = PLAN_HEADLINES[c.kind].format(status=(c.status or "").replace("_", " "))
        if c.kind == "reopened" and c.status == "within_12_months":
            headline += ", within 12 months of closing"
        out.append(Entry(c.changed_at, EntryKind.PLAN, f"{headline} (version {c.version})", "plan",
                         c.record_id or plan.id, by=c.changed_by_id))
    return out


def _reviews(uow: UnitOfWork, family_id: uuid.UUID) -> list[Entry]:
    plan = plan_repo.get_plan(uow.session, family_id)
    out = []
    for r in family_help_repo.reviews_of(uow.session, plan.id) if plan else []:
        heard = sum(v.method != "not_had" for v in r.child_views)
        timing = "on time" if r.on_time or r.due_on is None else f"late, due {_day(r.due_on)}"
        out.append(Entry(r.recorded_at, EntryKind.REVIEW,
                         f"Team around the family review held {_day(r.held_on)} ({timing}): "
                         f"{heard} of {len(r.child_views)} children's views in their words", "review", r.id,
                         by=r.recorded_by_id))
    return out


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _leads(uow: UnitOfWork, family_id: uuid.UUID) -> list[Entry]:
    handovers = plan_repo.list_handovers(uow.session, family_id)
    names = directory.agency_names_of(uow, {h.to_agency_id for h in handovers})
    return [Entry(h.handed_over_at, EntryKind.LEAD,
                  ("Lead practitioner changed" if h.from_user_id else "Lead practitioner set")
                  + f": now with {names.get(h.to_agency_id, 'another agency')}"
                  + (" (chosen with the family)" if h.chosen_with_family else ""), "lead", h.id,
                  by=h.recorded_by_id) for h in handovers]


def _feedback(uow: UnitOfWork, family_id: uuid.UUID, people: dict) -> list[Entry]:
    out = []
    for f in family_help_repo.feedback_of(uow.session, family_id):
        who = people[f.from_person_id].full_name if f.from_person_id in people else "the family"
        out.append(Entry(f.recorded_at, EntryKind.FEEDBACK, f"Feedback from {who} (you said)", "feedback", f.id,
                         by=f.recorded_by_id))
        if f.answered_at is not None:
            out.append(Entry(f.answered_at, EntryKind.FEEDBACK, f"Feedback from {who} answered (we did)",
                             "feedback", f.id, by=f.answered_by_id))
    return out
