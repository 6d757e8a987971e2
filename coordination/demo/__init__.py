"""The fictional demo borough (Eastmere): agencies, staff and families for trying the service.

`seed(uow, actor, families=30)` is idempotent and resumable: agencies are found by name, staff by email,
and families are counted in the demo's case-holding teams; only what is missing is created. Family `i` is
generated from its own `random.Random`, so a run that stopped half way finishes with the same families a
single run would have made. Families go through the real services (encryption, blind indexes, the audit
chain), committed a few at a time so a large run never holds one long transaction.

Everything is invented: surnames no one is meant to have, NHS numbers in the 999 range (reserved for
testing), UPNs under local authority number 999 (not a real authority), emails at `.example`.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from coordination.config import Settings
from coordination.db import UnitOfWork
from coordination.demo import borough, casework, family_view, history, stories
from coordination.domain.actors import Actor, Role
from coordination.domain.identifiers import nhs_check_digit, upn_check_letter
from coordination.errors import NotPermitted
from coordination.models import (
    Agency,
    Assessment,
    AssessmentSection,
    CaseNote,
    Family,
    Person,
    Referral,
    SectionVersion,
    User,
    VoiceEntry,
)
from coordination.repositories import users as users_repo
from coordination.services import admin
from coordination.services.assessment import record_voice, save_section
from coordination.services.auth import actor_for_user, hash_password
from coordination.services.families import NewPerson, create_family

PASSWORD_FILE = "demo-password.txt"  # noqa: S105 - a file name, not a password
BATCH = 5


def seed(uow: UnitOfWork, actor: Actor, settings: Settings, families: int = 30, *, password: str | None = None,
         say: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load the demo borough; returns what it holds afterwards (the same on every later run).

    The staff password is `password`, else `settings.demo_password` (DEMO_PASSWORD), else one generated once
    into `<settings.instance_path>/demo-password.txt` (never in the repository). `say` reports where to find it.

    :raise NotPermitted: the settings are production's (demo accounts with a shared password must never exist
        in a live service).
    """
    if settings.is_production:
        raise NotPermitted("The demo borough is for development only: COORDINATION_ENV is production")
    say = say or (lambda message: print(message, file=sys.stderr))

    agencies = _ensure_agencies(uow, actor)
    uow.commit()
    actors, names = _ensure_staff(uow, actor, agencies, password, settings, say)
    uow.commit()

    today = uow.today()
    case_holding = [agencies[a.name] for a in borough.CASE_HOLDING]
    existing = _count(uow, select(func.count(Family.id)).where(Family.owning_agency_id.in_(case_holding)))
    for done, index in enumerate(range(existing, families), start=1):
        _create_family(uow, index, today, actors, names)
        if done % BATCH == 0:
            uow.commit()
            uow.session.expunge_all()
    uow.commit()
    history.seed_referrals(uow, actor, actors)
    casework.seed_casework(uow, actor)
    family_view.seed_family_view(uow, actor, settings, say)
    return totals(uow)


# ---- agencies and staff ----------------------------------------------------------------------------

def _ensure_agencies(uow: UnitOfWork, actor: Actor) -> dict[str, uuid.UUID]:
    ids = {}
    for demo in borough.AGENCIES:
        agency = users_repo.get_agency_by_name(uow.session, demo.name) or admin.add_agency(
            uow, actor, demo.name, demo.type.value, borough.CONTACTS.get(demo.name))
        ids[demo.name] = agency.id
    return ids


