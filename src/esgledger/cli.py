"""The ``esgledger`` command line (Typer + Rich): a thin layer over the Python API.

Problems print as ``file:sheet!B12: CODE message`` (``--json`` gives the same list as data);
the exit code is 1 when there is an error, 0 otherwise.

This module holds the app, the global options, the helpers the groups share, and ``init``,
``validate``, ``factors``, ``errors`` and ``demo``; the other commands live in
:mod:`esgledger.cli_ledger` (indicators, entities, facts, history), :mod:`esgledger.cli_calc`,
:mod:`esgledger.cli_explain`, :mod:`esgledger.cli_report`, :mod:`esgledger.cli_users` and
:mod:`esgledger.cli_collect`.
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

from esgledger.cli_help import LocalizedGroup
from esgledger.cli_table import Table
from esgledger.model.errors import CATALOGUE, Bilingual, EsgledgerError, Location, Problem, ProblemList
from esgledger.model.i18n import default_lang, fmt, forced_lang, workspace_lang
from esgledger.model.period import Period, PeriodError
from esgledger.model.types import Dims

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
    "calc_months": {"zh": "由各月生成了 {n} 个月度指标的年度值（见上方 ESG-CALC-020/021 提示，如有）",
                    "en": "made {n:year|years} of monthly indicators from their months (ESG-CALC-020/021 above say where not or instead of what)"},
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


def _finish(problems: ProblemList, as_json: bool, ok_msg: str | None = None) -> None:
    if as_json:
        console.print_json(json.dumps([p.as_dict(STATE.lang) for p in problems], ensure_ascii=False))
    else:
        _print_problems(problems, False)
        if ok_msg and not problems.errors:
            console.print(ok_msg)
    if problems.errors:
        raise typer.Exit(1)


# -- names and sources in the user's language, shared by the groups ---------------------
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


# the consolidation approaches by name (calc, explain, a calculation run's batch source)
BASIS_NAME = {"control": {"zh": "运营控制权法", "en": "operational control"},
              "equity": {"zh": "股权比例法", "en": "equity share"}}


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


def _incomplete_namers(ws, lang: str):
    from esgledger.calc.incomplete import namers

    return namers(ws.tree, ws.library, lang)


def _has_period(ws, period: str) -> None:
    """A period the ledger has no value for: say so and stop (exit 1), rather than print zero
    totals, "computed 0 values" or "no problems found" (UAT: a typo in --period looked like a
    year without emissions). Asked only when a command found nothing: the query scans the fact
    table (no index leads with the period)."""
    if not ws.access.has_period(period):
        err_console.print(f"esgledger: {tr('no_period', p=period)}", markup=False)
        raise typer.Exit(1)


def _edition_cited(factors, edition: str, confidence: str, factor_set: str = "") -> dict | None:
    """``{"zh": …, "en": …}``: how the factor sets cite ``edition`` in each language, or None
    where no set cites it (``edition`` is then all there is)."""
    from esgledger.library.editions import cited_edition

    if not edition:
        return None
    name = factor_set.partition("@")[0] or None
    cited = {lang: cited_edition(factors, edition, lang, confidence, name) for lang in ("zh", "en")}
    return cited if cited["zh"] is not None else None


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


# the groups' commands, registered in the order `esgledger --help` lists them: init (above),
# history (cli_ledger), explain (cli_explain), then validate and demo (below)
import esgledger.cli_ledger  # noqa: E402,F401 - indicators, entities, facts, history
import esgledger.cli_calc  # noqa: E402,F401 - calc run, targets, reconcile
import esgledger.cli_explain  # noqa: E402,F401 - explain


def __getattr__(name: str):
    """``from esgledger.cli import _method``: a name that moved to a group's module, looked up
    there when asked for (an import here would fail when the group's module is imported first)."""
    if name == "_method":
        from esgledger.cli_explain import _method

        return _method
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@app.command()
def validate(period: str = typer.Option(..., "--period", help="Period to check."),
             rule: Optional[list[str]] = typer.Option(None, "--rule", help="Only these rule codes (repeatable)."),
             skip: Optional[list[str]] = typer.Option(None, "--skip", help="Skip these rule codes (repeatable)."),
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
        from esgledger.library.factors import validity_text

        t = Table(*_heads(("因子", "factor"), ("适用于", "for"), ("数值", "value"), ("单位", "unit"),
                          ("有效期", "valid"), ("版本", "edition"), ("置信度", "conf."), ("来源", "source")))
        from esgledger.library.editions import edition_text

        lang = "zh" if STATE.lang == "zh" else "en"
        for fv, r in zip(values, rows):  # the edition as the set cites it in the reader's language
            t.add_row(r["ref"], " ".join(f"{k}={m}" for k, m in r["dims"].items()), r["value"], r["unit"],
                      validity_text(fv.valid_from, fv.valid_to),
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
