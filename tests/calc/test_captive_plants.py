"""A group with two captive power plants: each unit's captive electricity reaches the product
view at the factor of the plant that supplies it (calc/captive.py), not at the first plant's.

The group G has a smelting base in Xinjiang (company S1: potline P1 and plant W1) and one in
Guangxi (company S2: potline P2 and plant W2). S1 names W1 for all its units (``captive_plant``
on the company), P2 names W2 itself. Hand arithmetic (the factors as the factor sets pick them
for 2024, AR5):

  W1 coal: 1000 t × 20 GJ/t × 0.025 t C/GJ × 0.99 × 44/12 = 495 × 44/12 = 1815 t CO2
     (MEE 发电设施 guideline; GB/T 32151.1); supplied 2000 MWh
     EF1 = 1815 / 2000 = 0.9075 t CO2/MWh
  W2 coal: 800 t × 20 × 0.025 × 0.99 × 44/12 = 396 × 44/12 = 1452 t CO2;
     limestone 50 t × 100 % × 0.440 = 22 t; supplied 2000 MWh
     EF2 = (1452 + 22) / 2000 = 1474 / 2000 = 0.737 t CO2/MWh
  P1 and P2 each (the same potline data):
     anode (IPCC 2006 Vol.3 Eq.4.21, Tier 3): NAC 4000/10000 = 0.4;
        0.4 × 10000 × (100 − 2 − 0.4)/100 × 44/12 = 3904 × 44/12 = 14314.666667 t
     PFC (slope, CWPB 0.143, C2F6/CF4 0.121): CF4 0.143 × 0.05 × 10000 = 71.5 kg,
        C2F6 8.6515 kg; 0.0715 × 6630 + 0.0086515 × 11100 = 474.045 + 96.03165 = 570.07665 t
     direct: 14314.666667 + 570.07665 = 14884.743317 t
  P1's product emissions: 14884.743317 + 1000 MWh × 0.9075 = 14884.743317 + 907.5 = 15792.243317
  P2's product emissions: 14884.743317 + 1000 MWh × 0.737  = 14884.743317 + 737   = 15621.743317
  electrolysis stage: 15792.243317 + 15621.743317 = 31413.986633 t; / 20000 t = 1.570699 t/t
  (the first plant's factor for both, as before: 29769.486633 + 2000 × 0.9075 = 31584.486633)
"""
from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from esgledger.calc import captive, incomplete
from esgledger.calc.reconcile import reconcile
from esgledger.collect.entities_io import read_entities
from tests.conftest import close, ghg_workspace, v, write

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding, province: 新疆, grid_region: northwest}
  - {code: S1, name: {zh: 新疆电解铝公司, en: Xinjiang smelter}, level: company, process_type: smelter,
     province: 新疆, grid_region: northwest, parent: G, attrs: {captive_plant: W1}}
  - {code: P1, name: {zh: 新疆电解系列, en: Xinjiang potline}, level: unit, process_type: smelter,
     province: 新疆, grid_region: northwest, parent: S1, attrs: {cell_technology: CWPB}}
  - {code: W1, name: {zh: 新疆自备电厂, en: Xinjiang captive plant}, level: site, process_type: power_plant,
     province: 新疆, grid_region: northwest, parent: S1}
  - {code: S2, name: {zh: 广西电解铝公司, en: Guangxi smelter}, level: company, process_type: smelter,
     province: 广西, grid_region: south, parent: G}
  - {code: P2, name: {zh: 广西电解系列, en: Guangxi potline}, level: unit, process_type: smelter,
     province: 广西, grid_region: south, parent: S2, attrs: {cell_technology: CWPB, captive_plant: W2}}
  - {code: W2, name: {zh: 广西自备电厂, en: Guangxi captive plant}, level: site, process_type: power_plant,
     province: 广西, grid_region: south, parent: S2}
"""
POTLINE = """{p},aluminium_output,2024,10000,吨,,
{p},net_anode_consumption,2024,4000,吨,,
{p},anode_sulphur_content,2024,2,%,,
{p},anode_ash_content,2024,0.4,%,,
{p},anode_effect_minutes,2024,0.05,AE-min/cell-day,,
{p},electricity_received,2024,1000,兆瓦时,,captive
"""
W1_FACTS = """W1,solid_fuel_consumption,2024,1000,吨,bituminous,
W1,fuel_ncv_measured,2024,20,GJ/t,bituminous,
W1,fuel_carbon_content_measured,2024,0.025,tC/GJ,bituminous,
W1,power_supplied,2024,2000,兆瓦时,,
"""
W2_FACTS = """W2,solid_fuel_consumption,2024,800,吨,bituminous,
W2,fuel_ncv_measured,2024,20,GJ/t,bituminous,
W2,fuel_carbon_content_measured,2024,0.025,tC/GJ,bituminous,
W2,limestone_consumption,2024,50,吨,,
W2,power_supplied,2024,2000,兆瓦时,,
"""
HEAD = "entity,indicator,period,value,unit,fuel,supplier\n"
FACTS = HEAD + POTLINE.format(p="P1") + POTLINE.format(p="P2") + W1_FACTS + W2_FACTS
ELECTROLYSIS = "product=aluminium_electrolysis"
DIRECT = Decimal("14884.743317")  # one potline's anode + PFC, above


def untied(tree: str) -> str:
    """The tree with S1's attribute gone: P1 no longer says which plant supplies it."""
    return tree.replace(", attrs: {captive_plant: W1}}", "}")


