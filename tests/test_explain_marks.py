"""``esgledger explain`` shows what a reviewer must clear (UAT4 F-M16): each entered value's
comment, what it says the row is (illustrative, a split of a published total, calibrated to a
named published figure), the mark the report prints on a calculated figure, and an imported
row's file as a path that opens (relative to the workspace when the file is in it).

The ledger: TLYX 600 and JXTG 400 employees ("split": the group's 1,000 is published), women
TLYX 100 ("split") and JXTG 50 ("示意", invented). By hand: female share at TSAL = 150 / 1,000
= 15 %, resting on the invented 50: the report marks it illustrative.
"""
import json
from pathlib import Path

from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write

FACTS = """\
entity,indicator,period,value,unit,gender,comment
TLYX,employees,2024,600,人,,split
JXTG,employees,2024,400,人,,split
TLYX,employees,2024,100,人,female,split
JXTG,employees,2024,50,人,female,示意
"""


def _workspace(tmp_path, inside: bool) -> tuple[Path, Path]:
    ws_dir = tmp_path / "ws"
    with init_workspace(ws_dir, lang="en") as ws:
        assert not ws.import_entities(DEMO_ENTITIES).errors
        folder = ws_dir / "data" if inside else tmp_path / "elsewhere"
        folder.mkdir(parents=True, exist_ok=True)
        src = write(folder / "facts.csv", FACTS)
        assert ws.import_facts(src, status="approved", author="t").ok
        ws.calc("2024")
    return ws_dir, src


def _run(ws_dir, *args, lang="en"):
    try:
        return CliRunner().invoke(app, ["--lang", lang, "-w", str(ws_dir), "explain", "female_employee_share",
                                        "--entity", "TSAL", "--period", "2024", *args])
    finally:
        STATE.lang = "en"


def test_explain_shows_each_inputs_comment_kind_and_the_reports_mark(tmp_path):
    ws_dir, _src = _workspace(tmp_path, inside=True)
    en, zh, js = _run(ws_dir), _run(ws_dir, lang="zh"), _run(ws_dir, "--json")
    assert en.exit_code == zh.exit_code == js.exit_code == 0, en.output + zh.output + js.output
    lines = en.output.splitlines()
    assert lines[0].startswith("TSAL Female share female_employee_share 2024: 15.00 %")
    assert lines[0].endswith("[report mark: illustrative value]")
    jxtg = next(ln for ln in lines if ln.lstrip("│├└─ ").startswith("JXTG") and "gender=female" in ln)
    # the row's file relative to the workspace (line 5 of the file: header, then 4 rows)
    assert jxtg.endswith("← import #1 data/facts.csv:5  [illustrative; comment: 示意]")
    # TLYX's consolidated figure (a company's share: split), then its own entered row
    tlyx = [ln for ln in lines if ln.lstrip("│├└─ ").startswith("TLYX") and "gender=female" in ln]
    assert tlyx[0].endswith("(operational control)  [report mark: company split illustrative]")
    assert tlyx[1].endswith("data/facts.csv:4  [split of a published group total; comment: split]")
    zh_line = next(ln for ln in zh.output.splitlines() if ln.lstrip("│├└─ ").startswith("JXTG") and "gender=female" in ln)
    assert zh_line.endswith("← 导入 #1 data/facts.csv:5  [示意；备注：示意]")
    assert zh.output.splitlines()[0].endswith("[报告标注：示意值]")
    assert (ws_dir / "data" / "facts.csv").read_text(encoding="utf-8").splitlines()[4].startswith("JXTG,employees,2024,50")
    tree = json.loads(js.output)
    assert tree["report_mark"] == "illustrative" and tree["illustrative"] is True and tree["comment"] is None
    leaves, stack = [], [tree]
    while stack:
        n = stack.pop()
        stack += n["inputs"]
        if not n["inputs"]:
            leaves.append(n)
    by = {(n["entity"], n["dims"]): n for n in leaves}
    assert by["JXTG", "gender=female"]["comment"] == "示意" and by["JXTG", "gender=female"]["input_kind"] == "illustrative"
    assert by["JXTG", "gender=female"]["illustrative"] is True
    assert by["JXTG", "gender=female"]["source"] == "import #1 data/facts.csv:5"
    assert by["TLYX", ""]["input_kind"] == "split" and by["TLYX", ""]["report_mark"] == "split"


def test_a_file_outside_the_workspace_is_named_by_its_whole_path(tmp_path):
    ws_dir, src = _workspace(tmp_path, inside=False)
    r = _run(ws_dir)
    assert r.exit_code == 0, r.output
    assert f"← import #1 {src.resolve().as_posix()}:5" in r.output


def test_the_demo_keeps_the_files_it_imported(tmp_path):
    """The demo imports copies of its data files kept in the workspace (``data/``), so the
    file explain names opens there."""
    from esgledger.demo.build import YEARS, copy_data, data_dir

    out = copy_data(tmp_path / "demo")
    for name in ("entities.yaml", *(f"facts-{y}.csv" for y in YEARS)):
        assert (out / name).read_bytes() == data_dir().joinpath(name).read_bytes()
    assert out == tmp_path / "demo" / "data"
