"""Validation rules and calculation warnings, each produced from a small ledger."""
import shutil
from decimal import Decimal

import pytest

from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DATA, DEMO_ENTITIES, write


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    init_workspace(root, lang="en").close()
    shutil.copytree(DATA / "validate", root / "library")
    w = open_workspace(root)
    assert not w.import_entities(DEMO_ENTITIES).errors
    yield w
    w.close()


def load(ws, tmp_path, text):
    rep = ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\n" + text))
    assert rep.problems.flat() == []


def test_breakdown_that_does_not_add_up(ws, tmp_path):
    load(ws, tmp_path, "TLYX,t_staff,2024,100,人,\nTLYX,t_staff,2024,30,人,female\nTLYX,t_staff,2024,60,人,male\n"
                       "TRNY,t_staff,2024,10,人,\nTRNY,t_staff,2024,4,人,female\nTRNY,t_staff,2024,6,人,male\n")
    # TLYX: 30 + 60 = 90 ≠ 100; TRNY adds up
    assert ws.validate("2024").flat() == [("(TLYX/t_staff/2024)", "ESG-VAL-001")]
    ws.calc("2024")
    # consolidated at TLYX (TLYX + TRNY): 34 + 66 = 100 ≠ 110, and so at TSAL above it
    assert ws.validate("2024").flat() == [("(TLYX/t_staff/2024/control)", "ESG-VAL-001"),
                                          ("(TLYX/t_staff/2024)", "ESG-VAL-001"),
                                          ("(TSAL/t_staff/2024/control)", "ESG-VAL-001")]


def test_reported_average_that_disagrees_with_its_formula(ws, tmp_path):
    # the seed's case: 518 184 h / 6 756 employees = 76.70 → 77 at precision 0, reported 72
    load(ws, tmp_path, "TSAL,t_staff,2024,6756,人,\nTSAL,t_hours,2024,518184,小时,\nTSAL,t_avg_hours,2024,72,小时/人,\n")
    [p] = ws.validate("2024")
    assert (str(p.location), p.code, p.params["expected"]) == ("(TSAL/t_avg_hours/2024)", "ESG-VAL-002", "77")


def test_target_marked_achieved_against_the_figure(ws, tmp_path):
    # the seed's case: one work-related fatality, zero-fatality target marked achieved
    load(ws, tmp_path, "TSAL,t_fatalities,2024,1,人,\nTSAL,t_zero_target,2024,yes,,\n")
    assert ws.validate("2024").flat() == [("(TSAL/t_zero_target/2024)", "ESG-VAL-003")]
    # the rule's operator as a reader writes it, in both languages (the zh text said "目标 eq 0")
    (p,) = ws.validate("2024")
    assert "target = 0 is marked achieved" in p.render("en") and "目标 = 0 标记为已达成" in p.render("zh")


def test_rules_can_be_chosen_and_skipped(ws, tmp_path):
    from esgledger.calc.validate import run_rules

    load(ws, tmp_path, "TSAL,t_fatalities,2024,1,人,\nTSAL,t_zero_target,2024,yes,,\n"
                       "TLYX,t_staff,2024,100,人,\nTLYX,t_staff,2024,30,人,female\n")
    assert [p.code for p in run_rules(ws, "2024")] == ["ESG-VAL-001", "ESG-VAL-003"]
    assert [p.code for p in run_rules(ws, "2024", select=["ESG-VAL-003"])] == ["ESG-VAL-003"]
    assert [p.code for p in run_rules(ws, "2024", skip=["ESG-VAL-003"])] == ["ESG-VAL-001"]


def test_formula_input_missing_and_division_by_zero(ws, tmp_path):
    load(ws, tmp_path, "TLYX,t_cost,2024,100,万元,\nTRNY,t_cost,2024,50,万元,\nTRNY,t_staff,2024,0,人,\n"
                       "JXTG,t_cost,2024,10,万元,\nJXTG,t_staff,2024,4,人,\n")
    res = ws.calc("2024")
    # TRNY: 50 / 0 → not computed; TLYX consolidated: staff 0 (only TRNY's) → not computed;
    # XRLY has no data at all → nothing said; TSAL: cost 100 + 50 + 10 = 160, staff 0 + 4 → 40 万元/人
    flat = sorted((p.code, p.params["entity"]) for p in res.problems)
    assert flat == [("ESG-CALC-002", "TLYX"), ("ESG-CALC-002", "TRNY")]
    assert ws.value("TSAL", "t_cost_per_head", "2024").value == "40"
    # XRLY has cost but no staff below it: no warning at an intermediate node
    load(ws, tmp_path, "XRLB,t_cost,2024,5,万元,\n")
    res = ws.calc("2024", full=True)
    assert sorted((p.code, p.params["entity"]) for p in res.problems) == [
        ("ESG-CALC-002", "TLYX"), ("ESG-CALC-002", "TRNY")]
    assert ws.value("TSAL", "t_cost_per_head", "2024").value == "41.25"  # 165 / 4


