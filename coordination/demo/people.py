"""The demo borough's contact details: a fictional Eastmere address for each demo family (some with the address
they moved from), phone numbers from Ofcom's drama ranges, example.org email addresses, preferred languages (some
needing an interpreter), GP practices, schools with fictional URNs (1xxxxx) and the other professionals involved.
Written through the contacts service by each family's lead practitioner (attributed and audited as real entries
are), derived from the family's place in the borough, and added only to families with no address yet, so a
second seed adds nothing. One family's parent is recorded as having left the household.
"""
from __future__ import annotations

import datetime as dt
import random

from coordination.db import UnitOfWork
from coordination.domain.actors import Actor
from coordination.models import Family
from coordination.repositories import families as families_repo
from coordination.repositories import people as people_repo
from coordination.repositories import users as users_repo
from coordination.services import contacts, people
from coordination.services.auth import actor_for_user
from coordination.services.families import family_view

STREETS = ("Larch Row", "Quay Street", "Marsh Lane", "Heron Close", "Mill Walk", "Saltings Road", "Alder Court",
           "Ferry Way", "Wharf Terrace", "Reedbed Gardens")
# Eastmere's fictional postcode area, EM: not a real UK postcode area.
DISTRICTS = ("EM1", "EM2", "EM3", "EM4")
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LANGUAGES = (("English", False), ("English", False), ("English", False), ("Polish", True), ("Urdu", False),
             ("Romanian", True), ("British Sign Language", True), ("Arabic", True))
GP_PRACTICES = ("Marsh Lane Surgery (fictional)", "Quayside Medical Centre (fictional)",
                "Larchfield Family Practice (fictional)")
# Fictional URNs (1xxxxx): DfE has no establishment at these numbers in Eastmere, which does not exist.
SCHOOLS = (("Larkfield Infant and Nursery School (fictional)", "199101", 7),
           ("Riverside Primary School (fictional)", "199102", 11), ("Eastmere Academy (fictional)", "199103", 19))
PROFESSIONALS = (("Health visitor", "Eastmere Community Health (fictional)"),
                 ("School nurse", "Eastmere School Nursing Service (fictional)"),
                 ("Housing officer", "Eastmere Borough Council Housing (fictional)"),
                 ("Youth worker", "Eastmere Youth Service (fictional)"))
PRO_NAMES = ("Jo Reedwell", "Sam Ferrybridge", "Alex Saltmarsh", "Chris Heronsby")


def seed_contacts(uow: UnitOfWork, actor: Actor, families: int = 40) -> int:
    """Contact details on up to `families` demo families with a lead and no address yet; the families done."""
    done, someone_left = 0, False
    for index, family in enumerate(families_repo.all_visible(uow.session, actor)[:families]):
        if family.lead_practitioner_id is None or people_repo.list_addresses(uow.session, actor, family.id):
            continue
        lead = users_repo.get_user(uow.session, family.lead_practitioner_id)
        if lead is not None:
            someone_left = _write(uow, actor_for_user(lead), family, index, leaves=not someone_left) or someone_left
            done += 1
    uow.commit()
    return done


def _school(age: int | None) -> tuple[str | None, str | None]:
    for name, urn, below in SCHOOLS:
        if age is not None and 4 <= age < below:
            return name, urn
    return None, None


def _write(uow: UnitOfWork, lead: Actor, family: Family, index: int, *, leaves: bool) -> bool:
    """Write the family's contacts; True when a parent was recorded as having left the household."""
    view = family_view(uow.keys, family)
    rng = random.Random(f"eastmere-contacts-{index}")
    today = uow.today()
    if index == 0 or rng.random() < 0.3:
        _address(uow, lead, family, rng, today - dt.timedelta(days=rng.randint(1500, 3000)))
    _address(uow, lead, family, rng, today - dt.timedelta(days=rng.randint(60, 1400)))
    language, interpreter = rng.choice(LANGUAGES)
    practice = rng.choice(GP_PRACTICES)
    for n, person in enumerate(view.people):
        school, urn = _school(person.age_on(today)) if person.role == "child" else (None, None)
        adult = person.role != "child"
        contacts.update_contact(
            uow, lead, person.id, language=language, interpreter_needed=interpreter if adult else None,
            gp_practice=practice, school_name=school, school_urn=urn,
            phone=f"07700 900{rng.randint(0, 999):03d}" if adult else None,
            email=f"{_local(person.given_name)}.{n}@example.org" if adult and rng.random() < 0.6 else None)
    role, organisation = rng.choice(PROFESSIONALS)
    contacts.add_professional(uow, lead, family.id, name=rng.choice(PRO_NAMES), role=role, organisation=organisation,
                              contact=f"01632 960{rng.randint(0, 999):03d}")
    parents = [p for p in view.people if p.role == "parent_carer"]
    if leaves and len(parents) > 1:
        people.mark_left(uow, lead, parents[-1].id, today - dt.timedelta(days=45),
                         "Moved out after the parents separated; stays in touch with the children (fictional)")
        return True
    return False


def _local(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isascii() and ch.isalpha()) or "parent"


def _address(uow: UnitOfWork, lead: Actor, family: Family, rng: random.Random, moved_in_on: dt.date) -> None:
    district = rng.choice(DISTRICTS)
    contacts.record_address(
        uow, lead, family.id, line_1=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        line_2=f"Flat {rng.randint(1, 12)}" if rng.random() < 0.3 else None, town="Eastmere",
        postcode=f"{district} {rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}",
        moved_in_on=moved_in_on)
