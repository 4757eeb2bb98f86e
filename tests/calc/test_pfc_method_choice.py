"""Anode-effect minutes on file beside the overvoltage and current efficiency: the PFC takes the
overvoltage method, and the run says so (audit A3-L1: it did so silently).

Potline P of tests/data/ghg (CWPB, 10 000 t, AEM 0.05) with AEO 9 mV and CE 95 % added. By hand
(IPCC 2006 Eq.4.27, OVC 1.16 for CWPB, C2F6/CF4 0.121, AR5):
CF4 = 1.16 × 9 / 95 × 10 000 kg = 1 098.947368 kg = 1.098947368 t; C2F6 = 0.121 × that
= 0.132972632 t; CO2e = 1.098947368 × 6630 + 0.132972632 × 11100 = 7 286.021 + 1 475.996
= 8 762.017 t (the slope method on the minutes would give 570.07665 t, test_ghg.py).
"""
from __future__ import annotations

from tests.conftest import DATA, close, ghg_workspace, v

GHG = DATA / "ghg"
OVERVOLTAGE = "entity,indicator,period,value,unit\nP,anode_effect_overvoltage,2024,9,mV\nP,current_efficiency,2024,95,%\n"


def test_both_methods_data_the_overvoltage_method_is_used_and_said(tmp_path):
    ws = ghg_workspace(tmp_path / "ws", GHG / "tree.yaml", GHG / "facts.csv", OVERVOLTAGE)
    try:
        res = ws.calc("2024")
        assert close(v(ws, "P", "emissions_by_source", "emission_source=pfc"), "8762.017", 3)
        [f] = ws.store.current_facts(entity="P", indicator="emissions_by_source", period="2024",
                                     dims="emission_source=pfc")
        assert sorted(i.indicator for i, _r, _w in ws.store.inputs_of(f.id)) == [
            "aluminium_output", "anode_effect_overvoltage", "current_efficiency"]
        [p] = [p for p in res.problems if p.code == "ESG-CALC-016"]
        assert p.render("en") == (
            "(P/anode_effect_minutes): ESG-CALC-016 data on file not used: one method per source: Anode-effect "
            "minutes per cell-day (anode_effect_minutes) 2024 at P is not used: the PFC is computed by the overvoltage method "
            "(IPCC 2006 Eq.4.27, from anode_effect_overvoltage and current_efficiency), which the run takes when "
            "the data of both methods are on file, not by the slope method (IPCC 2006 Eq.4.26, from the "
            "anode-effect minutes)")
        zh = p.render("zh")
        assert zh.startswith("(P/anode_effect_minutes): ESG-CALC-016 已填报的数据未使用：每个排放源只用一种方法：P 2024 的 ")
        assert "未使用：全氟化碳（PFC）排放按过电压法（IPCC 2006 式 4.27" in zh and "未按斜率法（IPCC 2006 式 4.26" in zh
    finally:
        ws.close()


def test_one_methods_data_only_nothing_to_say(tmp_path):
    ws = ghg_workspace(tmp_path / "ws", GHG / "tree.yaml", GHG / "facts.csv")
    try:
        res = ws.calc("2024")
        assert [p for p in res.problems if p.code == "ESG-CALC-016"] == []
        assert close(v(ws, "P", "emissions_by_source", "emission_source=pfc"), "570.07665", 5)
    finally:
        ws.close()