def test_a_formula_the_group_cannot_compute(ws, tmp_path):
    load(ws, tmp_path, "XRLB,t_cost,2024,5,万元,\n")
    res = ws.calc("2024")
    # cost is reported, staff nowhere: the group's cost per head is missing, and says so
    assert [(p.code, p.params["entity"], p.params["found"]) for p in res.problems] == [
        ("ESG-CALC-001", "TSAL", "t_staff")]


def test_a_share_outside_its_range(ws, tmp_path):
    """ESG-VAL-004 over the ledger: 120 female of 100 staff gives a female share of 120.00 %
    (range 0–100 %) at TLYX, and again wherever it is recomputed from consolidated parts."""
    from esgledger.calc.validate import run_rules

    load(ws, tmp_path, "TLYX,t_staff,2024,100,人,\nTLYX,t_staff,2024,120,人,female\n"
                       "TRNY,t_staff,2024,50,人,\nTRNY,t_staff,2024,20,人,female\n")
    ws.calc("2024")
    found = run_rules(ws, "2024", select=["ESG-VAL-004"])
    # TLYX own 120/100; TLYX consolidated (TLYX + TRNY) 140/150 = 93.33 %: inside; TRNY 40 %: inside
    assert [(str(p.location), p.params["found"].en, p.params["expected"].en) for p in found] == [
        ("(TLYX/t_female_share/2024)", "120.00 %", "from 0 to 100 %")]
    assert "超出允许范围" in found[0].render("zh") and "0–100 %" in found[0].render("zh")
    # the indicator by its name in the reader's language, its code beside it
    assert "ESG-VAL-004 数值超出指标允许范围：TLYX 2024 的 测试女性占比（t_female_share）：" in found[0].render("zh")
    assert "value outside its indicator's range: Test female share (t_female_share) 2024 at TLYX:" in found[0].render("en")


def test_a_value_the_run_cannot_compute_any_more_is_named(ws, tmp_path):
    """TRNY's cost per head, 50 万元 / 5 = 10 (and the same 10 consolidated at TLYX and TSAL
    above it, where TRNY's are the only figures), then its staff corrected to 0: the run cannot
    compute any of the three any more, withdraws them and says so (ESG-CALC-007)."""
    load(ws, tmp_path, "TRNY,t_cost,2024,50,万元,\nTRNY,t_staff,2024,5,人,\n")
    ws.calc("2024")
    assert ws.value("TRNY", "t_cost_per_head", "2024").value == "10"
    load(ws, tmp_path, "TRNY,t_staff,2024,0,人,\n")
    res = ws.calc("2024", full=True)
    stale = [p for p in res.problems if p.code == "ESG-CALC-007"]
    assert [(p.params["entity"], p.params["indicator"], p.params["found"]) for p in stale] == [
        ("TLYX", "t_cost_per_head", "control: 10"), ("TRNY", "t_cost_per_head", "own: 10"),
        ("TSAL", "t_cost_per_head", "control: 10")]
    assert "已撤回" in stale[0].render("zh")
    # no current value any more; the history keeps the 10 and the withdrawal
    assert ws.value("TRNY", "t_cost_per_head", "2024") is None
    assert ws.value("TSAL", "t_cost_per_head", "2024", basis="control") is None
    assert [(h.revision, h.value, h.status) for h in ws.history("TRNY", "t_cost_per_head", "2024")] == [
        (1, "10", "calculated"), (2, "10", "withdrawn")]
    # and the next full run finds nothing more to withdraw or write
    again = ws.calc("2024", full=True)
    assert again.written == 0 and not [p for p in again.problems if p.code == "ESG-CALC-007"]


