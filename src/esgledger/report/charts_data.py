"""Charts of a report definition filled from the ledger (the drawing is :mod:`charts`).

A chart definition names indicators (one series each) or one indicator split ``by`` a
dimension; the values are the report entity's consolidated facts for the report's years. A
``pie`` shows the reporting year. A ``target`` chart needs the value of its baseline year: from
the ledger, or ``baseline_value`` in the definition (then footnoted as such); a footnote says
where the latest year stands against the even path to the target (linear in value:
:mod:`esgledger.model.targets`). A chart with no value at all is left out of the document
and reported by the gap check.
"""
from __future__ import annotations

from decimal import Decimal

from esgledger.model.targets import target_from_change, target_progress
from esgledger.report.definition import ChartDef
from esgledger.report.document import Chart, Footnote, Series
from esgledger.report.numbers import format_value

TEXT = {
    "actual": {"zh": "实际值", "en": "Actual"},
    "baseline": {"zh": "{y}年基准", "en": "{y} baseline"},
    "target": {"zh": "{y}年目标", "en": "{y} target"},
    "trajectory": {"zh": "均衡路径", "en": "Even path"},
    "baseline_given": {"zh": "{y}年基准值 {v} 取自报告定义，台账中没有该年数据。",
                       "en": "The {y} baseline {v} is taken from the report definition; the ledger has no value for that year."},
    "baseline_target": {"zh": "{y}年基准值 {v} 为目标文件（targets.yaml）中的公布值，台账中没有该年数据。",
                        "en": "The {y} baseline {v} is the published value of the targets file (targets.yaml); the ledger has no value for that year."},
    # the even path is linear in value: the targeted change in equal yearly steps of {a}% of the
    # baseline (esgledger.model.targets)
    "progress": {"zh": "{y}年为{v}，较{y0}年基准变化{c}%，已完成目标变化的{pr}%；按均衡路径（每年变化基准值的{a}%，"
                       "线性），{y}年应为{pv}，{state}。",
                 "en": "{y}: {v}, {c}% against the {y0} baseline, {pr}% of the targeted change; on the even path "
                       "({a}% of the baseline a year, linear) {y} would be {pv}: {state}."},
    "ahead": {"zh": "进度优于均衡路径", "en": "ahead of the even path"},
    "on": {"zh": "进度与均衡路径持平", "en": "on the even path"},
    "behind": {"zh": "进度落后于均衡路径", "en": "behind the even path"},
    "achieved": {"zh": "已达到目标", "en": "target achieved"},
    "missing": {"zh": "“—”或空缺表示台账中没有该年数据。", "en": "A gap means the ledger has no value for that year."},
}
# the notes under a chart for values resting on marked inputs: {which} is 图中 / All or the years
CHART_NOTES = {
    "illustrative": {"zh": "{which}数值为示意值：所依据的输入数据在台账中标注为示意（见其备注），并非完全基于实际报告数据。",
                     "en": "{which} values are illustrative: they rest on input data marked illustrative in the ledger "
                           "(their comment), not on reported data alone."},
    "split": {"zh": "{which}数值为分公司数据，属示意：集团合计为公布值，其在各公司之间的分配为示意（见台账备注）。",
              "en": "{which} values are company-level figures and illustrative: the group total is published; how it "
                    "is split over the companies is illustrative (see the ledger's comment)."},
    "calibrated": {"zh": "{which}数值与公布值一致：所依据的输入数据为示意值，经校准与公布的合计一致（见台账备注）。",
                   "en": "{which} values are as published: the inputs are illustrative, calibrated to the published "
                         "total (see the ledger's comment)."},
    "incomplete": {"zh": "{which}数值不完整：未计入核算方法无法执行的排放源或能源消费（见计算值备注及 esgledger explain）。",
                   "en": "{which} values are incomplete: they leave out an emission source or energy use whose "
                         "methodology could not run (see the calculated value's comment and esgledger explain)."},
    # beside the marks above, never instead of one (report/approval.py): {detail} names the facts
    "unapproved": {"zh": "{which}数值所依据的数据尚未批准：{detail}。",
                   "en": "{which} values rest on data not yet approved: {detail}."},
}


def _which(cats: list[str] | None, lang: str, years: bool) -> str:
    """图中 / All (``cats`` None), else 2022年、2023年 / The 2022 and 2023."""
    if cats is None:
        return "图中" if lang == "zh" else "All"
    if lang == "zh":
        return "、".join(f"{c}年" if years else c for c in cats)
    return "The " + (cats[0] if len(cats) == 1 else ", ".join(cats[:-1]) + " and " + cats[-1])


