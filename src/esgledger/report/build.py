"""The sustainability report built from the ledger: definition + ledger → :class:`Document`.

Setting up reads the ledger once (:class:`~esgledger.report.context.ReportContext`); then one
document is assembled per language: a cover, the contents, the chapters with their narrative
(placeholders filled from the ledger), charts and generated tables, and the appendices: the
KPI table (绩效表) with footnotes for missing, restated and derived figures, the framework index
(指标索引表), the GRI content index and, only for an internal draft (``checklist=True``,
``report build --checklist``), the gap check as a checklist in the HTML.
Renderers (:mod:`esgledger.report.render`) turn each document into HTML, DOCX, PDF and XLSX.

>>> from esgledger.workspace import open_workspace              # doctest: +SKIP
>>> ws = open_workspace("esgledger-demo")                        # doctest: +SKIP
>>> defn = load_workspace_definition(ws)                         # doctest: +SKIP
>>> doc = build_document(ReportContext(ws, defn), "zh")          # doctest: +SKIP
>>> write(doc, "report.zh.pdf")                                  # doctest: +SKIP
"""
from __future__ import annotations

import dataclasses
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList
from esgledger.report.charts_data import chart_from_definition
from esgledger.report.context import ReportContext
from esgledger.report.definition import (DEFINITION_NAME, GUIDELINES, Definition, DefinitionError,
                                         SectionDef, load_definition)
from esgledger.report.placeholders import PLACEHOLDER, parse_placeholder, resolve_year
from esgledger.report.document import (Block, BulletList, Cell, Chapter, Cover, Document, Footnote, HeaderCell,
                                       Paragraph, Row, Section, Table, TableOfContents)
from esgledger.report.figure_notes import FIGURE_NOTES, FIGURE_STATUSES, formula_note, method_notes
from esgledger.report.gap import check_gaps, gap_checklist
from esgledger.report.index import gri_content_index, index_table
from esgledger.report.kpi import NOTE_MISSING
from esgledger.report.kpi_render import TITLE as KPI_TITLE, kpi_document_table
from esgledger.report.numbers import DASH, format_value, large_amount, narrative_amount
from esgledger.report.render import renderer_for