def _ensure_staff(uow: UnitOfWork, actor: Actor, agencies: dict[str, uuid.UUID], password: str | None,
                  settings: Settings, say: Callable[[str], None]
                  ) -> tuple[dict[str, list[Actor]], dict[uuid.UUID, str]]:
    """Practitioner actors by agency name, and every demo user's display name by id."""
    everyone = borough.STAFF + borough.LEAVERS
    users = {s.email: users_repo.get_user_by_email(uow.session, s.email) for s in everyone}
    missing = [s for s in everyone if users[s.email] is None]
    if missing:
        secret, where = resolve_password(password, settings)
        # One argon2 hash for every demo account: argon2 is slow on purpose, and they share a password.
        digest = hash_password(secret)
        for staff in missing:
            user = User(email=staff.email, name=staff.name, agency_id=agencies[staff.agency], role=staff.role.value,
                        password_hash=digest, active=staff not in borough.LEAVERS)
            uow.session.add(user)
            uow.session.flush()
            uow.audit(actor, "create", "staff_user", user.id, role=staff.role.value,
                      agency=str(agencies[staff.agency]), demo=True)
            users[staff.email] = user
        say(f"Demo staff created, one password for all (in {where}); sign in as any of:\n"
            + "\n".join(borough.roll_call()))
    else:
        where = "DEMO_PASSWORD" if settings.demo_password else str(settings.instance_path / PASSWORD_FILE)
        say(f"Demo staff already exist, one password for all (set from {where}); sign in as any of:\n"
            + "\n".join(borough.roll_call()))
    actors: dict[str, list[Actor]] = {}
    for staff in borough.STAFF:
        if staff.role == Role.PRACTITIONER:
            found = users[staff.email]
            assert found is not None
            actors.setdefault(staff.agency, []).append(actor_for_user(found))
    names = {u.id: u.name for u in users.values() if u is not None}
    return actors, names


def resolve_password(password: str | None, settings: Settings) -> tuple[str, str]:
    """(password, where it came from). Generated once into the instance folder, readable by its owner only."""
    if password:
        return password, "the password passed to seed()"
    if settings.demo_password:
        return settings.demo_password, "the DEMO_PASSWORD environment variable"
    instance = settings.instance_path
    path = instance / PASSWORD_FILE
    if path.exists():
        return path.read_text().strip(), str(path)
    instance.mkdir(parents=True, exist_ok=True)
    value = "-".join(secrets.token_urlsafe(4) for _ in range(4))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value, str(path)


# ---- families ---------------------------------------------------------------------------------------

@dataclass
class _Child:
    name: str
    age: int
    dob: dt.date
    months: int = 0

    @property
    def age_text(self) -> str:
        return f"{self.months} months" if self.age == 0 else str(self.age)


def _years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _nhs_number(serial: int) -> str:
    """A valid NHS number in the 999 test range; `serial` (below 62,500 × 16) keeps each one unique."""
    for candidate in (serial, serial + 8):
        body = f"999{(candidate * 7919 + 123457) % 1_000_000:06d}"  # a bijection: looks random, never repeats
        check = nhs_check_digit(body)
        if check is not None:
            return body + str(check)
    raise AssertionError("unreachable: one of two neighbours always has a check digit")  # pragma: no cover


def _upn(index: int, child: int, age: int, today: dt.date) -> str:
    school = borough.SCHOOLS["Larkfield Infant and Nursery School" if age % 2 else "Riverside Primary School"]
    year = (today.year - (age - 4)) % 100  # allocated on starting school at 4
    body = f"{borough.UPN_LA_CODE}{school}{year:02d}{(index * 4 + child) % 1000:03d}"
    return upn_check_letter(body) + body


def _school_for(age: int) -> str:
    if age < 7:
        return "Larkfield Infant and Nursery School"
    if age < 11:
        return "Riverside Primary School"
    return "Eastmere Academy" if age < 16 else "Eastmere Academy sixth form"


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _fill(text: str, ctx: dict[str, str]) -> str:
    return text.format_map(ctx)


