"""Reading a filled workbook back: recognise it, check its structure cell by cell, collect
its input cells. :mod:`esgledger.collect.submission` turns the cells into checked values.

Sheets of a workbook are protected (:mod:`esgledger.collect.templates`), but protection can be
removed by a determined user, so the structure is checked again here (:func:`read_slots`):
code, breakdown and unit as structure (errors), every other cell outside the inputs against
:func:`~esgledger.collect.templates.locked_cells` (ESG-TPL-011, a warning: not imported).
Encrypted, old-format (.xls) and damaged files are recognised before openpyxl reads them
(:func:`open_workbook`).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from esgledger.collect.layout import (ANNUAL_WIDTH, FORMAT, FORMAT_VERSION, META_SHEET, MONTHLY_WIDTH, Layout,
                                      SheetLayout, Slot)
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, reason
from esgledger.model.period import Period

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
XLSX = Bilingual(".xlsx 工作簿", "an .xlsx workbook")


@dataclass
class OpenedWorkbook:
    name: str
    book: object          # openpyxl read-only workbook
    meta: dict[str, str]

    def close(self) -> None:
        self.book.close()


def open_workbook(path: Path) -> tuple[OpenedWorkbook | None, ProblemList]:
    """Open a submitted workbook: recognise encrypted, old-format and damaged files, and read
    the hidden metadata. The caller closes it."""
    import openpyxl

    problems = ProblemList()
    name = path.name
    loc = Location(file=name)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            data = head + fh.read() if head == CFB_MAGIC else b""
    except OSError as exc:
        problems.append(Problem("ESG-IMPORT-010", loc, {"expected": XLSX, "found": reason(exc)}))
        return None, problems
    if head == CFB_MAGIC:
        if ENCRYPTION_INFO in data:
            problems.append(Problem("ESG-TPL-010", loc, {"found": Bilingual("含 EncryptionInfo 的 OLE 容器",
                                                                            "OLE container with EncryptionInfo")}))
        else:
            problems.append(Problem("ESG-IMPORT-010", loc, {
                "expected": XLSX, "found": Bilingual("旧版 Excel 97-2003 .xls 文件；请另存为 .xlsx",
                                                     "an old Excel 97-2003 .xls file; save it as .xlsx")}))
        return None, problems
    if not head.startswith(b"PK"):
        problems.append(Problem("ESG-IMPORT-010", loc, {
            "expected": XLSX, "found": Bilingual(f"不是 zip 容器（开头为 {head[:4]!r}）",
                                                 f"not a zip container (starts with {head[:4]!r})")}))
        return None, problems
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        problems.append(Problem("ESG-IMPORT-010", loc, {
            "expected": XLSX, "found": reason(exc)}))
        return None, problems
    if META_SHEET not in book.sheetnames:
        book.close()
        problems.append(Problem("ESG-TPL-001", loc, {"found": Bilingual(f"没有工作表 {META_SHEET}",
                                                                        f"no sheet {META_SHEET}")}))
        return None, problems
    meta: dict[str, str] = {}
    try:
        for row in book[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
            if row and row[0] is not None:
                meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        book.close()
        problems.append(Problem("ESG-IMPORT-010", loc, {
            "expected": XLSX, "found": reason(exc)}))
        return None, problems
    meta_loc = Location(file=name, sheet=META_SHEET, cell="B1")
    if meta.get("format") != FORMAT:
        book.close()
        problems.append(Problem("ESG-TPL-001", meta_loc, {"found": f"format {meta.get('format')!r}"}))
        return None, problems
    if meta.get("version") != FORMAT_VERSION:
        book.close()
        problems.append(Problem("ESG-TPL-002", Location(file=name, sheet=META_SHEET, cell="B2"),
                                {"found": meta.get("version"), "expected": FORMAT_VERSION}))
        return None, problems
    return OpenedWorkbook(name, book, meta), problems


@dataclass(frozen=True)
class Cell:
    """A filled input cell: what the workbook says for one fact."""

    slot: Slot
    period: str
    ref: str            # Sheet!F12
    col: int
    value: object       # the cell's value as openpyxl reads it
    comment: str | None
    percent: bool = False  # its number format shows it ×100 with a % sign (typed as "99.7%")


def percent_format(fmt: str | None) -> bool:
    """Whether a number format shows its value ×100 with a percent sign, as Excel gives a
    General cell when ``99.7%`` is typed into it (the cell then holds 0.997). A ``%`` in quotes
    or after a backslash is a literal sign and does not scale; ``[Red]``-style sections neither.

    >>> percent_format("0.0%"), percent_format("General"), percent_format('0.0" %"')
    (True, False, False)
    """
    if not fmt or "%" not in fmt:
        return False
    return "%" in re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt)


def read_slots(opened: OpenedWorkbook, layout: Layout,
               locked: dict[tuple[str, int, int], object] | None = None) -> tuple[list[Cell], ProblemList]:
    """Check the workbook's structure against ``layout`` and collect its filled input cells.

    Structure problems: a missing (renamed or deleted) sheet (ESG-TPL-006), a sheet that is not
    in the template (ESG-TPL-007), rows that no longer match (ESG-TPL-008: the first wrong row
    of a sheet; the rest of that sheet is not read), a unit changed by hand (ESG-TPL-009).
    With ``locked`` (:func:`locked_cells`), every other cell outside the inputs is compared
    with what the template wrote there — title, headers, names, last year's values, and cells
    the template left empty — and a difference is a warning (ESG-TPL-011): it is not imported."""
    from openpyxl.utils import get_column_letter

    problems = ProblemList()
    name = opened.name
    book = opened.book
    names = list(book.sheetnames)
    expected = {sh.title for sh in layout.sheets} | {layout.instructions, META_SHEET}
    for sh in layout.sheets:
        if sh.title not in names:
            problems.append(Problem("ESG-TPL-006", Location(file=name, sheet=sh.title, cell="A1"), {
                "expected": sh.title, "found": ", ".join(n for n in names if n != META_SHEET)}))
    for n in names:
        if n not in expected:
            problems.append(Problem("ESG-TPL-007", Location(file=name, sheet=n, cell="A1"), {"found": n}))
    cells: list[Cell] = []
    y = Period.parse(layout.period).year
    month_periods = [f"{y}-{m:02d}" for m in range(1, 13)]
    letters = {c: get_column_letter(c) for c in range(1, MONTHLY_WIDTH + 1)}
    for sh in layout.sheets:
        if sh.title not in names:
            continue
        ws = book[sh.title]
        by_row = {s.row: s for s in sh.slots}
        width = MONTHLY_WIDTH if sh.monthly_header else ANNUAL_WIDTH
        rownum = 0
        outside = _Outside(name, sh, width, locked) if locked is not None else None
        # cells, not values only: an input cell's number format says whether a number was typed
        # as a percentage ("99.7%" is 0.997 in a cell formatted 0.0%); all columns when the
        # cells outside the inputs are compared (text typed to the right of the table)
        for row_cells in ws.iter_rows(min_row=1, max_col=None if outside else width):
            rownum += 1
            row = tuple(c.value for c in row_cells[:width])
            s = by_row.get(rownum)
            if outside is not None:
                outside.check(rownum, row_cells, s)
            if s is None:
                if rownum > sh.last_row and any(v not in (None, "") for v in row):
                    what = _show(row[0]) or _show(next(v for v in row if v not in (None, "")))
                    problems.append(Problem("ESG-TPL-008", Location(file=name, sheet=sh.title, cell=f"A{rownum}"), {
                        "found": Bilingual(f"第 {rownum} 行：{what}", f"row {rownum}: {what}"),
                        "expected": Bilingual(f"第 {sh.last_row} 行以下无内容", f"nothing below row {sh.last_row}")}))
                    break
                continue
            code = row[0] if row else None
            label = row[2] if len(row) > 2 else None
            if code != s.indicator or (label or "") != s.label:
                problems.append(Problem("ESG-TPL-008", Location(file=name, sheet=sh.title, cell=f"A{rownum}"), {
                    "found": Bilingual(*((_show(code) or empty) + (f" / {_show(label)}" if label else "")
                                         for empty in ("（空）", "(empty)"))),
                    "expected": s.indicator + (f" / {s.label}" if s.label else "")}))
                break
            unit = row[3] if len(row) > 3 else None
            # the unit's display name, or the unit itself (a workbook made before units were
            # shown in the workbook's language)
            if (unit or "") not in (s.unit, s.unit_cell):
                problems.append(Problem("ESG-TPL-009", Location(file=name, sheet=sh.title, cell=f"D{rownum}"), {
                    "field": Bilingual("单位", "unit"), "indicator": s.indicator,
                    "found": _show(unit) or Bilingual("（空）", "(empty)"),
                    "expected": s.unit_cell or Bilingual("（空）", "(empty)")}))
                continue
            cc = s.comment_col
            comment = row[cc - 1] if len(row) >= cc else None
            comment = str(comment).strip() if comment not in (None, "") else None
            for i, col in enumerate(s.value_cols):
                v = row[col - 1] if len(row) >= col else None
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                period = month_periods[i] if s.monthly else layout.period
                pct = isinstance(v, (int, float)) and not isinstance(v, bool) and percent_format(row_cells[col - 1].number_format)
                cells.append(Cell(s, period, f"{sh.title}!{letters[col]}{rownum}", col, v, comment, pct))
        else:
            if rownum < sh.last_row and sh.slots:
                missing = next((s for s in sh.slots if s.row > rownum), None)
                if missing is not None:
                    problems.append(Problem("ESG-TPL-008", Location(file=name, sheet=sh.title, cell=f"A{missing.row}"), {
                        "found": Bilingual("（工作表结束）", "(end of sheet)"), "expected": missing.indicator}))
            if outside is not None:  # (not after a row that no longer matches: its cells would all differ)
                outside.rest()
                problems.extend(outside.problems)
    return cells, problems


class _Outside:
    """Compares a sheet's cells outside the inputs with what the template wrote (ESG-TPL-011,
    a warning: the import reads only the value and comment columns). At most ``LIMIT`` cells
    of a sheet are named, then how many more."""

    LIMIT = 10

    def __init__(self, file: str, sheet: SheetLayout, width: int, locked: dict):
        self.file, self.sheet, self.locked = file, sheet.title, locked
        self.last_row, self.width = sheet.last_row, width
        self.problems = ProblemList()
        self.more = 0

    def check(self, rownum: int, row_cells, slot: "Slot | None") -> None:
        from openpyxl.utils import get_column_letter

        for col, c in enumerate(row_cells, start=1):
            if rownum > self.last_row and col <= self.width:
                continue  # below the table: ESG-TPL-008
            if slot is not None and (col in (1, 3, 4) or col in slot.value_cols or col == slot.comment_col):
                continue  # code, breakdown and unit: ESG-TPL-008/009; inputs: read
            found = c.value
            expected = self.locked.get((self.sheet, rownum, col))
            if _same(found, expected):
                continue
            if len(self.problems) >= self.LIMIT:
                self.more += 1
                continue
            empty = Bilingual("（空）", "(empty)")
            self.problems.append(Problem("ESG-TPL-011", Location(
                file=self.file, sheet=self.sheet, cell=f"{get_column_letter(col)}{rownum}"), {
                "found": _show(found) if found not in (None, "") else empty,
                "expected": _show(expected) if expected not in (None, "") else empty}))

    def rest(self) -> None:
        if self.more:
            self.problems.append(Problem("ESG-TPL-011", Location(file=self.file, sheet=self.sheet, cell="A1"), {
                "found": Bilingual(f"另有 {self.more} 个单元格", f"{self.more} more cells"),
                "expected": Bilingual("与模板一致", "as the template wrote them")}))


def _same(found, expected) -> bool:
    """A cell reads as the template wrote it: both empty, the same text, or the same number
    (58.8 read back as a float is the 58.80 written)."""
    if found in (None, "") or expected in (None, ""):
        return found in (None, "") and expected in (None, "")
    if isinstance(expected, (int, float, Decimal)) and isinstance(found, (int, float, Decimal)) \
            and not isinstance(found, bool):
        return Decimal(repr(found) if isinstance(found, float) else found) == Decimal(
            repr(expected) if isinstance(expected, float) else expected)
    return str(found).strip() == str(expected).strip()


def _show(v) -> str:
    if v is None:
        return ""
    s = str(v)
    return s if len(s) <= 60 else s[:57] + "…"



__all__ = ["Cell", "OpenedWorkbook", "open_workbook", "percent_format", "read_slots"]
