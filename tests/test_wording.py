"""UAT findings 10, 13 and 14–15 (the parts outside the report build): counts with their nouns,
ranges as a person writes them, whole titles, help and units in the user's language, and
methods and factor sets by their names."""
from __future__ import annotations

from decimal import Decimal

import pytest
import typer
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.cli_help import ZH, help_lang
from esgledger.model.errors import Bilingual, Problem
from esgledger.model.i18n import fmt
from esgledger.model.units import range_text
from esgledger.report.figure_notes import method_name
from esgledger.report.numbers import english_amount
from tests.conftest import write

runner = CliRunner()


def cli(wsdir, *args, lang="en", **kw):
    return runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args], **kw)


# -- 10: counts, ranges, whole titles --------------------------------------------------------
def test_a_count_takes_its_noun_in_the_singular_or_the_plural():
    assert fmt("checked {n:row|rows}", n=1) == "checked 1 row"
    assert fmt("checked {n:row|rows}", n=0) == "checked 0 rows"
    assert fmt("{e:error|errors}: nothing was written", e=2) == "2 errors: nothing was written"
    assert fmt("{n:warning needs|warnings need} a comment", n=1) == "1 warning needs a comment"


def test_cli_counts_read_as_english(wsdir, tmp_path):
    ok = write(tmp_path / "ok.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,3000,人\n")
    r = cli(wsdir, "facts", "import", str(ok), "--dry-run")
    assert r.exit_code == 0 and "dry run: checked 1 row (1 fact to write), wrote nothing" in r.output
    bad = write(tmp_path / "bad.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,1.5,人\n")
    r = cli(wsdir, "facts", "import", str(bad))
    assert r.exit_code == 1
    assert "1 error: nothing was written" in r.output
    # the message reads as a sentence whatever is expected (the code stays ESG-IMPORT-014)
    assert ("bad.csv:2 [value]: ESG-IMPORT-014 value out of range: found 1.5, expected a whole number "
            "(indicator employees)") in r.output
    r = cli(wsdir, "facts", "import", str(bad), lang="zh")
    assert "ESG-IMPORT-014 数值超出范围：实际为 1.5，应为 整数（指标 employees）" in r.output
    assert "存在 1 个错误，未写入任何数据" in r.output


def test_collect_messages_count_in_the_singular():
    from esgledger import cli_collect

    STATE.lang = "en"
    assert cli_collect.tr("templates", n=1, d="out") == "wrote 1 workbook to out"
    assert cli_collect.tr("templates", n=3, d="out") == "wrote 3 workbooks to out"
    assert cli_collect.tr("rejected", f="a.xlsx", e=1) == "a.xlsx: 1 error, nothing was written"
    assert cli_collect.tr("summary", n=1, parts="") == "1 entity: "


def test_ranges_read_as_a_person_writes_them():
    t = range_text(0.0, None, "人", integer=True)
    assert (t.en, t.zh) == ("a whole number ≥ 0 persons", "≥ 0 人的整数")
    t = range_text(0, 100, "%")
    assert (t.en, t.zh) == ("from 0 to 100 %", "0–100 %")
    t = range_text(None, 1000, "万元")
    assert (t.en, t.zh) == ("≤ 1,000 CNY 10k", "≤ 1,000 万元")
    assert range_text(integer=True).en == "a whole number" and range_text(integer=True).zh == "整数"
    # a problem given one renders it in each language
    p = Problem("ESG-IMPORT-014", params={"found": "-1", "indicator": "employees",
                                          "expected": range_text(0, None, "人", integer=True)})
    assert p.message("en") == "value out of range: found -1, expected a whole number ≥ 0 persons (indicator employees)"
    assert p.message("zh") == "数值超出范围：实际为 -1，应为 ≥ 0 人的整数（指标 employees）"
    p = Problem("ESG-VAL-004", params={"indicator": "female_employee_share", "period": "2024", "entity": "TSAL",
                                       "name": Bilingual("女性员工占比", "Female share"),
                                       "found": "120.00 %", "expected": range_text(0, 100, "%")})
    assert p.message("en") == ("value outside its indicator's range: Female share (female_employee_share) 2024 at "
                               "TSAL: 120.00 % is out of range, expected from 0 to 100 %")
    assert p.message("zh") == ("数值超出指标允许范围：TSAL 2024 的 女性员工占比（female_employee_share）："
                               "120.00 % 超出允许范围（应为 0–100 %）")


# -- 13: help in Chinese ----------------------------------------------------------------------
def _all_help_texts():
    from typer.main import get_command

    stack, out = [get_command(app)], []
    while stack:
        c = stack.pop()
        out.append((c.name, c.help))
        out += [(f"{c.name} {p.name}", p.help) for p in c.params if getattr(p, "help", None)]
        stack.extend(getattr(c, "commands", {}).values())
    return out


def test_every_help_text_has_a_chinese_one():
    import inspect

    missing = [(where, text) for where, text in _all_help_texts() if text and inspect.cleandoc(text) not in ZH]
    assert missing == []


