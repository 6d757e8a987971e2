"""The demo borough's referrals: ten months of history, a few arriving today, and the tasks the nightly jobs
would have raised — so the inbox, the journeys, "due and overdue", the tasks page and the timeliness dashboard
have something to show on `make run`.

History goes through the historic import (services.import_csv), as an authority's own past referrals
would: events at their real dates, clocks from the same `recompute_clocks`, children matched by NHS number,
audited as an import. Its record ids are stable, so a second seed imports nothing again. Today's referrals go
through `services.referrals.create_referral` with fixed Idempotency-Keys (a second seed replays them).
Everything is derived from each family's reference with its own `random.Random`: fictional, repeatable.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random

from coordination.db import UnitOfWork
from coordination.demo import borough
from coordination.domain.actors import Actor
from coordination.domain.calendar import WorkingCalendar
from coordination.errors import Conflict, NotFound
from coordination.models import Family
from coordination.repositories import families as families_repo
from coordination.repositories import users as users_repo
from coordination.services import import_csv, referrals, tasks

WARDS = ("Northgate", "Riverside", "Marsh End", "Larkfield", "Southbank", "Harbour")
GP = "Marsh Lane Surgery (fictional)"
SCHOOLS = ("Riverside Primary School (fictional)", "Eastmere Academy (fictional)",
           "Larkfield Infant and Nursery School (fictional)")
CAMHS = "Eastmere CAMHS (fictional)"
MHST = "Eastmere Mental Health Support Team in Schools (fictional)"
SEND = "Eastmere SEND Service (fictional)"
YOUNG_CARERS = "Eastmere Young Carers (fictional charity)"
COLUMNS = ("record_id", "given_name", "family_name", "date_of_birth", "nhs_number", "ward", "pathway",
           "from_agency", "to_agency", "urgency", "received_on", "decision", "decided_on", "signposted_to",
           "stages", "closed_on", "outcome", "exceptions")
# pathway → stages an accepted referral walks through (each a move pathways.toml allows) and typical gaps (days)
WALKS = {
    "early_help": (("assessment", 3), ("plan", 30), ("review", 42)),
    "social_care": (("assessment", 1), ("assessment_authorised", 38), ("child_in_need_plan", 10)),
    "camhs": (("first_contact", 20), ("treatment", 60)),
    "mental_health_support_team": (("first_contact", 10), ("intervention", 14)),
    "ehc_needs_assessment": (("assessment", 1), ("draft_plan", 85), ("final_plan", 30)),
    "voluntary_sector": (("support", 7),),
}
DECISION_DAYS = {"early_help": 3, "social_care": 1, "camhs": 5, "mental_health_support_team": 4,
                 "ehc_needs_assessment": 26, "voluntary_sector": 3}


def _children(uow: UnitOfWork, actor: Actor) -> list[tuple[Family, dict[str, str]]]:
    """Each demo family's eldest child with an NHS number, as the import matches it (oldest family first)."""
    holding = {users_repo.get_agency_by_name(uow.session, a.name) for a in borough.CASE_HOLDING}
    holding_ids = {a.id for a in holding if a is not None}
    out = []
    for family in families_repo.all_visible(uow.session, actor):
        if family.owning_agency_id not in holding_ids:
            continue
        for person in sorted((p for p in family.people if p.role == "child"), key=lambda p: p.position):
            nhs = person.unseal(uow.keys, "nhs_number")
            if nhs:
                out.append((family, {"given_name": person.unseal(uow.keys, "given_name") or "",
                                     "family_name": person.unseal(uow.keys, "family_name") or "",
                                     "date_of_birth": person.unseal(uow.keys, "date_of_birth") or "",
                                     "nhs_number": nhs}))
                break
    return out


def _working(calendar: WorkingCalendar, day: dt.date, days: int) -> dt.date:
    return calendar.add_working_days(day, days) if days else day


