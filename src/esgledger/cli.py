"""The ``esgledger`` command line (Typer + Rich): a thin layer over the Python API.

Problems print as ``file:sheet!B12: CODE message`` (``--json`` gives the same list as data);
the exit code is 1 when there is an error, 0 otherwise.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from esgledger.cli_help import LocalizedGroup
from esgledger.cli_table import Table
from esgledger.model.errors import CATALOGUE, Bilingual, EsgledgerError, Location, Problem, ProblemList
from esgledger.model.i18n import default_lang, fmt, forced_lang, workspace_lang
from esgledger.model.period import Period, PeriodError
from esgledger.model.types import FACT_STATUS_NAMES, Dims

app = typer.Typer(help="esgledger: the energy–carbon–ESG ledger of an industrial group.", cls=LocalizedGroup,
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
indicators_app = typer.Typer(help="The indicator library.", no_args_is_help=True)
entities_app = typer.Typer(help="The entity tree (group → company → site → unit).", no_args_is_help=True)
facts_app = typer.Typer(help="Facts in and out (the interchange format).", no_args_is_help=True)
calc_app = typer.Typer(help="Derived indicators, consolidation and methodologies.", no_args_is_help=True)
errors_app = typer.Typer(help="The catalogue of problem codes.", no_args_is_help=True)
app.add_typer(indicators_app, name="indicators")
app.add_typer(entities_app, name="entities")
app.add_typer(facts_app, name="facts")
app.add_typer(calc_app, name="calc")
app.add_typer(errors_app, name="errors")

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


class State:
    lang: str = default_lang()
    lang_given: bool = False  # --lang: it wins over ESGLEDGER_LANG and the workspace's setting
    workspace: Path | None = None
    user: str | None = None  # who acts: ``--user`` of ``users``/``collect``, else ESGLEDGER_USER


STATE = State()

T = {
    "written": {"zh": "已写入 {n} 条数据（批次 {b}）", "en": "wrote {n:fact|facts} (batch {b})"},
    "dry": {"zh": "试运行：检查了 {n} 行（可写入 {f} 条数据），未写入任何数据",
            "en": "dry run: checked {n:row|rows} ({f:fact|facts} to write), wrote nothing"},
    "withdrawn": {"zh": "已撤回 {n} 条数据（批次 {b}）；请重新运行 calc run 以撤回或重算依赖它们的计算值",
                  "en": "withdrew {n:fact|facts} (batch {b}); run calc run again to withdraw or recompute what was calculated from them"},
    "rejected": {"zh": "存在 {e} 个错误，未写入任何数据", "en": "{e:error|errors}: nothing was written"},
    "rejected_capped": {"zh": "至少 {e} 个错误（只列出前 {e} 个），未写入任何数据",
                        "en": "{e} errors or more (only the first {e} are listed): nothing was written"},
    "calc": {"zh": "{p} 计算完成：{c} 个结果，新写入 {w} 个，未变 {u} 个",
             "en": "{p}: computed {c:value|values}, wrote {w}, unchanged {u}"},
    "calc_incomplete": {"zh": "不完整：以下排放源或能源消费的核算方法无法执行（见上方 ESG-CALC-005），应包含它们的合计值已写入并标注为"
                               "不完整，共 {n} 个计算值（范围一、全国碳市场排放量、产品碳足迹、综合能源消费量，及其上各级合并值和"
                               "由其计算的指标；esgledger explain 可见该标注）：",
                        "en": "incomplete: the methodology of these sources or energy uses could not run (ESG-CALC-005 "
                              "above); the totals that should include them are written marked incomplete, "
                              "{n:calculated value|calculated values} in all (Scope 1, national ETS emissions, product "
                              "footprints, energy consumption, the consolidated figures above them and what is computed "
                              "from those; esgledger explain shows the mark):"},
    "calc_also": {"zh": "{p}（{b}，账本中已有该口径的合并值，一并重新计算）：{c} 个结果，新写入 {w} 个，未变 {u} 个",
                  "en": "{p} ({b}, whose consolidated values the ledger holds, recomputed too): computed {c:value|values}, wrote {w}, unchanged {u}"},
    "calc_withdrew": {"zh": "撤回了 {n} 个不再能计算的计算值（历史记录保留原值）",
                      "en": "withdrew {n:calculated value|calculated values} it can no longer compute (history keeps them)"},
    "novalue_have": {"zh": "没有该数据。{i} 在 {e} {p} 有数据的维度（--dims）及口径（--basis）：{keys}",
                     "en": "no such value. {i} has values at {e} {p} for these --dims (and --basis): {keys}"},
    "nodims": {"zh": "（无维度）", "en": "(none)"},
    "novalue_none": {"zh": "没有该数据：{i} 在 {e} {p} 没有任何数据", "en": "no such value: {i} has no value at {e} {p}"},
    "ok": {"zh": "未发现问题", "en": "no problems found"},
    "no_period": {"zh": "台账中没有 {p} 的任何数据（请先用 facts import 导入该期数据，或检查 --period）",
                  "en": "the ledger has no value for {p} (import the period's data with facts import first, or check --period)"},
    "stale": {"zh": "注意：此值计算后，{n} 项输入数据已有新的版本（如 {first}）；请运行 `esgledger calc run --period {p}` 重新计算",
              "en": "note: {n:input has|inputs have} a newer revision since this value was calculated (e.g. {first}); "
                    "run `esgledger calc run --period {p}` to recompute"},
    "ws_created": {"zh": "已创建工作区 {p}", "en": "created workspace {p}"},
    "entities_ok": {"zh": "已导入组织树（{n} 个主体）", "en": "imported the entity tree ({n:entity|entities})"},
    "entities_dry": {"zh": "检查通过：文件中有 {n} 个主体（新增 {new} 个，已在组织树中 {old} 个）、{m} 条隶属关系；未写入任何内容（--dry-run）",
                     "en": "checked: no errors; the file has {n:entity|entities} ({new} new, {old} already in the tree) "
                           "and {m:membership|memberships}; nothing written (--dry-run)"},
    "exported": {"zh": "已导出 {n} 条数据：{p}", "en": "exported {n:fact|facts} to {p}"},
    "password_for": {"zh": "{u} 的密码：", "en": "password for {u}: "},
    "no_tty_sign_in": {"zh": "没有终端，无法提示输入 {u} 的密码：请用环境变量 ESGLEDGER_PASSWORD 提供密码",
                       "en": "no terminal to ask for the password of {u}: give it in the environment variable "
                             "ESGLEDGER_PASSWORD"},
}


def tr(key: str, **kw) -> str:
    return fmt(T[key][STATE.lang if STATE.lang in ("zh", "en") else "en"], **kw)


def _print_version(value: bool) -> None:
    if value:
        from esgledger import __version__

        typer.echo(f"esgledger {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    lang: Optional[str] = typer.Option(None, "--lang", help="Language of messages and help: zh or en (default: ESGLEDGER_LANG, else the workspace's workspace.lang, else the locale)."),
    workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", envvar="ESGLEDGER_WORKSPACE",
                                             help="Workspace folder (default: the current folder)."),
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Global options."""
    STATE.user = None  # set again by the ``users`` / ``collect`` callbacks' --user
    if lang is not None:
        if lang not in ("zh", "en"):
            raise typer.BadParameter("expected zh or en", param_hint="--lang")
    STATE.lang_given = lang is not None
    STATE.workspace = workspace
    # --lang, else ESGLEDGER_LANG, else the workspace's workspace.lang, else the locale
    STATE.lang = lang or forced_lang() or workspace_lang(workspace or Path.cwd()) or default_lang()
    # output that goes to a file or a pipe is read and grepped: tables as wide as their content
    # needs (up to 200 columns), not cut to the 80 columns Rich assumes without a terminal
    for c in (console, err_console):
        c.width = c.size.width if c.is_terminal or os.environ.get("COLUMNS") else 200


