"""Collection catches unit mistakes and reads the submitter's words (UAT3 H4, L14, M1, M3, M4,
M5, M9, M10, L13), on the shipped library and the demo tree.

The figures are those of the UAT's plant HYDJ-A: 用电量 5,550,000 MWh this year against
5,400,000 MWh last year; 外购电量 typed in kWh (5,550,000,000 in a MWh cell); 环保投入 typed
in 元 (16,000,000 in a 万元 cell) against 1,500 万元 last year.
"""
import csv
import datetime as dt

import openpyxl
import pytest
from typer.testing import CliRunner

from esgledger.calc.validate import RULES
from esgledger.cli import OptionError, app
from esgledger.cli_collect import value_comment
from esgledger.collect.campaign import close_campaign, open_campaign, open_desk
from esgledger.collect.review import return_entity, review_entity
from esgledger.collect.submission import blank_warning, import_csv, import_workbook, submit_entity, submit_values
from esgledger.collect.templates import fill_workbook, generate_workbook, layout_for
from esgledger.store import NewFact
from tests.conftest import DEMO_ENTITIES

SITE = "XRLB"  # a plant (site) of the demo tree: asked energy, money and safety


@pytest.fixture
def desk(sqlite_workspace):
    return open_desk(sqlite_workspace)


def _last_year(desk, values: dict) -> None:
    """Approved 2024 values of the plant: (indicator, dims) → value."""
    desk.store.append_facts([NewFact(SITE, i, "2024", d, v, desk.library[i].unit, status="approved")
                             for (i, d), v in values.items()], kind="api", source="2024 approved")


def _codes(rep):
    return sorted((p.code, str(p.location)) for p in rep.problems)


def _msg(rep, code, lang):
    return next(p.message(lang) for p in rep.problems if p.code == code)


# -- H4 / L14: a value ~1,000x or ~10,000x last year's -------------------------------------------
def test_kwh_in_a_mwh_cell_and_yuan_in_a_wan_yuan_cell_are_named_with_their_likely_cause(desk):
    _last_year(desk, {("electricity_consumption", ""): "5400000", ("purchased_electricity", ""): "5400000",
                      ("environmental_protection_investment", ""): "1500"})
    c = open_campaign(desk, "2025")
    rep = submit_values(desk, c, SITE, [
        {"indicator": "electricity_consumption", "value": "5550000"},
        {"indicator": "purchased_electricity", "value": "5550000000"},          # kWh in a MWh cell
        {"indicator": "environmental_protection_investment", "value": "16000000"}])  # 元 in a 万元 cell
    assert rep.ok and rep.written  # warnings: the draft lands, submitting waits for them
    assert _codes(rep) == [("ESG-COLLECT-017", "api (values[1].value)"), ("ESG-COLLECT-017", "api (values[2].value)")]
    zh = [p.message("zh") for p in rep.problems]
    # 5,550,000,000 / 5,400,000 = 1,027.8 -> 1,028; 1 MWh = 1,000 kWh
    assert zh[0].startswith("疑似单位填错：purchased_electricity（外购电量）：5,550,000,000 兆瓦时 是上年（2024）"
                            "5,400,000 兆瓦时的 1,028 倍，很可能是单位填错了（可能按千瓦时而不是兆瓦时填写）。")
    # 16,000,000 / 1,500 = 10,666.7 -> 10,667; 1 万元 = 10,000 元
    assert "16,000,000 万元 是上年（2024）1,500 万元的 10,667 倍" in zh[1] and "可能按元而不是万元填写" in zh[1]
    assert "以“已核实：”开头" in zh[1]
    en = rep.problems[0].message("en")
    assert "5,550,000,000 MWh is 1,028 times last year's 5,400,000 MWh (2024)" in en
    assert "probably entered in kWh, not MWh" in en and '"Verified:"' in en


def test_a_comment_restating_the_mistake_does_not_clear_it_a_verified_one_does(desk):
    """L14: 氧化铝产量 2,050,000 万吨 with the note "产量205万吨" must not submit."""
    _last_year(desk, {("environmental_protection_investment", ""): "1500"})
    c = open_campaign(desk, "2025")
    submit_values(desk, c, SITE, [{"indicator": "environmental_protection_investment", "value": "16000000",
                                   "comment": "投入1600万元"}])
    refused = submit_entity(desk, c, SITE)
    assert [p.code for p in refused.problems.errors] == ["ESG-COLLECT-007"]
    assert refused.problems.errors[0].params["found"] == "ESG-COLLECT-017"
    # a comment that says it was checked clears it (the figure is then the submitter's statement)
    submit_values(desk, c, SITE, [{"indicator": "environmental_protection_investment", "value": "16000000",
                                   "comment": "已核实：新建脱硫脱硝工程一次性投入16亿元"}])
    assert submit_entity(desk, c, SITE).ok


