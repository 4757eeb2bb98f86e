"""The report as data: a document of chapters, sections, narrative, tables, charts, footnotes.

Renderers (:mod:`esgledger.report.render`) turn a :class:`Document` into HTML, PDF, DOCX,
XLSX or Markdown; nothing here knows about any of them. All text in a document is already in
the document's one language (``lang``: ``zh`` or ``en``); the few words a renderer adds itself
(目录 / Contents, 注 / Notes) come from :func:`ui_text`.

Numbers are carried twice in a table :class:`Cell`: the display text, rounded half-up at the
indicator's precision (:func:`esgledger.report.numbers.format_value`), and the raw
:class:`~decimal.Decimal` (``None`` for a missing value, shown as a dash with a footnote, never
a zero), so a spreadsheet gets the number and a document gets the text.

>>> from decimal import Decimal
>>> t = Table(caption="温室气体排放",
...           header_rows=[[HeaderCell("指标"), HeaderCell("单位"), HeaderCell("2024年")]],
...           rows=[Row([Cell.label("范围一排放"), Cell.label("万吨CO₂e"),
...                      Cell.number(Decimal("1270.255"), 2, marks=("1",))])],
...           footnotes=[Footnote("1", "按 GB/T 32151.4 核算。")],
...           column_kinds=("text", "unit", "number"))
>>> t.rows[0].cells[2].text, t.rows[0].cells[2].align
('1,270.26', 'right')
>>> doc = Document("2024年度ESG报告", lang="zh", period="2024",
...                blocks=[Chapter("环境", number="一", blocks=[t])])
>>> [type(b).__name__ for b, _ in walk(doc)]
['Chapter', 'Table']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator, Mapping, Sequence, Union

from esgledger.model.errors import EsgledgerError
from esgledger.model.targets import even_path, target_from_change
from esgledger.report.numbers import DASH, format_value

ALIGNS = ("left", "center", "right")
COLUMN_KINDS = ("text", "unit", "number")
CHART_KINDS = ("line", "bar", "stacked_bar", "pie", "target")
CHECK_STATUSES = ("ok", "cited", "partial", "missing", "conditional", "na", "todo")


class DocumentError(EsgledgerError, ValueError):
    """A document is built inconsistently (a programmer error, not bad user data)."""


def _tuple(obj, name: str, value) -> None:
    object.__setattr__(obj, name, tuple(value))


@dataclass(frozen=True)
class Footnote:
    """A note under a table (or chart), referred to by ``mark`` from cells."""

    mark: str
    text: str


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"


@dataclass(frozen=True)
class Cell:
    """One body cell: display text, the raw value, alignment and footnote marks.

    ``value`` is the unrounded Decimal for a number cell, ``None`` for text or for a missing
    number (``missing`` tells them apart); ``precision`` is how many decimals ``text`` shows.
    """

    text: str
    value: Decimal | None = None
    align: str = "left"
    marks: tuple[str, ...] = ()
    precision: int | None = None
    missing: bool = False
    colspan: int = 1

    def __post_init__(self):
        if self.align not in ALIGNS:
            raise DocumentError(f"cell align must be one of {ALIGNS}, not {self.align!r}")
        _tuple(self, "marks", self.marks)

    @classmethod
    def label(cls, text: str, marks: Sequence[str] = (), align: str = "left",
              colspan: int = 1) -> "Cell":
        return cls(text, None, align, tuple(marks), colspan=colspan)

    @classmethod
    def number(cls, value: Decimal | None, precision: int, marks: Sequence[str] = (),
               lang: str = "zh") -> "Cell":
        """A number cell rounded half-up at ``precision``; ``None`` becomes a dash."""
        if value is not None and not isinstance(value, Decimal):
            raise DocumentError(f"number cells take Decimal, not {type(value).__name__}")
        return cls(format_value(value, precision, lang), value, "right", tuple(marks),
                   precision, missing=value is None)

    @classmethod
    def dash(cls, marks: Sequence[str] = ()) -> "Cell":
        return cls(DASH, None, "right", tuple(marks), missing=True)


@dataclass(frozen=True)
class Row:
    """A table row; ``kind`` ``group`` / ``subgroup`` is a heading row spanning the table."""

    cells: tuple[Cell, ...]
    kind: str = "data"

    def __post_init__(self):
        _tuple(self, "cells", self.cells)
        if self.kind not in ("data", "group", "subgroup"):
            raise DocumentError(f"row kind {self.kind!r}")

    @classmethod
    def group(cls, text: str, sub: bool = False) -> "Row":
        return cls((Cell.label(text),), "subgroup" if sub else "group")


@dataclass(frozen=True)
class Table:
    """A table with grouped header rows, body rows and footnotes.

    ``column_kinds`` names each column ``text``, ``unit`` or ``number``; a spreadsheet writes
    a ``number`` column's cells as numbers. ``sheet`` is an optional short name for XLSX.
    """

    caption: str
    header_rows: tuple[tuple[HeaderCell, ...], ...]
    rows: tuple[Row, ...]
    footnotes: tuple[Footnote, ...] = ()
    column_kinds: tuple[str, ...] = ()
    sheet: str | None = None
    lang: str | None = None  # a table in another language than its document (a bilingual workbook)

    def __post_init__(self):
        _tuple(self, "header_rows", (tuple(r) for r in self.header_rows))
        _tuple(self, "rows", self.rows)
        _tuple(self, "footnotes", self.footnotes)
        _tuple(self, "column_kinds", self.column_kinds)
        n = self.n_columns
        if not self.column_kinds:
            _tuple(self, "column_kinds", ["text"] * n)
        bad = set(self.column_kinds) - set(COLUMN_KINDS)
        if bad or len(self.column_kinds) != n:
            raise DocumentError(f"table {self.caption!r}: column_kinds {self.column_kinds} "
                                f"for {n} columns")
        for i, row in enumerate(self.rows):
            width = sum(c.colspan for c in row.cells)
            if row.kind == "data" and width != n:
                raise DocumentError(f"table {self.caption!r}: row {i} has {width} cells, "
                                    f"the header has {n} columns")
        known = {f.mark for f in self.footnotes}
        used = {m for r in self.rows for c in r.cells for m in c.marks}
        if used - known:
            raise DocumentError(f"table {self.caption!r}: marks without footnote: "
                                f"{sorted(used - known)}")

    @property
    def n_columns(self) -> int:
        grid = header_grid(self.header_rows)
        return len(grid[0]) if grid else max((sum(c.colspan for c in r.cells)
                                              for r in self.rows), default=0)


def header_grid(header_rows) -> list[list[tuple[HeaderCell, bool] | None]]:
    """Header rows laid on a grid: each slot holds (cell, is_origin) or None.

    >>> g = header_grid([[HeaderCell("指标", rowspan=2), HeaderCell("年份", colspan=2)],
    ...                  [HeaderCell("2023"), HeaderCell("2024")]])
    >>> [[(c.text, o) for c, o in row] for row in g]
    [[('指标', True), ('年份', True), ('年份', False)], [('指标', False), ('2023', True), ('2024', True)]]
    """
    grid: list[list] = [[] for _ in header_rows]
    for r, row in enumerate(header_rows):
        col = 0
        for cell in row:
            while col < len(grid[r]) and grid[r][col] is not None:
                col += 1
            for dr in range(cell.rowspan):
                if r + dr >= len(grid):
                    raise DocumentError(f"header cell {cell.text!r} spans below the header")
                line = grid[r + dr]
                while len(line) < col + cell.colspan:
                    line.append(None)
                for dc in range(cell.colspan):
                    if line[col + dc] is not None:
                        raise DocumentError(f"header cell {cell.text!r} overlaps another")
                    line[col + dc] = (cell, dr == 0 and dc == 0)
            col += cell.colspan
    widths = {len(line) for line in grid}
    if len(widths) > 1 or any(slot is None for line in grid for slot in line):
        raise DocumentError(f"header rows do not form a rectangle: widths {sorted(widths)}")
    return grid


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]

    def __post_init__(self):
        _tuple(self, "values", self.values)


@dataclass(frozen=True)
class Chart:
    """A static chart: ``kind`` is line, bar, stacked_bar, pie or target.

    ``categories`` are the x positions (years, or the slices of a pie), ``series`` one
    :class:`Series` per line/bar layer. ``spec`` carries what a kind needs beyond that:
    ``precision`` for value labels; for ``target``: ``baseline_year``, ``baseline_value``,
    ``target_year`` and ``target_value`` (or ``target_change``, a ratio such as -0.18),
    plus optional labels ``baseline_label``, ``target_label``, ``trajectory_label``.
    """

    kind: str
    title: str
    series: tuple[Series, ...]
    categories: tuple[str, ...]
    unit: str = ""
    spec: Mapping[str, Any] = field(default_factory=dict)
    footnotes: tuple[Footnote, ...] = ()

    def __post_init__(self):
        if self.kind not in CHART_KINDS:
            raise DocumentError(f"chart kind {self.kind!r}; known: {CHART_KINDS}")
        _tuple(self, "series", self.series)
        _tuple(self, "categories", (str(c) for c in self.categories))
        _tuple(self, "footnotes", self.footnotes)
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise DocumentError(f"chart {self.title!r}: series {s.name!r} has "
                                    f"{len(s.values)} values for {len(self.categories)} categories")


def target_value(chart: Chart) -> Decimal:
    """A target chart's target: ``target_value``, or baseline × (1 + ``target_change``)."""
    spec = chart.spec
    if "target_value" in spec:
        return Decimal(str(spec["target_value"]))
    return target_from_change(Decimal(str(spec["baseline_value"])), Decimal(str(spec["target_change"])) * 100)