def stdin_is_terminal() -> bool:
    """Whether a password can be asked for (hidden) on standard input."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced standard input
        return False


def _ws():
    """The workspace, signed in as the acting user (``--user`` or ``ESGLEDGER_USER``) with the
    password from ``ESGLEDGER_PASSWORD`` or a prompt. With no user given, a workspace without
    users opens as its local administrator; one with users refuses every read and write."""
    from esgledger.workspace import Workspace

    user = STATE.user or os.environ.get("ESGLEDGER_USER") or None

    def password() -> str:
        pw = os.environ.get("ESGLEDGER_PASSWORD")
        if pw is None:
            if not stdin_is_terminal():  # getpass would warn and read the password visibly
                err_console.print(tr("no_tty_sign_in", u=user), markup=False)
                raise typer.Exit(1)
            pw = typer.prompt(tr("password_for", u=user), hide_input=True, err=True, prompt_suffix="")
        return pw

    return Workspace(STATE.workspace or Path.cwd(), lang=STATE.lang if STATE.lang_given else None, user=user,
                     password=password if user else None)


class OptionError(EsgledgerError, ValueError):
    """A command-line option with a value it does not take (ESG-CLI-001)."""

    def __init__(self, option: str, found, expected: "str | Bilingual"):
        from esgledger.model.errors import FIELD_NAMES_ZH

        # an argument (INDICATOR, KEY) is named in Chinese in a Chinese message; an option
        # (--period) is what the user typed and stays as it is
        named = Bilingual(FIELD_NAMES_ZH[option], option) if option in FIELD_NAMES_ZH else option
        self.problem = Problem("ESG-CLI-001", Location(field=option),
                               {"field": named, "found": str(found), "expected": expected})
        super().__init__(self.problem.render("en"))


PERIOD_FORMS = Bilingual("2024、2024-03 或 2024-Q1 形式的期间", "2024, 2024-03 or 2024-Q1")


def _choice(value, options: tuple[str, ...], option: str):
    """``value`` if it is one of ``options`` (None passes), else ESG-CLI-001."""
    if value is not None and value not in options:
        raise OptionError(option, value, ", ".join(options))
    return value


def _period(value: str, option: str = "--period") -> str:
    try:
        return str(Period.parse(value))
    except PeriodError:
        raise OptionError(option, value, PERIOD_FORMS) from None


DATE_FORM = Bilingual("YYYY-MM-DD 格式的日期（如 2026-06-30）", "a date YYYY-MM-DD (such as 2026-06-30)")


def _date(value: str, option: str):
    """The date an option gives (YYYY-MM-DD), else ESG-CLI-001 naming the option."""
    import datetime as dt
    import re

    # fromisoformat would also take 20260630 or 2026-W26-2: the help and the docs say YYYY-MM-DD
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise OptionError(option, value, DATE_FORM)
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:  # 2026-13-01, 2024-02-30
        raise OptionError(option, value, DATE_FORM) from None


def _heads(*pairs: tuple[str, str]) -> list[str]:
    """Table headers in the user's language, from (zh, en) pairs."""
    return [zh if STATE.lang == "zh" else en for zh, en in pairs]


def _near(found: str, codes, names: dict[str, str] | None = None) -> tuple[str, str]:
    """The closest codes to a mistyped one, as a (zh, en) tail for an expected text. Case does
    not count (``tlyx`` → TLYX, ``EMPLOYEES`` → employees), and ``names`` (a name → its code)
    are matched too, as the import matches an entity's names (天铝 → TLYX)."""
    import difflib

    folded: dict[str, list[str]] = {}
    for c in codes:
        folded.setdefault(str(c).casefold(), []).append(c)
    for n, c in (names or {}).items():
        if n:
            folded.setdefault(str(n).casefold(), []).append(c)
    key = str(found).casefold()
    near = list(dict.fromkeys(folded.get(key, []) + [
        c for n in difflib.get_close_matches(key, list(folded), n=3) for c in folded[n]]))[:3]
    return (f"，如 {'、'.join(near)}", f", e.g. {', '.join(near)}") if near else ("", "")


def _check_indicator(library, code: str, option: str = "INDICATOR") -> None:
    """ESG-CLI-001 unless the library has the indicator ``code``."""
    if library.get(code) is None:
        zh, en = _near(code, library.indicators, {n: c for c, i in library.indicators.items()
                                                   for n in (i.name.zh, i.name.en)})
        raise OptionError(option, code, Bilingual("指标库中的指标代码（见 esgledger indicators list）" + zh,
                                                  "an indicator code of the library (esgledger indicators list)" + en))


def _known(ws, indicator: str, entity: str) -> None:
    """An indicator the library has and an entity the tree has, else ESG-CLI-001 naming what
    was expected (with the closest codes, for a typo)."""
    _check_indicator(ws.library, indicator)
    _check_entity(ws.tree, entity)


def _dims_key(library, text: str) -> str:
    """A --dims selection as the ledger keys it: dimensions and members by code or by their
    Chinese or English names (性别=女性 → gender=female), sorted; ESG-CLI-001 for one the
    library does not have."""
    if not text:
        return ""
    parts: list[tuple[str, str]] = []
    for part in text.split(";"):
        k, eq, v = part.partition("=")
        k, v = k.strip(), v.strip()
        dim = k if k in library.dimensions else next(
            (d.code for d in library.dimensions.values() if k in (d.name.zh, d.name.en)), None)
        member = library.resolve_member(dim, v) if dim and eq else None
        if member is None:
            raise OptionError("--dims", text, _dims_expected(library, dim if eq else None))
        parts.append((dim, member))
    return Dims(dict(parts)).key


def _dims_expected(library, dim: str | None) -> Bilingual:
    """What a --dims part should have been: the syntax when there is no ``=``, the library's
    dimensions for an unknown one, the dimension's members (by code, with their names) for an
    unknown member."""
    if dim is not None:
        d = library.dimensions[dim]
        return Bilingual(f"{d.name.zh}（{dim}）的成员：" + "、".join(f"{m.code}（{m.name.zh}）" for m in d.members),
                         f"a member of {dim} ({d.name.en}): " + ", ".join(m.code for m in d.members))
    return Bilingual("维度=成员;…，如 gender=female 或 性别=女性；维度：" + "、".join(sorted(library.dimensions)),
                     "dimension=member;…, e.g. gender=female or 性别=女性; dimensions: "
                     + ", ".join(sorted(library.dimensions)))


def _check_entity(tree, entity: str) -> None:
    """ESG-CLI-001 unless the tree has the entity (with the closest codes, for a typo)."""
    if entity not in tree.entities:
        zh, en = _near(entity, tree.entities, {n: c for c, e in tree.entities.items() for n in (e.name_zh, e.name_en)})
        raise OptionError("--entity", entity, Bilingual("组织树中的主体代码（见 esgledger entities tree）" + zh,
                                                        "an entity code of the tree (esgledger entities tree)" + en))


