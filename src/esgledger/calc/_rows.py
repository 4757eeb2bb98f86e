"""A calculation run's driver-level reads and writes: its batch row, the facts appended since
its last run, and its rows (:func:`esgledger.store.rows.insert_rows`, shared with the store's
lineage)."""
from __future__ import annotations

from sqlalchemy import bindparam

from esgledger.store import schema as S
from esgledger.store.ledger import record_select
from esgledger.store.rows import insert_rows, insert_sql

__all__ = ["facts_after", "insert_batch", "insert_rows"]


def insert_batch(conn, **values) -> int:
    """A new batch row; its id."""
    cols = list(values)
    sql = insert_sql(conn, S.batch, cols, returning="id")
    if sql is None:  # pragma: no cover
        return conn.execute(S.batch.insert().values(**values)).inserted_primary_key[0]
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql, tuple(values[c] for c in cols))
        return cur.fetchone()[0]
    finally:
        cur.close()


_RECORD_SQL: dict[tuple[str, bool], tuple[str, tuple | None]] = {}


def facts_after(conn, fact_id: int, period: str, months: tuple[str, ...] | None = None) -> list[tuple] | None:
    """The facts of ``period`` with an id above ``fact_id``, in id order, each a tuple in the
    order of FactRecord's fields (source: NULL); None for a dialect this does not serve. The
    store's own ``record_select``, compiled once per dialect and run through the driver.
    ``months`` (the year's twelve, ``"2024-01"`` … ``"2024-12"``): the facts of those months
    as well."""
    name = conn.dialect.name
    if name not in ("sqlite", "postgresql"):  # pragma: no cover
        return None
    compiled = _RECORD_SQL.get((name, months is not None))
    if compiled is None:
        f = S.fact.c
        within = f.period.in_([bindparam("period")] + [bindparam(f"m{i}") for i in range(12)]) \
            if months is not None else f.period == bindparam("period")
        c = (record_select().where(f.id > bindparam("after"), within)
             .order_by(f.id).compile(dialect=conn.dialect))
        compiled = _RECORD_SQL[(name, months is not None)] = (str(c), c.positiontup)
    sql, order = compiled
    values = {"after": fact_id, "period": period}
    if months is not None:
        values.update((f"m{i}", m) for i, m in enumerate(months))
    params = tuple(values[n] for n in order) if order else values
    cur = conn.connection.driver_connection.cursor()
    try:
        cur.execute(sql, params)
        return cur.fetchall()
    finally:
        cur.close()
