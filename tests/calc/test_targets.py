"""`esgledger calc targets`: targets against a baseline year, with hand-worked numbers."""
from __future__ import annotations

import json
from decimal import Decimal

from typer.testing import CliRunner

from esgledger.calc.targets import load_targets, read_targets, shipped_file
from esgledger.cli import app
from tests.conftest import write

runner = CliRunner()

TARGETS = """targets:
  - code: njts_energy
    name: {zh: 南疆碳素能耗下降13.5%, en: NJTS energy -13.5 %}
    indicator: industrial_output_value
    entity: NJTS
    baseline_year: 2021
    target_year: 2025
    change_pct: "-13.5"
    source: test
"""


def cli(ws, *args, lang="en"):
    return runner.invoke(app, ["--lang", lang, "-w", str(ws.path), *args])


def test_shipped_targets_are_the_seeds_two():
    by_code = {t.code: t for t in read_targets(shipped_file())}
    e, c = by_code["energy_per_output_value_2025"], by_code["co2_per_product_2025"]
    assert (e.indicator, e.baseline_year, e.target_year, str(e.change_pct)) == (
        "energy_intensity_output_value", 2021, 2025, "-13.5")
    assert (c.indicator, c.baseline_year, c.target_year, str(c.change_pct)) == (
        "co2_per_tonne_aluminium", 2021, 2025, "-18")
    # the seed publishes no 2021 value: no baseline is invented
    assert e.baseline_value is None and c.baseline_value is None


def test_progress_by_hand(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    write(ws.path / "targets.yaml", TARGETS)
    rep = ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                                "NJTS,industrial_output_value,2021,1000,万元\n"
                                "NJTS,industrial_output_value,2024,900,万元\n"))
    assert rep.ok, rep.problems.flat()
    r = cli(ws, "calc", "targets", "--period", "2024", "--json")
    rows = {row["target"]: row for row in json.loads(r.stdout[:r.stdout.rindex("]") + 1])}
    mine = rows["njts_energy"]
    # target 1000 × (1 − 0.135) = 865; change to date 900/1000 − 1 = −10 %;
    # progress −10 / −13.5 = 74.07 %; required 2024→2025: 865/900 − 1 = −3.888… % a year
    assert mine["baseline"] == "1000" and mine["current"] == "900" and mine["baseline_from"] == "ledger"
    assert round(float(mine["target_value"]), 6) == 865
    assert round(float(mine["progress_pct"]), 2) == 74.07
    assert round(float(mine["required_annual_pct"]), 3) == -3.889
    # the shipped targets have no 2021 data here: said so, with a non-zero exit
    assert rows["energy_per_output_value_2025"]["progress_pct"] is None
    assert r.exit_code == 1
    table = cli(ws, "calc", "targets", "--period", "2024")
    assert "74.1 %" in table.stdout and "-3.89 %" in table.stdout and "865.0000" in table.stdout


def test_the_even_path_is_linear_in_value_and_says_ahead_or_behind(sqlite_workspace, tmp_path):
    """Baseline 100 in 2021, −13.5 % by 2025: spread evenly, the change is −13.5 % / 4 = −3.375 %
    of the baseline a year, so 2024's even-path value is 100 × (1 − 0.135 × 3/4) = 89.875 (a
    constant annual rate would give 100 × 0.865^(3/4) = 89.69: not this convention)."""
    ws = sqlite_workspace
    write(ws.path / "targets.yaml", TARGETS)
    ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\n"
                          "NJTS,industrial_output_value,2021,100,万元\n"
                          "NJTS,industrial_output_value,2024,90,万元\n"))

    def mine(*args, lang="en"):
        r = cli(ws, "calc", "targets", "--period", "2024", *args, lang=lang)
        return r, ({row["target"]: row for row in json.loads(r.stdout[:r.stdout.rindex("]") + 1])}["njts_energy"]
                   if "--json" in args else None)

    _r, row = mine("--json")
    # 90 > 89.875: above the path of a reduction target, behind it; the target 86.5 not reached
    assert (Decimal(row["even_path_value"]), Decimal(row["even_step_pct"]), row["against_even_path"],
            row["achieved"]) == (Decimal("89.875"), Decimal("-3.375"), "behind", False)
    en, _ = mine()
    assert "2024: 89.8750" in en.stdout and "behind" in en.stdout and "even path" in en.stdout
    zh, _ = mine(lang="zh")
    assert "均衡路径值" in zh.stdout and "2024: 89.8750" in zh.stdout and "落后" in zh.stdout

    # 89 is below the path (ahead), 89.875 exactly on it
    for value, state in (("89", "ahead"), ("89.875", "on")):
        ws.import_facts(write(tmp_path / "g.csv", "entity,indicator,period,value,unit\n"
                              f"NJTS,industrial_output_value,2024,{value},万元\n"))
        assert mine("--json")[1]["against_even_path"] == state
    assert "持平" in mine(lang="zh")[0].stdout