def _no_value(ws, indicator: str, entity: str, period: str) -> str:
    """"No such value", and where the same indicator, entity and period do have one (the
    dimension keys and bases to ask for instead)."""
    have = sorted({(f.dims, f.basis) for f in ws.access.iter_current(entity=entity, indicator=indicator,
                                                                         period=period, basis=None)})
    if not have:
        return tr("novalue_none", i=indicator, e=entity, p=period)
    bases: dict[str, list[str]] = {}
    for d, b in have:
        bases.setdefault(d, []).append(b)
    keys = ", ".join(f"{d or tr('nodims')} ({'/'.join(sorted(bs, key=('own', 'control', 'equity').index))})"
                     for d, bs in bases.items())
    return tr("novalue_have", i=indicator, e=entity, p=period, keys=keys)


def _message(exc: EsgledgerError) -> str:
    """An error in the user's language when it carries a catalogued problem."""
    problem = getattr(exc, "problem", None)
    if problem is not None:
        return problem.render(STATE.lang)
    problems = getattr(exc, "problems", None)  # a file with several problems (factor sets, library)
    if problems:
        return "\n".join(p.render(STATE.lang) for p in list(problems)[:30])
    return str(exc)


def _print_problems(problems: ProblemList, as_json: bool) -> None:
    if as_json:
        return
    for p in problems:
        style = "red" if p.severity.value == "error" else "yellow"
        err_console.print(f"[{style}]{escape(p.render(STATE.lang))}[/{style}]", markup=True)


# -- workspace ---------------------------------------------------------------------------
@app.command()
def init(path: Path = typer.Argument(..., help="Folder to create the workspace in."),
         db: Optional[str] = typer.Option(None, "--db", help="Store URL, e.g. postgresql://user@host/db (default: a SQLite file in the workspace)."),
         name: Optional[str] = typer.Option(None, "--name", help="Workspace name.")) -> None:
    """Create a workspace: a config file, a database and an evidence folder."""
    from esgledger.workspace import init_workspace

    ws = init_workspace(path, db=db, name=name, lang=STATE.lang)
    ws.close()
    console.print(tr("ws_created", p=path))


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


BATCH_KIND_NAMES = {"import": {"zh": "导入", "en": "import"}, "calc": {"zh": "计算", "en": "calc"},
                    "api": {"zh": "接口", "en": "api"}, "demo": {"zh": "演示", "en": "demo"},
                    "collect": {"zh": "填报", "en": "collect"}, "withdraw": {"zh": "撤回", "en": "withdraw"},
                    "review": {"zh": "审核", "en": "review"}}
# what a batch's source says, as collect and calc store it (English, kept as is in the ledger),
# in Chinese: (batch kind, pattern, Chinese with the pattern's groups; {basis}: the approach's name)
_SOURCES_ZH = [
    ("review", r"approve (\S+)", r"批准 \1"),
    ("review", r"return (\S+)", r"退回 \1"),
    ("api", r"submit (\S+)", r"提交 \1"),
    ("calc", r"calc run (\S+) (\w+)", r"计算运行 \1（{basis}）"),
    ("calc", r"ghg run (\S+)", r"温室气体核算 \1"),
]
KIND_NAMES = {"input": {"zh": "填报", "en": "input"}, "formula": {"zh": "公式", "en": "formula"},
              "method": {"zh": "核算方法", "en": "method"}}
SEVERITY_NAMES = {"error": {"zh": "错误", "en": "error"}, "warning": {"zh": "警告", "en": "warning"},
                  "info": {"zh": "提示", "en": "info"}}


def _unit(unit: str | None) -> str:
    """A unit by its display name in the user's language (人 → persons); "" for none."""
    from esgledger.model.units import UNITS

    return "" if unit in (None, "", "1") else UNITS.display(unit, "zh" if STATE.lang == "zh" else "en")


def _named(names: dict, value: str | None) -> str:
    """A stored code (status, batch kind, severity) in the user's language (as is if unknown)."""
    if value is None:
        return ""
    return names.get(value, {}).get("zh" if STATE.lang == "zh" else "en", value)


# a review comment's line in history (review_comment.kind)
REVIEW_NOTE_NAMES = {"return": {"zh": "审核意见（退回）", "en": "review: returned"},
                     "approve": {"zh": "审核意见（批准）", "en": "review: approved"},
                     "note": {"zh": "审核意见", "en": "review note"}}
HISTORY_HEADERS = {
    "zh": ("版本", "原值", "新值", "单位", "录入值", "状态", "操作人", "时间", "来源", "原因/说明"),
    "en": ("rev", "old value", "new value", "unit", "entered", "status", "who", "when", "source", "reason"),
}


# -- calc, explain, validate -------------------------------------------------------------
@calc_app.command("run")
def calc_run(period: str = typer.Option(..., "--period", help="Period, e.g. 2024."),
             approach: Optional[str] = typer.Option(None, "--approach", help="control or equity (default: the workspace's)."),
             full: bool = typer.Option(False, "--full", help="Ignore a calculation state kept in this process (a command is a new process: it always recomputes everything)."),
             view: Optional[str] = typer.Option(None, "--view", help="inventory, ets or product: then print that accounting view's results."),
             as_json: bool = typer.Option(False, "--json", help="Print the run's counts, its problems and the view asked for as JSON.")) -> None:
    """Run the methods, compute derived indicators and consolidate up the tree; writes only the values that changed."""
    from esgledger.calc.views import VIEWS

    _choice(approach, ("control", "equity"), "--approach")
    _choice(view, VIEWS, "--view")
    _period(period)
    with _ws() as ws:
        res = ws.calc(period, approach, full=full)
        _print_problems(res.problems, as_json)
        g = res.ghg  # the methodology results (None: no activity input changed since the last run)
        if not res.computed and not (g and g.outputs):
            _has_period(ws, period)
        # a run without --approach also recomputes the other approach's stored values (below):
        # then each summary line names its approach
        others = [] if approach is not None else [a for a in ws.stored_approaches(period) if a != res.approach]
        computed = res.computed + (len(g.outputs) if g else 0)
        written, unchanged = res.written + (g.written if g else 0), res.unchanged + (g.unchanged if g else 0)
        gone = len(res.withdrawn) + (len(g.withdrawn) if g else 0)
        if as_json:
            out = {"period": res.period, "approach": res.approach, "computed": computed, "written": written,
                   "unchanged": unchanged, "withdrawn": gone,
                   "problems": [p.as_dict(STATE.lang) for p in res.problems]}
            for other in others:  # the other approach's stored values, brought up to date (below)
                more = ws.calc(period, other, full=full)
                out.setdefault("also", []).append({
                    "approach": other, "computed": more.computed, "written": more.written,
                    "unchanged": more.unchanged, "withdrawn": len(more.withdrawn),
                    "problems": [p.as_dict(STATE.lang) for p in more.problems]})
            if view is not None:
                out["view"] = _view_json(ws, res.period, view, approach)
            console.print_json(json.dumps(out, ensure_ascii=False))
            return
        named = res.period if not others else (
            f"{res.period}（{_named(BASIS_NAME, res.approach)}）" if STATE.lang == "zh"
            else f"{res.period} ({_named(BASIS_NAME, res.approach)})")
        console.print(tr("calc", p=named, c=computed, w=written, u=unchanged))
        if gone:  # values this run can no longer compute (each named by ESG-CALC-007 above)
            console.print(tr("calc_withdrew", n=gone))
        if g and g.left_out:  # totals written without a source they should include (calc/incomplete.py)
            _print_left_out(ws, g, res)
        # the other approach's consolidated values, where the ledger holds some for the period,
        # are brought up to date too: a tree change must not leave them counting a plant that has
        # left (A2-M1). Warnings the first run gave already are not repeated.
        shown = {p.render(STATE.lang) for p in res.problems}
        for other in others:
            more = ws.calc(period, other, full=full)
            _print_problems(ProblemList([p for p in more.problems if p.render(STATE.lang) not in shown]), False)
            console.print(tr("calc_also", p=more.period, b=_named(BASIS_NAME, other), c=more.computed,
                             w=more.written, u=more.unchanged))
            if more.withdrawn:
                console.print(tr("calc_withdrew", n=len(more.withdrawn)))
        if view is not None:
            _print_view(ws, res.period, view, approach)


