"""`calc reconcile` with a dated and an equity-held structure: the inventory column counts each
entity at its share in the root's inventory, so it adds up to the consolidated Scope 1.

Tree (shares worked by hand): G holds H 50 % with control; H holds the potline P 60 % with
control; the refinery R joins G on 2024-07-01 (184 of 2024's 366 days = 92/183 of the year).

* operational control: G 1, H 1, P 1 × 1 = 1, R 92/183
* equity share:        G 1, H 1/2, P 1/2 × 60/100 = 3/10, R 92/183 × 100 % = 92/183
"""
from decimal import Decimal
from fractions import Fraction

import pytest

from esgledger.calc.reconcile import inventory_shares, reconcile
from esgledger.workspace import init_workspace

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding, province: 新疆, grid_region: northwest}
  - {code: H, name: {zh: 控股公司, en: Holding}, level: company, process_type: smelter, province: 新疆, grid_region: northwest, parent: G, equity_share: 50}
  - {code: P, name: {zh: 电解系列, en: Potline}, level: unit, process_type: smelter, province: 新疆, grid_region: northwest, parent: H, equity_share: 60, attrs: {cell_technology: CWPB}}
  - {code: R, name: {zh: 氧化铝厂, en: Refinery}, level: company, process_type: alumina_refinery, province: 山西, grid_region: north, parent: G, valid_from: 2024-07-01}
"""
FACTS = """entity,indicator,period,value,unit
P,aluminium_output,2024,10000,吨
P,net_anode_consumption,2024,4000,吨
P,anode_sulphur_content,2024,2,%
P,anode_ash_content,2024,0.4,%
P,anode_effect_minutes,2024,0.05,AE-min/cell-day
R,natural_gas_consumption,2024,1000000,立方米
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("rec")
    (root / "tree.yaml").write_text(TREE, encoding="utf-8")
    (root / "facts.csv").write_text(FACTS, encoding="utf-8")
    w = init_workspace(root / "ws", lang="en")
    assert not w.import_entities(root / "tree.yaml").errors
    assert w.import_facts(root / "facts.csv").ok
    yield w
    w.close()


def test_shares_by_hand(ws):
    assert inventory_shares(ws, "2024", "control") == {"G": 1, "H": 1, "P": 1, "R": Fraction(92, 183)}
    assert inventory_shares(ws, "2024", "equity") == {"G": 1, "H": Fraction(1, 2), "P": Fraction(3, 10),
                                                      "R": Fraction(92, 183)}


@pytest.mark.parametrize("approach", ["control", "equity"])
def test_the_inventory_column_adds_up_to_the_consolidated_scope_1(ws, approach):
    ws.calc("2024", approach)
    scope1 = Decimal(ws.value("G", "scope1_emissions", "2024", basis=approach).value)
    rec = reconcile(ws, "2024", approach=approach)
    assert round(rec.totals()["inventory:scope1_emissions"], 4) == round(scope1, 4)
    shares = inventory_shares(ws, "2024", approach)
    for ln in rec.lines:
        if "inventory:scope1_emissions" not in ln.values:
            continue
        own = Decimal(ws.value(ln.entity, "emissions_by_source", "2024", f"emission_source={ln.item}",
                               basis="own").value)
        assert ln.share == shares[ln.entity]
        assert round(ln.values["inventory:scope1_emissions"], 6) == \
            round(own * ln.share.numerator / ln.share.denominator, 6)
        # the national ETS view counts a facility whole, whatever the group holds of it
        assert all(v == own for k, v in ln.values.items() if k.startswith("ets:"))