def target_path(chart: Chart) -> list[tuple[int, Decimal]]:
    """A target chart's trajectory: the even path (linear in value) from the baseline to the
    target, one value a year (:func:`esgledger.model.targets.even_path`, the same path the
    calculation engine's target progress measures against)."""
    spec = chart.spec
    baseline = Decimal(str(spec["baseline_value"]))
    change_pct = (target_value(chart) / baseline - 1) * 100
    return even_path(baseline, change_pct, int(spec["baseline_year"]), int(spec["target_year"]))


@dataclass(frozen=True)
class CheckItem:
    """One line of a gap check: ``status`` ok, cited (cited, not verified), partial, missing,
    conditional (applies only in some cases: say why not, Art. 7) or na (not applicable) for an
    article; todo for an item that is not an article (a figure, fact or factor to clear)."""

    text: str
    status: str
    detail: str = ""
    ref: str = ""          # e.g. "第二十四条" or "GRI 305-1"

    def __post_init__(self):
        if self.status not in CHECK_STATUSES:
            raise DocumentError(f"check status {self.status!r}; known: {CHECK_STATUSES}")


@dataclass(frozen=True)
class Checklist:
    items: tuple[CheckItem, ...]
    title: str = ""

    def __post_init__(self):
        _tuple(self, "items", self.items)


