"""A smoke run of ``bench/bench_import.py``: its own code path on 2,000 generated rows.

The benchmark itself is never part of the test run; this checks that what it measures is real
work done right: every generated row lands (on SQLite and on PostgreSQL) and comes back out of
the export as it was entered, converted units and dimensions included. No timing is asserted.
"""
from __future__ import annotations

import csv
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from esgledger.library.loader import load_library

BENCH = Path(__file__).parents[2] / "bench" / "bench_import.py"
ROWS = 2_000


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_import", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_import"] = module  # dataclasses look their module up while it loads
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("bench_import", None)


@pytest.fixture(scope="module")
def library():
    return load_library()


@pytest.fixture
def work(bench, library, tmp_path):
    return bench.generate(tmp_path / "data", ROWS, library)


def flat(rows) -> list[tuple]:
    """(entity, indicator, period, dims, value, unit, value entered, unit entered, comment)."""
    return sorted((r["entity"], r["indicator"], r["period"], r["dims"], Decimal(r["value"]), r["unit"],
                   r["value_entered"], r["unit_entered"], r["comment"]) for r in rows)


def test_the_workload_has_dimensions_converted_units_and_names(bench, library, work):
    expected = list(bench.expected_facts(library, ROWS))
    assert len(expected) == ROWS
    assert any(e["dims"] for e in expected)
    assert any(e["unit_entered"] != e["unit"] for e in expected)  # e.g. 吨 for a 万吨 indicator
    with work.csv_path.open(encoding="utf-8") as fh:
        entities = {r["entity"] for r in csv.DictReader(fh)}
    assert any(not e.isascii() for e in entities)  # some rows name the entity in Chinese


def test_every_generated_row_lands_and_comes_back(bench, library, work, store_url, tmp_path):
    result = bench.run_ours("ours", work, tmp_path / "ws", store_url)
    assert (result.rows_in, result.rows_out) == (ROWS, ROWS)
    with result.export_path.open(encoding="utf-8") as fh:
        exported = list(csv.DictReader(fh))
    assert flat(exported) == flat(bench.expected_facts(library, ROWS))


def test_the_pipelined_and_the_one_process_import_land_the_same_rows(bench, library, work, tmp_path, monkeypatch):
    """At 1,000,000 rows the SQLite import checks in a second process (collect/pipeline.py);
    here the threshold is lowered so the 2,000 rows take that path too, then the one-process
    path the benchmark also times."""
    from esgledger.store import ledger

    monkeypatch.setattr(ledger, "BULK_LOAD_MIN_ROWS", 100)
    streamed = []
    real = ledger.Store.append_stream
    monkeypatch.setattr(ledger.Store, "append_stream",
                        lambda self, chunks, **kw: streamed.append(1) or real(self, chunks, **kw))
    expected = flat(bench.expected_facts(library, ROWS))
    for one_process, calls in ((False, [1]), (True, [1])):
        result = bench.run_ours("ours", work, tmp_path / "ws", one_process=one_process)
        assert streamed == calls and (result.rows_in, result.rows_out) == (ROWS, ROWS)
        with result.export_path.open(encoding="utf-8") as fh:
            assert flat(csv.DictReader(fh)) == expected


def test_the_baseline_loads_every_row(bench, work, tmp_path):
    result = bench.run_baseline(work, tmp_path)
    assert (result.rows_in, result.rows_out) == (ROWS, ROWS)
    with result.export_path.open(encoding="utf-8") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == ROWS


def test_the_script_reports_ratios_times_and_machine(bench, tmp_path, capsys):
    assert bench.main(["--rows", "300", "--skip-pg", "--phases", "--floor", "--one-process",
                       "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for part in ("ratio ours / baseline", "sqlite      import", "sqlite 1-proc import", "absolute",
                 "floor:", "machine", "nproc"):
        assert part in out
    assert out.index("ratio") < out.index("absolute") < out.index("machine")


def test_the_floor_stores_every_checked_row_in_both_tables(bench, work, tmp_path):
    import sqlite3

    times = bench.run_floor(work, tmp_path / "ws_floor")
    assert len(times) == 3 and all(t > 0 for t in times)
    con = sqlite3.connect(next((tmp_path / "ws_floor").rglob("*.db")))
    try:
        cols = "entity, indicator, period, dims, value, unit, value_entered, unit_entered, location, comment"
        stored = con.execute(f"SELECT {cols} FROM fact ORDER BY entity, indicator, period, dims").fetchall()
        bare = con.execute(f"SELECT {cols} FROM fact_bare ORDER BY entity, indicator, period, dims").fetchall()
        indexes = {r[1] for r in con.execute("PRAGMA index_list(fact_bare)")}
    finally:
        con.close()
    assert len(stored) == ROWS and stored == bare
    assert "uq_bare" in indexes  # (3): the key built after the load