def _children(rng: random.Random, theme: stories.Theme, today: dt.date) -> tuple[_Child, list[_Child]]:
    """The theme's focus child, and every child of the family eldest first."""
    n_children = max(theme.min_children, rng.choices((1, 2, 3, 4), weights=(30, 35, 22, 13))[0])
    child_names = rng.sample(borough.GIVEN_CHILD, n_children)
    focus_age = rng.randint(*theme.focus_ages)
    ages = [focus_age] + [rng.randint(2, 12) if theme.key == "new_baby" else rng.randint(0, 17)
                          for _ in range(n_children - 1)]
    children = []
    for name, age in zip(child_names, ages, strict=True):
        months = rng.randint(2, 10) if age == 0 else 0
        dob = (today - dt.timedelta(days=months * 30 + rng.randint(0, 25)) if age == 0
               else _years_ago(today, age) - dt.timedelta(days=rng.randint(0, 360)))
        children.append(_Child(name, age, dob, months))
    focus = children[0]
    children.sort(key=lambda c: c.dob)  # eldest first
    return focus, children


def _create_family(uow: UnitOfWork, index: int, today: dt.date, actors: dict[str, list[Actor]],
                   names: dict[uuid.UUID, str]) -> None:
    rng = random.Random(f"eastmere-family-{index}")
    theme = stories.THEMES[index % len(stories.THEMES)]
    team = rng.choices(borough.CASE_HOLDING, weights=[a.caseload_weight for a in borough.CASE_HOLDING])[0]
    practitioners = actors[team.name]
    lead = rng.choice(practitioners)
    if index % 3 == 0:
        # Every third family is led by the headline practitioner (practitioner@), who signs in first.
        team, lead = borough.CASE_HOLDING[0], actors[borough.CASE_HOLDING[0].name][0]

    surname = borough.FAMILY_SURNAMES[index % len(borough.FAMILY_SURNAMES)]
    focus, children = _children(rng, theme, today)
    n_children = len(children)

    mother = theme.mother or rng.random() < 0.75
    couple = theme.couple or (theme.key not in ("domestic_abuse", "young_carer") and rng.random() < 0.4)
    p1 = rng.choice(borough.GIVEN_FEMALE if mother else borough.GIVEN_MALE)
    p2 = rng.choice(borough.GIVEN_MALE if mother else borough.GIVEN_FEMALE) if couple else ""
    other_surname = borough.FAMILY_SURNAMES[(index * 7 + 3) % len(borough.FAMILY_SURNAMES)]
    p2_surname = surname if rng.random() < 0.7 else other_surname
    eldest_age = children[0].age
    serial = index * 16

    people = [NewPerson("parent_carer", p1, surname, _years_ago(today, min(55, eldest_age + rng.randint(19, 32)))
                        - dt.timedelta(days=rng.randint(0, 360)),
                        nhs_number=_nhs_number(serial) if rng.random() < 0.7 else None)]
    if couple:
        people.append(NewPerson("parent_carer", p2, p2_surname,
                                _years_ago(today, min(58, eldest_age + rng.randint(19, 35)))
                                - dt.timedelta(days=rng.randint(0, 360)),
                                nhs_number=_nhs_number(serial + 1) if rng.random() < 0.6 else None))
    for i, child in enumerate(children):
        people.append(NewPerson("child", child.name, surname, child.dob, nhs_number=_nhs_number(serial + 2 + i),
                                upn=_upn(index, i, child.age, today) if child.age >= 4 else None))

    family = create_family(uow, lead, people, confirm_new=True, lead_practitioner_id=lead.user_id)
    kids = _names([f"{c.name} ({c.age_text})" for c in children])
    ctx = {
        "p1": p1, "p2": p2, "p1_call": "Mum" if mother else "Dad", "p1_they": "she" if mother else "he",
        "focus": focus.name, "focus_age": str(focus.age), "focus_months": str(focus.months),
        "kids": _names([c.name for c in children]), "eldest": children[0].name, "youngest": children[-1].name,
        "school": _school_for(focus.age), "practitioner": names[lead.user_id] if lead.user_id else "",
        "agency": team.name, "surname": surname,
        "household_sentence": (f"I live with my partner {p2} and our children {kids}." if couple and n_children > 1
                               else f"I live with my partner {p2} and our child {kids}." if couple
                               else f"I live with my children {kids}." if n_children > 1
                               else f"I live with my child {kids}."),
    }
    by_id = {(p.given_name, p.role): p.id for p in family.people}
    voices = _write_voice(uow, lead, family.id, rng, theme, children, focus, by_id, ctx, today)
    _write_sections(uow, lead, family.id, rng, theme, children, ctx, voices, couple)


