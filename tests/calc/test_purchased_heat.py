"""Purchased heat (外购热力, ``purchased_heat`` in GJ) counted in Scope 2, energy and the product view.

A UAT defect: the heat methods and factor sets existed, but no input fed them, so a group buying
steam or hot water reported neither Scope 2 nor energy for it. Hand arithmetic (2024 run):

* heat factor: cn_heat heat.ef = 0.11 t CO2/GJ (MEE 补充数据表填报说明; NDRC 2013), the same in
  the location- and the market-based figure (heat has no contractual instruments)
* GB/T 2589-2020 Annex A: heat 0.03412 kgce/MJ = 34.12 kgce/GJ, in both the calorific and the
  equivalent method
* potline P (the four-entity group of tests/data/ghg, whose electricity test_ghg works out:
  location (500 + 100) × 0.5543 = 332.58, market 500 × 0.6096 = 304.8; energy calorific
  600 000 kWh × 0.1229 = 73.74 tce, equivalent 600 000 × 0.300 = 180 tce) buys 10 000 GJ:
    heat CO2   10 000 × 0.11 = 1 100 t
    Scope 2    location 332.58 + 1 100 = 1 432.58; market 304.8 + 1 100 = 1 404.8
    energy     10 000 GJ × 34.12 kgce/GJ = 341 200 kgce = 341.2 tce;
               calorific 73.74 + 341.2 = 414.94; equivalent 180 + 341.2 = 521.2
* refinery R buys heat only, 2 500 GJ (entered as "GJ"), and makes 1 000 t of alumina:
    Scope 2    2 500 × 0.11 = 275 t, location and market
    energy     2 500 × 34.12 = 85 300 kgce = 85.3 tce (both methods)
    product    alumina 275 t CO2 / 1 000 t = 0.275 t CO2/t
* group G (control, every member at 100 %):
    Scope 2    location 1 432.58 + 275 = 1 707.58; market 1 404.8 + 275 = 1 679.8
    energy     414.94 + 85.3 + the captive plant's coal 1 000 000 kg × 20 / 29.307 = 682.4308
               = 1 182.6708 tce
* product view, electrolysis: test_ghg's 16 097.0433 t + the potline's heat 1 100 = 17 197.0433 t,
  per tonne of aluminium 17 197.0433 / 10 000 = 1.71970433
"""
from decimal import Decimal

import pytest

from tests.calc.test_recalc import (change, check_incremental, demo, fresh_full, ledger,  # noqa: F401 (demo)
                                    run)
from tests.conftest import DATA, close, ghg_workspace, v

GHG = DATA / "ghg"
D = Decimal

TREE = (GHG / "tree.yaml").read_text(encoding="utf-8") + (
    "  - {code: R, name: {zh: 氧化铝厂, en: Refinery}, level: company, process_type: alumina_refinery, "
    "province: 新疆, grid_region: northwest, parent: G}\n")
HEAT_FACTS = ("P,purchased_heat,2024,10000,吉焦,,\n"
              "R,purchased_heat,2024,2500,GJ,,\n"
              "R,alumina_output,2024,1000,吨,,\n")


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = ghg_workspace(tmp_path_factory.mktemp("heat") / "ws", TREE, GHG / "facts.csv",
                      "entity,indicator,period,value,unit,fuel,supplier\n" + HEAT_FACTS)
    res = w.calc("2024")
    assert not [p for p in res.problems if p.code == "ESG-CALC-005"]  # every method ran
    yield w
    w.close()


def test_scope2_adds_heat_to_electricity_in_both_bases(ws):
    # 332.58 + 10 000 × 0.11 = 1 432.58; 304.8 + 1 100 = 1 404.8
    assert v(ws, "P", "scope2_location") == D("1432.58")
    assert v(ws, "P", "scope2_market") == D("1404.8")


def test_heat_only_entity_has_scope2(ws):
    # 2 500 GJ × 0.11 = 275 t, location and market alike; entered as "GJ", kept in 吉焦
    [heat] = ws.store.current_facts(entity="R", indicator="purchased_heat", period="2024")
    assert (heat.value, heat.unit) == ("2500", "吉焦")
    assert v(ws, "R", "scope2_location") == D("275")
    assert v(ws, "R", "scope2_market") == D("275")


def test_energy_includes_heat_by_gbt2589(ws):
    # 10 000 GJ × 34.12 kgce/GJ = 341.2 tce; 73.74 + 341.2 = 414.94; 180 + 341.2 = 521.2
    assert v(ws, "P", "energy_consumption", "fuel=heat") == D("341.2")
    assert v(ws, "P", "energy_consumption") == D("414.94")
    assert v(ws, "P", "energy_consumption_equivalent") == D("521.2")
    assert v(ws, "P", "energy_consumption_equivalent", "fuel=heat") == D("341.2")
    # 2 500 × 34.12 = 85.3 tce, the same in both methods
    assert v(ws, "R", "energy_consumption") == D("85.3")
    assert v(ws, "R", "energy_consumption_equivalent") == D("85.3")


def test_group_consolidates_heat(ws):
    # 1 432.58 + 275 = 1 707.58; 1 404.8 + 275 = 1 679.8; 414.94 + 85.3 + 682.4308 = 1 182.6708
    assert v(ws, "G", "scope2_location", basis="control") == D("1707.58")
    assert v(ws, "G", "scope2_market", basis="control") == D("1679.8")
    assert close(v(ws, "G", "energy_consumption", basis="control"), "1182.6708")


