"""``esgledger report init | check | build`` driven as a user would, on a small workspace."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from tests.conftest import DEMO_ENTITIES, write

runner = CliRunner()


@pytest.fixture
def wsdir(tmp_path):
    d = tmp_path / "ws"
    assert runner.invoke(app, ["--lang", "en", "init", str(d)]).exit_code == 0
    assert runner.invoke(app, ["-w", str(d), "entities", "import", str(DEMO_ENTITIES)]).exit_code == 0
    facts = write(tmp_path / "f.csv", "entity,indicator,period,value,unit\nTSAL,taxes_paid,2024,19.465,亿元\n")
    assert runner.invoke(app, ["-w", str(d), "facts", "import", str(facts), "--status", "approved"]).exit_code == 0
    assert runner.invoke(app, ["-w", str(d), "calc", "run", "--period", "2024"]).exit_code == 0
    yield d
    STATE.lang = "en"


def cli(wsdir, *args, lang="en"):
    return runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args])


def test_init_writes_the_starting_definition_once(wsdir):
    r = cli(wsdir, "report", "init", "--period", "2024")
    assert r.exit_code == 0 and "wrote the report definition" in r.output
    assert (wsdir / "report.yaml").read_text(encoding="utf-8").startswith("# esgledger report definition")
    r = cli(wsdir, "report", "init", lang="zh")
    assert r.exit_code == 1 and "已存在" in r.output
    assert cli(wsdir, "report", "init", "--force").exit_code == 0


def test_build_writes_each_language_and_format(wsdir):
    assert cli(wsdir, "report", "init").exit_code == 0
    r = cli(wsdir, "report", "build", "--lang", "en", "--format", "html,xlsx", "-o", str(wsdir / "out"))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (wsdir / "out").iterdir()) == ["report-2024.en.html", "report-2024.en.xlsx"]
    html = (wsdir / "out" / "report-2024.en.html").read_text(encoding="utf-8")
    assert "paid CNY 1.947 billion in taxes" in html  # 19.47 亿元 in English (UAT 15)
    # placeholders without a value are reported with their line, and the build still succeeds
    assert "ESG-REPORT-007" in r.output and "report.yaml:" in r.output


def test_build_refuses_bad_options_and_a_missing_definition(wsdir):
    r = cli(wsdir, "report", "build")
    assert r.exit_code == 1 and "report init" in r.output
    assert cli(wsdir, "report", "init").exit_code == 0
    from esgledger.cli import _message

    # ESG-CLI-001 as every other option's value (was Click's English "Invalid value for …")
    r = cli(wsdir, "report", "build", "--lang", "fr", lang="zh")
    assert r.exit_code == 1 and _message(r.exception) == "(--lang): ESG-CLI-001 选项取值无效：--lang fr：应为 zh, en, both"
    r = cli(wsdir, "report", "build", "--format", "html,odt")
    assert r.exit_code == 1 and _message(r.exception) == \
        "(--format): ESG-CLI-001 invalid option value: --format odt: expected docx, html, md, pdf, xlsx"
    assert not (wsdir / "outputs").exists()  # refused before anything is built


def test_a_broken_definition_prints_its_problems(wsdir):
    (wsdir / "report.yaml").write_text("version: 1\ntitle: {zh: 报告, en: Report}\nperiod: 2024\n", encoding="utf-8")
    r = cli(wsdir, "report", "check")
    assert r.exit_code == 1
    assert "report.yaml:1 (organisation): ESG-REPORT-003" in r.output


def test_check_prints_the_gap_check_and_json(wsdir):
    assert cli(wsdir, "report", "init").exit_code == 0
    r = cli(wsdir, "report", "check", lang="zh")
    assert r.exit_code == 0 and "深交所指引第17号 2024年" in r.output
    r = cli(wsdir, "report", "check", "--json")
    data = json.loads(r.output)
    assert data["required_from"] == "all" and data["counts"]["missing"] > 0
    assert {i["kind"] for i in data["items"]} >= {"article", "placeholder"}
    assert cli(wsdir, "report", "check", "--strict").exit_code == 1


def test_build_names_its_timed_steps_in_the_users_language(wsdir):
    """UAT: the last line read 用时（秒）：setup 0.10, … in Chinese."""
    assert cli(wsdir, "report", "init").exit_code == 0
    r = cli(wsdir, "report", "build", "--lang", "zh", "--format", "html", "-o", str(wsdir / "out"), lang="zh")
    last = r.output.strip().splitlines()[-1]
    assert r.exit_code == 0 and last.startswith("用时（秒）：读取台账 ") and "，html " in last, r.output
    r = cli(wsdir, "report", "build", "--lang", "zh", "--format", "html", "-o", str(wsdir / "out"))
    last = r.output.strip().splitlines()[-1]
    assert r.exit_code == 0 and last.startswith("seconds: setup ") and ", html " in last, r.output


def test_the_checklist_is_left_out_of_the_report_unless_asked_for(wsdir):
    """UAT 4 F-M12: the filed HTML carries no gap checklist; ``--checklist`` adds it to an
    internal draft."""
    assert cli(wsdir, "report", "init").exit_code == 0
    r = cli(wsdir, "report", "build", "--lang", "en", "--format", "html", "-o", str(wsdir / "filed"))
    assert r.exit_code == 0, r.output
    assert "class=\"data checks\"" not in (wsdir / "filed" / "report-2024.en.html").read_text(encoding="utf-8")
    r = cli(wsdir, "report", "build", "--lang", "en", "--format", "html", "--checklist", "-o", str(wsdir / "draft"))
    assert r.exit_code == 0, r.output
    html = (wsdir / "draft" / "report-2024.en.html").read_text(encoding="utf-8")
    assert "class=\"data checks\"" in html and "SZSE No.17 disclosure check (2024)" in html


def test_check_counts_articles_apart_from_other_items(wsdir):
    assert cli(wsdir, "report", "init").exit_code == 0
    data = json.loads(cli(wsdir, "report", "check", "--json").output)
    articles = [i for i in data["items"] if i["kind"] in ("article", "topic_na")]
    assert sum(data["counts"].values()) == len(articles)
    assert sum(data["other"].values()) == len(data["items"]) - len(articles)
    # every item that is not disclosed says what to do
    assert all(i["action"] for i in data["items"] if i["status"] not in ("ok", "na"))
    r = cli(wsdir, "report", "check")
    assert "articles:" in r.output and "Other items to clear:" in r.output
    # an item that is not an article (here a chart without data) has a to-do status of its own,
    # never an article's "partly disclosed" (audit A5-L5)
    assert {i["status"] for i in data["items"] if i["kind"] == "chart"} == {"todo"}
    assert {i["kind"] for i in data["items"] if i["status"] == "partial"} <= {"article"}
    assert "→ to clear" in r.output
    assert "→ 待处理" in cli(wsdir, "report", "check", lang="zh").output


def test_unapproved_facts_point_at_commands_that_exist(wsdir, tmp_path):
    """Audit A5-M1: the to-do read "审批这些数据（esgledger review）", a command that does not
    exist, and the status its code (draft 1). A draft imported outside a collection campaign is
    imported again as approved; inside the year's campaign it is submitted, reviewed and approved
    with the collect commands of its entity."""
    assert cli(wsdir, "report", "init").exit_code == 0
    draft = write(tmp_path / "d.csv", "entity,indicator,period,value,unit\nXRLB,charitable_donations,2024,40.12,万元\n")
    assert cli(wsdir, "facts", "import", str(draft), "--status", "draft").exit_code == 0

    def item(lang):
        data = json.loads(cli(wsdir, "report", "check", "--json", lang=lang).output)
        return [(i["status"], i["text"], i["action"]) for i in data["items"] if i["kind"] == "not_approved"]

    assert item("zh") == [("todo", "公益慈善捐赠总额：1 条数据未审批（草稿 1）",
                           "核对后将这些数据按已批准状态重新导入：esgledger facts import 文件 --status approved（XRLB）")]
    assert item("en") == [("todo", "Charitable donations: 1 fact not approved (draft 1)",
                           "check them, then import them again as approved: esgledger facts import FILE --status approved (XRLB)")]
    assert cli(wsdir, "collect", "open", "--period", "2024").exit_code == 0
    assert item("zh")[0][2] == ("先提交草稿（esgledger collect submit XRLB），再审核并批准：esgledger collect review XRLB，"
                                "然后 esgledger collect approve XRLB")
    assert item("en")[0][2] == ("submit the drafts first (esgledger collect submit XRLB), then review and approve them: "
                                "esgledger collect review XRLB, then esgledger collect approve XRLB")
    # each command the to-do names exists
    from typer.main import get_command

    collect = get_command(app).commands["collect"].commands
    assert {"submit", "review", "approve"} <= set(collect)
    assert "review" not in get_command(app).commands


def test_an_output_path_that_cannot_take_the_report_is_named_before_anything_is_built(wsdir):
    """Audit A5-M2: ``-o`` naming a file, or a folder holding a folder where a report file
    goes, ended in a Python traceback after some files had been written."""
    assert cli(wsdir, "report", "init").exit_code == 0
    afile = wsdir / "afile"
    afile.write_text("not a folder", encoding="utf-8")
    r = cli(wsdir, "report", "build", "--lang", "zh", "--format", "html", "-o", str(afile), lang="zh")
    assert r.exit_code == 1
    assert f"(--output): ESG-REPORT-012 输出文件夹不可用：{afile} 是文件，不是文件夹：应为可写入的文件夹（-o/--output）；" \
           "未生成任何文件" in "".join(r.output.splitlines())
    assert "Traceback" not in r.output and afile.read_text(encoding="utf-8") == "not a folder"
    r = cli(wsdir, "report", "build", "--lang", "en", "--format", "html", "-o", str(afile / "sub"))
    assert r.exit_code == 1
    assert f"{afile} is a file: no folder can be made in it: expected a place where {afile / 'sub'} can be made" \
        in "".join(r.output.splitlines())
    outp = wsdir / "outp"
    (outp / "report-2024.en.pdf").mkdir(parents=True)
    r = cli(wsdir, "report", "build", "--lang", "both", "--format", "html,pdf", "-o", str(outp))
    assert r.exit_code == 1
    assert f"(--output): ESG-REPORT-012 output folder cannot be used: {outp / 'report-2024.en.pdf'} is a folder: " \
           "expected the name of a report file (move or delete that folder); nothing was written" \
        in "".join(r.output.splitlines())
    assert sorted(p.name for p in outp.iterdir()) == ["report-2024.en.pdf"]  # the zh files were not written


def test_a_failure_partway_leaves_the_previous_build_as_it_was(wsdir, monkeypatch):
    """Every file is written under a temporary name and moved into place only when every
    language and format has been written: the disk filling up at the second format leaves the
    previous build's files untouched and no new or temporary file (audit A5-M2)."""
    from esgledger.report.render import registry

    assert cli(wsdir, "report", "init").exit_code == 0
    out = wsdir / "out"
    out.mkdir()
    (out / "report-2024.en.html").write_text("the previous build", encoding="utf-8")
    (out / "report-2024.en.xlsx").write_bytes(b"the previous build")

    def disk_full(doc):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(registry.RENDERERS, "xlsx", registry.Renderer("xlsx", ".xlsx", "application/x", disk_full))
    r = cli(wsdir, "report", "build", "--lang", "en", "--format", "html,xlsx", "-o", str(out))
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "ESG-REPORT-012" in r.output and "No space left on device" in r.output
    assert sorted(p.name for p in out.iterdir()) == ["report-2024.en.html", "report-2024.en.xlsx"]  # no .part file
    assert (out / "report-2024.en.html").read_text(encoding="utf-8") == "the previous build"
    monkeypatch.undo()
    r = cli(wsdir, "report", "build", "--lang", "en", "--format", "html,xlsx", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["report-2024.en.html", "report-2024.en.xlsx"]
    assert (out / "report-2024.en.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
