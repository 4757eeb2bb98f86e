"""Markdown renderer: a readable ``.md`` (GitHub-flavoured tables).

Markdown tables have one header row, so grouped header rows are flattened column by column
(``年份 2024``); group rows become bold rows; footnote marks are written ``[1]`` after the
value and the notes follow the table. A chart becomes a small table of its data under its
title, so the figures stay readable without an image.
"""
from __future__ import annotations

from decimal import Decimal

from esgledger.report.document import (
    STATUS_SYMBOLS,
    BulletList,
    Chapter,
    Chart,
    Checklist,
    Cover,
    Document,
    Footnote,
    PageBreak,
    Paragraph,
    Section,
    Table,
    TableOfContents,
    header_grid,
    heading_text,
    outline,
    target_value,
    ui_text,
)
from esgledger.report.numbers import format_value


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _marks(marks) -> str:
    return "".join(f"[{m}]" for m in marks)


def _pipe_table(header: list[str], aligns: list[str], rows: list[list[str]]) -> list[str]:
    rule = {"left": ":---", "center": ":---:", "right": "---:"}
    out = ["| " + " | ".join(_esc(h) for h in header) + " |",
           "| " + " | ".join(rule[a] for a in aligns) + " |"]
    out += ["| " + " | ".join(_esc(c) for c in row) + " |" for row in rows]
    return out


def _footnotes(notes: tuple[Footnote, ...], lang: str) -> list[str]:
    if not notes:
        return []
    return ["", ui_text("notes", lang), ""] + [f"- [{f.mark}] {f.text}" for f in notes]


def flat_header(t: Table) -> list[str]:
    """One header text per column: the distinct texts above it, top to bottom."""
    grid = header_grid(t.header_rows)
    if not grid:
        return [""] * t.n_columns
    out = []
    for c in range(len(grid[0])):
        texts: list[str] = []
        for line in grid:
            text = line[c][0].text
            if text and text not in texts:
                texts.append(text)
        out.append(" ".join(texts))
    return out


def table_lines(t: Table, lang: str) -> list[str]:
    aligns = ["right" if k == "number" else "left" for k in t.column_kinds]
    rows = []
    for r in t.rows:
        if r.kind != "data":
            rows.append([f"**{r.cells[0].text}**{_marks(r.cells[0].marks)}"]
                        + [""] * (t.n_columns - 1))
            continue
        line = []
        for cell in r.cells:
            line.append(cell.text + _marks(cell.marks))
            line += [""] * (cell.colspan - 1)
        rows.append(line)
    out = [f"**{t.caption}**", ""] + _pipe_table(flat_header(t), aligns, rows)
    return out + _footnotes(t.footnotes, lang)


def chart_lines(c: Chart, lang: str) -> list[str]:
    p = int(c.spec.get("precision", 2))
    title = f"**{c.title}**" + (f"（{c.unit}）" if c.unit and lang == "zh" else
                                f" ({c.unit})" if c.unit else "")
    if c.kind == "pie":
        header = ["", c.series[0].name if c.series else ""]
        rows = [[cat, format_value(v, p, lang)] for cat, v in zip(c.categories, c.series[0].values)]
    else:
        header = [""] + list(c.categories)
        rows = [[s.name] + [format_value(v, p, lang) for v in s.values] for s in c.series]
    out = [title, ""] + _pipe_table(header, ["left"] + ["right"] * (len(header) - 1), rows)
    if c.kind == "target":
        s = c.spec
        colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
        baseline = format_value(Decimal(str(s["baseline_value"])), p, lang)
        out += ["", f"{s.get('baseline_label', s['baseline_year'])}{colon}{baseline}{sep}"
                    f"{s.get('target_label', s['target_year'])}{colon}"
                    f"{format_value(target_value(c), p, lang)}"]
    return out + _footnotes(c.footnotes, lang)


def render_markdown(doc: Document) -> str:
    """The document as Markdown text."""
    headings, _ = outline(doc)
    out: list[str] = []

    def emit(lines):
        if out and out[-1] != "":
            out.append("")
        out.extend(lines)

    def visit(blocks, depth):
        for b in blocks:
            if isinstance(b, Chapter):
                emit([f"# {heading_text(b, doc.lang)}"])
                visit(b.blocks, 1)
            elif isinstance(b, Section):
                emit([f"{'#' * min(depth + 1, 6)} {heading_text(b, doc.lang)}"])
                visit(b.blocks, depth + 1)
            elif isinstance(b, Paragraph):
                emit([b.text])
            elif isinstance(b, BulletList):
                emit([f"- {i}" for i in b.items])
            elif isinstance(b, Table):
                emit(table_lines(b, doc.lang))
            elif isinstance(b, Chart):
                emit(chart_lines(b, doc.lang))
            elif isinstance(b, Checklist):
                lines = [f"**{b.title}**", ""] if b.title else []
                for i in b.items:
                    box = "x" if i.status == "ok" else " "
                    extra = "; ".join(x for x in (i.ref, i.detail) if x)
                    label = f"{STATUS_SYMBOLS[i.status]} {ui_text('status_' + i.status, doc.lang)}"
                    lines.append(f"- [{box}] {i.text} — {label}" + (f" ({extra})" if extra else ""))
                emit(lines)
            elif isinstance(b, Cover):
                emit([f"# {b.title}"] + ([f"**{b.subtitle}**"] if b.subtitle else [])
                     + ([""] + [f"{line}  " for line in b.lines] if b.lines else []))
            elif isinstance(b, TableOfContents):
                emit([f"**{b.title or ui_text('contents', doc.lang)}**", ""]
                     + [f"{'  ' * (h.level - 1)}- {h.text}" for h in headings
                        if h.level <= b.depth])
            elif isinstance(b, PageBreak):
                emit(["---"])

    if not (doc.blocks and isinstance(doc.blocks[0], Cover)):
        emit([f"# {doc.title}"] + ([f"**{doc.subtitle}**"] if doc.subtitle else []))
    visit(doc.blocks, 0)
    return "\n".join(out) + "\n"
