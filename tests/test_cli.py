"""The command line, driven as a user would, on a small workspace."""
import json

import pytest
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from tests.conftest import write

runner = CliRunner()


def cli(wsdir, *args, lang="en"):
    return runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args])


def test_import_calc_explain_export(wsdir, tmp_path):
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\n"
              "TLYX,employees,2024,3000,人,\nTLYX,employees,2024,500,人,female\n"
              "TRNY,employees,2024,1000,人,\nTRNY,employees,2024,100,人,female\n")
    r = cli(wsdir, "facts", "import", str(f))
    assert r.exit_code == 0 and "wrote 4 facts" in r.output
    r = cli(wsdir, "calc", "run", "--period", "2024")
    assert r.exit_code == 0, r.output
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert r.exit_code == 0, r.output
    # (500 + 100) / (3000 + 1000) = 15 %; the dims selection is printed, not eaten as markup
    assert "female_employee_share 2024: 15.00 %  = " in r.output  # at the indicator's precision, exact
    assert "employees[gender=female] 2024: 600 persons" in r.output  # units and bases in the reader's language
    assert "(operational control)" in r.output
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024", lang="zh")
    assert "employees[gender=female] 2024: 600 人" in r.output and "（运营控制权法）" not in r.output \
        and "(运营控制权法)" in r.output
    assert "f.csv:3" in r.output
    r = cli(wsdir, "facts", "export", "--basis", "control", "--indicator", "employees")
    assert r.exit_code == 0
    assert [line.split(",")[:7] for line in r.output.splitlines()[1:]] == [
        ["TLYX", "employees", "2024", "4000", "人", "", "control"],
        ["TLYX", "employees", "2024", "600", "人", "gender=female", "control"],
        ["TSAL", "employees", "2024", "4000", "人", "", "control"],
        ["TSAL", "employees", "2024", "600", "人", "gender=female", "control"],
    ]


def test_rejected_import_exits_1_and_writes_nothing(wsdir, tmp_path):
    f = write(tmp_path / "bad.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,x,人\n")
    r = cli(wsdir, "facts", "import", str(f))
    assert r.exit_code == 1
    assert "bad.csv:2 [value]: ESG-IMPORT-006" in r.output
    r = cli(wsdir, "facts", "import", str(f), "--json")
    data = json.loads(r.output)
    assert (data["written"], [p["code"] for p in data["problems"]]) == (False, ["ESG-IMPORT-006"])
    r = cli(wsdir, "facts", "import", str(f), lang="zh")
    assert "数值不是数字" in r.output and "未写入任何数据" in r.output
    r = cli(wsdir, "facts", "export")
    assert r.output.splitlines()[1:] == []


def test_history_lists_revisions(wsdir, tmp_path):
    for i, (v, why) in enumerate((("3000", ""), ("3010", "recount"))):
        cli(wsdir, "facts", "import", str(write(tmp_path / f"f{i}.csv",
                                                 f"entity,indicator,period,value,unit,comment\nTLYX,employees,2024,{v},人,{why}\n")))
    r = cli(wsdir, "history", "employees", "--entity", "TLYX", "--period", "2024")
    assert r.exit_code == 0
    assert "old" in r.output and "reason" in r.output
    r = cli(wsdir, "history", "employees", "--entity", "TLYX", "--period", "2024", "--json")
    first, second = json.loads(r.output)
    assert (first["revision"], first["old_value"], first["value"], first["reason"]) == (1, None, "3000", None)
    # revision 2 shows the value it replaced, who, the source file and line, and the reason
    assert (second["revision"], second["old_value"], second["value"], second["reason"]) == (2, "3000", "3010", "recount")
    assert second["source"] == "import f1.csv:2" and second["author"] and second["at"]
    r = cli(wsdir, "history", "employees", "--entity", "TLYX", "--period", "2024", lang="zh")
    assert "原值" in r.output and "原因" in r.output


