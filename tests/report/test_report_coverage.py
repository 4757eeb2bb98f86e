"""A year of the report the ledger cannot fill stops the build with one problem, and the gap
check says so once and judges the articles on what the report prints (audit A5-H1, A5-L2).

The ledger: the demo group's 2024 facts (``esgledger.demo`` ``facts-2024.csv``), approved and
calculated on the operational-control basis only (``calc run --period 2024``). The starting
definition (``report init``) reports 2024 with 2022 and 2023 as comparison years, for which the
ledger has nothing.

- ``consolidation: control``: the build writes the report; 2022 and 2023 get one warning
  (ESG-REPORT-011), not one ESG-REPORT-007 per placeholder of P-1 / P-2; Art. 24 (Scope 1,
  Scope 2, their total: the required datapoints) is disclosed.
- ``consolidation: equity``: the ledger holds no equity-share figure of TSAL for 2024, so every
  figure would print "—": the build refuses with ESG-REPORT-009, naming the basis, the year and
  ``esgledger calc run --period 2024 --approach equity``, and writes nothing; the gap check has
  one item for it, no placeholder or chart items, and no article disclosed (Art. 24 has no data
  on that basis). After ``calc run --approach equity`` the build goes through.
- ``--period 2030``: nothing at all in the ledger: ESG-REPORT-010, refused, nothing written.
"""
from __future__ import annotations

from importlib import resources

import pytest
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.report.context import ReportContext
from esgledger.report.definition import load_definition, template_text
from esgledger.report.gap import check_gaps
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DEMO_ENTITIES

runner = CliRunner()


@pytest.fixture(scope="module")
def wsdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("coverage") / "ws"
    ws = init_workspace(d, lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
        assert ws.import_facts(p, status="approved").ok
    ws.calc("2024")
    text = template_text()
    (d / "report.yaml").write_text(text, encoding="utf-8")
    (d / "equity.yaml").write_text(text.replace("\nconsolidation: control", "\nconsolidation: equity"),
                                   encoding="utf-8")
    ws.close()
    yield d
    STATE.lang = "en"


def cli(wsdir, *args, lang="en"):
    return runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args])


def context(wsdir, name: str, period: int | None = None):
    ws = open_workspace(wsdir)
    defn, problems = load_definition(wsdir / name, ws.library)
    assert defn is not None, problems.flat()
    return ws, ReportContext(ws, defn, period)


def test_an_equity_report_without_equity_figures_is_refused_with_the_fix(wsdir):
    out = wsdir / "out-equity"
    r = cli(wsdir, "report", "build", "--definition", str(wsdir / "equity.yaml"), "--lang", "en",
            "--format", "html", "-o", str(out))
    assert r.exit_code == 1
    assert "equity.yaml (consolidation): ESG-REPORT-009 no figures on the report's consolidation basis: " \
           "the report prints the figures of TSAL on the equity share basis, and the ledger has none for 2024 " \
           "(it has operational control figures only); nothing was written: run esgledger calc run --period 2024 " \
           "--approach equity" in " ".join(r.output.split())
    # one problem, not one ESG-REPORT-007 per placeholder (and the comparison years' warning)
    assert [c for c in ("ESG-REPORT-007", "ESG-REPORT-009", "ESG-REPORT-011") if c in r.output] == \
        ["ESG-REPORT-009", "ESG-REPORT-011"] and r.output.count("ESG-REPORT-009") == 1
    assert not out.exists() or list(out.iterdir()) == []
    r = cli(wsdir, "report", "build", "--definition", str(wsdir / "equity.yaml"), "--lang", "zh",
            "--format", "html", "-o", str(out), lang="zh")
    assert r.exit_code == 1
    expected = ("ESG-REPORT-009 缺少报告合并口径的数据：报告按股权比例法列示 TSAL 的数据，台账中没有 2024 年按该口径计算的数据"
                "（仅有运营控制权法的数据）；未生成任何文件：请运行 esgledger calc run --period 2024 --approach equity")
    assert "".join(expected.split()) in "".join(r.output.split())  # the console wraps lines


