"""``report init`` in a workspace that is not the reference company's (UAT3 H1).

The starting definition carries the reference report's chapters, and their narrative is the
reference company's own report (天山铝业集团股份有限公司, the seed report's issuer: see the
first page of shared/seed/000_3d13f24d4f2a16b8.txt). A new workspace's report must name the
workspace's organisation and say, until the user rewrites the texts, that they are a sample.
"""
from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.workspace import CONFIG_NAME, read_config, write_config
from tests.conftest import DEMO_ENTITIES, write

runner = CliRunner()
REFERENCE_ZH = "天山铝业集团股份有限公司"   # the seed report's issuer
OURS = "华宇铝业集团"                       # `init --name` of the UAT's workspace


def cli(wsdir, *args, lang="en"):
    return runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args])


@pytest.fixture
def wsdir(tmp_path):
    d = tmp_path / "ws"
    assert runner.invoke(app, ["--lang", "en", "init", str(d), "--name", OURS]).exit_code == 0
    assert cli(d, "entities", "import", str(DEMO_ENTITIES)).exit_code == 0
    facts = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTSAL,taxes_paid,2024,19.465,亿元\n")
    assert cli(d, "facts", "import", str(facts), "--status", "approved").exit_code == 0
    # the group's figures are the calculation's (a year never calculated stops the build: ESG-REPORT-009)
    assert cli(d, "calc", "run", "--period", "2024").exit_code == 0
    yield d
    STATE.lang = "en"


def test_init_names_the_workspace_and_marks_the_texts_as_the_reference_sample(wsdir):
    r = cli(wsdir, "report", "init", "--period", "2024", lang="zh")
    assert r.exit_code == 0, r.output
    assert f"报告名称为“{OURS}”（工作区名称）" in r.output and "sample_of" in r.output
    text = (wsdir / "report.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert raw["organisation"] == {"zh": OURS, "en": OURS}
    assert raw["sample_of"]["zh"] == REFERENCE_ZH
    # the reference company is named on the sample_of line only (its short name 天山铝业 in the
    # chapter title 走进天山铝业 became ours)
    assert [ln for ln in text.splitlines() if "天山" in ln] == [ln for ln in text.splitlines()
                                                              if ln.startswith("sample_of:")]
    company = next(c for c in raw["chapters"] if c["id"] == "company")
    assert company["title"]["zh"] == "走进" + OURS


def test_check_lists_the_sample_and_build_warns_until_sample_of_is_deleted(wsdir):
    assert cli(wsdir, "report", "init", "--period", "2024").exit_code == 0
    r = cli(wsdir, "report", "check", lang="zh")
    assert r.exit_code == 0 and "ESG-REPORT-008 叙述文字为示例" in r.output, r.output
    r = cli(wsdir, "report", "check", "--json", lang="zh")  # only the JSON: the warning is an item
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    sample = [i for i in data["items"] if i["kind"] == "sample_text"]
    assert len(sample) == 1 and sample[0]["status"] == "missing"
    assert sample[0]["text"] == f"叙述文字是参考公司（{REFERENCE_ZH}）报告的示例：请改写为本公司的内容"
    r = cli(wsdir, "report", "check", "--json")
    data = json.loads(r.output)
    assert [i["text"] for i in data["items"] if i["kind"] == "sample_text"] == [
        "the narrative texts are the reference company's (Tianshan Aluminum Group Co., Ltd.) sample: "
        "rewrite them for your organisation"]

    r = cli(wsdir, "report", "build", "--lang", "zh", "--format", "html", "-o", str(wsdir / "out"), lang="zh")
    assert r.exit_code == 0, r.output
    assert (f"report.yaml:16 (sample_of): ESG-REPORT-008 叙述文字为示例：取自{REFERENCE_ZH}的报告，"
            "请改写为本公司的内容，然后从报告定义中删除 sample_of") in r.output
    html = (wsdir / "out" / "report-2024.zh.html").read_text(encoding="utf-8")
    assert f"{OURS} 2024年度环境、社会和公司治理报告" in html
    assert f"本报告是{OURS}发布的2024年度" in html and "走进" + OURS in html

    # the user rewrote the texts and deleted the line: no warning, no item
    path = wsdir / "report.yaml"
    path.write_text("".join(ln for ln in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not ln.startswith("sample_of:")), encoding="utf-8")
    r = cli(wsdir, "report", "check", "--json")
    assert r.exit_code == 0 and "ESG-REPORT-008" not in r.output
    assert not [i for i in json.loads(r.output)["items"] if i["kind"] == "sample_text"]


def test_the_demo_is_the_reference_company_and_has_no_sample_flag(wsdir):
    config = read_config(wsdir / CONFIG_NAME)
    config["workspace"]["demo"] = True
    write_config(wsdir / CONFIG_NAME, config)
    assert cli(wsdir, "report", "init").exit_code == 0
    raw = yaml.safe_load((wsdir / "report.yaml").read_text(encoding="utf-8"))
    assert raw["organisation"]["zh"] == REFERENCE_ZH and "sample_of" not in raw
    r = cli(wsdir, "report", "check", "--json")
    assert "ESG-REPORT-008" not in r.output
