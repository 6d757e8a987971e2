"""Migration 0028 adds who a section is confidential to in the family's own view (and who marked it, when); its
downgrade removes them, on both databases."""
from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from coordination.migrate import alembic_config, upgrade

COLUMNS = {"confidential_to_person_id", "confidential_marked_by_id", "confidential_marked_at"}


def _columns(engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("assessment_section")}


def test_sections_confidential_to_a_young_person_come_and_go_with_the_migration(fresh_database):
    engine = fresh_database.engine
    assert COLUMNS <= _columns(engine)
    command.downgrade(alembic_config(engine), "0024")
    assert not COLUMNS & _columns(engine)
    assert "completed_at" in _columns(engine)
    upgrade(engine)
    assert COLUMNS <= _columns(engine)
    foreign = {fk["referred_table"] for fk in inspect(engine).get_foreign_keys("assessment_section")}
    assert {"person", "staff_user"} <= foreign