@dataclass(frozen=True)
class Paragraph:
    """Narrative text; inline ``**bold**`` and ``*italic*`` (see :func:`inline_runs`)."""

    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]

    def __post_init__(self):
        _tuple(self, "items", self.items)


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Cover:
    """The cover page: title, subtitle and a few lines (organisation, date)."""

    title: str
    subtitle: str = ""
    lines: tuple[str, ...] = ()

    def __post_init__(self):
        _tuple(self, "lines", self.lines)


@dataclass(frozen=True)
class TableOfContents:
    """Where the table of contents goes; ``depth`` 1 = chapters, 2 = and sections."""

    depth: int = 2
    title: str = ""


@dataclass(frozen=True)
class Section:
    """A section inside a chapter (level 2) or inside a section (level 3)."""

    title: str
    blocks: tuple["Block", ...] = ()
    number: str = ""

    def __post_init__(self):
        _tuple(self, "blocks", self.blocks)


@dataclass(frozen=True)
class Chapter:
    title: str
    number: str = ""
    blocks: tuple["Block", ...] = ()

    def __post_init__(self):
        _tuple(self, "blocks", self.blocks)


Block = Union[Cover, TableOfContents, Chapter, Section, Paragraph, BulletList, Table, Chart,
              Checklist, PageBreak]


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str = ""
    lang: str = "zh"
    period: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def __post_init__(self):
        if self.lang not in ("zh", "en"):
            raise DocumentError(f"document lang must be zh or en, not {self.lang!r}")
        _tuple(self, "blocks", self.blocks)


# --- walking a document -------------------------------------------------------------------

