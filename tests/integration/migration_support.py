"""Writing rows as an older schema held them: only the columns given, with today's column types (so ids and
moments are stored the same way), never the columns (and Python defaults) that later migrations added."""
from __future__ import annotations

from sqlalchemy import column, insert, table


def as_then(conn, model, rows: dict | list[dict]) -> None:
    rows = rows if isinstance(rows, list) else [rows]
    columns = model.__table__.c
    old = table(model.__tablename__, *(column(name, columns[name].type) for name in rows[0]))
    conn.execute(insert(old), rows)
