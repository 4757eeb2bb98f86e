"""Reading an interchange file into a table: its header, its rows with their numbers (the line
of a CSV, the row of a sheet), and where each cell is (:meth:`_Table.location`).

A CSV may be UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Excel writes both; lines
starting with ``#`` are comments. An XLSX is read from its ``facts`` sheet, else its first; a
date cell in its period column is a month where the cell shows a month. The columns the format
knows (their Chinese headers too) are here as well, and which column of a table holds what
(:func:`header_columns`); what the rows say is checked by :mod:`esgledger.collect.rows`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Callable, Iterator

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, reason

HEADER_ALIASES = {
    "entity": "entity", "主体": "entity", "单位名称": "entity", "公司": "entity",
    "indicator": "indicator", "指标": "indicator", "指标代码": "indicator",
    "period": "period", "期间": "period", "年度": "period",
    "value": "value", "数值": "value", "值": "value",
    "unit": "unit", "单位": "unit",
    "comment": "comment", "备注": "comment", "说明": "comment",
    "dims": "dims", "维度": "dims",
}
REQUIRED = ("entity", "indicator", "period", "value", "unit")
# columns an export writes, so that an export imports back as it is: ``basis`` (only own rows
# are entered values), ``status`` (the new revision's, unless the import sets one; a calculated
# row is skipped: ``calc run`` computes it again), ``value_entered``/``unit_entered`` (what was
# typed, kept when it gives the row's value). The rest is the ledger's own bookkeeping and not
# read: an import makes new revisions with its own author and time.
EXPORT_ONLY = ("basis", "status", "revision", "value_entered", "unit_entered", "author", "created_at")
CALCULATED = "calculated"


def decode_text(data: bytes) -> tuple[str, Bilingual | None]:
    """Decode a CSV's bytes: UTF-8 (BOM or not), else GB18030 (a superset of GBK); else ``""``
    and why not, in both languages (the byte where each encoding failed)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        utf8_at = exc.start
    try:
        return data.decode("gb18030"), None
    except UnicodeDecodeError as exc:
        return "", Bilingual(f"第 {utf8_at} 字节处不是 UTF-8，第 {exc.start} 字节处不是 GB18030",
                             f"not UTF-8 at byte {utf8_at}; not GB18030 at byte {exc.start}")



# -- readers: (header, rows of (row number, values)) ------------------------------------
class _Table:
    def __init__(self, name: str, header: list[str], rows: Iterator[tuple[int, list]],
                 sheet: str | None = None, header_row: int = 1, lines: int | None = None):
        self.name = name
        self.lines = lines  # lines of a CSV file (an upper bound of its rows); None for a sheet
        self.line_now: Callable[[], int] | None = None  # a CSV reader's line, where it stopped
        self.header = header
        self.rows = rows
        self.sheet = sheet
        self.header_row = header_row

    def location(self, rownum: int, col: int | None, colname: str | None = None) -> Location:
        if self.sheet is not None:
            cell = None
            if col is not None:
                cell = f"{_col_letter(col)}{rownum}"
            else:
                cell = f"A{rownum}"
            return Location(file=self.name, sheet=self.sheet, cell=cell, column=colname)
        return Location(file=self.name, line=rownum, column=colname)


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def read_csv_table(path: Path, data: bytes | None = None) -> tuple[_Table | None, ProblemList]:
    problems = ProblemList()
    data = path.read_bytes() if data is None else data
    text, err = decode_text(data)
    if err:
        problems.append(Problem("ESG-IMPORT-012", Location(file=path.name), {"found": err}))
        return None, problems
    # universal newlines: a lone CR ends a line too (Excel for Mac's "CSV (Macintosh)")
    lines = io.StringIO(text, newline=None)
    reader = csv.reader(lines)
    header = None
    try:
        for row in reader:
            if not row or (row[0].startswith("#")) or not any(c.strip() for c in row):
                continue
            header = row
            break
    except csv.Error as exc:
        problems.append(Problem("ESG-IMPORT-010", Location(file=path.name, line=reader.line_num), {
            "expected": Bilingual("CSV 格式的一行", "a row in CSV form"), "found": reason(exc)}))
        return None, problems
    if header is None:
        problems.append(Problem("ESG-IMPORT-002", Location(file=path.name)))
        return None, problems
    header_line = reader.line_num

    def rows():
        for row in reader:
            if not row or row[0].startswith("#"):
                continue
            yield reader.line_num, row

    # Looked for in the bytes, not the text: the same answers (in UTF-8 and in GB18030 these
    # ASCII characters are never part of another character), but a byte scan is several times
    # faster than one of a str with Chinese in it, and a one-byte search faster still (about
    # 0.25 s less per million rows). The two-byte searches run only where a one-byte one
    # cannot settle it.
    lines = data.count(b"\n") + 1
    if (b'"' not in data and (b"#" not in data or b"\n#" not in data) and b"\n\n" not in data
            and (b"\r" not in data or (b"\n\r\n" not in data and data.count(b"\r") == data.count(b"\r\n")))):
        # No quoted field (so none spans lines), no comment or blank line, no lone CR: every
        # line after the header is one row, and counting them gives the line numbers without
        # a Python generator step per row (~0.2 s per million rows)
        table = _Table(path.name, header, enumerate(reader, header_line + 1), header_row=header_line,
                       lines=lines)
    else:
        table = _Table(path.name, header, rows(), header_row=header_line, lines=lines)
    table.line_now = lambda: reader.line_num
    return table, problems


