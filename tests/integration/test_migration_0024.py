"""Migration 0024 adds the family's own access (invitations, codes, released sections, proposals), voice entries'
confidentiality and who added them, and consents withdrawn by a family member; its downgrade removes them, on both
databases, and a given consent stays immutable all the way (the SQLite rebuild must not lose its trigger)."""
from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from coordination.migrate import alembic_config, upgrade

TABLES = {"family_access", "family_sign_in_code", "family_section_release", "family_proposal"}


def _consent_is_guarded(engine) -> bool:
    """The trigger that keeps a given consent immutable is in place."""
    query = ("SELECT count(*) FROM pg_trigger WHERE tgname = 'consent_immutable'" if engine.dialect.name == "postgresql"
             else "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'consent_immutable'")
    with engine.connect() as conn:
        return conn.execute(text(query)).scalar() == 1


def test_the_familys_own_access_comes_and_goes_with_its_migration(fresh_database):
    engine = fresh_database.engine
    assert TABLES <= set(inspect(engine).get_table_names())
    assert _consent_is_guarded(engine)
    command.downgrade(alembic_config(engine), "0019")
    assert not TABLES & set(inspect(engine).get_table_names())
    assert "withdrawn_by_person_id" not in {c["name"] for c in inspect(engine).get_columns("consent")}
    voice = {c["name"] for c in inspect(engine).get_columns("voice_entry")}
    assert not {"confidential", "recorded_by_person_id"} & voice
    assert _consent_is_guarded(engine)
    upgrade(engine)
    assert TABLES <= set(inspect(engine).get_table_names())
    access = {c["name"] for c in inspect(engine).get_columns("family_access")}
    assert {"email_ct", "email_bidx", "invitation_digest", "excluded_reason_ct"} <= access and "email" not in access
    assert _consent_is_guarded(engine)
