"""A smoke run of ``bench/bench_recalc.py``'s floor: the replay of one incremental run's writes.

The benchmark is never part of the test run. This checks that the replay it times stores what
the run stored (the same facts with the same values, the same lineage, method and factor rows,
pointing at the new facts) and nothing else. No timing is asserted.
"""
from __future__ import annotations

import importlib.util
import sqlite3
import sys
from importlib import resources
from pathlib import Path

import pytest

from esgledger.calc.recalc import forget, recalculate
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write

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


def test_the_replay_stores_what_the_incremental_run_stored(bench, tmp_path):
    ws = init_workspace(tmp_path / "ws", lang="en")
    try:
        assert not ws.import_entities(DEMO_ENTITIES).errors
        with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
            assert ws.import_facts(p).ok
        forget(ws.store)

        def calc(full=False):
            return recalculate(ws.store, ws.library, ws.tree, ws.factors, "2024", "control", gwp_set="AR5",
                               full=full, note="test")

        calc(full=True)
        text = "entity,indicator,period,value,unit\nJXTG,natural_gas_consumption,2024,20000001,立方米\n"
        assert ws.import_facts(write(tmp_path / "one.csv", text)).ok
        r = calc()
        assert r.incremental and r.ghg is not None
        batches = (r.ghg.batch_id, r.batch_id)
        db = ws.store.engine.url.database
    finally:
        forget(ws.store)
        ws.close()

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
