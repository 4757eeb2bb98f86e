"""Electricity an entity consumes beyond what it receives by supplier is counted nowhere (Scope 2,
energy and the product view read ``electricity_received`` by supplier), so the run says so
(ESG-CALC-012, UAT 1 F5) rather than leaving it out silently, and does not guess its source.

Hand figures: the office O consumes 120 MWh and receives 100 MWh from the grid: 20 MWh have no
supplier. The mine M consumes 50 MWh and reports no receipts at all: 50 MWh (0 MWh by
supplier). The refinery R consumes 1.5 万kWh = 15 MWh and receives exactly 15 MWh: no warning.
The power plant W uses 300 MWh of its own generation and receives none: station service, no
warning. O's Scope 2 location-based stays what its receipts give: 100 × 0.5543 = 55.43 t.
"""
from decimal import Decimal

import pytest

from esgledger.workspace import init_workspace
from tests.conftest import v

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding, province: 新疆, grid_region: northwest}
  - {code: O, name: {zh: 办公室, en: Office}, level: company, process_type: office, province: 新疆, grid_region: northwest, parent: G}
  - {code: M, name: {zh: 矿山, en: Mine}, level: company, process_type: mine, grid_region: overseas, parent: G}
  - {code: R, name: {zh: 氧化铝厂, en: Refinery}, level: company, process_type: alumina_refinery, province: 山西, grid_region: north, parent: G}
  - {code: W, name: {zh: 自备电厂, en: Captive plant}, level: company, process_type: power_plant, province: 新疆, grid_region: northwest, parent: G}
"""
FACTS = """entity,indicator,period,value,unit,supplier
O,electricity_consumption,2024,120,兆瓦时,
O,electricity_received,2024,100,兆瓦时,grid
M,electricity_consumption,2024,50,兆瓦时,
M,diesel_consumption,2024,10000,升,
R,electricity_consumption,2024,1.5,万千瓦时,
R,electricity_received,2024,15,兆瓦时,grid
W,electricity_consumption,2024,300,兆瓦时,
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("unattributed")
    (root / "tree.yaml").write_text(TREE, encoding="utf-8")
    (root / "facts.csv").write_text(FACTS, encoding="utf-8")
    w = init_workspace(root / "ws", lang="en")
    assert not w.import_entities(root / "tree.yaml").errors
    assert w.import_facts(root / "facts.csv").ok
    res = w.calc("2024")
    yield w, res
    w.close()


def test_the_gap_is_named_by_entity_and_mwh(run):
    _w, res = run
    gaps = {p.params["entity"]: (p.params["found"], p.params["expected"]) for p in res.problems
            if p.code == "ESG-CALC-012"}
    assert {e: (str(f), str(x)) for e, (f, x) in gaps.items()} == {"O": ("20 MWh", "100 MWh"),
                                                                  "M": ("50 MWh", "0 MWh")}


def test_the_message_says_what_to_enter_in_both_languages(run):
    _w, res = run
    [p] = [p for p in res.problems if p.code == "ESG-CALC-012" and p.params["entity"] == "O"]
    en, zh = p.render("en"), p.render("zh")
    assert "20 MWh" in en and "electricity_received by supplier" in en and "Scope 2" in en
    assert "20 兆瓦时没有按供电来源填报" in zh and "范围二" in zh


def test_the_gap_is_not_counted_as_anything(run):
    w, _res = run
    assert v(w, "O", "scope2_location") == Decimal("55.43")  # 100 MWh × 0.5543, not 120