def test_indicators_list_formats(wsdir):
    r = runner.invoke(app, ["indicators", "list", "--format", "json", "--framework", "szse17"])
    rows = json.loads(r.output)
    assert any(x["code"] == "employees" and "50" in x["szse17"].split(";") for x in rows)
    r = runner.invoke(app, ["indicators", "list", "--format", "csv"])
    assert r.output.startswith("code,name_zh,name_en,")
    r = runner.invoke(app, ["indicators", "show", "employees", "--json"])
    assert json.loads(r.output)["unit"] == "人"


def test_entities_export_and_tree(wsdir):
    r = cli(wsdir, "entities", "export", "--format", "csv")
    assert r.output.splitlines()[0].startswith("code,name_zh,name_en,level")
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "entities", "tree", "--date", "2024-12-31"],
                      env={"COLUMNS": "200"})
    # the process type in brackets (was swallowed as rich markup) and the parent's share and control
    assert "TLYX-P1 Tianlu potline series 1 [smelter] 100% operational control" in r.output


def test_entities_tree_shows_a_member_without_operational_control(wsdir, tmp_path):
    f = write(tmp_path / "e.yaml", "entities:\n  - code: JV1\n    name: {zh: 合资厂, en: Joint venture}\n"
              "    level: site\n    process_type: smelter\n    parent: TSAL\n    equity_share: 40\n"
              "    operational_control: false\n")
    assert cli(wsdir, "entities", "import", str(f)).exit_code == 0
    r = runner.invoke(app, ["--lang", "zh", "-w", str(wsdir), "entities", "tree"], env={"COLUMNS": "200"})
    assert "JV1 合资厂 [电解铝厂] 40% 无运营控制" in r.output  # the process type named as docs/zh/entities.md names it (UAT3 L1)


def test_validate_and_errors_list(wsdir, tmp_path):
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,3000,人\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    r = cli(wsdir, "validate", "--period", "2024")
    assert r.exit_code == 0 and "no problems found" in r.output
    r = runner.invoke(app, ["errors", "list", "--json"])
    codes = [e["code"] for e in json.loads(r.output)]
    assert "ESG-IMPORT-001" in codes and "ESG-ENT-004" in codes


def test_missing_workspace_is_a_clear_error(tmp_path):
    r = runner.invoke(app, ["-w", str(tmp_path / "nowhere"), "facts", "export"])
    assert r.exit_code != 0
    assert "no workspace" in str(r.exception) or "no workspace" in r.output


