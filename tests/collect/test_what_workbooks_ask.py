"""What a collection workbook asks of whom, on the shipped library and the demo tree (UAT 11, 12, 2).

* a potline (level ``unit``) is asked its process and activity data only: no governance,
  business performance, Party building or people; a plant (``site``) its people and Party
  members but no board or Party committee; a company and the group all of them;
* solid fuels are broken down by solid fuel (coal kinds, coke, petroleum coke), never by
  electricity, heat, gas or diesel;
* computed indicators (``kind: method`` or ``formula``) are never input rows;
* the Unit column reads in the workbook's language.
"""
import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from esgledger.collect.campaign import (applicable_indicators, asks, assigned_indicators, open_campaign,
                                        open_desk, status_table)
from esgledger.collect.submission import import_csv, import_workbook, submit_values
from esgledger.collect.templates import breakdown_keys, generate_workbook, layout_for
from esgledger.store import schema_collect as C
from tests.conftest import DEMO_ENTITIES

DEMO_DATA = DEMO_ENTITIES.parent
SOLID = ["raw_coal", "bituminous", "anthracite", "coke", "petroleum_coke", "lignite"]
GOVERNANCE = {"shareholder_meetings", "board_meetings", "board_attendance", "total_assets", "operating_revenue",
              "party_committees", "party_branches", "party_members", "cash_dividends", "investor_calls"}
COMPUTED = {"scope1_emissions", "scope2_location", "scope2_market", "scope3_emissions", "energy_consumption",
            "energy_consumption_equivalent", "emissions_by_source", "ghg_emissions_scope12"}


@pytest.fixture
def desk(sqlite_workspace):
    return open_desk(sqlite_workspace)


