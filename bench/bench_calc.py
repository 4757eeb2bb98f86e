"""Benchmark: activity rows → emissions by entity, month, scope and gas (issue 3).

Ours (esgledger.calc.bulk.compute_emissions: unit folding, exact DECIMAL join + aggregation,
lineage columns) against two baselines on the same generated data in one run:

* the limit: one hand-written DuckDB SQL statement doing the same arithmetic over the same
  (already unit-adjusted) factor table, without lineage;
* what most ESG code does: a plain per-row Python loop (dict lookups, Decimal arithmetic),
  given the rows already in memory (the fetch is timed separately and not charged to it).

    python bench/bench_calc.py [--rows 10000000] [--entities 500] [--loop-rows N]

Prints the ratios first, then absolute times, then the machine. Results go in RESULTS.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import time
from decimal import Decimal
from pathlib import Path

import duckdb

from esgledger.calc.bulk import BulkFactor, compute_emissions

DATA = Path(__file__).parent / "_data"

# (activity, unit of the data, scope, gas, factor per factor unit, factor unit, gwp)
CATALOGUE = [
    ("fuel:diesel", "吨", "1", "co2", "3.145", "吨", "1"),
    ("fuel:diesel", "吨", "1", "ch4", "0.000127", "吨", "28"),
    ("fuel:diesel", "吨", "1", "n2o", "0.000026", "吨", "265"),
    ("fuel:natural_gas", "万立方米", "1", "co2", "21.62", "万立方米", "1"),
    ("fuel:bituminous", "吨", "1", "co2", "2.0714", "吨", "1"),
    ("fuel:petroleum_coke", "吨", "1", "co2", "3.0969", "吨", "1"),
    ("fuel:lpg", "千克", "1", "co2", "2.9837", "吨", "1"),
    ("electricity:grid", "兆瓦时", "2", "co2", "0.5306", "兆瓦时", "1"),
    ("electricity:grid_kwh", "千瓦时", "2", "co2", "0.5306", "兆瓦时", "1"),
    ("heat:purchased", "吉焦", "2", "co2", "0.11", "吉焦", "1"),
    ("material:alumina", "吨", "3.1", "co2e", "0.97", "吨", "1"),
    ("material:petroleum_coke", "吨", "3.1", "co2e", "0.45", "吨", "1"),
    ("material:pitch", "吨", "3.1", "co2e", "0.95", "吨", "1"),
    ("material:caustic_soda", "吨", "3.1", "co2e", "1.24", "吨", "1"),
    ("material:aluminium_fluoride", "千克", "3.1", "co2e", "1.8", "吨", "1"),
    ("fuel_upstream:diesel", "吨", "3.3", "co2e", "0.62", "吨", "1"),
    ("transport:rail", "t·km", "3.4", "co2e", "0.0000095", "t·km", "1"),
    ("transport:road", "t·km", "3.4", "co2e", "0.000078", "t·km", "1"),
    ("transport:ship", "万t·km", "3.4", "co2e", "0.08", "万t·km", "1"),
    ("transport:air", "t·km", "3.4", "co2e", "0.00102", "t·km", "1"),
]


def factors() -> list[BulkFactor]:
    return [BulkFactor(a, fu, s, g, Decimal(f), Decimal(gwp), f"bench/{a}/{g}@2024")
            for a, _du, s, g, f, fu, gwp in CATALOGUE]


def activity_catalogue() -> list[tuple[int, str, str]]:
    return [(i, a, u) for i, (a, u) in enumerate(sorted({(a, du) for a, du, *_ in CATALOGUE}))]


def generate(con, rows: int, entities: int) -> str:
    """Activity rows in the star layout: 500 entities × 12 months × the catalogue, seeded."""
    path = DATA / f"activity-{rows}-{entities}.parquet"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        n_act = len(activity_catalogue())
        con.execute(f"""
            COPY (
              SELECT r.i AS row_id,
                     CAST(r.i % {entities} AS INTEGER) AS entity_id,
                     CAST(202401 + (r.i // {entities}) % 12 AS INTEGER) AS month,
                     CAST(hash(r.i) % {n_act} AS SMALLINT) AS activity_id,
                     CAST((hash(r.i * 7919) % 100000000) / 1000.0 AS DECIMAL(18,6)) AS quantity
              FROM range({rows}) r(i)
            ) TO '{path}' (FORMAT parquet)""")
    return str(path)


def hand_sql(con) -> float:
    t = time.perf_counter()
    con.execute("""
        CREATE OR REPLACE TABLE hand AS
        SELECT a.entity_id, a.month, f.scope, f.gas,
               SUM(a.quantity * f.factor) AS mass_t, SUM(a.quantity * f.factor_co2e) AS co2e_t
        FROM act a JOIN hand_factors f ON a.activity_id = f.activity_id
        GROUP BY ALL""")
    return time.perf_counter() - t


def python_loop(rows, fmap) -> tuple[float, dict]:
    t = time.perf_counter()
    out: dict[tuple, list] = {}
    for entity, month, activity, qty in rows:
        for scope, gas, f, fe in fmap[activity]:
            key = (entity, month, scope, gas)
            acc = out.get(key)
            if acc is None:
                out[key] = [qty * f, qty * fe]
            else:
                acc[0] += qty * f
                acc[1] += qty * fe
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--entities", type=int, default=500)
    ap.add_argument("--loop-rows", type=int, default=None,
                    help="rows for the Python loop (default: all; it needs ~0.5 KB of memory a row)")
    args = ap.parse_args()
    con = duckdb.connect()
    path = generate(con, args.rows, args.entities)
    con.execute(f"CREATE OR REPLACE VIEW act AS SELECT * FROM read_parquet('{path}')")
    fs = factors()

    cat = activity_catalogue()
    compute_emissions(con, "act", cat, fs, out="warm")  # first touch of the file, for both
    # ours
    t_ours = 9e9
    for _ in range(2):
        t = time.perf_counter()
        res = compute_emissions(con, "act", cat, fs, out="ours")
        t_ours = min(t_ours, time.perf_counter() - t)
    assert not res.problems, res.problems.flat()
    # the limit: same factor table (already unit-adjusted), one statement, no lineage
    con.execute("CREATE OR REPLACE TEMP TABLE hand_factors AS SELECT * FROM ours_factors")
    t_sql = min(hand_sql(con) for _ in range(2))
    # same arithmetic, same totals
    a = con.execute("SELECT SUM(co2e_t), COUNT(*) FROM ours").fetchone()
    b = con.execute("SELECT SUM(co2e_t), COUNT(*) FROM hand").fetchone()
    assert a == b, (a, b)

    # the loop, on rows already in memory
    n_loop = args.loop_rows or args.rows
    t = time.perf_counter()
    rows = con.execute(f"SELECT entity_id, month, activity_id, quantity FROM act ORDER BY row_id LIMIT {n_loop}").fetchall()
    t_fetch = time.perf_counter() - t
    fmap: dict[tuple, list] = {}
    for act, scope, gas, f, fe, _id in con.execute("SELECT * FROM ours_factors").fetchall():
        fmap.setdefault(act, []).append((scope, gas, f, fe))
    t_loop, out = python_loop(rows, fmap)
    loop_total = sum(v[1] for v in out.values())
    if n_loop == args.rows:
        assert loop_total == a[0], (loop_total, a[0])
    del rows
    loop_scaled = t_loop * args.rows / n_loop

    print(f"rows {args.rows:,}  entities {args.entities}  result rows {a[1]:,}")
    print(f"ours / hand-written SQL : {t_ours / t_sql:.2f}x   (target <= 2x)")
    print(f"python loop / ours      : {loop_scaled / t_ours:.1f}x   (target >= 20x)"
          + ("" if n_loop == args.rows else f"  (loop timed on {n_loop:,} rows, scaled linearly)"))
    print(f"ours {t_ours:.2f} s   hand SQL {t_sql:.2f} s   python loop {t_loop:.2f} s"
          f" (+ {t_fetch:.2f} s to fetch its rows, not charged)")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {mem:.0f} GiB, {platform.python_version()}, duckdb {duckdb.__version__}")


if __name__ == "__main__":
    main()
