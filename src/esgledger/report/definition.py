"""The report definition (``report.yaml`` in the workspace): what the report says, in what frame.

A definition names the reporting period and the comparison years, the consolidation approach,
the exchange guideline (SZSE No.17, SSE No.14 or BSE No.11) and the other frameworks, the
languages, the material topics, and the chapters and sections with their narrative text
(Markdown, written by the user) and what each section discloses (indicators, topics, framework
references, charts, generated tables). ``esgledger report init`` writes a starting definition
with the reference report's chapter structure (``report/data/report_template.yaml``).

Loading is one function from a file to ``(definition, problems)``; every problem names the file
and line (``report.yaml:42``) and, for a section, its id. Narrative text pulls facts from the
ledger through placeholders, parsed here and filled in by :mod:`esgledger.report.build`::

    {{ fact co2_aluminium_production P }}          1,270.26万吨 (the value at the indicator's
                                                   precision, with its unit)
    {{ fact employees 2024 gender=female }}        a breakdown: dimension=member
    {{ fact aluminium_output P entity=TNL unit=no precision=1 }}
    {{ change co2_per_tonne_aluminium P-1 P }}     -0.4% (change between two years)
    {{ period }}  {{ company }}                    the reporting year; the organisation's name

A year is ``2024``, ``P`` (the reporting year) or ``P-1``, ``P-2`` …, so a definition carries
over to the next year unchanged.

>>> parse_placeholder(" fact employees P-1 gender=female unit=no ")
Placeholder(kind='fact', indicator='employees', years=('P-1',), entity=None, dims=(('gender', 'female'),), unit=False, precision=None)
>>> resolve_year("P-1", 2024)
2023
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from esgledger.model.textfile import expected_utf8, read_utf8
from esgledger.model.errors import (Bilingual, EsgledgerError, Location, Problem, ProblemList, found_text,
                                    near_miss, pydantic_problems, reason)
from esgledger.report.placeholders import (PLACEHOLDER, SYNTAX, Placeholder,  # noqa: F401 (re-exported)
                                           PlaceholderError, parse_placeholder, placeholders,
                                           resolve_year, stray_braces)

DEFINITION_NAME = "report.yaml"
TEMPLATE = "report_template.yaml"
GUIDELINES = {
    "szse17": {"zh": "深交所《上市公司自律监管指引第17号——可持续发展报告（试行）》",
               "en": "SZSE Self-Regulatory Guideline No.17 (Sustainability Report)",
               "short_zh": "深交所指引第17号", "short_en": "SZSE No.17"},
    "sse14": {"zh": "上交所《上市公司自律监管指引第14号——可持续发展报告（试行）》",
              "en": "SSE Self-Regulatory Guideline No.14 (Sustainability Report)",
              "short_zh": "上交所指引第14号", "short_en": "SSE No.14"},
    "bse11": {"zh": "北交所《上市公司持续监管指引第11号——可持续发展报告（试行）》",
              "en": "BSE Continuous Supervision Guideline No.11 (Sustainability Report)",
              "short_zh": "北交所指引第11号", "short_en": "BSE No.11"},
}
FRAMEWORKS = ("gri", "cass", "issb_s2", "sasb")
GENERATED = ("kpi_table", "framework_index", "gri_content_index", "gap_checklist", "indicators")
CHART_KINDS = ("line", "bar", "stacked_bar", "pie", "target")
_ID = r"^[a-z][a-z0-9_.-]*$"
_CASS = re.compile(r"^[PESGA]\d+(\.\d+)*$")


class DefinitionError(EsgledgerError, ValueError):
    """A report definition could not be loaded; carries the problems."""

    def __init__(self, problems, lang: str = "en"):
        self.problems = ProblemList(problems)
        super().__init__("\n".join(p.render(lang) for p in self.problems[:20]))


# --- the schema ----------------------------------------------------------------------------

class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """A text in both languages; either may be empty (the check reports missing narrative)."""

    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Refs(_Frozen):
    """Framework references a section answers beyond those of its indicators and topics."""

    szse17: list[int] = []        # article numbers (SSE No.14 and BSE No.11 share Art.20–56)
    gri: list[str] = []
    cass: list[str] = []
    issb_s2: list[str] = []
    sasb: list[str] = []


class SeriesDef(_Frozen):
    indicator: str
    entity: str | None = None
    dims: dict[str, str] = {}
    label: Text | None = None


class ChartDef(_Frozen):
    """A chart drawn from the ledger. ``series`` are indicators (one line, bar layer or pie
    slice each); ``by`` splits one indicator by the members of a dimension instead. A
    ``target`` chart shows ``indicator`` against its baseline and the trajectory to
    ``target_value`` or baseline × (1 + ``target_change``) in ``target_year``; or it names a
    target of the library's and the workspace's ``targets.yaml`` by its code (``target``), which
    then gives the indicator, entity, years, change and published baseline."""

    kind: Literal["line", "bar", "stacked_bar", "pie", "target"]
    title: Text
    target: str | None = None               # a target code of targets.yaml (kind target)
    series: list[SeriesDef] = []
    by: str | None = None
    years: list[int] | None = None
    indicator: str | None = None
    entity: str | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None   # only when the ledger has no value for that year
    target_year: int | None = None
    target_change: Decimal | None = None
    target_value: Decimal | None = None
    note: Text | None = None


class SectionDef(_Frozen):
    """A chapter (top level), section or sub-section. A node without ``sections`` is a row
    of the framework index (unless ``index: false``)."""

    id: str = Field(pattern=_ID)
    title: Text
    number: Text | None = None
    narrative: Text = Text()
    indicators: list[str] = []
    topics: list[str] = []
    refs: Refs = Refs()
    charts: list[ChartDef] = []
    table: Literal["kpi_table", "framework_index", "gri_content_index", "gap_checklist",
                   "indicators"] | None = None
    index: bool = True
    sections: list["SectionDef"] = []


class ReportDefinition(_Frozen):
    version: Literal[1] = 1
    title: Text
    subtitle: Text = Text()
    organisation: Text
    # set by ``report init`` in a workspace that is not the reference company's: the narrative
    # texts are that company's report, kept as a sample to rewrite (the company whose it is)
    sample_of: Text | None = None
    period: int = Field(ge=1990, le=2100)
    comparison_years: list[int] = []
    consolidation: Literal["control", "equity"] | None = None
    entity: str | None = None
    guideline: Literal["szse17", "sse14", "bse11"] = "szse17"
    frameworks: list[Literal["gri", "cass", "issb_s2", "sasb"]] = list(FRAMEWORKS)
    languages: list[Literal["zh", "en"]] = ["zh", "en"]
    gri_use: Literal["in_accordance", "with_reference"] = "with_reference"
    material_topics: list[str] | None = None
    chapters: list[SectionDef]

    def years(self, period: int | None = None) -> list[int]:
        """The comparison years and the reporting year, shifted when ``period`` differs."""
        shift = 0 if period is None else period - self.period
        return sorted({y + shift for y in self.comparison_years} | {self.period + shift})

    def walk(self) -> Iterator[tuple[SectionDef, int, tuple[SectionDef, ...]]]:
        """Every node with its depth (1 = chapter) and its ancestors."""
        def visit(nodes, depth, parents):
            for n in nodes:
                yield n, depth, parents
                yield from visit(n.sections, depth + 1, parents + (n,))
        yield from visit(self.chapters, 1, ())


@dataclass(frozen=True)
class TextSpan:
    """Where a text field of the definition starts: its line and whether lines map 1:1."""

    line: int | None
    literal: bool


@dataclass(frozen=True)
class Definition:
    """A loaded definition: the validated model, its file, and where its texts are."""

    model: ReportDefinition
    file: str
    spans: dict[tuple[str, str, str], TextSpan] = field(default_factory=dict)

    def span(self, node: str, fld: str, lang: str) -> TextSpan:
        return self.spans.get((node, fld, lang), TextSpan(None, False))

    def location(self, node: str, fld: str, lang: str, offset: int = 0) -> Location:
        """The file:line of line ``offset`` of a text field (the field's line if not literal)."""
        span = self.span(node, fld, lang)
        line = None if span.line is None else span.line + (offset if span.literal else 0)
        return Location(file=self.file, line=line, field=node)


# --- loading -------------------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """Records, for every mapping, its line and the line and style of each value."""


def _construct_mapping(loader, node, deep=False):
    out: dict[Any, Any] = {}
    lines: dict[Any, tuple[int, str | None]] = {}
    dupes: list[tuple[Any, int]] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            dupes.append((key, key_node.start_mark.line + 1))
        out[key] = loader.construct_object(value_node, deep=True)
        style = value_node.style if isinstance(value_node, yaml.ScalarNode) else None
        lines[key] = (value_node.start_mark.line + 1, style)
    out["__line__"] = node.start_mark.line + 1
    out["__lines__"] = lines
    if dupes:
        out["__dupes__"] = dupes
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in ("__line__", "__lines__", "__dupes__")}
    if isinstance(obj, list):
        return [_strip(v) for v in obj]
    return obj


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


