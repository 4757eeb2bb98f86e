"""The national-ETS view follows its guideline, not the report's settings (audit A3-M1, A3-L3).

The group of tests/data/ghg: potline P (CWPB, 10 000 t of aluminium, AEM 0.05 AE-min/cell-day,
measured anodes) in the smelter company S, captive plant W. Hand arithmetic:

* PFC mass (slope 0.143 for CWPB in both views): CF4 = 0.143 × 0.05 × 10 000 kg = 71.5 kg
  = 0.0715 t; C2F6 at the guideline's ratio 0.1: 0.00715 t; at IPCC's 0.121: 0.0086515 t
* the workspace at AR6 (report.gwp_set): the inventory weighs with AR6, CF4 7380 / C2F6 12400:
  0.0715 × 7380 + 0.0086515 × 12400 = 527.67 + 107.2786 = 634.9486 t CO2e
* the ETS view weighs with the guideline's set whatever the report's: 2024 MEE
  CETS-AG-04.01-V01-2024 (cn_aluminium_mee2024, gwp_set AR5), CF4 6630 / C2F6 11100:
  0.0715 × 6630 + 0.00715 × 11100 = 474.045 + 79.365 = 553.41 t; S = anode 42 944/3
  (= 14 314.6667) + 553.41 = 14 868.0767 t
* 2023: the NDRC 2013 guideline (cn_aluminium_ndrc2013, gwp_set SAR: CF4 6500 / C2F6 9200,
  domain reference §2.1): 0.0715 × 6500 + 0.00715 × 9200 = 464.75 + 65.78 = 530.53 t;
  S = 14 314.6667 + 530.53 = 14 845.1967 t
* production basis: P's liquid aluminium 10 000 t; S's intensity 14 868.0767 / 10 000
  = 1.48680767 t CO2e per t of liquid aluminium
"""
from __future__ import annotations

import json

from sqlalchemy import select
from typer.testing import CliRunner

from esgledger.calc.views import view_table
from esgledger.store import schema as S
from esgledger.workspace import open_workspace
from tests.conftest import DATA, close, ghg_workspace, v

GHG = DATA / "ghg"


def _at_ar6(tmp_path, *facts):
    w = ghg_workspace(tmp_path / "ws", GHG / "tree.yaml", *facts)
    w.close()
    cfg = tmp_path / "ws" / "esgledger.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("[report]\n", '[report]\ngwp_set = "AR6"\n'),
                   encoding="utf-8")
    w = open_workspace(tmp_path / "ws")
    assert w.gwp_set == "AR6"
    return w


def _use(ws, entity, indicator, period="2024"):
    """(method, view, GWP set) of a current fact's lineage, and its GWP factor values."""
    [f] = ws.store.current_facts(entity=entity, indicator=indicator, period=period, dims="", basis="own")
    with ws.store.engine.connect() as conn:
        m = conn.execute(select(S.fact_method).where(S.fact_method.c.fact_id == f.id)).one()
        gwps = {(r.factor_key.split("/")[1].split("@")[0], r.value) for r in conn.execute(
            S.fact_factor.select().where(S.fact_factor.c.fact_id == f.id)) if "/gwp[" in r.factor_key}
    return (m.method, m.view, m.gwp_set), gwps


def test_the_ets_view_keeps_its_guidelines_gwp_when_the_report_takes_ar6(tmp_path):
    ws = _at_ar6(tmp_path, GHG / "facts.csv")
    try:
        ws.calc("2024")
        # the inventory: AR6
        assert close(v(ws, "P", "emissions_by_source", "emission_source=pfc"), "634.9486")
        assert close(v(ws, "P", "scope1_emissions", "gas=cf4"), "527.67")
        # the ETS: AR5, the set cn_aluminium_mee2024 declares, and its lineage says so
        assert close(v(ws, "S", "ets_emissions"), "14868.0767")
        use, gwps = _use(ws, "S", "ets_emissions")
        assert use == ("ets.smelter", "ets", "AR5")
        assert gwps == {("gwp[gas=CF4;gwp_set=AR5]", "6630"), ("gwp[gas=C2F6;gwp_set=AR5]", "11100")}
        assert _use(ws, "P", "scope1_emissions")[0] == ("inventory.scope1", "inventory", "AR6")
    finally:
        ws.close()