def test_option_values_are_checked_with_a_clear_error(wsdir):
    """ESG-CLI-001 in the user's language, before anything is read or written."""
    from esgledger.cli import OptionError, _message

    cases = [(["calc", "run", "--period", "2024", "--approach", "share"], "--approach", "control, equity"),
             (["calc", "run", "--period", "20x4"], "--period", "2024, 2024-03 or 2024-Q1"),
             (["calc", "reconcile", "--period", "2024-13"], "--period", "2024, 2024-03 or 2024-Q1"),
             (["validate", "--period", "24"], "--period", "2024, 2024-03 or 2024-Q1"),
             (["facts", "export", "--format", "pdf"], "--format", "csv, xlsx, json"),
             (["history", "employees", "--entity", "TLYX", "--period", "2024", "--basis", "sum"], "--basis",
              "own, control, equity"),
             (["entities", "tree", "--date", "2024-13-01"], "--date", "a date YYYY-MM-DD (such as 2026-06-30)"),
             (["entities", "tree", "--date", "2024-02-30"], "--date", "a date YYYY-MM-DD (such as 2026-06-30)"),
             (["entities", "tree", "--date", "20241231"], "--date", "a date YYYY-MM-DD (such as 2026-06-30)"),
             (["indicators", "show", "no_such"], "INDICATOR", "an indicator code of the library (esgledger indicators list)"),
             (["factors", "show", "no.such"], "KEY", "a factor key of the factor sets in use (esgledger factors list)"),
             (["entities", "export", "--format", "toml"], "--format", "yaml, csv"),
             # filters that would silently match nothing
             (["facts", "export", "--entity", "TLYXX"], "--entity",
              "an entity code of the tree (esgledger entities tree), e.g. TLYX, TLYX-P2, TLYX-P1"),
             (["facts", "export", "--indicator", "employes"], "--indicator",
              "an indicator code of the library (esgledger indicators list), e.g. employees, new_hires, minority_employees"),
             (["facts", "export", "--status", "bogus"], "--status", "draft, submitted, approved, rejected, calculated"),
             (["facts", "export", "--format", "xlsx"], "--output", "a file path (xlsx cannot go to the terminal)"),
             (["facts", "export", "-o", "/nonexistent/x.csv"], "--output", "a path in an existing folder"),
             (["indicators", "list", "--framework", "gri4"], "--framework", "szse17, gri, cass, issb_s2, sasb, sdg"),
             (["indicators", "list", "--format", "yaml"], "--format", "table, json, csv"),
             (["entities", "export", "--format", "toml"], "--format", "yaml, csv")]
    for args, option, expected in cases:
        r = cli(wsdir, *args)
        assert r.exit_code == 1 and isinstance(r.exception, OptionError), (args, r.output)
        p = r.exception.problem
        assert (p.code, str(p.params["field"]), str(p.params["expected"])) == ("ESG-CLI-001", option, expected)
    STATE.lang = "zh"
    try:
        assert _message(r.exception) == "(--format): ESG-CLI-001 选项取值无效：--format toml：应为 yaml, csv"
        r = cli(wsdir, "calc", "run", "--period", "2x", lang="zh")
        assert _message(r.exception) == "(--period): ESG-CLI-001 选项取值无效：--period 2x：应为 2024、2024-03 或 2024-Q1 形式的期间"
    finally:
        STATE.lang = "en"


def test_importing_a_file_that_is_not_there(wsdir, tmp_path):
    r = cli(wsdir, "facts", "import", str(tmp_path / "missing.csv"), "--json")
    rep = json.loads(r.output)
    [p] = rep["problems"]
    assert r.exit_code == 1 and not rep["written"]
    assert (p["code"], p["where"], p["params"]["found"]) == ("ESG-IMPORT-010", str(tmp_path / "missing.csv"), "no such file")


def test_explain_prints_a_calculated_value_as_reported_and_keeps_the_exact_one(wsdir, tmp_path):
    # (501 + 100) / (3000 + 1000) = 15.025 % → 15.03 half-up (half-even would print 15.02)
    _employees_calculated(wsdir, tmp_path, tlyx_female=501)
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert "female_employee_share 2024: 15.03 %  [exact 15.025" in r.output
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024", lang="zh")
    assert "15.03 %  [精确值 15.025" in r.output


def _employees_calculated(wsdir, tmp_path, tlyx_female: int = 500) -> None:
    """TLYX 3,000 employees (``tlyx_female`` women), TRNY 1,000 (100 women), imported and
    calculated for 2024."""
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\n"
              f"TLYX,employees,2024,3000,人,\nTLYX,employees,2024,{tlyx_female},人,female\n"
              "TRNY,employees,2024,1000,人,\nTRNY,employees,2024,100,人,female\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    assert cli(wsdir, "calc", "run", "--period", "2024").exit_code == 0