def template_text() -> str:
    return resources.files("esgledger.report").joinpath("data", TEMPLATE).read_text(encoding="utf-8")


def load_definition(path: str | Path | None = None, library=None, *, text: str | None = None,
                    name: str | None = None) -> tuple[Definition | None, ProblemList]:
    """Read and check a definition (the file at ``path``, or ``text``). With a ``library``,
    indicators, topics, dimensions and framework codes are checked against it."""
    problems = ProblemList()
    fname = name or (Path(path).name if path is not None else DEFINITION_NAME)
    if text is None:
        try:
            text, bad = read_utf8(Path(path))
        except OSError as exc:
            problems.append(Problem("ESG-REPORT-004", Location(file=fname),
                                    {"expected": expected_utf8("YAML"), "found": reason(exc)}))
            return None, problems
        if bad is not None:  # saved as GBK: the line, the column and the byte
            problems.append(Problem("ESG-REPORT-004", Location(file=fname, line=bad.line),
                                    {"expected": expected_utf8("YAML"), "found": bad.found()}))
            return None, problems
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem("ESG-REPORT-004", Location(file=fname, line=mark.line + 1 if mark else None),
                                {"expected": "YAML", "found": reason(exc)}))
        return None, problems
    if not isinstance(raw, dict):
        problems.append(Problem("ESG-REPORT-004", Location(file=fname, line=1),
                                {"expected": Bilingual("含 title、period 和 chapters 的映射",
                                                       "a mapping with title, period and chapters"),
                                 "found": Bilingual("空文件", "an empty file") if raw is None else found_text(raw)}))
        return None, problems
    _report_duplicate_keys(raw, fname, problems)
    try:
        model = ReportDefinition.model_validate(_strip(raw))
    except ValidationError as exc:
        for loc, expected, found in pydantic_problems(exc):
            problems.append(Problem("ESG-REPORT-003", Location(file=fname, line=_line_of(raw, loc),
                                                               field=_loc_text(loc)),
                                    {"field": _loc_text(loc), "expected": expected, "found": found}))
        return None, problems
    spans = _text_spans(raw, model)
    defn = Definition(model, fname, spans)
    _check(defn, raw, library, problems)
    if problems.errors:
        return None, problems
    return defn, problems


