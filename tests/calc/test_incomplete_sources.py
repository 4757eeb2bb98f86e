"""A methodology that cannot run for one source (ESG-CALC-005) must not leave totals that look
complete (audit A3-H2).

The two ways the audit made a method fail are stopped where the user made the mistake: a
current efficiency typed as a fraction is refused at import (it has a physical range), and two
of the workspace's factor sets clashing is refused when the sets load (tests/calc/test_factors.py,
ESG-FACTOR-011). What still cannot run marks every total that should have included it.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from esgledger.workspace import init_workspace
from tests.conftest import DATA, write

GHG = DATA / "ghg"


@pytest.fixture
def ws(tmp_path):
    w = init_workspace(tmp_path / "ws", lang="en")
    assert not w.import_entities(GHG / "tree.yaml").errors
    assert w.import_facts(GHG / "facts.csv").ok
    yield w
    w.close()


# --- 1. fractions typed for percentages, refused at import -----------------------------------
@pytest.mark.parametrize("row,expected_en,expected_zh", [
    # industrial prebake cells run at about 85–97 %: 0.95 is 95 % typed as a fraction, which
    # would make the overvoltage method's PFC 100 × too high (1.16 × 9 / 0.95 kg CF4/t)
    ("P,current_efficiency,2024,0.95,%", "found 0.95, expected from 50 to 100 %", "实际为 0.95，应为 50–100 %"),
    # limestone is a rock of more than 50 % CaCO3
    ("W,desulph_sorbent_purity,2024,0.92,%", "found 0.92, expected from 50 to 100 %", "实际为 0.92，应为 50–100 %"),
])
def test_a_fraction_typed_for_a_percent_is_refused_at_import_with_its_line(ws, tmp_path, row, expected_en,
                                                                           expected_zh):
    path = write(tmp_path / "pct.csv", "entity,indicator,period,value,unit\n" + "W,power_supplied,2024,2000,兆瓦时\n"
                 + row + "\n")
    rep = ws.import_facts(path)
    assert not rep.ok
    assert rep.problems.flat() == [("pct.csv:3 [value]", "ESG-IMPORT-014")]
    (p,) = rep.problems
    assert expected_en in p.render("en") and expected_zh in p.render("zh")
    # all or nothing: the file's other row is not in the ledger either (its value stays 2000 from
    # the fixture, and no revision 2 was written)
    assert [h.revision for h in ws.history("W", "power_supplied", "2024")] == [1]


def test_the_percent_itself_is_taken(ws, tmp_path):
    rep = ws.import_facts(write(tmp_path / "ok.csv", "entity,indicator,period,value,unit\n"
                                "P,current_efficiency,2024,95,%\nW,desulph_sorbent_purity,2024,92,%\n"))
    assert rep.ok, rep.problems.flat()
    assert Decimal(ws.value("P", "current_efficiency", "2024").value) == Decimal(95)


# --- 2. a source that genuinely cannot run: the totals above it are marked ---------------------
VSS_LINE = """  - {code: V, name: {zh: 上插槽系列, en: VSS potline}, level: unit, process_type: smelter, province: 新疆, grid_region: northwest, parent: S, attrs: {cell_technology: VSS}}
"""
VSS_FACTS = ("entity,indicator,period,value,unit\nV,aluminium_output,2024,10000,吨\n"
             "V,anode_effect_overvoltage,2024,9,mV\nV,current_efficiency,2024,95,%\n")
V_PFC = "incomplete: V/pfc (ESG-CALC-005)"


@pytest.fixture
def vss(tmp_path):
    """The four-entity group of tests/calc/test_ghg.py plus a Søderberg line V (VSS) of the
    smelter company S, whose overvoltage data the overvoltage method cannot take: IPCC 2006
    Tables 4.15/4.16 give overvoltage coefficients for CWPB and SWPB only."""
    tree = (GHG / "tree.yaml").read_text(encoding="utf-8") + VSS_LINE
    w = init_workspace(tmp_path / "ws", lang="en")
    assert not w.import_entities(write(tmp_path / "tree.yaml", tree)).errors
    assert w.import_facts(GHG / "facts.csv").ok
    assert w.import_facts(write(tmp_path / "v.csv", VSS_FACTS)).ok
    yield w
    w.close()


def _fact(w, entity, indicator, dims="", basis="own"):
    f = w.value(entity, indicator, "2024", dims, basis=basis)
    return None if f is None else (round(Decimal(f.value), 4), f.comment)


def test_scope1_ets_and_product_without_the_pfc_are_marked(vss):
    """Hand arithmetic (tests/calc/test_ghg.py for P and W):

    * V: anode CO2 by IPCC Tier 1 for Søderberg (Table 4.10: 1.7 t CO2/t Al) = 1.7 × 10 000 =
      17 000 t; its PFC cannot be computed (no IPCC overvoltage coefficient for VSS), so its
      Scope 1 is 17 000 without the PFC, marked;
    * P: Scope 1 14 314.6667 + 570.07665 = 14 884.7433, complete, no mark; W: 1 815, no mark;
    * S (control) = 14 884.7433 + 17 000 = 31 884.7433, marked; G = 31 884.7433 + 1 815 =
      33 699.7433, marked;
    * ETS S = P anode 14 314.6667 + P PFC at the guideline's coefficients 553.41 + V anode 17 000
      = 31 868.0767, marked; the captive plant W's 1 815, not marked;
    * electrolysis stage = P's 16 097.0433 (anode, PFC, captive and grid electricity) + V's
      17 000 = 33 097.0433 t over 10 000 + 10 000 t = 1.65485217 t/t, marked."""
    res = vss.calc("2024")
    assert [str(p.location) for p in res.problems if p.code == "ESG-CALC-005"] == ["(V/anode_effect_overvoltage)"]
    assert res.ghg.left_out == [("V", "pfc", "ESG-CALC-005")]
    assert _fact(vss, "V", "emissions_by_source", "emission_source=anode") == (Decimal("17000.0000"), None)
    assert _fact(vss, "V", "emissions_by_source", "emission_source=pfc") == (Decimal(0), V_PFC)
    assert _fact(vss, "V", "scope1_emissions") == (Decimal("17000.0000"), V_PFC)
    assert _fact(vss, "V", "scope1_emissions", "gas=co2") == (Decimal("17000.0000"), V_PFC)
    assert _fact(vss, "P", "scope1_emissions") == (Decimal("14884.7433"), None)
    assert _fact(vss, "W", "scope1_emissions") == (Decimal("1815.0000"), None)
    assert _fact(vss, "S", "scope1_emissions", basis="control") == (Decimal("31884.7433"), V_PFC)
    assert _fact(vss, "G", "scope1_emissions", basis="control") == (Decimal("33699.7433"), V_PFC)
    assert _fact(vss, "S", "ets_emissions") == (Decimal("31868.0767"), V_PFC)
    assert _fact(vss, "W", "ets_emissions") == (Decimal("1815.0000"), None)
    assert _fact(vss, "G", "product_emissions", "product=aluminium_electrolysis") == (Decimal("33097.0433"), V_PFC)
    f = vss.value("G", "product_footprint", "2024", "product=aluminium_electrolysis")
    assert round(Decimal(f.value), 8) == Decimal("1.65485217") and f.comment == V_PFC
    # Scope 2 and the energy of the potline P do not read V's sources: no mark
    assert _fact(vss, "P", "scope2_market")[1] is None


def test_the_parents_figure_of_the_source_carries_the_mark(vss):
    """The per-source breakdown up the tree (control: every share 100 %). By hand: V's PFC row
    is 0 — the part of it that could be computed: none — marked; S's PFC = P's 570.07665 (the
    slope method, tests/calc/test_ghg.py: 71.5 kg CF4 × 6 630 + 8.6515 kg C2F6 × 11 100) + V's 0
    = 570.07665, marked: it is low by V's PFC, and says so; G's the same (W has no PFC). The
    anode, complete at both lines, is not marked: S's = 14 314.6667 + 17 000 = 31 314.6667."""
    vss.calc("2024")
    pfc = [(e, b, round(Decimal(f.value), 5), f.comment) for e, b in [("V", "own"), ("S", "control"), ("G", "control")]
           for f in [vss.value(e, "emissions_by_source", "2024", "emission_source=pfc", basis=b)]]
    assert pfc == [("V", "own", Decimal("0"), V_PFC), ("S", "control", Decimal("570.07665"), V_PFC),
                   ("G", "control", Decimal("570.07665"), V_PFC)]
    assert _fact(vss, "S", "emissions_by_source", "emission_source=anode", basis="control") == (
        Decimal("31314.6667"), None)
    # the row's lineage names the facts the PFC method could not take, and says why it is 0
    f = vss.value("V", "emissions_by_source", "2024", "emission_source=pfc")
    assert {i.indicator for i, _r, _w in vss.store.inputs_of(f.id)} == {
        "aluminium_output", "anode_effect_overvoltage", "current_efficiency"}
    from esgledger.report.figure_notes import method_name
    assert method_name("inventory.source_left_out", "en").startswith("an emission source whose methodology")
    assert method_name("inventory.source_left_out", "zh").startswith("核算方法无法执行的排放源")


