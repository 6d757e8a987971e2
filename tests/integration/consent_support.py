"""Helpers shared by the consent, disclosure and access-log tests (plain functions, no fixtures)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coordination.domain.actors import Actor
from coordination.domain.consent import add_months, england_date
from coordination.errors import NotFound
from coordination.services import assessment, auth
from coordination.services.families import NewPerson, create_family
from coordination.services.sharing import consent, disclosure

from .. import factories
from ..conftest import actor_of


@dataclass
class Household:
    id: object
    parent: object
    teen: object       # 17 today: presumed competent
    child: object      # 14 today: competent only when assessed
    little: object     # 6


def today(uow) -> dt.date:
    return england_date(uow.now())


def born(uow, years: int) -> dt.date:
    return add_months(today(uow), -12 * years) - dt.timedelta(days=30)


def household(uow, user, surname: str = "Larkspur") -> Household:
    people = [NewPerson("parent_carer", "Morgan", surname, dt.date(1985, 3, 3)),
              NewPerson("child", "Teagan", surname, born(uow, 17)),
              NewPerson("child", "Cody", surname, born(uow, 14)),
              NewPerson("child", "Pip", surname, born(uow, 6))]
    family = create_family(uow, actor_of(user), people, confirm_new=True)
    uow.commit()
    parent, teen, child, little = (p.id for p in family.people)
    return Household(family.id, parent, teen, child, little)


def partner(uow, name: str, agency_type: str, scopes=("read:assessment",)):
    """A partner agency and an API-key actor for it."""
    agency = factories.AgencyFactory(name=name, type=agency_type)
    key, _ = auth.issue_api_key(uow, Actor.system("test"), agency.id, f"{name} key", list(scopes))
    uow.commit()
    return agency, auth.actor_for_key(key)


def write(uow, user, family_id, keys) -> None:
    for key in keys:
        assessment.save_section(uow, actor_of(user), family_id, key, f"Text of {key}.", 0)
    uow.commit()


def give(uow, user, family_id, giver, capacity="parent_with_pr", sections=("strengths",), agencies=(), types=(),
         **kw):
    view = consent.record_consent(
        uow, actor_of(user), family_id, given_by=giver, capacity=capacity, sections=list(sections),
        recipients={"agencies": [a.id for a in agencies], "agency_types": list(types)},
        purpose=kw.pop("purpose", "To help the family with school and health"), **kw)
    uow.commit()
    return view


def seen(uow, actor, family_id) -> set[str] | None:
    """Section keys the partner receives, or None for 404."""
    try:
        view = disclosure.disclose_assessment(uow, actor, family_id)
    except NotFound:
        uow.rollback()
        return None
    uow.commit()
    return {s.key for s in view.sections}
