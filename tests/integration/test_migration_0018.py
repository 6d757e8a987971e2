"""Migration 0018 adds people's versions, leaving the household and contact details, the address and professional
tables; its downgrade removes them, on both databases. Only ciphertext columns hold personal text."""
from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from coordination.migrate import alembic_config, upgrade


def test_people_and_contacts_come_and_go_with_their_migration(fresh_database):
    engine = fresh_database.engine
    assert {"address", "professional"} <= set(inspect(engine).get_table_names())
    command.downgrade(alembic_config(engine), "0017")
    assert not {"address", "professional"} & set(inspect(engine).get_table_names())
    assert "version" not in {c["name"] for c in inspect(engine).get_columns("person")}
    upgrade(engine)
    person = {c["name"] for c in inspect(engine).get_columns("person")}
    assert {"version", "left_on", "left_reason_ct", "phone_ct", "email_ct", "language_ct", "interpreter_needed",
            "gp_practice_ct", "school_name_ct", "school_urn_ct"} <= person
    assert not {"phone", "email", "language", "gp_practice", "school_name", "school_urn", "left_reason"} & person
    address = {c["name"] for c in inspect(engine).get_columns("address")}
    assert {"line_1_ct", "postcode_ct", "moved_in_on", "moved_out_on"} <= address and "postcode" not in address
