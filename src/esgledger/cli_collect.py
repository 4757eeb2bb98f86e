"""``esgledger collect …``: campaigns, templates, submissions, review, evidence and the audit
trail. Registers ``collect`` onto :data:`esgledger.cli.app` (after ``users``,
:mod:`esgledger.cli_users`, which also says who acts: ``--user``, the signed-in user's desk,
refusals).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from esgledger import cli as cli_main
from esgledger.cli import STATE, _date, _named, _unit, _ws, app, console, err_console
from esgledger.cli_table import Table
# `users` first (the order of `esgledger --help`), and who acts, as for `users`
from esgledger.cli_users import _desk, _guard, _print, _user_option
from esgledger.model.errors import Bilingual, ProblemList
from esgledger.model.i18n import fmt
from esgledger.model.types import CAMPAIGN_STATUS_NAMES, ENTITY_STATUS_NAMES, FACT_STATUS_NAMES

collect_app = typer.Typer(help="Data collection: campaigns, Excel templates, submissions, review, audit trail.",
                          no_args_is_help=True)
app.add_typer(collect_app, name="collect")


T = {
    "opened": {"zh": "已开启 {p} 年度收集任务 #{c}：{n} 个主体，共分配 {a} 项指标",
               "en": "opened campaign #{c} for {p}: {n:entity|entities}, {a:indicator assignment|indicator assignments}"},
    "closed": {"zh": "已关闭收集任务 #{c}", "en": "closed campaign #{c}"},
    "templates": {"zh": "已生成 {n} 个工作簿，保存在 {d}", "en": "wrote {n:workbook|workbooks} to {d}"},
    "imported": {"zh": "{f}：写入 {n} 个数据（未变 {u} 个），{e} 状态：{s}",
                 "en": "{f}: wrote {n:value|values} ({u} unchanged); {e} is {s}"},
    "dry": {"zh": "{f}：试运行，检查了 {n} 个数据，未写入任何数据", "en": "{f}: dry run, checked {n:value|values}, wrote nothing"},
    "empty": {"zh": "{f}：文件中没有填写任何数据，未写入任何内容（是否选错了文件？）",
              "en": "{f}: no value is filled in, nothing was written (the wrong file?)"},
    "rejected": {"zh": "{f}：存在 {e} 个错误，未写入任何数据", "en": "{f}: {e:error|errors}, nothing was written"},
    "unexplained": {"zh": "{n} 条提示需要在备注中说明后才能提交", "en": "{n:warning needs|warnings need} a comment before the entity can be submitted"},
    "moved": {"zh": "{e} 状态：{s}（版本 {v}）", "en": "{e} is {s} (version {v})"},
    "attached": {"zh": "已附加 {f}（sha256 {h}）", "en": "attached {f} (sha256 {h})"},
    "entity_evidence": {"zh": "附于主体的佐证材料：{f}", "en": "evidence attached to the entity: {f}"},
    "no_evidence": {"zh": "{e} 没有佐证材料", "en": "{e} has no evidence files"},
    "evidence_ok": {"zh": "一致", "en": "ok"},
    "evidence_changed": {"zh": "已被改动", "en": "changed"},
    "evidence_missing": {"zh": "文件缺失", "en": "missing"},
    "verified": {"zh": "已核对 {n} 个文件：{ok} 个与其散列值一致", "en": "checked {n:file|files}: {ok} match their hash"},
    "audit": {"zh": "已写出 {n} 条审计记录", "en": "wrote {n:audit row|audit rows}"},
    "summary": {"zh": "共 {n} 个主体：{parts}", "en": "{n:entity|entities}: {parts}"},
    "late": {"zh": "逾期", "en": "LATE"},
    "waiting": {"zh": "待审核", "en": "waiting for review"},
    "campaign_title": {"zh": "{c}：{s}", "en": "{c} — {s}"},
    "list_sep": {"zh": "，", "en": ", "},
    "clause_sep": {"zh": "；", "en": "; "},
}
# the kinds of review comments (review_comment.kind)
COMMENT_KIND_NAMES = {"approve": {"zh": "批准", "en": "approve"}, "return": {"zh": "退回", "en": "return"},
                      "note": {"zh": "备注", "en": "note"}}
# the column headers of the tables (the JSON output keeps its English keys)
HEADERS = {
    "review": {"zh": ("指标", "细分", "期间", "数值", "单位", "上年数值", "变化", "状态", "提示", "备注说明", "审核意见",
                      "佐证材料"),
               "en": ("indicator", "breakdown", "period", "value", "unit", "last year", "change", "status",
                      "warnings", "comment", "review", "evidence")},
    "evidence": {"zh": ("编号", "文件", "指标", "细分", "期间", "大小（字节）", "sha256", "上传人", "上传时间", "说明", "核对"),
                 "en": ("id", "file", "indicator", "breakdown", "period", "bytes", "sha256", "by", "at", "note",
                        "check")},
    "log": {"zh": ("时间", "用户", "操作", "对象", "代码"), "en": ("at", "user", "action", "target", "code")},
}


def tr(key: str, **kw) -> str:
    return fmt(T[key]["zh" if STATE.lang == "zh" else "en"], **kw)


def status_name(s: str) -> str:
    return _named(ENTITY_STATUS_NAMES, s)


def headers(table: str) -> tuple[str, ...]:
    return HEADERS[table]["zh" if STATE.lang == "zh" else "en"]


@collect_app.callback()
def collect_options(user: Optional[str] = typer.Option(None, "--user", envvar="ESGLEDGER_USER",
                                                       help="Who acts (password from ESGLEDGER_PASSWORD or a prompt).")) -> None:
    """Data collection."""
    _user_option(user)


def _campaign(desk, period: str | None, *, closed_too: bool = False):
    """The open campaign of ``period`` (or the only open one). ``closed_too``: with ``period``,
    the year's closed campaign where none is open — its progress can be seen, what was submitted
    before it closed reviewed and approved (returning and reopening refuse: ESG-COLLECT-022)."""
    from esgledger.collect.campaign import get_campaign
    from esgledger.model.errors import ProblemsError

    try:
        return get_campaign(desk, period)
    except ProblemsError:
        if not closed_too or period is None:
            raise
        return get_campaign(desk, period, open_only=False)


# -- campaigns ------------------------------------------------------------------------------
@collect_app.command("open")
@_guard
def collect_open(period: str = typer.Option(..., "--period", help="Reporting year, e.g. 2025."),
                 due: Optional[str] = typer.Option(None, "--due", help="Due date, YYYY-MM-DD."),
                 entity: Optional[list[str]] = typer.Option(None, "--entity", help="Only these entities (repeatable; default: every entity of the year).")) -> None:
    """Open a campaign: ask each entity for the indicators of its process type."""
    from esgledger.collect.campaign import open_campaign, status_table

    due = _date(due, "--due").isoformat() if due is not None else None  # before anything is opened
    with _ws() as ws:
        desk = _desk(ws)
        c = open_campaign(desk, period, due=due, entities=entity or None)
        rows = status_table(desk, c)
        console.print(tr("opened", p=c.period, c=c.id, n=len(rows), a=sum(r.assigned for r in rows)))


@collect_app.command("close")
@_guard
def collect_close(period: str = typer.Option(..., "--period", help="Reporting year.")) -> None:
    """Close the open campaign of a year (its workbooks are then refused)."""
    from esgledger.collect.campaign import close_campaign

    with _ws() as ws:
        desk = _desk(ws)
        c = close_campaign(desk, _campaign(desk, period))
        console.print(tr("closed", c=c.id))


@collect_app.command("status")
@_guard
def collect_status(period: Optional[str] = typer.Option(None, "--period", help="Reporting year (default: the open campaign); a year without an open campaign means its latest one, closed."),
                   as_json: bool = typer.Option(False, "--json", help="As JSON.")) -> None:
    """Progress of every entity: status, values filled, who is late, who waits for review."""
    from esgledger.collect.campaign import status_table

    with _ws() as ws:
        desk = _desk(ws)
        c = _campaign(desk, period, closed_too=True)  # a closed one's title says closed
        rows = status_table(desk, c)
        if as_json:
            console.print_json(json.dumps([r.__dict__ for r in rows], ensure_ascii=False))
            return
        zh = STATE.lang == "zh"
        t = Table(*(("主体", "名称", "状态", "已填/应填", "截止", "提示", "更新人", "更新时间") if zh else
                    ("entity", "name", "status", "filled", "due", "flag", "by", "updated")),
                  title=tr("campaign_title", c=c.named().in_lang(STATE.lang), s=_named(CAMPAIGN_STATUS_NAMES, c.status)))
        for r in rows:
            flag = tr("late") if r.late else (tr("waiting") if r.waiting_review else "")
            t.add_row(r.entity, r.name, status_name(r.status), f"{r.filled}/{r.assigned}", r.due or "",
                      flag, r.updated_by or "", r.updated_at)
        console.print(t)
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.status] = counts.get(r.status, 0) + 1
        late = sum(r.late for r in rows)
        parts = tr("list_sep").join(f"{status_name(s)} {n}" for s, n in counts.items()) + (
            f"{tr('clause_sep')}{tr('late')} {late}" if late else "")
        console.print(tr("summary", n=len(rows), parts=parts))


@collect_app.command("templates")
@_guard
def collect_templates(period: Optional[str] = typer.Option(None, "--period", help="Reporting year (default: the open campaign)."),
                      entity: Optional[list[str]] = typer.Option(None, "--entity", help="Only these entities (repeatable)."),
                      wb_lang: Optional[str] = typer.Option(None, "--wb-lang", help="Language of the workbooks: zh or en (default: --lang)."),
                      out: Path = typer.Option(Path("templates"), "--output", "-o", help="Folder to write the workbooks to.")) -> None:
    """Write one Excel workbook per entity, ready to send out."""
    from esgledger.collect.templates import generate_workbooks

    with _ws() as ws:
        desk = _desk(ws)
        paths = generate_workbooks(desk, _campaign(desk, period), out, entities=entity or None,
                                   lang=wb_lang or STATE.lang)
        console.print(tr("templates", n=len(paths), d=out))


# -- submissions -------------------------------------------------------------------------------
@collect_app.command("import")
@_guard
def collect_import(files: list[Path] = typer.Argument(..., help="Filled workbooks (.xlsx) or CSV files in the interchange format."),
                   period: Optional[str] = typer.Option(None, "--period", help="The campaign the files must belong to (default: the one each names)."),
                   entity: Optional[str] = typer.Option(None, "--entity", help="The entity the files must be for."),
                   dry_run: bool = typer.Option(False, "--dry-run", help="Check everything, write nothing."),
                   submit: bool = typer.Option(False, "--submit", help="Also submit the entity for review (every warning needs a comment)."),
                   as_json: bool = typer.Option(False, "--json", help="Print the reports as JSON.")) -> None:
    """Import submissions: each file is checked completely and lands whole or not at all."""
    from esgledger.collect.submission import import_workbook

    failed = False
    reports = []
    with _ws() as ws:
        desk = _desk(ws)
        campaign = _campaign(desk, period) if period else None
        for f in files:
            rep = import_workbook(desk, f, campaign=campaign, entity=entity, dry_run=dry_run, submit=submit)
            reports.append(rep)
            failed |= not rep.ok
            if as_json:
                continue
            _print(rep.problems)  # in --lang / the workspace's language, as the summary below
            if not rep.ok:
                n = len(rep.problems.errors)
                err_console.print(tr("rejected", f=rep.source, e=n))
            elif not rep.entries:  # an untouched workbook: say so rather than "wrote 0 values"
                console.print(tr("empty", f=rep.source))
            elif dry_run:
                console.print(tr("dry", f=rep.source, n=len(rep.entries)))
            else:
                for ent, (st, _v) in rep.status.items() or {e: ("-", 0) for e in rep.entities}.items():
                    console.print(tr("imported", f=rep.source, n=rep.changed, u=rep.unchanged, e=ent, s=status_name(st)))
            if rep.ok and rep.unexplained and not submit:
                console.print(tr("unexplained", n=len(rep.unexplained)))
            if rep.ok and rep.submitted:
                for ent in rep.status:
                    _blank(desk, rep.campaign, ent, "submit")
    if as_json:
        console.print_json(json.dumps([r.as_dict() for r in reports], ensure_ascii=False))
    if failed:
        raise typer.Exit(1)


@collect_app.command("submit")
@_guard
def collect_submit(entity: str = typer.Argument(..., help="Entity code."),
                   period: Optional[str] = typer.Option(None, "--period", help="Reporting year (default: the open campaign).")) -> None:
    """Submit an entity for review (every warning must carry a comment)."""
    from esgledger.collect.submission import submit_entity

    with _ws() as ws:
        desk = _desk(ws)
        c = _campaign(desk, period)
        rep = submit_entity(desk, c, entity)
        _print(rep.problems)
        if not rep.ok:
            raise typer.Exit(1)
        st, v = rep.status.get(entity, ("submitted", 0))
        console.print(tr("moved", e=entity, s=status_name(st), v=v))
        _blank(desk, c, entity, "submit")


def _blank(desk, campaign, entity: str, action: str) -> None:
    """Say so when most values asked of the entity are blank (ESG-COLLECT-019)."""
    from esgledger.collect.submission import blank_warning

    p = blank_warning(desk, campaign, entity, action)
    if p is not None:
        _print(ProblemList([p]))


# -- review ---------------------------------------------------------------------------------
@collect_app.command("review")
@_guard
def collect_review(entity: str = typer.Argument(..., help="Entity code."),
                   period: Optional[str] = typer.Option(None, "--period", help="Reporting year (default: the open campaign); a year without an open campaign means its latest one, closed."),
                   as_json: bool = typer.Option(False, "--json", help="As JSON.")) -> None:
    """Each value with last year's, the change, warnings and comments."""
    from esgledger.collect.review import review_entity

    with _ws() as ws:
        desk = _desk(ws)
        sheet = review_entity(desk, _campaign(desk, period, closed_too=True), entity)
        if as_json:
            console.print_json(json.dumps({"entity": entity, "status": sheet.status, "version": sheet.version,
                                           "lines": [l.__dict__ for l in sheet.lines],
                                           "comments": sheet.comments}, ensure_ascii=False, default=str))
            return
        console.print(tr("moved", e=entity, s=status_name(sheet.status), v=sheet.version))
        t = Table(*headers("review"))
        breakdown = _breakdowns(desk.library)
        for l in sheet.lines:
            t.add_row(f"{l.indicator} {l.name}", breakdown(l.dims), l.period, l.value, _unit(l.unit),
                      l.last_year or "",
                      l.change_pct or "", _named(FACT_STATUS_NAMES, l.status), " ".join(l.warnings), l.comment or "",
                      " / ".join(l.review_comments), _files(l.evidence))
        console.print(t)
        if sheet.evidence:
            console.print(escape(tr("entity_evidence", f=_files(sheet.evidence))))
        _print(sheet.warnings)
        shown = {(l.indicator, l.dims, l.period) for l in sheet.lines}
        for c in sheet.comments:
            # on the entity, or on a value not given (a reviewer asking for it)
            if c["indicator"] is None or (c["indicator"], c["dims"] or "", c["period"]) not in shown:
                what = "" if c["indicator"] is None else \
                    f" {c['indicator']}" + (f"[{breakdown(c['dims'])}]" if c["dims"] else "") \
                    + f" {c['period']}"
                console.print(escape(f"{c['at']} {c['author']} [{_named(COMMENT_KIND_NAMES, c['kind'])}]{what}: {c['text']}"))


