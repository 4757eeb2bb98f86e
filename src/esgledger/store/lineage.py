"""How calculated facts were calculated: their method use and factor values, each stored once.

A *method use* is a methodology as one calculation applied it: method, version, view, GWP set,
the equation cited (``detail``) and the factor values it took, in order. Many facts share one
(every entity's Scope 1 by the same equation and factors; every revision of a fact whose value
moved but whose method did not), so each factor value and each method use is a row of its own,
found again by its ``digest`` (SHA-256 of its content), and a calculated fact points at its use
(``fact_calc``). Readers see the lineage per fact through the views ``fact_method`` and
``fact_factor`` (migration 0008), as before.

The digests are part of the stored data: changing how they are made would store the same
content again under a second digest (harmless, but no longer once). They are made here and
nowhere else; migration 0008 uses these functions too.
"""
from __future__ import annotations

import functools
import hashlib
import json
from typing import Iterable, Sequence

from sqlalchemy import insert, select

from esgledger.store import schema as S
from esgledger.store.rows import MARKS, insert_rows

# (factor_set, factor_key, edition, value, unit, source, confidence), as fact_factor shows it
FactorRow = tuple
FACTOR_COLUMNS = ("factor_set", "factor_key", "edition", "value", "unit", "source", "confidence")
METHOD_COLUMNS = ("method", "version", "view", "gwp_set", "detail")


def _digest(content: list) -> str:
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=8192)
def factor_digest(row: FactorRow) -> str:
    """The digest of one factor value (its seven columns, None kept apart from "")."""
    return _digest(["factor", *row])


@functools.lru_cache(maxsize=8192)
def use_digest(method, version, view, gwp_set, detail, factors: tuple[FactorRow, ...]) -> str:
    """The digest of one method use: its five columns and its factor values in order."""
    return _digest(["use", method, version, view, gwp_set, detail, [factor_digest(f) for f in factors]])


def record_methods(conn, rows: Iterable[tuple]) -> None:
    """Record how facts were calculated, in the caller's transaction: ``rows`` of (fact_id,
    method, version, view, gwp_set, detail, factors), ``factors`` a sequence of
    :data:`FactorRow`. A method use or factor value the store has already is pointed at, not
    written again."""
    uses: dict[str, tuple] = {}
    links: list[tuple[int, str]] = []
    for fact_id, method, version, view, gwp_set, detail, factors in rows:
        factors = tuple(tuple(f) for f in factors)
        d = use_digest(method, version, view, gwp_set, detail, factors)
        if d not in uses:
            uses[d] = (method, version, view, gwp_set, detail, factors)
        links.append((fact_id, d))
    if not links:
        return
    ids = _ids_of(conn, S.method_use, list(uses))
    missing = [d for d in uses if d not in ids]
    if missing:
        ids.update(_add_uses(conn, {d: uses[d] for d in missing}))
    insert_rows(conn, S.fact_calc, [(fact_id, ids[d]) for fact_id, d in links], ("fact_id", "method_use_id"))


def _add_uses(conn, uses: dict[str, tuple]) -> dict[str, int]:
    """Write method uses the store does not have yet (and their factor values it does not
    have); their ids by digest."""
    factors = {factor_digest(f): f for *_m, fs in uses.values() for f in fs}
    fids = _ids_of(conn, S.factor_value, list(factors))
    for d, f in factors.items():
        if d not in fids:
            fids[d] = conn.execute(insert(S.factor_value).values(digest=d, **dict(zip(FACTOR_COLUMNS, f)))
                                   .returning(S.factor_value.c.id)).scalar_one()
    out = {}
    for d, (*method, fs) in uses.items():
        out[d] = uid = conn.execute(insert(S.method_use).values(digest=d, **dict(zip(METHOD_COLUMNS, method)))
                                    .returning(S.method_use.c.id)).scalar_one()
        if fs:
            conn.execute(insert(S.method_use_factor), [
                {"method_use_id": uid, "pos": i, "factor_value_id": fids[factor_digest(f)]}
                for i, f in enumerate(fs)])
    return out


def _ids_of(conn, table, digests: Sequence[str]) -> dict[str, int]:
    """The ids of the rows of ``table`` (factor_value or method_use) with these digests."""
    out: dict[str, int] = {}
    for i in range(0, len(digests), 500):
        chunk = digests[i:i + 500]
        mark = MARKS.get(conn.dialect.name)
        if mark is not None:
            # through the driver: an incremental run asks this once, for a few digests
            cur = conn.connection.driver_connection.cursor()
            try:
                cur.execute(f"SELECT digest, id FROM {table.name} WHERE digest IN ({','.join([mark] * len(chunk))})",
                            tuple(chunk))
                out.update(cur.fetchall())
            finally:
                cur.close()
        else:  # pragma: no cover - other dialects go through SQLAlchemy
            out.update(conn.execute(select(table.c.digest, table.c.id).where(table.c.digest.in_(chunk))).all())
    return out


__all__ = ["FACTOR_COLUMNS", "METHOD_COLUMNS", "factor_digest", "record_methods", "use_digest"]
