"""``esgledger report …``: the report definition, the report build and the gap check.

    esgledger report init [--period P] [--force]
    esgledger report build [--period P] [--lang zh|en|both] [--format html,docx,pdf,xlsx] [-o DIR] [--checklist]
    esgledger report check [--period P] [--json] [--strict]
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.text import Text
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from esgledger.cli_table import Table

report_app = typer.Typer(help="The sustainability report: definition, build and gap check.",
                         no_args_is_help=True)

T = {
    "written": {"zh": "已写入报告定义 {p}", "en": "wrote the report definition {p}"},
    "sample": {"zh": "报告名称为“{name}”（工作区名称）；各章节的叙述文字是参考公司报告的示例，请改写后删除 sample_of（report check 会列出）",
               "en": "the report names “{name}” (the workspace's name); the chapters' narrative texts are the reference company's report as a sample: rewrite them, then delete sample_of (report check lists it)"},
    "exists": {"zh": "{p} 已存在；使用 --force 覆盖", "en": "{p} exists; use --force to overwrite it"},
    "no_def": {"zh": "没有报告定义 {p}；先运行 `esgledger report init`",
               "en": "no report definition {p}; run `esgledger report init` first"},
    "setup": {"zh": "读取台账", "en": "reading the ledger"},
    "render": {"zh": "生成 {lang} {fmt}", "en": "rendering {lang} {fmt}"},
    "outputs": {"zh": "输出文件：", "en": "Outputs:"},
    "seconds": {"zh": "用时（秒）：{s}", "en": "seconds: {s}"},
    "sep": {"zh": "，", "en": ", "},
    # the timed steps of a build: reading the ledger, then each format (html, docx, pdf, xlsx: named
    # as they are in both languages)
    "step_setup": {"zh": "读取台账", "en": "setup"},
    "summary": {"zh": "{g} {p}年 条款：已披露 {ok}，已引用未核实 {cited}，部分披露 {partial}，缺失 {missing}，"
                      "视情况适用 {conditional}，不适用 {na}（必须披露的议题来自：{src}）",
                "en": "{g} {p} articles: {ok} disclosed, {cited} cited but not verified, {partial} partly, {missing} missing, "
                      "{conditional} conditional, {na} not applicable (required topics from: {src})"},
    "other": {"zh": "其他待处理事项：{items}", "en": "Other items to clear: {items}"},
    "kinds": {"review": {"zh": "审阅确认文件问题", "en": "review file problems"},
              "not_calculated": {"zh": "未计算的年度", "en": "years not calculated"},
              "campaign": {"zh": "收集任务未完成", "en": "open collection campaigns"},
              "illustrative": {"zh": "示意值数字", "en": "illustrative figures"},
              "placeholder": {"zh": "无数据的占位符", "en": "placeholders without a value"},
              "chart": {"zh": "缺数据的图表", "en": "charts without data"},
              "not_approved": {"zh": "未批准的数据", "en": "indicators with facts not approved"},
              "low_factor": {"zh": "低置信度因子", "en": "low-confidence factors"},
              "no_facts": {"zh": "没有数据的年度", "en": "years without facts"},
              "basis": {"zh": "缺少报告合并口径数据", "en": "years without figures on the report's basis"},
              "sample_text": {"zh": "参考公司的示例文字", "en": "the reference company's sample texts"}},
    "todo": {"zh": "处理", "en": "To do"},
    "src": {"materiality": {"zh": "双重重要性评估", "en": "the double-materiality assessment"},
            "definition": {"zh": "报告定义的 material_topics", "en": "material_topics of the report definition"},
            "all": {"zh": "全部议题（未记录重要性评估）", "en": "all topics (no materiality result recorded)"}},
}


def _lang() -> str:
    from esgledger.cli import STATE

    return STATE.lang if STATE.lang in ("zh", "en") else "en"


def _t(key: str, **kw) -> str:
    return T[key][_lang()].format(**kw)


def _ws():
    from esgledger.cli import _ws as open_ws

    return open_ws()


def _definition(ws, path: Optional[Path], as_json: bool = False):
    from esgledger.cli import _print_problems
    from esgledger.report.definition import DEFINITION_NAME, load_definition

    p = path or ws.path / DEFINITION_NAME
    if not p.exists():
        from esgledger.cli import err_console

        err_console.print(escape(_t("no_def", p=p)))
        raise typer.Exit(1)
    defn, problems = load_definition(p, ws.library)
    # with --json a definition that loads prints only the JSON (its warnings, such as
    # ESG-REPORT-008, are items of the check); one that does not load still says why
    _print_problems(problems, as_json and defn is not None)
    if defn is None:
        raise typer.Exit(1)
    return defn


@report_app.command("init")
def report_init(
    period: Optional[int] = typer.Option(None, "--period", help="Reporting year (default: the template's, 2024); comparison years are the two before it."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing report.yaml."),
) -> None:
    """Write a starting report definition (report.yaml) with the reference report's chapters."""
    from esgledger.cli import console, err_console
    from esgledger.report.definition import DEFINITION_NAME, write_starting_definition

    with _ws() as ws:
        path = ws.path / DEFINITION_NAME
        if path.exists() and not force:
            err_console.print(escape(_t("exists", p=path)))
            raise typer.Exit(1)
        settings = ws.config.get("workspace", {})
        # the demo is the reference company itself; any other workspace gets its own name, and
        # the reference company's narrative is marked as a sample to rewrite (sample_of)
        own = None if settings.get("demo") else str(settings.get("name") or ws.path.resolve().name)
        write_starting_definition(path, period, organisation=own)
    console.print(escape(_t("written", p=path)))
    if own is not None:
        console.print(escape(_t("sample", name=own)))


