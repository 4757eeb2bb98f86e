"""A tiny run of bench/bench_collect.py (the benchmark itself is never part of the test run)."""
import importlib.util
from pathlib import Path

BENCH = Path(__file__).parents[2] / "bench" / "bench_collect.py"


def test_bench_collect_smoke(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_collect", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    res = bench.run(4, 30, pg=False, keep=False, data=tmp_path / "collect")
    assert (res["entities"], res["indicators"]) == (4, 30)
    assert res["values"] > 4 * 30 and res["facts"] == 2 * res["values"]  # last year's + this year's
    text = bench.report(res)
    assert text.startswith("import / baseline") and "workbooks/s" in text and "nproc" in text