def _write_voice(uow: UnitOfWork, lead: Actor, family_id: uuid.UUID, rng: random.Random, theme: stories.Theme,
                 children: list[_Child], focus: _Child, by_id: dict, ctx: dict[str, str],
                 today: dt.date) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    for child in children:
        band = stories.age_band(child.age)
        if child is focus and theme.voice and child.age >= 8:
            pool = [("advocate" if line.startswith("Through an advocate") else "own_words", line)
                    for line in theme.voice]
        else:
            pool = list(stories.VOICE_BY_AGE[band])
        for method, words in rng.sample(pool, min(len(pool), rng.randint(1, 2))):
            text = _fill(words, {**ctx, "name": child.name})
            record_voice(uow, lead, family_id, by_id[(child.name, "child")], text, method,
                         today - dt.timedelta(days=rng.randint(3, 90)), section_key="child_voice")
            said.append((child.name, text))
    return said


def _write_sections(uow: UnitOfWork, lead: Actor, family_id: uuid.UUID, rng: random.Random, theme: stories.Theme,
                    children: list[_Child], ctx: dict[str, str], voices: list[tuple[str, str]], couple: bool) -> None:
    def fill(text: str) -> str:
        return _fill(text, ctx)

    story = "\n\n".join(fill(p) for p in theme.story) + "\n\n" + fill(rng.choice(stories.OPENING_CLOSE))
    if couple:
        story += f"\n\n{ctx['p2']} and I wrote this together."
    summary = "What the children told us, in short (their own words are recorded separately):\n" + "\n".join(
        f"- {name}: \u201c{words[:140].rstrip()}{'…' if len(words) > 140 else ''}\u201d" for name, words in voices)
    strengths_pool = [s for s in stories.STRENGTHS if len(children) > 1 or "{youngest}" not in s]
    goals = [(fill(g), fill(a), fill(w), fill(b)) for g, a, w, b in theme.plan]
    plan = "\n\n".join(f"{n}. What we want: {g}\n   What will happen: {a}\n   Who: {w}\n   By when: {b}"
                       for n, (g, a, w, b) in enumerate(goals, start=1))
    team = [f"- {ctx['practitioner']}, lead practitioner ({ctx['agency']})"]
    if any(c.age >= 4 for c in children):
        team.append(f"- {ctx['school']}: class teacher and the designated safeguarding lead")
    team += [f"- {helper}" for helper in theme.helpers]
    sections = {
        "family_story": story,
        "worries": fill(theme.worries),
        "child_voice": summary,
        "strengths": "\n".join(f"- {fill(s)}" for s in rng.sample(strengths_pool, rng.randint(3, 4))),
        "family_plan": plan,
        "team_around_family": "\n".join(team) + "\n\n" + fill(stories.TEAM_CLOSE),
        "child_development": "\n\n".join(_child_line(c, rng) for c in children),
        "parenting": fill(rng.choice([p for p in stories.PARENTING if children[0].age >= 11 or "in charge" not in p])),
        "family_environment": fill(rng.choice(stories.ENVIRONMENT)),
        "health": fill(theme.health),
        "education_send": _education(children, rng, theme, ctx),
        "safety": fill(theme.safety) if theme.safety else (
            f"No worries about harm have been raised by the family or by anyone working with them. {ctx['p1']} "
            "knows to call the Front Door (or 999 in an emergency) if that changes."),
    }
    # Assessments are at different stages: some families have only just started.
    if rng.random() < 0.15:
        keys = ["family_story", "worries", "child_voice"]
    else:
        optional = ["child_development", "parenting", "family_environment", "health", "education_send", "safety"]
        keys = ["family_story", "child_voice", "strengths", "worries", "family_plan", "team_around_family"]
        keys += rng.sample(optional, rng.randint(3, len(optional)))
        if theme.safety and "safety" not in keys:
            keys.append("safety")
    for key in keys:
        save_section(uow, lead, family_id, key, sections[key], 0)
    if "family_plan" in keys and rng.random() < 0.35:
        review = (f"{plan}\n\nReview at the Team Around the Family meeting: goal 1 is going well; goal 2 has "
                  f"started; goal 3 moved back a month because {ctx['p1']} was unwell. Next review in six weeks.")
        save_section(uow, lead, family_id, "family_plan", review, 1)


