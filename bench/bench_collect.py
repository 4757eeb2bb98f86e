"""Benchmark (issue 4): collection workbooks for 500 entities × 300 indicators, out and in.

Workload: a generated group (1 holding, 24 companies, 475 plants) and a generated library of
``--indicators`` input indicators (default 300) over the shipped topics: numbers in several
units, every 10th broken down by gender (total + 2 rows), every 50th a category, every 30th
monthly (12 input columns). Last year's values are approved in the ledger, so every workbook
carries its reference column and the import checks every change against its threshold.

Ours:
* generation — :func:`esgledger.collect.templates.generate_workbooks`: one protected workbook
  per entity with data validation, references and the hidden checksum;
* import — :func:`esgledger.collect.submission.import_workbook` of each filled workbook (open,
  check the hidden sheet and the structure cell by cell, check every value, compute the
  warnings, append in one transaction) into a SQLite workspace (``--pg``: also PostgreSQL).

Baseline: openpyxl's own load of the same filled files, without validation:
``load_workbook(read_only=True)`` and reading every row of every sheet.

    python bench/bench_collect.py                     # 500 × 300
    python bench/bench_collect.py --entities 20 --indicators 50 --pg

Prints the ratio import / baseline (target ≤ 3), then workbooks per second, absolute times and
the machine. Files go to ``bench/_data/collect/`` (gitignored); ``--profile`` writes a cProfile
of the import to ``bench/_data/collect_import.prof``.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sys
import time
import uuid
from decimal import Decimal
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from esgledger.collect.campaign import Desk, open_campaign, reference_values  # noqa: E402
from esgledger.collect.submission import import_workbook  # noqa: E402
from esgledger.collect.templates import generate_workbooks, layout_for, write_workbook  # noqa: E402
from esgledger.library.loader import load_library_from  # noqa: E402
from esgledger.store import NewFact  # noqa: E402
from esgledger.store.access import ScopedStore  # noqa: E402
from esgledger.workspace import init_workspace  # noqa: E402

DATA = HERE / "_data" / "collect"
PG_BASE = os.environ.get("ESGLEDGER_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
SEED = 20261125
TARGET_RATIO = 3.0
UNITS = [("吨", False, None), ("万千瓦时", False, None), ("人", True, None), ("%", False, 100), ("万元", False, None),
         ("立方米", False, None), ("次", True, None), ("吨标准煤", False, None)]


class _Root:
    def __init__(self, own: Path):
        self.own = own
        self.shipped = resources.files("esgledger.library").joinpath("data")

    def joinpath(self, *parts):
        if parts[0] in ("indicators", "rules.yaml"):
            return self.own.joinpath(*parts)
        return self.shipped.joinpath(*parts)


def make_library(root: Path, n: int):
    (root / "indicators").mkdir(parents=True, exist_ok=True)
    import yaml

    topics = yaml.safe_load(resources.files("esgledger.library").joinpath("data", "topics.yaml")
                            .read_text(encoding="utf-8"))["topics"]
    topic_codes = [t["code"] for t in topics][:12]
    lines = ["indicators:"]
    for i in range(1, n + 1):
        code = f"b_{i:03d}"
        lines += [f"  - code: {code}", f"    name: {{zh: 基准指标{i}, en: Benchmark indicator {i}}}",
                  "    dimension: E", f"    topic: {topic_codes[i % len(topic_codes)]}",
                  # every entity is asked every indicator, whatever its topic's levels say
                  "    levels: [group, company, site, unit]"]
        if i % 50 == 0:
            lines += ["    value_type: category", "    values: [A, B, C, D]", "    aggregation: not_additive"]
            continue
        unit, integer, hi = UNITS[i % len(UNITS)]
        if i % 10 == 0:
            unit, integer, hi = "人", True, None
            lines.append("    dimensions: [gender]")
        lines.append(f'    unit: "{unit}"')
        if hi is not None:
            lines.append("    aggregation: not_additive")
        if i % 30 == 0:
            lines.append("    frequency: monthly")
        v = ["min: 0"] + ([f"max: {hi}"] if hi is not None else []) + (["integer: true"] if integer else []) \
            + (["change_threshold_pct: 30"] if i % 3 == 0 else [])
        lines.append("    validation: {" + ", ".join(v) + "}")
    (root / "indicators" / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    lib, problems = load_library_from(_Root(root))
    if lib is None:
        raise SystemExit("\n".join(p.render() for p in problems.errors[:10]))
    return lib


def make_tree(path: Path, n_entities: int) -> None:
    n_comp = min(24, max(1, n_entities // 20))
    lines = ["entities:", "  - {code: G, name: {zh: 基准集团, en: Bench group}, level: group, process_type: holding}"]
    for c in range(1, n_comp + 1):
        lines.append(f"  - {{code: C{c:02d}, name: {{zh: 公司{c}, en: Company {c}}}, level: company, "
                     f"process_type: smelter, parent: G}}")
    for p in range(1, n_entities - n_comp):
        lines.append(f"  - {{code: P{p:03d}, name: {{zh: 工厂{p}, en: Plant {p}}}, level: site, "
                     f"process_type: smelter, parent: C{(p % n_comp) + 1:02d}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def values_for(lib, layout, rng: random.Random, year: str) -> dict:
    out = {}
    for sh in layout.sheets:
        for s in sh.slots:
            ind = lib[s.indicator]
            periods = [f"{year}-{m:02d}" for m in range(1, 13)] if s.monthly else [year]
            for p in periods:
                if ind.value_type == "category":
                    out[(s.indicator, s.dims, p)] = rng.choice(ind.values)
                elif ind.dimensions:
                    if s.dims:
                        continue
                    total = rng.randint(100, 5000)
                    female = rng.randint(0, total)
                    out[(s.indicator, "", p)] = str(total)
                    out[(s.indicator, "gender=female", p)] = str(female)
                    out[(s.indicator, "gender=male", p)] = str(total - female)
                elif ind.validation.integer:
                    out[(s.indicator, s.dims, p)] = str(rng.randint(0, 500))
                elif ind.validation.max is not None:
                    out[(s.indicator, s.dims, p)] = str(Decimal(rng.randint(0, 10000)) / 100)
                else:
                    out[(s.indicator, s.dims, p)] = str(Decimal(rng.randint(0, 10 ** 8)) / 100)
    return out


def baseline(paths: list[Path]) -> float:
    import openpyxl

    t = time.perf_counter()
    for p in paths:
        wb = openpyxl.load_workbook(p, read_only=True)
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                pass
        wb.close()
    return time.perf_counter() - t


def setup(root: Path, url: str | None, lib, n_entities: int):
    ws = init_workspace(root / "ws", db=url, lang="en")
    make_tree(root / "tree.yaml", n_entities)
    problems = ws.import_entities(root / "tree.yaml")
    assert not problems.errors, problems.flat()[:5]
    desk = Desk(ScopedStore.system(ws.store, "bench"), lib, ws.tree, Path(ws.path), "en")
    return ws, desk


def run(n_entities: int, n_indicators: int, pg: bool, keep: bool, profile: bool = False,
        data: Path | None = None) -> dict:
    global DATA
    DATA = data or DATA
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    lib = make_library(DATA / "library", n_indicators)
    rng = random.Random(SEED)
    ws, desk = setup(DATA / "sqlite", None, lib, n_entities)
    c = open_campaign(desk, "2025", due="2026-03-31")
    entities = sorted(ws.tree.entities)
    layouts = {e: layout_for(desk, c, e, "en") for e in entities}
    # last year's approved values: the reference column and the change checks
    last = [NewFact(e, i, p.replace("2025", "2024"), d, v, lib[i].unit, status="approved")
            for e in entities for (i, d, p), v in values_for(lib, layouts[e], rng, "2025").items()]
    desk.store.append_facts(last, kind="api", source="bench: last year", return_ids=False)

    t = time.perf_counter()
    generate_workbooks(desk, c, DATA / "blank")
    t_gen = time.perf_counter() - t

    filled = []
    for e in entities:  # as filled by each plant (written directly: the same cells a person types)
        e_rec = ws.tree.entities[e]
        filled.append(write_workbook(DATA / "filled" / f"2025_{e}_en.xlsx", layouts[e], lib, secret=c.secret,
                                     entity_name=e_rec.name_en, due=c.due,
                                     references=reference_values(desk, c, e),
                                     values=values_for(lib, layouts[e], rng, "2025")))
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    # file by file, the baseline's load and then our import of the same file, so that whatever
    # else the machine is doing weighs on both alike
    t_imp = t_base = 0.0
    n_values = 0
    for p in filled:
        t_base += baseline([p])
        t = time.perf_counter()
        rep = import_workbook(desk, p)
        t_imp += time.perf_counter() - t
        if not rep.ok:
            raise SystemExit(f"{p.name}: " + "; ".join(x.render() for x in rep.problems.errors[:5]))
        n_values += len(rep.entries)
    if prof is not None:
        prof.disable()
        prof.dump_stats(str(DATA.parent / "collect_import.prof"))
    slots = sum(layouts[e].slot_count() for e in entities)
    res = {"entities": len(entities), "indicators": n_indicators, "rows": slots, "values": n_values,
           "gen_s": t_gen, "imp_s": t_imp, "base_s": t_base, "facts": ws.store.count_facts()}
    ws.close()
    if pg:
        res.update(_pg(lib, n_entities, filled))
    if not keep:
        shutil.rmtree(DATA / "blank", ignore_errors=True)
    return res


def _pg(lib, n_entities: int, filled: list[Path]) -> dict:
    import psycopg

    schema = "bench_collect_" + uuid.uuid4().hex[:8]
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
        ws, desk = setup(DATA / "pg", url, lib, n_entities)
        # the same campaign id and secret as the SQLite run, so the same files import
        from esgledger.collect.campaign import list_campaigns

        import sqlite3
        con = sqlite3.connect(DATA / "sqlite" / "ws" / "ledger.db")
        secret = con.execute("SELECT secret FROM campaign WHERE id = 1").fetchone()[0]
        con.close()
        open_campaign(desk, "2025", due="2026-03-31", secret=secret)
        assert [c.id for c in list_campaigns(desk)] == [1]
        t = time.perf_counter()
        for p in filled:
            rep = import_workbook(desk, p)
            assert rep.ok, rep.flat()[:5]
        t_pg = time.perf_counter() - t
        ws.close()
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return {"imp_pg_s": t_pg}


def machine() -> str:
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    mem = "?"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    return f"nproc {nproc}, memory {mem}, {platform.python_implementation()} {platform.python_version()}, {platform.machine()}"


def report(res: dict) -> str:
    n = res["entities"]
    lines = [
        f"import / baseline (openpyxl read-only load of the same files): {res['imp_s'] / res['base_s']:.2f}x "
        f"(target <= {TARGET_RATIO:.0f}x)",
        f"generation: {n / res['gen_s']:.1f} workbooks/s ({res['gen_s']:.1f} s for {n})",
        f"import (SQLite): {n / res['imp_s']:.1f} workbooks/s ({res['imp_s']:.1f} s; {res['values']} values, "
        f"{res['values'] / res['imp_s']:.0f} values/s)",
        f"baseline: {n / res['base_s']:.1f} workbooks/s ({res['base_s']:.1f} s)",
    ]
    if "imp_pg_s" in res:
        lines.append(f"import (PostgreSQL): {n / res['imp_pg_s']:.1f} workbooks/s ({res['imp_pg_s']:.1f} s; "
                     f"{res['imp_pg_s'] / res['base_s']:.2f}x the baseline)")
    lines.append(f"workload: {n} entities x {res['indicators']} indicators = {res['rows']} input rows; "
                 f"ledger {res['facts']} facts after import")
    lines.append(f"machine: {machine()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=500)
    ap.add_argument("--indicators", type=int, default=300)
    ap.add_argument("--pg", action="store_true", help="also import into PostgreSQL")
    ap.add_argument("--keep", action="store_true", help="keep the blank workbooks")
    ap.add_argument("--profile", action="store_true", help="write a cProfile of the SQLite import to bench/_data/")
    a = ap.parse_args(argv)
    res = run(a.entities, a.indicators, a.pg, a.keep, a.profile)
    print(report(res))
    return 0 if res["imp_s"] / res["base_s"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
