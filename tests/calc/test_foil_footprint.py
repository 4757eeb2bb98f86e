"""Aluminium foil in the product view is cradle-to-gate inside the group (audit A3-H1): the foil
mill's own emissions plus the aluminium it takes in at the group's liquid-aluminium footprint.

The group of tests/data/ghg (smelter company S with its potline P, captive plant W, under G)
with an alumina refinery R and a foil mill F added. Hand arithmetic (AR5; the 2023 national
residual mix 0.6096 t/MWh for grid electricity in the product view, as test_ghg.py):

* electrolysis stage (test_ghg.py): anode 4000 t × (100 − 2 − 0.4)/100 × 44/12 = 42 944/3
  = 14 314.666… t, PFC 570.07665, captive 1000 MWh × 0.9075 = 907.5, grid 500 × 0.6096 = 304.8:
  16 097.043316… t for 10 000 t of aluminium
* alumina: R's grid 10 000 MWh × 0.6096 = 6 096 t for 20 000 t of alumina: 0.3048 t/t
* liquid aluminium: 16 097.043316… + 19 300 t alumina × 0.3048 (= 5 882.64) = 21 979.683316… t,
  2.1979683316… t/t
* foil: F's own grid 1 000 MWh × 0.6096 = 609.6 t; 5 250 t of aluminium taken in × 2.1979683316…
  = 11 539.33374125 t; (609.6 + 11 539.33374125) = 12 148.93374125 t for 5 000 t of foil:
  2.42978674825 t CO2e/t (the mill's own 609.6 / 5 000 = 0.12192 t/t would be gate to gate)
"""
from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import select

from esgledger.calc.ghg import foil_cradle_to_gate
from esgledger.calc.views import view_table
from esgledger.store import schema as S
from tests.conftest import DATA, close, ghg_workspace, v, write

GHG = DATA / "ghg"
TREE = (GHG / "tree.yaml").read_text(encoding="utf-8") + """\
  - {code: R, name: {zh: 氧化铝厂, en: Refinery}, level: company, process_type: alumina_refinery, province: 新疆, grid_region: northwest, parent: G}
  - {code: F, name: {zh: 铝箔厂, en: Foil mill}, level: company, process_type: foil_mill, province: 新疆, grid_region: northwest, parent: G}
"""
UPSTREAM = """entity,indicator,period,value,unit,supplier
P,alumina_consumption,2024,19300,吨,
R,alumina_output,2024,20000,吨,
R,electricity_received,2024,10000,兆瓦时,grid
F,electricity_received,2024,1000,兆瓦时,grid
F,aluminium_foil_output,2024,5000,吨,
"""
METAL_IN = "entity,indicator,period,value,unit\nF,foil_metal_input,2024,5250,吨\n"


def _group(tmp_path, *facts):
    return ghg_workspace(tmp_path / "ws", TREE, GHG / "facts.csv", *facts)


def _said(res, code):
    return [p for p in res.problems if p.code == code]


def test_the_brief_example_by_hand():
    # 1,000 t CO2e of the mill's own, 10,000 t of foil from 10,500 t of metal at 12.9 t/t:
    # (1,000 + 135,450) / 10,000 = 13.645 t CO2e per t of foil
    assert foil_cradle_to_gate(Decimal(1000), Decimal(10500), Decimal("12.9")) / 10000 == Decimal("13.645")


def test_foil_adds_the_metal_it_takes_in_at_the_liquid_aluminium_footprint(tmp_path):
    ws = _group(tmp_path, UPSTREAM, METAL_IN)
    try:
        res = ws.calc("2024")
        assert _said(res, "ESG-CALC-015") == []
        assert close(v(ws, "G", "product_footprint", "product=alumina"), "0.3048")
        assert close(v(ws, "G", "product_footprint", "product=liquid_aluminium"), "2.1979683317", 10)
        assert close(v(ws, "G", "product_emissions", "product=foil"), "12148.93374125", 8)
        assert close(v(ws, "G", "product_footprint", "product=foil"), "2.42978674825", 11)
        # the view prints it among the products, cradle to gate
        rows = {r.key: r.values for r in view_table(ws, "2024", "product").rows}
        assert close(rows["foil"]["product_footprint"], "2.42978674825", 11)
        # its lineage: the mill's facts, the metal taken in, and the liquid-aluminium footprint
        [foil] = ws.store.current_facts(entity="G", indicator="product_footprint", period="2024", dims="product=foil")
        [liquid] = ws.store.current_facts(entity="G", indicator="product_footprint", period="2024",
                                          dims="product=liquid_aluminium")
        ins = {(f.entity, f.indicator, f.dims): f.id for f, _r, _w in ws.store.inputs_of(foil.id)}
        assert ins[("G", "product_footprint", "product=liquid_aluminium")] == liquid.id
        assert {("F", "foil_metal_input", ""), ("F", "aluminium_foil_output", ""),
                ("F", "electricity_received", "supplier=grid")} <= set(ins)
        [emissions] = ws.store.current_facts(entity="G", indicator="product_emissions", period="2024",
                                             dims="product=foil")
        with ws.store.engine.connect() as conn:
            detail = json.loads(conn.execute(select(S.fact_method.c.detail).where(
                S.fact_method.c.fact_id == emissions.id)).scalar_one())
        assert "aluminium they took in × the group's liquid-aluminium footprint" in detail["equation"]
    finally:
        ws.close()


