"""The interchange import: one test per error code, asserting the exact (location, code) list,
and the encodings Chinese Excel writes. Nothing from a rejected file lands."""
import json
import shutil
from decimal import Decimal

import pytest

from esgledger.workspace import init_workspace
from tests.conftest import DATA, DEMO_ENTITIES, write

IMPORT = DATA / "import"
HEADER = "entity,indicator,period,value,unit,gender,comment\n"


def make_ws(root, db: str | None = None):
    """A workspace with the demo group's entities and the import tests' own indicators (its
    store at ``db``, by default a SQLite file in it)."""
    from esgledger.workspace import open_workspace

    w = init_workspace(root, db=db, lang="en")
    w.close()
    (root / "library").mkdir()
    shutil.copy(IMPORT / "test_indicators.yaml", root / "library")
    w = open_workspace(root)
    assert not w.import_entities(DEMO_ENTITIES).errors
    return w


@pytest.fixture
def ws(tmp_path):
    w = make_ws(tmp_path / "ws")
    yield w
    w.close()


def run(ws, tmp_path, text, name="facts.csv", encoding="utf-8", **kw):
    rep = ws.import_facts(write(tmp_path / name, text, encoding), **kw)
    return rep


def assert_nothing_landed(ws):
    assert ws.store.count_facts() == 0


def test_good_csv_lands_exactly_as_entered(ws, tmp_path):
    rep = run(ws, tmp_path, HEADER +
              "TLYX,employees,2024,3000,人,,\n"
              "TLYX,employees,2024,500,人,female,\n"
              "TRNY,t_output,2024,15000,吨,,a value in t for an indicator in 万吨\n"
              "TSAL,t_rating,2024,A,,,\n"
              "天铝有限,t_output,2023,1.50,万吨,,entity by its Chinese name\n")
    assert rep.problems.flat() == []
    assert rep.written
    got = {(f.entity, f.indicator, f.period, f.dims): (f.value, f.unit, f.value_entered, f.unit_entered)
           for f in ws.store.current_facts()}
    assert got == {
        ("TLYX", "employees", "2024", ""): ("3000", "人", "3000", "人"),
        ("TLYX", "employees", "2024", "gender=female"): ("500", "人", "500", "人"),
        # 15 000 t × 0.0001 万吨/t = 1.5 万吨; the entered value and unit are kept
        ("TRNY", "t_output", "2024", ""): ("1.5000", "万吨", "15000", "吨"),
        ("TSAL", "t_rating", "2024", ""): ("A", None, "A", None),
        ("TLYX", "t_output", "2023", ""): ("1.50", "万吨", "1.50", "万吨"),
    }


@pytest.mark.parametrize("encoding,header", [
    ("utf-8-sig", "entity,indicator,period,value,unit,gender,comment\n"),
    ("gbk", "主体,指标,期间,数值,单位,gender,备注\n"),
    ("gb18030", "主体,指标,期间,数值,单位,gender,备注\n"),
])
def test_chinese_excel_encodings(ws, tmp_path, encoding, header):
    rep = run(ws, tmp_path, header + "天铝有限,employees,2024年,3000,人,女性,中文备注\n", encoding=encoding)
    assert rep.problems.flat() == []
    [f] = ws.store.current_facts()
    assert (f.entity, f.dims, f.period, f.comment) == ("TLYX", "gender=female", "2024", "中文备注")