def _files(items) -> str:
    """Evidence files as a review cell shows them: the name, or how many and their names."""
    names = [i["file"] for i in items]
    return names[0] if len(names) == 1 else (f"({len(names)}) " + ", ".join(names) if names else "")


def _breakdowns(library):
    """How the reader reads a breakdown key: in Chinese by the workspace's dimensions' and
    members' names (supplier=grid → 电力来源=电网; a supplier of its own by its name), the form
    ``collect return --value`` also accepts; in English by their codes, as messages show them."""
    from esgledger.model.errors import dimension_names_zh, name_breakdowns

    if STATE.lang != "zh":
        return lambda dims: dims or ""
    names = dimension_names_zh(library.dimensions)
    return lambda dims: name_breakdowns(dims, names, "names") if dims else ""


@collect_app.command("approve")
@_guard
def collect_approve(entity: str = typer.Argument(..., help="Entity code."),
                    period: Optional[str] = typer.Option(None, "--period", help="Reporting year (default: the open campaign); a year without an open campaign means its latest one, closed."),
                    version: Optional[int] = typer.Option(None, "--version", help="The version you reviewed: refuse if the entity changed since."),
                    comment: Optional[str] = typer.Option(None, "--comment", help="A note kept with the approval.")) -> None:
    """Approve every submitted value of an entity."""
    from esgledger.collect.review import approve_entity

    with _ws() as ws:
        desk = _desk(ws)
        c = _campaign(desk, period, closed_too=True)
        out = approve_entity(desk, c, entity, version=version, comment=comment)
        _outcome(out)
        _blank(desk, c, entity, "approve")


