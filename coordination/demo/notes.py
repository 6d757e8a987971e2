"""The demo borough's case notes: a few visits, calls, meetings and messages on each demo family, written by its
lead practitioner through the case notes service (so they are attributed and audited as any note is), one of
them corrected by a later note. Fictional, derived from each family's reference, and added only to families
that have none yet, so a second seed adds nothing.
"""
from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.models import Family
from coordination.repositories import case_notes as notes_repo
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services.auth import actor_for_user
from coordination.services.case_notes import record_note
from coordination.services.families import family_view

ENGLAND = ZoneInfo("Europe/London")
# (kind, with whom, what was said, child seen, seen alone, days ago, hour) — {p1}, {child}, {school} filled in.
NOTES = (
    ("visit", "{p1} (parent) and {child}", "Home visit as planned. {p1} said the mornings are calmer since the "
     "new routine started; the chart is on the fridge. {child} showed me their room and talked about a friend "
     "at {school}. I spoke with {child} alone in the kitchen for ten minutes: {child} said things at home are "
     "\u201cbetter than before\u201d. Agreed next visit in two weeks.", True, True, 16, 10),
    ("call", "{p1} (parent)", "{p1} rang to say the housing officer has offered a viewing next week. Worried "
     "about the cost of moving. I said I would ask the money advice service to call. {p1} agreed.",
     None, None, 9, 14),
    ("meeting", "{p1}, class teacher and school nurse at {school}", "Team around the family meeting at "
     "{school}. Attendance is up to 91% this half term. The school nurse will see {child} about sleep. {p1} "
     "asked that letters go by email. Actions added to the plan; review in six weeks.", False, None, 6, 15),
    ("message", "{p1} (parent), by text message", "Sent a reminder of Thursday's appointment. {p1} replied "
     "\u201cthanks, we'll be there\u201d.", None, None, 2, 11),
)
CORRECTION = ("Correction: the meeting was with the class teacher and the family support worker, not the school "
              "nurse. The family support worker will see {child} about sleep. Everything else as recorded.")


def seed_notes(uow: UnitOfWork, actor: Actor, families: int = 40) -> int:
    """Notes on up to `families` demo families that have a lead and no notes yet; the number of notes added."""
    added = 0
    for family in families_repo.all_visible(uow.session, actor)[:families]:
        if family.lead_practitioner_id is None or notes_repo.list_notes(uow.session, actor, family.id):
            continue
        lead = users_repo.get_user(uow.session, family.lead_practitioner_id)
        if lead is not None:
            added += _write(uow, actor_for_user(lead), family)
    uow.commit()
    return added


def _write(uow: UnitOfWork, lead: Actor, family: Family) -> int:
    view = family_view(uow.keys, family)
    parents, children = [p for p in view.people if p.role == "parent_carer"], view.children
    if not parents or not children:
        return 0
    rng = random.Random(f"eastmere-notes-{family.reference}")
    ctx = {"p1": parents[0].given_name, "child": rng.choice(children).given_name,
           "school": "Riverside Primary School (fictional)"}
    today = uow.now().astimezone(ENGLAND)
    written = {}
    for kind, whom, text, seen, alone, days, hour in rng.sample(NOTES, rng.randint(2, len(NOTES))):
        moment = (today - dt.timedelta(days=days + rng.randint(0, 3))).replace(hour=hour, minute=rng.choice(
            (0, 15, 30, 45)), second=0, microsecond=0)
        written[kind] = record_note(uow, lead, family.id, kind=kind, occurred_at=moment, with_whom=whom.format(**ctx),
                                    text=text.format(**ctx), child_seen=seen, seen_alone=alone)
    if (meeting := written.get("meeting")) is not None:
        record_note(uow, lead, family.id, kind="meeting", occurred_at=meeting.occurred_at,
                    with_whom=meeting.with_whom.replace("school nurse", "family support worker"),
                    text=CORRECTION.format(**ctx), child_seen=False, corrects_id=meeting.id)
    return len(written) + (meeting is not None)