def walk(doc: Document) -> Iterator[tuple[Block, int]]:
    """Every block in reading order with its heading depth (chapter 1, section 2, ...)."""
    def visit(blocks, depth):
        for b in blocks:
            if isinstance(b, Chapter):
                yield b, 1
                yield from visit(b.blocks, 1)
            elif isinstance(b, Section):
                yield b, depth + 1
                yield from visit(b.blocks, depth + 1)
            else:
                yield b, depth
    yield from visit(doc.blocks, 0)


@dataclass(frozen=True)
class Heading:
    anchor: str
    level: int
    text: str


def heading_text(block: Chapter | Section, lang: str) -> str:
    """``一、环境`` in Chinese when the number ends in 、; else ``number title``."""
    if not block.number:
        return block.title
    if block.number.endswith(("、", "．", ".")) and lang == "zh":
        return f"{block.number}{block.title}"
    return f"{block.number} {block.title}"


def outline(doc: Document) -> tuple[list[Heading], dict[int, str]]:
    """Headings for a table of contents, and ``id(block) -> anchor`` for the renderers."""
    headings: list[Heading] = []
    anchors: dict[int, str] = {}
    counters = [0, 0, 0, 0, 0, 0]
    tables = charts = 0
    for block, depth in walk(doc):
        if isinstance(block, (Chapter, Section)):
            counters[depth - 1] += 1
            for i in range(depth, len(counters)):
                counters[i] = 0
            anchor = "h-" + "-".join(str(c) for c in counters[:depth])
            anchors[id(block)] = anchor
            headings.append(Heading(anchor, depth, heading_text(block, doc.lang)))
        elif isinstance(block, Table):
            tables += 1
            anchors[id(block)] = f"table-{tables}"
        elif isinstance(block, Chart):
            charts += 1
            anchors[id(block)] = f"chart-{charts}"
    return headings, anchors


def tables(doc: Document) -> list[Table]:
    return [b for b, _ in walk(doc) if isinstance(b, Table)]


# --- inline markup ------------------------------------------------------------------------

_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def inline_runs(text: str) -> list[tuple[str, bool, bool]]:
    """Split simple inline Markdown into runs of (text, bold, italic).

    >>> inline_runs("排放 **下降** 了 *3%*")
    [('排放 ', False, False), ('下降', True, False), (' 了 ', False, False), ('3%', False, True)]
    """
    runs: list[tuple[str, bool, bool]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append((text[pos:m.start()], False, False))
        if m.group(1) is not None:
            runs.append((m.group(1), True, False))
        else:
            runs.append((m.group(2), False, True))
        pos = m.end()
    if pos < len(text):
        runs.append((text[pos:], False, False))
    return runs


# --- words renderers add themselves ---------------------------------------------------------

_UI = {
    "contents": {"zh": "目录", "en": "Contents"},
    "notes": {"zh": "注：", "en": "Notes:"},
    "unit": {"zh": "单位", "en": "Unit"},
    "page": {"zh": "第 {n} 页", "en": "Page {n}"},
    "toc_placeholder": {"zh": "右键单击此处并选择“更新域”以生成目录。",
                        "en": "Right-click here and choose Update Field to build the contents."},
    "status_ok": {"zh": "已披露", "en": "disclosed"},
    "status_cited": {"zh": "已引用，未核实", "en": "cited, not verified"},
    "status_partial": {"zh": "部分披露", "en": "partly disclosed"},
    "status_missing": {"zh": "缺失", "en": "missing"},
    "status_conditional": {"zh": "视情况适用", "en": "conditional"},
    "status_na": {"zh": "不适用", "en": "not applicable"},
    # an item of the check that is not an article (a figure to clear, a fact to approve, a factor)
    "status_todo": {"zh": "待处理", "en": "to clear"},
    "item": {"zh": "项目", "en": "Item"},
    "status": {"zh": "状态", "en": "Status"},
    "detail": {"zh": "说明", "en": "Detail"},
    "reference": {"zh": "依据", "en": "Reference"},
}
STATUS_SYMBOLS = {"ok": "✓", "cited": "○", "partial": "◐", "missing": "×", "conditional": "◇", "na": "–", "todo": "→"}


def ui_text(key: str, lang: str, **kw) -> str:
    return _UI[key][lang].format(**kw)
