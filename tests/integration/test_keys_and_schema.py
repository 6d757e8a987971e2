"""Key rotation re-encrypts everything; models and migrations never drift."""
import base64

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from audit.models import AuditBase
from coordination.crypto import KeyRing
from coordination.domain.actors import Actor
from coordination.models import Base, Person, SectionVersion
from coordination.services import assessment, keys

from ..conftest import actor_of


def test_rotation_moves_every_field_to_the_newest_key_and_text_survives(uow, practitioner, make_family):
    family = make_family(practitioner, children=("Rowan",))
    assessment.save_section(uow, actor_of(practitioner), family.id, "strengths", "Loves football.", 0)
    uow.commit()
    old = uow.keys
    new_ring = KeyRing([("t1", b"\x01" * 32), ("t2", base64.urlsafe_b64decode(base64.urlsafe_b64encode(b"\x05" * 32)))])
    uow.keys = new_ring
    seen = []
    counts = keys.rotate(uow, Actor.system("test"), batch_size=2, progress=seen.append)
    assert counts["section_version"] == 1 and counts["person"] >= 6
    assert sum(seen) == keys.count_rows(uow)
    for person in uow.session.execute(select(Person)).scalars():
        assert new_ring.key_id_of(person.given_name_ct) == "t2"
    version = uow.session.execute(select(SectionVersion)).scalar_one()
    assert version.unseal(new_ring, "content") == "Loves football."
    assert old.current_id == "t1"
    again = keys.rotate(uow, Actor.system("test"))
    assert sum(again.values()) == 0


def test_models_and_migrations_do_not_drift(database):
    with database.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, [Base.metadata, AuditBase.metadata])
    assert diff == []