def test_a_part_larger_than_its_whole_is_a_warning_and_1000x_a_unit_mistake(desk, sqlite_workspace):
    c = open_campaign(desk, "2025")  # no last year: the same workbook's 用电量 is the yardstick
    rep = submit_values(desk, c, SITE, [{"indicator": "electricity_consumption", "value": "5550000"},
                                        {"indicator": "purchased_electricity", "value": "5550000000"}])
    assert _codes(rep) == [("ESG-COLLECT-017", "api (values[1].value)")]
    # 5,550,000,000 / 5,550,000 = 1,000
    assert "5,550,000,000 兆瓦时 是同期用电量（electricity_consumption）5,550,000 兆瓦时的 1,000 倍" in \
        _msg(rep, "ESG-COLLECT-017", "zh")
    # 6,000,000 > 5,550,000 MWh: more bought than used; an ordinary comment explains it
    rep = submit_values(desk, c, SITE, [{"indicator": "purchased_electricity", "value": "6000000"}])
    assert _codes(rep) == [("ESG-VAL-007", "api (values[0].value)")]
    assert _msg(rep, "ESG-VAL-007", "zh") == ("分项数值大于其所属总量：XRLB 2025 的 外购电量（purchased_electricity）："
                                             "6000000 兆瓦时 大于其所属的用电量（5550000 兆瓦时）")
    assert rep.unexplained
    rep = submit_values(desk, c, SITE, [{"indicator": "purchased_electricity", "value": "6000000",
                                         "comment": "含转供园区企业的 450,000 兆瓦时"}])
    assert rep.findings and not rep.unexplained
    # the ledger-wide check (esgledger validate) has the rule too
    assert "ESG-VAL-007" in RULES


def test_without_its_own_threshold_ten_times_last_year_asks_for_a_comment(desk):
    _last_year(desk, {("environmental_protection_investment", ""): "1500", ("work_injuries", ""): "1"})
    c = open_campaign(desk, "2025")
    # 14,000 / 1,500 = 9.3 times: no warning; 15,000 / 1,500 = 10 times: ESG-COLLECT-018
    rep = submit_values(desk, c, SITE, [{"indicator": "environmental_protection_investment", "value": "14000"}])
    assert _codes(rep) == []
    rep = submit_values(desk, c, SITE, [{"indicator": "environmental_protection_investment", "value": "15000"},
                                        {"indicator": "work_injuries", "value": "12"}])  # counts swing: not flagged
    assert _codes(rep) == [("ESG-COLLECT-018", "api (values[0].value)")]
    assert _msg(rep, "ESG-COLLECT-018", "zh").startswith(
        "与上年相比相差十倍以上：environmental_protection_investment（环保投入）：15000 万元 是上年 1500 万元 的 10 倍")
    # a tenth: 150 / 1,500
    rep = submit_values(desk, c, SITE, [{"indicator": "environmental_protection_investment", "value": "150"}])
    assert "的 1/10" in _msg(rep, "ESG-COLLECT-018", "zh") and "is 1/10 of last year's" in _msg(rep, "ESG-COLLECT-018", "en")


def test_the_uat_workbook_mistakes_are_named_at_their_cells(desk, tmp_path):
    _last_year(desk, {("electricity_consumption", ""): "5400000", ("environmental_protection_investment", ""): "1500"})
    c = open_campaign(desk, "2025")
    path = generate_workbook(desk, c, SITE, tmp_path, lang="zh")
    filled = fill_workbook(path, layout_for(desk, c, SITE, "zh"), {
        ("electricity_consumption", "", "2025"): "5550000", ("purchased_electricity", "", "2025"): "5550000000",
        ("environmental_protection_investment", "", "2025"): "16000000"}, out=tmp_path / "filled.xlsx")
    rep = import_workbook(desk, filled, dry_run=True)
    cells = {p.params["indicator"].zh.split("（")[0]: str(p.location) for p in rep.problems}
    wb = openpyxl.load_workbook(filled)
    for code in ("purchased_electricity", "environmental_protection_investment"):
        sheet, row = next((ws.title, r) for ws in wb.worksheets for r in range(1, ws.max_row + 1)
                          if ws.cell(r, 1).value == code)
        assert cells[code] == f"filled.xlsx:{sheet}!F{row}"