def test_a_methodology_result_the_run_cannot_produce_any_more_is_named(tmp_path):
    """The potline's anode CO2 (tests/calc/test_ghg.py: 14 314.6667 t), then its aluminium
    output corrected to 0 t while it still reports 4000 t of anodes consumed: the prebake anode
    equation (per tonne of aluminium) cannot run (ESG-CALC-005), and the first run's results per
    tonne of aluminium are withdrawn, which the full run says (ESG-CALC-007). The totals that should
    include the anode are written marked incomplete (calc/incomplete.py), and so are the anode's
    own row and the line's CO2 (the anode was its only CO2), at 0: none of it could be computed,
    so they are rewritten, not withdrawn."""
    from esgledger.workspace import init_workspace
    from tests.conftest import DATA

    with init_workspace(tmp_path / "ws", lang="en") as w:
        assert not w.import_entities(DATA / "ghg" / "tree.yaml").errors
        assert w.import_facts(DATA / "ghg" / "facts.csv").ok
        w.calc("2024")
        bad = tmp_path / "standstill.csv"
        bad.write_text("entity,indicator,period,value,unit\nP,aluminium_output,2024,0,吨\n", encoding="utf-8")
        assert w.import_facts(bad).ok
        res = w.calc("2024", full=True)
    # (and the energy per tonne of aluminium, kgce ÷ 0 t, at the line and the stage)
    assert sorted(p.params["indicator"] for p in res.problems if p.code == "ESG-CALC-005") == [
        "energy_intensity_product", "energy_intensity_product", "net_anode_consumption"]
    stale = sorted((p.params["entity"], p.params["indicator"], p.params["found"].split(":")[0])
                   for p in res.problems if p.code == "ESG-CALC-007")
    assert ("P", "emissions_by_source", "own; emission_source=anode") not in stale
    assert ("P", "scope1_emissions", "own; gas=co2") not in stale
    # what the run cannot produce any more is withdrawn and named: per tonne of 0 t of aluminium
    assert ("P", "energy_intensity_product", "own; product=aluminium_electrolysis") in stale
    with open_workspace(tmp_path / "ws") as w:
        a = w.value("P", "emissions_by_source", "2024", "emission_source=anode")
        assert (Decimal(a.value), a.comment) == (Decimal(0), "incomplete: P/anode (ESG-CALC-005)")
        co2 = w.value("P", "scope1_emissions", "2024", "gas=co2")
        assert (Decimal(co2.value), co2.comment) == (Decimal(0), "incomplete: P/anode (ESG-CALC-005)")
        # the group's Scope 1 no longer counts the anode: PFC 0.143 × 0.05 × 0 t = 0, captive coal
        # 1 815; and it says it leaves the potline's anode out
        g = w.value("G", "scope1_emissions", "2024", basis="control")
        assert (Decimal(g.value), g.comment) == (Decimal("1815"), "incomplete: P/anode (ESG-CALC-005)")


def test_a_value_far_from_last_years_is_named(ws, tmp_path):
    """ESG-VAL-006 over the ledger, as a workbook submission checks it (ESG-COLLECT-005): the
    captive plant's generation, threshold ±20 %, entered as 135,000 万kWh in 2024 (10× too small,
    the slip the UAT found in the demo) after 1,341,160 in 2023: (13.5 − 134.116) / 134.116 =
    −89.93 %. A change within the threshold, or exactly at it, is not named."""
    from esgledger.calc.validate import run_rules

    def gen(period, value):
        rep = ws.import_facts(write(tmp_path / f"g{period}{value}.csv",
                                    f"entity,indicator,period,value,unit\nTRNY,captive_power_generation,{period},{value},万千瓦时\n"))
        assert rep.ok, rep.problems.flat()

    gen("2023", "1341160")
    gen("2024", "135000")
    (p,) = run_rules(ws, "2024", select=["ESG-VAL-006"])
    assert (str(p.location), p.params["change"], p.params["threshold"]) == (
        "(TRNY/captive_power_generation/2024)", "-89.9 %", "20")
    assert "2023" in p.render("en") and "较" in p.render("zh")
    assert "13.5000 亿千瓦时 较 134.1160 亿千瓦时（2023）" in p.render("zh")  # stored in 亿千瓦时, shown so
    gen("2024", "1609392")  # +20.0 % exactly: at the threshold, not beyond it
    assert run_rules(ws, "2024", select=["ESG-VAL-006"]) == []
    assert run_rules(ws, "2023", select=["ESG-VAL-006"]) == []  # nothing in 2022 to compare with


def test_the_ghg_methods_inputs_have_a_change_threshold_too(ws, tmp_path):
    """UAT (2026-11-25): anode-effect minutes typed as 30 instead of 0.03 (×1000) and the
    alumina consumed ×10 went through without a word: only outputs and totals had a threshold.
    The inputs the methods multiply by now have one each: 0.03 → 30 is +99,900 % (threshold
    ±100 %), 1,134,840 → 11,348,400 t is +900 % (±20 %); 0.03 → 0.05 (+66.7 %) stays quiet."""
    from esgledger.calc.validate import run_rules

    rep = ws.import_facts(write(tmp_path / "a.csv", "entity,indicator,period,value,unit\n"
                                "TLYX-P1,anode_effect_minutes,2023,0.03,AE-min/cell-day\n"
                                "TLYX-P1,anode_effect_minutes,2024,30,AE-min/cell-day\n"
                                "TLYX-P1,alumina_consumption,2023,1134840,吨\n"
                                "TLYX-P1,alumina_consumption,2024,11348400,吨\n"
                                "TLYX-P2,anode_effect_minutes,2023,0.03,AE-min/cell-day\n"
                                "TLYX-P2,anode_effect_minutes,2024,0.05,AE-min/cell-day\n"))
    assert rep.ok, rep.problems.flat()
    found = {(p.params["entity"], p.params["indicator"]): (p.params["change"], p.params["threshold"])
             for p in run_rules(ws, "2024", select=["ESG-VAL-006"]) if p.params["entity"].startswith("TLYX-")}
    assert found == {("TLYX-P1", "anode_effect_minutes"): ("+99900.0 %", "100"),
                     ("TLYX-P1", "alumina_consumption"): ("+900.0 %", "20")}