@collect_app.command("return")
@_guard
def collect_return(entity: str = typer.Argument(..., help="Entity code."),
                   period: Optional[str] = typer.Option(None, "--period", help="Reporting year (default: the open campaign)."),
                   comment: Optional[str] = typer.Option(None, "--comment", help="A comment on the whole entity."),
                   value: Optional[list[str]] = typer.Option(None, "--value", help="A comment on one value, given or still missing: INDICATOR[DIMS][@PERIOD]=TEXT, e.g. employees[gender=female]=TEXT (repeatable)."),
                   version: Optional[int] = typer.Option(None, "--version", help="The version you reviewed.")) -> None:
    """Return an entity to its submitter with comments."""
    from esgledger.collect.review import return_entity

    with _ws() as ws:
        desk = _desk(ws)
        c = _campaign(desk, period, closed_too=True)  # refused there, saying why (ESG-COLLECT-022)
        comments = dict(value_comment(desk.library, v, c.period) for v in value or [])
        _outcome(return_entity(desk, c, entity, comment=comment, value_comments=comments, version=version))


# IND=TEXT, IND[DIMS]=TEXT or IND:DIMS=TEXT, each with an optional @PERIOD before the "=": DIMS
# is dim=member;… (codes or names), so the text starts at the "=" after the last member
_VALUE = re.compile(r"""^\s*(?P<ind>[^:=@\[\]]+?)\s*
    (?:\[(?P<bracket>[^\]]*)\]|:(?P<colon>[^=;@\[\]]+=[^=;@]+(?:;[^=;@]+=[^=;@]+)*))?
    \s*(?:@(?P<period>[^=\s]+))?\s*=(?P<text>.*)$""", re.X | re.S)
