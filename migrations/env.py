"""Alembic environment. The engine comes from coordination.migrate (or DATABASE_URL via settings)."""
from __future__ import annotations

from alembic import context

from audit.models import AuditBase
from coordination.models import Base

target_metadata = [Base.metadata, AuditBase.metadata]


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        from coordination.config import load_settings
        from coordination.db import make_engine

        engine = make_engine(load_settings().database_url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