def _report_duplicate_keys(raw: Any, fname: str, problems: ProblemList) -> None:
    if isinstance(raw, dict):
        for key, line in raw.get("__dupes__", ()):
            problems.append(Problem("ESG-REPORT-003", Location(file=fname, line=line, field=str(key)),
                                    {"field": key, "expected": Bilingual("每个键只出现一次", "each key once"),
                                     "found": Bilingual("第二个值", "a second value")}))
        for k, v in raw.items():
            if k not in ("__line__", "__lines__", "__dupes__"):
                _report_duplicate_keys(v, fname, problems)
    elif isinstance(raw, list):
        for v in raw:
            _report_duplicate_keys(v, fname, problems)


def _text_spans(raw: dict, model: ReportDefinition) -> dict[tuple[str, str, str], TextSpan]:
    spans: dict[tuple[str, str, str], TextSpan] = {}

    def add(node_id: str, fld: str, mapping: Any) -> None:
        if not isinstance(mapping, dict):
            return
        for lang in ("zh", "en"):
            if lang in mapping["__lines__"]:
                line, style = mapping["__lines__"][lang]
                literal = style == "|"
                spans[(node_id, fld, lang)] = TextSpan(line + 1 if literal else line, literal or style is None)

    for fld in ("title", "subtitle"):
        add("", fld, raw.get(fld))

    def visit(raw_nodes, nodes):
        for r, n in zip(raw_nodes or [], nodes):
            if not isinstance(r, dict):
                continue
            add(n.id, "title", r.get("title"))
            add(n.id, "narrative", r.get("narrative"))
            for i, c in enumerate(r.get("charts") or []):
                if isinstance(c, dict):
                    add(f"{n.id}#chart{i + 1}", "title", c.get("title"))
            visit(r.get("sections"), n.sections)

    visit(raw.get("chapters"), model.chapters)
    return spans


