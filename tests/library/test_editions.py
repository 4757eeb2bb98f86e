"""A factor value's edition cited in the reader's language (audit A3-L6): the factor files'
``editions`` (recorded edition → {zh, en}), read by ``factors show``, ``explain`` and the
report's factor notes; a published title stays as published."""
from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.library.editions import cited_edition, edition_text
from esgledger.library.factors import load_factor_sets, load_factor_sets_from
from tests.calc.test_factors import ROOT
from tests.conftest import write

runner = CliRunner()
CJK = re.compile(r"[\u4e00-\u9fff]")

OWN_SET = """set: tianlu_lab
version: "2024.1"
title: {zh: 天铝有限实测参数, en: Tianlu measured parameters}
priority: 50
defaults: {confidence: V, edition: "2024 laboratory reports", source: "天铝有限化验室 2024年阳极化验报告"}
editions:
  "2024 laboratory reports": {zh: "天铝有限化验室2024年化验报告（置信度 {confidence}）",
                              en: "Tianlu laboratory reports 2024 (confidence {confidence})"}
factors:
  - {key: al.anode.nac, value: "0.395", unit: tC/t, valid_from: 2024, valid_to: 2024}
"""


def cli(ws, *args, lang="en"):
    try:
        return runner.invoke(app, ["--lang", lang, "-w", str(ws.path), *args], env={"COLUMNS": "400"})
    finally:
        STATE.lang = "en"


def test_every_shipped_edition_is_cited_in_both_languages():
    lib = load_factor_sets()
    uncited = sorted({(v.set_name, v.edition) for v in lib.values()
                      if cited_edition(lib, v.edition, "zh", v.confidence, v.set_name) is None
                      or cited_edition(lib, v.edition, "en", v.confidence, v.set_name) is None})
    assert uncited == []
    # a Chinese citation reads in Chinese; the confidence of a default is filled in
    assert [e for s in lib.sets.values() for e, t in s.editions if not CJK.search(t.zh)] == []
    assert edition_text("MEE guideline Appendix A (current edition)", "zh") == \
        "生态环境部《企业温室气体排放核算与报告指南》附录A（现行版）"
    assert edition_text("IPCC SAR (1995)", "zh") == "IPCC第二次评估报告（1995年）"
    assert edition_text("esgledger default", "en", "R") == "esgledger default value, no public source, confidence R"
    assert edition_text("esgledger default", "zh") == "esgledger 缺省值，无公开来源，置信度 未注明"


def test_factors_show_cites_the_edition_in_the_readers_language(sqlite_workspace):
    ws = sqlite_workspace
    zh = cli(ws, "factors", "show", "gwp", "--set", "gwp", lang="zh")
    assert zh.exit_code == 0, zh.output
    assert "IPCC第五次评估报告（2013年）" in zh.stdout and "IPCC AR5 (2013)" not in zh.stdout
    assert "IPCC第二次评估报告（1995年）" in zh.stdout
    # the source is the file's, the report's title as published: not translated
    assert "IPCC Fifth Assessment Report, WG I (2013), GWP100" in zh.stdout
    en = cli(ws, "factors", "show", "gwp", "--set", "gwp")
    assert "IPCC Fifth Assessment Report (2013)" in en.stdout
    rows = json.loads(cli(ws, "factors", "show", "gwp", "--set", "gwp", "--json").stdout)
    ar5 = next(r for r in rows if r["dims"] == {"gas": "CF4", "gwp_set": "AR5"})
    assert (ar5["edition"], ar5["edition_cited"]) == ("IPCC AR5 (2013)", {
        "zh": "IPCC第五次评估报告（2013年）", "en": "IPCC Fifth Assessment Report (2013)"})


def test_a_workspaces_own_set_cites_its_editions(sqlite_workspace):
    ws = sqlite_workspace
    (ws.path / "factors").mkdir(exist_ok=True)
    write(ws.path / "factors" / "tianlu_lab.yaml", OWN_SET)
    zh = cli(ws, "factors", "show", "al.anode.nac", "--set", "tianlu_lab", lang="zh")
    assert zh.exit_code == 0, zh.output
    assert "天铝有限化验室2024年化验报告（置信度 V）" in zh.stdout
    en = cli(ws, "factors", "show", "al.anode.nac", "--set", "tianlu_lab")
    assert "Tianlu laboratory reports 2024 (confidence V)" in en.stdout
    # a set without editions: its edition as recorded (no "edition" label in a column headed so)
    write(ws.path / "factors" / "tianlu_lab.yaml", "\n".join(
        ln for ln in OWN_SET.splitlines() if not ln.startswith(("editions:", "  \"2024", "                "))) + "\n")
    zh = cli(ws, "factors", "show", "al.anode.nac", "--set", "tianlu_lab", lang="zh")
    assert zh.exit_code == 0, zh.output
    assert "2024 laboratory reports" in zh.stdout
    assert edition_text("2024 laboratory reports", "en") == "edition 2024 laboratory reports"


def test_an_edition_no_value_records_is_a_file_error_at_its_line(tmp_path):
    # line 7: the citation of "2024 lab reports", which no value records ("2024 laboratory reports")
    path = write(tmp_path / "tianlu_lab.yaml", OWN_SET.replace('  "2024 laboratory reports": {zh',
                                                               '  "2024 lab reports": {zh'))
    got, problems = load_factor_sets_from(ROOT, [path])
    assert got is None
    assert problems.flat() == [(f"{path}:7 (editions)", "ESG-FACTOR-004")]
    assert "field editions: expected an edition a value of this set records: 2024 laboratory reports, " \
           "found 2024 lab reports" in problems[0].render("en")
    assert "字段 editions：应为 本因子集数值所记录的版本之一：2024 laboratory reports，实际为 2024 lab reports" \
        in problems[0].render("zh")
