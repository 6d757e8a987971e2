"""Migration 0017 adds Family Help's tables (and gives every existing family its plan); its downgrade removes
them, on both databases."""
from __future__ import annotations

import datetime as dt
import uuid

from alembic import command
from sqlalchemy import inspect, text

from coordination.migrate import alembic_config, upgrade

TABLES = {"lead_handover", "team_member", "family_plan", "plan_goal", "plan_action", "plan_change"}


def test_family_help_tables_come_and_go_and_existing_families_get_a_plan(fresh_database):
    engine = fresh_database.engine
    assert TABLES <= set(inspect(engine).get_table_names())
    command.downgrade(alembic_config(engine), "0016")
    assert not TABLES & set(inspect(engine).get_table_names())
    assert "lead_chosen_with_family" not in {c["name"] for c in inspect(engine).get_columns("family")}
    agency, family = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        now = dt.datetime.now(dt.UTC)
        conn.execute(text("INSERT INTO agency (id, name, type, created_at) VALUES (:id, 'Hub', 'council_early_help', "
                          ":now)"), {"id": agency.hex if conn.dialect.name == "sqlite" else agency, "now": now})
        conn.execute(text("INSERT INTO family (id, reference, owning_agency_id, created_at, updated_at) VALUES "
                          "(:id, 'EH-TEST17', :agency, :now, :now)"),
                     {"id": family.hex if conn.dialect.name == "sqlite" else family,
                      "agency": agency.hex if conn.dialect.name == "sqlite" else agency, "now": now})
    upgrade(engine)
    with engine.connect() as conn:
        plans = conn.execute(text("SELECT version, status FROM family_plan")).all()
    assert [tuple(p) for p in plans] == [(0, "open")]
    columns = {c["name"] for c in inspect(engine).get_columns("plan_goal")}
    assert "title_ct" in columns and "title" not in columns  # only ciphertext is stored