CASES = [
    ("unknown entity", HEADER + "NOPE,employees,2024,1,人,,\n",
     [("facts.csv:2 [entity]", "ESG-IMPORT-003")]),
    ("unknown indicator", HEADER + "TLYX,headcount,2024,1,人,,\n",
     [("facts.csv:2 [indicator]", "ESG-IMPORT-004")]),
    ("bad period", HEADER + "TLYX,employees,FY24,1,人,,\n",
     [("facts.csv:2 [period]", "ESG-IMPORT-005")]),
    ("non-numeric value", HEADER + "TLYX,employees,2024,1 thousand,人,,\n",
     [("facts.csv:2 [value]", "ESG-IMPORT-006")]),
    ("incompatible unit", HEADER + "TLYX,employees,2024,1,%,,\n",
     [("facts.csv:2 [unit]", "ESG-IMPORT-007")]),
    ("anode-effect minutes as a percentage", "entity,indicator,period,value,unit\n"
     "TLYX-P1,anode_effect_minutes,2024,0.03,%\n",
     [("facts.csv:2 [unit]", "ESG-IMPORT-007")]),
    ("unknown unit", HEADER + "TLYX,employees,2024,1,heads,,\n",
     [("facts.csv:2 [unit]", "ESG-IMPORT-008")]),
    ("duplicate row", HEADER + "TLYX,employees,2024,1,人,,\nTLYX,employees,2024,2,人,,\n",
     [("facts.csv:3", "ESG-IMPORT-009")]),
    ("missing column", "entity,indicator,period,value\nTLYX,employees,2024,1\n",
     [("facts.csv:1", "ESG-IMPORT-001")]),
    ("header only", HEADER, [("facts.csv", "ESG-IMPORT-002")]),
    ("dimension not allowed", "entity,indicator,period,value,unit,fuel\nTLYX,employees,2024,1,人,diesel\n",
     [("facts.csv:2 [fuel]", "ESG-IMPORT-011")]),
    ("unknown member", HEADER + "TLYX,employees,2024,1,人,other,\n",
     [("facts.csv:2 [gender]", "ESG-IMPORT-011")]),
    ("category value", HEADER + "TSAL,t_rating,2024,AAA,,,\n",
     [("facts.csv:2 [value]", "ESG-IMPORT-013")]),
    ("negative count", HEADER + "TLYX,employees,2024,-5,人,,\n",
     [("facts.csv:2 [value]", "ESG-IMPORT-014")]),
    ("fractional person", HEADER + "TLYX,employees,2024,2.5,人,,\n",
     [("facts.csv:2 [value]", "ESG-IMPORT-014")]),
    ("formula indicator", HEADER + "TLYX,female_employee_share,2024,17,%,,\n",
     [("facts.csv:2 [indicator]", "ESG-IMPORT-015")]),
    ("missing value", HEADER + "TLYX,employees,2024,,人,,\n",
     [("facts.csv:2 [value]", "ESG-IMPORT-016")]),
    ("missing unit", HEADER + "TLYX,employees,2024,5,,,\n",
     [("facts.csv:2 [unit]", "ESG-IMPORT-016")]),
    # a misspelt dimension column would land every row on its total: refused at the header
    ("unknown column", "entity,indicator,period,value,unit,gendr\nTLYX,employees,2024,999,人,female\n",
     [("facts.csv:1 [gendr]", "ESG-IMPORT-018")]),
    # a consolidated row that is not an export's calculated one (those are skipped: see
    # test_export_reimport.py), and a status no fact can have
    ("consolidated row", "entity,indicator,period,value,unit,dims,basis,status\n"
     "TSAL,employees,2024,4000,人,,control,approved\n",
     [("facts.csv:2 [basis]", "ESG-IMPORT-019")]),
    ("withdrawn row", "entity,indicator,period,value,unit,dims,basis,status\n"
     "TSAL,employees,2024,4000,人,,own,withdrawn\n",
     [("facts.csv:2 [status]", "ESG-IMPORT-019")]),
    ("unknown status cell", "entity,indicator,period,value,unit,dims,basis,status\n"
     "TSAL,employees,2024,4000,人,,own,final\n",
     [("facts.csv:2 [status]", "ESG-IMPORT-017")]),
    # an export's entered value and unit that do not give the row's value (12 吨 is 0.0012 万吨)
    ("entered value not the value", "entity,indicator,period,value,unit,value_entered,unit_entered\n"
     "TRNY,t_output,2024,1.5,万吨,12,吨\n",
     [("facts.csv:2 [value_entered]", "ESG-IMPORT-020")]),
    ("entered unit without a value", "entity,indicator,period,value,unit,value_entered,unit_entered\n"
     "TRNY,t_output,2024,1.5,万吨,,吨\n",
     [("facts.csv:2 [value_entered]", "ESG-IMPORT-020")]),
    ("entered value not a number", "entity,indicator,period,value,unit,value_entered,unit_entered\n"
     "TRNY,t_output,2024,1.5,万吨,15k,吨\n",
     [("facts.csv:2 [value_entered]", "ESG-IMPORT-006")]),
    ("entered unit unknown", "entity,indicator,period,value,unit,value_entered,unit_entered\n"
     "TRNY,t_output,2024,1.5,万吨,15000,tonnes-ish\n",
     [("facts.csv:2 [unit_entered]", "ESG-IMPORT-008")]),
    ("entered unit incompatible", "entity,indicator,period,value,unit,value_entered,unit_entered\n"
     "TRNY,t_output,2024,1.5,万吨,15000,人\n",
     [("facts.csv:2 [unit_entered]", "ESG-IMPORT-007")]),
    ("entered category not the value", "entity,indicator,period,value,unit,value_entered,unit_entered\n"
     "TSAL,t_rating,2024,A,,B,\n",
     [("facts.csv:2 [value_entered]", "ESG-IMPORT-020")]),
    ("dims cell naming a dimension the indicator does not take", "entity,indicator,period,value,unit,dims\n"
     "TLYX,employees,2024,5,人,fuel=diesel\n", [("facts.csv:2 [fuel]", "ESG-IMPORT-011")]),
    ("malformed dims cell", "entity,indicator,period,value,unit,dims\nTLYX,employees,2024,5,人,female\n",
     [("facts.csv:2 [dims]", "ESG-IMPORT-011")]),
    ("several at once", HEADER + "TLYX,employees,2024,1,人,,\nNOPE,employees,2024,x,人,,\nTLYX,employees,2024,1,人,,\n",
     [("facts.csv:3 [entity]", "ESG-IMPORT-003"), ("facts.csv:3 [value]", "ESG-IMPORT-006"),
      ("facts.csv:4", "ESG-IMPORT-009")]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_import_errors(ws, tmp_path, text, expected):
    rep = run(ws, tmp_path, text)
    assert rep.problems.flat() == expected
    assert not rep.written
    assert_nothing_landed(ws)


@pytest.mark.parametrize("sep, zh, en", [(";", "分号", "semicolons"), ("\t", "制表符", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_says_so(ws, tmp_path, sep, zh, en):
    """Excel in a locale with a decimal comma saves "CSV" with ;, and a copy from a sheet has
    tabs: the whole header reads as one column. ESG-IMPORT-001 says what the separator seems to
    be (UAT: it only listed the missing columns); a comma-separated file missing a column gets
    no such hint."""
    rep = run(ws, tmp_path, sep.join(["entity", "indicator", "period", "value", "unit"]) + "\n"
              + sep.join(["TLYX", "employees", "2024", "3", "人"]) + "\n")
    assert rep.problems.flat() == [("facts.csv:1", "ESG-IMPORT-001")]
    assert f"separated by {en}: separate them by commas" in rep.problems[0].render("en")
    assert f"该文件的列似乎以{zh}分隔，应以逗号分隔" in rep.problems[0].render("zh")
    assert_nothing_landed(ws)
    rep = run(ws, tmp_path, "entity,indicator,period,value\nTLYX,employees,2024,1\n")
    assert "separated by" not in rep.problems[0].render("en")


def test_empty_file(ws, tmp_path):
    rep = run(ws, tmp_path, "")
    assert rep.problems.flat() == [("facts.csv", "ESG-IMPORT-002")]


def test_undecodable_bytes(ws, tmp_path):
    p = tmp_path / "facts.csv"
    p.write_bytes(HEADER.encode() + b"TLYX,employees,2024,1,\xff\xfe,,\n")
    rep = ws.import_facts(p)
    assert rep.problems.flat() == [("facts.csv", "ESG-IMPORT-012")]


def test_bad_status(ws, tmp_path):
    rep = run(ws, tmp_path, HEADER + "TLYX,employees,2024,1,人,,\n", status="final")
    assert rep.problems.flat() == [("(status)", "ESG-IMPORT-017")]


def test_xlsx_locations_are_cells(ws):
    rep = ws.import_facts(IMPORT / "text_in_number.xlsx")
    assert rep.problems.flat() == [("text_in_number.xlsx:facts!D3 [value]", "ESG-IMPORT-006")]
    assert_nothing_landed(ws)


def test_good_xlsx(ws):
    rep = ws.import_facts(IMPORT / "good.xlsx")
    assert rep.problems.flat() == []
    got = sorted((f.entity, f.indicator, f.value) for f in ws.store.current_facts())
    assert got == [("TLYX", "employees", "3000"), ("TRNY", "t_output", "1.5")]


@pytest.mark.parametrize("name", ["truncated.xlsx", "old.xls"])
def test_unreadable_workbooks(ws, name):
    rep = ws.import_facts(IMPORT / name)
    assert rep.problems.flat() == [(name, "ESG-IMPORT-010")]
    assert_nothing_landed(ws)


def test_dry_run_reports_without_writing(ws, tmp_path):
    rep = run(ws, tmp_path, HEADER + "TLYX,employees,2024,3000,人,,\n", dry_run=True)
    assert rep.ok and not rep.written and len(rep.facts) == 1
    assert_nothing_landed(ws)


def test_reimport_appends_a_revision(ws, tmp_path):
    run(ws, tmp_path, HEADER + "TLYX,employees,2024,3000,人,,\n")
    run(ws, tmp_path, HEADER + "TLYX,employees,2024,3010,人,,corrected\n", name="fix.csv")
    hist = ws.history("TLYX", "employees", "2024")
    assert [(h.revision, h.value, h.comment) for h in hist] == [(1, "3000", None), (2, "3010", "corrected")]
    assert [f.value for f in ws.store.current_facts()] == ["3010"]


def test_messages_in_both_languages(ws, tmp_path):
    rep = run(ws, tmp_path, HEADER + "NOPE,employees,2024,1,人,,\n")
    [p] = rep.problems
    assert p.render("en") == "facts.csv:2 [entity]: ESG-IMPORT-003 unknown entity: entity NOPE is not in the entity tree"
    assert p.render("zh") == "facts.csv:2 [entity]: ESG-IMPORT-003 未知主体：组织树中不存在主体 NOPE"
    data = rep.as_dict("zh")
    assert json.loads(json.dumps(data, ensure_ascii=False))["problems"][0]["code"] == "ESG-IMPORT-003"


def test_export_round_trip(ws, tmp_path):
    run(ws, tmp_path, HEADER + "TLYX,employees,2024,3000,人,,\nTLYX,employees,2024,500,人,female,\n")
    text = ws.export_facts("csv")
    lines = text.splitlines()
    assert lines[0].startswith("entity,indicator,period,value,unit,dims,basis,status")
    assert lines[1].split(",")[:7] == ["TLYX", "employees", "2024", "3000", "人", "", "own"]
    out = tmp_path / "out.xlsx"
    ws.export_facts("xlsx", out=out)
    import openpyxl

    rows = list(openpyxl.load_workbook(out).active.values)
    assert rows[2][:6] == ("TLYX", "employees", "2024", "500", "人", "gender=female")
    assert [r["value"] for r in json.loads(ws.export_facts("json"))] == ["3000", "500"]
    assert Decimal(rows[1][3]) == Decimal(3000)


def test_an_export_imports_back_onto_the_same_facts(ws, tmp_path):
    """facts export → facts import: each row lands on its own key (the dims column is read),
    so the round trip appends one identical revision per fact and changes no value."""
    rep = run(ws, tmp_path, HEADER + "TLYX,employees,2024,3000,人,,\nTLYX,employees,2024,500,人,female,\n"
              "TLYX,employees,2024,2500,人,male,\n")
    assert rep.ok and rep.written
    before = {(f.entity, f.indicator, f.dims): f.value for f in ws.store.current_facts()}
    out = tmp_path / "export.csv"
    ws.export_facts("csv", out=out)
    rep = ws.import_facts(out)
    assert rep.problems.flat() == [] and len(rep.facts) == 3
    after = {(f.entity, f.indicator, f.dims): (f.value, f.revision) for f in ws.store.current_facts()}
    assert after == {k: (v, 2) for k, v in before.items()}
    # only the female row, exported and imported back, stays the female count
    female = tmp_path / "female.csv"
    female.write_text("\n".join(line for i, line in enumerate(out.read_text(encoding="utf-8").splitlines())
                                if i == 0 or "gender=female" in line) + "\n", encoding="utf-8")
    assert ws.import_facts(female).ok
    now = {(f.entity, f.indicator, f.dims): f.value for f in ws.store.current_facts()}
    assert now == before


def test_full_width_digits_and_a_plus_sign_are_kept_as_entered_and_stored_plainly(ws, tmp_path):
    # Chinese input methods type full-width digits; the entered text stays, the value is 123
    rep = run(ws, tmp_path, HEADER + "TLYX,employees,2024,１２３,人,,\nTRNY,employees,2024,+5,人,,\n"
              "TLYX,employees,2023,１２３,人,,\n")  # the third row takes the fast path of the first
    assert rep.problems.flat() == []
    got = {(f.entity, f.period): (f.value, f.value_entered) for f in ws.store.current_facts()}
    assert got == {("TLYX", "2024"): ("123", "１２３"), ("TRNY", "2024"): ("5", "+5"), ("TLYX", "2023"): ("123", "１２３")}


def test_a_month_excel_turned_into_a_date_is_read_as_the_month(ws, tmp_path):
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["entity", "indicator", "period", "value", "unit"])
    sh.append(["TLYX", "employees", dt.datetime(2021, 3, 1), 3000, "人"])  # typed 2021-03, kept as a date
    sh["C2"].number_format = "yyyy-mm"
    wb.save(tmp_path / "m.xlsx")
    rep = ws.import_facts(tmp_path / "m.xlsx")
    assert rep.problems.flat() == []
    [f] = ws.store.current_facts()
    assert (f.period, f.value) == ("2021-03", "3000")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("extra", ["", "quoted", "comment", "blank", "hash"])
def test_problems_name_the_physical_line(ws, tmp_path, newline, extra, encoding):
    """A problem names the line of the file it is on, whether or not a quoted comment spans two
    lines, a comment line or a blank line comes before it (the reader counts lines itself
    only when none of these can occur; it looks for them in the file's bytes, in UTF-8 and in
    GB18030 alike), with LF or CRLF line ends. A # inside a row is not a comment line."""
    before = {"": [],
              "quoted": ['TLYX,employees,2023,5,人,,"two-line', 'comment, with a comma"'],
              "comment": ["# a note the reader skips"],
              "blank": [""],
              "hash": ["TLYX,employees,2023,5,人,,备注 #3 号炉"]}[extra]
    lines = [HEADER.strip(), "TLYX,employees,2024,5,人,,", *before, "TLYX,employees,2024,x,人,female,"]
    rep = run(ws, tmp_path, newline.join(lines) + newline, encoding=encoding)
    bad = len(lines)  # the last line, counted from 1 with the header
    assert rep.problems.flat() == [(f"facts.csv:{bad} [value]", "ESG-IMPORT-006")]


def test_a_lone_cr_ends_a_line(ws, tmp_path):
    """Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR: read as line ends, and a
    problem names the line it is on."""
    text = HEADER.strip() + "\rTLYX,employees,2024,5,人,,\rTLYX,employees,2024,x,人,female,\r"
    rep = run(ws, tmp_path, text)
    assert rep.problems.flat() == [("facts.csv:3 [value]", "ESG-IMPORT-006")]
    rep = run(ws, tmp_path, text.replace(",x,", ",7,"))
    assert rep.ok and rep.written and ws.store.count_facts() == 2


@pytest.mark.parametrize("where", ["header", "row"])
def test_a_row_the_csv_reader_cannot_read_is_reported_with_its_line(ws, tmp_path, where):
    """A field over the CSV reader's size limit (131,072 characters) stops the reader: the
    problem names the file and line (ESG-IMPORT-010), and nothing lands."""
    huge = "x" * 140_000
    if where == "header":
        text = f"entity,indicator,period,value,unit,{huge}\n"
        expected = [("facts.csv:1", "ESG-IMPORT-010")]
    else:
        text = HEADER + "TLYX,employees,2024,5,人,,\n" + f"TLYX,employees,2023,5,人,,{huge}\n"
        expected = [("facts.csv:3", "ESG-IMPORT-010")]
    rep = run(ws, tmp_path, text)
    assert rep.problems.flat() == expected
    assert "field larger than field limit" in rep.problems[0].render("en")
    assert "CSV 格式的一行" in rep.problems[0].render("zh")
    assert not rep.written
    assert_nothing_landed(ws)


def test_a_row_that_is_not_an_entered_value_says_why_for_its_own_case(ws, tmp_path):
    """ESG-IMPORT-019 named the withdrawn case beside a consolidated row and the other way
    round (UAT): each says its own reason now."""
    rep = run(ws, tmp_path, "entity,indicator,period,value,unit,dims,basis,status\n"
                            "TSAL,employees,2024,4000,人,,control,approved\n"
                            "TLYX,employees,2024,4000,人,,own,withdrawn\n")
    basis, status = rep.problems
    assert basis.render("zh").endswith("basis 为 control：只能导入填报值（本级数据）；合并值由 `esgledger calc run` 计算")
    assert "撤回" not in basis.render("zh") and "withdrawn" not in basis.render("en")
    assert status.render("en").endswith("a withdrawn value is not a value (withdraw with `esgledger facts withdraw`)")
    assert "calc run" not in status.render("en")


def test_an_entered_value_in_the_indicators_own_unit_is_quoted_once(ws, tmp_path):
    """ESG-IMPORT-020 read "58.80 万吨 = 58.80 万吨 与 60.00 万吨 (value) 不符" (UAT): with
    nothing to convert the entered value is quoted once, and the value column in Chinese."""
    rep = run(ws, tmp_path, "entity,indicator,period,value,unit,value_entered,unit_entered\n"
                            "TRNY,t_output,2024,60.00,万吨,58.80,万吨\n")
    [p] = rep.problems
    assert p.code == "ESG-IMPORT-020"
    assert "填报值与数值不符：58.80 万吨 与 60.00 万吨（value 列） 不符" in p.render("zh")
    assert "58.80 万吨 does not give 60.00 万吨 (value)" in p.render("en")


def test_a_date_shown_with_its_day_in_the_period_column_is_not_a_period(ws, tmp_path):
    # UAT2 M1: a clerk types 2025-01-01 (or Excel formats the cell as a date): in a CSV the text
    # 2025-01-01 is refused (ESG-IMPORT-005), so the date cell is refused too, at its cell; a
    # date shown as a month (yyyy-mm, 2025年3月) stays the month a typed 2025-03 became
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "facts"
    sh.append(["entity", "indicator", "period", "value", "unit"])
    sh.append(["TLYX", "employees", dt.datetime(2025, 1, 1), 2400, "人"])        # default format: a day
    sh.append(["TLYX", "employees", dt.datetime(2025, 3, 31), 2400, "人"])
    sh.append(["TLYX", "employees", dt.datetime(2025, 3, 1), 2400, "人"])
    sh["C4"].number_format = 'yyyy"年"m"月"'                                     # shown 2025年3月
    sh.append(["TLYX", "employees", dt.datetime(2025, 5, 1), 2400, "人"])
    sh["C5"].number_format = "yyyy/m/d"                                          # shown 2025/5/1
    wb.save(tmp_path / "dates.xlsx")
    rep = ws.import_facts(tmp_path / "dates.xlsx")
    assert rep.problems.flat() == [("dates.xlsx:facts!C2 [period]", "ESG-IMPORT-005"),
                                   ("dates.xlsx:facts!C3 [period]", "ESG-IMPORT-005"),
                                   ("dates.xlsx:facts!C5 [period]", "ESG-IMPORT-005")]
    assert "period 2025-01-01: expected a year (2024), a month (2024-03) or a quarter" in rep.problems[0].render("en")
    assert "期间 2025-05-01 无效" in rep.problems[2].render("zh")
    assert list(ws.store.current_facts()) == []  # nothing landed


def test_a_cell_under_no_column_refuses_the_file(ws, tmp_path):
    # UAT2 M2: the 6th cell "female" under a 5-column header would be dropped and 2400 land on
    # the total; the second row has a trailing empty cell, which is no value and is fine. The
    # third is like the first accepted row (the fast path) but for its stray cell.
    rep = run(ws, tmp_path, "entity,indicator,period,value,unit\n"
                            "TLYX,employees,2024,2400,人,female\n"
                            "TRNY,employees,2024,300,人,\n"
                            "TLYX,employees,2023,2400,人,,x\n")
    assert rep.problems.flat() == [("facts.csv:2", "ESG-IMPORT-024"), ("facts.csv:4", "ESG-IMPORT-024")]
    assert "female in column 6 has no column heading (the header names 5 columns)" in rep.problems[0].render("en")
    assert "第 7 列的 x 没有列标题（表头共 5 列）" in rep.problems[1].render("zh")
    assert_nothing_landed(ws)


def test_a_cell_under_a_blank_heading_in_a_workbook_refuses_it(ws, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["entity", "indicator", "period", "value", "unit", None, "comment"])
    sh.append(["TLYX", "employees", "2024", 2400, "人", "female", "ok"])
    wb.save(tmp_path / "blank.xlsx")
    rep = ws.import_facts(tmp_path / "blank.xlsx")
    assert rep.problems.flat() == [("blank.xlsx:Sheet!F2", "ESG-IMPORT-024")]
    assert_nothing_landed(ws)


@pytest.mark.parametrize("header,where,said", [
    ("entity,indicator,period,value,unit,数值", "facts.csv:1 [数值]", "column 数值 gives value again (first as value)"),
    ("entity,indicator,period,value,unit,gender,gender", "facts.csv:1 [gender]",
     "column gender gives gender again (first as gender)"),
    ("主体,entity,indicator,period,value,unit", "facts.csv:1 [entity]", "column entity gives entity again (first as 主体)"),
])
def test_a_column_given_twice_refuses_the_file(ws, tmp_path, header, where, said):
    # value 2400 and 数值 2500: which one is meant cannot be told, so neither is taken
    rep = run(ws, tmp_path, header + "\n" + "TLYX,employees,2026,2400,人,2500\n".replace(
        "TLYX,employees", "TLYX,TLYX,employees" if header.startswith("主体") else "TLYX,employees"))
    assert [(str(p.location), p.code) for p in rep.problems] == [(where, "ESG-IMPORT-025")]
    assert said in rep.problems[0].render("en")
    assert "再次表示" in rep.problems[0].render("zh")
    assert_nothing_landed(ws)


def test_a_blank_or_merged_entity_cell_is_a_missing_value_not_an_unknown_entity(ws, tmp_path):
    # UAT2 M6: clerks merge A2:A3 to group a plant's rows; openpyxl reads A3 as empty. The
    # message was "unknown entity: entity  is not in the entity tree"; it is the empty-cell one.
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "facts"
    sh.append(["entity", "indicator", "period", "value", "unit"])
    sh.append(["TLYX", "employees", "2025", 2400, "人"])
    sh.append([None, "employees", "2024", 2300, "人"])
    sh.merge_cells("A2:A3")
    sh.append(["TLYX", None, "2023", 2200, "人"])
    sh.append(["TLYX", "employees", None, 2100, "人"])
    wb.save(tmp_path / "merged.xlsx")
    rep = ws.import_facts(tmp_path / "merged.xlsx")
    assert rep.problems.flat() == [("merged.xlsx:facts!A3 [entity]", "ESG-IMPORT-016"),
                                   ("merged.xlsx:facts!B4 [indicator]", "ESG-IMPORT-016"),
                                   ("merged.xlsx:facts!C5 [period]", "ESG-IMPORT-016")]
    assert "missing value: column entity is empty" in rep.problems[0].render("en")
    assert "缺少数值：列 entity 为空" in rep.problems[0].render("zh")
    assert_nothing_landed(ws)


def test_a_value_above_ten_to_the_fifteen_is_refused(ws, tmp_path):
    # UAT2 M4: 1e400 万元 landed and consolidated to a 401-digit value. Above 10^15 in the
    # indicator's unit is refused at its line: 1e400, forty 9s (about 10^40), and 2e15 in a row
    # whose texts repeat an accepted row's (the fast path); the row of 12 is fine, but nothing
    # lands from a file with errors. 10^15 itself is within the bound.
    rep = run(ws, tmp_path, "entity,indicator,period,value,unit\n"
                            "TLYX,employees,2024,1e400,人\n"
                            "TLYX,employees,2023," + "9" * 40 + ",人\n"
                            "TRNY,employees,2024,12,人\n"
                            "TRNY,employees,2023,2e15,人\n")
    assert rep.problems.flat() == [("facts.csv:2 [value]", "ESG-IMPORT-014"), ("facts.csv:3 [value]", "ESG-IMPORT-014"),
                                   ("facts.csv:5 [value]", "ESG-IMPORT-014")]
    assert ("found 1e400, expected a number of at most 10^15 in absolute value, in persons"
            in rep.problems[0].render("en"))
    assert "应为 绝对值不超过 10^15 的数，以人为单位" in rep.problems[0].render("zh")
    assert_nothing_landed(ws)
    rep = run(ws, tmp_path, "entity,indicator,period,value,unit\nTLYX,employees,2024,1000000000000000,人\n")
    assert rep.problems.flat() == [] and ws.store.count_facts() == 1