def test_without_the_metal_taken_in_no_foil_figure_but_a_warning_naming_it(tmp_path):
    ws = _group(tmp_path, UPSTREAM)
    try:
        res = ws.calc("2024")
        # no gate-to-gate 0.12192 t/t under the cradle-to-gate label: no foil figure at all
        assert v(ws, "G", "product_footprint", "product=foil") is None
        assert v(ws, "G", "product_emissions", "product=foil") is None
        assert "foil" not in {r.key for r in view_table(ws, "2024", "product").rows}
        [p] = _said(res, "ESG-CALC-015")
        assert str(p.location) == "(G/product_footprint/product=foil)"
        assert p.render("en") == (
            "(G/product_footprint/product=foil): ESG-CALC-015 a cradle-to-gate figure without its upstream input: "
            "Product carbon footprint (product_footprint) 2024 at G (Aluminium foil) not computed: it needs the "
            "aluminium taken in, foil_metal_input, of F. The product view is cradle-to-gate inside the group; the "
            "stage's own emissions (609.6 t CO2e) leave out the metal it takes in, so no gate-to-gate figure is "
            "written under that label")
        zh = p.render("zh")
        assert "缺少上游投入，未计算从摇篮到大门的碳足迹" in zh and "F 的投入铝量 foil_metal_input" in zh
        assert "（铝箔）未计算" in zh and "609.6 吨二氧化碳当量" in zh
        # the liquid-aluminium figure does not need the foil mill: it is there
        assert close(v(ws, "G", "product_footprint", "product=liquid_aluminium"), "2.1979683317", 10)
    finally:
        ws.close()


def test_without_the_liquid_aluminium_footprint_no_foil_figure_either(tmp_path):
    # no alumina consumed reported at the potline: no cradle-to-gate liquid aluminium, so the
    # metal taken in has no footprint to take
    upstream = "\n".join(ln for ln in UPSTREAM.splitlines() if "alumina_consumption" not in ln) + "\n"
    ws = _group(tmp_path, upstream, METAL_IN)
    try:
        res = ws.calc("2024")
        assert v(ws, "G", "product_footprint", "product=liquid_aluminium") is None
        assert v(ws, "G", "product_footprint", "product=foil") is None
        [p] = _said(res, "ESG-CALC-015")
        assert "the group's liquid-aluminium footprint (product_footprint[product=liquid_aluminium]" in p.render("en")
        assert "集团铝液的产品碳足迹" in p.render("zh")
        assert "foil_metal_input" not in p.render("en")  # that one is on file
    finally:
        ws.close()


def test_more_foil_than_metal_taken_in_is_named(tmp_path):
    # 5 000 t of foil from 525 t of metal (a digit short): foil is rolled from the metal taken
    # in, never more (rule pack, ESG-VAL-007); the foil output is kept in 万吨, the metal in 吨
    ws = _group(tmp_path, UPSTREAM, "entity,indicator,period,value,unit\nF,foil_metal_input,2024,525,吨\n")
    try:
        problems = [p for p in ws.validate("2024") if p.code == "ESG-VAL-007"]
        assert [(p.params["entity"], p.params["indicator"], p.params["than"]) for p in problems] == [
            ("F", "aluminium_foil_output", "foil_metal_input")]
        assert "0.5000 万吨" in problems[0].render("zh") and "525 吨" in problems[0].render("zh")
    finally:
        ws.close()


def test_metal_taken_in_is_never_negative(tmp_path):
    ws = _group(tmp_path, UPSTREAM)
    try:
        rep = ws.import_facts(write(tmp_path / "bad.csv", "entity,indicator,period,value,unit\nF,foil_metal_input,2024,-1,吨\n"))
        assert [(str(p.location), p.code) for p in rep.problems] == [("bad.csv:2 [value]", "ESG-IMPORT-014")]
        assert not rep.ok
    finally:
        ws.close()
