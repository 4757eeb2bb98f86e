"""The checks of a report definition, each problem at its file and line (and section id): the
years, titles and section ids, the indicators, topics, material topics and framework references
it names against the library (ESG-REPORT-003, -005), its charts (ESG-REPORT-003, -006), the
placeholders of its texts (ESG-REPORT-001, -002, -006), the entities it names against the tree
(:func:`check_entities`), and the sample texts of another company (ESG-REPORT-008).
:func:`esgledger.report.definition.load_definition` runs them.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, near_miss
from esgledger.report.definition_schema import ChartDef, Definition, ReportDefinition, SectionDef, iter_texts
from esgledger.report.placeholders import PlaceholderError, parse_placeholder, placeholders, stray_braces

_CASS = re.compile(r"^[PESGA]\d+(\.\d+)*$")


def _line_of(raw: Any, loc: tuple) -> int | None:
    """The line of the deepest mapping key on ``loc`` that exists in the raw document."""
    line = raw.get("__line__") if isinstance(raw, dict) else None
    node = raw
    for part in loc:
        if isinstance(node, dict) and part in node:
            line = node["__lines__"].get(part, (line,))[0]
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict):
                line = node.get("__line__", line)
        else:
            break
    return line


def _loc_text(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out

def _check(defn: Definition, raw: dict, library, problems: ProblemList) -> None:
    m = defn.model
    fname = defn.file

    def bad(fld: str, expected: Bilingual, found: Any, loc: tuple, node: str | None = None):
        problems.append(Problem("ESG-REPORT-003", Location(file=fname, line=_line_of(raw, loc),
                                                           field=node or _loc_text(loc)),
                                {"field": fld, "expected": expected, "found": found}))

    sample = sample_problem(defn, raw)
    if sample is not None:
        problems.append(sample)
    if any(y >= m.period for y in m.comparison_years):
        bad("comparison_years", Bilingual(f"报告期 {m.period} 之前的年份", f"years before the reporting period {m.period}"),
            m.comparison_years, ("comparison_years",))
    for lang in m.languages:
        if not m.title.get(lang).strip():
            bad(f"title.{lang}", Bilingual(f"{lang} 标题", f"a title in {lang}"), Bilingual("空", "empty"), ("title",))
    seen: dict[str, str] = {}
    paths = dict(_node_paths(m))
    for node, _depth, _parents in m.walk():
        loc = paths[node.id]
        if node.id in seen:
            bad("id", Bilingual("只用一次的章节 id", "a section id used once"), node.id, loc + ("id",), node.id)
        seen[node.id] = node.id
        for lang in m.languages:
            if not node.title.get(lang).strip():
                bad(f"title.{lang}", Bilingual(f"{lang} 标题", f"a title in {lang}"), Bilingual("空", "empty"), loc + ("title",), node.id)
        if node.table and node.sections:
            bad("table", Bilingual("仅在无子章节的章节中使用生成表格", "a generated table only in a section without sub-sections"), node.table,
                loc + ("table",), node.id)
    if library is None:
        _check_texts(defn, None, problems)
        return
    for code in m.material_topics or ():
        if code not in library.topics:
            bad("material_topics", Bilingual("指标库中的议题", "a topic of the library"), code, ("material_topics",))
    for node, _depth, _parents in m.walk():
        loc = paths[node.id]
        for code in node.indicators:
            if code not in library.indicators:
                bad("indicators", Bilingual("指标库中的指标", "an indicator of the library"), code, loc + ("indicators",), node.id)
        for code in node.topics:
            if code not in library.topics:
                bad("topics", Bilingual("指标库中的议题", "a topic of the library"), code, loc + ("topics",), node.id)
        _check_refs(node, library, fname, _line_of(raw, loc + ("refs",)), problems)
        for i, chart in enumerate(node.charts):
            _check_chart(chart, library, fname, raw, loc + ("charts", i), f"{node.id}#chart{i + 1}",
                         problems)
    _check_texts(defn, library, problems)


def _node_paths(m: ReportDefinition) -> Iterator[tuple[str, tuple]]:
    def visit(nodes, prefix):
        for i, n in enumerate(nodes):
            yield n.id, prefix + (i,)
            yield from visit(n.sections, prefix + (i, "sections"))
    yield from visit(m.chapters, ("chapters",))


def cass_known(code: str, library) -> bool:
    """A CASS-ESG 6.0 code of the library's table, or a finer code under a known level-1 code
    (the library holds only the skeleton; finer codes are cited as the reference report does)."""
    table = library.frameworks["cass"]
    return code in table or (bool(_CASS.match(code)) and code[0] in table)


def _check_refs(node: SectionDef, library, fname: str, line: int | None, problems: ProblemList) -> None:
    r = node.refs
    for fw, codes in (("szse17", [str(a) for a in r.szse17]), ("gri", r.gri),
                      ("issb_s2", r.issb_s2), ("sasb", r.sasb)):
        for code in codes:
            if code not in library.frameworks[fw]:
                problems.append(Problem("ESG-REPORT-005", Location(file=fname, line=line, field=node.id),
                                        {"framework": fw, "found": code}))
    for code in r.cass:
        if not cass_known(code, library):
            problems.append(Problem("ESG-REPORT-005", Location(file=fname, line=line, field=node.id),
                                    {"framework": "cass", "found": code}))


def _check_chart(chart: ChartDef, library, fname, raw, loc, node_id, problems) -> None:
    def bad(fld, expected, found):
        problems.append(Problem("ESG-REPORT-003", Location(file=fname, line=_line_of(raw, loc + (fld,)),
                                                           field=node_id),
                                {"field": f"charts.{fld}", "expected": expected, "found": found}))

    def dims_ok(code: str, dims: dict[str, str]) -> None:
        ind = library.get(code)
        for k, v in dims.items():
            if ind is None:
                continue
            if k not in ind.dimensions or library.resolve_member(k, v) is None:
                problems.append(Problem("ESG-REPORT-006", Location(file=fname, line=_line_of(raw, loc),
                                                                   field=node_id),
                                        {"found": f"{code}[{k}={v}]",
                                         "expected": _dims_of(code, ind.dimensions)}))

    if chart.kind == "target" and chart.target is not None:
        given = [f for f in ("indicator", "entity", "baseline_year", "baseline_value", "target_year",
                             "target_change", "target_value") if getattr(chart, f) is not None]
        if given:  # one source of truth: the targets file
            bad(given[0], Bilingual(f"除 target: {chart.target} 外不填（由目标文件给出）", f"nothing besides target: {chart.target} (the targets file gives it)"), given[0])
        return
    if chart.target is not None:
        bad("target", Bilingual("target 只用于 kind 为 target 的图表", "a target only on a chart of kind target"), chart.target)
    if chart.kind == "target":
        if chart.indicator is None or chart.baseline_year is None or chart.target_year is None:
            bad("indicator", Bilingual("目标图表需要 indicator、baseline_year 和 target_year", "indicator, baseline_year and target_year for a target chart"), Bilingual("缺失", "missing"))
        if (chart.target_change is None) == (chart.target_value is None):
            bad("target_change", Bilingual("target_change 与 target_value 二者之一", "one of target_change or target_value"), Bilingual("两者都有或都没有", "both or neither"))
        if chart.indicator and chart.indicator not in library.indicators:
            bad("indicator", Bilingual("指标库中的指标", "an indicator of the library"), chart.indicator)
        return
    if not chart.series:
        bad("series", Bilingual("至少一个序列", "at least one series"), Bilingual("无", "none"))
    for s in chart.series:
        if s.indicator not in library.indicators:
            bad("series", Bilingual("指标库中的指标", "an indicator of the library"), s.indicator)
        else:
            dims_ok(s.indicator, s.dims)
    if chart.by is not None:
        for s in chart.series:
            ind = library.get(s.indicator)
            if ind is not None and chart.by not in ind.dimensions:
                problems.append(Problem("ESG-REPORT-006", Location(file=fname, line=_line_of(raw, loc + ("by",)),
                                                                   field=node_id),
                                        {"found": f"by: {chart.by}",
                                         "expected": _dims_of(s.indicator, ind.dimensions)}))


def _check_texts(defn: Definition, library, problems: ProblemList) -> None:
    for node, fld, lang, text in iter_texts(defn):
        if not text:
            continue
        for offset, snippet in stray_braces(text):
            problems.append(Problem("ESG-REPORT-001", defn.location(node, fld, lang, offset),
                                    {"found": snippet.strip(), "expected": Bilingual("以 }} 结束的占位符", "a placeholder closed by }}")}))
        for offset, whole, inner in placeholders(text):
            where = defn.location(node, fld, lang, offset)
            try:
                ph = parse_placeholder(inner)
            except PlaceholderError as exc:
                problems.append(Problem("ESG-REPORT-001", where, {"found": whole, "expected": exc.expected}))
                continue
            if library is None or ph.indicator is None:
                continue
            ind = library.get(ph.indicator)
            if ind is None:
                problems.append(Problem("ESG-REPORT-002", where, {"found": ph.indicator}))
                continue
            if ph.kind == "change" and ind.value_type != "number":
                problems.append(Problem("ESG-REPORT-001", where, {"found": whole,
                                                                  "expected": Bilingual("数值型指标的 change", "change of a number indicator")}))
            for k, v in ph.dims:
                if k not in ind.dimensions or library.resolve_member(k, v) is None:
                    problems.append(Problem("ESG-REPORT-006", where, {
                        "found": f"{k}={v}",
                        "expected": _dims_of(ph.indicator, ind.dimensions)}))


def _dims_of(code: str, dims) -> Bilingual:
    return Bilingual(f"{code} 的维度：{', '.join(dims) or '无'}", f"a dimension of {code}: {', '.join(dims) or 'none'}")


def check_entities(defn: Definition, tree) -> ProblemList:
    """Entities named by the definition (report entity, charts, placeholders) must be in the tree."""
    problems = ProblemList()
    known = tree.entities
    index = {c: c for c in known}

    def expected_for(code: str) -> Bilingual:
        near = near_miss(code, index)  # a code near it, as the import suggests one
        return Bilingual("组织树中的主体" + (near.zh if near else ""),
                         "an entity of the tree" + (near.en if near else ""))
    m = defn.model
    if m.entity and m.entity not in known:
        problems.append(Problem("ESG-REPORT-006", Location(file=defn.file, field="entity"),
                                {"found": m.entity, "expected": expected_for(m.entity)}))
    for node, _d, _p in m.walk():
        for i, c in enumerate(node.charts):
            for code in [c.entity] + [s.entity for s in c.series]:
                if code and code not in known:
                    problems.append(Problem("ESG-REPORT-006", defn.location(f"{node.id}#chart{i + 1}", "title", "zh"),
                                            {"found": code, "expected": expected_for(code)}))
    for node, fld, lang, text in iter_texts(defn):
        for offset, whole, inner in placeholders(text or ""):
            try:
                ph = parse_placeholder(inner)
            except PlaceholderError:
                continue
            if ph.entity and ph.entity not in known:
                problems.append(Problem("ESG-REPORT-006", defn.location(node, fld, lang, offset),
                                        {"found": f"entity={ph.entity}", "expected": expected_for(ph.entity)}))
    return problems


def sample_problem(defn: Definition, raw: dict | None = None) -> Problem | None:
    """ESG-REPORT-008 (a warning) when the definition's narrative texts are still the reference
    company's sample (``sample_of``, written by ``report init`` in another company's workspace)."""
    sample = defn.model.sample_of
    if sample is None:
        return None
    line = raw["__lines__"].get("sample_of", (None,))[0] if isinstance(raw, dict) else None
    return Problem("ESG-REPORT-008", Location(file=defn.file, line=line, field="sample_of"),
                   {"found": Bilingual(sample.zh or sample.en, sample.en or sample.zh)})
