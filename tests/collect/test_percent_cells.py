"""A percentage typed the Excel way (audit A4-H1).

Typing ``99.7%`` into a General cell makes Excel keep 0.997 and give the cell a percent number
format. The import reads such a cell as what it shows: 99.7 in an indicator whose unit is %;
in any other unit it refuses the cell (ESG-COLLECT-020), naming what Excel kept.
"""

import openpyxl
import pytest

from esgledger.collect.campaign import open_campaign, open_desk
from esgledger.collect.submission import import_workbook
from esgledger.collect.templates import generate_workbook, layout_for, percent_format

SITE = "XRLB"  # a plant of the demo tree


@pytest.fixture
def desk(sqlite_workspace):
    return open_desk(sqlite_workspace)


def _row(layout, indicator, dims=""):
    return next((sh.title, s.row) for sh in layout.sheets for s in sh.slots
                if s.indicator == indicator and s.dims == dims)


def _typed(tmp_path, desk, campaign, lang, cells):
    """The plant's workbook with ``cells`` (indicator → (value, number format)) typed in F."""
    path = generate_workbook(desk, campaign, SITE, tmp_path / "tpl", lang=lang)
    layout = layout_for(desk, campaign, SITE, lang)
    wb = openpyxl.load_workbook(path)
    refs = {}
    for code, (value, fmt) in cells.items():
        sheet, row = _row(layout, code)
        c = wb[sheet].cell(row, 6, value)
        c.number_format = fmt
        refs[code] = f"{sheet}!F{row}"
    out = tmp_path / f"typed-{lang}.xlsx"
    wb.save(out)
    return out, refs


def test_a_percentage_in_a_percent_indicator_reads_as_the_cell_shows_it(tmp_path, desk):
    c = open_campaign(desk, "2025")
    # "99.7%" typed: Excel keeps 0.997, formatted 0.0%; "85%" keeps 0.85, formatted 0%
    path, _refs = _typed(tmp_path, desk, c, "en", {
        "wastewater_recovery_rate": (0.997, "0.0%"), "labour_contract_rate": (0.85, "0%"),
        "union_membership_rate": (92.5, "General")})  # typed as 92.5, no % sign: as it is
    rep = import_workbook(desk, path, dry_run=True)
    assert rep.ok, rep.flat()
    got = sorted((e.indicator, e.value, e.value_entered) for e in rep.entries)
    # 0.997 × 100 = 99.7 and 0.85 × 100 = 85, exactly (no binary float left in the text)
    assert got == [("labour_contract_rate", "85", "85"), ("union_membership_rate", "92.5", "92.5"),
                   ("wastewater_recovery_rate", "99.7", "99.7")]


def test_a_percentage_above_100_percent_is_out_of_range_as_typed(tmp_path, desk):
    c = open_campaign(desk, "2025")
    path, refs = _typed(tmp_path, desk, c, "en", {"wastewater_recovery_rate": (1.2, "0%")})  # "120%"
    rep = import_workbook(desk, path, dry_run=True)
    assert [(p.code, p.location.cell) for p in rep.problems] == [("ESG-COLLECT-003", refs["wastewater_recovery_rate"].split("!")[1])]
    assert "found 120," in rep.problems[0].message("en")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_percentage_in_a_tonnes_cell_is_refused_naming_the_cell(tmp_path, desk, lang):
    c = open_campaign(desk, "2025")
    # "2.1%" typed into water consumption (吨): Excel keeps 0.021
    path, refs = _typed(tmp_path, desk, c, lang, {"water_consumption": (0.021, "0.0%"),
                                                   "wastewater_recovery_rate": (0.9, "0%")})
    rep = import_workbook(desk, path)
    sheet, cell = refs["water_consumption"].split("!")
    assert [(p.code, p.location.sheet, p.location.cell) for p in rep.problems] == [("ESG-COLLECT-020", sheet, cell)]
    assert not rep.written and not list(desk.store.current_facts())  # nothing lands, not even the good cell
    zh, en = rep.problems[0].message("zh"), rep.problems[0].message("en")
    assert zh == ("非百分比指标填写了百分数：water_consumption（用水量）：该单元格按百分数填写（2.1%，Excel 实际保存为 0.021）；"
                  "此指标应填以吨为单位的数字：请清除该单元格，重新填写数字，不要带 % 号")
    assert en == ("percentage typed in a cell not in %: water_consumption (Water consumption): the cell was typed as a "
                  "percentage (2.1%, which Excel keeps as 0.021); this indicator takes a number in t: clear the cell "
                  "and type the number without a % sign")


def test_a_literal_percent_sign_in_a_format_does_not_scale():
    assert [percent_format(f) for f in ("0.0%", "0%", "#,##0.00%", "[Red]0.0%", "General", "0.00",
                                        '0.0" %"', "0.0\\%", None)] == \
        [True, True, True, True, False, False, False, False, False]


def test_template_input_cells_are_general_not_percent(tmp_path, desk):
    c = open_campaign(desk, "2025")
    path = generate_workbook(desk, c, SITE, tmp_path, lang="en")
    layout = layout_for(desk, c, SITE, "en")
    sheet, row = _row(layout, "wastewater_recovery_rate")
    wb = openpyxl.load_workbook(path)
    assert wb[sheet].cell(row, 6).number_format == "General"
