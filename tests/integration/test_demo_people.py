"""The demo borough's people and contacts: every demo family has a fictional Eastmere address (some with the one
they moved from), contact details, GP practices, schools with fictional URNs and a professional involved; one parent
has left the household; a second seed adds nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from coordination import demo
from coordination.domain.actors import Actor
from coordination.models import Address, Person, Professional
from coordination.services import auth, contacts, families

CLI = Actor.system("cli")
PASSWORD = "demo-password-for-tests"


def test_demo_families_have_fictional_addresses_contacts_schools_and_professionals(uow, settings):
    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    addresses = uow.session.execute(select(func.count(Address.id))).scalar_one()
    professionals = uow.session.execute(select(func.count(Professional.id))).scalar_one()
    demo.seed(uow, CLI, settings, families=8, password=PASSWORD, say=lambda _m: None)
    assert uow.session.execute(select(func.count(Address.id))).scalar_one() == addresses >= 8
    assert uow.session.execute(select(func.count(Professional.id))).scalar_one() == professionals >= 8

    user = auth.sign_in(uow, "practitioner@eastmere.example", PASSWORD)
    actor = auth.actor_for_user(user)
    households = [contacts.household(uow, actor, f.id) for f in families.caseload(uow, actor)]
    assert households
    for household in households:
        current = [a for a in household.addresses if a.current]
        assert len(current) == 1 and current[0].postcode.startswith("EM") and current[0].town == "Eastmere"
        assert all(c.gp_practice and "(fictional)" in c.gp_practice for c in household.contacts.values())
        assert all(c.phone.startswith("07700 900") for c in household.contacts.values() if c.phone)
        assert all(c.email.endswith("@example.org") for c in household.contacts.values() if c.email)
        urns = [c.school_urn for c in household.contacts.values() if c.school_urn]
        assert all(len(u) == 6 and u.startswith("1") for u in urns)
        assert household.professionals
    assert uow.session.execute(select(func.count(Person.id)).where(Person.left_on.is_not(None))).scalar_one() == 1
    moved = uow.session.execute(select(func.count(Address.id)).where(Address.moved_out_on.is_not(None))).scalar_one()
    assert moved >= 1 and addresses == 8 + moved
