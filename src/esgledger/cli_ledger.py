"""``esgledger indicators …``, ``entities …``, ``facts …`` and ``history``: the indicator library,
the entity tree, the facts in and out, and every revision of one fact. Registers onto the
sub-apps of :data:`esgledger.cli.app` and, for ``history``, onto the app itself.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.tree import Tree

from esgledger.cli import (BATCH_KIND_NAMES, STATE, OptionError, _check_entity, _check_indicator, _choice, _date,
                           _dims_key, _finish, _heads, _incomplete_namers, _is_submission, _known, _named, _near,
                           _no_value, _period, _print_problems, _source_where, _unit, _ws, app, console,
                           entities_app, err_console, facts_app, indicators_app, tr)
from esgledger.cli_table import Table
from esgledger.model.errors import Bilingual
from esgledger.model.types import FACT_STATUS_NAMES


# -- indicators --------------------------------------------------------------------------
def _library():
    """The library a command run here works with: in a workspace, the shipped one plus the
    workspace's own ``library/`` (as an import sees it, its errors included); elsewhere the
    shipped one. No store is opened (no sign-in)."""
    from esgledger.library.loader import load_library
    from esgledger.model.i18n import WORKSPACE_CONFIG

    root = STATE.workspace or Path.cwd()
    own = root / "library"
    return load_library([own] if (root / WORKSPACE_CONFIG).exists() and own.is_dir() else [])


@indicators_app.command("list")
def indicators_list(
    framework: Optional[str] = typer.Option(None, "--framework", help="Only indicators citing this framework: szse17, gri, cass, issb_s2, sasb, sdg."),
    topic: Optional[str] = typer.Option(None, "--topic", help="Only this topic code."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv."),
) -> None:
    """List the indicator library."""
    from esgledger.library.loader import FRAMEWORK_FILES

    lib = _library()
    framework = {"issb": "issb_s2", "sdgs": "sdg"}.get(framework, framework)  # the short names people type
    _choice(framework, tuple(FRAMEWORK_FILES), "--framework")
    _choice(fmt, ("table", "json", "csv"), "--format")
    if topic is not None and topic not in lib.topics:
        zh, en = _near(topic, lib.topics)
        raise OptionError("--topic", topic, Bilingual("指标库中的议题代码" + zh, "a topic code of the library" + en))
    rows = []
    for ind in lib.indicators.values():
        refs = lib.framework_refs(ind)
        if framework and not refs[framework]:
            continue
        if topic and ind.topic != topic:
            continue
        rows.append({
            "code": ind.code, "name_zh": ind.name.zh, "name_en": ind.name.en,
            "dimension": ind.dimension, "topic": ind.topic, "unit": ind.unit or "",
            "kind": ind.kind, "aggregation": ind.aggregation, "precision": ind.precision,
            "dimensions": ",".join(ind.dimensions),
            **{fw: ";".join(f"{c.code}" + ("" if c.confidence in ("V", "S") else f"[{c.confidence}]")
                            for c in refs[fw]) for fw in FRAMEWORK_FILES},
        })
    if fmt == "json":
        console.print_json(json.dumps(rows, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()) if rows else ["code"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    elif fmt == "table":
        from esgledger.model.units import UNITS

        t = Table(*_heads(("代码", "code"), ("名称", "name"), ("单位", "unit"), ("类型", "kind")), framework or "szse17")
        for r in rows:
            t.add_row(r["code"], r["name_zh"] if STATE.lang == "zh" else r["name_en"],
                      UNITS.display(r["unit"], STATE.lang) if r["unit"] else "", _named(KIND_NAMES, r["kind"]),
                      r[framework or "szse17"])
        console.print(t)


@indicators_app.command("show")
def indicators_show(code: str = typer.Argument(..., help="Indicator code."),
                    as_json: bool = typer.Option(False, "--json", help="As JSON (the library entry as written).")) -> None:
    """Show one indicator with its definition and framework references."""
    lib = _library()
    _check_indicator(lib, code)
    ind = lib[code]
    if as_json:
        data = ind.model_dump(exclude_none=True)
        data["origin"] = lib.origin[code]
        console.print_json(json.dumps(data, ensure_ascii=False, default=str))
        return
    t = Table(*_heads(("项目", "field"), ("内容", "value")))
    for label, value in _indicator_fields(lib, ind):
        if value not in (None, ""):
            t.add_row(label, str(value))
    console.print(t)


# what an indicator's library entry says, as a reader names it (indicators show)
IND_FIELDS = {
    "code": ("代码", "code"), "name": ("名称", "name"), "definition": ("定义", "definition"),
    "dimension": ("ESG 维度", "ESG pillar"), "topic": ("议题", "topic"), "unit": ("单位", "unit"),
    "value_type": ("取值类型", "value type"), "values": ("可选值", "allowed values"),
    "kind": ("来源", "kind"), "formula": ("公式", "formula"), "method": ("核算方法", "method"),
    "aggregation": ("合并方式", "consolidation"), "weight": ("权重指标", "weighted by"),
    "measured_at": ("计量时点", "measured"),
    "dimensions": ("细分维度", "breakdowns"), "breakdown_sums": ("分项之和等于合计", "breakdowns add up"),
    "precision": ("小数位数", "decimal places"), "frequency": ("填报频率", "frequency"),
    "process_types": ("适用工艺类型", "process types"), "levels": ("填报层级", "entity levels"),
    "validation": ("校验规则", "checks"), "check": ("与公式核对", "checked against"),
    "frameworks": ("框架引用", "framework references"), "confidence": ("置信度标记", "confidence tags"),
    "origin": ("定义位置", "defined in"),
}
# the framework tables' confidence tags other than V (checked against the official text) and S
# (a secondary source), which `indicators show` prints beside a code (frameworks/SOURCES.md)
CONFIDENCE_NAMES = {
    "R": {"zh": "凭记忆，未重新核对原文", "en": "recalled, not re-read"},
    "R-low": {"zh": "占位，待核实", "en": "a placeholder, to be checked"},
    "R-inferred": {"zh": "推断，待核实", "en": "inferred, to be checked"},
    "S-low": {"zh": "二手来源，可信度低", "en": "a secondary source, low confidence"},
    "code-seen": {"zh": "仅见于样本报告的索引，名称未知", "en": "seen in a sample report's index only, its name unknown"},
}
PILLAR_NAMES = {"E": {"zh": "环境（E）", "en": "environmental (E)"}, "S": {"zh": "社会（S）", "en": "social (S)"},
                "G": {"zh": "治理（G）", "en": "governance (G)"}}
VALUE_TYPE_NAMES = {"number": {"zh": "数值", "en": "number"}, "category": {"zh": "选项", "en": "category"}}

KIND_NAMES = {"input": {"zh": "填报", "en": "input"}, "formula": {"zh": "公式", "en": "formula"},
              "method": {"zh": "核算方法", "en": "method"}}
AGGREGATION_NAMES = {
    "sum": {"zh": "逐级加总", "en": "summed up the tree"},
    "recompute": {"zh": "由合并后的输入按公式重算", "en": "recomputed from the consolidated inputs"},
    "weighted_mean": {"zh": "加权平均", "en": "weighted mean"},
    "not_additive": {"zh": "不合并（集团值须在集团填报）", "en": "not consolidated (the group's value is entered at the group)"},
}
MEASURED_AT_NAMES = {
    "period": {"zh": "报告期内累计（流量，合并时按天数折算）", "en": "over the period (a flow, consolidated by days)"},
    "period_end": {"zh": "报告期末时点（存量，合并时按期末的组织树）",
                   "en": "at the end of the period (a stock, consolidated by the tree on the last day)"},
}
FREQUENCY_NAMES = {"annual": {"zh": "年度", "en": "annual"}, "monthly": {"zh": "月度", "en": "monthly"}}
LEVEL_NAMES = {"group": {"zh": "集团", "en": "group"}, "company": {"zh": "公司", "en": "company"},
               "site": {"zh": "厂区", "en": "site"}, "unit": {"zh": "单元", "en": "unit"}}
# an entity's process type as docs/entities.md names it
PROCESS_TYPE_NAMES = {
    "holding": {"zh": "控股", "en": "holding"}, "smelter": {"zh": "电解铝厂", "en": "smelter"},
    "alumina_refinery": {"zh": "氧化铝厂", "en": "alumina refinery"}, "anode_plant": {"zh": "阳极厂", "en": "anode plant"},
    "power_plant": {"zh": "电厂", "en": "power plant"}, "high_purity_aluminium": {"zh": "高纯铝", "en": "high-purity aluminium"},
    "foil_mill": {"zh": "铝箔厂", "en": "foil mill"}, "mine": {"zh": "矿山", "en": "mine"},
    "office": {"zh": "办公机构", "en": "office"},
}


def _indicator_fields(lib, ind) -> list[tuple[str, object]]:
    """``(label, text)`` of each field of an indicator, in the user's language."""
    zh = STATE.lang == "zh"
    lang = "zh" if zh else "en"
    sep = "、" if zh else ", "
    yes, no = ("是", "否") if zh else ("yes", "no")

    def names(table: dict, codes) -> str:
        return sep.join(_named(table, c) for c in codes)

    topic = lib.topics.get(ind.topic)
    dims = sep.join((f"{lib.dimensions[d].name.zh}（{d}）" if zh else f"{lib.dimensions[d].name.en} ({d})")
                    if d in lib.dimensions else d for d in ind.dimensions)
    v = ind.validation
    checks = []
    if v.min is not None:
        checks.append(f"≥ {v.min:g}")
    if v.max is not None:
        checks.append(f"≤ {v.max:g}")
    if v.integer:
        checks.append("整数" if zh else "whole number")
    if v.change_threshold_pct is not None:
        checks.append(f"较上年变化超过 {v.change_threshold_pct:g}% 时提示" if zh
                      else f"warn on a change of more than {v.change_threshold_pct:g}% from last year")
    # each code with its confidence tag as `indicators list` shows it (none for V and S): an
    # inferred CASS code or a low-confidence article must not read as a confirmed one (A2-L4)
    fw = lib.framework_refs(ind)
    tags = sorted({c.confidence for codes in fw.values() for c in codes} - {"V", "S"})

    def tagged(fw_code: str, shown=lambda c: c) -> list[str]:
        return [shown(c.code) + ("" if c.confidence in ("V", "S") else f" [{c.confidence}]") for c in fw[fw_code]]

    refs = [(label, codes) for label, codes in (
        ("深交所指引第17号" if zh else "SZSE No.17", tagged("szse17", lambda a: f"第{a}条" if zh else f"Art. {a}")),
        ("GRI", tagged("gri")), ("CASS-ESG 6.0", tagged("cass")), ("IFRS S2", tagged("issb_s2")),
        ("SASB", tagged("sasb")), ("SDG", tagged("sdg"))) if codes]
    weight = ind.weight and f"{lib[ind.weight].name.get(lang)}（{ind.weight}）" if zh else \
        ind.weight and f"{lib[ind.weight].name.get(lang)} ({ind.weight})"
    values = {
        "code": ind.code, "name": ind.name.get(lang),
        "definition": ind.definition.get(lang) if ind.definition else None,
        "dimension": _named(PILLAR_NAMES, ind.dimension),
        "topic": (f"{topic.name.get(lang)}（{ind.topic}）" if zh else f"{topic.name.get(lang)} ({ind.topic})")
                 if topic else ind.topic,
        "unit": _unit(ind.unit), "value_type": _named(VALUE_TYPE_NAMES, ind.value_type),
        "values": sep.join(ind.values), "kind": _named(KIND_NAMES, ind.kind),
        "formula": ind.formula, "method": ind.method,
        "aggregation": _named(AGGREGATION_NAMES, ind.aggregation), "weight": weight,
        "measured_at": None if ind.kind == "formula" or ind.aggregation == "not_additive"
        else _named(MEASURED_AT_NAMES, ind.measured_at),
        "dimensions": dims, "breakdown_sums": (yes if ind.breakdown_sums else no) if ind.dimensions else None,
        "precision": ind.precision, "frequency": _named(FREQUENCY_NAMES, ind.frequency),
        "process_types": names(PROCESS_TYPE_NAMES, ind.process_types) or ("全部" if zh else "all"),
        "levels": names(LEVEL_NAMES, lib.levels_of(ind.code)) or ("全部" if zh else "all"),
        "validation": ("；" if zh else "; ").join(checks),
        "check": ind.check and ind.check.formula,
        "frameworks": ("；" if zh else "; ").join(f"{label} {sep.join(codes)}" for label, codes in refs),
        "confidence": ("；" if zh else "; ").join(f"{t} {CONFIDENCE_NAMES[t][lang]}" if t in CONFIDENCE_NAMES else t
                                                 for t in tags),
        "origin": lib.origin[ind.code],
    }
    return [(IND_FIELDS[k][0 if zh else 1], values[k]) for k in IND_FIELDS]