FORMATS = ("html", "docx", "pdf", "xlsx")
LANGS = ("zh", "en")
TEXT = {
    "cover_period": {"zh": "报告期：{p}年1月1日至{p}年12月31日", "en": "Reporting period: 1 January to 31 December {p}"},
    "cover_frameworks": {"zh": "编制依据：{g}", "en": "Prepared under {g}"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "illustrative_base": {"zh": "（{y}年对比值为示意值）", "en": " (against an illustrative {y} value)"},
    "unit": {"zh": "单位", "en": "Unit"},
    "year": {"zh": "{y}年", "en": "{y}"},
}


def load_workspace_definition(ws, path: str | Path | None = None) -> Definition:
    """The workspace's ``report.yaml`` (or ``path``), checked; raises :class:`DefinitionError`."""
    p = Path(path) if path is not None else ws.path / DEFINITION_NAME
    defn, problems = load_definition(p, ws.library)
    if defn is None:
        raise DefinitionError(problems.errors or problems, ws.lang)
    return defn


# --- narrative ------------------------------------------------------------------------------

# The marks of the narrative's notes, in order: circled numbers in Chinese (① … ⑳, then (21) …),
# letters in English ([a] … [z], then [27] …); the section's tables number their own notes 1, 2,
# 3 …, so the two never read alike. A narrative notes each distinct figure on data not yet
# approved: it may need more marks than there are kinds of figure.
def narrative_mark(index: int, lang: str) -> str:
    """The ``index``-th (from 0) note mark of a narrative: ①, ② … / [a], [b] …

    >>> narrative_mark(0, "zh"), narrative_mark(19, "zh"), narrative_mark(20, "zh")
    ('①', '⑳', '(21)')
    >>> narrative_mark(1, "en"), narrative_mark(25, "en"), narrative_mark(26, "en")
    ('[b]', '[z]', '[27]')
    """
    if lang == "zh":
        return chr(0x2460 + index) if index < 20 else f"({index + 1})"
    return f"[{chr(ord('a') + index)}]" if index < 26 else f"[{index + 1}]"


def narrative_notes(marks: dict[str, str], lang: str) -> list[Paragraph]:
    """The notes under a narrative for the marks it used (``{status: mark}``, or ``{note: mark}``
    for a figure on data not yet approved), in mark order."""
    texts = ((FIGURE_NOTES[k][lang] if k in FIGURE_NOTES else k, mark) for k, mark in marks.items())
    return [Paragraph(f"{mark}{text}" if lang == "zh" else f"{mark} {text}") for text, mark in texts]


def fill_placeholders(ctx: ReportContext, text: str, lang: str, where=None,
                      problems: ProblemList | None = None, marks: dict[str, str] | None = None) -> str:
    """``text`` with every placeholder replaced by its value (a dash when the ledger has none;
    ESG-REPORT-007 then goes to ``problems`` with the placeholder's file:line).

    ``marks``: a figure that is, or rests on, an input marked illustrative, split or
    calibrated (:meth:`ReportContext.figure_status`) is followed by a note mark, one per kind,
    collected in ``marks`` (``{status: mark}``) for :func:`narrative_notes` (UAT4 F-H1); one
    that rests on data not yet approved (:meth:`ReportContext.unapproved`) by a mark of its own
    as well, one per distinct note (``{note: mark}``); without it (a title) figures are not
    marked."""
    if "{{" not in text:
        return text

    def mark(statuses) -> str:
        found = [s for s in statuses if s]
        if marks is None or not found:
            return ""
        status = max(found, key=FIGURE_STATUSES.index)
        if status not in marks:
            marks[status] = narrative_mark(len(marks), lang)
        return marks[status]

    def pending(facts) -> str:
        if marks is None:
            return ""
        out = ""
        for text in dict.fromkeys(n[lang] for n in ctx.unapproved(facts).values()):
            if text not in marks:
                marks[text] = narrative_mark(len(marks), lang)
            out += marks[text]
        return out

    def one(m: re.Match) -> str:
        ph = parse_placeholder(m.group(1))  # the definition was checked when loaded
        if ph.kind == "period":
            return str(ctx.period)
        if ph.kind == "company":
            return ctx.model.organisation.get(lang)
        ind = ctx.library[ph.indicator]
        years = [resolve_year(y, ctx.period) for y in ph.years]
        facts = [ctx.fact(ph.indicator, y, ph.entity, ph.dims) for y in years]
        if any(f is None for f in facts):
            y = years[facts.index(None)]
            # a year without any fact is named once (ESG-REPORT-011), not by each placeholder
            if problems is not None and not ctx.coverage().covered(y):
                loc = where(text.count("\n", 0, m.start())) if where else Location()
                problems.append(Problem("ESG-REPORT-007", loc, {
                    "found": m.group(0), "indicator": ph.indicator, "period": y,
                    "entity": ph.entity or ctx.entity}))
            return DASH
        if ph.kind == "change":
            a, b = (Decimal(f.value) for f in facts)
            if a == 0:
                return DASH
            change = (b - a) / abs(a) * 100
            text_ = format_value(change, 1 if ph.precision is None else ph.precision, lang) + "%"
            text_ = ("+" + text_) if change > 0 and not text_.startswith("0") else text_
            if ctx.is_illustrative(facts[0]):  # the base of the change is not reported data (UAT1 F7)
                return text_ + TEXT["illustrative_base"][lang].format(y=years[0]) + pending(facts)
            return text_ + mark(ctx.figure_status(f) for f in facts) + pending(facts)
        f = facts[0]
        if ind.value_type != "number":
            return f.value + pending(facts)
        return number(f, ind, ph) + mark([ctx.figure_status(f)]) + pending(facts)

    def number(f, ind, ph) -> str:
        precision = ind.precision if ph.precision is None else ph.precision
        if ph.unit and (lang == "en" or ph.precision is None):
            # 1,270.26 万吨 reads "12.70 million t"; 18,174,128.78 MWh 181.74亿千瓦时 / 18.17 TWh
            amount = narrative_amount(Decimal(f.value), precision, ind.unit, lang)
            if amount is not None:
                return amount
        if ph.unit and ph.precision is None:  # 1,234,567 小时 reads 123.46万小时 / 1.235 million hours
            amount = large_amount(Decimal(f.value), precision, lang)
            if amount is not None:
                return ctx.with_unit(amount, ph.indicator, lang)
        shown = format_value(Decimal(f.value), precision, lang)
        return ctx.with_unit(shown, ph.indicator, lang) if ph.unit else shown

    return PLACEHOLDER.sub(one, text)


def narrative_blocks(text: str, lang: str) -> list[Block]:
    """Markdown narrative as blocks: paragraphs (blank-line separated, lines joined), ``- ``
    bullet lists, and ``#`` lines as bold run-in headings."""
    blocks: list[Block] = []
    para: list[str] = []
    bullets: list[str] = []
    joiner = "" if lang == "zh" else " "

    def flush():
        if para:
            blocks.append(Paragraph(joiner.join(para)))
            para.clear()
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(("- ", "* ")):
            if para:
                flush()
            bullets.append(line[2:].strip())
        elif line.startswith("#"):
            flush()
            blocks.append(Paragraph(f"**{line.lstrip('#').strip()}**"))
        else:
            if bullets:
                flush()
            para.append(line)
    flush()
    return blocks


# --- the document ---------------------------------------------------------------------------

@dataclass
class _Assembly:
    ctx: ReportContext
    lang: str
    checklist: bool
    problems: ProblemList = field(default_factory=ProblemList)

    def text(self, node_id: str, fld: str, value: str, marks: dict[str, str] | None = None) -> str:
        where = lambda off: self.ctx.definition.location(node_id, fld, self.lang, off)  # noqa: E731
        return fill_placeholders(self.ctx, value, self.lang, where, self.problems, marks)

    def node(self, n: SectionDef, depth: int) -> Block | None:
        lang = self.lang
        if n.table == "gap_checklist" and not self.checklist:
            return None
        title = self.text(n.id, "title", n.title.get(lang))
        number = n.number.get(lang) if n.number else ""
        marks: dict[str, str] = {}
        blocks: list[Block] = narrative_blocks(self.text(n.id, "narrative", n.narrative.get(lang), marks), lang)
        blocks += narrative_notes(marks, lang)
        for c in n.charts:
            chart, _reason = chart_from_definition(self.ctx, c, lang)
            if chart is not None:
                blocks.append(chart)
        if n.table:
            blocks += self.generated(n)
        for child in n.sections:
            b = self.node(child, depth + 1)
            if b is not None:
                blocks.append(b)
        if depth == 1:
            return Chapter(title, number, tuple(blocks))
        return Section(title, tuple(blocks), number)

    def generated(self, n: SectionDef) -> list[Block]:
        ctx, lang = self.ctx, self.lang
        if n.table == "kpi_table":
            table = kpi_document_table(ctx.kpi, lang, row_notes=self.kpi_row_notes)
            return [dataclasses.replace(table, caption=KPI_TITLE[lang].format(y=ctx.period))]
        if n.table == "framework_index":
            return [index_table(ctx.index, lang, ctx.model.guideline, ctx.model.frameworks)]
        if n.table == "gri_content_index":
            if "gri" not in ctx.model.frameworks:
                return []
            return gri_content_index(ctx.index, ctx.library, lang, organisation=ctx.model.organisation.get(lang),
                                     period=ctx.period, use=ctx.model.gri_use,
                                     has_value=lambda code: ctx.has_value(code))
        if n.table == "gap_checklist":
            return [gap_checklist(check_gaps(ctx, lang), lang)]
        if n.table == "indicators":
            return [self.indicator_table(n)]
        raise ValueError(f"section {n.id}: no generator for table {n.table!r}")  # the schema lists the kinds

    def kpi_row_notes(self, row, lang: str) -> list[str]:
        notes = []
        formula = formula_note(self.ctx.library, row.indicator, lang)
        if formula:
            notes.append(formula)
        ind = self.ctx.library.get(row.indicator)
        if ind is not None and ind.kind in ("method", "formula") and self.ctx.period in row.cells:
            def ids_of(year):
                ids = set(row.cells[year].fact_ids) if year in row.cells else set()
                if row.dims == ("",):  # a total: the calculation records factors on its breakdowns
                    ids |= set(self.ctx.breakdown_ids(row.indicator, year, row.entity))
                return ids

            notes += method_notes(self.ctx.ws, ids_of(self.ctx.period), lang,
                                  years={y: ids_of(y) for y in self.ctx.years})
        return notes

    def indicator_table(self, n: SectionDef) -> Table:
        ctx, lang = self.ctx, self.lang
        header = [HeaderCell(TEXT["indicator"][lang], align="left"), HeaderCell(TEXT["unit"][lang])]
        header += [HeaderCell(TEXT["year"][lang].format(y=y)) for y in ctx.years]
        rows = []
        notes: dict[str, str] = {}  # footnote text -> mark (the method, GWP and factor sets behind a row)
        facts = {(code, y): ctx.fact(code, y) for code in n.indicators for y in ctx.years}
        status = ctx.figure_statuses(facts.values())
        unapproved = ctx.unapproved(facts.values())
        for code in n.indicators:
            ind = ctx.library[code]
            marks = [notes.setdefault(text, str(len(notes) + 1)) for text in self.indicator_notes(code)]
            cells = [Cell.label(ind.name.get(lang), marks), Cell.label(ctx.unit_label(code, lang), align="center")]
            for y in ctx.years:
                f = facts[code, y]
                cell = Cell.number(ctx.value(code, y), ind.precision, lang=lang)
                if cell.missing:  # a dash with the KPI table's footnote, never a bare dash (audit A5-L1)
                    mark = notes.setdefault(NOTE_MISSING[lang], str(len(notes) + 1))
                    cell = dataclasses.replace(cell, marks=(mark,))
                elif f is not None and f.id in status:  # rests on inputs marked illustrative, split or calibrated
                    mark = notes.setdefault(FIGURE_NOTES[status[f.id]][lang], str(len(notes) + 1))
                    cell = dataclasses.replace(cell, marks=tuple(cell.marks) + (mark,))
                if f is not None and f.id in unapproved and not cell.missing:  # beside it: data not yet approved
                    mark = notes.setdefault(unapproved[f.id][lang], str(len(notes) + 1))
                    cell = dataclasses.replace(cell, marks=tuple(cell.marks) + (mark,))
                cells.append(cell)
            rows.append(Row(tuple(cells)))
        return Table(n.title.get(lang), [header], rows, tuple(Footnote(m, t) for t, m in notes.items()),
                     ("text", "unit") + ("number",) * len(ctx.years))

    def indicator_notes(self, code: str) -> list[str]:
        """The footnotes of a row of a section's indicator table: as the KPI table's (formula,
        then the methodology, GWP set and factor sets of the reporting year's figure, read from
        its lineage and its breakdowns')."""
        ctx, lang = self.ctx, self.lang
        notes = []
        formula = formula_note(ctx.library, code, lang)
        if formula:
            notes.append(formula)
        ind = ctx.library.get(code)
        if ind is not None and ind.kind in ("method", "formula"):
            ids = set(ctx.breakdown_ids(code, ctx.period))
            if ids:
                notes += method_notes(ctx.ws, ids, lang, years={y: set(ctx.breakdown_ids(code, y)) for y in ctx.years})
        return notes


def build_document(ctx: ReportContext, lang: str, *, checklist: bool = False,
                   problems: ProblemList | None = None) -> Document:
    """The report in one language. ``checklist`` keeps the gap-check appendix: an internal
    draft's, never the filed report's (UAT 4 F-M12: it lists the company's own gaps)."""
    a = _Assembly(ctx, lang, checklist)
    m = ctx.model
    title = a.text("", "title", m.title.get(lang))
    subtitle = a.text("", "subtitle", m.subtitle.get(lang))
    guideline = GUIDELINES[m.guideline][lang]
    cover = Cover(title, subtitle, (m.organisation.get(lang), TEXT["cover_period"][lang].format(p=ctx.period),
                                    TEXT["cover_frameworks"][lang].format(g=guideline)))
    blocks: list[Block] = [cover, TableOfContents(depth=2)]
    for n in m.chapters:
        b = a.node(n, 1)
        if b is not None:
            blocks.append(b)
    if problems is not None:
        problems.extend(a.problems)
    return Document(title, subtitle, lang, str(ctx.period),
                    {"author": m.organisation.get(lang), "generator": "esgledger"}, tuple(blocks))


# --- outputs --------------------------------------------------------------------------------

@dataclass
class BuildResult:
    outputs: list[Path]
    seconds: dict[str, float]            # per format (and "setup"), summed over languages
    problems: ProblemList


def progress_steps(progress, task, describe: Callable[[str | None, str | None], str]) -> Callable[[str], None]:
    """A ``step`` for :func:`build_outputs` that drives a progress bar (``rich.progress``):
    each step after the first advances ``task``; ``describe(lang, fmt)`` names the step
    (``None, None`` for the setup). The caller advances once more when the build returns."""
    first = [True]

    def step(label: str) -> None:
        if not first[0]:
            progress.advance(task)
        first[0] = False
        lang, fmt = label.split(":") if label != "setup" else (None, None)
        progress.update(task, description=describe(lang, fmt))

    return step


def build_outputs(ws, definition: Definition, outdir: str | Path, *, period: int | None = None,
                  langs: Iterable[str] = LANGS, formats: Iterable[str] = FORMATS,
                  basename: str | None = None, checklist: bool = False,
                  step: Callable[[str], None] | None = None) -> BuildResult:
    """Write the report in each language and format to ``outdir``; ``step(label)`` is called
    before each piece of work (for a progress bar). Names: ``report-2024.zh.pdf``.
    ``checklist``: an internal draft, whose HTML carries the gap check as an appendix.

    All or nothing: the output folder and the files' names are checked first (ESG-REPORT-012),
    each file is written under a temporary name in the folder, and the files are moved into
    place only when every language and format has been written, so a failure never leaves the
    new files of some formats beside the previous build's others (audit A5-M2)."""
    outdir = Path(outdir)
    langs, formats = list(langs), list(formats)
    for f in formats:
        renderer_for(f)  # unknown formats fail before any work
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    if step:
        step("setup")
    ctx = ReportContext(ws, definition, period)
    base = basename or f"report-{ctx.period}"
    targets = [(lang, fmt, outdir / f"{base}.{lang}{renderer_for(fmt).suffix}") for lang in langs for fmt in formats]
    problems = ProblemList(ctx.problems)
    problems.extend(output_problems(outdir, [p for _l, _f, p in targets]))
    problems.extend(ctx.coverage_problems())  # a year the ledger cannot fill stops the build
    if problems.errors:
        return BuildResult([], {}, problems)
    ctx.kpi, ctx.index  # noqa: B018 - read the ledger before timing the formats
    seconds["setup"] = time.perf_counter() - t0
    written: list[tuple[Path, Path]] = []  # (temporary file, its final name)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        for lang in langs:
            filed = build_document(ctx, lang, checklist=False, problems=problems)
            with_checklist = build_document(ctx, lang, checklist=True) if checklist and "html" in formats else filed
            for lang_, fmt, path in targets:
                if lang_ != lang:
                    continue
                if step:
                    step(f"{lang}:{fmt}")
                t = time.perf_counter()
                out = renderer_for(fmt)(with_checklist if fmt == "html" else filed)
                written.append((_write_temporary(path, out), path))
                seconds[fmt] = seconds.get(fmt, 0.0) + time.perf_counter() - t
        for tmp, path in written:
            os.replace(tmp, path)
    except OSError as e:  # the disk filled, the folder went away …: nothing half-lands
        for tmp, _path in written:
            tmp.unlink(missing_ok=True)
        where = Path(e.filename) if getattr(e, "filename", None) else outdir
        problems.append(_output_problem(where, Bilingual(f"无法写入（{e.strerror or e}）", f"cannot be written ({e.strerror or e})"),
                                        Bilingual("可写入的文件夹", "a folder you can write to")))
        return BuildResult([], seconds, problems)
    except BaseException:
        for tmp, _path in written:
            tmp.unlink(missing_ok=True)
        raise
    return BuildResult([p for _t, p in written], seconds, problems)


def _write_temporary(path: Path, content: str | bytes) -> Path:
    """``content`` in a new hidden file beside ``path`` (``.report-2024.zh.pdf.XXXX.part``)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    with open(tmp, "xb") as fh:  # created with the user's umask, as the file it becomes
        try:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        except BaseException:
            fh.close()
            tmp.unlink(missing_ok=True)
            raise
    return tmp


def _output_problem(path: Path, found: Bilingual, expected: Bilingual) -> Problem:
    return Problem("ESG-REPORT-012", Location(field="--output"), {
        "found": Bilingual(f"{path} {found.zh}", f"{path} {found.en}"), "expected": expected})


def output_problems(outdir: Path, files: list[Path]) -> ProblemList:
    """ESG-REPORT-012 for an output folder that cannot take the report: it is a file, a folder
    above it is a file, it cannot be written to, or a file of the report would replace a folder.
    Checked before anything is built (audit A5-M2: a traceback, after some files were written)."""
    out = ProblemList()
    folder = Bilingual("可写入的文件夹（-o/--output）", "a folder you can write to (-o/--output)")
    if outdir.exists() and not outdir.is_dir():
        out.append(_output_problem(outdir, Bilingual("是文件，不是文件夹", "is a file, not a folder"), folder))
        return out
    existing = outdir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        out.append(_output_problem(existing, Bilingual("是文件，无法在其下创建文件夹", "is a file: no folder can be made in it"),
                                   Bilingual(f"可创建 {outdir} 的位置", f"a place where {outdir} can be made")))
        return out
    if not os.access(existing, os.W_OK | os.X_OK):
        out.append(_output_problem(existing, Bilingual("不可写入", "cannot be written to"), folder))
        return out
    for f in files:
        if f.is_dir():
            out.append(_output_problem(f, Bilingual("是文件夹", "is a folder"),
                                       Bilingual("报告文件的名称（请移走或删除该文件夹）",
                                                 "the name of a report file (move or delete that folder)")))
    return out