def status_notes(ctx, facts_by_category: dict[str, list], lang: str, years: bool = True) -> list[Footnote]:
    """Notes under a chart for the values that are, or rest on, inputs marked illustrative,
    split or calibrated (UAT4 F-H1): one per kind, naming the years (or slices) it applies to,
    or all values. ``facts_by_category``: the facts drawn at each x position (a year, a slice)."""
    from esgledger.report.figure_notes import FIGURE_STATUSES

    status = ctx.figure_statuses([f for fs in facts_by_category.values() for f in fs if f is not None])
    by_status: dict[str, list[str]] = {}
    for cat, fs in facts_by_category.items():
        found = [status[f.id] for f in fs if f is not None and f.id in status]
        if found:
            by_status.setdefault(max(found, key=FIGURE_STATUSES.index), []).append(cat)
    notes = []
    for st in FIGURE_STATUSES[::-1]:  # the strongest first
        cats = by_status.get(st)
        if not cats:
            continue
        which = _which(None if len(cats) == len(facts_by_category) else cats, lang, years)
        notes.append(Footnote("*", CHART_NOTES[st][lang].format(which=which)))
    return notes + _unapproved_note(ctx, facts_by_category, lang, years)


def _unapproved_note(ctx, facts_by_category: dict[str, list], lang: str, years: bool) -> list[Footnote]:
    """The note under a chart for the values that rest on data not yet approved (audit A5-L3):
    the years (or slices) it applies to, or all values, and the facts of all of them together."""
    from esgledger.report.approval import Pending

    pending = ctx.pending([f for fs in facts_by_category.values() for f in fs if f is not None])
    cats = [cat for cat, fs in facts_by_category.items() if any(f is not None and f.id in pending for f in fs)]
    if not cats:
        return []
    keys = Pending(tuple(sorted({k for p in pending.values() for k in p.keys})))
    which = _which(None if len(cats) == len(facts_by_category) else cats, lang, years)
    # a year's figures name their own period; a chart of several years names each fact's
    period = cats[0] if years and len(cats) == 1 else None
    return [Footnote("*", CHART_NOTES["unapproved"][lang].format(which=which,
                                                                 detail=keys.detail(lang, ctx.library, period)))]


def _label_precision(ind, values) -> int:
    top = max((abs(v) for v in values if v is not None), default=Decimal(0))
    return 0 if top >= 10000 else ind.precision


def chart_from_definition(ctx, c: ChartDef, lang: str) -> tuple[Chart | None, str | None]:
    """``(chart, None)``, or ``(None, reason)`` with reason ``no_data`` or ``no_baseline``."""
    lib = ctx.library
    title = c.title.get(lang)
    notes: list[Footnote] = []
    if c.note and c.note.get(lang):
        notes.append(Footnote("*", c.note.get(lang)))
    if c.kind == "target":
        return _target(ctx, c, lang, title, notes)
    years = c.years or ctx.years
    if c.kind == "pie":
        years = [max(years)] if c.years is None else years[-1:]
    series: list[Series] = []
    drawn: dict[str, list] = {str(y): [] for y in years}  # the facts behind each year's values
    for s in c.series:
        ind = lib[s.indicator]
        if c.by:
            for m in lib.dimensions[c.by].members:
                dims = dict(s.dims) | {c.by: m.code}
                values = [ctx.value(s.indicator, y, s.entity, dims) for y in years]
                if any(v is not None for v in values):
                    series.append(Series(m.name.get(lang), values))
                    for y in years:
                        drawn[str(y)].append(ctx.fact(s.indicator, y, s.entity, dims))
        else:
            name = s.label.get(lang) if s.label else ind.name.get(lang)
            series.append(Series(name, [ctx.value(s.indicator, y, s.entity, s.dims) for y in years]))
            for y in years:
                drawn[str(y)].append(ctx.fact(s.indicator, y, s.entity, s.dims))
    values = [v for s in series for v in s.values]
    if not values or all(v is None for v in values):
        return None, "no_data"
    first = lib[c.series[0].indicator]
    spec = {"precision": _label_precision(first, values)}
    if c.kind == "stacked_bar":
        # the total above a stack only where the layers are one indicator's breakdown (energy by
        # fuel adds up to the energy used); layers of different indicators (aluminium and
        # alumina CO2) add up to no figure of the ledger, and their sum read as one (UAT4 F-L7)
        spec["total"] = bool(c.by)
    unit = ctx.unit_label(first.code, lang)
    if c.kind == "pie":  # a pie has no axis for the unit: the drawing names it under the title
        title = f"{title}（{years[0]}年）" if lang == "zh" else f"{title} ({years[0]})"
        notes += status_notes(ctx, {s.name: [f] for s, f in zip(series, drawn[str(years[0])])}, lang, years=False) \
            if not c.by else status_notes(ctx, drawn, lang)
        chart = Chart("pie", title, [Series(str(years[0]), [s.values[0] for s in series])],
                      [s.name for s in series], unit, spec, notes)
        return chart, None
    if any(v is None for v in values):
        notes.append(Footnote("—", TEXT["missing"][lang]))
    notes += status_notes(ctx, drawn, lang)
    return Chart(c.kind, title, series, [str(y) for y in years], unit, spec, notes), None