def _reason(ws, f) -> str | None:
    """A revision's comment as history shows it: a calculated figure's incomplete mark in the
    reader's language (calc/incomplete.py), any other comment as written."""
    from esgledger.calc.incomplete import describe, is_incomplete

    if f.status == "calculated" and is_incomplete(f.comment):
        lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
        return describe(f.comment, lang, *_incomplete_namers(ws, lang))
    return f.comment


def _print_left_out(ws, g, res) -> None:
    """The sources a run could not compute, and how many totals it wrote marked incomplete
    for want of them (the run still exits 0: everything it wrote is either complete or says
    what it leaves out; docs/methodology.md)."""
    from esgledger.calc.incomplete import ENERGY

    lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
    entity, source = _incomplete_namers(ws, lang)
    marked = sum(1 for o in g.outputs if o.comment) + res.incomplete
    console.print(tr("calc_incomplete", n=marked))
    for e, src, code in g.left_out:
        what = source(src) if not src.startswith(ENERGY) else \
            f"能源消费 {source(src)}" if lang == "zh" else f"energy use {source(src)}"
        console.print(f"  {entity(e)}：{what}（{code}）" if lang == "zh" else
                      f"  {entity(e)}: {what} ({code})", markup=False)


VIEW_TITLE = {
    "inventory": {"zh": "{p} 温室气体清单（{b}）", "en": "{p} GHG inventory ({b})"},
    "ets": {"zh": "{p} 全国碳市场口径（各重点排放单位）", "en": "{p} national ETS view (by covered enterprise)"},
    "product": {"zh": "{p} 产品碳足迹（集团内摇篮到大门）", "en": "{p} product footprint (cradle-to-gate inside the group)"},
}
BASIS_NAME = {"control": {"zh": "运营控制权法", "en": "operational control"},
              "equity": {"zh": "股权比例法", "en": "equity share"}}


def _print_view(ws, period: str, view: str, approach: str | None) -> None:
    """One accounting view's results after a run (esgledger.calc.views)."""
    from esgledger.calc.incomplete import Footnotes
    from esgledger.calc.views import view_table
    from esgledger.model.units import UNITS

    lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
    vt = view_table(ws, period, view, approach, lang)
    first = {"inventory": {"zh": "主体", "en": "entity"}, "ets": {"zh": "重点排放单位", "en": "enterprise"},
             "product": {"zh": "产品", "en": "product"}}[view][lang]
    heads = [first]
    for code in vt.columns:
        ind = ws.library[code]
        heads.append(f"{ind.name.get(lang) or code} ({UNITS.display(ind.unit, lang)})")
    basis = _named(BASIS_NAME, vt.basis)
    t = Table(*heads, title=VIEW_TITLE[view][lang].format(p=period, b=basis))
    notes = Footnotes()  # a figure that leaves out a source: *n on it, the mark under the table
    for row in vt.rows:
        t.add_row(row.label, *("—" if row.values[c] is None else
                               notes.cell(_num(row.values[c], ws.library[c].precision), row.marks.get(c))
                               for c in vt.columns))
    console.print(t)
    for line in notes.lines(lang, *_incomplete_namers(ws, lang)):
        console.print(line, markup=False, highlight=False)


def _view_json(ws, period: str, view: str, approach: str | None) -> dict:
    """The view of ``calc run --view … --json``: its title, its columns (code, name, unit) and
    its rows, each value as exact decimal text (null where the ledger has none) and its
    incomplete mark as stored (null where it has none: calc/incomplete.py)."""
    from esgledger.calc.views import view_table
    from esgledger.model.units import UNITS

    lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
    vt = view_table(ws, period, view, approach, lang)
    return {"view": view, "title": VIEW_TITLE[view][lang].format(p=period, b=_named(BASIS_NAME, vt.basis)),
            "basis": vt.basis,
            "columns": [{"indicator": c, "name": ws.library[c].name.get(lang) or c,
                         "unit": UNITS.display(ws.library[c].unit, lang)} for c in vt.columns],
            "rows": [{"key": r.key, "label": r.label,
                      "values": {c: None if r.values[c] is None else str(r.values[c]) for c in vt.columns},
                      "incomplete": {c: r.marks.get(c) for c in vt.columns}}
                     for r in vt.rows]}


@calc_app.command("targets")
def calc_targets(period: str = typer.Option(..., "--period", help="Period, e.g. 2024."),
                 entity: Optional[str] = typer.Option(None, "--entity", help="Entity (default: the reporting root, or each target's own)."),
                 as_json: bool = typer.Option(False, "--json", help="Print the assessment as JSON.")) -> None:
    """Progress of the targets against their baseline year and their even path (the shipped ones and the workspace's targets.yaml)."""
    period = _period(period)
    from decimal import Decimal

    from esgledger.calc.targets import TargetsFileError, assess, load_targets

    lang = STATE.lang
    with _ws() as ws:
        if entity is not None:
            _check_entity(ws.tree, entity)
        try:
            targets = load_targets(ws.path)
        except TargetsFileError as exc:
            err_console.print(f"esgledger: {exc.problem.render(lang)}", markup=False)
            raise typer.Exit(1)

        def value(ent: str, ind: str, year: str):
            f = ws.value(entity or ent, ind, year)
            return None if f is None else Decimal(f.value)

        rows = assess(targets, period, ws.root(), value)
        if as_json:
            console.print_json(json.dumps([{
                "target": a.target.code, "entity": entity or a.entity, "indicator": a.target.indicator,
                "baseline_year": a.target.baseline_year, "baseline": None if a.baseline is None else str(a.baseline),
                "baseline_from": a.baseline_from, "current": None if a.current is None else str(a.current),
                "target_year": a.target.target_year, "target_change_pct": str(a.target.change_pct),
                "target_value": str(a.progress.target_value) if a.progress else None,
                "progress_pct": str(a.progress.progress_pct) if a.progress else None,
                # the even path, linear in value: where the value should be this year had the change
                # been spread evenly from the baseline year to the target year (model.targets)
                "even_path_value": str(a.progress.planned_value) if a.progress else None,
                "even_step_pct": str(a.progress.even_step_pct) if a.progress else None,
                "against_even_path": a.progress.against_path if a.progress else None,
                "achieved": a.progress.achieved if a.progress else None,
                "required_annual_pct": str(a.progress.required_annual_pct)
                if a.progress and a.progress.required_annual_pct is not None else None,
                "problem": a.problem.render(lang) if a.problem else None} for a in rows], ensure_ascii=False))
        else:
            t = Table(*TARGET_COLUMNS[lang], title=TARGET_TITLE[lang].format(p=period))
            for a in rows:
                p, tg = a.progress, a.target
                t.add_row(tg.name(lang), entity or a.entity,
                          "—" if a.baseline is None else f"{tg.baseline_year}: {_num(a.baseline)}",
                          "—" if a.current is None else f"{period}: {_num(a.current)}",
                          f"{tg.target_year}: " + ("—" if p is None else _num(p.target_value)),
                          "—" if p is None else f"{_num(p.progress_pct, 1)} %",
                          "—" if p is None else f"{period}: {_num(p.planned_value)}",
                          "—" if p is None else _named(TARGET_STATE, "achieved" if p.achieved else p.against_path),
                          "—" if p is None or p.required_annual_pct is None else f"{_num(p.required_annual_pct, 2)} %")
            console.print(t)
        _print_problems(ProblemList([a.problem for a in rows if a.problem is not None]), as_json)
        if any(a.problem is not None for a in rows):
            raise typer.Exit(1)


