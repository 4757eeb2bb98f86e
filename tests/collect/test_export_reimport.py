"""An export imports back: each entered row becomes one new revision with the row's value, unit,
dims, status, entered value and unit, and comment; calculated rows are skipped and counted
(ESG-IMPORT-021); a status the import sets replaces the status cells and says so
(ESG-IMPORT-022); a status the importing user may not set is an error at its cell
(ESG-IMPORT-023). The expectations are read off the input rows, not off the ledger.
On SQLite and on PostgreSQL."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.collect import pipeline
from esgledger.store import ledger
from esgledger.store.access import AccessDenied
from esgledger.workspace import open_workspace
from tests.collect.test_interchange import make_ws
from tests.collect.test_pipeline import ledger_rows, streamed  # noqa: F401 - a fixture
from tests.conftest import write

PW = "correct horse battery"
EXPORT_HEADER = ("entity,indicator,period,value,unit,dims,basis,status,revision,value_entered,"
                 "unit_entered,comment,author,created_at\n")
T = "2026-01-01T00:00:00+00:00"
# an export of the test group: entered rows in each status, a value entered in 吨 for an
# indicator in 万吨 (with a thousands separator, as typed), a category, and two calculated rows
EXPORT = EXPORT_HEADER + (
    f"TLYX,employees,2024,3000,人,,own,approved,1,3000,人,,demo,{T}\n"
    f"TLYX,employees,2024,500,人,gender=female,own,draft,2,500,人,女性员工,demo,{T}\n"
    f"TRNY,t_output,2024,1.5000,万吨,,own,submitted,1,15000,吨,entered in 吨: 1.5 万吨,demo,{T}\n"
    f"TSAL,t_rating,2024,A,,,own,rejected,1,A,,,demo,{T}\n"
    f'TLYX,t_output,2024,1.25,万吨,,own,approved,3,"12,500",吨,,demo,{T}\n'
    f"TSAL,employees,2024,3500,人,,own,calculated,1,,,,root,{T}\n"
    f"TSAL,employees,2024,3500,人,,control,calculated,1,,,,root,{T}\n")


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def expected_of(text: str, status: str | None = None) -> dict:
    """What each entered row of an export must become, read off the row itself."""
    return {(r["entity"], r["indicator"], r["period"], r["dims"]):
            (r["value"], r["unit"] or None, r["value_entered"], r["unit_entered"] or None,
             status or r["status"], r["comment"] or None)
            for r in rows_of(text) if r["status"] != "calculated"}


def current(ws) -> dict:
    return {(f.entity, f.indicator, f.period, f.dims):
            (f.value, f.unit, f.value_entered, f.unit_entered, f.status, f.comment)
            for f in ws.store.current_facts()}


@pytest.fixture
def ws(tmp_path, store_url):
    w = make_ws(tmp_path / "ws", None if store_url.startswith("sqlite") else store_url)
    yield w
    w.close()


def test_an_export_lands_with_its_statuses_and_entered_values(ws, tmp_path):
    rep = ws.import_facts(write(tmp_path / "facts.csv", EXPORT))
    # the two calculated rows (lines 7 and 8) are left out, counted, and named once
    assert rep.problems.flat() == [("facts.csv [status]", "ESG-IMPORT-021")]
    assert rep.problems[0].params == {"n": 2, "first": "facts.csv:7"}
    assert "2 rows with the status calculated (the first at facts.csv:7) were not imported" in \
        rep.problems[0].render("en")
    assert "2 行状态为 calculated（首行 facts.csv:7），未导入" in rep.problems[0].render("zh")
    assert (rep.rows, rep.skipped, len(rep.facts), rep.written) == (7, 2, 5, True)
    assert current(ws) == expected_of(EXPORT)
    assert [f.basis for f in ws.store.current_facts()] == ["own"] * 5


def test_a_status_given_replaces_the_status_cells_and_says_so(ws, tmp_path):
    rep = ws.import_facts(write(tmp_path / "facts.csv", EXPORT), status="submitted")
    assert rep.problems.flat() == [("facts.csv [status]", "ESG-IMPORT-021"),
                                   ("facts.csv [status]", "ESG-IMPORT-022")]
    # 2 approved, 1 draft, 1 rejected replaced; the submitted row keeps its status
    assert rep.problems[1].params["found"] == "approved × 2, draft × 1, rejected × 1"
    assert rep.problems[1].params["n"] == 4
    assert "gives every fact the status submitted: the file's status column said otherwise in 4 rows" in \
        rep.problems[1].render("en")
    assert "状态设为 submitted：文件状态列中有 4 行与之不同" in rep.problems[1].render("zh")
    assert current(ws) == expected_of(EXPORT, status="submitted")


def test_a_file_without_status_cells_is_submitted_as_before(ws, tmp_path):
    text = "entity,indicator,period,value,unit,status\nTLYX,employees,2024,3000,人,\n"
    rep = ws.import_facts(write(tmp_path / "facts.csv", text))
    assert rep.problems.flat() == []
    assert [f.status for f in ws.store.current_facts()] == ["submitted"]


def test_each_entered_fact_gets_one_identical_revision(ws, tmp_path):
    assert ws.import_facts(write(tmp_path / "first.csv", EXPORT)).written
    before = {(f.entity, f.indicator, f.period, f.dims): f.revision for f in ws.store.current_facts()}
    out = tmp_path / "export.csv"
    ws.export_facts("csv", out=out)
    exported = out.read_text(encoding="utf-8")
    rep = ws.import_facts(out)
    assert rep.problems.flat() == [] and len(rep.facts) == 5  # nothing calculated in this ledger
    assert current(ws) == expected_of(exported) == expected_of(EXPORT)
    assert {(f.entity, f.indicator, f.period, f.dims): f.revision for f in ws.store.current_facts()} == \
        {k: r + 1 for k, r in before.items()}


def test_an_xlsx_export_imports_back_the_same(ws, tmp_path):
    assert ws.import_facts(write(tmp_path / "first.csv", EXPORT)).written
    ws.export_facts("xlsx", out=tmp_path / "facts.xlsx")
    rep = ws.import_facts(tmp_path / "facts.xlsx")
    assert rep.problems.flat() == [] and len(rep.facts) == 5
    assert current(ws) == expected_of(EXPORT)


def test_a_corrected_value_with_its_old_entered_value_is_refused(ws, tmp_path):
    """Someone corrects the value of an export and leaves value_entered as it was: the file
    does not say what was entered, so nothing lands, and the error says how to fix it."""
    text = EXPORT.replace("TRNY,t_output,2024,1.5000,", "TRNY,t_output,2024,1.6000,")
    rep = ws.import_facts(write(tmp_path / "facts.csv", text))
    assert rep.problems.flat() == [("facts.csv:4 [value_entered]", "ESG-IMPORT-020"),
                                   ("facts.csv [status]", "ESG-IMPORT-021")]
    p = rep.problems[0]
    # 15000 吨 × 0.0001 = 1.5 万吨, not the 1.6 万吨 of the value column
    assert p.params["found"] == "15000 吨 = 1.5000 万吨" and p.params["expected"].en == "1.6000 万吨 (value)"
    assert "1.6000 万吨（value 列）" in p.render("zh") and "(value)" not in p.render("zh")
    assert "empty value_entered and unit_entered" in p.render("en") and "清空 value_entered" in p.render("zh")
    assert not rep.written and ws.store.count_facts() == 0
    # emptied, the value and unit columns are what was entered
    fixed = text.replace("1.6000,万吨,,own,submitted,1,15000,吨,", "1.6000,万吨,,own,submitted,1,,,")
    assert ws.import_facts(write(tmp_path / "fixed.csv", fixed)).written
    f = ws.store.current_facts(entity="TRNY", indicator="t_output")[0]
    assert (f.value, f.unit, f.value_entered, f.unit_entered) == ("1.6000", "万吨", "1.6000", "万吨")


def _users(ws, tmp_path):
    ws.access.add_user("p1", PW, "submitter", entity="TLYX-P1")
    ws.access.add_user("esg", PW, "manager")
    return write(tmp_path / "p1.csv", EXPORT_HEADER + (
        f"TLYX-P1,employees,2024,100,人,,own,approved,1,100,人,,demo,{T}\n"
        f"TLYX-P1,employees,2024,40,人,gender=female,own,submitted,1,40,人,,demo,{T}\n"
        f"TLYX-P1,t_output,2024,2.00,万吨,,own,rejected,1,2.00,万吨,,demo,{T}\n"))


def test_a_submitter_may_not_carry_approved_statuses(ws, tmp_path):
    path = _users(ws, tmp_path)
    p1 = open_workspace(ws.path, user="p1", password=PW)
    try:
        for dry in (True, False):
            rep = p1.import_facts(path, dry_run=dry)
            assert rep.problems.flat() == [("p1.csv:2 [status]", "ESG-IMPORT-023"),
                                           ("p1.csv:4 [status]", "ESG-IMPORT-023")]
            assert rep.problems[0].render("en") == (
                "p1.csv:2 [status]: ESG-IMPORT-023 status not yours to set: status approved at TLYX-P1: "
                "p1 may not review values there; import with `--status submitted` to submit them for "
                "review, or ask a reviewer to import the file")
            assert "无权审核该主体的数据" in rep.problems[0].render("zh")
            assert not rep.written
        assert ws.store.count_facts() == 0
        # the refusal is logged as any other
        assert [(r["username"], r["action"], r["reason"]) for r in ws.access.access_log()] == \
            [("p1", "review", "ESG-ACCESS-003")] * 2  # (no review right anywhere)
        # asked to submit them, it may: every row submitted, and the report says what changed
        rep = p1.import_facts(path, status="submitted")
        assert rep.problems.flat() == [("p1.csv [status]", "ESG-IMPORT-022")]
        assert {f.status for f in ws.store.current_facts()} == {"submitted"}
    finally:
        p1.close()


def test_a_submitter_importing_the_whole_groups_export_is_refused_at_once_for_the_other_entities(ws, tmp_path):
    """p1 may write TLYX-P1 only: a file that also holds another plant's approved rows is an
    access refusal naming that plant (logged), not one ESG-IMPORT-023 per approved row."""
    path = _users(ws, tmp_path)
    other = "".join(f"TLYX-P2,employees,2024,{200 + i},人,,own,approved,1,{200 + i},人,,demo,{T}\n"
                    .replace(",2024,", f",{2000 + i},") for i in range(20))
    whole = write(tmp_path / "whole.csv", path.read_text(encoding="utf-8") + other)
    p1 = open_workspace(ws.path, user="p1", password=PW, lang="en")
    try:
        for dry in (True, False):
            with pytest.raises(AccessDenied) as exc:
                p1.import_facts(whole, dry_run=dry)
            assert exc.value.problem.code == "ESG-ACCESS-004"
            assert "refused: TLYX-P2" in str(exc.value)
        assert ws.store.count_facts() == 0
        assert [(r["username"], r["action"], r["reason"]) for r in ws.access.access_log()] == \
            [("p1", "write", "ESG-ACCESS-004")] * 2
    finally:
        p1.close()


def test_a_reviewer_carries_every_status(ws, tmp_path):
    path = _users(ws, tmp_path)
    esg = open_workspace(ws.path, user="esg", password=PW)
    try:
        rep = esg.import_facts(path)
        assert rep.problems.flat() == [] and rep.written
        assert current(ws) == expected_of(path.read_text(encoding="utf-8"))
    finally:
        esg.close()


def test_an_xlsx_status_error_is_at_its_cell(ws, tmp_path):
    import openpyxl

    path = _users(ws, tmp_path)
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "facts"
    for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        sheet.append(r)
    wb.save(tmp_path / "p1.xlsx")
    p1 = open_workspace(ws.path, user="p1", password=PW)
    try:
        rep = p1.import_facts(tmp_path / "p1.xlsx")
        assert rep.problems.flat() == [("p1.xlsx:facts!H2 [status]", "ESG-IMPORT-023"),
                                       ("p1.xlsx:facts!H4 [status]", "ESG-IMPORT-023")]
    finally:
        p1.close()


def test_a_pipelined_export_import_is_the_ordinary_one(tmp_path, streamed, store_url):  # noqa: F811
    """A large export (checked in a second process while this one writes) lands as the
    ordinary import does, with the same notices."""
    lines = [EXPORT_HEADER]
    for i in range(400):
        period = f"{2000 + i // 12}-{i % 12 + 1:02d}"
        status = ("approved", "draft", "submitted", "calculated")[i % 4]
        lines.append(f"TLYX,employees,{period},{3000 + i},人,,own,{status},1,{3000 + i},人,,demo,{T}\n")
        lines.append(f"TRNY,t_output,{period},1.{i:04d},万吨,,own,approved,1,1{i:04d},吨,in 吨,demo,{T}\n")
    text = "".join(lines)
    fast = make_ws(tmp_path / "fast", None if store_url.startswith("sqlite") else store_url)
    rep = fast.import_facts(write(tmp_path / "facts.csv", text))
    assert streamed == ["start", "done"]  # the pipelined path
    ledger.BULK_LOAD_MIN_ROWS = 10 ** 9  # (monkeypatched: restored after the test)
    slow = make_ws(tmp_path / "slow")
    (tmp_path / "again").mkdir()
    rep2 = slow.import_facts(write(tmp_path / "again" / "facts.csv", text))
    assert streamed == ["start", "done"]  # the ordinary path
    assert rep.problems.flat() == rep2.problems.flat() == [("facts.csv [status]", "ESG-IMPORT-021")] \
        and rep2.problems[0].params == rep.problems[0].params == {"n": 100, "first": "facts.csv:8"}
    assert (rep.skipped, rep.rows) == (rep2.skipped, rep2.rows) == (100, 800)
    assert ledger_rows(fast) == ledger_rows(slow)
    assert current(fast) == expected_of(text)
    assert pipeline.CHUNK == 50
    fast.close()
    slow.close()


# -- the demo: export 2024, import it back ---------------------------------------------------
def test_the_demo_ledger_round_trips(tmp_path, store_url):
    from esgledger.demo.build import build_demo

    path = tmp_path / "demo"
    build_demo(path, db=None if store_url.startswith("sqlite") else store_url, lang="en",
               console=Console(quiet=True), kpi=False, report_formats=())
    with open_workspace(path, lang="en") as ws:
        everything = {(f.entity, f.indicator, f.period, f.dims, f.basis): f
                      for f in ws.store.current_facts(basis=None)}
        count = ws.store.count_facts()
        text = ws.export_facts("csv", period=["2024"], basis="own")
    rows = rows_of(text)
    entered = [r for r in rows if r["status"] != "calculated"]
    calculated = [r for r in rows if r["status"] == "calculated"]
    assert len(entered) > 600 and len(calculated) > 200  # the UAT's file: 701 and 246
    # what the UAT met: a value entered in 立方米 for an indicator in 升, its comment saying so
    assert {k: v for k, v in expected_of(text).items() if k[:2] == ("GNBX", "diesel_consumption")} == {
        ("GNBX", "diesel_consumption", "2024", ""):
            ("820500.0", "升", "820.5", "立方米", "approved", "split; entered in 立方米: 820500 升 (mining fleet)")}
    f = write(tmp_path / "facts.csv", text)

    STATE.lang = "en"
    r = CliRunner().invoke(app, ["--lang", "en", "-w", str(path), "facts", "import", str(f), "--dry-run", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert (data["errors"], data["facts"], data["skipped"]) == (0, len(entered), len(calculated))
    assert [p["code"] for p in data["problems"]] == ["ESG-IMPORT-021"]

    # from here on the workspace has users, as one where values are reviewed: calculations and
    # reports read approved values only, and the group's ESG manager imports the file
    with open_workspace(path, lang="en") as ws:
        ws.access.add_user("esg", PW, "manager")
    with open_workspace(path, lang="en", user="esg", password=PW) as ws:
        assert ws.inputs == "approved"
        rep = ws.import_facts(f)
        assert rep.ok and rep.written and len(rep.facts) == len(entered), rep.problems.flat()
        assert ws.store.count_facts() == count + len(entered)
        now = {(f.entity, f.indicator, f.period, f.dims, f.basis): f for f in ws.store.current_facts(basis=None)}
        # every entered fact: one new revision, as its row says
        for r in entered:
            key = (r["entity"], r["indicator"], r["period"], r["dims"], "own")
            g = now[key]
            assert (g.revision, g.value, g.unit or "", g.dims, g.status, g.value_entered or "",
                    g.unit_entered or "", g.comment or "") == \
                (int(r["revision"]) + 1, r["value"], r["unit"], r["dims"], r["status"], r["value_entered"],
                 r["unit_entered"], r["comment"]), key
            assert everything[key].revision == int(r["revision"])
        # everything else (calculated, consolidated, other years) untouched
        untouched = {k for k in everything if (k[:4], k[4]) not in
                     {((r["entity"], r["indicator"], r["period"], r["dims"]), "own") for r in entered}}
        assert len(untouched) == len(everything) - len(entered)
        assert all(now[k].id == everything[k].id for k in untouched)
        # nothing for `report check` to call not approved
        assert {g.status for g in now.values() if g.period == "2024"} == {"approved", "calculated"}
    # a calculation run in a new process (as `calc run`) finds nothing to change
    with open_workspace(path, lang="en", user="esg", password=PW) as ws:
        res = ws.calc("2024")
        assert res.written == 0 and res.withdrawn == [] and res.computed > 0
        assert ws.store.count_facts() == count + len(entered)