def test_product_view_and_reconcile_include_heat(ws):
    from esgledger.calc.reconcile import reconcile

    # electrolysis 16 097.0433 + 1 100 = 17 197.0433 t; / 10 000 t = 1.71970433
    assert close(v(ws, "G", "product_emissions", "product=aluminium_electrolysis"), "17197.0433")
    assert close(v(ws, "G", "product_footprint", "product=aluminium_electrolysis"), "1.719704", 6)
    # alumina: 275 / 1 000 = 0.275
    assert v(ws, "G", "product_footprint", "product=alumina") == D("0.275")
    # reconcile's product column takes the potline's market-based Scope 2 (now with its heat):
    # 14 884.7433 (anode + PFC) + 907.5 (captive electricity) + 1 404.8 = 17 197.0433
    rec = reconcile(ws, "2024")
    assert close(rec.totals()["product:aluminium_electrolysis"], "17197.0433")
    # and the refinery's heat, 275 t, in the alumina column: its market-based Scope 2
    assert rec.totals()["product:alumina"] == D("275")


def test_lineage_names_the_heat_fact_and_the_heat_factor(ws):
    from sqlalchemy import select

    from esgledger.store import schema as S

    [heat] = ws.store.current_facts(entity="P", indicator="purchased_heat", period="2024")
    for ind in ("scope2_location", "scope2_market", "energy_consumption"):
        [f] = ws.store.current_facts(entity="P", indicator=ind, period="2024", dims="")
        assert heat.id in {i.id for i, _r, _w in ws.store.inputs_of(f.id)}, ind
    with ws.store.engine.connect() as conn:
        def factors(fid):
            return {(r.factor_set.split("@")[0], r.factor_key.split("/")[1].split("[")[0], r.value, r.confidence)
                    for r in conn.execute(select(S.fact_factor).where(S.fact_factor.c.fact_id == fid))}

        def method(fid):
            return conn.execute(select(S.fact_method.c.method, S.fact_method.c.detail)
                                .where(S.fact_method.c.fact_id == fid)).one()

        [loc] = ws.store.current_facts(entity="P", indicator="scope2_location", period="2024", dims="")
        [mkt] = ws.store.current_facts(entity="P", indicator="scope2_market", period="2024", dims="")
        [r_loc] = ws.store.current_facts(entity="R", indicator="scope2_location", period="2024", dims="")
        [energy] = ws.store.current_facts(entity="P", indicator="energy_consumption", period="2024", dims="")
        heat_factor = ("cn_heat", "heat.ef", "0.11", "V")
        # the grid factor and the heat factor, each with its set and confidence
        assert factors(loc.id) == {("cn_grid", "grid.ef", "0.5543", "V"), heat_factor}
        assert heat_factor in factors(mkt.id) and ("cn_grid", "grid.ef", "0.6096", "V") in factors(mkt.id)
        assert factors(r_loc.id) == {heat_factor}
        assert ("gbt2589", "energy.sce", "0.03412", "V") in factors(energy.id)
        assert method(loc.id)[0] == "purchased_electricity+purchased_heat"
        assert "EF_grid" in method(loc.id)[1] and "AD_heat × EF_heat" in method(loc.id)[1]  # both parts
        assert method(r_loc.id)[0] == "purchased_heat"


def values(ws) -> dict:
    """The numeric calculated facts of the demo's period."""
    return {k: D(f.value) for k, f in ledger(ws).items() if k[1] in NUMERIC}


NUMERIC = {"scope2_location", "scope2_market", "energy_consumption"}


def test_incremental_run_after_a_heat_change_equals_a_full_run(demo, tmp_path):  # noqa: F811
    # the demo's refinery JXTG (grid electricity already) starts buying 10 000 GJ of heat: its
    # Scope 2 grows by 10 000 × 0.11 = 1 100 t in both bases, its energy by 10 000 × 34.12 kgce
    # = 341.2 tce; the group's (TSAL, control, JXTG at 100 %) Scope 2 by the same 1 100 t
    before = {k: D(x) for k, x in fresh_full(demo).items() if k[1] in NUMERIC}
    moved = check_incremental(demo, tmp_path, "JXTG,purchased_heat,2024,10000,吉焦")
    after = values(demo)
    keys = [("JXTG", "scope2_location", "", "own"), ("JXTG", "scope2_market", "", "own"),
            ("TSAL", "scope2_location", "", "control"), ("TSAL", "scope2_market", "", "control")]
    assert [after[k] - before[k] for k in keys] == [D("1100")] * 4
    energy = ("JXTG", "energy_consumption", "", "own")
    assert after[energy] - before[energy] == D("341.2")
    assert after[("JXTG", "energy_consumption", "fuel=heat", "own")] == D("341.2")
    assert ("TSAL", "product_footprint", "product=alumina", "own") in moved
    # the potlines and the captive plant read no heat
    assert not {k for k in moved if k[0] in ("TLYX-P1", "TLYX-P2", "TRNY")}
    # then the heat changes (not only its first entry): 12 000 GJ, i.e. +2 000 × 0.11 = +220 t,
    # +2 000 × 34.12 kgce = +68.24 tce
    change(demo, tmp_path, "JXTG,purchased_heat,2024,12000,吉焦")
    inc = run(demo)
    assert inc.incremental and inc.ghg is not None
    assert {k: f.value for k, f in ledger(demo).items()} == fresh_full(demo)
    again = values(demo)
    assert [again[k] - after[k] for k in keys] == [D("220")] * 4
    assert again[energy] - after[energy] == D("68.24")
    assert again[("JXTG", "energy_consumption", "fuel=heat", "own")] == D("409.44")  # 12 000 × 34.12 kgce
