"""Writes the binary fixtures of the import tests (run once; outputs are committed).

python tests/data/import/make_fixtures.py
"""
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ROWS = [
    ["entity", "indicator", "period", "value", "unit", "gender", "comment"],
    ["TLYX", "employees", "2024", 3000, "人", None, None],
    ["TLYX", "employees", "2024", "many", "人", "female", None],
    ["TRNY", "t_output", 2024, 1.5, "万吨", None, "numbers typed as numbers"],
]


def xlsx(path: Path, rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "facts"
    for r in rows:
        ws.append(r)
    wb.save(path)


if __name__ == "__main__":
    xlsx(HERE / "text_in_number.xlsx", ROWS)
    good = [r for i, r in enumerate(ROWS) if i != 2]
    xlsx(HERE / "good.xlsx", good)
    data = (HERE / "good.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    try:
        import xlwt  # only to write a real Excel 97-2003 file

        book = xlwt.Workbook()
        sheet = book.add_sheet("facts")
        for i, r in enumerate(good):
            for j, v in enumerate(r):
                if v is not None:
                    sheet.write(i, j, v)
        book.save(str(HERE / "old.xls"))
    except ImportError:
        print("xlwt not installed: old.xls not regenerated")