def test_the_mark_goes_when_the_source_can_be_computed_again(vss):
    """The overvoltage data withdrawn, V has no anode-effect data at all: its PFC takes IPCC
    Table 4.14's Tier 1 for VSS (ESG-CALC-008 says a default was used), and the totals lose
    their mark: nothing is left out any more."""
    vss.calc("2024")
    vss.withdraw_facts([("V", "anode_effect_overvoltage", "2024", ""), ("V", "current_efficiency", "2024", "")],
                       reason="test")
    res = vss.calc("2024")
    assert not res.ghg.left_out
    assert vss.value("V", "emissions_by_source", "2024", "emission_source=pfc") is not None
    for entity, indicator, dims, basis in [("V", "scope1_emissions", "", "own"), ("G", "scope1_emissions", "", "control"),
                                           ("S", "ets_emissions", "", "own"),
                                           ("G", "product_footprint", "product=aluminium_electrolysis", "own")]:
        assert vss.value(entity, indicator, "2024", dims, basis=basis).comment is None, (entity, indicator)


def test_explain_history_and_the_run_summary_say_what_is_left_out(vss):
    from typer.testing import CliRunner

    from esgledger.cli import app

    ws = str(vss.path)
    vss.close()
    runner = CliRunner()
    r = runner.invoke(app, ["--lang", "en", "-w", ws, "calc", "run", "--period", "2024"])
    assert r.exit_code == 0, r.output          # written, and every total that leaves the PFC out says so
    assert "the totals that should include them are written marked incomplete" in r.output
    assert "V (VSS potline): Anode effects (PFC) (pfc) (ESG-CALC-005)" in r.output
    r = runner.invoke(app, ["--lang", "zh", "-w", ws, "calc", "run", "--period", "2024", "--full"])
    assert r.exit_code == 0, r.output
    assert "应包含它们的合计值已写入并标注为不完整" in r.output
    assert "V（上插槽系列）：阳极效应（全氟化碳）（pfc）（ESG-CALC-005）" in r.output
    r = runner.invoke(app, ["--lang", "en", "-w", ws, "explain", "scope1_emissions", "--entity", "G",
                            "--period", "2024", "--basis", "control"])
    assert r.exit_code == 0, r.output
    first = r.output.splitlines()[0]
    assert "33,700 t CO2e  [exact 33699.7433" in first
    # beside it: the inputs, imported without --status, are submitted, not yet approved (audit A5-L3)
    assert "[incomplete: leaves out source Anode effects (PFC) (pfc) of V (VSS potline) (ESG-CALC-005); " \
           "rests on data not yet approved: " in first
    r = runner.invoke(app, ["--lang", "zh", "-w", ws, "explain", "ets_emissions", "--entity", "S",
                            "--period", "2024"])
    assert "[不完整：未计入 V（上插槽系列） 的 阳极效应（全氟化碳）（pfc） 排放源（ESG-CALC-005）；所依据的数据尚未批准：" \
        in r.output.splitlines()[0]
    # the lineage of V's Scope 1 names the facts of the PFC method that could not run
    r = runner.invoke(app, ["--lang", "en", "-w", ws, "explain", "scope1_emissions", "--entity", "V",
                            "--period", "2024"])
    assert "anode_effect_overvoltage" in r.output and "current_efficiency" in r.output
    r = runner.invoke(app, ["--lang", "en", "-w", ws, "history", "scope1_emissions", "--entity", "G",
                            "--period", "2024", "--basis", "control"])
    assert r.exit_code == 0, r.output
    assert "leaves out" in r.output           # the table: the mark in the reader's words (wrapped)
    r = runner.invoke(app, ["--lang", "en", "-w", ws, "history", "scope1_emissions", "--entity", "G",
                            "--period", "2024", "--basis", "control", "--json"])
    assert [row["reason"] for row in json.loads(r.output)] == [V_PFC]   # as stored


