"""A closed campaign can still be reviewed (audit A4-L5): closing stops new imports, not the review
of what was submitted before the deadline. Approving goes ahead; returning or reopening would hand
the entity to a submitter who can no longer import, and is refused saying what to do instead
(ESG-COLLECT-022). On SQLite and PostgreSQL, and from the command line."""
import json

from esgledger.collect.campaign import close_campaign
from esgledger.collect.review import approve_entity, reopen_entity, return_entity, review_entity
from esgledger.collect.submission import import_workbook
from tests.collect.group import WORKBOOKS
from tests.collect.test_cli_collect import cli, manager_and_submitter

FEMALE = ("employees", "gender=female", "2025")


def test_a_closed_campaign_is_reviewed_and_approved_but_not_handed_back(group):
    rep = import_workbook(group.desk("p1"), WORKBOOKS / "good.xlsx", submit=True)
    assert rep.ok and rep.status["P1"] == ("submitted", 2), rep.flat()
    close_campaign(group.admin, group.c2025)
    esg = group.desk("esg")
    stale = group.c2025  # the object still says open: the refusal reads the store, under the write lock
    assert stale.status == "open"
    sheet = review_entity(esg, stale, "P1")
    assert (sheet.status, sheet.version, len(sheet.lines)) == ("submitted", 2, 21)

    out = return_entity(esg, stale, "P1", comment="check the headcount", value_comments={FEMALE: "HR says 260"})
    assert [(str(p.location), p.code) for p in out.problems] == [("(campaign)", "ESG-COLLECT-022")]
    [p] = out.problems
    assert p.message("en") == (
        "campaign closed: campaign #2 (2025) is closed, so P1 cannot go back to its submitter (return): a closed "
        "campaign takes no more imports. Approve what was submitted (esgledger collect approve P1 --period 2025), "
        "or open 2025 again for P1 (esgledger collect open --period 2025 --entity P1) and collect the correction "
        "there")
    assert p.message("zh") == (
        "收集任务已关闭：收集任务 #2（2025） 已关闭，P1 不能再交回填报人（退回）：已关闭的收集任务不再接受导入。"
        "请批准已提交的数据（esgledger collect approve P1 --period 2025），或为 P1 重新开启 2025 年度的收集任务"
        "（esgledger collect open --period 2025 --entity P1），在其中收集更正")
    # nothing was written: no rejected revision, no comment, the entity still submitted at version 2
    assert {s for (e, i, per, d, v, s) in group.facts() if per.startswith("2025")} == {"submitted"}
    sheet = review_entity(esg, stale, "P1")
    assert (sheet.status, sheet.version, sheet.comments) == ("submitted", 2, [])

    out = approve_entity(esg, stale, "P1", version=2, comment="checked after the deadline")
    assert out.ok and (out.status, out.version, out.facts) == ("approved", 3, 21), out.problems.flat()
    assert {s for (e, i, per, d, v, s) in group.facts() if per.startswith("2025")} == {"approved"}
    out = reopen_entity(esg, stale, "P1", comment="one more correction")
    assert [p.code for p in out.problems] == ["ESG-COLLECT-022"] and "(reopen)" in out.problems[0].message("en")
    assert review_entity(esg, stale, "P1").status == "approved"


def test_collect_review_and_approve_take_a_closed_campaign_with_its_year(wsdir, tmp_path, monkeypatch):
    manager_and_submitter(wsdir, monkeypatch)
    data = tmp_path / "p1.csv"
    data.write_text("entity,indicator,period,value,unit\nTLYX-P1,electricity_consumption,2025,7951236.42,兆瓦时\n",
                    encoding="utf-8")
    r = cli(wsdir, "collect", "import", str(data), "--submit", user="p1")
    assert r.exit_code == 0, r.output
    assert cli(wsdir, "collect", "close", "--period", "2025", user="esg").exit_code == 0
    # without a year, "the open campaign" is meant, and there is none
    r = cli(wsdir, "collect", "review", "TLYX-P1", user="esg")
    assert r.exit_code == 1 and "ESG-COLLECT-010" in r.output
    # with it, the year's closed campaign: not_started v1 -> submitted v2 by the import
    r = cli(wsdir, "collect", "review", "TLYX-P1", "--period", "2025", user="esg")
    assert r.exit_code == 0 and "TLYX-P1 is submitted (version 2)" in r.output, r.output
    for lang, said in (("en", "(campaign): ESG-COLLECT-022 campaign closed: campaign #1 (2025) is closed"),
                       ("zh", "(收集任务): ESG-COLLECT-022 收集任务已关闭：收集任务 #1（2025） 已关闭")):
        r = cli(wsdir, "collect", "return", "TLYX-P1", "--period", "2025", "--comment", "x", user="esg", lang=lang)
        assert r.exit_code == 1 and said in r.output, r.output
    r = cli(wsdir, "collect", "approve", "TLYX-P1", "--period", "2025", "--version", "2", user="esg")
    assert r.exit_code == 0 and "TLYX-P1 is approved (version 3)" in r.output, r.output
    r = cli(wsdir, "collect", "reopen", "TLYX-P1", "--period", "2025", "--comment", "x", user="esg")
    assert r.exit_code == 1 and "ESG-COLLECT-022" in r.output and "(reopen)" in r.output, r.output
    # the approval is in the trail, in the closed campaign
    r = cli(wsdir, "collect", "audit", "--period", "2025", "--format", "json", "--entity", "TLYX-P1", user="esg")
    facts = [(row["new_status"], row["campaign"]) for row in json.loads(r.output) if row["kind"] == "fact"]
    assert facts == [("submitted", 1), ("approved", 1)], facts
    # what the refusal says to do instead works: the year opened again for the entity takes its correction
    r = cli(wsdir, "collect", "open", "--period", "2025", "--entity", "TLYX-P1", user="esg")
    assert r.exit_code == 0 and "opened campaign #2 for 2025: 1 entity" in r.output, r.output
    data.write_text("entity,indicator,period,value,unit\nTLYX-P1,electricity_consumption,2025,7951240,兆瓦时\n",
                    encoding="utf-8")
    r = cli(wsdir, "collect", "import", str(data), user="p1")
    assert r.exit_code == 0 and "wrote 1 value (0 unchanged); TLYX-P1 is in progress" in r.output, r.output
