"""XLSX renderer (openpyxl): every table of the document on its own sheet.

Number cells are numbers: the figure the report prints, rounded half-up at its precision (the
same Decimal the HTML and PDF print, so a reader who copies, sums or reads the formula bar gets
the filed figure, never the calculation's unrounded digits: audit A5-M3), shown with the number
format of that precision (``#,##0.00``); a footnote mark stays visible through the number format
(``#,##0.00"¹"``) so the cell is still a number. A missing value is the text
``—``. Header rows keep their merges; footnotes follow the table.
"""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from esgledger.report.document import Document, Table, header_grid, tables, ui_text
from esgledger.report.numbers import excel_number_format, round_half_up

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="1F6F8B")
GROUP_FILL = PatternFill("solid", fgColor="E8F1F4")
THIN = Side(style="thin", color="B8C7CF")


def number_format(precision: int | None, marks=()) -> str:
    """Excel number format for ``precision`` decimals, with footnote marks as a suffix."""
    fmt = excel_number_format(precision or 0)
    if marks:
        suffix = "".join(m.translate(_SUPERSCRIPT) for m in marks).replace('"', "")
        fmt += f'"{suffix}"'
    return fmt


SHEET_MAX = 31  # Excel's limit on a sheet name
_BRACKETED = re.compile(r"\s*(\([^()]*\)|（[^（）]*）)")


def short_sheet_name(name: str) -> str:
    """``name`` within Excel's 31 characters without cutting a word: its bracketed parts
    dropped first, then whole words kept and an ellipsis added (audit A5-L7: "GHG emissions
    (Scope 1 and Scop").

    >>> short_sheet_name("GHG emissions (Scope 1 and Scope 2)")
    'GHG emissions'
    >>> short_sheet_name("Employee training and development by category")
    'Employee training and…'
    """
    if len(name) <= SHEET_MAX:
        return name
    shorter = _BRACKETED.sub("", name).strip()
    if shorter and len(shorter) <= SHEET_MAX:
        return shorter
    name = shorter or name
    cut = name[:SHEET_MAX - 1]
    if " " in cut and not name[SHEET_MAX - 1:SHEET_MAX].isspace():
        cut = cut[:cut.rindex(" ")]  # the last whole word
    return cut.rstrip(" ,;:-–—") + "…"


def sheet_title(table: Table, index: int, used: set[str]) -> str:
    """A legal, unique sheet name (≤ 31 characters, none of []:*?/\\, no word cut)."""
    base = _BAD_SHEET_CHARS.sub(" ", table.sheet or table.caption or f"Table {index}").strip()
    base = short_sheet_name(base or f"Table {index}")
    name, n = base, 2
    while name.lower() in used:
        tail = f" ({n})"
        name, n = base[:31 - len(tail)] + tail, n + 1
    used.add(name.lower())
    return name


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _write_table(ws, t: Table, lang: str) -> None:
    ws.append([t.caption])
    ws.cell(1, 1).font = Font(bold=True, size=12, color="1F6F8B")
    grid = header_grid(t.header_rows)
    n = t.n_columns
    top = 2
    widths = [0] * n
    for r, line in enumerate(grid):
        for c, (cell, origin) in enumerate(line):
            if not origin:
                continue
            row, col = top + r, 1 + c
            x = ws.cell(row, col, cell.text)
            x.font = Font(bold=True, color="FFFFFF")
            x.fill = HEADER_FILL
            x.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if cell.colspan > 1 or cell.rowspan > 1:
                ws.merge_cells(start_row=row, start_column=col,
                               end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)
            if cell.colspan == 1:
                widths[c] = max(widths[c], _width(cell.text))
    row = top + len(grid)
    ws.freeze_panes = ws.cell(row, 1)
    for body in t.rows:
        if body.kind != "data":
            x = ws.cell(row, 1, body.cells[0].text)
            x.font = Font(bold=True, color="1F6F8B")
            for c in range(1, n + 1):
                ws.cell(row, c).fill = GROUP_FILL
            row += 1
            continue
        col = 1
        for cell in body.cells:
            kind = t.column_kinds[col - 1]
            x = ws.cell(row, col)
            if kind == "number" and cell.value is not None:
                x.value = round_half_up(cell.value, cell.precision or 0)  # the printed figure
                x.number_format = number_format(cell.precision, cell.marks)
                x.alignment = Alignment(horizontal="right")
                widths[col - 1] = max(widths[col - 1], _width(cell.text) + 2)
            else:
                marks = "".join(m.translate(_SUPERSCRIPT) for m in cell.marks)
                x.value = cell.text + marks
                if cell.align != "left":
                    x.alignment = Alignment(horizontal=cell.align)
                widths[col - 1] = max(widths[col - 1], _width(x.value))
            x.border = Border(bottom=THIN)
            if cell.colspan > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row,
                               end_column=col + cell.colspan - 1)
            col += cell.colspan
        row += 1
    if t.footnotes:
        row += 1
        ws.cell(row, 1, ui_text("notes", lang)).font = Font(bold=True)
        for f in t.footnotes:
            row += 1
            ws.cell(row, 1, f"{f.mark.translate(_SUPERSCRIPT)} {f.text}").font = Font(size=9)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 8), 60)


def render_xlsx(doc: Document) -> bytes:
    """Every table of ``doc`` on its own sheet, as XLSX bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    found = tables(doc)
    for i, t in enumerate(found, start=1):
        _write_table(wb.create_sheet(sheet_title(t, i, used)), t, t.lang or doc.lang)
    if not found:
        wb.create_sheet("—").append([doc.title])
    wb.properties.title = doc.title
    wb.properties.creator = doc.meta.get("author", "esgledger")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
