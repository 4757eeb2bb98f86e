"""HTML renderer: one self-contained file (inline CSS, charts as data-URI SVG).

The same HTML is the input of the PDF renderer: its ``@media print`` rules give A4 pages,
a cover page without a footer, page numbers in the footer, chapter page breaks and a table
of contents with page numbers (``target-counter``).
"""
from __future__ import annotations

import base64
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup, escape

from esgledger.report import charts
from esgledger.report.document import (
    STATUS_SYMBOLS,
    Chart,
    Document,
    Table,
    heading_text,
    inline_runs,
    outline,
    ui_text,
)

TEMPLATES = "esgledger.report"


def inline_html(text: str) -> Markup:
    """Inline ``**bold**`` / ``*italic*`` as escaped HTML."""
    out = []
    for run, bold, italic in inline_runs(text or ""):
        html = str(escape(run))
        if bold:
            html = f"<strong>{html}</strong>"
        if italic:
            html = f"<em>{html}</em>"
        out.append(html)
    return Markup("".join(out))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(TEMPLATES, "templates"),
        autoescape=True, trim_blocks=False, lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["inline"] = inline_html
    env.globals["kind"] = lambda b: type(b).__name__
    env.globals["symbol"] = STATUS_SYMBOLS.get
    return env


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files(TEMPLATES).joinpath("templates", "report.css").read_text("utf-8")


_SVG_CACHE: dict[tuple[str, str], str] = {}


def chart_data_uri(chart: Chart, lang: str) -> str:
    """The chart as an SVG data URI. Drawings are cached by the chart's content (its repr: a
    frozen record of Decimals and strings), so the HTML and the PDF of one report draw each
    chart once."""
    key = (repr(chart), lang)
    uri = _SVG_CACHE.get(key)
    if uri is None:
        if len(_SVG_CACHE) >= 64:
            _SVG_CACHE.clear()
        svg = charts.render_svg(chart, lang)
        uri = _SVG_CACHE[key] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return uri


def number_column_widths(table: Table) -> dict[int, float]:
    """Width in em of each ``number`` column: its widest value (or header) plus the cell's
    padding, at least 5.2em. With ``table-layout: fixed`` (print) a column must be wide
    enough for ``17,900,256.38`` with its footnote mark, or the numbers run into each other."""
    widths: dict[int, float] = {}
    numbers = [i for i, k in enumerate(table.column_kinds) if k == "number"]
    if not numbers:
        return widths
    for i in numbers:
        widest = max((_text_em(h.text) for hr in table.header_rows if len(hr) == table.n_columns
                      for h in hr[i:i + 1]), default=0.0)
        for r in table.rows:
            if r.kind == "data" and len(r.cells) == table.n_columns:
                c = r.cells[i]
                widest = max(widest, _text_em(c.text) + 0.45 * sum(len(m) for m in c.marks))
        widths[i] = round(max(5.2, widest + 1.9), 1)  # padding .5em + 1.1em, and some air
    return widths


def _text_em(text: str) -> float:
    """Rough width of ``text`` in em at the table's font: digits and Latin about 0.56em,
    CJK characters 1em."""
    return sum(1.0 if ord(ch) > 0x2e80 else 0.56 for ch in text or "")


def render_html(doc: Document) -> str:
    """The document as one HTML page.

    >>> from esgledger.report.document import Chapter, Paragraph
    >>> html = render_html(Document("报告", blocks=[Chapter("治理", blocks=[Paragraph("**董事会**")])]))
    >>> "<h1>治理</h1>" in html and "<strong>董事会</strong>" in html
    True
    """
    headings, anchors = outline(doc)
    page_counter = '"第 " counter(page) " 页"' if doc.lang == "zh" else "counter(page)"
    return _environment().get_template("report.html").render(
        doc=doc,
        html_lang="zh-CN" if doc.lang == "zh" else "en",
        css=Markup(stylesheet()),
        page_counter=Markup(page_counter),
        headings=headings,
        anchor=lambda b: anchors.get(id(b), ""),
        heading=lambda b: heading_text(b, doc.lang),
        ui=lambda key: ui_text(key, doc.lang),
        chart_uri=lambda c: chart_data_uri(c, doc.lang),
        number_widths=number_column_widths,
    )