def test_a_calculated_total_far_from_last_years_is_named_too(ws, tmp_path):
    """The thresholds the library sets on calculated totals (Scope 1 ±20 %) were never checked:
    ESG-VAL-006 looked at entered values only. JXTG's natural gas doubles, 100 → 200 万m³:
    100 × 389.31 GJ/万m³ × 0.01530 t C/GJ × 0.99 × 44/12 = 2,162.1888 t CO2 in 2023, twice
    that in 2024, +100.0 %, shown as the report rounds Scope 1 (whole tonnes)."""
    from esgledger.calc.validate import run_rules

    rep = ws.import_facts(write(tmp_path / "g.csv", "entity,indicator,period,value,unit\n"
                                "JXTG,natural_gas_consumption,2023,1000000,立方米\n"
                                "JXTG,natural_gas_consumption,2024,2000000,立方米\n"))
    assert rep.ok, rep.problems.flat()
    ws.calc("2023")
    ws.calc("2024")
    found = {(p.params["entity"], p.params["indicator"], str(p.location)): p
             for p in run_rules(ws, "2024", select=["ESG-VAL-006"])}
    p = found[("JXTG", "scope1_emissions", "(JXTG/scope1_emissions/2024)")]
    assert (p.params["found"].en, p.params["change"], p.params["threshold"]) == ("4324 t CO2e", "+100.0 %", "20")
    assert p.params["expected"].en == "2162 t CO2e (2023)"
    # the entered gas itself has its own threshold (±30 %) and is named as before
    assert ("JXTG", "natural_gas_consumption", "(JXTG/natural_gas_consumption/2024)") in found


def test_a_value_ten_times_last_years_is_named_without_a_threshold(ws, tmp_path):
    """ESG-VAL-008: purchased electricity sets no change threshold, so a figure typed in kWh
    instead of MWh (or 万kWh instead of MWh) went through the ledger's validation without a word;
    a workbook flagged it at submission (ESG-COLLECT-018). TLYX 1,000,000 → 10,000,000 MWh is
    exactly 10 times (named); JXTG 500 → 50 is exactly a tenth (named); TRNY 500 → 50.5 is
    0.101 of it (not named); head counts are whole numbers and swing at small sizes (not named);
    nothing in 2022 to compare 2023 with."""
    from esgledger.calc.validate import run_rules

    rep = ws.import_facts(write(tmp_path / "p.csv", "entity,indicator,period,value,unit\n"
                                "TLYX,purchased_electricity,2023,1000000,兆瓦时\n"
                                "TLYX,purchased_electricity,2024,10000000,兆瓦时\n"
                                "JXTG,purchased_electricity,2023,500,兆瓦时\n"
                                "JXTG,purchased_electricity,2024,50,兆瓦时\n"
                                "TRNY,purchased_electricity,2023,500,兆瓦时\n"
                                "TRNY,purchased_electricity,2024,50.5,兆瓦时\n"
                                "TRNY,employees,2023,10,人\n"
                                "TRNY,employees,2024,200,人\n"))
    assert rep.ok, rep.problems.flat()
    found = {str(p.location): p for p in run_rules(ws, "2024", select=["ESG-VAL-008"])}
    assert set(found) == {"(TLYX/purchased_electricity/2024)", "(JXTG/purchased_electricity/2024)"}
    tlyx, jxtg = found["(TLYX/purchased_electricity/2024)"], found["(JXTG/purchased_electricity/2024)"]
    assert "10 times 1000000 MWh (2023)" in tlyx.render("en")
    assert "是 1000000 兆瓦时（2023） 的 10 倍" in tlyx.render("zh") and "请核对填报单位" in tlyx.render("zh")
    assert "1/10 of 500 MWh (2023)" in jxtg.render("en")
    assert run_rules(ws, "2023", select=["ESG-VAL-008"]) == []
    # the whole catalogue runs it too (esgledger validate)
    assert ("(TLYX/purchased_electricity/2024)", "ESG-VAL-008") in ws.validate("2024").flat()