def test_before_2024_the_ets_view_takes_the_ndrc_2013_sets_gwp(tmp_path):
    facts = (GHG / "facts.csv").read_text(encoding="utf-8").replace(",2024,", ",2023,")
    ws = _at_ar6(tmp_path, facts)
    try:
        ws.calc("2023")
        assert close(v(ws, "S", "ets_emissions", period="2023"), "14845.1967")
        use, gwps = _use(ws, "S", "ets_emissions", "2023")
        assert use == ("ets.smelter", "ets", "SAR")
        assert gwps == {("gwp[gas=CF4;gwp_set=SAR]", "6500"), ("gwp[gas=C2F6;gwp_set=SAR]", "9200")}
    finally:
        ws.close()


def test_the_ets_view_gives_its_production_basis_and_intensity(tmp_path):
    ws = ghg_workspace(tmp_path / "ws", GHG / "tree.yaml", GHG / "facts.csv")
    try:
        ws.calc("2024")
        assert v(ws, "S", "ets_liquid_aluminium") == 10000
        assert close(v(ws, "S", "ets_intensity"), "1.48680767", 8)
        # the captive plant reports under the power-generation guideline: no liquid aluminium
        assert v(ws, "W", "ets_liquid_aluminium") is None and v(ws, "W", "ets_intensity") is None
        # the intensity's lineage: the enterprise's ETS emissions and its production basis
        [f] = ws.store.current_facts(entity="S", indicator="ets_intensity", period="2024")
        assert sorted((i.entity, i.indicator) for i, _r, _w in ws.store.inputs_of(f.id)) == [
            ("S", "ets_emissions"), ("S", "ets_liquid_aluminium")]
        [basis] = ws.store.current_facts(entity="S", indicator="ets_liquid_aluminium", period="2024")
        assert [(i.entity, i.indicator) for i, _r, _w in ws.store.inputs_of(basis.id)] == [("P", "aluminium_output")]
        rows = {r.key: r.values for r in view_table(ws, "2024", "ets").rows}
        assert rows["S"]["ets_liquid_aluminium"] == 10000 and close(rows["S"]["ets_intensity"], "1.48680767", 8)
        assert rows["W"]["ets_liquid_aluminium"] is None
    finally:
        ws.close()


def test_calc_run_prints_the_production_basis_in_both_languages_and_as_json(tmp_path):
    from esgledger.cli import STATE, app

    ws = ghg_workspace(tmp_path / "ws", GHG / "tree.yaml", GHG / "facts.csv")
    ws.close()
    runner = CliRunner()
    base = ["-w", str(tmp_path / "ws"), "calc", "run", "--period", "2024", "--view", "ets"]
    try:
        en = runner.invoke(app, ["--lang", "en"] + base)
        zh = runner.invoke(app, ["--lang", "zh"] + base)
        js = runner.invoke(app, ["--lang", "en"] + base + ["--json"])
        js_zh = runner.invoke(app, ["--lang", "zh"] + base + ["--json"])
    finally:
        STATE.lang = "en"
    assert en.exit_code == 0, en.output
    # 10 000 t at precision 2; 1.48680767 at the intensity's 4 places (the column heads wrap
    # at the console's width: their names are checked in the JSON)
    assert "10,000.00" in en.output and "1.4868" in en.output and "14,868.08" in en.output
    assert zh.exit_code == 0, zh.output
    assert "全国碳市场口径" in zh.output and "10,000.00" in zh.output and "1.4868" in zh.output
    assert js.exit_code == 0, js.output
    out = json.loads(js.output)
    assert out["period"] == "2024" and out["view"]["view"] == "ets"
    assert [(c["indicator"], c["name"], c["unit"]) for c in out["view"]["columns"]][2:] == [
        ("ets_liquid_aluminium", "Liquid aluminium output (national ETS production basis)", "t"),
        ("ets_intensity", "ETS emissions per tonne of liquid aluminium", "t CO2e per t")]
    assert [p["code"] for p in out["problems"]] == ["ESG-CALC-001", "ESG-CALC-001"]  # no revenue, no output value
    s = next(r for r in out["view"]["rows"] if r["key"] == "S")
    assert s["values"]["ets_liquid_aluminium"] == "10000"
    assert s["values"]["ets_intensity"].startswith("1.48680766666")  # 44 604.23/3 / 10 000
    assert [c["name"] for c in json.loads(js_zh.output)["view"]["columns"]][2:] == [
        "铝液产量（全国碳市场产量口径）", "吨铝液排放量（全国碳市场口径）"]
    w = next(r for r in out["view"]["rows"] if r["key"] == "W")
    assert w["values"]["ets_intensity"] is None
