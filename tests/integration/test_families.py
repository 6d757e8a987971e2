"""Creating and finding families: validation, duplicates the caller may see, exact-match search."""
import datetime as dt

import pytest

from coordination.errors import Conflict, Invalid
from coordination.services import families
from coordination.services.families import NewPerson

from ..conftest import actor_of


def test_likely_duplicate_by_nhs_number_is_shown_before_creating(uow, practitioner, make_family):
    existing = make_family(practitioner, children=("Rowan",), nhs_numbers=("9434765919",))
    again = [NewPerson("child", "Ro", "Differentname", dt.date(2015, 1, 1), nhs_number="943 476 5919")]
    with pytest.raises(Conflict) as caught:
        families.create_family(uow, actor_of(practitioner), again)
    uow.rollback()
    assert [c.id for c in caught.value.details["candidates"]] == [existing.id]


def test_likely_duplicate_by_surname_and_date_of_birth_despite_spelling(uow, practitioner, make_family):
    make_family(practitioner, children=("Rowan",), surname="Testfamily")
    again = [NewPerson("child", "Rowen", "TESTFAMILY", dt.date(2014, 6, 1))]
    with pytest.raises(Conflict):
        families.create_family(uow, actor_of(practitioner), again)


def test_duplicates_in_another_agency_are_not_revealed(uow, practitioner, outsider, make_family):
    make_family(practitioner, children=("Rowan",), nhs_numbers=("9434765919",))
    again = [NewPerson("child", "Rowan", "Testfamily", dt.date(2014, 6, 1), nhs_number="9434765919")]
    created = families.create_family(uow, actor_of(outsider), again)
    uow.commit()
    assert created.owning_agency_id == outsider.agency_id


def test_confirmed_new_family_is_created_despite_candidates(uow, practitioner, make_family):
    make_family(practitioner, children=("Rowan",))
    again = [NewPerson("child", "Rowan", "Testfamily", dt.date(2014, 6, 1))]
    created = families.create_family(uow, actor_of(practitioner), again, confirm_new=True)
    assert created.reference.startswith("EH-")


def test_invalid_identifiers_are_reported_per_field(uow, practitioner):
    people = [NewPerson("child", "", "Testfamily", dt.date(2030, 1, 1), nhs_number="1234567890", upn="X1")]
    with pytest.raises(Invalid) as caught:
        families.create_family(uow, actor_of(practitioner), people)
    assert set(caught.value.errors) == {"people.0.given_name", "people.0.date_of_birth", "people.0.nhs_number",
                                        "people.0.upn"}


def test_search_by_name_and_date_of_birth_finds_only_visible_families(uow, practitioner, outsider, make_family):
    mine = make_family(practitioner, children=("Juniper",), surname="Quillfeather")
    found = families.search_families(uow, actor_of(practitioner), given_name="juniper", family_name="Quillfeather",
                                     date_of_birth=dt.date(2014, 6, 1))
    assert [f.id for f in found] == [mine.id]
    assert found[0].name == "Quillfeather family"
    assert families.search_families(uow, actor_of(outsider), given_name="Juniper", family_name="Quillfeather",
                                    date_of_birth=dt.date(2014, 6, 1)) == []


def test_search_by_reference(uow, practitioner, make_family):
    mine = make_family(practitioner)
    assert [f.id for f in families.search_families(uow, actor_of(practitioner), reference=mine.reference.lower())] \
        == [mine.id]


def test_caseload_lists_families_led_by_the_practitioner(uow, practitioner, manager, make_family):
    mine = make_family(practitioner)
    assert [f.id for f in families.caseload(uow, actor_of(practitioner))] == [mine.id]
    assert families.caseload(uow, actor_of(manager)) == []