def test_explain_and_history_say_why_there_is_no_value(wsdir, tmp_path):
    """A mistyped indicator or entity is ESG-CLI-001 with the closest codes; a fact the ledger
    does not have names the dimension keys and bases that do have a value."""
    from esgledger.cli import OptionError

    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\n"
              "TLYX,employees,2024,3000,人,\nTLYX,employees,2024,500,人,female\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    for cmd in ("explain", "history"):
        r = cli(wsdir, cmd, "employes", "--entity", "TLYX", "--period", "2024")
        assert r.exit_code == 1 and isinstance(r.exception, OptionError), r.output
        p = r.exception.problem
        assert (p.code, str(p.params["field"]), p.params["found"]) == ("ESG-CLI-001", "INDICATOR", "employes")
        assert str(p.params["expected"]).startswith(
            "an indicator code of the library (esgledger indicators list), e.g. employees")
        r = cli(wsdir, cmd, "employees", "--entity", "TLYXX", "--period", "2024")
        p = r.exception.problem
        assert (str(p.params["field"]), str(p.params["expected"])) == (
            "--entity", "an entity code of the tree (esgledger entities tree), e.g. TLYX, TLYX-P2, TLYX-P1")
        # no such dimension key: the two that exist (no dims, and gender=female), own basis
        r = cli(wsdir, cmd, "employees", "--entity", "TLYX", "--period", "2024", "--dims", "gender=male")
        assert r.exit_code == 1
        assert ("no such value. employees has values at TLYX 2024 for these --dims (and --basis): "
                "(none) (own), gender=female (own)") in " ".join(r.output.split())
        r = cli(wsdir, cmd, "employees", "--entity", "TLYX", "--period", "2023")
        assert r.exit_code == 1 and "no such value: employees has no value at TLYX 2023" in r.output
        r = cli(wsdir, cmd, "employees", "--entity", "TLYX", "--period", "2023", lang="zh")
        assert "没有该数据：employees 在 TLYX 2023 没有任何数据" in r.output


def test_calc_run_counts_the_methodology_results_it_wrote(wsdir, tmp_path):
    """"wrote N" is every calculated revision the run appended: methodology results (here the
    diesel's CO2, Scope 1, energy) as well as consolidated and formula values."""
    import re

    from esgledger.workspace import open_workspace

    def calculated_revisions() -> int:
        with open_workspace(wsdir) as ws:
            return sum(1 for f in ws.store.iter_current(period="2024", basis=None) if f.status == "calculated") + \
                sum(f.revision - 1 for f in ws.store.iter_current(period="2024", basis=None) if f.status == "calculated")

    for i, litres in enumerate(("100000", "120000")):
        f = write(tmp_path / f"d{i}.csv", f"entity,indicator,period,value,unit\nTLYX,diesel_consumption,2024,{litres},升\n")
        assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
        before = calculated_revisions()
        r = cli(wsdir, "calc", "run", "--period", "2024")
        assert r.exit_code == 0, r.output
        wrote = int(re.search(r"wrote (\d+)", r.output).group(1))
        assert wrote == calculated_revisions() - before > 0


def test_factor_tables_history_and_errors_read_in_chinese(wsdir, tmp_path):
    from esgledger.cli import OptionError

    r = cli(wsdir, "factors", "list", lang="zh")
    assert r.exit_code == 0 and "因子集" in r.output and "优先级" in r.output
    r = cli(wsdir, "factors", "show", "gwp", "--set", "gwp", lang="zh")
    assert r.exit_code == 0 and "有效期" in r.output and "置信度" in r.output and "来源" in r.output
    r = cli(wsdir, "factors", "show", "grid.ef", "--set", "cn_gird")  # a typo names the set, not the key
    p = r.exception.problem
    assert isinstance(r.exception, OptionError) and (p.params["field"], p.params["found"]) == ("--set", "cn_gird")
    assert str(p.params["expected"]) == "a factor set in use (esgledger factors list), e.g. cn_grid"
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,3000,人\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    r = runner.invoke(app, ["--lang", "zh", "-w", str(wsdir), "history", "employees", "--entity", "TLYX",
                            "--period", "2024"], env={"COLUMNS": "300"})  # a wide terminal: no cell cut short
    assert "已提交" in r.output and "导入 f.csv:2" in r.output
    r = cli(wsdir, "errors", "list", lang="zh")
    assert "错误" in r.output and "警告" in r.output


