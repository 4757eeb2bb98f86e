"""``esgledger users`` and ``esgledger collect``, driven as a user would, on the demo tree."""
import json

import openpyxl
from typer.testing import CliRunner

import esgledger.cli_collect  # noqa: F401 - registers the sub-apps
from esgledger.cli import app

runner = CliRunner()
PW = "correct horse battery"


def cli(wsdir, *args, user=None, stdin=None, lang="en"):
    env = {"ESGLEDGER_USER": user, "ESGLEDGER_PASSWORD": PW} if user else {}
    return runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args], input=stdin, env=env)


def manager_and_submitter(wsdir, monkeypatch) -> None:
    """From the command line: an admin (boss), a manager (esg) and TLYX-P1's submitter (p1),
    hashed with argon2's cheapest parameters, and campaign 2025 opened by esg."""
    from argon2 import PasswordHasher, profiles

    from esgledger.store import access

    monkeypatch.setattr(access, "_hasher", lambda: PasswordHasher.from_parameters(profiles.CHEAPEST))
    assert cli(wsdir, "users", "add", "boss", "--role", "admin", "--password-stdin", stdin=PW + "\n").exit_code == 0
    for name, role, ent in (("esg", "manager", None), ("p1", "submitter", "TLYX-P1")):
        args = ["users", "add", name, "--role", role, "--password-stdin"] + (["--entity", ent] if ent else [])
        assert cli(wsdir, *args, user="boss", stdin=PW + "\n").exit_code == 0
    assert cli(wsdir, "collect", "open", "--period", "2025", user="esg").exit_code == 0