TARGET_TITLE = {"en": "Targets against their baseline, as of {p}", "zh": "目标进展（截至{p}年）"}
TARGET_COLUMNS = {
    "en": ("target", "entity", "baseline", "current", "target value", "progress", "even path",
           "against the even path", "required change / year"),
    "zh": ("目标", "主体", "基准值", "当前值", "目标值", "完成进度", "均衡路径值", "与均衡路径相比", "每年需变化"),
}
# where the current value stands against the even (linear) path, or the target reached
TARGET_STATE = {"ahead": {"zh": "领先", "en": "ahead"}, "on": {"zh": "持平", "en": "on the path"},
                "behind": {"zh": "落后", "en": "behind"}, "achieved": {"zh": "已达到目标", "en": "target achieved"}}


def _has_period(ws, period: str) -> None:
    """A period the ledger has no value for: say so and stop (exit 1), rather than print zero
    totals, "computed 0 values" or "no problems found" (UAT: a typo in --period looked like a
    year without emissions). Asked only when a command found nothing: the query scans the fact
    table (no index leads with the period)."""
    if not ws.access.has_period(period):
        err_console.print(f"esgledger: {tr('no_period', p=period)}", markup=False)
        raise typer.Exit(1)


def _num(d, places: int = 4) -> str:
    from esgledger.report.numbers import format_value

    return format_value(d, places)


@calc_app.command("reconcile")
def calc_reconcile(period: str = typer.Option(..., "--period", help="Period, e.g. 2024."),
                   approach: Optional[str] = typer.Option(None, "--approach", help="control or equity: how the inventory counts each entity (default: the workspace's)."),
                   as_json: bool = typer.Option(False, "--json", help="Print the lines, columns and totals as JSON.")) -> None:
    """Each accounting view's totals (inventory, national ETS, product) from shared lines, and why each view counts a line or not."""
    from decimal import Decimal

    from esgledger.calc.incomplete import Footnotes
    from esgledger.calc.reconcile import LEGEND, VIEW_NAMES, reconcile
    from esgledger.model.units import UNITS
    from esgledger.report.numbers import format_value

    lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
    _choice(approach, ("control", "equity"), "--approach")
    period = _period(period)
    with _ws() as ws:
        approach = approach or ws.approach
        rec = reconcile(ws, period, lang, approach)
        if not rec.lines:
            _has_period(ws, period)
        if as_json:
            console.print_json(json.dumps(rec.as_json(), ensure_ascii=False))
            return
        legend: dict[str, int] = {}  # note text -> its number

        def numbered(ln) -> str:
            nums = []
            for view in ("inventory", "ets", "product"):
                text = ln.notes.get(view)
                if text:
                    text = f"{VIEW_NAMES[view][lang]}：{text}" if lang == "zh" else f"{VIEW_NAMES[view][lang]}: {text}"
                    nums.append(legend.setdefault(text, len(legend) + 1))
            return ", ".join(str(n) for n in nums)

        t = Table(LEGEND["entity"][lang], LEGEND["item"][lang], LEGEND["share"][lang],
                  *(f"{VIEW_NAMES[c.view][lang]}\n{c.label}" for c in rec.columns), LEGEND["notes"][lang],
                  title=f"{period} {UNITS.display('tCO2e', lang)} ({BASIS_NAME[approach][lang]})")
        marks = Footnotes()  # a line or total resting on a figure that leaves out a source: *n
        for ln in rec.lines:
            share = "100 %" if ln.share == 1 else \
                f"{format_value(Decimal(ln.share.numerator) / Decimal(ln.share.denominator) * 100, 2)} %"
            t.add_row(ln.entity, marks.cell(ln.label, ln.mark), share,
                      *("—" if c.key not in ln.values else format_value(ln.values[c.key], 0) for c in rec.columns),
                      numbered(ln))
        tot, column_marks = rec.totals(), rec.column_marks()
        t.add_row("", LEGEND["total"][lang], "",
                  *(marks.cell(format_value(tot[c.key], 0), column_marks[c.key]) for c in rec.columns), "")
        t.add_row("", LEGEND["view_total"][lang], "",
                  *("—" if rec.view_totals.get(c.key) is None else
                    marks.cell(format_value(rec.view_totals[c.key], 0), rec.view_marks.get(c.key))
                    for c in rec.columns), "")
        console.print(t)
        for text, n in legend.items():
            console.print(f"{n}. {text}", markup=False, highlight=False)
        for line in marks.lines(lang, *_incomplete_namers(ws, lang)):
            console.print(line, markup=False, highlight=False)


@app.command()
def explain(indicator: str = typer.Argument(..., help="Indicator code."),
            entity: str = typer.Option(..., "--entity", help="Entity code."),
            period: str = typer.Option(..., "--period", help="Period."),
            dims: str = typer.Option("", "--dims", help="Dimension key, e.g. gender=female."),
            basis: Optional[str] = typer.Option(None, "--basis", help="own, control or equity (default: consolidated at an entity with children in the period, else own)."),
            as_json: bool = typer.Option(False, "--json", help="Print the lineage as JSON.")) -> None:
    """Print the lineage of a value down to the imported rows."""
    _choice(basis, ("own", "control", "equity"), "--basis")
    _period(period)
    with _ws() as ws:
        _known(ws, indicator, entity)
        dims = _dims_key(ws.library, dims)
        node = ws.explain(indicator, entity, period, dims, basis)
        if node is None:
            err_console.print(_no_value(ws, indicator, entity, period), markup=False)
            raise typer.Exit(1)
        _resolve_sources(ws, node)
        if as_json:
            console.print_json(json.dumps(explain_json(ws, node), ensure_ascii=False, default=str))
        else:
            for line in render_explain(ws, node):
                console.print(line, markup=False, highlight=False, crop=False, overflow="ignore")
        stale = _stale_inputs(ws, node)
        if stale:
            err_console.print(tr("stale", n=len(stale), first=stale[0], p=period), markup=False)