VALUE_FORMS = Bilingual(
    "指标[细分]=意见，如 employees[gender=female]=请核对 或 employees[性别=女性]=请核对"
    "（也可写 employees:gender=female=请核对；加 @期间 指定期间：water_consumption@2025=请补充）",
    "INDICATOR[BREAKDOWN]=TEXT, e.g. employees[gender=female]=please check "
    "(or employees:gender=female=please check; @PERIOD names a period: water_consumption@2025=please fill in)")


def value_comment(library, text: str, period: str) -> tuple[tuple[str, str, str], str]:
    """A ``--value`` of ``collect return`` as ((indicator, dims key, period), comment): the
    indicator by code (ESG-CLI-001 with the closest codes for a typo), the breakdown by the
    dimensions' and members' codes or names (性别=女性 → gender=female)."""
    from esgledger.cli import OptionError, _check_indicator
    from esgledger.collect.interchange import dimension_names, dimensions_text
    from esgledger.model.period import Period, PeriodError
    from esgledger.model.types import Dims

    m = _VALUE.match(text)
    if m is None:
        raise OptionError("--value", text, VALUE_FORMS)
    code = m["ind"].strip()
    _check_indicator(library, code, "--value")
    ind = library[code]
    names = dimension_names(library)
    parts = {}
    for part in filter(None, (m["bracket"] or m["colon"] or "").split(";")):
        k, eq, v = part.partition("=")
        dim = names.get(k.strip(), names.get(k.strip().lower()))
        if not eq or dim is None or dim not in ind.dimensions:
            raise OptionError("--value", text, Bilingual(
                f"{code} 的细分：{dimensions_text(library, ind.dimensions, '=…').in_lang('zh') if ind.dimensions else '无'}",
                f"a breakdown of {code}: " + (dimensions_text(library, ind.dimensions, '=…').in_lang('en')
                                              if ind.dimensions else "none")))
        member = library.resolve_member(dim, v)
        if member is None:
            raise OptionError("--value", text, library.members_text(code, dim))
        parts[dim] = member
    try:
        per = str(Period.parse(m["period"])) if m["period"] else period
    except PeriodError:
        from esgledger.cli import PERIOD_FORMS

        raise OptionError("--value", text, PERIOD_FORMS) from None
    return (code, Dims(parts).key, per), m["text"].strip()


