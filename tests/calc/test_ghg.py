"""The GHG engine over the ledger, on a four-entity group, with every number worked by hand.

Hand arithmetic (AR5 GWPs; factors as the documented rules pick them for 2024: the latest grid
factors by data year, 2023, northwest 0.5543 average and 0.6096 national residual mix; power
coal oxidation 99 % from the 2022 power-generation guideline revision):

* anode (IPCC 2006 Eq.4.21, Tier 3): NAC = 4000 / 10000 = 0.4 t C/t; 0.4 × 10000 × (100-2-0.4)/100
  × 44/12 = 3904 × 44/12 = 14314.6667 t CO2
* PFC by slope (Eq.4.26, CWPB 0.143, C2F6/CF4 0.121): CF4 = 0.143 × 0.05 × 10000 kg = 71.5 kg;
  C2F6 = 8.6515 kg; CO2e = 0.0715 × 6630 + 0.0086515 × 11100 = 474.045 + 96.03165 = 570.07665 t
* captive plant: 1000 t × 20 GJ/t × 0.025 t C/GJ × 0.99 × 44/12 = 1815 t CO2; per MWh supplied
  1815 / 2000 = 0.9075 t/MWh
* Scope 2 of the potline: location (500 + 100) × 0.5543 = 332.58; market 100 green at zero,
  500 × 0.6096 = 304.8
* product (electrolysis): 14314.6667 + 570.07665 + 1000 × 0.9075 + 500 × 0.6096
  = 14884.7433 + 907.5 + 304.8 = 16097.0433 t, per tonne 1.609704; no cradle-to-gate figure,
  as the potline's alumina consumption is not given
* ETS: the national guideline's PFC coefficients (MEE CETS-AG-04.01-V01-2024 as implemented,
  domain reference §2.3: slope 0.143, EF_C2F6 = 0.1 × EF_CF4): CF4 71.5 kg as above, C2F6
  7.15 kg; 0.0715 × 6630 + 0.00715 × 11100 = 474.045 + 79.365 = 553.41 t; smelter enterprise S
  (with its unit P) = 14314.6667 + 553.41 = 14868.0767; power plant W = 1815
"""
from decimal import Decimal

import pytest

from esgledger.store import schema as S
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DATA, close, v

GHG = DATA / "ghg"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("ghg") / "ws"
    init_workspace(root, lang="en").close()
    w = open_workspace(root)
    assert not w.import_entities(GHG / "tree.yaml").errors
    rep = w.import_facts(GHG / "facts.csv")
    assert rep.problems.flat() == []
    res = w.calc("2024")
    # emissions and energy but no revenue or output value in this small group: the two
    # intensities cannot be computed, and the run says so
    assert sorted((p.code, p.params["indicator"], p.params["found"]) for p in res.problems) == [
        ("ESG-CALC-001", "energy_intensity_output_value", "industrial_output_value"),
        ("ESG-CALC-001", "ghg_intensity_revenue", "operating_revenue")]
    yield w
    w.close()


def test_sources_by_hand(ws):
    assert close(v(ws, "P", "emissions_by_source", "emission_source=anode"), "14314.6667")
    assert close(v(ws, "P", "emissions_by_source", "emission_source=pfc"), "570.07665")
    assert close(v(ws, "W", "emissions_by_source", "emission_source=power_generation"), "1815")
    assert v(ws, "W", "captive_plant_ef") == Decimal("0.9075")


def test_inventory_scope1_by_gas_and_scope2(ws):
    # CF4 0.0715 t × 6630 = 474.045; C2F6 0.0086515 t × 11100 = 96.03165 (t CO2e)
    assert close(v(ws, "P", "scope1_emissions", "gas=cf4"), "474.045")
    assert close(v(ws, "P", "scope1_emissions", "gas=c2f6"), "96.03165")
    assert close(v(ws, "G", "scope1_emissions", basis="control"), "16699.7433")  # 14314.6667 + 570.0767 + 1815
    assert v(ws, "P", "scope2_location") == Decimal("332.58")
    assert v(ws, "P", "scope2_market") == Decimal("304.8")
    # electricity from the group's own plant is not Scope 2 of the group: its CO2 is W's Scope 1
    assert v(ws, "G", "scope2_location", basis="control") == Decimal("332.58")


def test_scope_1_and_2_is_their_sum_not_twice_it(ws):
    # formula scope1_emissions + scope2_location, both in tCO2e: P 14884.7433 + 332.58,
    # G (control) 16699.7433 + 332.58
    assert close(v(ws, "P", "ghg_emissions_scope12"), "15217.3233")
    assert close(v(ws, "G", "ghg_emissions_scope12", basis="control"), "17032.3233")