def _stale_inputs(ws, node) -> list[str]:
    """Entered facts in a calculated value's lineage that have a newer revision since: the value
    was calculated before a correction and a run is due. One read of the current facts of the
    entities, indicators and periods the lineage names."""
    leaves: dict[tuple, object] = {}
    stack = [node] if node.fact.status == "calculated" else []
    while stack:
        for ch in stack.pop().children:
            f = ch.fact
            if f.status == "calculated":
                stack.append(ch)
            else:
                leaves[(f.entity, f.indicator, f.period, f.dims, f.basis)] = f
    if not leaves:
        return []
    current = {(f.entity, f.indicator, f.period, f.dims, f.basis): f.revision
               for f in ws.access.iter_current(entity=sorted({k[0] for k in leaves}),
                                               indicator=sorted({k[1] for k in leaves}),
                                               period=sorted({k[2] for k in leaves}), basis=None)}
    return [f"{f.entity} {f.indicator}{f'[{f.dims}]' if f.dims else ''} {f.period}"
            for key, f in leaves.items() if current.get(key, f.revision) > f.revision]


def _shown(f, ind) -> tuple[str, str]:
    """A calculated value as a report prints it (half-up at the indicator's precision,
    thousands grouped) and, when that is not the whole of it, the exact value the ledger keeps;
    an entered value exactly as entered."""
    if f.status != "calculated" or ind is None or ind.value_type != "number":
        return f.value, ""
    from decimal import Decimal, InvalidOperation

    from esgledger.report.numbers import format_value, round_half_up

    try:
        exact = Decimal(f.value)
        rounded = round_half_up(exact, ind.precision)
    except InvalidOperation:
        return f.value, ""
    shown = format_value(rounded, ind.precision)
    if rounded == exact:
        return shown, ""
    return shown, f"  [{'精确值' if STATE.lang == 'zh' else 'exact'} {f.value}]"


def _is_submission(kind: str, where: str) -> bool:
    """A batch that submitted an entity (``esgledger collect submit E``, stored as kind api
    with source ``submit E``): shown by what it did (提交 E / submit E), not as an API call."""
    import re

    return kind == "api" and re.fullmatch(r"submit \S+", where or "") is not None


def _source_where(kind: str, where: str) -> str:
    """A batch's stored source in the user's language: in Chinese, the sources collect and calc
    write (``approve TLYX-P1`` → 批准 TLYX-P1); file names and anything else as stored."""
    if STATE.lang != "zh" or not where:
        return where
    import re

    for k, pattern, zh in _SOURCES_ZH:
        m = re.fullmatch(pattern, where) if k == kind else None
        if m:
            basis = BASIS_NAME.get(m.group(2), {}).get("zh", m.group(2)) if "{basis}" in zh else ""
            return m.expand(zh).replace("{basis}", basis)
    return where


def _resolve_sources(ws, node) -> None:
    """An imported row's file as a path a reviewer can open: relative to the workspace when the
    file is inside it (``data/facts-2024.csv:736``, the demo keeps the files it imported
    there), else the whole path the import read (UAT4 F-M16: only the file name was shown,
    and the file was not in the workspace)."""
    from pathlib import Path

    batches: dict[int, str | None] = {}
    root = Path(ws.path).resolve()
    stack = [node]
    while stack:
        n = stack.pop()
        stack += n.children
        b = n.batch
        if not b or b["kind"] != "import" or not n.fact.location:
            continue
        if b["id"] not in batches:
            rec = ws.access.batch(b["id"])
            src = Path(rec["source"]) if rec and rec.get("source") else None
            if src is not None:
                try:
                    src = src.resolve().relative_to(root)
                except ValueError:
                    pass
            batches[b["id"]] = src.as_posix() if src is not None else None
        if batches[b["id"]]:
            b["where"] = f"{batches[b['id']]}:{n.fact.location}"


def _input_flags(ws, node) -> dict[int, dict]:
    """For every value of the lineage tree: its comment, what the comment says the row is
    (:func:`figure_notes.comment_status`: illustrative, a company split of a published total,
    calibrated to named published figures) and the mark the report prints on the figure
    (:func:`figure_notes.figure_statuses`, the workspace's root as the group) — what a
    reviewer must clear before signing (UAT4 F-M16)."""
    from esgledger.report.figure_notes import comment_status, figure_statuses

    facts, stack = {}, [node]
    while stack:
        n = stack.pop()
        facts[n.fact.id] = n.fact
        stack += n.children
    from esgledger.calc.incomplete import describe, is_incomplete

    marks = figure_statuses(ws.store, set(facts), ws.root())
    out = {}
    for fid, f in facts.items():
        kind, targets = comment_status(f.comment) if f.status != "calculated" else (None, ())
        # a calculated figure that leaves out a source it should include (calc/incomplete.py)
        gap = {lang: describe(f.comment, lang, *_incomplete_namers(ws, lang)) for lang in ("zh", "en")} \
            if f.status == "calculated" and is_incomplete(f.comment) else None
        out[fid] = {"comment": f.comment or None, "kind": kind, "calibrated_to": list(targets),
                    "mark": marks.get(fid), "incomplete": gap}
    return out


def _incomplete_namers(ws, lang: str):
    from esgledger.calc.incomplete import namers

    return namers(ws.tree, ws.library, lang)


_FLAG_WORDS = {
    "illustrative": {"zh": "示意", "en": "illustrative"},
    "split": {"zh": "拆分（集团合计为公布值）", "en": "split of a published group total"},
    "calibrated": {"zh": "校准至 {t}", "en": "calibrated to {t}"},
    "comment": {"zh": "备注：{c}", "en": "comment: {c}"},
    "mark_illustrative": {"zh": "报告标注：示意值", "en": "report mark: illustrative value"},
    "mark_split": {"zh": "报告标注：分公司拆分为示意", "en": "report mark: company split illustrative"},
    "mark_calibrated": {"zh": "报告标注：与公布值一致，输入为校准后的示意值",
                        "en": "report mark: as published, inputs illustrative and calibrated"},
    "mark_incomplete": {"zh": "报告标注：不完整，所依据的计算值未计入无法核算的排放源",
                        "en": "report mark: incomplete, it rests on a figure that leaves out a source"},
}


def _flag_words(flags: dict | None, lang: str, calculated: bool) -> str:
    """``  [示意；备注：illustrative]`` after an entered value; ``  [report mark: …]`` after a
    calculated or consolidated one that carries a mark."""
    if not flags:
        return ""
    words = []
    if not calculated and flags["kind"]:
        words.append(_FLAG_WORDS[flags["kind"]][lang].format(t=", ".join(flags["calibrated_to"])))
    if not calculated and flags["comment"]:
        words.append(_FLAG_WORDS["comment"][lang].format(c=flags["comment"]))
    if calculated and flags.get("incomplete"):
        words.append(flags["incomplete"][lang])        # what it leaves out (its own mark says)
    elif calculated and flags["mark"]:
        words.append(_FLAG_WORDS["mark_" + flags["mark"]][lang])
    return f"  [{('；' if lang == 'zh' else '; ').join(words)}]" if words else ""


