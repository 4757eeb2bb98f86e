"""Write the collection tests' workbooks: one good submission and one per way to break one.

    python tests/data/workbooks/make_broken.py

Each file starts from potline P1's 2025 template of the tests' group (tests/collect/group.py),
filled with a complete valid submission, then broken in one way, as a person or another tool
would break it. The outputs are committed; ``tests/collect/test_broken_workbooks.py`` asserts
the exact (cell, code) list of each.

The password-protected file is encrypted with msoffcrypto-tool (``pip install
msoffcrypto-tool``; only this script needs it): openpyxl cannot encrypt. The old ``.xls`` file
is written with xlwt when it is installed, else copied from tests/data/import/old.xls.
"""
from __future__ import annotations

import io
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from esgledger.collect.templates import fill_workbook, generate_workbook, layout_for  # noqa: E402
from tests.collect.group import P1_2025, build_campaigns, build_workspace  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ws = build_workspace(tmp / "ws")
        admin, c2024, c2025 = build_campaigns(ws)
        blank = generate_workbook(admin, c2025, "P1", tmp)
        blank_zh = generate_workbook(admin, c2025, "P1", tmp, lang="zh")
        layout = layout_for(admin, c2025, "P1", "en")
        layout_zh = layout_for(admin, c2025, "P1", "zh")
        good = fill_workbook(blank, layout, P1_2025, out=HERE / "good.xlsx")
        fill_workbook(blank_zh, layout_zh, P1_2025, out=tmp / "good_zh.xlsx")

        def variant(name: str, edit, src: Path = good) -> None:
            wb = openpyxl.load_workbook(src)
            edit(wb)
            wb.save(HERE / name)

        def cell(sheet, ref, value):
            return lambda wb: wb[sheet].__setitem__(ref, value)

        variant("text_in_number.xlsx", cell("Labour", "F3", "about 1,100"))
        variant("formula.xlsx", cell("Governance", "F3", "=3+4"))
        variant("negative_count.xlsx", cell("Labour", "F4", -5))
        variant("percent_over_100.xlsx", cell("Labour", "F6", 120))
        variant("unit_changed.xlsx", cell("Energy", "D3", "吨"))
        variant("sheet_renamed.xlsx", lambda wb: setattr(wb["Safety"], "title", "Safety 2025"))
        variant("sheet_deleted.xlsx", lambda wb: wb.remove(wb["Safety"]))
        variant("row_inserted.xlsx", lambda wb: wb["Labour"].insert_rows(5))
        variant("zh_errors.xlsx", lambda wb: (wb["劳工权益"].__setitem__("F3", "一千一百"),
                                              wb["劳工权益"].__setitem__("F6", 101)), src=tmp / "good_zh.xlsx")
        # warnings only: a 30 % jump in output without a comment, female + male ≠ employees,
        # and a female share (270 / 1100 = 24.5 %) fine; the jump and the sum need comments
        variant("warnings.xlsx", lambda wb: (wb["Energy"].__setitem__("F3", 66),
                                             wb["Labour"].__setitem__("F5", 840)))

        # last year's workbook: P1's template of the 2024 campaign, filled
        last = generate_workbook(admin, c2024, "P1", tmp / "2024")
        fill_workbook(last, layout_for(admin, c2024, "P1", "en"),
                      {(i, d, p.replace("2025", "2024")): v for (i, d, p), v in P1_2025.items()},
                      out=HERE / "last_year.xlsx")
        # another entity's workbook: P2's template, filled
        other = generate_workbook(admin, c2025, "P2", tmp / "p2")
        fill_workbook(other, layout_for(admin, c2025, "P2", "en"), P1_2025, out=HERE / "other_entity.xlsx")

        data = good.read_bytes()
        (HERE / "truncated.xlsx").write_bytes(data[: len(data) // 2])
        _encrypted(good, HERE / "password.xlsx")
        _old_xls(HERE / "old.xls")
        # the interchange format in GBK, as Chinese Excel saves "CSV (逗号分隔)"
        (HERE / "gbk.csv").write_bytes(
            ("主体,指标,期间,数值,单位,备注\n"
             "二号电解系列,board_meetings,2025,5,次,董事会例会\n"
             "P2,employees,2025,300,人,含新投产车间\n").encode("gbk"))
        ws.close()
    print("wrote", sorted(p.name for p in HERE.iterdir() if p.suffix in (".xlsx", ".xls", ".csv")))


def _encrypted(src: Path, out: Path) -> None:
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    buf = io.BytesIO()
    with open(src, "rb") as fh:
        OOXMLFile(fh).encrypt("secret-2025", buf)
    out.write_bytes(buf.getvalue())
    assert msoffcrypto.olefile.isOleFile(str(out))


def _old_xls(out: Path) -> None:
    try:
        import xlwt
    except ImportError:
        shutil.copy(ROOT / "tests" / "data" / "import" / "old.xls", out)
        return
    book = xlwt.Workbook()
    sheet = book.add_sheet("Labour")
    for r, row in enumerate([["code", "value"], ["employees", 1100]]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    book.save(str(out))


if __name__ == "__main__":
    main()
