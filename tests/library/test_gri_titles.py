"""gri.csv carries a Chinese title for every disclosure; a row without one is a load error
naming the file and line."""
import csv
import io
import shutil
from importlib import resources
from pathlib import Path

import pytest

from esgledger.library.loader import load_library, load_library_from

SHIPPED = Path(str(resources.files("esgledger.library").joinpath("data")))


@pytest.fixture
def root(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(SHIPPED, dst)
    return dst


def rewrite_gri(root: Path, edit) -> None:
    path = root / "frameworks" / "gri.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    fields, rows = edit(list(rows[0]), rows)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_every_gri_disclosure_has_a_chinese_title_and_its_confidence():
    gri = load_library().frameworks["gri"]
    assert len(gri) == 130
    for fc in gri.values():
        assert fc.title_zh.strip() and fc.title_zh != fc.title, fc.code
        assert fc.row["title_zh_confidence"] in ("S", "R"), fc.code
    assert gri["305-1"].title_zh == "直接（范畴1）温室气体排放"
    assert gri["305-1"].title_in("zh") == "直接（范畴1）温室气体排放"
    assert gri["305-1"].title_in("en") == "Direct (Scope 1) GHG emissions"


def test_a_gri_row_without_title_zh_is_rejected_with_file_and_line(root):
    def blank(fields, rows):
        for r in rows:
            if r["code"] in ("2-2", "305-1"):
                r["title_zh"] = " "
        return fields, rows

    rewrite_gri(root, blank)
    lib, problems = load_library_from(root)
    assert lib is None
    # the header is line 1, so 2-2 is line 3; 305-1 is wherever it sits in the file
    text = (root / "frameworks" / "gri.csv").read_text(encoding="utf-8").splitlines()
    line_305 = next(i for i, t in enumerate(text, 1) if t.startswith("305-1,"))
    assert problems.flat() == [("frameworks/gri.csv:3 (2-2)", "ESG-LIB-002"),
                               (f"frameworks/gri.csv:{line_305} (305-1)", "ESG-LIB-002")]
    assert "title_zh" in problems[0].render("en")


def test_a_gri_table_without_the_title_zh_column_is_rejected_at_its_header(root):
    rewrite_gri(root, lambda fields, rows: ([f for f in fields if f != "title_zh"], rows))
    lib, problems = load_library_from(root)
    assert lib is None
    assert problems.flat() == [("frameworks/gri.csv:1", "ESG-LIB-001")]