XLSX = Bilingual(".xlsx 工作簿", "an .xlsx workbook")


def read_xlsx_table(path: Path) -> tuple[_Table | None, ProblemList]:
    import openpyxl
    from openpyxl.styles import numbers as _numbers

    problems = ProblemList()
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        problems.append(Problem("ESG-IMPORT-010", Location(file=path.name), {
            "expected": XLSX, "found": reason(exc)}))
        return None, problems
    ws = wb["facts"] if "facts" in wb.sheetnames else wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = None
    rownum = 0
    try:
        for row in it:
            rownum += 1
            if row and any(v not in (None, "") for v in row):
                header = ["" if v is None else str(v) for v in row]
                break
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        problems.append(Problem("ESG-IMPORT-010", Location(file=path.name), {
            "expected": XLSX, "found": reason(exc)}))
        return None, problems
    if header is None:
        problems.append(Problem("ESG-IMPORT-002", Location(file=path.name, sheet=ws.title, cell="A1")))
        return None, problems
    start = rownum
    # the period column: a date cell there is a month only where the cell shows a month
    pc = next((i for i, h in enumerate(header) if HEADER_ALIASES.get(h.strip(), HEADER_ALIASES.get(
        h.strip().lower())) == "period"), None)
    shown: dict[int, str] = {}  # row → number format of its period cell, read at the first date

    def period_text(v, n: int) -> str:
        """A date cell of the period column: Excel turns a typed 2021-03 into the date 2021-03-01
        shown as a month (yyyy-mm, mmm-yy, yyyy"年"m"月"), which is that month; a date shown
        with its day (2025/1/1, 2025-01-01) is a date, not a period (ESG-IMPORT-005, as in a CSV)."""
        if not shown:  # one more pass over the sheet, only in a file with a date in the column
            shown[-1] = ""
            for r, cells in enumerate(ws.iter_rows(min_row=start + 1, min_col=pc + 1, max_col=pc + 1),
                                      start + 1):
                if cells and isinstance(cells[0].value, (dt.date, dt.datetime)):
                    shown[r] = cells[0].number_format or ""
        fmt = _numbers.STRIP_RE.sub("", (shown.get(n) or "General").split(";")[0]).lower()
        month_only = "y" in fmt and "m" in fmt and not any(c in fmt for c in "dhs")
        at_midnight = not isinstance(v, dt.datetime) or v.time() == dt.time(0)
        if month_only and at_midnight and v.day == 1:
            return f"{v.year:04d}-{v.month:02d}"
        return v.date().isoformat() if isinstance(v, dt.datetime) and at_midnight else v.isoformat()

    def rows():
        n = start
        for row in it:
            n += 1
            if row is None or all(v in (None, "") for v in row):
                continue
            cells = [_cell_text(v) for v in row]
            if pc is not None and pc < len(row) and isinstance(row[pc], (dt.date, dt.datetime)):
                cells[pc] = period_text(row[pc], n)
            yield n, cells

    return _Table(path.name, header, rows(), sheet=ws.title, header_row=start), problems


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        r = repr(v)  # the shortest text that round-trips: what the user typed
        return r[:-2] if r.endswith(".0") else r
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        # Excel turns a typed 2021-03 into the date 2021-03-01: give the month back
        return f"{v.year:04d}-{v.month:02d}" if v.day == 1 else v.date().isoformat()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


