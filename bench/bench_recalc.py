"""Benchmark: full recalculation of the demo group vs an incremental one after one input
changes (issue 3, target >= 50x).

    python bench/bench_recalc.py [--repeat 5]

* full: ``recalculate(..., full=True)`` for every period of the demo (2022, 2023, 2024): new
  run objects, every methodology and every consolidation recomputed from the facts read afresh
  (nothing kept from an earlier run is used); it writes only values that changed, as any run.
* incremental: after exactly one input fact changed in 2024 (an import of one row), the run of
  2024, which reads the facts appended since its last run and recomputes what they reach.

Both go through :func:`esgledger.calc.recalc.recalculate`, the engine behind ``esgledger calc
run``. After the incremental runs, a full run must find nothing to change (checked here);
tests/calc/test_recalc.py compares the ledgers fact by fact.
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from rich.console import Console

from esgledger.calc.recalc import recalculate
from esgledger.demo.build import build_demo
from esgledger.workspace import open_workspace


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        build_demo(Path(d) / "ws", console=Console(quiet=True), kpi=False, report_formats=())
        ws = open_workspace(Path(d) / "ws")
        store = ws.calc_store

        def calc(period: str, full: bool = False):
            return recalculate(store, ws.library, ws.tree, ws.factors, period, ws.approach,
                               gwp_set=ws.gwp_set, full=full, note="bench")

        female = int(ws.value("NJTS", "employees", "2024", "gender=female", basis="own").value)
        full, full_2024, inc_ghg, inc_other = [], [], [], []
        for i in range(args.repeat):
            t = time.perf_counter()
            for year in ("2022", "2023", "2024"):  # the whole demo group, every period
                t_year = time.perf_counter()
                r = calc(year, full=True)
                assert not r.incremental
            full_2024.append(time.perf_counter() - t_year)  # the period the incremental run redoes
            full.append(time.perf_counter() - t)
            for header, row, times, ghg in (
                    # an input the GHG methods read: the refinery's natural gas
                    ("", f"JXTG,natural_gas_consumption,2024,{20000000 + i},立方米", inc_ghg, True),
                    # one they do not: a plant's female head count
                    (",gender", f"NJTS,employees,2024,{female + 1 + i},人,female", inc_other, False)):
                f = Path(d) / f"change{i}.csv"
                f.write_text(f"entity,indicator,period,value,unit{header}\n{row}\n", encoding="utf-8")
                rep = ws.import_facts(f)
                assert rep.ok and len(rep.facts) == 1
                t = time.perf_counter()
                r = calc("2024")
                times.append(time.perf_counter() - t)
                assert r.incremental and r.written > 0 and (r.ghg is not None) == ghg, r
        check = calc("2024", full=True)
        assert check.written == 0 and check.ghg.written == 0, "incremental runs left the ledger unlike a full one"
        ws.close()
    tf, tg, to = min(full), min(inc_ghg), min(inc_other)
    med = sorted(full)[len(full) // 2]
    print(f"full / incremental, a GHG input changed:     {tf / tg:.0f}x   (target >= 50x)")
    print(f"full / incremental, a non-GHG input changed: {tf / to:.0f}x")
    t24 = min(full_2024)
    print(f"the same against a full run of 2024 alone ({t24 * 1000:.1f} ms): "
          f"{t24 / tg:.0f}x (GHG input), {t24 / to:.0f}x (non-GHG input)")
    print(f"full recalculation (2022-2024) {tf * 1000:.1f} ms (median {med * 1000:.1f}); incremental "
          f"{tg * 1000:.2f} ms (median {sorted(inc_ghg)[len(inc_ghg) // 2] * 1000:.2f}) and {to * 1000:.2f} ms "
          f"(median {sorted(inc_other)[len(inc_other) // 2] * 1000:.2f}); best of {args.repeat}")
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}")


if __name__ == "__main__":
    main()