def test_a_bad_factor_file_is_reported_in_the_users_language(wsdir):
    (wsdir / "factors").mkdir(exist_ok=True)
    (wsdir / "factors" / "plant.yaml").write_text(
        'set: plant\nversion: "1"\ntitle: {zh: 自测, en: Measured}\npriority: 90\nfactors:\n'
        '  - {key: grid.ef, dims: {basis: average, area: national}, value: "0.5", unit: GJ/t, '
        'valid_from: 2024, valid_to: 2024, source: "plant meter", confidence: R}\n', encoding="utf-8")
    from esgledger.cli import _message
    from esgledger.library.factors import FactorError

    r = cli(wsdir, "factors", "list", lang="zh")
    assert isinstance(r.exception, FactorError)  # main() prints _message and exits with 1
    STATE.lang = "zh"
    try:
        assert "plant.yaml:6 (grid.ef): ESG-FACTOR-002 因子单位与键不匹配：grid.ef 的单位 GJ/t 无法换算为 tCO2/MWh" \
            in _message(r.exception)
    finally:
        STATE.lang = "en"
    assert "plant.yaml:6 (grid.ef): ESG-FACTOR-002 factor unit does not fit its key" in _message(r.exception)


def test_calc_targets_names_an_unknown_entity(wsdir):
    from esgledger.cli import OptionError

    r = cli(wsdir, "calc", "targets", "--period", "2024", "--entity", "TSALL")
    assert isinstance(r.exception, OptionError)
    assert (r.exception.problem.params["field"], str(r.exception.problem.params["expected"])) == (
        "--entity", "an entity code of the tree (esgledger entities tree), e.g. TSAL")


def test_indicators_list_takes_short_framework_names_and_checks_the_topic(wsdir):
    from esgledger.cli import OptionError

    r = cli(wsdir, "indicators", "list", "--framework", "issb", "--format", "csv")
    assert r.exit_code == 0 and "scope1_emissions" in r.output  # issb = issb_s2
    r = cli(wsdir, "indicators", "list", "--topic", "climate_chang")
    assert isinstance(r.exception, OptionError)
    assert str(r.exception.problem.params["expected"]).endswith("e.g. climate_change")
    r = runner.invoke(app, ["--lang", "zh", "-w", str(wsdir), "indicators", "list"], env={"COLUMNS": "300"})
    assert "代码" in r.output and "填报" in r.output
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "indicators", "list"], env={"COLUMNS": "300"})
    assert "CNY 100m" in r.output and "亿元" not in r.output  # units in the reader's language


def test_version_and_a_single_error_said_in_the_singular(wsdir, tmp_path):
    from esgledger import __version__

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"esgledger {__version__}"
    f = write(tmp_path / "bad.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,x,人\n")
    r = cli(wsdir, "facts", "import", str(f))
    assert "1 error: nothing was written" in r.output


def test_explain_says_when_an_input_changed_after_the_calculation(wsdir, tmp_path):
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\n"
              "TLYX,employees,2024,3000,人,\nTLYX,employees,2024,500,人,female\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    assert cli(wsdir, "calc", "run", "--period", "2024").exit_code == 0
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert "newer revision" not in r.output
    g = write(tmp_path / "g.csv", "entity,indicator,period,value,unit,gender\nTLYX,employees,2024,510,人,female\n")
    assert cli(wsdir, "facts", "import", str(g)).exit_code == 0
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert "note: 1 input has a newer revision since this value was calculated " \
           "(e.g. TLYX employees[gender=female] 2024)" in " ".join(r.output.split())
    assert cli(wsdir, "calc", "run", "--period", "2024").exit_code == 0
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert "newer revision" not in r.output and "510" in r.output