# -- entities ----------------------------------------------------------------------------
@entities_app.command("import")
def entities_import(path: Path = typer.Argument(..., help="An entity file (.yaml or .csv)."),
                    dry_run: bool = typer.Option(False, "--dry-run", help="Check only; write nothing."),
                    as_json: bool = typer.Option(False, "--json", help="Print problems as JSON.")) -> None:
    """Import (add or replace) entities and their dated memberships."""
    with _ws() as ws:
        if dry_run:  # what the file holds, as an import would read it; nothing is written
            from esgledger.collect.entities_io import read_entities

            incoming, problems = read_entities(path, known=ws.store.load_entities())
            n = len(incoming.entities) if incoming is not None else 0
            new = sum(1 for c in incoming.entities if c not in ws.tree.entities) if incoming is not None else 0
            m = sum(1 for ms in incoming.memberships.values() for x in ms if x.parent) if incoming is not None else 0
            _finish(problems, as_json, ok_msg=tr("entities_dry", n=n, new=new, old=n - new, m=m))
            return
        problems = ws.import_entities(path)
        _finish(problems, as_json, ok_msg=tr("entities_ok", n=len(ws.tree.entities) if not problems.errors else 0))


@entities_app.command("export")
def entities_export(fmt: str = typer.Option("yaml", "--format", help="yaml or csv.")) -> None:
    """Print the entity tree as YAML or CSV."""
    _choice(fmt, ("yaml", "csv"), "--format")
    with _ws() as ws:
        sys.stdout.write(ws.export_entities(fmt))