def _source(n) -> str:
    """Where an entered value came from, the batch kind and the source collect wrote in the
    user's language (导入 #3 facts-2024.csv:125, 审核 #6 批准 TLYX-P1)."""
    b = n.batch
    if not b:
        return n.source
    return f"{_named(BATCH_KIND_NAMES, b['kind'])} #{b['id']} {_source_where(b['kind'], b['where'])}"


def _method(n, lang: str) -> str:
    """The method behind a calculated value by its name, with its version and GWP set."""
    if not n.method_parts:
        return n.method
    from esgledger.report.figure_notes import method_name

    code, version, gwp = n.method_parts
    if lang == "zh":
        return f"{method_name(code, lang)}，方法版本 {version}" + (f"，GWP 取 {gwp}" if gwp else "")
    return f"{method_name(code, lang)}, method version {version}" + (f", GWP {gwp}" if gwp else "")


def _factor_citations(ws, node) -> dict[tuple[int, int], tuple[str, str, str]]:
    """``(fact id, position) → (factor set, edition, source)`` of every factor the lineage tree
    cites, as the calculation run recorded them (``fact_factor``): the citation an auditor
    checks a factor against (UAT1 F8: explain showed set@version and confidence only)."""
    from sqlalchemy import select

    from esgledger.store import schema as S

    ids, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.factors:
            ids.append(n.fact.id)
        stack += n.children
    if not ids:
        return {}
    ff = S.fact_factor
    with ws.store.engine.connect() as conn:
        rows = conn.execute(select(ff.c.fact_id, ff.c.pos, ff.c.factor_set, ff.c.edition, ff.c.source)
                            .where(ff.c.fact_id.in_(ids)).order_by(ff.c.fact_id, ff.c.pos)).all()
    out: dict[tuple[int, int], tuple[str, str, str]] = {}
    by_fact: dict[int, int] = {}
    for r in rows:  # positions as the node lists its factors (ordered by pos, from 0)
        i = by_fact.get(r.fact_id, 0)
        by_fact[r.fact_id] = i + 1
        out[(r.fact_id, i)] = (r.factor_set or "", r.edition or "", r.source or "")
    return out


def _citation_words(edition: str, source: str, lang: str, factors=None, confidence: str = "",
                    factor_set: str = "") -> str:
    """``版本：…；来源：…`` / ``edition: …; source: …``: the edition cited in ``lang`` as the
    factor sets cite it (library/editions.py: 《2006年IPCC国家温室气体清单指南》第3卷第4.4章 in a
    Chinese text), the source as the factor file gives it (a published title stays as published)."""
    from esgledger.library.editions import edition_text

    parts = []
    if edition:
        shown = edition_text(edition, lang, confidence, factors, factor_set.partition("@")[0] or None,
                             labelled=False) if factors is not None else edition
        parts.append(("版本：" if lang == "zh" else "edition: ") + shown)
    if source:
        parts.append(("来源：" if lang == "zh" else "source: ") + source)
    return ("；" if lang == "zh" else "; ").join(parts)


def _edition_cited(factors, edition: str, confidence: str, factor_set: str = "") -> dict | None:
    """``{"zh": …, "en": …}``: how the factor sets cite ``edition`` in each language, or None
    where no set cites it (``edition`` is then all there is)."""
    from esgledger.library.editions import cited_edition

    if not edition:
        return None
    name = factor_set.partition("@")[0] or None
    cited = {lang: cited_edition(factors, edition, lang, confidence, name) for lang in ("zh", "en")}
    return cited if cited["zh"] is not None else None


def explain_json(ws, node) -> dict:
    """The lineage tree as data (``explain --json``): each value with its method, equation,
    factors (key, value, unit, confidence, set, edition, source) and inputs."""
    cites = _factor_citations(ws, node)
    flags = _input_flags(ws, node)

    def one(n) -> dict:
        f = n.fact
        fl = flags.get(f.id) or {}
        factors = []
        for i, (key, value, unit, conf) in enumerate(n.factors):
            fset, edition, source = cites.get((f.id, i), ("", "", ""))
            factors.append({"factor": key, "factor_set": fset or None, "value": value, "unit": unit,
                            "confidence": conf, "edition": edition or None,
                            "edition_cited": _edition_cited(ws.factors, edition, conf, fset),
                            "source": source or None})
        method = None
        if n.method_parts:
            code, version, gwp = n.method_parts
            method = {"method": code, "version": version, "gwp_set": gwp}
        return {"entity": f.entity, "indicator": f.indicator, "dims": f.dims, "period": f.period,
                "basis": f.basis, "value": f.value, "unit": f.unit, "status": f.status,
                "weight": n.weight, "method": method, "equation": n.equation,
                "source": (_source(n) if n.source and f.status != "calculated" else None),
                "comment": fl.get("comment"), "input_kind": fl.get("kind"),
                "calibrated_to": fl.get("calibrated_to") or [],
                "illustrative": bool(fl.get("kind")) or fl.get("mark") == "illustrative",
                "report_mark": fl.get("mark"),
                "incomplete": (fl.get("incomplete") or {}).get(STATE.lang if STATE.lang in ("zh", "en") else "en"),
                "factors": factors, "inputs": [one(ch) for ch in n.children]}

    return one(node)


def render_explain(ws, node) -> list[str]:
    """The lineage tree as text lines (never cropped: they are read and grepped). A factor
    line names the factor's edition and source as the calculation recorded them."""
    from esgledger.calc.equations import equation_text

    lang = STATE.lang if STATE.lang in ("zh", "en") else "en"
    cites = _factor_citations(ws, node)
    flags = _input_flags(ws, node)

    def label(n) -> str:
        f = n.fact
        ind = ws.library.get(f.indicator)
        name = ind.name.get(lang) if ind else f.indicator
        dims = f"[{f.dims}]" if f.dims else ""
        how = ""
        if ind is not None and ind.kind == "formula" and f.status == "calculated":
            how = f"  = {ind.formula}"
        elif f.basis != "own":
            how = f"  ({_named(BASIS_NAME, f.basis)})"
        w = f" × {n.weight}" if n.weight else ""
        if w and (n.role or "").startswith("structure:"):
            # the share held day by day less the product of the levels' weights (consolidate.py)
            w += ("（期内两级持股或控制变动的调整：按日持有份额减去逐级权重之积）" if lang == "zh" else
                  " (adjustment for a change of share or control at two levels in the period: the share "
                  "held day by day less the product of the levels' weights)")
        src = f"  ← {_source(n)}" if n.source and f.status != "calculated" else ""
        method = f"  [{_method(n, lang)}]" if n.method else ""
        shown, exact = _shown(f, ind)
        flag = _flag_words(flags.get(f.id), lang, calculated=f.status == "calculated" or bool(n.children))
        return f"{f.entity} {name} {f.indicator}{dims} {f.period}: {shown} {_unit(f.unit)}{exact}{w}{how}{method}{src}{flag}"

    lines = [label(node)]

    def add(n, prefix: str) -> None:
        items = [("equation", n.equation)] if n.equation else []
        items += [("factor", (j, fk)) for j, fk in enumerate(n.factors)] + [("fact", ch) for ch in n.children]
        for i, (kind, item) in enumerate(items):
            last = i == len(items) - 1
            if kind == "equation":  # as the lineage records it (the equation's own citation)
                lines.append(prefix + ("└── " if last else "├── ") + ("公式 " if lang == "zh" else "equation ")
                             + equation_text(item, lang))
                continue
            if kind == "factor":
                j, (key, value, factor_unit, conf) = item
                words = ["因子" if lang == "zh" else "factor", key, "=", value, _unit(factor_unit), f"({conf})"]
                fset, edition, source = cites.get((n.fact.id, j), ("", "", ""))
                cite = _citation_words(edition, source, lang, ws.factors, conf, fset)
                lines.append(prefix + ("└── " if last else "├── ") + " ".join(w for w in words if w)
                             + (("；" if lang == "zh" else "; ") + cite if cite else ""))
                continue
            lines.append(prefix + ("└── " if last else "├── ") + label(item))
            add(item, prefix + ("    " if last else "│   "))

    add(node, "")
    return lines