def test_ets_view(ws):
    # the inventory's PFC takes IPCC's CWPB ratio 0.121 (570.07665 t), the ETS the guideline's 0.1
    assert close(v(ws, "S", "ets_emissions"), "14868.0767")
    assert v(ws, "W", "ets_emissions") == Decimal("1815")
    assert v(ws, "S", "ets_aux_electricity") == Decimal("500")     # net purchased, auxiliary only


def test_product_view(ws):
    assert close(v(ws, "G", "product_emissions", "product=aluminium_electrolysis"), "16097.0433")
    assert close(v(ws, "G", "product_footprint", "product=aluminium_electrolysis"), "1.609704", 6)
    assert v(ws, "G", "product_emissions", "product=liquid_aluminium") is None


def test_reconcile_lines_add_up_to_each_view(ws):
    from esgledger.calc.reconcile import reconcile

    rec = reconcile(ws, "2024")
    tot = rec.totals()
    assert [c.key for c in rec.columns] == [
        "inventory:scope1_emissions", "inventory:scope2_location", "inventory:scope2_market",
        "inventory:scope3_emissions", "ets:S", "ets:W", "product:aluminium_electrolysis"]
    assert close(tot["inventory:scope1_emissions"], "16699.7433")
    # the two ETS entries apart: S under the aluminium guideline, with its PFC at the guideline's
    # ratio 0.1: 14314.6667 + 570.07665 − (96.03165 − 79.365) = 14868.0767 (a line of its own
    # for the difference, −16.66665); W under the power guideline, 1815
    assert close(tot["ets:S"], "14868.0767") and close(tot["ets:W"], "1815")
    (adj,) = [ln for ln in rec.lines if ln.item == "ets_method"]
    assert adj.entity == "S" and list(adj.values) == ["ets:S"] and close(adj.values["ets:S"], "-16.66665")
    assert close(tot["product:aluminium_electrolysis"], "16097.0433")
    # Scope 2 on a line of its own: P's location-based 332.58 and market-based 304.8 (grid at the
    # residual mix); not counted by the ETS view; the product view counts the market-based figure
    assert tot["inventory:scope2_location"] == Decimal("332.58")
    assert tot["inventory:scope2_market"] == Decimal("304.8")
    (p_line,) = [ln for ln in rec.lines if ln.item == "scope2"]
    assert p_line.values == {"inventory:scope2_location": Decimal("332.58"),
                             "inventory:scope2_market": Decimal("304.8"),
                             "product:aluminium_electrolysis": Decimal("304.8")}
    assert "auxiliary item of S's report" in p_line.notes["ets"]
    # every column adds up to what `calc run --view` prints
    assert all(round(tot[k], 4) == round(v, 4) for k, v in rec.view_totals.items())
    # the notes in the reader's language; the same numbers
    zh = reconcile(ws, "2024", "zh")
    assert zh.totals() == tot
    assert {ln.notes["ets"] for ln in zh.lines if ln.item == "scope2"} == {"不计入：外购电力是 S 报告中的辅助项（calc run --view ets）"}
    assert not any("auxiliary" in n or "counted" in n for ln in zh.lines for n in ln.notes.values())


def test_lineage_names_activity_facts_method_and_cited_factors(ws):
    from sqlalchemy import select

    [f] = ws.store.current_facts(entity="P", indicator="emissions_by_source", dims="emission_source=pfc")
    assert sorted(i.indicator for i, _r, _w in ws.store.inputs_of(f.id)) == ["aluminium_output", "anode_effect_minutes"]
    with ws.store.engine.connect() as conn:
        method = conn.execute(select(S.fact_method).where(S.fact_method.c.fact_id == f.id)).one()
        factors = conn.execute(select(S.fact_factor.c.factor_key, S.fact_factor.c.value, S.fact_factor.c.confidence)
                               .where(S.fact_factor.c.fact_id == f.id)).all()
    assert (method.method, method.view, method.gwp_set) == ("aluminium:pfc_slope", "inventory", "AR5")
    values = {k.split("/")[1].split("[")[0]: Decimal(val) for k, val, _c in factors}
    assert values["al.pfc.slope_cf4"] == Decimal("0.143") and values["al.pfc.c2f6_cf4_ratio"] == Decimal("0.121")
    assert {val for k, val, _c in factors if "gwp" in k} == {"6630", "11100"}
    assert all(c for _k, _v, c in factors)  # every factor carries its confidence tag


def test_every_calculated_fact_resolves_to_existing_facts_and_factors(ws):
    from sqlalchemy import select

    with ws.store.engine.connect() as conn:
        ids = {r[0] for r in conn.execute(select(S.fact.c.id))}
        calc = {r[0] for r in conn.execute(select(S.fact.c.id).where(S.fact.c.status == "calculated"))}
        linked = {r[0] for r in conn.execute(select(S.fact_input.c.fact_id))}
        inputs = {r[0] for r in conn.execute(select(S.fact_input.c.input_fact_id))}
        bad_factors = conn.execute(select(S.fact_factor).where(
            (S.fact_factor.c.source.is_(None)) | (S.fact_factor.c.factor_set.is_(None)))).all()
    assert calc <= linked           # every calculated fact has inputs
    assert inputs <= ids            # and they exist
    assert bad_factors == []        # every factor used names its set and source


