"""Inserting a calculation run's rows through the driver (one prepared statement, executemany),
not row by row through SQLAlchemy's parameter processing: a run writes hundreds of lineage
rows, and an incremental run's few facts should not cost more to write than to compute."""
from __future__ import annotations

from sqlalchemy import Table

from esgledger.store import schema as S


def _sql(conn, table: Table, cols: list[str], returning: str | None = None) -> str | None:
    mark = {"sqlite": "?", "postgresql": "%s"}.get(conn.dialect.name)
    if mark is None:
        return None
    sql = (f'INSERT INTO {table.name} ({",".join(chr(34) + c + chr(34) for c in cols)}) '
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
    sql = _sql(conn, table, list(cols))
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


def _record_sql(mark: str) -> str:
    import dataclasses

    from esgledger.model.types import FactRecord

    # FactRecord's fields: author and time are the batch's (migration 0007), source NULL
    cols = ",".join("NULL" if f.name == "source" else
                    f'b."{f.name}"' if f.name in ("author", "created_at") else
                    f'f."{"batch_id" if f.name == "batch" else f.name}"'
                    for f in dataclasses.fields(FactRecord))
    return (f"SELECT {cols} FROM fact f JOIN batch b ON b.id = f.batch_id "
            f"WHERE f.id > {mark} AND f.period = {mark} ORDER BY f.id")


_RECORD_SQL: dict[str, str] = {}


def facts_after(conn, fact_id: int, period: str) -> list[tuple] | None:
    """The facts of ``period`` with an id above ``fact_id``, in id order, each a tuple in the
    order of FactRecord's fields (source: NULL); None for a dialect this does not serve."""
    mark = {"sqlite": "?", "postgresql": "%s"}.get(conn.dialect.name)
    if mark is None:  # pragma: no cover
        return None
    sql = _RECORD_SQL.get(mark)
    if sql is None:
        sql = _RECORD_SQL[mark] = _record_sql(mark)
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql, (fact_id, period))
        return cur.fetchall()
    finally:
        cur.close()