@entities_app.command("tree")
def entities_tree(date: Optional[str] = typer.Option(None, "--date", help="Tree as on this date (YYYY-MM-DD; default today).")) -> None:
    """Show the tree with equity shares and operational control."""
    import datetime as dt

    day = _date(date, "--date") if date else dt.date.today()
    with _ws() as ws:
        nodes: dict[str, Tree] = {}
        top = Tree(ws.config.get("workspace", {}).get("name", "group"))
        for depth, code in ws.tree.depth_first(day):
            e = ws.tree.entities[code]
            m = ws.tree.membership_on(code, day)
            share = ""
            if m and m.parent:  # the parent's equity share and whether it has operational control
                zh = STATE.lang == "zh"
                share = f" {m.equity_share}% " + (("运营控制" if zh else "operational control") if m.operational_control
                                                  else ("无运营控制" if zh else "no operational control"))
            label = f"{code} {e.name(STATE.lang)} [{_named(PROCESS_TYPE_NAMES, e.process_type) if STATE.lang == 'zh' else e.process_type}]{share}"
            parent = nodes.get(m.parent) if m and m.parent else top
            nodes[code] = (parent or top).add(escape(label))  # "[smelter]" is text, not rich markup
        console.print(top)


# -- facts -------------------------------------------------------------------------------
@facts_app.command("import")
def facts_import(path: Path = typer.Argument(..., help="A .csv or .xlsx file in the interchange format."),
                 dry_run: bool = typer.Option(False, "--dry-run", help="Check everything, write nothing."),
                 status: Optional[str] = typer.Option(None, "--status", help="Status of every new fact: draft, submitted, approved or rejected (default: each row's status column, as an export writes it, else submitted; approved and rejected need the review right)."),
                 author: Optional[str] = typer.Option(None, "--author", help="Who typed the data, in a single-user workspace (default: the local account); a signed-in user is always the author."),
                 as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")) -> None:
    """Import facts, all or nothing: any error means nothing is written."""
    with _ws() as ws:
        rep = ws.import_facts(path, dry_run=dry_run, status=status, author=author)
        if as_json:
            console.print_json(json.dumps(rep.as_dict(STATE.lang), ensure_ascii=False))
        _print_problems(rep.problems, as_json)
        if rep.problems.errors:
            if not as_json:
                from esgledger.collect.interchange import MAX_PROBLEMS

                n = len(rep.problems.errors)
                err_console.print(tr("rejected_capped" if n >= MAX_PROBLEMS else "rejected", e=n))
            raise typer.Exit(1)
        if not as_json:
            console.print(tr("dry", n=rep.rows, f=len(rep.facts)) if dry_run
                          else tr("written", n=len(rep.facts), b=rep.batch_id))


@facts_app.command("export")
def facts_export(fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json."),
                 out: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (needed for xlsx)."),
                 entity: Optional[list[str]] = typer.Option(None, "--entity", help="Entity code (repeatable)."),
                 indicator: Optional[list[str]] = typer.Option(None, "--indicator", help="Indicator code (repeatable)."),
                 period: Optional[list[str]] = typer.Option(None, "--period", help="Period (repeatable)."),
                 status: Optional[list[str]] = typer.Option(None, "--status", help="Status (repeatable)."),
                 basis: str = typer.Option("own", "--basis", help="own (each entity's own values: entered, and calculated at the entity), control or equity (consolidated), or all.")) -> None:
    """Export the current facts."""
    from esgledger.model.types import STATUSES

    _choice(fmt, ("csv", "xlsx", "json"), "--format")
    _choice(basis, ("own", "control", "equity", "all"), "--basis")
    for p in period or ():
        _period(p)
    for st in status or ():
        _choice(st, (*STATUSES, "calculated"), "--status")
    if fmt == "xlsx" and out is None:
        raise OptionError("--output", "", Bilingual("xlsx 文件的路径（xlsx 不能输出到终端）",
                                                    "a file path (xlsx cannot go to the terminal)"))
    if out is not None and not out.parent.is_dir():
        raise OptionError("--output", str(out), Bilingual("已存在目录中的文件路径", "a path in an existing folder"))
    with _ws() as ws:
        for e in entity or ():
            _check_entity(ws.tree, e)
        for i in indicator or ():
            _check_indicator(ws.library, i, "--indicator")
        filters = dict(entity=entity or None, indicator=indicator or None, period=period or None,
                       status=status or None, basis=None if basis == "all" else basis)
        if out is None:
            sys.stdout.write(ws.export_facts(fmt, **filters))
            return
        if fmt == "xlsx":
            ws.export_facts(fmt, out=out, **filters)
            import openpyxl

            book = openpyxl.load_workbook(out, read_only=True)
            n = sum(1 for _ in book.worksheets[0].iter_rows(min_row=2, values_only=True))
            book.close()
        else:
            text = ws.export_facts(fmt, **filters)
            out.write_text(text, encoding="utf-8")
            if fmt == "json":
                n = len(json.loads(text))
            else:
                import csv
                import io

                n = sum(1 for _ in csv.reader(io.StringIO(text))) - 1  # without the header
    console.print(tr("exported", n=n, p=out), markup=False)


@facts_app.command("withdraw")
def facts_withdraw(indicator: str = typer.Argument(..., help="Indicator code."),
                   entity: list[str] = typer.Option(..., "--entity", help="Entity code (repeatable)."),
                   period: str = typer.Option(..., "--period", help="Period, e.g. 2024."),
                   dims: str = typer.Option("", "--dims", help="Dimension key, e.g. gender=female."),
                   reason: str = typer.Option(..., "--reason", help="Why the value goes (kept in its history).")) -> None:
    """Withdraw an entered value: its key has no current value after it; history keeps it."""
    _period(period)
    if not reason.strip():
        raise OptionError("--reason", reason, Bilingual("撤回原因（写入历史记录）", "the reason (kept in the history)"))
    with _ws() as ws:
        for e in entity:
            _known(ws, indicator, e)
        key = _dims_key(ws.library, dims)
        batch = ws.withdraw_facts([(e, indicator, period, key) for e in entity], reason=reason.strip())
        console.print(tr("withdrawn", n=len(set(entity)), b=batch))


@app.command()
def history(indicator: str = typer.Argument(..., help="Indicator code."),
            entity: str = typer.Option(..., "--entity", help="Entity code."),
            period: str = typer.Option(..., "--period", help="Period, e.g. 2024."),
            dims: str = typer.Option("", "--dims", help="Dimension key, e.g. gender=female."),
            basis: str = typer.Option("own", "--basis", help="own, control or equity."),
            as_json: bool = typer.Option(False, "--json", help="Print the revisions as JSON.")) -> None:
    """Every revision of one fact, oldest first: who, when, old and new value, source and reason."""
    _choice(basis, ("own", "control", "equity"), "--basis")
    _period(period)
    with _ws() as ws:
        _known(ws, indicator, entity)
        dims = _dims_key(ws.library, dims)
        rows, shown, old, ids = [], [], None, []
        for f in ws.history(entity, indicator, period, dims, basis):
            b = ws.access.batch(f.batch) if f.batch else None
            # where the revision came from: a file with its line ("import f.csv:2"), or the
            # calculation run itself ("calc run 2024 control"); for the table, the kind in the
            # user's language
            src = shown_src = None
            if b:
                where = b["source"] if b["kind"] == "calc" else (Path(b["source"]).name if b["source"] else "")
                line = f":{f.location}" if f.location else ""
                src = (where if b["kind"] == "calc" else f"{b['kind']} {where}".strip()) + line
                shown_where = _source_where(b["kind"], where)
                shown_src = (shown_where if b["kind"] == "calc" or _is_submission(b["kind"], where)
                             else f"{_named(BATCH_KIND_NAMES, b['kind'])} {shown_where}".strip()) + line
            rows.append({"revision": f.revision, "old_value": old, "value": f.value, "unit": f.unit,
                         "entered": f"{f.value_entered or ''} {f.unit_entered or ''}".strip() or None,
                         "status": f.status, "author": f.author, "at": f.created_at, "source": src,
                         "reason": f.comment, "review": []})
            ids.append(f.id)
            shown.append({**rows[-1], "status": _named(FACT_STATUS_NAMES, f.status), "source": shown_src,
                          "reason": _reason(ws, f),
                          "unit": _unit(f.unit),
                          "entered": f"{f.value_entered or ''} {_unit(f.unit_entered)}".strip() or None})
            old = f.value
        if not rows:
            err_console.print(_no_value(ws, indicator, entity, period), markup=False)
            raise typer.Exit(1)
        # the reviewers' comments on this value (collect return --value), each under the revision
        # it was made on: the one it names, else the last one written before it
        for c in ws.review_comments(entity, indicator, period, dims) if basis == "own" else ():
            i = ids.index(c["fact_id"]) if c["fact_id"] in ids else \
                max([0] + [k for k, r in enumerate(rows) if (r["at"] or "") <= (c["at"] or "")])
            rows[i]["review"].append({k: c[k] for k in ("kind", "author", "at", "text")})
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    t = Table(*HISTORY_HEADERS[STATE.lang if STATE.lang in ("zh", "en") else "en"])
    for r, full in zip(shown, rows):
        t.add_row(*("" if r[k] is None else str(r[k]) for k in
                    ("revision", "old_value", "value", "unit", "entered", "status", "author", "at", "source", "reason")))
        for c in full["review"]:  # a reviewer's comment, on its own line under the revision
            t.add_row("", "", "", "", "", _named(REVIEW_NOTE_NAMES, c["kind"]), c["author"] or "", c["at"] or "", "",
                      c["text"])
    console.print(t)


def _reason(ws, f) -> str | None:
    """A revision's comment as history shows it: a calculated figure's incomplete mark in the
    reader's language (calc/incomplete.py), any other comment as written."""
    from esgledger.calc.incomplete import describe, is_incomplete

    if f.status == "calculated" and is_incomplete(f.comment):
        lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
        return describe(f.comment, lang, *_incomplete_namers(ws, lang))
    return f.comment


# a review comment's line in history (review_comment.kind)
REVIEW_NOTE_NAMES = {"return": {"zh": "审核意见（退回）", "en": "review: returned"},
                     "approve": {"zh": "审核意见（批准）", "en": "review: approved"},
                     "note": {"zh": "审核意见", "en": "review note"}}
HISTORY_HEADERS = {
    "zh": ("版本", "原值", "新值", "单位", "录入值", "状态", "操作人", "时间", "来源", "原因/说明"),
    "en": ("rev", "old value", "new value", "unit", "entered", "status", "who", "when", "source", "reason"),
}
