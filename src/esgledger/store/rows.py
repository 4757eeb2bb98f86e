"""Inserting rows through the driver (one prepared statement, executemany), not row by row
through SQLAlchemy's parameter processing: a calculation run writes hundreds of lineage rows,
and an incremental run's few facts should not cost more to write than to compute."""
from __future__ import annotations

import functools

from sqlalchemy import Table


MARKS = {"sqlite": "?", "postgresql": "%s"}


def insert_sql(conn, table: Table, cols: list[str] | tuple[str, ...], returning: str | None = None) -> str | None:
    """The driver-level INSERT of ``cols`` into ``table`` (RETURNING ``returning``), or None
    for a dialect without a known parameter mark."""
    return _build_sql(conn.dialect.name, table.name, tuple(cols), returning)


# a run writes the same few statements every time: each is built once
@functools.lru_cache(maxsize=64)
def _build_sql(dialect: str, table: str, cols: tuple[str, ...], returning: str | None) -> str | None:
    mark = MARKS.get(dialect)
    if mark is None:
        return None
    sql = (f'INSERT INTO {table} ({",".join(chr(34) + c + chr(34) for c in cols)}) '
           f'VALUES ({",".join([mark] * len(cols))})')
    return sql + (f" RETURNING {returning}" if returning else "")


def insert_rows(conn, table: Table, rows: list, cols: list[str] | tuple[str, ...] | None = None) -> None:
    """``INSERT`` every row in the connection's transaction: dicts with the same keys, or
    (with ``cols``) tuples of those columns' values."""
    if not rows:
        return
    if cols is None:
        cols = list(rows[0])
        rows = [tuple(r[c] for c in cols) for r in rows]
    sql = insert_sql(conn, table, cols)
    if sql is None:  # pragma: no cover - other dialects go through SQLAlchemy
        conn.execute(table.insert(), [dict(zip(cols, r)) for r in rows])
        return
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.executemany(sql, rows)
    finally:
        cur.close()