def test_users_and_a_campaign_from_the_command_line(wsdir, tmp_path, monkeypatch):
    from argon2 import PasswordHasher, profiles

    from esgledger.store import access

    monkeypatch.setattr(access, "_hasher", lambda: PasswordHasher.from_parameters(profiles.CHEAPEST))
    # the first user needs no sign-in; after that everyone signs in
    r = cli(wsdir, "users", "add", "boss", "--role", "admin", "--password-stdin", stdin=PW + "\n")
    assert r.exit_code == 0 and "added user boss (admin)" in r.output, r.output
    r = cli(wsdir, "users", "list")
    assert r.exit_code == 1 and "ESG-ACCESS-001" in r.output
    for name, role, ent in (("esg", "manager", None), ("p1", "submitter", "TLYX-P1"), ("audit", "auditor", None)):
        args = ["users", "add", name, "--role", role, "--password-stdin"] + (["--entity", ent] if ent else [])
        assert cli(wsdir, *args, user="boss", stdin=PW + "\n").exit_code == 0
    r = cli(wsdir, "users", "list", "--json", user="audit")
    assert [u["username"] for u in json.loads(r.output)] == ["audit", "boss", "esg", "p1"]
    r = cli(wsdir, "users", "add", "x", "--role", "auditor", "--password-stdin", user="esg", stdin=PW + "\n")
    assert r.exit_code == 1 and "ESG-ACCESS-003" in r.output

    r = cli(wsdir, "collect", "open", "--period", "2025", "--due", "2026-03-31", user="esg")
    assert r.exit_code == 0 and "opened campaign #1 for 2025: 12 entities" in r.output, r.output
    out = tmp_path / "out"
    r = cli(wsdir, "collect", "templates", "--entity", "TLYX-P1", "-o", str(out), user="p1")
    assert r.exit_code == 0 and (out / "2025_TLYX-P1_en.xlsx").exists(), r.output
    r = cli(wsdir, "collect", "templates", "--entity", "JXTG", "-o", str(out), user="p1")
    assert r.exit_code == 1 and "ESG-ACCESS-004" in r.output

    # fill two values as a person would, one of them wrong (a potline is asked its output, not its
    # employees: people are a site's or a company's)
    path = out / "2025_TLYX-P1_en.xlsx"
    wb = openpyxl.load_workbook(path)
    cells = {ws.title: {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1) if ws.cell(r, 3).value in (None, "Total")}
             for ws in wb.worksheets[1:-1]}
    sheet = next(t for t, rows in cells.items() if "aluminium_output" in rows)
    row = cells[sheet]["aluminium_output"]
    wb[sheet].cell(row, 6, "n/a")
    wb.save(tmp_path / "bad.xlsx")
    wb[sheet].cell(row, 6, 48)
    wb.save(tmp_path / "good.xlsx")
    r = cli(wsdir, "collect", "import", str(tmp_path / "bad.xlsx"), user="p1")
    assert r.exit_code == 1 and f"bad.xlsx:{sheet}!F{row}: ESG-COLLECT-001" in r.output, r.output
    r = cli(wsdir, "collect", "import", str(tmp_path / "good.xlsx"), "--dry-run", user="p1")
    assert r.exit_code == 0 and "dry run, checked 1 value," in r.output, r.output
    r = cli(wsdir, "collect", "import", str(path), user="p1")  # the template as it came (UAT: "wrote 0 values")
    assert r.exit_code == 0 and "2025_TLYX-P1_en.xlsx: no value is filled in, nothing was written" in r.output
    r = cli(wsdir, "collect", "import", str(path), user="p1", lang="zh")
    assert "文件中没有填写任何数据，未写入任何内容" in r.output
    r = cli(wsdir, "collect", "import", str(tmp_path / "good.xlsx"), "--json", user="p1")
    assert r.exit_code == 0 and json.loads(r.output)[0]["status"] == {"TLYX-P1": "in_progress"}, r.output
    r = cli(wsdir, "collect", "status", user="esg")
    assert r.exit_code == 0 and "in progress" in r.output and "12 entities" in r.output
    r = cli(wsdir, "collect", "submit", "TLYX-P1", user="p1")
    assert r.exit_code == 0 and "TLYX-P1 is submitted" in r.output, r.output
    r = cli(wsdir, "collect", "approve", "TLYX-P1", user="p1")
    assert r.exit_code == 1 and "ESG-ACCESS-003" in r.output
    r = cli(wsdir, "collect", "review", "TLYX-P1", "--json", user="esg")
    review = json.loads(r.output)
    assert (review["status"], [(l["indicator"], l["value"]) for l in review["lines"]]) == (
        "submitted", [("aluminium_output", "48")])
    r = cli(wsdir, "collect", "return", "TLYX-P1", "--value", "aluminium_output=please split by potline month",
            "--version", str(review["version"]), user="esg")
    assert r.exit_code == 0 and "TLYX-P1 is returned" in r.output, r.output
    assert cli(wsdir, "collect", "submit", "TLYX-P1", user="p1").exit_code == 0
    r = cli(wsdir, "collect", "approve", "TLYX-P1", "--comment", "ok", user="esg")
    assert r.exit_code == 0 and "TLYX-P1 is approved" in r.output, r.output
    pdf = tmp_path / "roster.pdf"  # (the output register)
    pdf.write_bytes(b"%PDF-1.4 roster")
    r = cli(wsdir, "collect", "attach", str(pdf), "--entity", "TLYX-P1", "--indicator", "aluminium_output",
            "--period", "2025", "--note", "HR roster", user="p1")
    assert r.exit_code == 0 and "attached roster.pdf" in r.output, r.output
    r = cli(wsdir, "collect", "audit", "--period", "2025", "--format", "json", "-o", str(tmp_path / "a.json"),
            "--refusals", user="audit")
    assert r.exit_code == 0, r.output
    trail = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert [(t["new_status"], t["who"]) for t in trail if t["kind"] == "fact"] == [
        ("draft", "p1"), ("submitted", "p1"), ("rejected", "esg"), ("submitted", "p1"), ("approved", "esg")]
    assert {t["kind"] for t in trail} == {"fact", "status", "comment", "evidence", "refused"}
    r = cli(wsdir, "collect", "log", "--limit", "2", user="audit")
    assert r.exit_code == 0 and "ESG-ACCESS-003" in r.output
    r = cli(wsdir, "history", "aluminium_output", "--entity", "TLYX-P1", "--period", "2025", "--json", user="esg")
    assert r.exit_code == 0 and json.loads(r.output)[-1]["status"] == "approved", r.output
    # the reviewer's word on the value stays with it (UAT3 M12), not only in the audit trail: under
    # the revision the return wrote (revision 3, rejected by esg)
    revs = json.loads(r.output)
    assert [[(c["kind"], c["author"], c["text"]) for c in x["review"]] for x in revs] == [
        [], [], [("return", "esg", "please split by potline month")], [], []]
    r = cli(wsdir, "history", "aluminium_output", "--entity", "TLYX-P1", "--period", "2025", user="esg", lang="zh")
    assert r.exit_code == 0 and "审核意见（退回）" in r.output and "please split by potline month" in r.output, r.output
    assert cli(wsdir, "users", "disable", "p1", user="boss").exit_code == 0
    r = cli(wsdir, "collect", "status", user="p1")
    assert r.exit_code == 1 and "ESG-ACCESS-002" in r.output
    assert cli(wsdir, "users", "enable", "p1", user="boss").exit_code == 0
    assert cli(wsdir, "users", "grant", "p1", "--role", "submitter", "--entity", "TLYX-P2", user="boss").exit_code == 0
    assert cli(wsdir, "users", "revoke", "p1", "--role", "submitter", "--entity", "TLYX-P2", user="boss").exit_code == 0
    assert cli(wsdir, "users", "passwd", "p1", "--password-stdin", user="p1", stdin=PW + "\n").exit_code == 0
    r = cli(wsdir, "collect", "reopen", "TLYX-P1", "--comment", "typo", user="esg")
    assert r.exit_code == 0 and "returned" in r.output
    assert cli(wsdir, "collect", "close", "--period", "2025", user="esg").exit_code == 0
    r = cli(wsdir, "collect", "status", user="esg")
    assert r.exit_code == 1 and "ESG-COLLECT-010" in r.output