def _child_line(child: _Child, rng: random.Random) -> str:
    band = stories.age_band(child.age)
    return stories.CHILD_LINES[band].format(
        name=child.name, age_text=f"{child.age_text}" + ("" if child.age == 0 else " years"),
        school=_school_for(child.age), school_year=stories.school_year(child.age),
        interest=rng.choice(stories.INTERESTS), course=rng.choice(stories.COURSES))


def _education(children: list[_Child], rng: random.Random, theme: stories.Theme, ctx: dict[str, str]) -> str:
    lines = []
    for child in children:
        if child.age < 3:
            continue
        if child.age < 5:
            lines.append(f"{child.name}: nursery mornings at Larkfield, settling in well.")
            continue
        attendance = rng.randint(62, 99) if child.name != ctx["focus"] else rng.randint(42, 90)
        need = ("on SEN support; an EHC needs assessment is being requested"
                if theme.key == "send" and child.name == ctx["focus"]
                else rng.choice(("no special educational needs identified", "on SEN support for reading",
                                 "on SEN support for speech and language", "no special educational needs "
                                 "identified; gifted in art")))
        lines.append(f"{child.name}: {stories.school_year(child.age)} at {_school_for(child.age)}; attendance "
                     f"{attendance}% this term; {need}.")
    return "\n".join(lines) or "None of the children is of school or nursery age yet."


# ---- what the demo holds ---------------------------------------------------------------------------

def _count(uow: UnitOfWork, query) -> int:
    return int(uow.session.execute(query).scalar_one())


def totals(uow: UnitOfWork) -> dict[str, int]:
    """Counts of what the demo borough holds (agencies, staff, families and their records)."""
    agency_ids = select(Agency.id).where(Agency.name.in_([a.name for a in borough.AGENCIES]))
    holding = select(Agency.id).where(Agency.name.in_([a.name for a in borough.CASE_HOLDING]))
    family_ids = select(Family.id).where(Family.owning_agency_id.in_(holding))
    section_ids = (select(AssessmentSection.id).join(Assessment, Assessment.id == AssessmentSection.assessment_id)
                   .where(Assessment.family_id.in_(family_ids)))
    return {
        "agencies": _count(uow, select(func.count()).select_from(agency_ids.subquery())),
        "staff": _count(uow, select(func.count(User.id)).where(User.email.in_([s.email for s in borough.STAFF]))),
        "families": _count(uow, select(func.count()).select_from(family_ids.subquery())),
        "people": _count(uow, select(func.count(Person.id)).where(Person.family_id.in_(family_ids))),
        "sections_written": _count(uow, select(func.count(AssessmentSection.id)).where(
            AssessmentSection.id.in_(section_ids), AssessmentSection.version > 0)),
        "section_versions": _count(uow, select(func.count(SectionVersion.id)).where(
            SectionVersion.section_id.in_(section_ids))),
        "voice_entries": _count(uow, select(func.count(VoiceEntry.id)).where(VoiceEntry.family_id.in_(family_ids))),
        "referrals": _count(uow, select(func.count(Referral.id)).where(Referral.family_id.in_(family_ids))),
        "case_notes": _count(uow, select(func.count(CaseNote.id)).where(CaseNote.family_id.in_(family_ids))),
    }
