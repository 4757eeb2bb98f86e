"""A plant's measured factor in a calculation (audit A3-L4): it reaches that plant's potlines and
no other smelter's, a full and an incremental run agree, the lineage names it, and a value for
an entity the tree does not have is refused with its file and line (ESG-FACTOR-012).

Two smelter companies of one group, each with one CWPB potline of 10,000 t of aluminium and no
anode measurements, so each takes the Tier 2 prebake equation with the NDRC 2013 defaults
(IPCC 2006 Vol.3 Eq.4.21; NC 0.42 t C/t Al, S 2 %, ash 0.4 %):

    E_anode = NC × P × (100 − S − A)/100 × 44/12
    P2 (default NC 0.42):        0.42  × 10000 × 0.976 × 44/12 = 4099.2 × 44/12 = 15030.4 t CO2
    P1 (S1's measured NC 0.395): 0.395 × 10000 × 0.976 × 44/12 = 3855.2 × 44/12 = 14135.7333… t CO2
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from esgledger.library.factors import FactorError
from tests.calc.test_recalc import check_incremental
from tests.conftest import close, ghg_workspace, v

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding, province: 新疆, grid_region: northwest}
  - {code: S1, name: {zh: 甲电解铝, en: Smelter one}, level: company, process_type: smelter, province: 新疆, grid_region: northwest, parent: G}
  - {code: P1, name: {zh: 甲电解系列, en: Potline one}, level: unit, process_type: smelter, province: 新疆, grid_region: northwest, parent: S1, attrs: {cell_technology: CWPB}}
  - {code: S2, name: {zh: 乙电解铝, en: Smelter two}, level: company, process_type: smelter, province: 新疆, grid_region: northwest, parent: G}
  - {code: P2, name: {zh: 乙电解系列, en: Potline two}, level: unit, process_type: smelter, province: 新疆, grid_region: northwest, parent: S2, attrs: {cell_technology: CWPB}}
"""
FACTS = """entity,indicator,period,value,unit
P1,aluminium_output,2024,10000,吨
P2,aluminium_output,2024,10000,吨
"""
MEASURED = """set: s1_measured
version: "2024.1"
defaults: {confidence: V, edition: "2024 laboratory reports", source: "Smelter one anode laboratory"}
factors:
  - {key: al.anode.nac, value: "0.395", unit: tC/t, valid_from: 2024, valid_to: 2024, entities: [S1]}
"""


def anode(ws, code):
    return v(ws, code, "emissions_by_source", "emission_source=anode")


@pytest.fixture
def ws(tmp_path):
    w = ghg_workspace(tmp_path / "ws", TREE, FACTS, files={"factors/s1.yaml": MEASURED})
    yield w
    w.close()


def test_the_measured_value_reaches_its_plant_only(ws):
    ws.calc("2024")
    assert close(anode(ws, "P1"), "14135.7333")
    assert anode(ws, "P2") == Decimal("15030.4")  # the default: 0.42 × 10000 × 0.976 × 44/12 exactly
    node = ws.explain("emissions_by_source", "P1", "2024", "emission_source=anode")
    # the lineage names the plant's value (set@version/key{entities}@validity), not a default
    assert [f[:2] for f in node.factors if "al.anode.nac" in f[0]] == [
        ("s1_measured@2024.1/al.anode.nac{S1}@2024", "0.395")], node.factors


def test_an_incremental_run_after_a_change_agrees_with_a_full_one(ws, tmp_path):
    check_incremental(ws, tmp_path, "P1,aluminium_output,2024,12000,吨")
    # 0.395 × 12000 × 0.976 × 44/12 = 4626.24 × 44/12 = 16962.88 t
    assert close(anode(ws, "P1"), "16962.88")


def test_a_value_for_an_entity_not_in_the_tree_is_refused_with_its_line(tmp_path):
    w = ghg_workspace(tmp_path / "ws", TREE, FACTS,
                      files={"factors/s1.yaml": MEASURED.replace("entities: [S1]", "entities: [S9]")})
    try:
        with pytest.raises(FactorError) as exc:
            w.calc("2024")
        assert [(p.code, p.location.line, p.params["found"]) for p in exc.value.problems] == [
            ("ESG-FACTOR-012", 5, "S9")]
        assert "S9" in exc.value.problems[0].render("zh") and "主体树" in exc.value.problems[0].render("zh")
    finally:
        w.close()