def _langs(lang: str) -> list[str]:
    if lang == "both":
        return ["zh", "en"]
    from esgledger.cli import _choice

    return [_choice(lang, ("zh", "en", "both"), "--lang")]


@report_app.command("build")
def report_build(
    period: Optional[int] = typer.Option(None, "--period", help="Reporting year (default: the definition's)."),
    lang: str = typer.Option("both", "--lang", help="Language of the report: zh, en or both."),
    fmt: str = typer.Option("html,docx,pdf,xlsx", "--format", help="Comma-separated formats: html, docx, pdf, xlsx, md."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output folder (default: WORKSPACE/outputs)."),
    definition: Optional[Path] = typer.Option(None, "--definition", help="Report definition file (default: WORKSPACE/report.yaml)."),
    checklist: bool = typer.Option(False, "--checklist", help="Internal draft: add the gap check to the HTML as an appendix (never for the filed report)."),
) -> None:
    """Build the report from the ledger in each language and format, with a progress bar."""
    from esgledger.cli import _print_problems, console
    from esgledger.report.build import build_outputs, progress_steps
    from esgledger.cli import OptionError
    from esgledger.report.render import RENDERERS

    langs = _langs(lang)
    formats = [f.strip().lower() for f in fmt.split(",") if f.strip()]
    for f in formats:
        if f.lstrip(".") not in RENDERERS:
            raise OptionError("--format", f, ", ".join(sorted(RENDERERS)))
    with _ws() as ws:
        defn = _definition(ws, definition)
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=console, transient=True) as progress:
            task = progress.add_task(_t("setup"), total=1 + len(langs) * len(formats))
            step = progress_steps(progress, task, lambda lg, f: _t("setup") if lg is None
                                  else _t("render", lang=lg, fmt=f))
            res = build_outputs(ws, defn, output or ws.path / "outputs", period=period, langs=langs,
                                formats=formats, checklist=checklist, step=step)
            progress.advance(task)
    _print_problems(res.problems, False)
    if res.problems.errors:
        raise typer.Exit(1)
    console.print(_t("outputs"))
    for p in res.outputs:
        console.print(str(p), markup=False)
    steps = (f"{_t('step_' + k) if 'step_' + k in T else k} {v:.2f}" for k, v in res.seconds.items())
    console.print(_t("seconds", s=_t("sep").join(steps)))


@report_app.command("check")
def report_check(
    period: Optional[int] = typer.Option(None, "--period", help="Reporting year (default: the definition's)."),
    definition: Optional[Path] = typer.Option(None, "--definition", help="Report definition file (default: WORKSPACE/report.yaml)."),
    as_json: bool = typer.Option(False, "--json", help="Print the check as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Exit with 1 when a required disclosure is missing."),
) -> None:
    """The gap check: each required article disclosed, cited but not verified, partly disclosed or missing, with what to do; unapproved facts, illustrative inputs, low-confidence factors."""
    from esgledger.cli import _print_problems, console
    from esgledger.report.context import ReportContext
    from esgledger.report.document import STATUS_SYMBOLS, ui_text
    from esgledger.report.gap import check_gaps
    from esgledger.report.definition import GUIDELINES

    lang = _lang()
    with _ws() as ws:
        defn = _definition(ws, definition, as_json)
        ctx = ReportContext(ws, defn, period)
        _print_problems(ctx.problems, as_json)
        if ctx.problems.errors:
            raise typer.Exit(1)
        gap = check_gaps(ctx, lang)
    counts = gap.counts()
    if as_json:
        console.print_json(json.dumps({"guideline": gap.guideline, "period": gap.period,
                                       "required_from": gap.required_from, "counts": counts,
                                       "other": gap.other_counts(), "items": gap.as_dicts()}, ensure_ascii=False))
    else:
        table = Table(ui_text("status", lang), ui_text("item", lang), ui_text("reference", lang),
                      ui_text("detail", lang), _t("todo"))
        style = {"ok": "green", "cited": "yellow", "partial": "yellow", "missing": "red", "conditional": "yellow",
                 "na": "dim", "todo": "yellow"}
        for i in gap.items:
            table.add_row(Text(f"{STATUS_SYMBOLS[i.status]} {ui_text('status_' + i.status, lang)}", style=style[i.status]),
                          i.text, i.ref, i.detail, i.action)
        console.print(table)
        console.print(_t("summary", g=GUIDELINES[gap.guideline]["short_" + lang], p=gap.period,
                         src=T["src"][gap.required_from][lang], **counts))
        other = gap.other_counts()
        if other:
            sep = _t("sep")
            console.print(_t("other", items=sep.join(f"{T['kinds'][k][lang]} {n}" for k, n in other.items())))
    if strict and gap.blocking():
        raise typer.Exit(1)