def test_messages_in_chinese(wsdir, tmp_path):
    r = cli(wsdir, "collect", "open", "--period", "2025", lang="zh")
    assert r.exit_code == 0 and "已开启 2025 年度收集任务 #1" in r.output, r.output
    r = cli(wsdir, "collect", "status", lang="zh")
    assert "未开始" in r.output
    r = cli(wsdir, "collect", "open", "--period", "2025", lang="zh")
    assert r.exit_code == 1 and "ESG-COLLECT-011 收集任务已存在" in r.output


def test_every_command_signs_in_as_esgledger_user(wsdir, tmp_path, monkeypatch):
    """The workspace commands (facts, history, calc) apply the signed-in user's scope too."""
    from argon2 import PasswordHasher, profiles

    from esgledger.store import access
    from esgledger.store.access import AccessDenied

    monkeypatch.setattr(access, "_hasher", lambda: PasswordHasher.from_parameters(profiles.CHEAPEST))
    data = tmp_path / "f.csv"
    data.write_text("entity,indicator,period,value,unit\nTLYX-P1,employees,2024,100,人\n"
                    "TLYX-P2,employees,2024,200,人\n", encoding="utf-8")
    assert cli(wsdir, "facts", "import", str(data), "--status", "approved").exit_code == 0  # single-user
    assert cli(wsdir, "users", "add", "boss", "--role", "admin", "--password-stdin", stdin=PW + "\n").exit_code == 0
    assert cli(wsdir, "users", "add", "p1", "--role", "submitter", "--entity", "TLYX-P1", "--password-stdin",
               user="boss", stdin=PW + "\n").exit_code == 0

    r = cli(wsdir, "facts", "export", "--format", "csv", user="p1")
    assert r.exit_code == 0 and "TLYX-P1,employees" in r.output and "TLYX-P2" not in r.output, r.output
    for args in (["facts", "export", "--entity", "TLYX-P2"],
                 ["history", "employees", "--entity", "TLYX-P2", "--period", "2024"],
                 ["calc", "run", "--period", "2024"],
                 ["facts", "import", str(data)]):
        r = cli(wsdir, *args, user="p1")
        assert r.exit_code == 1 and isinstance(r.exception, AccessDenied), (args, r.output)
        assert r.exception.problem.code == "ESG-ACCESS-004"
    r = cli(wsdir, "facts", "export")  # users exist, nobody signed in
    assert isinstance(r.exception, AccessDenied) and r.exception.problem.code == "ESG-ACCESS-003"
    r = cli(wsdir, "facts", "export", "--format", "csv", user="boss")
    assert r.exit_code == 0 and "TLYX-P2,employees" in r.output