def test_explain_says_no_run_is_due_after_an_approval_that_changes_no_value(wsdir, tmp_path):
    # the female count approved as submitted: a newer revision with the same value, which a run
    # would read to the same share and so write nothing; the note would never go away
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\n"
              "TLYX,employees,2024,3000,人,\nTLYX,employees,2024,500,人,female\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    assert cli(wsdir, "calc", "run", "--period", "2024").exit_code == 0
    g = write(tmp_path / "g.csv", "entity,indicator,period,value,unit,gender\nTLYX,employees,2024,500,人,female\n")
    assert cli(wsdir, "facts", "import", str(g), "--status", "approved").exit_code == 0
    r = cli(wsdir, "history", "employees", "--entity", "TLYX", "--period", "2024", "--dims", "gender=female",
            "--json")
    assert [h["status"] for h in json.loads(r.output)] == ["submitted", "approved"]  # two revisions
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert r.exit_code == 0 and "newer revision" not in r.output
    r = cli(wsdir, "calc", "run", "--period", "2024", "--json")  # and indeed a run changes nothing
    assert json.loads(r.output)["written"] == 0
    # the same in Chinese: no note
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024", lang="zh")
    assert r.exit_code == 0 and "新的版本" not in r.output


def test_explain_says_a_run_is_due_after_an_input_is_withdrawn(wsdir, tmp_path):
    _employees_calculated(wsdir, tmp_path)
    r = cli(wsdir, "facts", "withdraw", "employees", "--entity", "TRNY", "--period", "2024",
            "--dims", "gender=female", "--reason", "counted twice")
    assert r.exit_code == 0, r.output
    # the group's share still reads TRNY's 100 women: a run would compute it without them
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert "note: 1 input has a newer revision since this value was calculated " \
           "(e.g. TRNY employees[gender=female] 2024)" in " ".join(r.output.split())
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024", lang="zh")
    assert "1 项输入数据已有新的版本（如 TRNY employees[gender=female] 2024）" in "".join(r.output.split("\n"))
    assert cli(wsdir, "calc", "run", "--period", "2024").exit_code == 0
    r = cli(wsdir, "explain", "female_employee_share", "--entity", "TSAL", "--period", "2024")
    assert r.exit_code == 0 and "newer revision" not in r.output


def test_dims_by_chinese_names_and_a_bad_one(wsdir, tmp_path):
    from esgledger.cli import OptionError

    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\nTLYX,employees,2024,500,人,female\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    r = cli(wsdir, "history", "employees", "--entity", "TLYX", "--period", "2024", "--dims", "性别=女性", "--json")
    assert r.exit_code == 0 and json.loads(r.output)[0]["value"] == "500"
    r = cli(wsdir, "explain", "employees", "--entity", "TLYX", "--period", "2024", "--dims", "gender=x")
    assert isinstance(r.exception, OptionError) and r.exception.problem.params["field"] == "--dims"
    # an unknown member is named as such, with the dimension's members (and their names in zh);
    # an unknown dimension lists the dimensions (UAT: both said only "expected dimension=member")
    expected = r.exception.problem.params["expected"]
    assert expected.en == "a member of gender (Gender): female, male"
    assert expected.zh == "性别（gender）的成员：female（女性）、male（男性）"
    r = cli(wsdir, "explain", "employees", "--entity", "TLYX", "--period", "2024", "--dims", "sex=female")
    expected = r.exception.problem.params["expected"]
    assert expected.en.startswith("dimension=member;") and ", gender, " in expected.en


def test_a_calculated_revision_names_who_ran_the_calculation(wsdir, tmp_path):
    from esgledger.store.access import local_name

    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit,gender\n"
              "TLYX,employees,2024,3000,人,\nTLYX,employees,2024,500,人,female\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    assert cli(wsdir, "calc", "run", "--period", "2024").exit_code == 0
    r = cli(wsdir, "history", "employees", "--entity", "TSAL", "--period", "2024", "--basis", "control", "--json")
    [rev] = json.loads(r.output)
    assert rev["status"] == "calculated" and rev["author"] == local_name()  # a single-user workspace