def test_the_gap_check_names_the_basis_once_and_discloses_nothing_on_it(wsdir):
    ws, ctx = context(wsdir, "report.yaml")
    try:
        control = check_gaps(ctx, "en")
        art24 = next(i for i in control.items if i.article == 24)
        assert art24.status == "ok" and "its required data are all printed" in art24.detail
        assert [i for i in control.items if i.kind == "basis"] == []
    finally:
        ws.close()
    ws, ctx = context(wsdir, "equity.yaml")
    try:
        gap = check_gaps(ctx, "en")
        basis = [i for i in gap.items if i.kind == "basis"]
        assert [(i.status, i.text, i.action) for i in basis] == [(
            "missing",
            "the report prints the figures of TSAL on the equity share basis, and the ledger has none for 2024 "
            "(it has operational control figures only): those years print as dashes throughout, and report build "
            "refuses to write the report",
            "esgledger calc run --period 2024 --approach equity")]
        assert gap.items[0] == basis[0]  # the first thing to do
        # the 2024 placeholders and the charts are not listed one by one on top of it
        assert {i.kind for i in gap.items} & {"placeholder", "chart"} == set()
        assert gap.counts()["ok"] == 0
        art24 = next(i for i in gap.items if i.article == 24)
        assert art24.status != "ok" and "no data: " in art24.detail
        zh = check_gaps(ctx, "zh")
        assert [i.text for i in zh.items if i.kind == "basis"] == [
            "报告按股权比例法列示 TSAL 的数据，台账中没有 2024 年按该口径计算的数据（仅有运营控制权法的数据）："
            "报告中这些年度的数字均为“—”，report build 不会生成报告"]
    finally:
        ws.close()
    r = cli(wsdir, "report", "check", "--definition", str(wsdir / "equity.yaml"), "--json")
    assert r.exit_code == 0  # the check reports it as an item, it does not stop
    import json

    data = json.loads(r.output)
    assert data["other"]["basis"] == 1 and data["counts"]["ok"] == 0


def test_comparison_years_without_facts_are_named_once(wsdir):
    out = wsdir / "out-control"
    r = cli(wsdir, "report", "build", "--lang", "en", "--format", "html", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "report.yaml (period): ESG-REPORT-011 comparison years without facts: the ledger has no facts of " \
           "TSAL or the entities below it for 2022, 2023: those columns print as dashes" in text
    assert text.count("ESG-REPORT-011") == 1
    # the starting definition's P-1 placeholders (2023) are covered by it
    assert " 2023 at TSAL" not in text
    ws, ctx = context(wsdir, "report.yaml")
    try:
        gap = check_gaps(ctx, "zh")
        assert [(i.status, i.text) for i in gap.items if i.kind == "no_facts"] == [
            ("todo", "台账中没有 TSAL 及其下属主体 2022、2023 年的任何数据：这些年度的列以“—”显示")]
    finally:
        ws.close()


def test_a_year_without_any_fact_is_refused_with_one_problem(wsdir):
    out = wsdir / "out-2030"
    r = cli(wsdir, "report", "build", "--period", "2030", "--lang", "en", "--format", "html", "-o", str(out))
    assert r.exit_code == 1
    text = " ".join(r.output.split())
    assert text.count("ESG-REPORT-") == 1
    assert "report.yaml (period): ESG-REPORT-010 no facts for the reporting year: the ledger has no facts of TSAL " \
           "or the entities below it for 2030; nothing was written" in text
    assert not out.exists() or list(out.iterdir()) == []
    ws, ctx = context(wsdir, "report.yaml", 2030)
    try:
        gap = check_gaps(ctx, "en")
        assert [i.kind for i in gap.items if i.kind not in ("article", "topic_na")] == ["no_facts"]
    finally:
        ws.close()


def test_after_the_equity_calculation_the_equity_report_builds(wsdir):
    ws = open_workspace(wsdir)
    try:
        ws.calc("2024", "equity")
    finally:
        ws.close()
    out = wsdir / "out-equity-2"
    r = cli(wsdir, "report", "build", "--definition", str(wsdir / "equity.yaml"), "--lang", "en",
            "--format", "html", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "ESG-REPORT-009" not in r.output
    assert [p.name for p in out.iterdir()] == ["report-2024.en.html"]
