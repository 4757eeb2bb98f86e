"""A smoke run of ``bench/bench_lineage_layout.py``: each layout it times stores the inputs the
incremental run stored (the row layout as rows, the packed one as one JSON array a fact), and
the packed layout's check refuses an input that is not in the ledger. No timing is asserted."""
from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

BENCH = Path(__file__).parents[2] / "bench" / "bench_lineage_layout.py"


def test_every_layout_stores_the_runs_inputs(gas_run):
    spec = importlib.util.spec_from_file_location("bench_lineage_layout", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    db, batches = gas_run
    con = sqlite3.connect(db)
    key = "f.entity, f.indicator, f.dims, f.basis"
    inputs_of_run = {}
    for fid, *k in con.execute(f"SELECT f.id, {key} FROM fact f WHERE f.batch_id IN (?, ?)", batches):
        inputs_of_run[tuple(k)] = [list(r) for r in con.execute(
            "SELECT input_fact_id, role, weight FROM fact_input WHERE fact_id = ? ORDER BY rowid", (fid,))]
    (last_of_run,) = con.execute("SELECT max(id) FROM fact").fetchone()
    con.close()
    times = 2
    results = bench.replay(db, batches, times)
    assert len(results) == 4 and all(0 < best <= median for best, median in results.values())
    con = sqlite3.connect(db)
    try:
        with_inputs = {k: v for k, v in inputs_of_run.items() if v}
        for table in ("bench_packed", "bench_checked"):
            rows = con.execute(f"SELECT {key}, p.inputs FROM {table} p JOIN fact f ON f.id = p.fact_id").fetchall()
            assert len(rows) == times * len(with_inputs)
            assert all(json.loads(r[-1]) == with_inputs[tuple(r[:-1])] for r in rows)
        # the row layout: the facts the replays added hold the run's inputs, row for row
        replayed = con.execute(f"SELECT f.id, {key} FROM fact f WHERE f.id > ?", (last_of_run,)).fetchall()
        rows_layout = [(fid, tuple(k)) for fid, *k in replayed
                       if con.execute("SELECT count(*) FROM fact_input WHERE fact_id = ?", (fid,)).fetchone()[0]]
        assert len(rows_layout) == times * len(with_inputs)
        for fid, k in rows_layout:
            got = [list(r) for r in con.execute("SELECT input_fact_id, role, weight FROM fact_input "
                                                "WHERE fact_id = ? ORDER BY rowid", (fid,))]
            assert got == inputs_of_run[k]
    finally:
        con.close()