def resolve_target(ctx, c: ChartDef) -> ChartDef:
    """A chart naming a target by code, filled from the targets files (library + workspace);
    an unknown code is a definition error (ESG-REPORT-003)."""
    if c.target is None:
        return c
    from esgledger.library.targets import targets_by_code
    from esgledger.report.definition import DefinitionError
    from esgledger.model.errors import Location, Problem

    known = getattr(ctx, "_targets", None)
    if known is None:
        known = ctx._targets = targets_by_code(getattr(ctx.ws, "path", None))
    t = known.get(c.target)
    if t is None:
        raise DefinitionError([Problem("ESG-REPORT-003", Location(field="charts.target"), {
            "field": "charts.target", "expected": "a target code of targets.yaml: " + ", ".join(sorted(known)),
            "found": c.target})])
    return c.model_copy(update={"indicator": t.indicator, "entity": t.entity, "baseline_year": t.baseline_year,
                                "baseline_value": t.baseline_value, "target_year": t.target_year,
                                "target_change": t.change_pct / 100})


def _target(ctx, c: ChartDef, lang, title, notes) -> tuple[Chart | None, str | None]:
    given = "baseline_target" if c.target is not None else "baseline_given"
    c = resolve_target(ctx, c)
    ind = ctx.library[c.indicator]
    years = [y for y in (c.years or ctx.years)]
    actual = [ctx.value(c.indicator, y, c.entity) for y in years]
    baseline = ctx.value(c.indicator, c.baseline_year, c.entity)
    if baseline is None:
        if c.baseline_value is None:
            return None, "no_baseline"
        baseline = Decimal(c.baseline_value)
        notes.append(Footnote("*", TEXT[given][lang].format(y=c.baseline_year, v=baseline)))
    if all(v is None for v in actual):
        return None, "no_data"
    spec = {"precision": ind.precision, "baseline_year": c.baseline_year, "baseline_value": baseline,
            "target_year": c.target_year,
            "baseline_label": TEXT["baseline"][lang].format(y=c.baseline_year),
            "target_label": TEXT["target"][lang].format(y=c.target_year),
            "trajectory_label": TEXT["trajectory"][lang]}
    if c.target_value is not None:
        spec["target_value"] = c.target_value
    else:
        spec["target_change"] = c.target_change
    note = _progress_note(ind, baseline, c, years, actual, lang)
    if note is not None:
        notes.append(note)
    notes += status_notes(ctx, {str(y): [ctx.fact(c.indicator, y, c.entity)] for y in years}, lang)
    return Chart("target", title, [Series(TEXT["actual"][lang], actual)], [str(y) for y in years],
                 ctx.unit_label(c.indicator, lang), spec, notes), None


def _progress_note(ind, baseline: Decimal, c: ChartDef, years, actual, lang: str) -> Footnote | None:
    """Where the latest actual value stands against the even (linear) path (:func:`target_progress`),
    or None when no year between the baseline and the target has a value."""
    latest = [(y, v) for y, v in zip(years, actual)
              if v is not None and v > 0 and c.baseline_year <= y <= c.target_year]
    if not latest or baseline <= 0:
        return None
    year, value = latest[-1]
    target = c.target_value if c.target_value is not None else target_from_change(baseline, c.target_change * 100)
    if target <= 0:
        return None
    tp = target_progress(baseline, value, (target / baseline - 1) * 100, baseline_year=c.baseline_year,
                         current_year=year, target_year=c.target_year)
    p = ind.precision
    state = "achieved" if tp.achieved else tp.against_path
    signed = lambda d: ("+" if d > 0 else "") + format_value(d, 1, lang)  # noqa: E731
    return Footnote("*", TEXT["progress"][lang].format(
        y=year, v=format_value(value, p, lang), y0=c.baseline_year, c=signed(tp.change_to_date_pct),
        pr=format_value(tp.progress_pct, 1, lang), a=signed(tp.even_step_pct),
        pv=format_value(tp.planned_value, p, lang), state=TEXT[state][lang]))
