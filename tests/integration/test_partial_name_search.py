"""Partial name search (issue 15): the start of a first or last name finds the families the caller's agency holds,
never another agency's, through blind-indexed prefixes keyed by the holding agency; corrections and
`flask keys reindex` keep the prefixes true; fewer than 3 letters is refused; the audit names no search term."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from audit.models import AuditEvent
from coordination.domain.actors import Actor
from coordination.errors import Invalid
from coordination.models import Person, PersonNamePrefix
from coordination.services import families, keys, people

from ..conftest import actor_of


def _ids(found) -> list:
    return [f.id for f in found]


def test_the_start_of_a_name_finds_only_the_callers_own_families(uow, practitioner, outsider, make_family):
    ours = make_family(practitioner, children=("Rowan",), parent="Morgan", surname="Fernleaf")
    theirs = make_family(outsider, children=("Rowan",), parent="Morgan", surname="Fernleaf")
    me, them = actor_of(practitioner), actor_of(outsider)

    assert _ids(families.search_families(uow, me, name="fer")) == [ours.id]         # a last name's start
    assert _ids(families.search_families(uow, me, name="ROW")) == [ours.id]         # a first name, any case
    assert _ids(families.search_families(uow, me, name="Mor Fernle")) == [ours.id]  # both, as two words
    assert _ids(families.search_families(uow, me, name="Fernleafs")) == []          # longer than the name
    assert _ids(families.search_families(uow, me, name="Rowan Smith")) == []        # every word must match
    assert _ids(families.search_families(uow, them, name="fern")) == [theirs.id]    # each agency its own
    # The same start of a name is indexed under unrelated digests in the two agencies.
    ours_digests = set(uow.session.execute(select(PersonNamePrefix.digest).join(Person)
                                           .where(Person.family_id == ours.id)).scalars())
    theirs_digests = set(uow.session.execute(select(PersonNamePrefix.digest).join(Person)
                                             .where(Person.family_id == theirs.id)).scalars())
    assert ours_digests and not ours_digests & theirs_digests

    uow.commit()
    event = uow.session.execute(select(AuditEvent).where(AuditEvent.record_type == "family_search")
                                .order_by(AuditEvent.seq.desc())).scalars().first()
    assert event.details == {"results": 1, "by": "partial_name"} and "fern" not in str(event.details).lower()


def test_fewer_than_3_letters_is_refused_and_a_long_search_checks_the_whole_word(uow, practitioner, make_family):
    family = make_family(practitioner, children=("Alexandrina",), parent="Morgan", surname="Quillfeather")
    me = actor_of(practitioner)
    with pytest.raises(Invalid) as refused:
        families.search_families(uow, me, name="Qu")
    assert refused.value.errors == {"name": ["Enter at least 3 letters of a first or last name"]}
    with pytest.raises(Invalid):
        families.search_families(uow, me, name="Quill A")
    # Beyond the 10 indexed letters, the candidates' own names decide.
    assert _ids(families.search_families(uow, me, name="Alexandrina")) == [family.id]
    assert _ids(families.search_families(uow, me, name="Alexandrinx")) == []
    assert _ids(families.search_families(uow, me, name="o'quill")) == []  # punctuation aside, still a start


def test_a_correction_and_a_reindex_keep_the_prefixes_true(uow, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",), parent="Morgan", surname="Fernleaf")
    me = actor_of(practitioner)
    child = next(p for p in family.people if p.role == "child")
    people.correct_person(uow, me, child.id, {"given_name": "Robin"}, "Spelt wrongly at first", None)
    uow.commit()
    assert _ids(families.search_families(uow, me, name="robi")) == [family.id]
    assert _ids(families.search_families(uow, me, name="rowa")) == []

    # People recorded before the prefixes existed are found once `flask keys reindex` has run.
    uow.session.execute(delete(PersonNamePrefix))
    uow.commit()
    uow.session.expire_all()
    assert _ids(families.search_families(uow, me, name="fern")) == []
    assert keys.reindex(uow, Actor.system("test")) == {"person": 2}
    assert _ids(families.search_families(uow, me, name="fern")) == [family.id]
    assert keys.reindex(uow, Actor.system("test")) == {"person": 0}
