"""Activity data × emission factors at scale: emissions by entity, month, scope and gas.

The arithmetic (IPCC 2006 Vol.2 Eq.2.1 "emissions = activity data × emission factor", GHG
Protocol Scope 2 Guidance location-based method, Scope 3 Standard average-data method) is
written once as a relational plan and run on DuckDB over a table, view or Parquet files;
values are exact DECIMALs, never binary floats.

The activity relation is a star schema: ``(row_id BIGINT, entity_id INTEGER, month INTEGER
YYYYMM, activity_id SMALLINT, quantity DECIMAL(18,6))`` with an activity catalogue
``activity_id → (activity, unit)`` (e.g. 7 → ``fuel:diesel`` in ``吨``) and the entity table
giving ``entity_id → code``: integer keys, as a columnar store holds them.

The plan aggregates first and multiplies second: Σᵢ qᵢ·f = f·Σᵢ qᵢ holds exactly for decimals,
so activity is summed per (entity, month, activity) in one scan and the factors are applied to
that small aggregate — the same numbers, to the last digit, as multiplying every row. Unit
conversion is folded into the factor table: the factor declared per its own unit is multiplied
by the exact conversion factor to the catalogue unit (吨 → 万吨).

Lineage: each result row carries the number of activity rows behind it, and the run keeps its
factor table (factor ids, sets, editions); :func:`contributing_rows` recovers exactly the rows
and factors behind one result by running the same join restricted to its key — the
computation is a deterministic join, so this is its exact lineage, without writing a second
table the size of the input.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from esgledger.model.errors import Location, Problem, ProblemList
from esgledger.model.units import UNITS, UnitError

QTY = "DECIMAL(18,6)"
FACTOR = "DECIMAL(18,12)"


@dataclass(frozen=True)
class BulkFactor:
    """One emission factor: ``factor`` tonnes of ``gas`` per ``unit`` of ``activity``."""

    activity: str          # e.g. "fuel:diesel", "electricity:grid", "material:alumina", "transport:rail"
    unit: str              # the unit the factor is declared per, e.g. "吨", "兆瓦时", "t·km"
    scope: str             # "1", "2", "3.1", "3.3", "3.4" …
    gas: str               # co2, ch4, n2o, cf4, c2f6, co2e (already weighted)
    factor: Decimal        # t gas per unit
    gwp: Decimal           # of the chosen GWP set (1 for co2 and co2e)
    factor_id: str         # "set/key@edition", what lineage names
    confidence: str = "S"


@dataclass
class BulkResult:
    table: str
    rows: int = 0
    problems: ProblemList = field(default_factory=ProblemList)


def factor_rows(catalogue: list[tuple[int, str, str]], factors: list[BulkFactor],
                problems: ProblemList) -> list[tuple]:
    """(activity_id, scope, gas, factor per catalogue unit, CO2e factor, factor id) rows."""
    by_activity: dict[str, list[BulkFactor]] = {}
    for f in factors:
        by_activity.setdefault(f.activity, []).append(f)
    rows = []
    for act_id, act, unit in catalogue:
        fs = by_activity.get(act)
        if not fs:
            problems.append(Problem("ESG-CALC-003", Location(field=f"{act} [{unit}]"),
                                    {"found": act, "expected": unit}))
            continue
        for f in fs:
            try:
                mult = UNITS.factor(unit, f.unit)
            except UnitError:
                problems.append(Problem("ESG-CALC-004", Location(field=f"{act} [{unit}]"),
                                        {"found": unit, "expected": f.unit, "indicator": act}))
                break
            with localcontext() as ctx:
                ctx.prec = 40
                adj = f.factor * mult
                adj_e = adj * f.gwp
            rows.append((act_id, f.scope, f.gas, format(adj, "f"), format(adj_e, "f"), f.factor_id))
    return rows


def compute_emissions(con, activity: str, catalogue: list[tuple[int, str, str]],
                      factors: list[BulkFactor], *, out: str = "emissions") -> BulkResult:
    """Create table ``out`` (entity_id, month, scope, gas, mass_t, co2e_t, n_rows) from the
    activity relation ``activity``; ``catalogue`` lists (activity_id, activity, unit)."""
    res = BulkResult(out)
    present = {r[0] for r in con.execute(f"SELECT DISTINCT activity_id FROM {activity}").fetchall()} \
        if len(catalogue) > 64 else None
    used = [c for c in catalogue if present is None or c[0] in present]
    rows = factor_rows(used, factors, res.problems)
    if res.problems.errors:
        return res
    con.execute(f"CREATE OR REPLACE TABLE {out}_factors (activity_id SMALLINT, scope VARCHAR, gas VARCHAR,"
                f" factor {FACTOR}, factor_co2e {FACTOR}, factor_id VARCHAR)")
    if rows:
        con.execute(f"INSERT INTO {out}_factors SELECT * FROM (VALUES "
                    + ", ".join("(?, ?, ?, ?, ?, ?)" for _ in rows) + ")",
                    [v for r in rows for v in r])
    # one scan: activity summed per (entity, month, activity), exact DECIMAL(38,6)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out}_activity AS
        SELECT entity_id, month, activity_id, SUM(CAST(quantity AS {QTY})) AS quantity, COUNT(*) AS n_rows
        FROM {activity} GROUP BY ALL""")
    con.execute(f"""
        CREATE OR REPLACE TABLE {out} AS
        SELECT a.entity_id, a.month, f.scope, f.gas,
               SUM(a.quantity * f.factor)      AS mass_t,
               SUM(a.quantity * f.factor_co2e) AS co2e_t,
               SUM(a.n_rows)                   AS n_rows
        FROM {out}_activity a JOIN {out}_factors f ON a.activity_id = f.activity_id
        GROUP BY ALL""")
    missing = con.execute(f"SELECT DISTINCT a.activity_id FROM {out}_activity a ANTI JOIN {out}_factors f"
                          " ON a.activity_id = f.activity_id").fetchall()
    if missing:
        known = {c[0]: c for c in catalogue}
        for (aid,) in missing:
            act = known.get(aid, (aid, f"activity #{aid}", "?"))
            res.problems.append(Problem("ESG-CALC-003", Location(field=f"{act[1]} [{act[2]}]"),
                                        {"found": act[1], "expected": act[2]}))
    res.rows = con.execute(f"SELECT COUNT(*) FROM {out}").fetchone()[0]
    return res


def contributing_rows(con, activity: str, out: str, entity_id: int, month: int, scope: str,
                      gas: str) -> list[tuple]:
    """The activity rows (row_id, activity_id, quantity, factor_id) behind one result row."""
    return con.execute(f"""
        SELECT a.row_id, a.activity_id, a.quantity, f.factor_id
        FROM {activity} a JOIN {out}_factors f ON a.activity_id = f.activity_id
        WHERE a.entity_id = ? AND a.month = ? AND f.scope = ? AND f.gas = ?
        ORDER BY a.row_id""", [entity_id, month, scope, gas]).fetchall()
