"""Energy per tonne of product (单位产品综合能耗, ``energy_intensity_product``, kgce/t), issue 3
item 4: for every plant that makes a product, and for each process stage at the reporting root.

Gate to gate: the fuels burnt at the stage, ALL the electricity it uses (grid, captive plant,
green contracts, certificates) and bought heat, by GB/T 2589-2020's calorific-value (当量值)
coefficients; unlike the group's energy total, where the captive plant's electricity is not
counted again (its coal already is). Hand arithmetic, 2024:

* GB/T 2589-2020: electricity 0.1229 kgce/kWh (当量值); heat 0.03412 kgce/MJ = 34.12 kgce/GJ;
  a coal with a measured NCV takes its own coefficient NCV / 29.307 GJ per tce
* potline P (the group of tests/data/ghg): 1 000 MWh captive + 500 grid + 100 green contract
  = 1 600 MWh = 1 600 000 kWh × 0.1229 = 196 640 kgce; / 10 000 t = 19.664 kgce/t
  (its energy_consumption counts only the 600 MWh bought: 73.74 tce)
* potline P2 (added here): 800 MWh grid × 0.1229 = 98 320 kgce; / 4 000 t = 24.58 kgce/t
* electrolysis stage at the root G: (196 640 + 98 320) / (10 000 + 4 000) = 294 960 / 14 000
  = 21.068571428… kgce/t (not the mean of the two plants, 22.122)
* refinery R: coal 2 000 t at a measured 20.5149 GJ/t: 20.5149 / 29.307 = 0.7 kgce/kg →
  1 400 000 kgce; heat 2 500 GJ × 34.12 = 85 300 kgce; grid 1 000 MWh × 0.1229 = 122 900 kgce;
  total 1 608 200 kgce / 5 000 t = 321.64 kgce/t, the same at the root (one refinery)
"""
from decimal import Decimal

import pytest

from tests.conftest import DATA, close, ghg_workspace, v

GHG = DATA / "ghg"
D = Decimal

TREE = (GHG / "tree.yaml").read_text(encoding="utf-8") + (
    "  - {code: P2, name: {zh: 电解二系列, en: Potline 2}, level: unit, process_type: smelter, "
    "province: 新疆, grid_region: northwest, parent: S, attrs: {cell_technology: CWPB}}\n"
    "  - {code: R, name: {zh: 氧化铝厂, en: Refinery}, level: company, process_type: alumina_refinery, "
    "province: 新疆, grid_region: northwest, parent: G}\n")
FACTS = ("P2,aluminium_output,2024,4000,吨,,\n"
         "P2,electricity_received,2024,800,兆瓦时,,grid\n"
         "R,alumina_output,2024,5000,吨,,\n"
         "R,solid_fuel_consumption,2024,2000,吨,bituminous,\n"
         "R,fuel_ncv_measured,2024,20.5149,GJ/t,bituminous,\n"
         "R,purchased_heat,2024,2500,吉焦,,\n"
         "R,electricity_received,2024,1000,兆瓦时,,grid\n")


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    w = ghg_workspace(tmp_path_factory.mktemp("energy_product") / "ws", TREE, GHG / "facts.csv",
                      "entity,indicator,period,value,unit,fuel,supplier\n" + FACTS)
    res = w.calc("2024")
    assert not [p for p in res.problems if p.params.get("indicator") == "energy_intensity_product"]
    yield w
    w.close()


def test_each_plant_counts_all_the_electricity_it_uses(ws):
    # (1 000 + 500 + 100) MWh × 0.1229 kgce/kWh / 10 000 t = 19.664
    assert v(ws, "P", "energy_intensity_product", "product=aluminium_electrolysis") == D("19.664")
    # the entity's energy total counts only the electricity bought from outside the group
    assert v(ws, "P", "energy_consumption") == D("73.74")
    # 800 MWh × 0.1229 / 4 000 t = 24.58
    assert v(ws, "P2", "energy_intensity_product", "product=aluminium_electrolysis") == D("24.58")


def test_the_stage_at_the_root_divides_the_sums(ws):
    # 294 960 kgce / 14 000 t, not the mean of the plants' figures
    assert close(v(ws, "G", "energy_intensity_product", "product=aluminium_electrolysis"), "21.0685714", 7)


def test_refinery_fuel_heat_and_electricity(ws):
    # 1 400 000 + 85 300 + 122 900 = 1 608 200 kgce / 5 000 t = 321.64
    assert close(v(ws, "R", "energy_intensity_product", "product=alumina"), "321.64", 10)
    assert close(v(ws, "G", "energy_intensity_product", "product=alumina"), "321.64", 10)


def test_no_figure_without_an_output_or_where_nothing_is_made(ws):
    # the smelter company S has no output of its own; nothing makes anodes or foil here
    assert v(ws, "S", "energy_intensity_product", "product=aluminium_electrolysis") is None
    assert v(ws, "G", "energy_intensity_product", "product=baked_anode") is None
    assert v(ws, "G", "energy_intensity_product", "product=foil") is None


def test_lineage_names_the_stage_inputs_and_outputs(ws):
    [f] = ws.store.current_facts(entity="G", indicator="energy_intensity_product", period="2024",
                                 dims="product=aluminium_electrolysis")
    inputs = {(i.entity, i.indicator, i.dims) for i, _r, _w in ws.store.inputs_of(f.id)}
    assert inputs == {("P", "electricity_received", f"supplier={s}") for s in ("captive", "grid", "green_contract")} | {
        ("P2", "electricity_received", "supplier=grid"), ("P", "aluminium_output", ""), ("P2", "aluminium_output", "")}