def test_a_method_that_cannot_run_is_a_warning_naming_entity_and_input(tmp_path):
    root = tmp_path / "ws"
    init_workspace(root, lang="en").close()
    w = open_workspace(root)
    assert not w.import_entities(GHG / "tree.yaml").errors
    # a current efficiency typed as a fraction is refused at import now (its range is 50–100 %);
    # a potline at a standstill that still reports 4000 t of anodes consumed is what the prebake
    # anode equation (per tonne of aluminium) cannot compute
    facts = (GHG / "facts.csv").read_text(encoding="utf-8").replace(
        "P,aluminium_output,2024,10000,吨", "P,aluminium_output,2024,0,吨")
    (tmp_path / "facts.csv").write_text(facts, encoding="utf-8")
    assert w.import_facts(tmp_path / "facts.csv").ok
    res = w.calc("2024")
    # the anode method refuses it (and the energy per tonne, kgce ÷ 0 t, at the line and the
    # stage); the PFC is still computed (0.143 × 0.05 × 0 t = 0)
    assert sorted(str(p.location) for p in res.problems if p.code == "ESG-CALC-005") == [
        "(G/energy_intensity_product)", "(P/energy_intensity_product)", "(P/net_anode_consumption)"]
    assert w.value("P", "emissions_by_source", "2024", "emission_source=pfc").value == "0"
    # the anode's row: what of it could be computed (nothing), marked as leaving it out
    a = w.value("P", "emissions_by_source", "2024", "emission_source=anode")
    assert (a.value, a.comment) == ("0", "incomplete: P/anode (ESG-CALC-005)")
    w.close()


def test_energy_in_standard_coal_by_both_methods(ws):
    # GB/T 2589-2020: the potline's bought electricity (500 grid + 100 green = 600 MWh)
    #   calorific 600 000 kWh × 0.1229 kgce/kWh = 73 740 kgce = 73.74 tce
    #   equivalent 600 000 kWh × 0.300 kgce/kWh = 180 tce (the illustrative coal rate, tagged R)
    # captive electricity (1000 MWh) is not counted at the potline: its coal counts at the plant
    assert v(ws, "P", "energy_consumption") == Decimal("73.74")
    assert v(ws, "P", "energy_consumption_equivalent") == Decimal("180")
    # the plant's coal at its measured NCV: 1 000 000 kg × 20 / 29.307 kgce/kg = 682.4308 tce
    assert close(v(ws, "W", "energy_consumption", "fuel=raw_coal"), "682.4308")
    assert close(v(ws, "G", "energy_consumption", basis="control"), "756.1708")  # 73.74 + 682.4308


def test_each_view_read_from_the_ledger(ws):
    """``calc run --view``: the inventory by entity, the ETS enterprises, the product footprints,
    each the hand-worked figure of the module note."""
    from esgledger.calc.views import view_table

    inv = {r.key: r.values for r in view_table(ws, "2024", "inventory").rows}
    assert list(inv) == ["G", "S", "P", "W"]                       # from the root down
    assert close(inv["G"]["scope1_emissions"], "16699.7433")       # consolidated (control)
    assert close(inv["S"]["scope1_emissions"], "14884.7433")       # the potline's anode + PFC
    assert (inv["P"]["scope2_location"], inv["P"]["scope2_market"]) == (Decimal("332.58"), Decimal("304.8"))
    assert inv["W"]["scope1_emissions"] == Decimal("1815") and inv["W"]["scope2_location"] is None
    ets = view_table(ws, "2024", "ets")
    assert [(r.key, r.label) for r in ets.rows] == [("S", "Smelter company (aluminium smelting guideline)"),
                                                   ("W", "Captive plant (power generation guideline)")]
    s, w = (r.values for r in ets.rows)
    assert close(s["ets_emissions"], "14868.0767") and s["ets_aux_electricity"] == Decimal("500")
    assert w["ets_emissions"] == Decimal("1815") and w["ets_aux_electricity"] is None
    [prod] = view_table(ws, "2024", "product", lang="zh").rows   # no alumina given: no cradle-to-gate line
    assert (prod.key, prod.label) == ("aluminium_electrolysis", "电解工序")
    assert close(prod.values["product_emissions"], "16097.0433")
    assert close(prod.values["product_footprint"], "1.609704", 6)