@collect_app.command("reopen")
@_guard
def collect_reopen(entity: str = typer.Argument(..., help="Entity code."),
                   comment: str = typer.Option(..., "--comment", help="Why it is reopened."),
                   period: Optional[str] = typer.Option(None, "--period", help="Reporting year (default: the open campaign).")) -> None:
    """Hand an approved entity back to its submitter for a correction."""
    from esgledger.collect.review import reopen_entity

    with _ws() as ws:
        desk = _desk(ws)
        _outcome(reopen_entity(desk, _campaign(desk, period, closed_too=True), entity, comment=comment))


def _outcome(out) -> None:
    _print(out.problems)
    if not out.ok:
        raise typer.Exit(1)
    console.print(tr("moved", e=out.entity, s=status_name(out.status), v=out.version))


@collect_app.command("attach")
@_guard
def collect_attach(file: Path = typer.Argument(..., help="A PDF, image, spreadsheet or document."),
                   entity: str = typer.Option(..., "--entity", help="Entity code."),
                   indicator: Optional[str] = typer.Option(None, "--indicator", help="The value it supports (with --period)."),
                   period: Optional[str] = typer.Option(None, "--period", help="Period of that value."),
                   dims: str = typer.Option("", "--dims", help="Dimension key of that value, e.g. gender=female."),
                   note: Optional[str] = typer.Option(None, "--note", help="What the file shows.")) -> None:
    """Attach an evidence file (stored in the workspace by its SHA-256)."""
    from esgledger.collect.evidence import attach_evidence

    with _ws() as ws:
        if indicator is not None:  # a typo gets the closest codes, not "no such value"
            from esgledger.cli import _check_indicator

            _check_indicator(ws.library, indicator, "--indicator")
        rec = attach_evidence(_desk(ws), file, entity, indicator=indicator, period=period, dims=dims, note=note)
        console.print(tr("attached", f=rec.filename, h=rec.sha256))