# -- M1: yes/no ----------------------------------------------------------------------------------------
def test_yes_no_reads_shi_fou_in_a_chinese_workbook_and_both_languages_on_import(desk, tmp_path):
    c = open_campaign(desk, "2025")
    path = generate_workbook(desk, c, SITE, tmp_path, lang="zh")
    wb = openpyxl.load_workbook(path)
    ws, row = next((ws, r) for ws in wb.worksheets for r in range(1, ws.max_row + 1)
                   if ws.cell(r, 1).value == "safety_target_zero_fatalities_achieved")
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert '"是,否"' in lists
    en = openpyxl.load_workbook(generate_workbook(desk, c, SITE, tmp_path / "en", lang="en"))
    assert '"yes,no"' in [dv.formula1 for s in en.worksheets for dv in s.data_validations.dataValidation]
    for typed, stored in (("是", "yes"), ("否", "no"), ("Yes", "yes"), ("no", "no")):
        rep = submit_values(desk, c, SITE, [{"indicator": "safety_target_zero_fatalities_achieved", "value": typed}])
        assert rep.ok and rep.entries[0].value == stored
    rep = submit_values(desk, c, SITE, [{"indicator": "safety_target_zero_fatalities_achieved", "value": "基本达成"}])
    assert rep.problems[0].message("zh").endswith("实际为 基本达成，应为 是 | 否 之一")
    assert rep.problems[0].message("en").endswith("found 基本达成, expected one of yes | no")


# -- M3 / M4: the interchange takes what the product shows ---------------------------------------------
def test_csv_takes_chinese_dimension_names_and_the_units_the_product_shows(desk, tmp_path):
    c = open_campaign(desk, "2025")
    f = tmp_path / "xrlb.csv"
    f.write_text("主体,指标,期间,数值,单位,维度,备注\n"
                 f"{SITE},electricity_received,2025,92000,兆瓦时,电力来源=电网,\n"
                 f"{SITE},electricity_received,2025,1000,MWh,供电来源=绿证,\n"
                 f"{SITE},employees,2025,250,人,性别=女性,\n", encoding="utf-8")
    rep = import_csv(desk, f, dry_run=True)
    assert rep.ok, [p.render("zh") for p in rep.problems]
    assert sorted((e.indicator, e.dims) for e in rep.entries) == [
        ("electricity_received", "supplier=green_certificate"), ("electricity_received", "supplier=grid"),
        ("employees", "gender=female")]
    # a column headed by the dimension's Chinese name
    f.write_text("主体,指标,期间,数值,单位,性别\n" f"{SITE},employees,2025,360,人,男性\n", encoding="utf-8")
    assert [e.dims for e in import_csv(desk, f, dry_run=True).entries] == ["gender=male"]
    # an unknown dimension: the allowed ones with their Chinese names
    f.write_text("主体,指标,期间,数值,单位,维度\n" f"{SITE},employees,2025,360,人,部门=生产\n", encoding="utf-8")
    p = import_csv(desk, f, dry_run=True).problems[0]
    assert p.code == "ESG-IMPORT-011" and "允许：gender（性别）、age_band（年龄段）" in p.message("zh")


def test_the_anode_effect_unit_as_shown_imports_back(sqlite_workspace, tmp_path):
    from esgledger.model.units import UNITS

    assert UNITS.display("AE-min/cell-day", "zh") == "阳极效应分钟/(槽·日)"
    f = tmp_path / "facts.csv"
    f.write_text("entity,indicator,period,value,unit\n"
                 "TLYX-P1,anode_effect_minutes,2024,0.021,阳极效应分钟/(槽·日)\n", encoding="utf-8")
    rep = sqlite_workspace.import_facts(f, status="approved")
    assert not rep.problems.errors, rep.problems.flat()


# -- M5: comments on breakdown rows and on missing values ----------------------------------------------
def test_return_value_syntax_addresses_breakdowns_and_names_a_typo(desk):
    lib = desk.library
    assert value_comment(lib, "employees[性别=女性]=女性人数请核对", "2025") == \
        (("employees", "gender=female", "2025"), "女性人数请核对")
    assert value_comment(lib, "employees[gender=male]@2025=a=b", "2025") == (("employees", "gender=male", "2025"), "a=b")
    assert value_comment(lib, "employees:gender=female=女性人数请核对", "2025") == \
        (("employees", "gender=female", "2025"), "女性人数请核对")
    assert value_comment(lib, "water_consumption=请补充", "2025") == (("water_consumption", "", "2025"), "请补充")
    with pytest.raises(OptionError) as exc:
        value_comment(lib, "board_meetngs=请核对", "2025")
    assert "board_meetings" in exc.value.problem.message("zh")
    with pytest.raises(OptionError) as exc:
        value_comment(lib, "employees[性别=女]=x", "2025")
    assert "female（女性）" in exc.value.problem.message("zh")