def _working_days_before(calendar: WorkingCalendar, day: dt.date, n: int) -> dt.date:
    while n:
        day -= dt.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def history_csv(uow: UnitOfWork, actor: Actor, agency_names: dict, today: dt.date) -> bytes:
    calendar = WorkingCalendar()
    rows = []
    for family, child in _children(uow, actor):
        rng = random.Random(f"eastmere-referrals-{family.reference}")
        owner = agency_names[family.owning_agency_id]
        ward = rng.choice(WARDS)
        for n, pathway in enumerate(rng.sample(list(WALKS), rng.choice((1, 1, 2)))):
            received = today - dt.timedelta(days=rng.randint(25, 300))
            while received.weekday() >= 5:
                received -= dt.timedelta(days=1)
            sender, receiver = {
                "early_help": (rng.choice(SCHOOLS), owner if "Early Help" in owner or "Family Help" in owner
                               else borough.NORTH),
                "social_care": (owner, borough.FRONT_DOOR),
                "camhs": (GP, CAMHS),
                "mental_health_support_team": (rng.choice(SCHOOLS), MHST),
                "ehc_needs_assessment": (rng.choice(SCHOOLS), SEND),
                "voluntary_sector": (owner, YOUNG_CARERS),
            }[pathway]
            if sender == receiver:
                sender = rng.choice(SCHOOLS)
            row = {"record_id": f"DEMO-{family.reference}-{n + 1}", **child, "ward": ward, "pathway": pathway,
                   "from_agency": sender, "to_agency": receiver,
                   "urgency": rng.choices(("routine", "urgent"), (85, 15))[0], "received_on": received.isoformat()}
            slow = rng.random() < 0.2  # some decisions and stages run late, as in any borough
            decided = _working(calendar, received, max(0, DECISION_DAYS[pathway] + rng.randint(-1, 1)
                                                       + (rng.randint(2, 6) if slow else 0)))
            if decided < today:
                row["decided_on"] = decided.isoformat()
                if rng.random() < 0.15 and pathway != "ehc_needs_assessment":
                    row.update(decision="decline", signposted_to=rng.choice(
                        ("Eastmere Family Hub drop-in", "School nurse", "Eastmere Young Carers", "GP")))
                else:
                    row["decision"] = "accept"
                    stages, day = [], decided
                    for stage, gap in WALKS[pathway]:
                        day = day + dt.timedelta(days=max(0, int(gap * rng.uniform(0.6, 1.5 if slow else 1.1))))
                        if day >= today:
                            break
                        stages.append(f"{stage}={day.isoformat()}")
                    row["stages"] = ";".join(stages)
                    closed = day + dt.timedelta(days=rng.randint(20, 60))
                    if len(stages) == len(WALKS[pathway]) and closed < today and rng.random() < 0.7:
                        row.update(closed_on=closed.isoformat(), outcome="Needs met")
                    if pathway == "ehc_needs_assessment" and slow and rng.random() < 0.5:
                        row["exceptions"] = "10_4_c"
            if pathway == "social_care":
                _social_care_outcome(row, random.Random(f"eastmere-social-care-{family.reference}"), today)
            rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _social_care_outcome(row: dict, rng: random.Random, today: dt.date) -> None:
    """Some social care referrals end as a real front door's do: no further action at the decision, or closed
    straight after the assessment (stepped down to early help, or no further action). Its own `rng`, so the
    other pathways' history is what it always was."""
    if row.get("decision") != "accept":
        return
    if rng.random() < 0.2:
        row.update(decision="decline", signposted_to="Eastmere Family Hub drop-in", stages="", closed_on="",
                   outcome="")
        return
    stages = [s for s in (row.get("stages") or "").split(";") if s]
    if len(stages) >= 2 and rng.random() < 0.35:
        authorised = dt.date.fromisoformat(stages[1].split("=")[1])
        closed = authorised + dt.timedelta(days=rng.randint(1, 10))
        if closed < today:
            row.update(stages=";".join(stages[:2]), closed_on=closed.isoformat(), outcome="Closed after assessment")


def seed_referrals(uow: UnitOfWork, actor: Actor, practitioners: dict[str, list[Actor]]) -> dict[str, int]:
    """Import the history, make today's referrals, raise the nightly tasks; idempotent."""
    agency_names = {a.id: a.name for a in users_repo.list_agencies(uow.session)}
    by_name = {name: agency_id for agency_id, name in agency_names.items()}
    report = import_csv.import_referrals(uow, actor, borough.NORTH, history_csv(uow, actor, agency_names,
                                                                                      uow.today()))
    if not report.ok:  # the generator and the import disagree: a bug here, never the user's
        raise RuntimeError("demo referral history does not import: " + "; ".join(report.lines()[:5]))
    uow.commit()

    lead = practitioners[borough.NORTH][0]
    made = 0
    held = families_repo.all_visible(uow.session, lead, limit=3)  # the team's three oldest families
    today, calendar = uow.today(), WorkingCalendar()
    plans = [(borough.FRONT_DOOR, "social_care", "urgent", today,
              "Fictional: new worries about neglect at home after a school welfare visit."),
             (borough.FRONT_DOOR, "social_care", "routine", _working_days_before(calendar, today, 3),
              "Fictional: taken by phone on Monday; the family asked for more help than early help can give."),
             (CAMHS, "camhs", "routine", _working_days_before(calendar, today, 8),
              "Fictional: low mood and not sleeping for two months; the school counsellor's notes are attached.")]
    for n, (family, (to, pathway, urgency, received_on, reason)) in enumerate(zip(held, plans, strict=False)):
        child = next((p for p in family.people if p.role == "child"), None)
        if child is None:
            continue
        try:
            view = referrals.create_referral(
                uow, lead, family.id, child.id, pathway, by_name[to], reason, urgency, received_on=received_on,
                idempotency_key=f"demo-today-{n + 1}", sections_shared=["family_story"])
        except (NotFound, Conflict):  # not this team's family, or a seed interrupted before: nothing to add
            continue
        made += 0 if view.replayed else 1
    uow.commit()
    raised = tasks.raise_age_transition_tasks(uow, actor) + tasks.raise_phase_transfer_tasks(uow, actor)
    uow.commit()
    return {"history_imported": report.referrals_created, "made_today": made, "tasks_raised": raised}