def read_table(path: Path) -> tuple[_Table | None, ProblemList]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_table(path)
    if suffix == ".xls":
        return None, ProblemList([Problem("ESG-IMPORT-010", Location(file=path.name), {
            "expected": Bilingual(".xlsx 工作簿或 .csv 文件", "an .xlsx workbook or a .csv file"),
            "found": Bilingual("旧版 Excel 97-2003 .xls 文件，请另存为 .xlsx",
                               "an old Excel 97-2003 .xls file; save it as .xlsx")})])
    if not path.is_file():
        return None, ProblemList([Problem("ESG-IMPORT-010", Location(file=str(path)), {
            "expected": Bilingual("一个存在的 .csv 或 .xlsx 文件", "an existing .csv or .xlsx file"),
            "found": Bilingual("这是一个目录，不是文件", "a folder, not a file") if path.is_dir()
            else Bilingual("文件不存在", "no such file")})])
    if path.stat().st_size == 0:
        return None, ProblemList([Problem("ESG-IMPORT-002", Location(file=path.name))])
    return read_csv_table(path)


def header_columns(table: _Table, dim_names: dict[str, str], problems: ProblemList
                   ) -> tuple[dict[str, int], list[tuple[str, int]], dict[str, int]] | None:
    """Which column holds what: the format's columns (:data:`REQUIRED`, ``comment``, ``dims``)
    and an export's (:data:`EXPORT_ONLY`) by name → index, and the dimension columns (by
    ``dim_names``: code or name → code) as (code, index); None after adding to ``problems``
    each heading given twice (ESG-IMPORT-025), the columns missing (-001) or each heading the
    format does not know (-018), at its heading."""
    hdr = table.header_row
    cols: dict[str, int] = {}
    dim_cols: list[tuple[str, int]] = []
    export_cols: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    twice: list[tuple[int, str, str, int]] = []  # (column, heading, what it gives, its first column)
    given: dict[str, int] = {}
    for i, h in enumerate(table.header):
        key = HEADER_ALIASES.get(h.strip(), HEADER_ALIASES.get(h.strip().lower()))
        dim = dim_names.get(h.strip(), dim_names.get(h.strip().lower()))  # gender, 性别, Gender
        what = key or dim or (h.strip().lower() if h.strip().lower() in EXPORT_ONLY else None)
        if what is not None and given.setdefault(what, i) != i:  # value and 数值: which one?
            twice.append((i, h.strip(), what, given[what]))
            continue
        if key:
            cols.setdefault(key, i)
        elif dim is not None:
            dim_cols.append((dim, i))
        elif h.strip().lower() in EXPORT_ONLY:
            export_cols.setdefault(h.strip().lower(), i)
        elif h.strip():
            unknown.append((i, h.strip()))
    for i, h, what, first in twice:
        problems.append(Problem("ESG-IMPORT-025", table.location(hdr, i, h), {
            "found": h, "field": what, "first": table.header[first].strip()}))
    if twice:
        return None
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        found = [h for h in table.header if h]
        sep = next((name for ch, name in ((";", ("分号", "semicolons")), ("\t", ("制表符", "tabs")))
                    if len(found) == 1 and ch in found[0]), None)
        problems.append(Problem("ESG-IMPORT-001", table.location(hdr, None), {
            "expected": ", ".join(missing), "found": ", ".join(found),
            # a file saved with ; or tab between its columns reads as one column
            "hint": "" if sep is None else Bilingual(f"；该文件的列似乎以{sep[0]}分隔，应以逗号分隔（另存为“CSV（逗号分隔）”）",
                                                     f"; the file's columns seem to be separated by {sep[1]}: "
                                                     f"separate them by commas (save as \"CSV (comma delimited)\")")}))
        return None
    for i, h in unknown:  # a misspelt dimension would otherwise land every row on its total
        problems.append(Problem("ESG-IMPORT-018", table.location(hdr, i, h), {
            "found": h, "expected": Bilingual(
                "entity, indicator, period, value, unit, comment, dims、维度代码（如 gender）或导出文件的列",
                "entity, indicator, period, value, unit, comment, dims, a dimension code (e.g. gender) "
                "or a column of an export")}))
    if unknown:
        return None
    return cols, dim_cols, export_cols