def _rows(output):
    """The rows of the (one) table in a command's output, each as its stripped cells."""
    return [[c.strip() for c in line.strip()[1:-1].split(line.strip()[0])]
            for line in output.splitlines() if line.strip()[:1] in ("│", "┃")]


def _fill(path, out, value):
    """The aluminium output of a potline workbook filled in (English or Chinese workbook)."""
    wb = openpyxl.load_workbook(path)
    for sheet in wb.worksheets[1:-1]:
        for r in range(3, sheet.max_row + 1):
            if sheet.cell(r, 1).value == "aluminium_output":
                sheet.cell(r, 6, value)
                wb.save(out)
                return
    raise AssertionError("no aluminium_output row")


def test_tables_and_refusals_read_in_chinese(wsdir, tmp_path, monkeypatch):
    """UAT (ESGLEDGER_LANG=zh): the users, status, review and log tables, and the refusals, have
    no English words in Chinese; in English they read as before."""
    from argon2 import PasswordHasher, profiles

    from esgledger.store import access

    monkeypatch.setattr(access, "_hasher", lambda: PasswordHasher.from_parameters(profiles.CHEAPEST))

    def both(*args, user=None, stdin=None):
        return (cli(wsdir, *args, user=user, stdin=stdin, lang="zh").output,
                cli(wsdir, *args, user=user, stdin=stdin, lang="en").output)

    assert cli(wsdir, "users", "add", "boss", "--role", "admin", "--password-stdin", stdin=PW + "\n").exit_code == 0
    zh, en = both("users", "add", "x1", "--role", "submitter", "--password-stdin", user="boss", stdin=PW + "\n")
    assert "ESG-ACCESS-006 用户或授权无效：未指定主体的 submitter（填报人）：应为 --entity：其负责填报的公司或工厂" in zh, zh
    assert "ESG-ACCESS-006 invalid user or grant: submitter without an entity: expected --entity: the company " \
           "or plant it submits for" in en, en
    for name, role, ent in (("esg", "manager", None), ("p1", "submitter", "TLYX-P1"), ("audit", "auditor", None)):
        args = ["users", "add", name, "--role", role, "--password-stdin"] + (["--entity", ent] if ent else [])
        assert cli(wsdir, *args, user="boss", stdin=PW + "\n").exit_code == 0
    assert cli(wsdir, "users", "disable", "audit", user="boss").exit_code == 0
    zh, en = both("users", "list", user="boss")
    assert _rows(zh)[0] == ["用户", "名称", "角色", "已停用", "创建时间"] and _rows(zh)[1][:4] == ["audit", "", "审计 auditor", "是"]
    assert _rows(en)[0] == ["user", "name", "roles", "disabled", "created"] and _rows(en)[1][:4] == ["audit", "", "auditor", "yes"]
    assert cli(wsdir, "users", "enable", "audit", user="boss").exit_code == 0

    assert cli(wsdir, "collect", "open", "--period", "2025", "--due", "2000-03-31", user="esg").exit_code == 0
    zh, en = both("collect", "templates", "--entity", "JXTG", "-o", str(tmp_path / "out"), user="p1")
    assert "p1 只能在 TLYX-P1 及其下级主体范围内读取；已拒绝：JXTG" in zh, zh
    assert "p1 may read only TLYX-P1 (subtree); refused: JXTG" in en, en
    zh, en = both("users", "add", "x2", "--role", "auditor", "--password-stdin", user="esg", stdin=PW + "\n")
    assert "ESG-ACCESS-003 无权操作：esg（主管 manager）无权管理用户：添加用户 x2" in zh, zh
    assert "ESG-ACCESS-003 not permitted: esg (manager) may not manage users: add user x2" in en, en
    zh, en = both("collect", "log", "--limit", "1", user="audit")
    assert _rows(zh)[0] == ["时间", "用户", "操作", "对象", "代码"], zh
    assert _rows(zh)[1][1:] == ["esg", "管理用户", "添加用户 x2", "ESG-ACCESS-003"], zh
    assert _rows(en)[0] == ["at", "user", "action", "target", "code"], en
    assert _rows(en)[1][1:] == ["esg", "manage users", "add user x2", "ESG-ACCESS-003"], en
    # the action reads as a verb in English (audit A4-L6: "may not evidence", "may not campaign")
    zh, en = both("collect", "attach", str(tmp_path / "bill.pdf"), "--entity", "TLYX-P1", user="audit")
    assert "audit（审计 auditor）无权附加佐证材料：TLYX-P1" in zh, zh
    assert "audit (auditor) may not attach evidence: TLYX-P1" in en, en
    zh, en = both("collect", "open", "--period", "2026", user="p1")
    assert "p1（填报人 submitter@TLYX-P1）无权管理收集任务：开启 2026 年度收集任务" in zh, zh
    assert "p1 (submitter@TLYX-P1) may not manage campaigns: open a campaign for 2026" in en, en

    out = tmp_path / "out"
    assert cli(wsdir, "collect", "templates", "--entity", "TLYX-P1", "-o", str(out), user="p1").exit_code == 0
    _fill(out / "2025_TLYX-P1_en.xlsx", tmp_path / "good.xlsx", 48)
    assert cli(wsdir, "collect", "import", str(tmp_path / "good.xlsx"), user="p1").exit_code == 0
    zh, en = both("collect", "status", user="esg")
    assert "收集任务 #1（2025）：进行中" in zh and "共 12 个主体：未开始 11，填报中 1；逾期 12" in zh, zh
    assert "campaign #1 (2025) — open" in en and "12 entities: not started 11, in progress 1; LATE 12" in en, en
    zh, en = both("collect", "review", "TLYX-P1", user="esg")
    assert _rows(zh)[0] == ["指标", "细分", "期间", "数值", "单位", "上年数值", "变化", "状态", "提示", "备注说明", "审核意见",
                            "佐证材料"]
    assert _rows(zh)[1][2:8] == ["2025", "48", "万吨", "", "", "草稿"], zh
    assert _rows(en)[0] == ["indicator", "breakdown", "period", "value", "unit", "last year", "change", "status",
                            "warnings", "comment", "review", "evidence"]
    assert _rows(en)[1][2:8] == ["2025", "48", "10k t", "", "", "draft"], en  # units in the reader's words
    assert cli(wsdir, "collect", "submit", "TLYX-P1", user="p1").exit_code == 0
    assert cli(wsdir, "collect", "return", "TLYX-P1", "--value", "aluminium_output=split it",
               "--comment", "see the value", user="esg").exit_code == 0
    zh, en = both("collect", "review", "TLYX-P1", user="esg")
    assert (_rows(zh)[1][7], _rows(en)[1][7]) == ("已驳回", "rejected")
    assert " esg [退回]: see the value" in zh and " esg [return]: see the value" in en, (zh, en)
    zh, en = both("collect", "approve", "TLYX-P1", user="esg")
    assert "ESG-COLLECT-008 当前状态不允许该操作：TLYX-P1 当前状态为已退回；该操作要求状态为已提交" in zh, zh
    assert "ESG-COLLECT-008 not allowed in the entity's status: TLYX-P1 is returned; this needs submitted" in en, en
    # the next step (UAT3 L10): a returned entity is submitted before it can be reviewed
    assert "该操作要求状态为已提交；填报人提交（esgledger collect submit TLYX-P1）后才能审核" in zh, zh
    assert "this needs submitted; it can be reviewed once it is submitted (esgledger collect submit TLYX-P1)" in en, en
    assert cli(wsdir, "collect", "submit", "TLYX-P1", user="p1").exit_code == 0
    assert cli(wsdir, "collect", "approve", "TLYX-P1", user="esg").exit_code == 0
    zh, en = both("collect", "import", str(tmp_path / "good.xlsx"), user="p1")
    assert "当前状态为已批准；该操作要求状态为未开始、填报中、已退回或已提交" in zh, zh
    assert "TLYX-P1 is approved; this needs not_started | in_progress | returned | submitted" in en, en
    # an approved entity is reopened by a manager before it takes new values (UAT3 L10)
    assert "或已提交；如需修改，请联系主管运行 esgledger collect reopen TLYX-P1 重新开启" in zh, zh
    assert "returned | submitted; to change it, a manager reopens it first: esgledger collect reopen TLYX-P1" in en, en

    # the sources collect wrote to the ledger (kept as stored) read in Chinese in history and explain
    zh, en = both("history", "aluminium_output", "--entity", "TLYX-P1", "--period", "2025", user="esg")
    at = ":Carbon emissions!F3"  # the sheet of the (English) workbook
    # `collect submit` reads as the submission it was, not as an API call (UAT3 L5: 接口 提交)
    # (the reviewer's comment on the value is a line of its own under the return, UAT3 M12)
    assert [r[8] for r in _rows(zh)[1:]] == ["导入 good.xlsx" + at, "提交 TLYX-P1" + at, "审核 退回 TLYX-P1" + at, "",
                                          "提交 TLYX-P1" + at, "审核 批准 TLYX-P1" + at], zh
    assert [r[8] for r in _rows(en)[1:]] == ["import good.xlsx:Carbon emissions!F3", "submit TLYX-P1:Carbon emissions!F3",
                                          "review return TLYX-P1:Carbon emissions!F3", "",
                                          "submit TLYX-P1:Carbon emissions!F3",
                                          "review approve TLYX-P1:Carbon emissions!F3"], en
    assert [(r[5], r[6], r[9]) for r in _rows(zh)[1:] if not r[0]] == [("审核意见（退回）", "esg", "split it")], zh
    assert [(r[5], r[9]) for r in _rows(en)[1:] if not r[0]] == [("review: returned", "split it")], en
    r = cli(wsdir, "history", "aluminium_output", "--entity", "TLYX-P1", "--period", "2025", "--json", user="esg",
            lang="zh")
    assert json.loads(r.output)[-1]["source"] == "review approve TLYX-P1:Carbon emissions!F3"  # as stored
    zh, en = both("explain", "aluminium_output", "--entity", "TLYX-P1", "--period", "2025", user="esg")
    assert zh.rstrip().endswith("48 万吨  ← 审核 #5 批准 TLYX-P1"), zh
    assert en.rstrip().endswith("48 10k t  ← review #5 approve TLYX-P1"), en

    # a closed campaign's progress can still be seen with --period (UAT3 L9); without it, only
    # an open campaign is meant
    assert cli(wsdir, "collect", "close", "--period", "2025", user="esg").exit_code == 0
    zh, en = both("collect", "status", "--period", "2025", user="esg")
    assert "收集任务 #1（2025）：已关闭" in zh and "共 12 个主体：未开始 11，已批准 1" in zh, zh
    assert "campaign #1 (2025) — closed" in en and "12 entities: not started 11, approved 1" in en, en
    assert "ESG-COLLECT-010" in cli(wsdir, "collect", "status", user="esg").output