def test_explain_shows_the_equation_a_calculated_value_was_computed_by(wsdir, tmp_path):
    """The equation the lineage records (IPCC 2006 Eq.4.21 for prebake anodes) is printed under
    the value, in the reader's language's words around it."""
    f = write(tmp_path / "al.csv", "entity,indicator,period,value,unit\n"
                                   "TLYX-P1,aluminium_output,2024,59,万吨\n"
                                   "TLYX-P1,net_anode_consumption,2024,24.4,万吨\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    assert cli(wsdir, "calc", "run", "--period", "2024").exit_code == 0
    r = cli(wsdir, "explain", "emissions_by_source", "--entity", "TLYX-P1", "--period", "2024",
            "--dims", "emission_source=anode")
    assert r.exit_code == 0, r.output
    assert "equation E = NAC × MP × (100 − S_a − Ash_a)/100 × 44/12 (IPCC 2006 Vol.3 Eq.4.21" in r.output
    # the value as the report prints it, thousands grouped, the exact one beside it ungrouped
    import re

    head = r.output.splitlines()[0]
    shown, exact = re.search(r"2024: ([\d,.]+) t CO2e  \[exact ([\d.]+)\]", head).groups()
    assert len(shown.replace(",", "").split(".")[0]) > 3 and "," in shown and "," not in exact
    assert shown == f"{round(float(exact), 2):,.2f}"
    r = cli(wsdir, "explain", "emissions_by_source", "--entity", "TLYX-P1", "--period", "2024",
            "--dims", "emission_source=anode", lang="zh")
    # worded in Chinese, the symbols and the citation's numbers as recorded
    assert ("公式 E = NAC × MP × (100 − S_a − Ash_a)/100 × 44/12（IPCC 2006 第3卷 式4.21；40 CFR 98 式F-5；"
            "国家发展改革委 2013 / GB/T 32151.4-2015 §5.2）") in r.output
    # (a factor line's edition and source are the factor data's own text, shown as recorded)
    assert "Vol.3" not in next(ln for ln in r.output.splitlines() if "公式 " in ln)


def test_tables_fold_what_does_not_fit_instead_of_cutting_it(wsdir):
    """At 80 columns Rich cut cells with "…" (``operating_rev…``, ``1,775,…``, ``化石燃…``):
    every table of the command line folds them, so each cell's text is all there."""
    from rich.console import Console

    from esgledger.cli_table import Table

    for lang in ("zh", "en"):
        r = runner.invoke(app, ["--lang", lang, "-w", str(wsdir), "indicators", "list"], terminal_width=80)
        assert r.exit_code == 0 and "…" not in r.output
    t = Table("code", "名称", "value")
    t.add_row("net_profit_parent_company", "一般废弃物循环利用量（集团合并）", "1,775,123,456.78")
    console = Console(width=40, record=True)
    console.print(t)
    lines = console.export_text().splitlines()
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    assert ["".join(col) for col in zip(*cells)] == [
        "net_profit_parent_company", "一般废弃物循环利用量（集团合并）", "1,775,123,456.78"]


def test_an_import_into_a_new_workspace_says_the_entity_tree_is_still_to_import(tmp_path):
    """A new workspace has no entity tree: every row's entity is unknown, and the message says
    why and what to do first, in either language."""
    d = tmp_path / "new"
    assert runner.invoke(app, ["--lang", "en", "init", str(d)]).exit_code == 0
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTSAL,employees,2024,5,人\n")
    r = cli(d, "facts", "import", str(f))
    assert r.exit_code == 1
    assert ("ESG-IMPORT-003 unknown entity: entity TSAL is not in the entity tree; the entity tree is empty: "
            "import it first with esgledger entities import") in r.output
    r = cli(d, "facts", "import", str(f), lang="zh")
    assert "组织树中不存在主体 TSAL；组织树为空，请先用 esgledger entities import 导入组织树" in r.output


def test_a_dry_run_of_an_entity_import_says_it_checked_and_wrote_nothing(tmp_path):
    """It printed nothing at all (UAT): now a line in the reader's language."""
    from tests.conftest import DEMO_ENTITIES

    d = tmp_path / "ws"
    assert runner.invoke(app, ["--lang", "en", "init", str(d)]).exit_code == 0
    r = cli(d, "entities", "import", str(DEMO_ENTITIES), "--dry-run")
    # the demo tree: 12 entities (12 "- code:" items), 11 with a parent (TSAL is the root) (UAT3 L12)
    assert r.exit_code == 0 and r.output.strip() == (
        "checked: no errors; the file has 12 entities (12 new, 0 already in the tree) and 11 memberships; "
        "nothing written (--dry-run)")
    r = cli(d, "entities", "import", str(DEMO_ENTITIES), "--dry-run", lang="zh")
    assert "检查通过：文件中有 12 个主体（新增 12 个，已在组织树中 0 个）、11 条隶属关系；未写入任何内容（--dry-run）" in r.output
    assert "TSAL" not in cli(d, "entities", "export", "--format", "csv").output  # nothing written


def test_python_dash_m_runs_the_same_command_line(tmp_path):
    """``python -m esgledger`` is the ``esgledger`` script: same version, same error handling
    (a catalogued message and exit code 1, not a traceback)."""
    import subprocess
    import sys

    from esgledger import __version__

    r = subprocess.run([sys.executable, "-m", "esgledger", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == f"esgledger {__version__}"
    r = subprocess.run([sys.executable, "-m", "esgledger", "--lang", "en", "-w", str(tmp_path / "none"),
                        "facts", "import", str(tmp_path / "missing.csv")], capture_output=True, text=True)
    assert r.returncode != 0 and "Traceback" not in r.stderr and "ESG-" in r.stdout + r.stderr


@pytest.mark.parametrize("cmd", [("calc", "run"), ("calc", "reconcile"), ("validate",)])
def test_a_period_without_any_value_is_said_and_stops(wsdir, tmp_path, cmd):
    """UAT: `calc reconcile --period 2021` printed zero totals, `calc run --period 2025`
    "computed 0 values" and `validate --period 2030` "no problems found", all with exit code 0,
    for years the ledger has nothing for. A month of the year counts as the year having data."""
    r = cli(wsdir, *cmd, "--period", "2031")
    assert r.exit_code == 1 and "the ledger has no value for 2031" in r.output
    r = cli(wsdir, *cmd, "--period", "2031", lang="zh")
    assert r.exit_code == 1 and "台账中没有 2031 的任何数据" in r.output
    f = write(tmp_path / "m.csv", "entity,indicator,period,value,unit\nTLYX,electricity_consumption,2031-03,10,兆瓦时\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    r = cli(wsdir, *cmd, "--period", "2031")
    assert "the ledger has no value" not in r.output


def test_an_import_with_more_errors_than_are_listed_says_so(wsdir, tmp_path, monkeypatch):
    """UAT: 26,400 bad rows ended with "10000 errors", the cap on listed problems, not the count."""
    import esgledger.collect.interchange as interchange

    monkeypatch.setattr(interchange, "MAX_PROBLEMS", 3)
    f = write(tmp_path / "bad.csv", "entity,indicator,period,value,unit\n"
              + "".join(f"TLYX,employees,2024,x{i},人\n" for i in range(5)))
    r = cli(wsdir, "facts", "import", str(f))
    assert r.exit_code == 1 and "3 errors or more (only the first 3 are listed): nothing was written" in r.output
    r = cli(wsdir, "facts", "import", str(f), lang="zh")
    assert "至少 3 个错误（只列出前 3 个），未写入任何数据" in r.output
    monkeypatch.setattr(interchange, "MAX_PROBLEMS", 10)
    assert "5 errors: nothing was written" in cli(wsdir, "facts", "import", str(f)).output


def test_table_cells_show_square_brackets_as_typed(wsdir, tmp_path):
    """A reason typed as "[draft] duplicate row" is text: Rich took "[draft]" for markup and the
    history table showed " duplicate row"."""
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,3000,人\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    assert cli(wsdir, "facts", "withdraw", "employees", "--entity", "TLYX", "--period", "2024",
               "--reason", "[draft] duplicate row").exit_code == 0
    r = runner.invoke(app, ["--lang", "en", "-w", str(wsdir), "history", "employees", "--entity", "TLYX",
                            "--period", "2024"], env={"COLUMNS": "250"})
    assert "[draft] duplicate row" in r.output
