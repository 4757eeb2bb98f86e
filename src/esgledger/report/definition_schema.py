"""The report definition as records: the schema ``report.yaml`` is validated against
(:class:`ReportDefinition`, its chapters and sections :class:`SectionDef`, charts
:class:`ChartDef`, texts in both languages :class:`Text`), the guidelines and frameworks it may
name, and a loaded :class:`Definition` with the place of each of its texts
(:class:`TextSpan`, :func:`iter_texts`).

Reading the file is :mod:`esgledger.report.definition` (which hands on these names), the checks
:mod:`esgledger.report.definition_checks`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from esgledger.model.errors import Location

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