def test_the_report_marks_a_figure_resting_on_an_incomplete_total(vss):
    """The report's figure marks (report/figure_notes.py): the group's Scope 1 and what is
    computed from it are ``incomplete``, the strongest mark; the captive plant's Scope 1 and the
    potline P's, which leave nothing out, carry none. The note says so in both languages."""
    from esgledger.report.figure_notes import FIGURE_NOTES, figure_statuses

    vss.calc("2024")
    ids = {k: vss.value(*k[:2], "2024", k[2], basis=k[3]).id for k in [
        ("G", "scope1_emissions", "", "control"), ("W", "scope1_emissions", "", "own"),
        ("P", "scope1_emissions", "", "own"), ("G", "product_footprint", "product=aluminium_electrolysis", "own")]}
    got = figure_statuses(vss.store, set(ids.values()), "G")
    assert {k[:2] + (k[3],): got.get(i) for k, i in ids.items()} == {
        ("G", "scope1_emissions", "control"): "incomplete", ("W", "scope1_emissions", "own"): None,
        ("P", "scope1_emissions", "own"): None, ("G", "product_footprint", "own"): "incomplete"}
    assert FIGURE_NOTES["incomplete"]["en"].startswith("Incomplete: the figure leaves out an emission source")
    assert FIGURE_NOTES["incomplete"]["zh"].startswith("不完整：该数值未计入核算方法无法执行的排放源")


