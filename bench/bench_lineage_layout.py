"""Benchmark: what storing one incremental run's lineage costs SQLite, in three layouts
(issue 3: is the lineage table what keeps the incremental run from 50×?).

    python bench/bench_lineage_layout.py [--repeat 60]

Builds the demo, runs 2024 in full, changes one input the GHG methods read (the refinery's
natural gas) and runs 2024 again, incrementally. Then it replays what that run wrote (its
calculated facts and their inputs) in one transaction each time, rows ready before the clock
starts, as bare driver statements, in three layouts:

* ``facts only``: the facts and nothing else (the floor under any lineage);
* ``fact_input rows``: one row per (fact, input) with foreign keys, as the ledger stores them;
* ``packed``: one row per fact holding its inputs as a JSON array (what a redesign could do),
  without and with a trigger that refuses an input id the ledger does not hold (the referential
  check the foreign keys give the row layout).

It prints the best and median time of each; the layouts run interleaved, so the machine's
drift falls on all of them alike.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from pathlib import Path

from rich.console import Console

from esgledger.calc.recalc import recalculate
from esgledger.demo.build import build_demo
from esgledger.workspace import open_workspace

PACKED = ("CREATE TABLE {} (fact_id INTEGER NOT NULL PRIMARY KEY REFERENCES fact(id), "
          "inputs TEXT NOT NULL)")
TRIGGER = ("CREATE TRIGGER bench_checked_inputs BEFORE INSERT ON bench_checked WHEN EXISTS "
           "(SELECT 1 FROM json_each(NEW.inputs) j WHERE NOT EXISTS "
           "(SELECT 1 FROM fact WHERE id = json_extract(j.value, '$[0]'))) "
           "BEGIN SELECT RAISE(ABORT, 'lineage input not in the ledger'); END")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=60)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        build_demo(Path(d) / "ws", console=Console(quiet=True), kpi=False, report_formats=())
        ws = open_workspace(Path(d) / "ws")
        store = ws.calc_store

        def calc(full=False):
            return recalculate(store, ws.library, ws.tree, ws.factors, "2024", ws.approach,
                               gwp_set=ws.gwp_set, full=full, note="bench")

        calc(full=True)
        f = Path(d) / "change.csv"
        f.write_text("entity,indicator,period,value,unit\nJXTG,natural_gas_consumption,2024,20000001,立方米\n",
                     encoding="utf-8")
        assert ws.import_facts(f).ok
        r = calc()
        assert r.incremental and r.ghg is not None
        batches = [b for b in (r.ghg.batch_id, r.batch_id) if b is not None]
        db = store.engine.url.database
        ws.close()
        results = replay(db, batches, args.repeat)
    for name, (best, med) in results.items():
        print(f"{name:32s} {best * 1000:6.3f} ms (median {med * 1000:6.3f})")


def replay(db: str, batches: list[int], times: int) -> dict[str, tuple[float, float]]:
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute(PACKED.format("bench_packed"))
    con.execute(PACKED.format("bench_checked"))
    con.execute(TRIGGER)
    fcols = [c[1] for c in con.execute("PRAGMA table_info(fact)") if c[1] != "id"]
    rev = fcols.index("revision")
    marks = ",".join("?" * len(fcols))
    facts, inputs = [], {}
    for b in batches:
        for row in con.execute(f"SELECT id, {','.join(fcols)} FROM fact WHERE batch_id = ? ORDER BY id", (b,)):
            facts.append(row)
            inputs[row[0]] = con.execute("SELECT input_fact_id, role, weight FROM fact_input WHERE fact_id = ? "
                                         "ORDER BY rowid", (row[0],)).fetchall()
    n_inputs = sum(map(len, inputs.values()))
    k = [0]

    def one(layout: str) -> float:
        k[0] += 1
        rows = []
        for fr in facts:
            x = list(fr[1:])
            x[rev] += 1000 * k[0]  # a revision the unique key takes
            rows.append(x)
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        (before,) = con.execute("SELECT max(id) FROM fact").fetchone()
        con.executemany(f"INSERT INTO fact ({','.join(fcols)}) VALUES ({marks})", rows)
        ids = dict(zip((fr[0] for fr in facts), range(before + 1, before + 1 + len(rows))))
        if layout == "rows":
            con.executemany("INSERT INTO fact_input (fact_id, input_fact_id, role, weight) VALUES (?,?,?,?)",
                            [(ids[fid], *inp) for fid, ins in inputs.items() for inp in ins])
        elif layout in ("bench_packed", "bench_checked"):
            con.executemany(f"INSERT INTO {layout} (fact_id, inputs) VALUES (?,?)",
                            [(ids[fid], json.dumps(ins, separators=(",", ":"))) for fid, ins in inputs.items() if ins])
        con.execute("COMMIT")
        return time.perf_counter() - t0

    layouts = {f"facts only ({len(facts)} facts)": "facts",
               f"fact_input rows ({n_inputs} rows)": "rows",
               f"packed, {len(facts)} rows": "bench_packed",
               f"packed, {len(facts)} rows + input check": "bench_checked"}
    spent: dict[str, list[float]] = {name: [] for name in layouts}
    for _ in range(times):
        for name, layout in layouts.items():
            spent[name].append(one(layout))
    try:  # the trigger refuses an input that is not in the ledger (fact 1 is the demo's first)
        con.execute("INSERT INTO bench_checked VALUES (1, ?)", ('[[999999999,"x",null]]',))
        raise AssertionError("the input check let an unknown fact through")
    except sqlite3.IntegrityError as e:
        assert "lineage input not in the ledger" in str(e), e
    con.close()
    out = {}
    for name, ts in spent.items():
        ts.sort()
        out[name] = (ts[0], ts[len(ts) // 2])
    return out


if __name__ == "__main__":
    main()
