"""Broken submissions (tests/data/workbooks, written by make_broken.py): the exact list of
(cell, code) for each, and nothing from a rejected file lands.

Each broken file is potline P1's 2025 workbook, filled completely and correctly, then broken
in one way. Formulas typed into an input cell are rejected, not evaluated (ESG-COLLECT-002):
see the module docstring of esgledger.collect.submission.
"""
import pytest

from esgledger.collect.campaign import status_table
from esgledger.collect.submission import import_workbook
from esgledger.store.access import AccessDenied
from tests.collect.group import WORKBOOKS

BROKEN = {
    "text_in_number.xlsx": [("text_in_number.xlsx:Labour!F3", "ESG-COLLECT-001")],
    "formula.xlsx": [("formula.xlsx:Governance!F3", "ESG-COLLECT-002")],
    "negative_count.xlsx": [("negative_count.xlsx:Labour!F4", "ESG-COLLECT-003")],
    "percent_over_100.xlsx": [("percent_over_100.xlsx:Labour!F6", "ESG-COLLECT-003")],
    "unit_changed.xlsx": [("unit_changed.xlsx:Energy!D3", "ESG-TPL-009")],
    "sheet_renamed.xlsx": [("sheet_renamed.xlsx:Safety!A1", "ESG-TPL-006"),
                           ("sheet_renamed.xlsx:Safety 2025!A1", "ESG-TPL-007")],
    "sheet_deleted.xlsx": [("sheet_deleted.xlsx:Safety!A1", "ESG-TPL-006")],
    "row_inserted.xlsx": [("row_inserted.xlsx:Labour!A5", "ESG-TPL-008")],
    "last_year.xlsx": [("last_year.xlsx:_esgledger!B3", "ESG-TPL-003")],
    "other_entity.xlsx": [("other_entity.xlsx:_esgledger!B5", "ESG-TPL-004")],
    "truncated.xlsx": [("truncated.xlsx", "ESG-IMPORT-010")],
    "password.xlsx": [("password.xlsx", "ESG-TPL-010")],
    "old.xls": [("old.xls", "ESG-IMPORT-010")],
    "zh_errors.xlsx": [("zh_errors.xlsx:劳工权益!F3", "ESG-COLLECT-001"),
                       ("zh_errors.xlsx:劳工权益!F6", "ESG-COLLECT-003")],
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_workbook_is_refused_with_exact_cells(group, name):
    before = group.facts()
    p1 = group.desk("p1")
    rep = import_workbook(p1, WORKBOOKS / name, campaign=group.c2025, entity="P1")
    assert rep.flat() == BROKEN[name]
    assert not rep.ok and not rep.written
    assert group.facts() == before  # nothing from a rejected workbook lands
    assert {r.entity: r.status for r in status_table(group.admin, group.c2025)}["P1"] == "not_started"
    dry = import_workbook(p1, WORKBOOKS / name, campaign=group.c2025, entity="P1", dry_run=True)
    assert dry.flat() == BROKEN[name]


def test_errors_speak_the_readers_language_whatever_the_workbooks(sqlite_group):
    """One language for a whole report: the desk's (--lang, else the workspace's), for the
    rows' errors as for the summary, whether the workbook is Chinese or English (UAT 12)."""
    zh_desk = sqlite_group.desk("esg", lang="zh")
    rep = import_workbook(zh_desk, WORKBOOKS / "zh_errors.xlsx")
    assert rep.lang == "zh"
    assert [p.render(rep.lang) for p in rep.problems] == [
        "zh_errors.xlsx:劳工权益!F3: ESG-COLLECT-001 数值不是数字：employees（员工总人数）：实际为“一千一百”，"
        "应为以人为单位的数字（没有数据请留空）",
        "zh_errors.xlsx:劳工权益!F6: ESG-COLLECT-003 数值超出范围：training_coverage（培训覆盖率）：实际为 101，"
        "应为 0–100 %"]
    # the same Chinese workbook read by an English desk: English messages, English unit names
    rep = import_workbook(sqlite_group.desk("esg"), WORKBOOKS / "zh_errors.xlsx")
    assert rep.lang == "en"
    assert [p.render(rep.lang) for p in rep.problems] == [
        'zh_errors.xlsx:劳工权益!F3: ESG-COLLECT-001 value is not a number: employees (Employees): '
        'found "一千一百", expected a number in persons (leave the cell empty when there is no data)',
        "zh_errors.xlsx:劳工权益!F6: ESG-COLLECT-003 value out of range: training_coverage (Training coverage): "
        "found 101, expected from 0 to 100 %"]
    # an English workbook read by a Chinese desk: Chinese messages
    rep = import_workbook(zh_desk, WORKBOOKS / "text_in_number.xlsx")
    assert rep.problems[0].render(rep.lang) == (
        "text_in_number.xlsx:Labour!F3: ESG-COLLECT-001 数值不是数字：employees（员工总人数）："
        "实际为“about 1,100”，应为以人为单位的数字（没有数据请留空）")


def test_another_entitys_workbook_is_refused_to_a_plant_submitter(sqlite_group):
    """Without naming the entity, P1's submitter may not write P2's workbook at all."""
    p1 = sqlite_group.desk("p1")
    with pytest.raises(AccessDenied, match="ESG-ACCESS-004"):
        import_workbook(p1, WORKBOOKS / "other_entity.xlsx")
    assert [(r["username"], r["action"], r["target"]) for r in sqlite_group.admin.store.access_log()] == [
        ("p1", "write", "P2 (workbook other_entity.xlsx)")]


def test_last_years_workbook_into_its_own_closed_campaign(sqlite_group):
    rep = import_workbook(sqlite_group.admin, WORKBOOKS / "last_year.xlsx")
    assert rep.flat() == [("last_year.xlsx:_esgledger!B3", "ESG-COLLECT-010")]
    # which campaign the workbook is of, and which one is open (audit A4-L3)
    assert rep.problems[0].message("en") == ("no open campaign: the workbook belongs to campaign #1 (2024), "
                                             "which is closed; the open one is campaign #2 (2025)")
    assert rep.problems[0].message("zh") == ("没有进行中的收集任务：该工作簿属于收集任务 #1（2024），该任务已关闭；"
                                             "当前进行中的是收集任务 #2（2025）")


def test_good_workbook_lands_as_draft(group):
    rep = import_workbook(group.desk("p1"), WORKBOOKS / "good.xlsx", entity="P1")
    assert rep.flat() == [] and rep.written
    assert rep.changed == 21 and rep.status == {"P1": ("in_progress", 2)}
    got = {(i, p, d): (v, s) for e, i, p, d, v, s in group.facts() if p.startswith("2025")}
    assert got[("employees", "2025", "gender=female")] == ("250", "draft")
    assert got[("aluminium_output", "2025", "")] == ("55.25", "draft")
    assert got[("electricity", "2025-12", "")] == ("112", "draft")
    assert got[("disclosure_rating", "2025", "")] == ("A", "draft")
    [f] = group.admin.store.current_facts(entity="P1", indicator="anode_effect_minutes", period="2025")
    assert (f.location, f.author, f.value_entered) == ("Energy!F4", "p1", "0.021")
    # the same file again changes nothing
    again = import_workbook(group.desk("p1"), WORKBOOKS / "good.xlsx")
    assert (again.changed, again.unchanged, again.written) == (0, 21, False)


def test_gbk_csv_is_read(group):
    rep = import_workbook(group.desk("p2"), WORKBOOKS / "gbk.csv", campaign=group.c2025)
    assert rep.flat() == [] and rep.written
    got = [(f.entity, f.indicator, f.value, f.comment, f.location)
           for f in group.admin.store.current_facts(entity="P2", period="2025")]
    assert got == [("P2", "board_meetings", "5", "董事会例会", "2"), ("P2", "employees", "300", "含新投产车间", "3")]


def _edited(tmp_path, name, sheet, cell, value):
    import openpyxl

    wb = openpyxl.load_workbook(WORKBOOKS / "good.xlsx")
    wb[sheet][cell] = value
    wb.save(tmp_path / name)
    return tmp_path / name


def test_hidden_sheet_is_checked(sqlite_group, tmp_path):
    """Not a template (ESG-TPL-001), another format version (ESG-TPL-002), and a hidden
    entity edited by hand, which its checksum gives away (ESG-TPL-005)."""
    from tests.conftest import DATA

    admin = sqlite_group.admin
    rep = import_workbook(admin, DATA / "import" / "good.xlsx")
    assert rep.flat() == [("good.xlsx", "ESG-TPL-001")]
    rep = import_workbook(admin, _edited(tmp_path, "v0.xlsx", "_esgledger", "B2", "0"))
    assert rep.flat() == [("v0.xlsx:_esgledger!B2", "ESG-TPL-002")]
    rep = import_workbook(admin, _edited(tmp_path, "p2.xlsx", "_esgledger", "B5", "P2"))
    assert rep.flat() == [("p2.xlsx:_esgledger!B7", "ESG-TPL-005")]
    rep = import_workbook(admin, _edited(tmp_path, "rating.xlsx", "Governance", "F4", "E"))
    assert rep.flat() == [("rating.xlsx:Governance!F4", "ESG-COLLECT-004")]
    assert sqlite_group.facts(status="draft") == []


def test_nothing_to_submit(sqlite_group):
    from esgledger.collect.submission import submit_entity, submit_values

    g = sqlite_group
    rep = submit_entity(g.admin, g.c2025, "HQ")
    assert rep.flat() == [("(entity)", "ESG-COLLECT-016")] and not rep.written
    assert submit_values(g.admin, g.c2025, "HQ", [{"indicator": "employees", "value": "1"}]).ok
    rep = submit_entity(g.admin, g.c2025, "HQ")
    assert rep.ok and rep.status == {"HQ": ("submitted", 3)}
    rep = submit_entity(g.admin, g.c2025, "HQ")
    assert rep.ok and not rep.written  # already submitted: nothing to do


def test_an_absurd_magnitude_in_a_number_cell_is_refused(group, tmp_path):
    # UAT2 M4: 1e300 typed into a number cell imported cleanly; a value above 10^15 in the
    # indicator's unit (units.CEILING) is a fat finger or a wrong unit, not a figure
    import openpyxl

    wb = openpyxl.load_workbook(WORKBOOKS / "good.xlsx")
    sheet, row = next((ws.title, r) for ws in wb.worksheets for r in range(1, ws.max_row + 1)
                      if ws.cell(r, 1).value == "aluminium_output")
    wb[sheet].cell(row, 6, 1e300)
    wb.save(tmp_path / "huge.xlsx")
    before = group.facts()
    rep = import_workbook(group.desk("p1"), tmp_path / "huge.xlsx", entity="P1")
    assert rep.flat() == [(f"huge.xlsx:{sheet}!F{row}", "ESG-COLLECT-003")]
    assert "found 1.000000E+300, expected a number of at most 10^15 in absolute value" in rep.problems[0].render("en")
    assert "应为 绝对值不超过 10^15 的数" in rep.problems[0].render("zh")
    assert not rep.written and group.facts() == before
