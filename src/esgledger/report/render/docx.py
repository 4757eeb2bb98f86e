"""DOCX renderer (python-docx): real heading styles, a TOC field, page numbers, CJK fonts.

- chapters are ``Heading 1`` (each starts a page), sections ``Heading 2``/``Heading 3``, so
  Word's navigation pane and the table of contents work;
- the table of contents is a field ``TOC \\o "1-3" \\h \\z \\u`` that Word fills when the file
  is opened (``w:updateFields``);
- the footer holds a ``PAGE`` field; the cover page has no footer;
- every style uses Noto Sans CJK SC for East-Asian text (``w:eastAsia``), with the language
  set to zh-CN or en-US;
- table header rows repeat on each page (``w:tblHeader``) and merged header cells keep the
  grouping of the document's header rows.
"""
from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from esgledger.report import charts
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
    inline_runs,
    ui_text,
)

SANS = "Noto Sans CJK SC"
SERIF = "Noto Serif CJK SC"
ACCENT = RGBColor(0x1F, 0x6F, 0x8B)
ACCENT_HEX, LIGHT_HEX = "1F6F8B", "E8F1F4"
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}


# --- low-level OOXML helpers -------------------------------------------------------------

def _set_fonts(rpr, font: str, lang: str) -> None:
    """Set every script's font on an ``w:rPr`` (dropping theme fonts) and the language."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    lang_el.set(qn("w:eastAsia"), "zh-CN")


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (begin / instrText / separate / result / end) in ``paragraph``."""
    def fld_char(kind):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        run._r.append(el)

    fld_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    fld_char("separate")
    paragraph.add_run(placeholder)
    fld_char("end")


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _add_inline(paragraph, text: str, bold: bool = False, color: RGBColor | None = None,
                size: Pt | None = None) -> None:
    for run_text, b, i in inline_runs(text):
        run = paragraph.add_run(run_text)
        run.bold = bold or b or None
        run.italic = i or None
        if color is not None:
            run.font.color.rgb = color
        if size is not None:
            run.font.size = size


def _add_marks(paragraph, marks, size: Pt | None = None) -> None:
    for mark in marks:
        run = paragraph.add_run(mark)
        run.font.superscript = True
        if size is not None:
            run.font.size = size


def _cell_at(table, row: int, col: int) -> _Cell:
    """The cell at grid position (row, col), found through the row's own ``w:tc`` elements.

    ``Table.cell`` rebuilds the whole cell grid on every call (quadratic in the table's size:
    tens of seconds for a 200-row KPI table); this walks one row only."""
    tr = table._tbl.tr_lst[row]
    c = 0
    for tc in tr.tc_lst:
        c += tc.grid_span
        if c > col:
            return _Cell(tc, table)
    raise IndexError(f"no cell at row {row}, column {col}")


_WEIGHTS = {"text": 3.0, "unit": 1.4, "number": 1.0}
TEXT_WIDTH = Cm(17.2)


def _column_widths(table, weights: list[float]) -> None:
    """Fixed column widths in proportion to ``weights`` (grid and every cell, spans summed)."""
    total = sum(weights)
    widths = [int(TEXT_WIDTH * w / total) for w in weights]
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = width
    for tr in table._tbl.tr_lst:
        c = 0
        for tc in tr.tc_lst:
            tc.width = sum(widths[c:c + tc.grid_span])
            c += tc.grid_span


# --- the document ------------------------------------------------------------------------

