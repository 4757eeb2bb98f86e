"""`calc run --view` and `calc reconcile` say which figures leave out a source (calc/incomplete.py).

The group of tests/calc/test_incomplete_sources.py: G > S > (P, V), G > W, where the Søderberg
line V's PFC cannot be computed (IPCC 2006 gives overvoltage coefficients for CWPB and SWPB
only). By hand (that file's docstring): V's Scope 1 = 17 000 t, marked; P's 14 884.7433 and W's
1 815, complete; S (control) = 31 884.7433 and G = 33 699.7433, marked; the ETS entry S =
31 868.0767, marked, W's 1 815 not; the electrolysis stage 33 097.0433 t, marked. Scope 2 and
Scope 3 read none of V's sources: unmarked everywhere.
"""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from esgledger.cli import STATE, app, console
from esgledger.workspace import init_workspace
from tests.calc.test_incomplete_sources import V_PFC, VSS_FACTS, VSS_LINE
from tests.conftest import DATA, write

GHG = DATA / "ghg"
EN = "*1 incomplete: leaves out source Anode effects (PFC) (pfc) of V (VSS potline) (ESG-CALC-005)"
ZH = "*1 不完整：未计入 V（上插槽系列） 的 阳极效应（全氟化碳）（pfc） 排放源（ESG-CALC-005）"


@pytest.fixture(scope="module")
def vss(tmp_path_factory):
    d = tmp_path_factory.mktemp("vss")
    w = init_workspace(d / "ws", lang="en")
    tree = (GHG / "tree.yaml").read_text(encoding="utf-8") + VSS_LINE
    assert not w.import_entities(write(d / "tree.yaml", tree)).errors
    assert w.import_facts(GHG / "facts.csv").ok
    assert w.import_facts(write(d / "v.csv", VSS_FACTS)).ok
    w.calc("2024")
    path = str(w.path)
    w.close()
    return path


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    """A terminal wide enough that no table cell wraps (the CLI keeps the width it was given)."""
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setattr(console, "width", 400)


def cli(ws: str, lang: str, *args: str) -> str:
    try:
        r = CliRunner().invoke(app, ["--lang", lang, "-w", ws, *args])
    finally:
        STATE.lang = "en"
    assert r.exit_code == 0, r.output
    return r.output


def rows(output: str) -> list[list[str]]:
    """The cells of each row of the printed table (one line each: the terminal is wide)."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in output.splitlines() if line.startswith("│")]


def test_the_inventory_view_references_each_marked_figure_and_says_the_mark_under_the_table(vss):
    for lang, note in (("en", EN), ("zh", ZH)):
        out = cli(vss, lang, "calc", "run", "--period", "2024", "--view", "inventory")
        got = [(r[0], [c.endswith(" *1") for c in r[1:]]) for r in rows(out)]
        names = {"en": ["Group", "Smelter company", "Potline", "VSS potline", "Captive plant"],
                 "zh": ["集团", "电解铝公司", "电解系列", "上插槽系列", "自备电厂"]}[lang]
        # columns: Scope 1, Scope 2 location, Scope 2 market, Scope 3
        assert got == [(names[0], [True, False, False, False]), (names[1], [True, False, False, False]),
                       (names[2], [False, False, False, False]), (names[3], [True, False, False, False]),
                       (names[4], [False, False, False, False])]
        assert rows(out)[0][1] == "33,700 *1" and rows(out)[2][1] == "14,885"
        assert out.splitlines()[-1] == note       # under the table, once for the three figures
        assert out.count("*1") == 4


def test_the_view_json_carries_the_stored_mark_and_null_elsewhere(vss):
    data = json.loads(cli(vss, "zh", "calc", "run", "--period", "2024", "--view", "inventory", "--json"))
    got = [(r["key"], r["incomplete"]) for r in data["view"]["rows"]]
    none = {"scope2_location": None, "scope2_market": None, "scope3_emissions": None}
    assert got == [("G", {"scope1_emissions": V_PFC, **none}), ("S", {"scope1_emissions": V_PFC, **none}),
                   ("P", {"scope1_emissions": None, **none}), ("V", {"scope1_emissions": V_PFC, **none}),
                   ("W", {"scope1_emissions": None, **none})]
    ets = json.loads(cli(vss, "en", "calc", "run", "--period", "2024", "--view", "ets", "--json"))
    assert [(r["key"], r["incomplete"]["ets_emissions"], r["incomplete"]["ets_intensity"])
            for r in ets["view"]["rows"]] == [("S", V_PFC, V_PFC), ("W", None, None)]


def test_reconcile_marks_the_lines_and_totals_resting_on_a_marked_figure(vss):
    """The sources' lines that are complete figures (V's anode 17 000 t is all of V's anode CO2):
    no mark; V's PFC line, 0 (none of it could be computed), marked, so the reader sees where
    the hole is; the ETS method difference of S (31 868.0767 − 14 314.6667 − 570.0767 − 17 000 =
    −16.6667 t) rests on S's marked ETS total: marked; the columns whose view total leaves out
    V's PFC are marked — Scope 1, S's ETS entry, the electrolysis stage — and no other."""
    data = json.loads(cli(vss, "en", "calc", "reconcile", "--period", "2024", "--json"))
    assert [(ln["entity"], ln["item"], ln["incomplete"]) for ln in data["lines"]] == [
        ("P", "anode", None), ("P", "pfc", None), ("V", "anode", None), ("V", "pfc", V_PFC),
        ("W", "power_generation", None),
        ("S", "ets_method", V_PFC), ("P", "scope2", None), ("P", "scope3:c3", None), ("W", "scope3:c3", None)]
    assert {c["key"]: c["incomplete"] for c in data["columns"]} == {
        "inventory:scope1_emissions": V_PFC, "inventory:scope2_location": None, "inventory:scope2_market": None,
        "inventory:scope3_emissions": None, "ets:S": V_PFC, "ets:W": None,
        "product:aluminium_electrolysis": V_PFC}
    (method,) = [ln for ln in data["lines"] if ln["item"] == "ets_method"]
    assert round(float(method["values"]["ets:S"]), 4) == -16.6667
    (pfc,) = [ln for ln in data["lines"] if (ln["entity"], ln["item"]) == ("V", "pfc")]
    assert {k: float(x) for k, x in pfc["values"].items()} == {
        "inventory:scope1_emissions": 0, "ets:S": 0, "product:aluminium_electrolysis": 0}


@pytest.mark.parametrize("lang,note,total", [("en", EN, "total"), ("zh", ZH, "合计")])
def test_reconcile_text_references_the_marked_line_and_totals(vss, lang, note, total):
    out = cli(vss, lang, "calc", "reconcile", "--period", "2024")
    table = rows(out)
    marked = [(r[0], r[1]) for r in table if r[1].endswith(" *1")]
    assert marked == [("V", "Anode effects (PFC) *1" if lang == "en" else "阳极效应（全氟化碳） *1"),
                      ("S", "ETS PFC method difference *1" if lang == "en" else "全国碳市场 PFC 方法差异 *1")]
    # the column sums and the views' totals: Scope 1, S's entry and the electrolysis stage
    # marked; Scope 2, Scope 3 and W's entry not
    (sums,) = [r for r in table if r[1] == total]
    assert [c.endswith(" *1") for c in sums[3:-1]] == [True, False, False, False, True, False, True]
    assert sums[3] == "33,700 *1"
    assert note in out.splitlines()
    assert sum(line.startswith("*1 ") for line in out.splitlines()) == 1