@app.command()
def validate(period: str = typer.Option(..., "--period", help="Period to check."),
             rule: Optional[list[str]] = typer.Option(None, "--rule", help="Only these rule codes."),
             skip: Optional[list[str]] = typer.Option(None, "--skip", help="Skip these rule codes."),
             as_json: bool = typer.Option(False, "--json", help="Print findings as JSON.")) -> None:
    """Run the validation rules over the ledger."""
    period = _period(period)
    from esgledger.calc.validate import run_rules

    with _ws() as ws:
        problems = run_rules(ws, period, select=rule or None, skip=skip or ())
        if not problems:
            _has_period(ws, period)
        _finish(problems, as_json, ok_msg=tr("ok") if not problems else None)


# -- factors -----------------------------------------------------------------------------
factors_app = typer.Typer(help="Emission and conversion factor sets.", no_args_is_help=True)
app.add_typer(factors_app, name="factors")


@factors_app.command("list")
def factors_list(as_json: bool = typer.Option(False, "--json", help="As JSON.")) -> None:
    """The factor sets in use: shipped ones and the workspace's own (``factors/``), by priority."""
    with _ws() as ws:
        sets = ws.factors.list_sets()
        if as_json:
            console.print_json(json.dumps([{"set": fs.name, "version": fs.version, "priority": fs.priority,
                                            "user": fs.user, "values": len(fs.values), "file": fs.file}
                                           for fs in sets], ensure_ascii=False))
            return
        t = Table(*_heads(("因子集", "set"), ("版本", "version"), ("名称", "title"), ("优先级", "priority"),
                          ("数值个数", "values"), ("用户自定义", "user")))
        for fs in sets:
            t.add_row(fs.name, fs.version, getattr(fs.title, STATE.lang) if fs.title else "", str(fs.priority),
                      str(len(fs.values)), ("是" if STATE.lang == "zh" else "yes") if fs.user else "")
        console.print(t)


@factors_app.command("show")
def factors_show(key: str = typer.Argument(..., help="Factor key, e.g. grid.ef or fuel.ncv."),
                 set_name: Optional[str] = typer.Option(None, "--set", help="Only this set."),
                 as_json: bool = typer.Option(False, "--json", help="As JSON.")) -> None:
    """Every value of a factor key with its dimensions, validity, source and confidence."""
    with _ws() as ws:
        names = [fs.name for fs in ws.factors.list_sets()]
        if set_name is not None and set_name not in names:
            zh, en = _near(set_name, names)
            raise OptionError("--set", set_name, Bilingual("所用的因子集（见 esgledger factors list）" + zh,
                                                           "a factor set in use (esgledger factors list)" + en))
        values = ws.factors.values(key, set_name)
        if not values:
            raise OptionError("KEY", key if set_name is None else f"{key} --set {set_name}",
                              Bilingual("所用因子集中的因子键（见 esgledger factors list）",
                                        "a factor key of the factor sets in use (esgledger factors list)"))
        rows = [{"ref": v.ref, "dims": dict(v.dims), "entities": list(v.entities), "value": str(v.value), "unit": v.unit,
                 "confidence": v.confidence, "edition": v.edition,
                 "edition_cited": _edition_cited(ws.factors, v.edition, v.confidence, v.set_name), "source": v.source,
                 "valid_from": v.valid_from and v.valid_from.isoformat(),
                 "valid_to": v.valid_to and v.valid_to.isoformat()} for v in values]
        if as_json:
            console.print_json(json.dumps(rows, ensure_ascii=False))
            return
        from esgledger.library.factors import _validity

        t = Table(*_heads(("因子", "factor"), ("适用于", "for"), ("数值", "value"), ("单位", "unit"),
                          ("有效期", "valid"), ("版本", "edition"), ("置信度", "conf."), ("来源", "source")))
        from esgledger.library.editions import edition_text

        lang = "zh" if STATE.lang == "zh" else "en"
        for fv, r in zip(values, rows):  # the edition as the set cites it in the reader's language
            t.add_row(r["ref"], " ".join(f"{k}={m}" for k, m in r["dims"].items()), r["value"], r["unit"],
                      _validity(fv.valid_from, fv.valid_to),
                      edition_text(fv.edition, lang, fv.confidence, ws.factors, fv.set_name, labelled=False),
                      r["confidence"], r["source"])
        console.print(t)


# -- errors ------------------------------------------------------------------------------
@errors_app.command("list")
def errors_list(as_json: bool = typer.Option(False, "--json", help="As JSON.")) -> None:
    """List every problem code with its severity and title."""
    if as_json:
        console.print_json(json.dumps([{"code": s.code, "severity": s.severity.value, "title_en": s.title_en,
                                        "title_zh": s.title_zh} for s in CATALOGUE.values()], ensure_ascii=False))
        return
    t = Table(*_heads(("代码", "code"), ("级别", "severity"), ("标题", "title")))
    for s in CATALOGUE.values():
        t.add_row(s.code, _named(SEVERITY_NAMES, s.severity.value), s.title_zh if STATE.lang == "zh" else s.title_en)
    console.print(t)


# -- demo --------------------------------------------------------------------------------
@app.command()
def demo(path: Path = typer.Argument(Path("esgledger-demo"), help="Folder for the demo workspace."),
         db: Optional[str] = typer.Option(None, "--db", help="Store URL (default: a SQLite file).")) -> None:
    """Build the reference aluminium group, load 2022–2024, compute, validate, write the KPI table."""
    from esgledger.demo.build import build_demo

    outputs = build_demo(path, db=db, lang=STATE.lang, console=console)
    for o in outputs:
        console.print(str(o))


def _finish(problems: ProblemList, as_json: bool, ok_msg: str | None = None) -> None:
    if as_json:
        console.print_json(json.dumps([p.as_dict(STATE.lang) for p in problems], ensure_ascii=False))
    else:
        _print_problems(problems, False)
        if ok_msg and not problems.errors:
            console.print(ok_msg)
    if problems.errors:
        raise typer.Exit(1)


from esgledger.cli_report import report_app  # noqa: E402
app.add_typer(report_app, name="report")


import esgledger.cli_collect  # noqa: E402,F401 - registers the `users` and `collect` sub-apps


def main() -> None:
    try:
        app()
    except EsgledgerError as exc:
        err_console.print(f"esgledger: {_message(exc)}", markup=False)
        sys.exit(1)
    except PeriodError as exc:  # a --period of a command that did not check it itself
        err_console.print(f"esgledger: {_message(OptionError('--period', exc, PERIOD_FORMS))}", markup=False)
        sys.exit(1)



if __name__ == "__main__":
    main()
