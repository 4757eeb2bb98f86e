"""A smoke run of ``bench/bench_recalc.py``'s floor: the replay of one incremental run's writes.

The benchmark is never part of the test run. This checks that the replay it times stores what
the run stored (the same facts with the same values, the same lineage, method and factor rows,
pointing at the new facts) and nothing else. No timing is asserted.
"""
from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "bench" / "bench_recalc.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_recalc", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_recalc"] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("bench_recalc", None)


def test_the_replay_stores_what_the_incremental_run_stored(bench, gas_run):
    db, batches = gas_run

    def written(con, batch_ids) -> list[tuple]:
        """What a set of batches stored, without ids and revisions: each fact's key and value,
        and the count of its lineage, method and factor rows."""
        marks = ",".join("?" * len(batch_ids))
        return sorted(con.execute(
            f"SELECT f.entity, f.indicator, f.dims, f.basis, f.value,"
            f" (SELECT count(*) FROM fact_input i WHERE i.fact_id = f.id),"
            f" (SELECT count(*) FROM fact_method m WHERE m.fact_id = f.id),"
            f" (SELECT count(*) FROM fact_factor x WHERE x.fact_id = f.id)"
            f" FROM fact f WHERE f.batch_id IN ({marks})", batch_ids).fetchall())

    con = sqlite3.connect(db)
    try:
        before = con.execute("SELECT max(id) FROM batch").fetchone()[0]
        original = written(con, batches)
    finally:
        con.close()
    best, median, counts = bench.replay_writes(db, batches, 2)
    assert 0 < best <= median
    assert counts.startswith(f"{len(original)} facts, ")
    con = sqlite3.connect(db)
    try:
        new = [b for (b,) in con.execute("SELECT id FROM batch WHERE id > ? ORDER BY id", (before,))]
        assert len(new) == 4  # two replays of a run of two batches
        assert written(con, new[:2]) == written(con, new[2:]) == original
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
