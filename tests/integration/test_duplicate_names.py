"""The same child typed another way (a curly apostrophe, a dash, an invisible character, a look-alike letter) is
still found as a likely duplicate; the name shown is the one typed; indexes written under the old matching
rules are found again after `flask keys reindex`."""
import datetime as dt
import unicodedata

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.errors import Conflict
from coordination.models import Person
from coordination.services import families, keys
from coordination.services.families import NewPerson

from ..conftest import actor_of

# (as recorded, as typed the second time)
VARIANTS = {
    "curly apostrophe": ("O'Brien", "O\u2019Brien"),
    "en dash": ("Smith-Jones", "Smith\u2013Jones"),
    "soft hyphen": ("Quillfeather", "Quill\u00adfeather"),
    "zero-width space": ("Quillfeather", "Quill\u200bfeather"),
    "zero-width joiner": ("Quillfeather", "Quill\u200dfeather"),
    "hyphen added": ("Smith Jones", "Smith-Jones"),
    "hyphen added to one word": ("Smithjones", "Smith-Jones"),
    "Cyrillic i homoglyph": ("Smith", "Sm\u0456th"),
}
BORN = dt.date(2014, 6, 1)


def _old_normalise(value: str) -> str:
    """The matching rule blind indexes were written under before name_match_key (crypto.normalise)."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().replace("-", " ").replace("'", "").split())


@pytest.mark.parametrize(("recorded", "typed"), VARIANTS.values(), ids=VARIANTS.keys())
def test_create_family_finds_the_child_when_the_surname_is_typed_another_way(
        uow, practitioner, make_family, recorded, typed):
    existing = make_family(practitioner, children=("Rowan",), parent=None, surname=recorded)

    with pytest.raises(Conflict) as caught:
        families.create_family(uow, actor_of(practitioner), [NewPerson("child", "Rowan", typed, BORN)])
    uow.rollback()

    [candidate] = caught.value.details["candidates"]
    assert candidate.id == existing.id and candidate.people[0].family_name == recorded


def test_create_family_finds_the_child_when_both_names_are_typed_another_way(uow, practitioner, make_family):
    existing = make_family(practitioner, children=("Ivan",), parent=None, surname="O'Brien")
    typed = [NewPerson("child", "\u0406van\u200b", "o\u2019 brien", BORN)]  # Cyrillic capital І, zero-width space

    with pytest.raises(Conflict) as caught:
        families.create_family(uow, actor_of(practitioner), typed)
    uow.rollback()

    assert [c.id for c in caught.value.details["candidates"]] == [existing.id]


def test_the_name_shown_is_the_one_typed_not_its_match_key(uow, practitioner, make_family):
    make_family(practitioner, children=("Rowan",), parent=None, surname="O'Brien")

    created = families.create_family(uow, actor_of(practitioner), [NewPerson("child", "Rowan", "O\u2019Brien", BORN)],
                                     confirm_new=True)
    uow.commit()

    shown = families.get_family(uow, actor_of(practitioner), created.id)
    assert [(p.given_name, p.family_name) for p in shown.people] == [("Rowan", "O\u2019Brien")]


def test_search_by_name_finds_the_child_typed_another_way(uow, practitioner, make_family):
    mine = make_family(practitioner, children=("Juniper",), parent=None, surname="Smith-Jones")

    found = families.search_families(uow, actor_of(practitioner), given_name="JUNIPER", family_name="Smith\u2013Jones",
                                     date_of_birth=BORN)

    assert [f.id for f in found] == [mine.id]


def _write_old_indexes(uow, family_id) -> None:
    """Put back the indexes a person had before name_match_key, as a database upgraded in place would hold."""
    for person in uow.session.execute(select(Person).where(Person.family_id == family_id)).scalars():
        given, family = person.unseal(uow.keys, "given_name"), person.unseal(uow.keys, "family_name")
        dob = _old_normalise(person.unseal(uow.keys, "date_of_birth"))
        person.name_dob_bidx = uow.blind("name_dob", _old_normalise(given), _old_normalise(family), dob)
        person.surname_dob_bidx = uow.blind("surname_dob", _old_normalise(family), dob)
    uow.commit()


def test_an_index_written_under_the_old_rules_is_found_after_reindexing(uow, practitioner, make_family):
    existing = make_family(practitioner, children=("Rowan",), parent="Morgan", surname="O'Brien")
    _write_old_indexes(uow, existing.id)
    actor = actor_of(practitioner)
    assert families.search_families(uow, actor, given_name="Rowan", family_name="O'Brien", date_of_birth=BORN) == []

    counts = keys.reindex(uow, Actor.system("test"), batch_size=1)

    assert counts == {"person": 2}
    found = families.search_families(uow, actor, given_name="Rowan", family_name="O\u2019Brien", date_of_birth=BORN)
    assert [f.id for f in found] == [existing.id]
    with pytest.raises(Conflict):
        families.create_family(uow, actor, [NewPerson("child", "Rowan", "O\u2019Brien", BORN)])
    uow.rollback()
    assert keys.reindex(uow, Actor.system("test")) == {"person": 0}
    events = uow.session.execute(select(AuditEvent).where(AuditEvent.action == "blind_reindex")
                                 .order_by(AuditEvent.seq)).scalars().all()
    assert [e.details["changed"] for e in events] == [1, 1, 0]


def test_cli_reindex_recomputes_old_indexes_and_a_second_run_changes_nothing(app, uow, practitioner, make_family):
    existing = make_family(practitioner, children=("Rowan",), parent=None, surname="Smith-Jones")
    _write_old_indexes(uow, existing.id)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["keys", "reindex"])
    again = runner.invoke(args=["keys", "reindex"])

    assert first.exit_code == 0, first.output
    assert "person: 1 rows re-indexed" in first.output and "person: 0 rows re-indexed" in again.output
    found = families.search_families(uow, actor_of(practitioner), given_name="Rowan", family_name="Smith Jones",
                                     date_of_birth=BORN)
    assert [f.id for f in found] == [existing.id]