def test_calc_run_prints_the_view_asked_for(ws):
    from typer.testing import CliRunner

    from esgledger.cli import STATE, app

    try:
        r = CliRunner().invoke(app, ["--lang", "zh", "-w", str(ws.path), "calc", "run", "--period", "2024",
                                     "--view", "ets"])
    finally:
        STATE.lang = "en"
    assert r.exit_code == 0, r.output
    assert "全国碳市场口径" in r.output and "铝冶炼行业核算指南" in r.output
    assert "14,868.08" in r.output and "1,815.00" in r.output and "500.00" in r.output



def _factor_values(ws, entity, indicator, dims=""):
    """(factor key without its set, value) of every factor row of a current fact."""
    [f] = ws.store.current_facts(entity=entity, indicator=indicator, period="2024", dims=dims)
    with ws.store.engine.connect() as conn:
        return {(r.factor_key.split("/")[1], r.value) for r in
                conn.execute(S.fact_factor.select().where(S.fact_factor.c.fact_id == f.id))}


def test_aggregates_name_the_factors_of_what_they_add_up(ws):
    """A Scope 1 total, a gas line, an ETS total and a product footprint record the factor values
    of the results they sum (issue 3 item 5: every calculated fact records the factors used), so
    explain can show them. The hand-worked figures above used exactly these."""
    keys = {k for k, _v in _factor_values(ws, "P", "scope1_emissions", "gas=cf4")}
    assert "gwp[gas=CF4;gwp_set=AR5]" in keys                          # 6630
    assert any(k.startswith("al.pfc.slope") for k in keys)            # 0.143 for CWPB
    assert ("gwp[gas=CF4;gwp_set=AR5]", "6630") in _factor_values(ws, "P", "scope1_emissions", "gas=cf4")
    # the CO2 line (the anode's, all measured: Tier 3) uses no factor value at all; the total
    # has the PFC's and both GWPs
    assert _factor_values(ws, "P", "scope1_emissions", "gas=co2") == set()
    total = {k for k, _v in _factor_values(ws, "P", "scope1_emissions")}
    assert any(k.startswith("al.pfc.slope") for k in total)
    assert {"gwp[gas=CF4;gwp_set=AR5]", "gwp[gas=C2F6;gwp_set=AR5]"} <= total
    # the smelter's ETS total names the guideline's ratio 0.1, from the MEE 2024 set (as a
    # third-party tool implements it: confidence S), not IPCC's 0.121 the inventory uses
    with ws.store.engine.connect() as conn:
        [f] = ws.store.current_facts(entity="S", indicator="ets_emissions", period="2024")
        rows = {(r.factor_key, r.value, r.confidence) for r in
                conn.execute(S.fact_factor.select().where(S.fact_factor.c.fact_id == f.id))}
    ratios = {(k.split("@")[0], val, conf) for k, val, conf in rows if "c2f6_cf4_ratio" in k}
    assert ratios == {("cn_aluminium_mee2024", "0.1", "S")}
    # the ETS total of the power plant: the coal's oxidation (99 %) and default-free measured data
    assert any(k.startswith("power.coal.oxidation") for k, _v in _factor_values(ws, "W", "ets_emissions"))
    # the electrolysis footprint: the potline's factors, the grid's residual mix 0.6096 for its
    # grid power, and the captive plant's coal factors through the electricity it supplies
    prod = _factor_values(ws, "G", "product_footprint", "product=aluminium_electrolysis")
    assert any(k.startswith("grid.ef") and v == "0.6096" for k, v in prod)
    assert any(k.startswith("power.coal.oxidation") for k, _v in prod)
    assert any(k.startswith("al.pfc.slope") for k, _v in prod)


def test_a_products_lineage_goes_through_the_emissions_by_source(ws):
    """10.80 t/t ← emissions by source ← activity rows (README): the electrolysis figure
    16 097.0433 t reads P's anode (14 314.6667) and PFC (570.07665) emissions by source, whose
    own inputs are the activity rows, and the electricity it takes directly."""
    [f] = ws.store.current_facts(entity="G", indicator="product_emissions", dims="product=aluminium_electrolysis")
    inputs = {(i.entity, i.indicator, i.dims) for i, _r, _w in ws.store.inputs_of(f.id)}
    assert {("P", "emissions_by_source", "emission_source=anode"),
            ("P", "emissions_by_source", "emission_source=pfc"),
            ("P", "electricity_received", "supplier=captive"), ("P", "electricity_received", "supplier=grid"),
            ("W", "captive_plant_ef", ""), ("P", "aluminium_output", "")} <= inputs
    assert ("P", "net_anode_consumption", "") not in inputs  # reached through the anode's emissions
    [anode] = ws.store.current_facts(entity="P", indicator="emissions_by_source", dims="emission_source=anode")
    assert {i.indicator for i, _r, _w in ws.store.inputs_of(anode.id)} >= {"net_anode_consumption",
                                                                          "aluminium_output"}