@pytest.fixture(scope="module")
def two_plants(tmp_path_factory):
    w = ghg_workspace(tmp_path_factory.mktemp("two") / "ws", TREE, FACTS)
    res = w.calc("2024")
    yield w, res
    w.close()


def test_each_potline_takes_its_own_plants_factor(two_plants):
    w, res = two_plants
    assert close(v(w, "W1", "captive_plant_ef"), "0.9075", 8)
    assert close(v(w, "W2", "captive_plant_ef"), "0.737", 8)
    # 31413.986633 t, not the 31584.486633 t of both potlines at W1's factor
    assert close(v(w, "G", "product_emissions", ELECTROLYSIS), "31413.986633", 5)
    assert close(v(w, "G", "product_footprint", ELECTROLYSIS), "1.570699", 6)
    [f] = w.store.current_facts(entity="G", indicator="product_emissions", period="2024", dims=ELECTROLYSIS)
    assert f.comment is None  # complete: every MWh has its plant
    assert not [p for p in res.problems if p.code in ("ESG-CALC-010", "ESG-CALC-011", "ESG-CALC-017")]


def test_the_product_lineage_names_both_plants_factors(two_plants):
    w, _res = two_plants
    [f] = w.store.current_facts(entity="G", indicator="product_emissions", period="2024", dims=ELECTROLYSIS)
    ins = {(i.entity, i.indicator, i.dims): i.id for i, _r, _w in w.store.inputs_of(f.id)}
    for plant in ("W1", "W2"):
        [ef] = w.store.current_facts(entity=plant, indicator="captive_plant_ef", period="2024")
        assert ins[(plant, "captive_plant_ef", "")] == ef.id


def test_reconcile_passes_each_plants_lines_to_the_potline_it_supplies(two_plants):
    w, _res = two_plants
    rec = reconcile(w, "2024")
    col = "product:aluminium_electrolysis"
    lines = {(ln.entity, ln.item): ln for ln in rec.lines}
    # W1 supplies 1000 of its 2000 MWh to P1 at 0.9075: 1000 × 0.9075 / 1815 = 1/2 of each line
    assert close(lines[("W1", "power_generation")].values[col], "907.5")
    # W2: 1000 × 0.737 / 1474 = 1/2 of each line: coal 1452 → 726, desulphurisation 22 → 11
    assert close(lines[("W2", "power_generation")].values[col], "726")
    assert close(lines[("W2", "desulphurisation")].values[col], "11")
    assert lines[("W2", "power_generation")].notes["product"] == (
        "counted via the captive plant's electricity, in proportion: the stages take 1000 MWh at 0.737 t/MWh "
        "(of 2000 MWh supplied)")
    # each potline's product emissions: its own lines and its plant's
    p1 = sum(ln.values.get(col, Decimal(0)) for (e, _i), ln in lines.items() if e in ("P1", "W1"))
    p2 = sum(ln.values.get(col, Decimal(0)) for (e, _i), ln in lines.items() if e in ("P2", "W2"))
    assert close(p1, "15792.243317", 5) and close(p2, "15621.743317", 5)
    # the column adds up to the view's total, with no line of an unmatched difference
    assert close(rec.totals()[col], "31413.986633", 5)
    assert close(rec.view_totals[col], "31413.986633", 5)
    assert not [ln for ln in rec.lines if ln.item == "unmatched"]


def test_several_plants_and_none_named_leave_the_electricity_out_and_say_so(tmp_path):
    """Without S1's attribute, P1 could take W1's or W2's power: its 1000 MWh are not counted,
    the figure is marked incomplete and ESG-CALC-017 names P1, the year and both plants.
    Electrolysis: 2 × 14884.743317 + P2's 737 = 30506.486633 t."""
    w = ghg_workspace(tmp_path / "ws", untied(TREE), FACTS)
    try:
        res = w.calc("2024")
        assert close(v(w, "G", "product_emissions", ELECTROLYSIS), "30506.486633", 5)
        [p] = [p for p in res.problems if p.code == "ESG-CALC-017"]
        assert (p.params["entity"], p.params["period"], p.params["expected"], p.params["found"].en) == (
            "P1", "2024", "W1, W2", "1000 MWh")
        assert "name the plant in the entity file: attrs: {captive_plant: <plant code>}" in p.render("en")
        assert "集团本期有多个供电的自备电厂（W1, W2）" in p.render("zh")
        # the other warnings would say the plant has no factor, or no electricity at all: not so
        assert not [q for q in res.problems if q.code in ("ESG-CALC-010", "ESG-CALC-011")]
        [f] = w.store.current_facts(entity="G", indicator="product_emissions", period="2024", dims=ELECTROLYSIS)
        assert incomplete.parse(f.comment) == (("P1", "power_generation", "ESG-CALC-017"),)
        assert ("P1", "power_generation", "ESG-CALC-017") in res.ghg.left_out
        # P2's plant is in the lineage, W1's is not (none of its power is counted)
        ins = {(i.entity, i.indicator) for i, _r, _w in w.store.inputs_of(f.id)}
        assert ("W2", "captive_plant_ef") in ins and ("W1", "captive_plant_ef") not in ins
        # reconcile follows: W1 passes nothing on, and the column still adds up
        rec = reconcile(w, "2024")
        col = "product:aluminium_electrolysis"
        [coal] = [ln for ln in rec.lines if (ln.entity, ln.item) == ("W1", "power_generation")]
        assert col not in coal.values
        assert coal.notes["product"] == "not counted: no product stage takes this plant's electricity in the period"
        assert close(rec.totals()[col], "30506.486633", 5) and close(rec.view_totals[col], "30506.486633", 5)
    finally:
        w.close()


