"""The KPI table (绩效表) as a document table, and its files (XLSX, HTML, Markdown; zh and en).

The table data comes from :func:`esgledger.report.kpi.build_kpi_table`; this module only lays
it out: a group row per E/S/G dimension, a sub-group row per topic, one row per indicator with
its unit and one column per year; a missing value is a dash with a footnote.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from esgledger.report.document import Cell, Document, Footnote, HeaderCell, Row, Table
from esgledger.report.kpi import DIMENSION_TITLES, KpiRow, KpiTable
from esgledger.report.render import write

HEADERS = {"zh": ("指标", "单位", "{y}年"), "en": ("Indicator", "Unit", "{y}")}
CAPTION = {"zh": "附录一：绩效表", "en": "Appendix 1: Key performance indicators"}
TITLE = {"zh": "{y}年度环境、社会及治理（ESG）绩效表", "en": "{y} ESG key performance indicators"}
# the cell notes in the order they are numbered; only those a table uses get a number, from 1
# on, then the row notes (formula, methods and factors): no number is skipped (UAT4 F-L2)
NOTE_ORDER = ("missing", "restated", "illustrative", "split", "calibrated", "incomplete")


def kpi_document_table(kpi: KpiTable, lang: str,
                       row_notes: Callable[[KpiRow, str], Sequence[str]] | None = None) -> Table:
    """The KPI table as a document table. ``row_notes(row, lang)`` may give footnote texts for a
    row (the formula, methodology and factor sets behind its figures); each distinct text gets
    one footnote, marked on the row's label. A cell resting on data not yet approved gets the
    footnote of its note (one per distinct text) beside its other marks."""
    h = HEADERS[lang]
    header = [HeaderCell(h[0], align="left"), HeaderCell(h[1])] + [HeaderCell(h[2].format(y=y)) for y in kpi.years]
    used = [k for k in NOTE_ORDER if any(k in c.notes for s in kpi.sections for r in s.rows
                                         for c in r.cells.values())]
    marks = {k: str(i + 1) for i, k in enumerate(used)}
    rows: list[Row] = []
    last_dim = None
    extra: dict[str, str] = {}  # footnote text -> mark
    for sec in kpi.sections:
        if sec.dimension != last_dim:
            rows.append(Row.group(DIMENSION_TITLES[sec.dimension][lang]))
            last_dim = sec.dimension
        rows.append(Row.group(sec.title[lang], sub=True))
        for r in sec.rows:
            label_marks = []
            for text in (row_notes(r, lang) if row_notes else ()):
                label_marks.append(extra.setdefault(text, str(len(used) + 1 + len(extra))))
            cells = [Cell.label(r.label[lang], label_marks), Cell.label(r.unit_label(lang), align="center")]
            for y in kpi.years:
                c = r.cells[y]
                cell_marks = tuple(marks[n] for n in c.notes)
                if c.unapproved:  # rests on data not yet approved: a note of its own (report/approval.py)
                    cell_marks += (extra.setdefault(c.unapproved[lang], str(len(used) + 1 + len(extra))),)
                if c.value is None and "missing" in c.notes:
                    cells.append(Cell.dash(cell_marks))
                elif c.value is not None:
                    cells.append(Cell(c.text, c.value, "right", cell_marks, r.precision))
                else:
                    cells.append(Cell.label(c.text, cell_marks, align="right"))
            rows.append(Row(tuple(cells)))
    notes = [Footnote(marks[k], kpi.notes[k][lang]) for k in used]
    notes += [Footnote(mark, text) for text, mark in extra.items()]
    return Table(CAPTION[lang], [header], rows, notes,
                 ("text", "unit") + ("number",) * len(kpi.years),
                 sheet="绩效表" if lang == "zh" else "KPI", lang=lang)


def kpi_document(kpi: KpiTable, lang: str) -> Document:
    return Document(TITLE[lang].format(y=kpi.period), lang=lang, period=str(kpi.period),
                    blocks=(kpi_document_table(kpi, lang),))


def write_kpi_outputs(kpi: KpiTable, outdir: Path, basename: str = "kpi") -> list[Path]:
    """XLSX (a sheet per language), HTML and Markdown in zh and en; returns the paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    zh, en = kpi_document(kpi, "zh"), kpi_document(kpi, "en")
    both = Document(zh.title, subtitle=en.title, lang="zh", period=zh.period,
                    blocks=(kpi_document_table(kpi, "zh"), kpi_document_table(kpi, "en")))
    out = [write(both, outdir / f"{basename}.xlsx")]
    for doc in (zh, en):
        for fmt, suffix in (("html", "html"), ("md", "md")):
            out.append(write(doc, outdir / f"{basename}.{doc.lang}.{suffix}", fmt))
    return out
