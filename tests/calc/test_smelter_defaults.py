"""A potline that reports only its output is computed on defaults, and says so (UAT: a plant
with only 59 万吨 of aluminium got 4.6 t CO2e/t from IPCC's 1990s Tier 1 PFC factors, beside
the national NAC default, with no word that anything was defaulted).

Without anode data the prebake anode takes the NDRC 2013 default NAC (0.42 t C/t, with its
sulphur and ash: (100 − S − Ash)/100 = 0.976); without anode-effect data a centre-worked
prebake line (TLYX-P1 is CWPB) takes the same guideline's PFC default 0.034 kg CF4/t and
0.0034 kg C2F6/t. Each default is a warning, ESG-CALC-008, naming the data that would replace it.

Worked by hand for 59 万吨 = 590,000 t of aluminium (AR5: CF4 6630, C2F6 11100):
  anode  590,000 × 0.42 × 0.976 × 44/12 = 590,000 × 1.50304 = 886,793.6 t CO2
  PFC    590,000 × (0.034 × 6630 + 0.0034 × 11100) / 1000 = 590,000 × 0.26316 = 155,264.4 t CO2e
"""
from __future__ import annotations

from decimal import Decimal

from tests.conftest import write


def test_a_potline_with_only_its_output_is_computed_on_national_defaults_with_a_warning(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    assert ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                                                     "TLYX-P1,aluminium_output,2025,59,万吨\n")).ok
    res = ws.calc("2025")
    by_source = {f.dims: Decimal(f.value) for f in ws.store.current_facts(
        entity="TLYX-P1", indicator="emissions_by_source", period="2025")}
    assert by_source["emission_source=anode"] == Decimal("886793.6")
    assert by_source["emission_source=pfc"] == Decimal("155264.4")
    # no electricity reported: the electrolysis footprint holds the potline's direct emissions only
    (no_power,) = [p for p in res.problems if p.code == "ESG-CALC-010"]
    assert (no_power.params["field"], no_power.params["found"]) == ("aluminium_electrolysis", "TLYX, TLYX-P1, TLYX-P2")  # the smelter company and its lines
    assert "electricity_received" in no_power.render("en") and "未填报用电量" in no_power.render("zh")
    warned = [(p.code, p.params["indicator"]) for p in res.problems if p.code == "ESG-CALC-008"]
    assert warned == [("ESG-CALC-008", "net_anode_consumption"), ("ESG-CALC-008", "anode_effect_minutes")]
    pfc = next(p for p in res.problems if p.code == "ESG-CALC-008" and p.params["indicator"] == "anode_effect_minutes")
    assert "NDRC 2013" in pfc.render("en") and "anode_effect_minutes" in pfc.render("en")
    assert "缺省" in pfc.render("zh") and "请填报阳极效应分钟数" in pfc.render("zh")
    # the indicator by its name in the reader's language, its code beside it (the library's names)
    assert "TLYX-P1 2025 的 阳极效应持续时间（anode_effect_minutes）：" in pfc.render("zh")
    assert "Anode-effect minutes per cell-day (anode_effect_minutes) 2025 at TLYX-P1:" in pfc.render("en")


def test_measured_anode_effects_leave_no_default_and_no_warning(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    assert ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                                                     "TLYX-P1,aluminium_output,2025,59,万吨\n"
                                                     "TLYX-P1,net_anode_consumption,2025,24.4,万吨\n"
                                                     "TLYX-P1,anode_effect_minutes,2025,0.03,AE-min/cell-day\n")).ok
    assert ws.import_facts(write(tmp_path / "e.csv", "entity,indicator,period,value,unit,supplier\n"
                                                     "TLYX-P1,electricity_received,2025,7800000,兆瓦时,grid\n")).ok
    res = ws.calc("2025")
    assert [p for p in res.problems if p.code in ("ESG-CALC-008", "ESG-CALC-010")] == []