def test_password_prompts_are_bilingual_and_need_a_terminal(wsdir, monkeypatch):
    """UAT: `users add NAME --role admin` with no terminal printed an English `password:`, then
    GetPassWarning and `Aborted.`; now it says to use --password-stdin (or, for signing in,
    ESGLEDGER_PASSWORD), and on a terminal it asks in the user's language."""
    from argon2 import PasswordHasher, profiles

    import esgledger.cli
    from esgledger.store import access

    monkeypatch.setattr(access, "_hasher", lambda: PasswordHasher.from_parameters(profiles.CHEAPEST))
    monkeypatch.setattr(esgledger.cli, "stdin_is_terminal", lambda: False)
    for lang, said in (("zh", "没有终端，无法提示输入密码：请加 --password-stdin，从标准输入提供密码（如 printf '%s\\n' "
                              "\"$PW\" | esgledger users add boss --role admin --password-stdin）"),
                       ("en", "no terminal to ask for the password: add --password-stdin and give it on standard "
                              "input (printf '%s\\n' \"$PW\" | esgledger users add boss --role admin --password-stdin)")):
        r = cli(wsdir, "users", "add", "boss", "--role", "admin", lang=lang)
        assert r.exit_code == 1 and said in r.output and "Aborted" not in r.output, r.output
    monkeypatch.setattr(esgledger.cli, "stdin_is_terminal", lambda: True)
    r = cli(wsdir, "users", "add", "boss", "--role", "admin", stdin=f"{PW}\n{PW}x\n", lang="zh")
    assert r.exit_code == 1 and "密码：\n再次输入密码：\n两次输入的密码不一致，未作任何更改" in r.output, r.output
    r = cli(wsdir, "users", "add", "boss", "--role", "admin", stdin=f"{PW}\n{PW}\n", lang="zh")
    assert r.exit_code == 0 and r.output.startswith("密码：\n再次输入密码：\n已添加用户 boss（管理员 admin）"), r.output
    r = cli(wsdir, "users", "add", "boss2", "--role", "admin", stdin=f"{PW}\n{PW}\n", lang="en",
            user="boss")
    assert r.exit_code == 0 and r.output.startswith("password: \npassword again: \nadded user boss2"), r.output

    def signed_in(lang, stdin=None):  # ESGLEDGER_USER without ESGLEDGER_PASSWORD
        return runner.invoke(app, ["--lang", lang, "-w", str(wsdir), "users", "list"], input=stdin,
                             env={"ESGLEDGER_USER": "boss", "ESGLEDGER_PASSWORD": None})

    r = signed_in("zh", PW + "\n")
    assert r.exit_code == 0 and r.output.startswith("boss 的密码：\n"), r.output
    r = signed_in("en", PW + "\n")
    assert r.exit_code == 0 and r.output.startswith("password for boss: \n"), r.output
    monkeypatch.setattr(esgledger.cli, "stdin_is_terminal", lambda: False)
    r = signed_in("zh")
    assert r.exit_code == 1 and "没有终端，无法提示输入 boss 的密码：请用环境变量 ESGLEDGER_PASSWORD 提供密码" in r.output
    r = signed_in("en")
    assert r.exit_code == 1 and "no terminal to ask for the password of boss: give it in the environment variable " \
                                "ESGLEDGER_PASSWORD" in r.output, r.output


