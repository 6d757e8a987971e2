"""Migration 0016 adds the case_note table and its downgrade removes it, on both databases."""
from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from coordination.migrate import alembic_config, upgrade


def test_case_notes_table_comes_and_goes_with_its_migration(fresh_database):
    engine = fresh_database.engine
    assert "case_note" in inspect(engine).get_table_names()
    command.downgrade(alembic_config(engine), "0009")
    assert "case_note" not in inspect(engine).get_table_names()
    upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("case_note")}
    assert {"with_whom_ct", "text_ct", "occurred_at", "child_seen", "seen_alone", "corrects_id"} <= columns
    assert "with_whom" not in columns and "text" not in columns  # only ciphertext is stored