def test_the_parents_figure_of_each_gas_carries_the_mark(vss):
    """Scope 1 by gas up the tree (control: every share 100 %). V's PFC cannot run, and no other
    source of V emits CF4 or C2F6, so V has a CF4 and a C2F6 part at 0, marked: the part of them
    that could be computed. By hand (tests/calc/test_ghg.py for P): P's CF4 0.0715 t × 6 630 =
    474.045 and C2F6 0.0086515 t × 11 100 = 96.03165 t CO2e; S's and G's CF4 and C2F6 are P's,
    marked, as they are low by V's; CO2: S = P's anode 14 314.6667 + V's 17 000 = 31 314.6667,
    G = that + W's 1 815 = 33 129.6667, marked; G's gases add up to its Scope 1 33 699.7433."""
    vss.calc("2024")
    assert _fact(vss, "V", "scope1_emissions", "gas=cf4") == (Decimal(0), V_PFC)
    assert _fact(vss, "V", "scope1_emissions", "gas=c2f6") == (Decimal(0), V_PFC)
    for entity in ("S", "G"):
        assert _fact(vss, entity, "scope1_emissions", "gas=cf4", basis="control") == (Decimal("474.0450"), V_PFC)
        f = vss.value(entity, "scope1_emissions", "2024", "gas=c2f6", basis="control")
        assert (Decimal(f.value), f.comment) == (Decimal("96.03165"), V_PFC)
    assert _fact(vss, "S", "scope1_emissions", "gas=co2", basis="control") == (Decimal("31314.6667"), V_PFC)
    assert _fact(vss, "G", "scope1_emissions", "gas=co2", basis="control") == (Decimal("33129.6667"), V_PFC)
    gases = sum(Decimal(vss.value("G", "scope1_emissions", "2024", f"gas={g}", basis="control").value)
                for g in ("co2", "cf4", "c2f6"))
    assert round(gases, 4) == round(Decimal(vss.value("G", "scope1_emissions", "2024", basis="control").value), 4)
    # P's own parts are complete: not marked
    assert _fact(vss, "P", "scope1_emissions", "gas=cf4") == (Decimal("474.0450"), None)
    # once V's PFC runs again (IPCC Tier 1, the overvoltage data withdrawn), its gases are computed
    # and nothing up the tree is marked
    vss.withdraw_facts([("V", "anode_effect_overvoltage", "2024", ""), ("V", "current_efficiency", "2024", "")],
                       reason="test")
    vss.calc("2024")
    assert Decimal(vss.value("V", "scope1_emissions", "2024", "gas=cf4").value) > 0
    for g in ("co2", "cf4", "c2f6"):
        assert vss.value("G", "scope1_emissions", "2024", f"gas={g}", basis="control").comment is None, g


def test_each_source_emits_the_gases_the_run_gives_its_parts_when_it_cannot_run():
    """SOURCE_GASES says which gases a source that cannot run stands for: what its methods give.
    The PFC methods (IPCC 2006 Vol.3 §4.4.2.4, Tables 4.14-4.16): CF4 and C2F6; anode, carbonate
    and the other process sources (IPCC 2006 Vol.3 ch.4; NDRC 2013): CO2."""
    from esgledger.calc.ghg import OTHER_SOURCE_GASES, SOURCE_GASES
    from esgledger.calc.methods import aluminium as m_al
    from esgledger.calc.methods.result import load_factor_sets

    fx = load_factor_sets()
    pfc = [m_al.pfc_tier1(Decimal(1000), "CWPB", fx, "AR5"),
           m_al.pfc_slope(Decimal(1000), Decimal("0.05"), "CWPB", fx, "AR5"),
           m_al.pfc_overvoltage(Decimal(1000), Decimal(9), Decimal(95), "CWPB", fx, "AR5")]
    assert all(set(r.values) == set(SOURCE_GASES["pfc"]) for r in pfc)
    assert set(m_al.anode_co2_tier1(Decimal(1000), "prebake", factors=fx).values) == set(OTHER_SOURCE_GASES)
    assert set(SOURCE_GASES) == {"pfc"}
