"""Benchmark: full recalculation of the demo group vs an incremental one after one input
changes (issue 3, target >= 50x).

    python bench/bench_recalc.py [--repeat 5]

Both runs end with the same ledger (tests/calc/test_consolidate.py::test_incremental_equals_full).
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from rich.console import Console

from esgledger.demo.build import build_demo
from esgledger.workspace import open_workspace


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        build_demo(Path(d) / "ws", console=Console(quiet=True), kpi=False, report_formats=())
        ws = open_workspace(Path(d) / "ws")
        _male = ws.value("NJTS", "employees", "2024", "gender=male", basis="own").value
        full, inc_ghg, inc_other = [], [], []
        for i in range(args.repeat):
            t = time.perf_counter()
            for year in ("2022", "2023", "2024"):  # the whole demo group, every period
                ws.calc(year, full=True)
            full.append(time.perf_counter() - t)
            for rows, times in (
                    # an input the GHG methods read: the refinery's natural gas
                    (f"JXTG,natural_gas_consumption,2024,{20000000 + i},立方米,", inc_ghg),
                    # one they do not: a plant's female head count (its male count moves with it)
                    (f"NJTS,employees,2024,{120 + i},人,female\nNJTS,employees,2024,{int(_male) - i},人,male", inc_other)):
                f = Path(d) / f"change{i}.csv"
                f.write_text("entity,indicator,period,value,unit,gender\n" + rows + "\n", encoding="utf-8")
                assert ws.import_facts(f).ok
                t = time.perf_counter()
                r = ws.calc("2024")
                times.append(time.perf_counter() - t)
                assert r.incremental and r.written > 0, r
        ws.close()
    tf, tg, to = min(full), min(inc_ghg), min(inc_other)
    print(f"full / incremental, a GHG input changed:     {tf / tg:.0f}x   (target >= 50x)")
    print(f"full / incremental, a non-GHG input changed: {tf / to:.0f}x")
    print(f"full recalculation (2022-2024) {tf * 1000:.1f} ms; incremental {tg * 1000:.1f} ms and"
          f" {to * 1000:.1f} ms; best of {args.repeat}")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