@collect_app.command("evidence")
@_guard
def collect_evidence(entity: str = typer.Argument(..., help="Entity code."),
                     indicator: Optional[str] = typer.Option(None, "--indicator", help="Only the files of this indicator's values."),
                     period: Optional[str] = typer.Option(None, "--period", help="Only the files of values of this period."),
                     verify: bool = typer.Option(False, "--verify", help="Check each stored file against its hash (exit 1 if one does not match)."),
                     as_json: bool = typer.Option(False, "--json", help="As JSON.")) -> None:
    """The evidence files attached to an entity and its values, with their SHA-256."""
    from esgledger.collect.evidence import evidence_path, list_evidence, verify_evidence
    from esgledger.model.errors import Location, Problem

    with _ws() as ws:
        if indicator is not None:
            from esgledger.cli import _check_indicator

            _check_indicator(ws.library, indicator, "--indicator")
        if period is not None:
            cli_main._period(period)
        desk = _desk(ws)
        records = list_evidence(desk, entity=entity, indicator=indicator, period=period)
        checks, problems = {}, ProblemList()
        if verify:
            for r in records:
                path = evidence_path(desk, r)
                checks[r.id] = "ok" if verify_evidence(desk, r) else ("changed" if path.is_file() else "missing")
                if checks[r.id] != "ok":
                    problems.append(Problem("ESG-COLLECT-014", Location(file=r.stored_path), {"found": Bilingual(
                        f"{r.filename}（编号 {r.id}）：" + ("保存的文件内容已被改动，与附加时的 sha256 不一致"
                                                         if checks[r.id] == "changed" else "保存的文件已不存在"),
                        f"{r.filename} (id {r.id}): " + ("the stored file was changed since it was attached; its "
                                                        "sha256 differs" if checks[r.id] == "changed"
                                                        else "the stored file is missing"))}))
        if as_json:
            console.print_json(json.dumps([{**r.__dict__, **({"check": checks[r.id]} if verify else {})}
                                           for r in records], ensure_ascii=False))
        elif not records:
            console.print(tr("no_evidence", e=entity))
        else:
            cols = headers("evidence")
            t = Table(*(cols if verify else cols[:-1]))
            breakdown = _breakdowns(desk.library)
            for r in records:
                row = [str(r.id), r.filename, r.indicator or "", breakdown(r.dims), r.period or "",
                       str(r.size), r.sha256, r.uploaded_by or "", r.uploaded_at, r.note or ""]
                t.add_row(*(row + [tr(f"evidence_{checks[r.id]}")] if verify else row))
            console.print(t)
            if verify:
                console.print(tr("verified", n=len(records), ok=sum(v == "ok" for v in checks.values())))
        _print(problems)
        if problems:
            raise typer.Exit(1)