def test_the_only_plant_supplying_covers_the_units_that_name_none(tmp_path):
    """W2 reports nothing this year: W1 is the only plant supplying. P1 (no attribute once
    S1's is gone) takes W1's factor, as a group with one plant always did; P2 names W2, which
    has no factor, so its 1000 MWh are left out with ESG-CALC-011, not counted at W1's.
    Electrolysis: 2 × 14884.743317 + 907.5 = 30676.986633 t."""
    w = ghg_workspace(tmp_path / "ws", untied(TREE),
                      HEAD + POTLINE.format(p="P1") + POTLINE.format(p="P2") + W1_FACTS)
    try:
        res = w.calc("2024")
        assert close(v(w, "G", "product_emissions", ELECTROLYSIS), "30676.986633", 5)
        [p] = [p for p in res.problems if p.code == "ESG-CALC-011"]
        assert (p.params["found"].en, p.params["expected"]) == ("1000 MWh", "P2")
        assert not [q for q in res.problems if q.code == "ESG-CALC-017"]
    finally:
        w.close()


def test_the_attribute_is_looked_up_the_tree(tmp_path):
    tree, problems = read_entities(write(tmp_path / "tree.yaml", TREE))
    assert not problems
    plants = ("W1", "W2")
    assert [(c, captive.supplier(tree, c, plants).plant) for c in ("P1", "S1", "P2", "S2")] == [
        ("P1", "W1"),   # from its company S1
        ("S1", "W1"), ("P2", "W2"),
        ("S2", None)]   # the company itself names none, and there are two
    assert captive.supplier(tree, "S2", plants).ambiguous


def test_the_module_examples_hold():
    assert doctest.testmod(captive).failed == 0


@pytest.mark.parametrize("named,reason", [
    ("S2", ("whose process type is smelter, not power_plant", "其工艺类型为 smelter，不是电厂（power_plant）")),
    ("W9", ("which is not in the tree", "组织树中没有该主体")),
])
def test_an_attribute_naming_no_power_plant_is_refused_with_its_line(tmp_path, named, reason):
    text = TREE.replace("captive_plant: W2}", f"captive_plant: {named}}}")
    path = write(tmp_path / "tree.yaml", text)
    tree, problems = read_entities(path)
    assert tree is None
    # P2's entry starts on line 11 of the file (after entities:, and G, S1, P1, W1, S2)
    assert problems.flat() == [("tree.yaml:11", "ESG-ENT-008")]
    [p] = problems
    assert (p.params["entity"], p.params["found"]) == ("P2", named)
    assert reason[0] in p.render("en") and reason[1] in p.render("zh")
    assert "process_type 为 power_plant" in p.render("zh")


def test_an_attribute_in_csv_and_against_the_stored_tree(tmp_path):
    from esgledger.workspace import init_workspace

    with init_workspace(tmp_path / "ws") as w:
        assert not w.import_entities(write(tmp_path / "tree.yaml", TREE)).errors
        head = ("code,name_zh,name_en,level,process_type,province,grid_region,parent,equity_share,"
                "operational_control,valid_from,valid_to,attrs\n")
        # a new potline under S2 naming the stored W2: fine
        ok = write(tmp_path / "p3.csv", head + "P3,广西电解二系列,Guangxi potline 2,unit,smelter,广西,south,S2,100,"
                   "true,,,cell_technology=CWPB;captive_plant=W2\n")
        assert w.import_entities(ok).flat() == []
        # W2 turned into an office while P2 and P3 (stored) name it: both refused, nothing lands
        bad = write(tmp_path / "w2.csv", head + "W2,广西自备电厂,Guangxi captive plant,site,office,广西,south,S2,"
                    "100,true,,,\n")
        assert sorted(w.import_entities(bad).flat()) == [("(P2)", "ESG-ENT-008"), ("(P3)", "ESG-ENT-008")]
        assert w.tree.entities["W2"].process_type == "power_plant"