def test_help_is_chinese_under_lang_zh_and_english_otherwise(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ESGLEDGER_LANG", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    r = runner.invoke(app, ["--lang", "zh", "--help"])
    assert r.exit_code == 0
    assert "esgledger：工业集团的能源–碳–ESG 台账。" in r.output and "显示此帮助并退出。" in r.output
    assert "选项" in r.output and "命令" in r.output
    r = runner.invoke(app, ["--lang", "zh", "calc", "run", "--help"])
    assert "运行核算方法、计算派生指标并沿组织树向上合并；只写入数值有变化的结果。" in r.output and "全部重算" in r.output
    r = runner.invoke(app, ["--lang=zh", "report", "build", "--help"])
    assert "报告语言：zh、en 或 both（两种）。" in r.output
    r = runner.invoke(app, ["--help"])
    assert "Show this message and exit." in r.output and "显示此帮助" not in r.output
    assert "Options" in r.output


def test_chinese_help_wraps_instead_of_being_cut_at_80_columns(monkeypatch, tmp_path):
    """A Chinese help text has no spaces to break at: it was cut with "…" in the 80-column
    command list ("…原值与新值、来源 …"); it folds onto the next line, every character shown."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("ESGLEDGER_LANG", raising=False)
    out = {}
    for args in (["--lang", "zh", "--help"], ["--lang", "zh", "calc", "--help"]):
        r = runner.invoke(app, args, terminal_width=80)
        assert r.exit_code == 0 and "…" not in r.output, r.output
        # the panel's borders and the line breaks out, the whole sentence is there
        out[args[-2]] = "".join(line.strip("│ ").strip() for line in r.output.splitlines())
    assert "一条数据的全部版本（从旧到新）：操作人、时间、原值与新值、来源及原因。" in out["zh"]
    assert "由同一组明细行逐行得出各核算口径（温室气体清单、全国碳市场、产品碳足迹）的合计" in out["calc"]


def test_a_flag_shows_no_value_type_in_the_help(monkeypatch, tmp_path):
    """Audit A2-L7: Typer printed ``<bool>`` after every flag (``--dry-run <bool>``, ``--help
    <bool>``), as if it took a value (``--dry-run true``). No command's help, in either language,
    shows a type after a flag; an option that takes a value keeps its type, and one that repeats
    shows the type of one value, not ``<list[str]>``."""
    from typer.main import get_command

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ESGLEDGER_LANG", raising=False)
    stack, paths = [(get_command(app), [])], []
    while stack:
        c, path = stack.pop()
        paths.append(path)
        stack += [(sub, path + [name]) for name, sub in getattr(c, "commands", {}).items()]
    for lang in ("zh", "en"):
        shown = {" ".join(p): runner.invoke(app, ["--lang", lang, *p, "--help"], terminal_width=200).output
                 for p in paths}
        assert [p for p, out in shown.items() if "<bool>" in out] == []
        rows = [line.strip("│ ") for line in shown["facts import"].splitlines()]
        assert [r.split()[:2] for r in rows if r.startswith(("--dry-run", "--status", "--json", "--help"))] == [
            ["--dry-run", "全部检查，不写入。" if lang == "zh" else "Check"], ["--status", "<str>"],
            ["--json", "以" if lang == "zh" else "Print"], ["--help", "显示此帮助并退出。" if lang == "zh" else "Show"]]
        assert "--version " in shown[""] and "--version <" not in shown[""]
        # nor Python's list type for what repeats: the type of one value (the help says it repeats)
        assert [p for p, out in shown.items() if "<list[" in out] == []
        assert "--entity             <str>" in shown["facts export"]
        assert "files...      <Path>" in shown["collect import"]
        assert ("规则代码（可重复）" if lang == "zh" else "rule codes (repeatable)") in shown["validate"]


def test_help_language_follows_the_message_language_precedence(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ESGLEDGER_LANG", raising=False)
    monkeypatch.delenv("ESGLEDGER_WORKSPACE", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert help_lang(["calc", "--help"]) == "en"
    assert help_lang(["--lang", "zh", "calc", "--help"]) == "zh"
    assert help_lang(["calc", "run", "--lang", "zh"]) == "en"  # not a global option there
    ws = tmp_path / "zhws"
    ws.mkdir()
    (ws / "esgledger.toml").write_text('[workspace]\nlang = "zh"\n', encoding="utf-8")
    assert help_lang(["-w", str(ws), "facts", "--help"]) == "zh"
    assert help_lang(["--lang", "en", "-w", str(ws), "facts", "--help"]) == "en"
    monkeypatch.setenv("ESGLEDGER_LANG", "zh")
    assert help_lang(["--help"]) == "zh"
    r = runner.invoke(app, ["facts", "--help"])
    assert "数据的导入与导出（交换格式）。" in r.output
    monkeypatch.delenv("ESGLEDGER_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert help_lang(["--help"]) == "zh"


# -- 13: units and names in the user's language ------------------------------------------------
def test_history_and_explain_speak_the_users_language(wsdir, tmp_path):
    f = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTLYX,employees,2024,3000,人\n")
    assert cli(wsdir, "facts", "import", str(f)).exit_code == 0
    r = cli(wsdir, "history", "employees", "--entity", "TLYX", "--period", "2024")
    assert r.exit_code == 0 and "persons" in r.output and "人" not in r.output
    r = cli(wsdir, "history", "employees", "--entity", "TLYX", "--period", "2024", "--json")
    assert '"unit": "人"' in r.output  # data stays as stored
    r = cli(wsdir, "explain", "employees", "--entity", "TLYX", "--period", "2024", "--basis", "own", lang="zh")
    assert r.exit_code == 0
    assert "TLYX 员工总人数 employees 2024: 3000 人  ← 导入 #" in r.output and "f.csv:2" in r.output
    assert "import" not in r.output
    r = cli(wsdir, "explain", "employees", "--entity", "TLYX", "--period", "2024", "--basis", "own")
    assert "3000 persons  ← import #" in r.output


def test_methods_are_named_in_both_languages():
    assert method_name("aluminium:pfc_slope", "zh") == "阳极效应全氟化碳排放（斜率法）"
    assert method_name("aluminium:pfc_slope", "en") == "anode-effect PFC emissions (slope method)"
    assert method_name("product", "zh") == "产品碳足迹（集团内摇篮到大门）"
    assert method_name("inventory.scope3.c4", "zh") == "范围三 类别4 加总"
    assert method_name("ets.smelter", "en") == "national ETS accounting (aluminium smelter)"
    assert method_name("aluminium:some_new_variant", "en") == "aluminium smelting emissions"  # its family
    assert method_name("combustion", "en") == "combustion"  # unknown: as it is


def test_every_method_the_demo_records_has_a_name():
    from esgledger.report.figure_notes import METHOD_NAMES

    recorded = ["captive_power_plant", "fuel_combustion", "alumina_refinery:limestone", "inventory.scope1",
                "purchased_electricity", "inventory.scope3.c1", "inventory.scope3", "energy:calorific",
                "energy:equivalent", "anode_plant:pitch_volatiles", "anode_plant:packing_coke",
                "aluminium:anode_prebake_tier3", "aluminium:pfc_slope", "ets.smelter",
                "ets.auxiliary_electricity", "ets.power_plant", "ets.production", "ets.intensity",
                "energy.product:calorific", "product", "sum"]
    for m in recorded:
        assert m in METHOD_NAMES or m.startswith("inventory.scope3.c"), m
        assert method_name(m, "zh") != m and method_name(m, "en") != m


# -- 15: English names 万 and 亿 quantities by themselves ----------------------------------------
@pytest.mark.parametrize("value, precision, unit, expected", [
    ("1270.26", 2, "万吨", "12.70 million t"),
    # electricity in GWh/TWh (UAT4 F-M9): 135 × 10⁸ kWh = 13.5 × 10⁹ kWh; 5,653.9478 × 10⁴ kWh =
    # 56.539478 × 10⁶ kWh; 18,174,128.78 MWh = 18.174 × 10⁹ kWh (four significant digits)
    ("135", 0, "亿千瓦时", "13.5 TWh"),
    ("5653.9478", 4, "万千瓦时/年", "56.54 GWh per year"),
    ("18174128.78", 2, "兆瓦时", "18.17 TWh"),
    ("1233011.90", 2, "兆瓦时", "1.233 TWh"),
    ("184543.28", 2, "万元", "CNY 1.845 billion"),   # 1,845,432,800 yuan
    ("132861.32", 2, "万元", "CNY 1.329 billion"),
    ("7.00", 2, "万元", "CNY 70,000"),
    ("221.02", 2, "万tCO2e", "2.210 million t CO2e"),
    ("-12.5", 1, "万吨", "-125,000 t"),
])
def test_english_amounts(value, precision, unit, expected):
    assert english_amount(Decimal(value), precision, unit) == expected


def test_english_amount_leaves_other_units_alone():
    assert english_amount(Decimal("10.80"), 2, "tCO2e/t") is None
    assert english_amount(Decimal("360"), 0, "人") is None
    # 850.5 MWh = 850,500 kWh, under a GWh: it reads as it is, in MWh
    assert english_amount(Decimal("850.5"), 1, "兆瓦时") is None
    assert english_amount(Decimal("22431.32"), 2, "兆瓦时") == "22.43 GWh"   # 22,431,320 kWh


def test_explain_names_the_method_of_a_calculated_value():
    from types import SimpleNamespace

    from esgledger.cli import _method

    node = SimpleNamespace(method="aluminium:pfc_slope 1.0, AR5", method_parts=("aluminium:pfc_slope", "1.0", "AR5"))
    assert _method(node, "zh") == "阳极效应全氟化碳排放（斜率法），方法版本 1.0，GWP 取 AR5"
    assert _method(node, "en") == "anode-effect PFC emissions (slope method), method version 1.0, GWP AR5"