class _Writer:
    def __init__(self, doc: Document):
        self.doc = doc
        self.lang = doc.lang
        self.out = new_docx()
        self._setup()

    def _setup(self) -> None:
        out = self.out
        section = out.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin = section.bottom_margin = Cm(2.2)
        section.left_margin = section.right_margin = Cm(1.9)
        styles = out.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                _set_fonts(rpr, SANS, self.lang)
        for style in styles:
            if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
                _set_fonts(style.element.get_or_add_rPr(), SANS, self.lang)
        for fonts in styles.element.iter(qn("w:rFonts")):  # table styles' theme fonts too
            if any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib):
                _set_fonts(fonts.getparent(), SANS, self.lang)
        normal = styles["Normal"]
        normal.font.size = Pt(10.5)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.3
        for level, size in ((1, 18), (2, 14), (3, 12)):
            st = styles[f"Heading {level}"]
            _set_fonts(st.element.get_or_add_rPr(), SERIF if level == 1 else SANS, self.lang)
            st.font.size = Pt(size)
            st.font.color.rgb = ACCENT
            st.font.bold = True
            st.paragraph_format.space_before = Pt(12 if level > 1 else 0)
            st.paragraph_format.space_after = Pt(6)
            st.paragraph_format.keep_with_next = True
        styles["Heading 1"].paragraph_format.page_break_before = True
        styles["Title"].font.color.rgb = ACCENT
        styles["Caption"].font.color.rgb = ACCENT
        styles["Caption"].font.bold = True
        styles["Caption"].font.size = Pt(10)
        settings = out.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)
        props = out.core_properties
        props.title = self.doc.title
        props.subject = self.doc.subtitle
        props.language = "zh-CN" if self.lang == "zh" else "en-US"
        props.author = self.doc.meta.get("author", "esgledger")
        self._footer(section)

    def _footer(self, section) -> None:
        section.different_first_page_header_footer = any(
            isinstance(b, Cover) for b in self.doc.blocks[:1])
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, _, after = ui_text("page", self.lang, n="\0").partition("\0")
        if before:
            p.add_run(before)
        _field(p, "PAGE", "1")
        if after:
            p.add_run(after)

    # blocks ----------------------------------------------------------------------------
    def blocks(self, items, depth: int) -> None:
        for b in items:
            if isinstance(b, Chapter):
                self.out.add_heading(heading_text(b, self.lang), level=1)
                self.blocks(b.blocks, 1)
            elif isinstance(b, Section):
                self.out.add_heading(heading_text(b, self.lang), level=min(depth + 1, 4))
                self.blocks(b.blocks, depth + 1)
            elif isinstance(b, Paragraph):
                _add_inline(self.out.add_paragraph(), b.text)
            elif isinstance(b, BulletList):
                for item in b.items:
                    _add_inline(self.out.add_paragraph(style="List Bullet"), item)
            elif isinstance(b, Table):
                self.table(b)
            elif isinstance(b, Chart):
                self.chart(b)
            elif isinstance(b, Checklist):
                self.checklist(b)
            elif isinstance(b, PageBreak):
                self.out.add_page_break()
            elif isinstance(b, Cover):
                self.cover(b)
            elif isinstance(b, TableOfContents):
                self.toc(b)

    def cover(self, b: Cover) -> None:
        for _ in range(8):
            self.out.add_paragraph()
        self.out.add_paragraph(b.title, style="Title")
        if b.subtitle:
            self.out.add_paragraph(b.subtitle, style="Subtitle")
        for line in b.lines:
            self.out.add_paragraph(line)
        self.out.add_page_break()

    def toc(self, b: TableOfContents) -> None:
        self.out.add_paragraph(b.title or ui_text("contents", self.lang), style="TOC Heading")
        depth = max(1, min(b.depth, 3))
        _field(self.out.add_paragraph(), TOC_INSTRUCTION.replace("1-3", f"1-{depth}"),
               ui_text("toc_placeholder", self.lang))

    def footnotes(self, notes: tuple[Footnote, ...]) -> None:
        if not notes:
            return
        p = self.out.add_paragraph()
        p.add_run(ui_text("notes", self.lang)).font.size = Pt(8.5)
        for f in notes:
            p = self.out.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
            _add_marks(p, [f.mark], Pt(8.5))
            _add_inline(p, " " + f.text, size=Pt(8.5))

    def table(self, t: Table) -> None:
        self.out.add_paragraph(t.caption, style="Caption").paragraph_format.keep_with_next = True
        grid = header_grid(t.header_rows)
        n = t.n_columns
        table = self.out.add_table(rows=len(grid) + len(t.rows), cols=n)
        table.style = self.out.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        small = Pt(9)
        for r, line in enumerate(grid):
            _repeat_header(table.rows[r])
            for c, (cell, origin) in enumerate(line):
                if not origin:
                    continue
                target = _cell_at(table, r, c)
                if cell.colspan > 1 or cell.rowspan > 1:
                    target = target.merge(_cell_at(table, r + cell.rowspan - 1, c + cell.colspan - 1))
                p = target.paragraphs[0]
                p.alignment = _ALIGN[cell.align]
                _add_inline(p, cell.text, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF), size=small)
                _shade(target, ACCENT_HEX)
        for i, row in enumerate(t.rows):
            r = len(grid) + i
            if row.kind != "data":
                target = _cell_at(table, r, 0).merge(_cell_at(table, r, n - 1))
                p = target.paragraphs[0]
                _add_inline(p, row.cells[0].text, bold=True, color=ACCENT, size=small)
                _add_marks(p, row.cells[0].marks, small)
                _shade(target, LIGHT_HEX if row.kind == "group" else "F5F8F9")
                continue
            c = 0
            for cell in row.cells:
                target = _cell_at(table, r, c)
                if cell.colspan > 1:
                    target = target.merge(_cell_at(table, r, c + cell.colspan - 1))
                p = target.paragraphs[0]
                p.alignment = _ALIGN[cell.align]
                _add_inline(p, cell.text, size=small)
                _add_marks(p, cell.marks, small)
                c += cell.colspan
        _column_widths(table, [_WEIGHTS[k] for k in t.column_kinds])
        self.footnotes(t.footnotes)

    def chart(self, c: Chart) -> None:
        png = charts.render_png(c, self.lang)
        self.out.add_picture(io.BytesIO(png), width=Cm(16))
        self.out.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.footnotes(c.footnotes)

    def checklist(self, b: Checklist) -> None:
        if b.title:
            self.out.add_paragraph(b.title, style="Caption")
        heads = [ui_text(k, self.lang) for k in ("status", "item", "reference", "detail")]
        table = self.out.add_table(rows=1 + len(b.items), cols=4)
        table.style = self.out.styles["Table Grid"]
        _repeat_header(table.rows[0])
        small = Pt(9)
        for c, text in enumerate(heads):
            cell = _cell_at(table, 0, c)
            _add_inline(cell.paragraphs[0], text, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF),
                        size=small)
            _shade(cell, ACCENT_HEX)
        for r, item in enumerate(b.items, start=1):
            status = f"{STATUS_SYMBOLS[item.status]} {ui_text('status_' + item.status, self.lang)}"
            for c, text in enumerate((status, item.text, item.ref, item.detail)):
                _add_inline(_cell_at(table, r, c).paragraphs[0], text, size=small)
        _column_widths(table, [1.2, 3.0, 1.4, 2.4])


def render_docx(doc: Document) -> bytes:
    """The document as DOCX bytes."""
    writer = _Writer(doc)
    writer.blocks(doc.blocks, 0)
    buf = io.BytesIO()
    writer.out.save(buf)
    return buf.getvalue()
