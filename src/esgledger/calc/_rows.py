"""Inserting a calculation run's rows through the driver (one prepared statement, executemany),
not row by row through SQLAlchemy's parameter processing: a run writes hundreds of lineage
rows, and an incremental run's few facts should not cost more to write than to compute."""
from __future__ import annotations

import functools

from sqlalchemy import Table, bindparam

from esgledger.store import schema as S
from esgledger.store.ledger import record_select


_MARKS = {"sqlite": "?", "postgresql": "%s"}


def _sql(conn, table: Table, cols: list[str] | tuple[str, ...], returning: str | None = None) -> str | None:
    return _build_sql(conn.dialect.name, table.name, tuple(cols), returning)


# a run writes the same few statements every time: each is built once
@functools.lru_cache(maxsize=64)
def _build_sql(dialect: str, table: str, cols: tuple[str, ...], returning: str | None) -> str | None:
    mark = _MARKS.get(dialect)
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
    sql = _sql(conn, table, cols)
    if sql is None:  # pragma: no cover - other dialects go through SQLAlchemy
        conn.execute(table.insert(), [dict(zip(cols, r)) for r in rows])
        return
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.executemany(sql, rows)
    finally:
        cur.close()


def insert_batch(conn, **values) -> int:
    """A new batch row; its id."""
    cols = list(values)
    sql = _sql(conn, S.batch, cols, returning="id")
    if sql is None:  # pragma: no cover
        return conn.execute(S.batch.insert().values(**values)).inserted_primary_key[0]
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql, tuple(values[c] for c in cols))
        return cur.fetchone()[0]
    finally:
        cur.close()


_RECORD_SQL: dict[str, tuple[str, tuple | None]] = {}


def facts_after(conn, fact_id: int, period: str) -> list[tuple] | None:
    """The facts of ``period`` with an id above ``fact_id``, in id order, each a tuple in the
    order of FactRecord's fields (source: NULL); None for a dialect this does not serve. The
    store's own ``record_select``, compiled once per dialect and run through the driver."""
    name = conn.dialect.name
    if name not in ("sqlite", "postgresql"):  # pragma: no cover
        return None
    compiled = _RECORD_SQL.get(name)
    if compiled is None:
        f = S.fact.c
        c = (record_select().where(f.id > bindparam("after"), f.period == bindparam("period"))
             .order_by(f.id).compile(dialect=conn.dialect))
        compiled = _RECORD_SQL[name] = (str(c), c.positiontup)
    sql, order = compiled
    values = {"after": fact_id, "period": period}
    params = tuple(values[n] for n in order) if order else values
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        cur.close()
