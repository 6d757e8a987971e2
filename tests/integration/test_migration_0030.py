"""Migration 0030 adds whether a child's view at a review is confidential to that child (default: not); its
downgrade removes it, on both databases."""
from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from coordination.migrate import alembic_config, upgrade


def _columns(engine) -> dict[str, dict]:
    return {c["name"]: c for c in inspect(engine).get_columns("review_child_view")}


def test_a_childs_view_confidential_to_them_comes_and_goes_with_the_migration(fresh_database):
    engine = fresh_database.engine
    column = _columns(engine)["confidential"]
    assert column["nullable"] is False and column["default"] is not None
    command.downgrade(alembic_config(engine), "0027")
    assert "confidential" not in _columns(engine) and "words_ct" in _columns(engine)
    upgrade(engine)
    assert "confidential" in _columns(engine)