# --- checks against the library -------------------------------------------------------------

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


def iter_texts(defn: Definition) -> Iterator[tuple[str, str, str, str]]:
    """``(node id, field, lang, text)`` of every text that may hold placeholders."""
    m = defn.model
    for fld in ("title", "subtitle"):
        for lang in ("zh", "en"):
            yield "", fld, lang, getattr(m, fld).get(lang)
    for node, _d, _p in m.walk():
        for lang in ("zh", "en"):
            yield node.id, "title", lang, node.title.get(lang)
            yield node.id, "narrative", lang, node.narrative.get(lang)
        for i, c in enumerate(node.charts):
            for lang in ("zh", "en"):
                yield f"{node.id}#chart{i + 1}", "title", lang, c.title.get(lang)


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


_ORGANISATION = re.compile(r"(?m)^organisation: *(\{.*\})[ \t]*$")


def write_starting_definition(path: Path, period: int | None = None,
                              organisation: str | None = None) -> Path:
    """Write the starting definition (the reference report's structure) to ``path``.

    With ``organisation`` (the workspace's name, for a workspace that is not the reference
    company's), the definition names that organisation (zh and en) instead of the reference
    company, the reference company's short name in texts outside placeholders is replaced by
    it too, and a top-level ``sample_of`` records whose report the narrative texts are a
    sample of: ``report check`` lists it as missing and every load warns (ESG-REPORT-008)
    until the user rewrites the texts and deletes the line."""
    text = template_text()
    if period is not None:
        text = re.sub(r"(?m)^period: \d{4}$", f"period: {period}", text)
        text = re.sub(r"(?m)^comparison_years: \[.*\]$",
                      f"comparison_years: [{period - 2}, {period - 1}]", text)
    if organisation is not None:
        text = _own_organisation(text, organisation)
    path.write_text(text, encoding="utf-8")
    return path


def _own_organisation(text: str, organisation: str) -> str:
    import json

    m = _ORGANISATION.search(text)
    if m is None:  # the shipped template always names its organisation on one line
        raise ValueError("report template without a one-line organisation: {zh: ..., en: ...}")
    reference = yaml.safe_load(m.group(1))
    name = json.dumps(organisation, ensure_ascii=False)  # a YAML double-quoted scalar
    # the reference company's short name (天山铝业 of 天山铝业集团股份有限公司) in an unquoted
    # zh text of a flow mapping, such as a chapter title: the organisation's name instead
    short = re.match(r"^(.+?)(集团)?股份有限公司$", str(reference.get("zh") or ""))

    def own(part: str) -> str:
        if short is None:
            return part
        return re.sub(r"(zh: )([^,\"{}\n]*)" + re.escape(short.group(1)) + r"([^,\"{}\n]*)([,}])",
                      lambda g: g.group(1) + json.dumps(g.group(2) + organisation + g.group(3),
                                                        ensure_ascii=False) + g.group(4), part)
    lines = (
        f"organisation: {{zh: {name}, en: {name}}}   # the workspace's name (esgledger.toml); "
        "give the English name under en\n"
        "# The narrative texts below are the reference company's report, kept as a sample. Rewrite\n"
        "# them for your organisation, then delete sample_of (report check lists it until then).\n"
        f"sample_of: {m.group(1)}"
    )
    return own(text[:m.start()]) + lines + own(text[m.end():])