def test_a_reviewer_may_ask_for_a_value_not_given(desk):
    c = open_campaign(desk, "2025")
    submit_values(desk, c, SITE, [{"indicator": "employees", "value": "600"}], submit=True)
    out = return_entity(desk, c, SITE, value_comments={("water_consumption", "", "2025"): "请补充用水量"})
    assert out.ok and out.status == "returned" and out.facts == 0
    asked = [x for x in review_entity(desk, c, SITE).comments if x["indicator"] == "water_consumption"]
    assert [(x["text"], x["fact_id"]) for x in asked] == [("请补充用水量", None)]
    # a value the plant is not asked for is still no such value
    submit_entity(desk, c, SITE)
    out = return_entity(desk, c, SITE, value_comments={("board_meetings", "", "2025"): "?"})
    assert [p.code for p in out.problems] == ["ESG-COLLECT-015"]


def test_return_and_attach_on_the_command_line(sqlite_workspace, tmp_path):
    desk = open_desk(sqlite_workspace)
    c = open_campaign(desk, "2025")
    submit_values(desk, c, SITE, [{"indicator": "employees", "value": "600"},
                                  {"indicator": "employees", "dims": "gender=female", "value": "100"},
                                  {"indicator": "employees", "dims": "gender=male", "value": "500"}], submit=True)
    r = CliRunner().invoke(app, ["--lang", "zh", "-w", str(sqlite_workspace.path), "collect", "return", SITE,
                                 "--value", "employees[性别=女性]=女性人数请核对", "--value", "water_consumption=请补充"])
    assert r.exit_code == 0, r.output
    review = review_entity(desk, c, SITE)
    assert [l.review_comments for l in review.lines if l.dims == "gender=female"] == [("女性人数请核对",)]
    (tmp_path / "bill.pdf").write_bytes(b"%PDF-1.4")
    r = CliRunner().invoke(app, ["--lang", "zh", "-w", str(sqlite_workspace.path), "collect", "attach",
                                 str(tmp_path / "bill.pdf"), "--entity", SITE, "--indicator", "purchased_electricty"])
    assert r.exit_code == 1 and "ESG-CLI-001" in r.output and "purchased_electricity" in r.output


# -- M9: most values blank --------------------------------------------------------------------------
def test_submitting_or_approving_a_mostly_blank_entity_warns(sqlite_group):
    g = sqlite_group
    desk = g.admin
    # P1 is asked 8 indicators in the tests' library (board_meetings, disclosure_rating,
    # aluminium_output, anode_effect_minutes, electricity, employees, training_coverage, fatalities)
    submit_values(desk, g.c2025, "P1", [{"indicator": "board_meetings", "value": "7"},
                                        {"indicator": "fatalities", "value": "0"},
                                        {"indicator": "disclosure_rating", "value": "A"}])
    p = blank_warning(desk, g.c2025, "P1", "submit")
    assert p.code == "ESG-COLLECT-019" and p.severity.value == "warning"
    # 3 filled of 8: 5 blank, more blank than filled
    assert p.message("zh") == "大部分数据为空白：P1 已填 3/8 项，空白 5 项；请确认没有遗漏（仍已提交）"
    assert p.message("en") == ("most values blank: P1: 3 of the 8 indicators asked have a value, 5 are blank; "
                               "make sure nothing is missing (the submission goes ahead)")
    submit_values(desk, g.c2025, "P1", [{"indicator": "employees", "value": "1100"}])
    assert blank_warning(desk, g.c2025, "P1", "approve") is None  # 4 of 8: half filled


# -- M10: a parent reports its own part ----------------------------------------------------------------
def test_an_entity_with_children_is_told_to_report_its_own_part_only(desk, tmp_path):
    c = open_campaign(desk, "2025")
    for lang, line in (("zh", "请只填报TLYX本主体自身的数据，不含下级主体"), ("en", "Report TLYX's own figures only")):
        ins = openpyxl.load_workbook(generate_workbook(desk, c, "TLYX", tmp_path, lang=lang)).worksheets[0]
        text = "\n".join(str(r[0]) for r in ins.iter_rows(values_only=True) if r[0])
        assert line in text
        kids = desk.tree.children_on("TLYX", dt.date(2025, 12, 31))
        assert kids == ["TLYX-P1", "TLYX-P2", "TRNY", "YDTS"]
        assert all(f"{k} {desk.tree.entities[k].name(lang)}" in text for k in kids)
    ins = openpyxl.load_workbook(generate_workbook(desk, c, "TLYX-P1", tmp_path, lang="zh")).worksheets[0]
    assert "不含下级主体" not in "\n".join(str(r[0]) for r in ins.iter_rows(values_only=True) if r[0])
