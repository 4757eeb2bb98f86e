"""Cells outside the inputs are compared with what the template wrote (audit A4-L2).

Code, breakdown and unit are structure (ESG-TPL-008/009, errors). Every other cell the
template wrote — the title, headers, indicator names, last year's values — and every cell it
left empty is compared too; a difference is a warning, ESG-TPL-011: it is not imported (the
import reads only the value and comment columns), and text typed beside the table would be
lost silently otherwise.
"""
import openpyxl
import pytest

from esgledger.collect.campaign import open_campaign, open_desk, reference_values
from esgledger.collect.submission import import_workbook
from esgledger.collect.templates import generate_workbook, layout_for, locked_cells
from esgledger.store import NewFact

SITE = "XRLB"


@pytest.fixture
def desk(sqlite_workspace):
    d = open_desk(sqlite_workspace)
    d.store.append_facts([NewFact(SITE, "water_consumption", "2024", "", "58.80", "吨", status="approved")],
                         kind="api", source="2024 approved")
    return d


def _row(layout, code):
    return next((sh.title, s.row) for sh in layout.sheets for s in sh.slots if s.indicator == code and not s.dims)


def test_locked_cells_are_what_the_template_writes(tmp_path, desk):
    """The map the import compares with is the generated workbook, cell for cell (outside the
    inputs), in both languages."""
    c = open_campaign(desk, "2025")
    for lang in ("zh", "en"):
        path = generate_workbook(desk, c, SITE, tmp_path, lang=lang)
        layout = layout_for(desk, c, SITE, lang)
        inputs = {(s.sheet, s.row, col) for sh in layout.sheets for s in sh.slots
                  for col in [*s.value_cols, s.comment_col]}
        wb = openpyxl.load_workbook(path)
        written = {(ws.title, c.row, c.column): c.value for ws in wb.worksheets[1:-1]
                   for row in ws.iter_rows() for c in row if c.value is not None
                   and (ws.title, c.row, c.column) not in inputs}
        e = desk.tree.entities[SITE]
        expected = locked_cells(layout, desk.library, entity_name=e.name(lang),
                                references=reference_values(desk, c, SITE))
        # (last year's 58.80, written as a Decimal, reads back as the float 58.8)
        assert written == {k: float(v) if k[2] == 5 and not isinstance(v, str) else v
                           for k, v in expected.items() if v is not None}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_edits_outside_the_inputs_are_named_and_not_imported(tmp_path, desk, lang):
    c = open_campaign(desk, "2025")
    path = generate_workbook(desk, c, SITE, tmp_path, lang=lang)
    layout = layout_for(desk, c, SITE, lang)
    sheet, row = _row(layout, "water_consumption")
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    ws.cell(row, 6, 60)                 # the value: read
    ws.cell(row, 5, 999)                # last year's 58.80 changed
    ws.cell(row, 2, "Water used")       # the name changed
    ws.cell(row, 8, "meter replaced")   # a note typed beside the table, in H
    ws["A1"] = "my title"
    wb.save(tmp_path / "edited.xlsx")
    rep = import_workbook(desk, tmp_path / "edited.xlsx", dry_run=True)
    assert rep.ok and [(e.indicator, e.value) for e in rep.entries] == [("water_consumption", "60")]
    assert sorted((p.code, p.severity.value, p.location.cell) for p in rep.problems) == [
        ("ESG-TPL-011", "warning", "A1"), ("ESG-TPL-011", "warning", f"B{row}"),
        ("ESG-TPL-011", "warning", f"E{row}"), ("ESG-TPL-011", "warning", f"H{row}")]
    h = next(p for p in rep.problems if p.location.cell == f"H{row}")
    if lang == "en":
        assert h.message("en") == ("cell outside the inputs changed, not imported: found meter replaced, expected "
                                   "(empty): the import reads only the value and comment columns, so this is not "
                                   "imported (a note belongs in the comment column)")
    else:
        assert h.message("zh") == ("填报单元格以外的内容被修改（不导入）：实际为 meter replaced，应为 （空）："
                                   "导入只读取数值列和备注列，此内容不会导入（说明请写在备注列）")
    e = next(p for p in rep.problems if p.location.cell == f"E{row}")
    assert (e.params["found"], e.params["expected"]) == ("999", "58.80")


def test_a_column_of_notes_is_named_ten_cells_then_counted(tmp_path, desk):
    c = open_campaign(desk, "2025")
    path = generate_workbook(desk, c, SITE, tmp_path, lang="en")
    layout = layout_for(desk, c, SITE, "en")
    sh = layout.sheets[0]
    wb = openpyxl.load_workbook(path)
    for r in range(3, 3 + 13):          # thirteen notes in column J
        wb[sh.title].cell(r, 10, f"note {r}")
    wb.save(tmp_path / "notes.xlsx")
    rep = import_workbook(desk, tmp_path / "notes.xlsx", dry_run=True)
    cells = [p.location.cell for p in rep.problems if p.code == "ESG-TPL-011"]
    assert cells == [f"J{r}" for r in range(3, 13)] + ["A1"]  # ten named, then "3 more cells"
    assert "found 3 more cells" in rep.problems[-1].message("en")