def test_calculation_sources_read_in_chinese(monkeypatch):
    from esgledger.cli import STATE, _source_where

    monkeypatch.setattr(STATE, "lang", "zh")
    assert _source_where("calc", "calc run 2024 control") == "计算运行 2024（运营控制权法）"
    assert _source_where("calc", "ghg run 2024") == "温室气体核算 2024"
    assert _source_where("api", "my-erp nightly") == "my-erp nightly"
    assert _source_where("import", "approve X.csv") == "approve X.csv"  # a file's name stays
    monkeypatch.setattr(STATE, "lang", "en")
    assert _source_where("calc", "calc run 2024 control") == "calc run 2024 control"


def test_a_due_date_that_is_not_yyyy_mm_dd_is_refused_before_anything_opens(wsdir):
    # 2026-13-01 has no month 13; the others are dates written in forms the help does not give
    for due in ("2026-13-01", "2026/06/30", "2026-6-30", "abc"):
        r = cli(wsdir, "collect", "open", "--period", "2025", "--due", due)
        assert r.exit_code == 1 and "Traceback" not in r.output, r.output
        assert f"ESG-CLI-001 invalid option value: --due {due}: expected a date YYYY-MM-DD" in r.output
    r = cli(wsdir, "collect", "open", "--period", "2025", "--due", "2026-02-30", lang="zh")
    assert r.exit_code == 1 and "--due 2026-02-30：应为 YYYY-MM-DD 格式的日期" in r.output, r.output
    # nothing was opened: the campaign can still be opened, once
    r = cli(wsdir, "collect", "open", "--period", "2025", "--due", "2026-06-30")
    assert r.exit_code == 0 and "opened campaign #1 for 2025" in r.output, r.output
