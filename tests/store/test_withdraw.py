"""Withdrawing a fact: a revision with the status ``withdrawn`` after which its key has no current
value (append-only: history keeps both the value and its withdrawal). On SQLite and PostgreSQL.

Hand-worked: TLYX consolidates its units by operational control (all 100 %); TLYX-P1 reports
100 employees and TLYX-P2 200, so TLYX has 300; with P2's withdrawn, 100.
"""
import pytest
from typer.testing import CliRunner

from esgledger.model.errors import ProblemsError
from esgledger.store.access import ScopedStore
from esgledger.workspace import open_workspace
from tests.conftest import write

PW = "correct horse battery"
FEMALE = "female_employee_share"
ROWS = "entity,indicator,period,value,unit\nTLYX-P1,employees,2024,100,人\nTLYX-P2,employees,2024,200,人\n"


def employees(ws, entity="TLYX", basis="control"):
    f = ws.value(entity, "employees", "2024", basis=basis)
    return None if f is None else f.value


def test_a_withdrawn_value_is_no_longer_current_and_history_keeps_it(workspace, tmp_path):
    assert workspace.import_facts(write(tmp_path / "f.csv", ROWS)).written
    workspace.calc("2024")
    assert employees(workspace) == "300"
    workspace.withdraw_facts([("TLYX-P2", "employees", "2024", "")], reason="double-counted contractors")
    assert employees(workspace, "TLYX-P2", "own") is None
    assert [(h.revision, h.value, h.status, h.comment) for h in workspace.history("TLYX-P2", "employees", "2024")] == [
        (1, "200", "submitted", None), (2, "200", "withdrawn", "double-counted contractors")]
    assert "TLYX-P2" not in workspace.export_facts("csv")
    # the next run consolidates without it
    workspace.calc("2024")
    assert employees(workspace) == "100"
    # and a new value for the key is its next revision, current again
    assert workspace.import_facts(write(tmp_path / "g.csv", ROWS.splitlines()[0] + "\nTLYX-P2,employees,2024,150,人\n")).written
    assert [h.revision for h in workspace.history("TLYX-P2", "employees", "2024")] == [1, 2, 3]
    workspace.calc("2024")
    assert employees(workspace) == "250"


def test_withdrawing_nothing_or_a_calculated_value_is_refused_whole(workspace, tmp_path):
    rows = "entity,indicator,period,value,unit,gender\nTLYX-P1,employees,2024,100,人,\nTLYX-P1,employees,2024,30,人,female\n"
    assert workspace.import_facts(write(tmp_path / "f.csv", rows)).written
    workspace.calc("2024")
    assert workspace.value("TLYX-P1", FEMALE, "2024", basis="own").status == "calculated"  # 30 / 100
    with pytest.raises(ProblemsError) as exc:
        workspace.withdraw_facts([("TLYX-P1", "employees", "2024", ""), ("TLYX-P1", "employees", "2023", ""),
                                  ("TLYX-P1", FEMALE, "2024", "")], reason="x")
    assert [(p.code, p.params["period"], p.params["indicator"]) for p in exc.value.problems] == [
        ("ESG-FACT-001", "2023", "employees"), ("ESG-FACT-002", "2024", FEMALE)]
    assert "计算值不能手工撤回" in exc.value.problems[1].render("zh")
    # each says that the whole withdrawal wrote nothing (UAT: the message did not)
    assert "nothing was withdrawn" in exc.value.problems[0].render("en")
    assert "未撤回任何数据" in exc.value.problems[1].render("zh")
    # nothing landed: the 2024 value is still current
    assert employees(workspace, "TLYX-P1", "own") == "100"


def test_an_approved_value_needs_the_review_right(workspace, tmp_path):
    admin = ScopedStore.system(workspace.store)
    admin.add_user("esg", PW, "manager")
    admin.add_user("p1", PW, "submitter", entity="TLYX-P1")
    with open_workspace(workspace.path, user="esg", password=PW) as ws:
        assert ws.import_facts(write(tmp_path / "f.csv", ROWS), status="approved").written
    with open_workspace(workspace.path, user="p1", password=PW) as ws:
        with pytest.raises(Exception) as exc:
            ws.withdraw_facts([("TLYX-P1", "employees", "2024", "")], reason="mine")
        assert "ESG-ACCESS" in str(exc.value)
        assert employees(ws, "TLYX-P1", "own") == "100"
    with open_workspace(workspace.path, user="esg", password=PW) as ws:
        ws.withdraw_facts([("TLYX-P1", "employees", "2024", "")], reason="mine")
        assert employees(ws, "TLYX-P1", "own") is None  # reviewed values go at once
        ws.calc("2024")
        assert employees(ws) == "200"


def test_the_cli_withdraws_and_names_the_reason_in_history(workspace, tmp_path):
    from esgledger.cli import app

    assert workspace.import_facts(write(tmp_path / "f.csv", ROWS)).written
    path = str(workspace.path)
    workspace.close()
    r = CliRunner().invoke(app, ["--workspace", path, "--lang", "zh", "facts", "withdraw", "employees",
                                 "--entity", "TLYX-P2", "--period", "2024", "--reason", "重复统计"])
    assert r.exit_code == 0, r.output
    assert "已撤回 1 条数据" in r.output
    r = CliRunner().invoke(app, ["--workspace", path, "--lang", "zh", "history", "employees",
                                 "--entity", "TLYX-P2", "--period", "2024"], env={"COLUMNS": "300"})
    assert "已撤回" in r.output and "重复统计" in r.output
    r = CliRunner().invoke(app, ["--workspace", path, "calc", "run", "--period", "2024"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["--workspace", path, "facts", "withdraw", "employees",
                                 "--entity", "TLYX-P2", "--period", "2024", "--reason", "again"])
    assert r.exit_code != 0 and "ESG-FACT-001" in (r.output + str(r.exception))