def _rows(path: Path) -> dict[str, list[tuple]]:
    """indicator → [(sheet, breakdown, unit)] of a workbook's input rows."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, list[tuple]] = {}
    for ws in wb.worksheets[1:-1]:
        for row in ws.iter_rows(min_row=3, max_col=4, values_only=True):
            if row[0] and row[3] is not None or (row[0] and row[1]):
                out.setdefault(row[0], []).append((ws.title, row[2], row[3]))
    return out


def test_a_potline_is_asked_its_process_data_not_the_companys_governance(desk, tmp_path):
    c = open_campaign(desk, "2025")
    p1 = _rows(generate_workbook(desk, c, "TLYX-P1", tmp_path, lang="en"))
    assert not GOVERNANCE & set(p1) and "employees" not in p1
    assert {"aluminium_output", "anode_effect_minutes", "net_anode_consumption", "electricity_consumption",
            "solid_fuel_consumption"} <= set(p1)
    sheets = {s for rows in p1.values() for s, _b, _u in rows}
    assert not sheets & {"Corporate governance", "Party building", "Business performance", "Labour rights"}
    # the smelter company and the group: governance; a plant (site): people and Party members, no board
    tlyx = assigned_indicators(desk, c, "TLYX")
    assert {"board_meetings", "total_assets", "party_committees", "employees"} <= set(tlyx)
    xrlb = set(assigned_indicators(desk, c, "XRLB"))
    assert {"employees", "party_members", "party_branches", "safety_incidents"} <= xrlb
    assert not {"board_meetings", "shareholder_meetings", "total_assets", "party_committees", "cash_dividends"} & xrlb
    assert {"board_meetings", "investor_calls"} <= set(assigned_indicators(desk, c, "TSAL"))


def test_nobody_stops_being_asked_what_they_reported_last_year(desk):
    """Every input value of the demo's 2024 data (the source report's own figures, entity by
    entity) is one the new rule still asks of its entity."""
    lib = desk.library
    tree = desk.tree
    missed = set()
    with open(DEMO_DATA / "facts-2024.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            e = tree.entities[row["entity"]]
            if lib[row["indicator"]].kind == "input" and not asks(lib, row["indicator"], e.process_type, e.level):
                missed.add((row["entity"], row["indicator"]))
    assert missed == set()


def test_solid_fuels_are_broken_down_by_solid_fuel_only(desk, tmp_path):
    lib = desk.library
    for code in ("solid_fuel_consumption", "fuel_ncv_measured", "fuel_carbon_content_measured"):
        assert [k for k, _ in breakdown_keys(lib, code, "en")] == [""] + [f"fuel={m}" for m in SOLID]
    assert [label for _, label in breakdown_keys(lib, "solid_fuel_consumption", "en")] == [
        "Total", "Fuel: Raw coal", "Fuel: Bituminous coal", "Fuel: Anthracite", "Fuel: Coke",
        "Fuel: Petroleum coke", "Fuel: Lignite"]
    c = open_campaign(desk, "2025")
    rows = _rows(generate_workbook(desk, c, "TRNY", tmp_path, lang="zh"))["solid_fuel_consumption"]
    assert [b for _s, b, _u in rows] == ["合计", "燃料品种: 原煤", "燃料品种: 烟煤", "燃料品种: 无烟煤",
                                         "燃料品种: 焦炭", "燃料品种: 石油焦", "燃料品种: 褐煤"]
    assert {u for _s, _b, u in rows} == {"吨"}


def test_solid_fuel_by_electricity_is_refused_from_csv_and_the_api(desk, tmp_path):
    c = open_campaign(desk, "2025")
    rep = submit_values(desk, c, "TRNY", [
        {"indicator": "solid_fuel_consumption", "dims": "fuel=bituminous", "value": "100"},
        {"indicator": "solid_fuel_consumption", "dims": "fuel=electricity", "value": "5"}], dry_run=True)
    assert rep.flat() == [("api (values[1].dims)", "ESG-IMPORT-011")]
    assert "fuel=lignite" in rep.problems[0].render("en")
    f = tmp_path / "fuel.csv"
    f.write_text("entity,indicator,period,value,unit,fuel\n"
                 "TRNY,solid_fuel_consumption,2025,100,吨,bituminous\n"
                 "TRNY,solid_fuel_consumption,2025,5,吨,heat\n", encoding="utf-8")
    rep = import_csv(desk, f, campaign=c, dry_run=True)
    assert [code for _where, code in rep.flat()] == ["ESG-IMPORT-011"]


def test_computed_indicators_are_never_input_rows(desk, tmp_path):
    lib = desk.library
    computed = {code for code, ind in lib.indicators.items() if ind.kind != "input"}
    assert COMPUTED <= computed
    c = open_campaign(desk, "2025")
    for e in ("TSAL", "TLYX", "TLYX-P1", "TRNY"):
        assert not computed & set(assigned_indicators(desk, c, e))
        layout = layout_for(desk, c, e, "en")
        assert not computed & {s.indicator for sh in layout.sheets for s in sh.slots}
    rows = _rows(generate_workbook(desk, c, "TLYX", tmp_path, lang="en"))
    assert not computed & set(rows)
    assert applicable_indicators(lib, "smelter") == [
        code for code in applicable_indicators(lib, "smelter") if lib[code].kind == "input"]


def test_a_campaign_opened_before_still_does_not_ask_them(desk, tmp_path):
    """A campaign opened by an earlier version assigned a potline governance and computed
    indicators: its workbooks, its status counts and the API no longer ask them."""
    c = open_campaign(desk, "2025")
    before = len(assigned_indicators(desk, c, "TLYX-P1"))
    with desk.store.writing() as tx:
        tx.conn.execute(C.assignment.insert(), [dict(campaign_id=c.id, entity="TLYX-P1", indicator=i)
                                                for i in ("board_meetings", "scope1_emissions", "energy_consumption")])
        n = len(tx.conn.execute(select(C.assignment).where(C.assignment.c.campaign_id == c.id,
                                                           C.assignment.c.entity == "TLYX-P1")).all())
    assert n == before + 3
    assert len(assigned_indicators(desk, c, "TLYX-P1")) == before
    assert {r.entity: r.assigned for r in status_table(desk, c)}["TLYX-P1"] == before
    rows = _rows(generate_workbook(desk, c, "TLYX-P1", tmp_path, lang="en"))
    assert not {"board_meetings", "scope1_emissions", "energy_consumption"} & set(rows)
    rep = submit_values(desk, c, "TLYX-P1", [{"indicator": "board_meetings", "value": "6"}], dry_run=True)
    assert rep.flat() == [("api (values[0].indicator)", "ESG-COLLECT-012")]


def test_units_read_in_the_workbooks_language(desk, tmp_path):
    c = open_campaign(desk, "2025")
    en = _rows(generate_workbook(desk, c, "TSAL", tmp_path, lang="en"))
    zh = _rows(generate_workbook(desk, c, "TSAL", tmp_path, lang="zh"))
    expected = {"employees": ("persons", "人"), "total_assets": ("CNY 100m", "亿元"),
                "electricity_consumption": ("MWh", "兆瓦时"), "purchased_heat": ("GJ", "吉焦"),
                "solid_fuel_consumption": ("t", "吨"), "ets_verified_emissions": None,
                "diesel_consumption": ("L", "升"), "trainees": ("headcount (cumulative)", "人次")}
    for code, units in expected.items():
        if units is None:
            continue
        assert {u for _s, _b, u in en[code]} == {units[0]}, code
        assert {u for _s, _b, u in zh[code]} == {units[1]}, code
    # no Chinese character in any unit cell of the English workbook, nor in its instructions
    assert not [u for rows in en.values() for _s, _b, u in rows if u and any("\u4e00" <= ch <= "\u9fff" for ch in u)]
    wb = openpyxl.load_workbook(tmp_path / "2025_TSAL_en.xlsx")
    text = " ".join(str(v) for row in wb["Instructions"].iter_rows(values_only=True) for v in row if v)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text.replace(desk.tree.entities["TSAL"].name_zh, ""))
    # and a filled English workbook, its units as shown, imports
    wb = openpyxl.load_workbook(tmp_path / "2025_TSAL_en.xlsx")
    ws = wb["Labour rights"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "employees")
    ws.cell(row, 6, 3000)
    wb.save(tmp_path / "filled.xlsx")
    rep = import_workbook(desk, tmp_path / "filled.xlsx", dry_run=True)
    assert rep.flat() == [] and [e.unit for e in rep.entries] == ["人"]


def test_an_english_workbook_imported_in_chinese_reads_chinese(desk, tmp_path):
    """UAT 12: `--lang zh collect import` of an English workbook — every line of the report in
    Chinese (the rows' errors and the summary); an English desk reading a Chinese workbook —
    every line in English."""
    from typer.testing import CliRunner

    from esgledger.cli import app

    c = open_campaign(desk, "2025")
    for lang in ("en", "zh"):
        wb = openpyxl.load_workbook(generate_workbook(desk, c, "TLYX-P1", tmp_path, lang=lang))
        ws = wb[wb.sheetnames[2]]  # 能源管理 / Energy management
        row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "electricity_consumption")
        ws.cell(row, 6, "lots")
        wb.save(tmp_path / f"bad_{lang}.xlsx")
    ws_dir = str(desk.root)
    runner = CliRunner()
    r = runner.invoke(app, ["--lang", "zh", "-w", ws_dir, "collect", "import", str(tmp_path / "bad_en.xlsx")])
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        f"bad_en.xlsx:Energy management!F{row}: ESG-COLLECT-001 数值不是数字：electricity_consumption（用电量）："
        "实际为“lots”，应为以兆瓦时为单位的数字（没有数据请留空）",
        "bad_en.xlsx：存在 1 个错误，未写入任何数据"]
    r = runner.invoke(app, ["--lang", "en", "-w", ws_dir, "collect", "import", str(tmp_path / "bad_zh.xlsx")])
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        f'bad_zh.xlsx:能源管理!F{row}: ESG-COLLECT-001 value is not a number: electricity_consumption '
        '(Electricity consumption): found "lots", expected a number in MWh (leave the cell empty when there is no data)',
        "bad_zh.xlsx: 1 error, nothing was written"]