# -- audit ----------------------------------------------------------------------------------
@collect_app.command("audit")
@_guard
def collect_audit(period: Optional[str] = typer.Option(None, "--period", help="Only this period (a year includes its months)."),
                  entity: Optional[str] = typer.Option(None, "--entity", help="Only this entity."),
                  fmt: str = typer.Option("csv", "--format", help="csv or json."),
                  out: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: standard output)."),
                  refusals: bool = typer.Option(False, "--refusals", help="Include refused attempts from the access log.")) -> None:
    """Export the audit trail: every revision, status change, comment and evidence file."""
    from esgledger.collect.audit import export_audit

    with _ws() as ws:
        desk = _desk(ws)
        if out is None:
            export_audit(desk, sys.stdout, fmt, period=period, entity=entity, include_refusals=refusals)
            return
        with open(out, "w", encoding="utf-8", newline="") as fh:
            n = export_audit(desk, fh, fmt, period=period, entity=entity, include_refusals=refusals)
        console.print(tr("audit", n=n))


@collect_app.command("log")
@_guard
def collect_log(limit: int = typer.Option(50, "--limit", help="How many, newest first.")) -> None:
    """Refused attempts (who tried what, when, and why it was refused)."""
    with _ws() as ws:
        from esgledger.store.access import action_name, target_text

        t = Table(*headers("log"))
        for r in _desk(ws).store.access_log(limit):
            target = target_text(r["target"]).in_lang(STATE.lang) if r["target"] else ""
            t.add_row(r["at"], r["username"] or "", action_name(r["action"]).in_lang(STATE.lang), target,
                      r["reason"] or "")
        console.print(t)


__all__ = ["collect_app"]