def test_baseline_unavailable_is_reported_not_invented(sqlite_workspace):
    """ESG-CALC-006, in both languages."""
    ws = sqlite_workspace
    r = cli(ws, "calc", "targets", "--period", "2024")
    assert r.exit_code == 1
    assert "ESG-CALC-006" in r.output and "no value for 2021 / 2024 in the ledger" in r.output
    zh = cli(ws, "calc", "targets", "--period", "2024", lang="zh")
    assert "目标无法评估" in zh.output and "台账中没有 2021 / 2024 的数据" in zh.output


def test_a_published_baseline_in_the_workspace_file(sqlite_workspace, tmp_path):
    ws = sqlite_workspace
    write(ws.path / "targets.yaml", TARGETS.replace("    source: test", '    baseline_value: "1200"\n    source: test'))
    ws.import_facts(write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nNJTS,industrial_output_value,2024,900,万元\n"))
    r = cli(ws, "calc", "targets", "--period", "2024", "--json")
    row = {x["target"]: x for x in json.loads(r.stdout[:r.stdout.rindex("]") + 1])}["njts_energy"]
    # 1200 × 0.865 = 1038; change 900/1200 − 1 = −25 %, beyond the −13.5 %: progress 185.19 %
    assert row["baseline_from"].endswith("targets.yaml") and round(float(row["target_value"]), 6) == 1038
    assert round(float(row["progress_pct"]), 2) == 185.19


def test_a_bad_targets_file_names_the_field(sqlite_workspace):
    ws = sqlite_workspace
    write(ws.path / "targets.yaml", TARGETS.replace('change_pct: "-13.5"', "change_pct: lots"))
    r = cli(ws, "calc", "targets", "--period", "2024")
    assert r.exit_code == 1 and "ESG-LIB-002" in r.output and "targets[0].change_pct" in r.output
    assert len(load_targets(None)) == 2


def test_a_target_whose_arithmetic_cannot_run_says_why_in_both_languages():
    """A zero baseline has no percentage change: ESG-CALC-005, its reason in zh and en."""
    from decimal import Decimal

    from esgledger.calc.targets import assess

    [t] = [t for t in load_targets(None) if t.code == "co2_per_product_2025"]
    [a] = assess([t], "2024", "TSAL", lambda e, i, y: Decimal(0) if y == str(t.baseline_year) else Decimal(10))
    assert a.problem is not None and a.problem.code == "ESG-CALC-005"
    found = a.problem.params["found"]  # the reason itself, in both languages
    assert found.zh != found.en and any("\u4e00" <= ch <= "\u9fff" for ch in found.zh)
    assert found.zh in a.problem.render("zh") and found.en in a.problem.render("en")


def test_a_targets_file_saved_as_gbk_is_named_not_a_traceback(sqlite_workspace):
    # 单 (0xb5 0xa5 in GBK) opens line 2's value: 'name: 单…', its 7th character
    ws = sqlite_workspace
    (ws.path / "targets.yaml").write_bytes("targets:\nname: 单位能耗\n".encode("gbk"))
    r = cli(ws, "calc", "targets", "--period", "2024")
    assert r.exit_code == 1 and "targets.yaml:2: ESG-LIB-001" in r.output and "Traceback" not in r.output
    assert "byte 0xb5 at line 2, column 7" in r.output
