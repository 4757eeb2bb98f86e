"""A tiny run of ``bench/bench_report.py`` (the benchmark itself is never part of the test run):
the starting definition over a group with a few facts, built in English as HTML and XLSX.
No timing is asserted; the outputs must be real."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import openpyxl

from esgledger.report.build import load_workspace_definition
from esgledger.report.definition import DEFINITION_NAME, write_starting_definition
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write

BENCH = Path(__file__).parents[2] / "bench" / "bench_report.py"


def test_bench_report_smoke(tmp_path):
    spec = importlib.util.spec_from_file_location("bench_report", BENCH)
    bench = importlib.util.module_from_spec(spec)
    sys.modules["bench_report"] = bench
    try:
        spec.loader.exec_module(bench)
        ws = init_workspace(tmp_path / "ws", lang="en")
        assert not ws.import_entities(DEMO_ENTITIES).errors
        facts = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTSAL,taxes_paid,2024,19.47,亿元\n")
        assert ws.import_facts(facts, status="approved").ok
        ws.calc("2024")
        write_starting_definition(ws.path / DEFINITION_NAME, 2024)
        res = bench.measure(ws, load_workspace_definition(ws), tmp_path / "out", langs=("en",),
                            formats=("html", "xlsx"), period=2024)
        ws.close()
    finally:
        sys.modules.pop("bench_report", None)
    assert sorted(res["seconds"]) == ["html", "setup", "xlsx"]
    assert [p.name for p in res["outputs"]] == ["report-2024.en.html", "report-2024.en.xlsx"]
    html = res["outputs"][0].read_text(encoding="utf-8")
    assert "CNY 1.947 billion" in html  # 19.47 亿元 in English (UAT 15)
    wb = openpyxl.load_workbook(res["outputs"][1])
    assert {"KPI", "Index", "GRI index"} <= set(wb.sheetnames)
    assert "machine:" in bench.machine()
    assert "libreoffice-writer-nogui" in bench.LO_MISSING and "not installed" in bench.LO_MISSING
