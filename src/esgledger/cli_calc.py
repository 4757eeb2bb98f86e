"""``esgledger calc …``: the calculation run (``run``), the targets' progress (``targets``) and
the accounting views side by side (``reconcile``). Registers onto ``calc`` of
:data:`esgledger.cli.app`.
"""
from __future__ import annotations

import json
from typing import Optional

import typer

from esgledger.cli import (BASIS_NAME, STATE, _check_entity, _choice, _has_period, _incomplete_namers, _named,
                           _period, _print_problems, _ws, calc_app, console, err_console, tr)
from esgledger.cli_table import Table
from esgledger.model.errors import ProblemList


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
                   "unchanged": unchanged, "withdrawn": gone, "from_months": res.from_months,
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
        if res.from_months:  # years of monthly indicators made from their months (calc/months.py)
            console.print(tr("calc_months", n=res.from_months))
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
