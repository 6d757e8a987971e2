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
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table (copy, drop, rename); with foreign keys enforced, dropping a table that
            # other rows reference fails. SQLite only honours this pragma outside a transaction, hence the driver
            # connection before the migration's transaction begins; the check below puts the guarantee back.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(connection=connection, target_metadata=target_metadata,
                              render_as_batch=sqlite, compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                    raise RuntimeError(f"migration left {len(broken)} rows with a broken foreign key")
            connection.commit()
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
