"""Each renderer of the sample documents (zh and en): the figures and titles come through.

The sample KPI table holds 1,270.26 (from 1270.255, half-up), 10.80 (from 10.8), a missing
2022 value (a dash with footnote 2, never a zero) and a restated 2023 value (footnote 1).
"""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import docx
import lxml.html
import openpyxl
import pytest

from esgledger.report.document import Chapter, Table, tables
from esgledger.report.render import RENDERERS, UnknownFormatError, render, write
from tests.report.samples import EN, ZH

LANGS = {"zh": ZH, "en": EN}


def chapter_titles(doc) -> list[str]:
    return [b.title for b in doc.blocks if isinstance(b, Chapter)]


def body_rows(table: Table) -> list[list[str]]:
    """The data rows as text, marks appended (as a renderer without superscript shows them)."""
    return [[c.text + "".join(c.marks) for c in r.cells] for r in table.rows if r.kind == "data"]


def test_registry_picks_renderers_by_format(docs, tmp_path):
    assert sorted(RENDERERS) == ["docx", "html", "md", "pdf", "xlsx"]
    with pytest.raises(UnknownFormatError, match="known: docx, html, md, pdf, xlsx"):
        render(docs["zh"], "odt")
    path = write(docs["zh"], tmp_path / "kpi.md")
    assert path.read_text("utf-8").startswith("# 2024年度环境、社会及治理报告")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_one_self_contained_page_with_the_table(rendered, docs, lang):
    html = rendered(lang, "html")
    tree = lxml.html.fromstring(html)
    assert tree.get("lang") == ("zh-CN" if lang == "zh" else "en")
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src]")
    assert all(src.startswith("data:image/svg+xml;base64,") for src in tree.xpath("//img/@src"))
    assert len(tree.xpath("//img")) == 2
    assert "Noto Sans CJK SC" in tree.xpath("string(//style)")
    assert [h.text_content() for h in tree.xpath("//h1")] == [
        f"{n}{t}" if lang == "zh" else f"{n} {t}"
        for n, t in zip(("一、", "二、", "三、") if lang == "zh" else "123", chapter_titles(docs[lang]))]
    toc = [(a.get("href"), a.text_content()) for a in tree.xpath("//nav[@class='toc']//a")]
    assert [href for href, _ in toc] == ["#h-1", "#h-1-1", "#h-1-2", "#h-2", "#h-3"]
    table = tree.xpath("//table[contains(@class,'data')]")[0]
    assert [th.text_content() for th in table.xpath("thead/tr[1]/th")] == [
        LANGS[lang]["indicator"], LANGS[lang]["unit"], LANGS[lang]["years"]]
    assert table.xpath("thead/tr[1]/th[3]/@colspan") == ["3"]
    cells = [[td.text_content() for td in tr.xpath("td")] for tr in table.xpath("tbody/tr[td]")]
    assert cells == body_rows(tables(docs[lang])[0])
    assert cells[0][2:] == ["1,198.40", "1,254.141", "1,270.26"]
    assert cells[1][2:] == ["—2", "11.20", "10.80"]
    assert [tr.text_content() for tr in table.xpath("tbody/tr[th]")] == [
        LANGS[lang]["dim"], LANGS[lang]["topic"]]
    notes = [p.text_content() for p in tree.xpath("//div[@class='table-wrap']//p[@class='footnote']")]
    assert notes[1] == "2 " + LANGS[lang]["note_missing"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_text_has_titles_figures_page_numbers_and_chapter_breaks(pdf_pages, docs, lang):
    pages = pdf_pages(lang)
    text = "\n".join(pages)
    assert "1,270.26" in text and "10.80" in text and "1,254.14" in text
    titles = chapter_titles(docs[lang])
    for title in titles:
        assert title in text
    starts = [p.strip().splitlines()[0] for p in pages]
    chapter_pages = [i for i, s in enumerate(starts) if any(s.endswith(t) for t in titles)]
    assert len(chapter_pages) == len(titles)  # each chapter starts a page
    assert LANGS[lang]["title"].replace(" ", "")[:8] in pages[0].replace(" ", "")  # the cover
    footer = (lambda n: f"第{n}页") if lang == "zh" else str   # pdftotext drops CJK spaces
    squeezed = [re.sub(r"\s+", "", p) for p in pages]
    assert not squeezed[0].endswith(footer(1))   # no footer on the cover
    for n, page in enumerate(squeezed[1:], start=2):
        assert page.endswith(footer(n)), page[-40:]
    kpi_line = next(line for line in text.splitlines() if LANGS[lang]["intensity"] in line)
    assert re.search(r"—\s*2\s+11\.20\s+10\.80", kpi_line), kpi_line  # dash, not zero


def test_pdf_page_renders_to_an_image(rendered, tmp_path):
    """The cover and a table page rasterise (the images were looked at while writing this)."""
    from tests.report.conftest import require_tool
    import subprocess

    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(rendered("zh", "pdf"))
    subprocess.run([pdftoppm, "-r", "20", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p-*.png")).read_bytes()
    assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_has_heading_styles_toc_field_page_numbers_fonts_and_the_table(rendered, docs, lang):
    data = rendered(lang, "docx")
    d = docx.Document(io.BytesIO(data))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert len(h1) == 3 and all(h.endswith(t) for h, t in zip(h1, chapter_titles(docs[lang])))
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert h2 == [LANGS[lang]["sec_ghg"], LANGS[lang]["sec_target"]]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
        footer = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        styles = z.read("word/styles.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    assert "<w:titlePg/>" in body                       # cover page without footer
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    assert 'w:eastAsia="Noto Sans CJK SC"' in styles and "eastAsiaTheme" not in styles
    assert '<w:updateFields w:val="true"/>' in settings
    kpi = d.tables[0]
    assert sum(1 for r in kpi.rows if r._tr.trPr is not None
               and r._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None) == 2
    rows = [[c.text for c in r.cells] for r in kpi.rows]
    table = tables(docs[lang])[0]
    assert rows[1][2:] == ["2022", "2023", "2024"]
    assert [r for r in rows[2:] if len(set(r)) > 1] == body_rows(table)
    assert len(d.inline_shapes) == 2                   # the two charts, as PNG


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_has_each_table_on_a_sheet_with_numbers_and_formats(rendered, lang):
    wb = openpyxl.load_workbook(io.BytesIO(rendered(lang, "xlsx")))
    assert wb.sheetnames == [LANGS[lang]["ch_kpi"][:31]]
    ws = wb.active
    assert ws["A1"].value == LANGS[lang]["caption"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["C2:E2", "B2:B3", "A2:A3"]
    flat = [(c.coordinate, c.value, c.number_format) for c in ws["C6:E8"][0]
            + ws["C6:E8"][1] + ws["C6:E8"][2]]
    # each cell holds the figure the report prints, rounded half-up at its precision (audit
    # A5-M3): 1254.137 → 1254.14, 1270.255 → 1270.26, 2345.5 → 2346, 2401.49 → 2401, 2398.5 → 2399
    assert flat == [
        ("C6", 1198.4, "#,##0.00"), ("D6", 1254.14, '#,##0.00"¹"'), ("E6", 1270.26, "#,##0.00"),
        ("C7", "—²", "General"), ("D7", 11.2, "#,##0.00"), ("E7", 10.8, "#,##0.00"),
        ("C8", 2346, "#,##0"), ("D8", 2401, "#,##0"), ("E8", 2399, "#,##0"),
    ]
    assert Decimal(str(ws["E6"].value)) == Decimal("1270.26")
    notes = [ws.cell(r, 1).value for r in range(10, 14)]
    assert notes[0] in ("注：", "Notes:") and notes[2] == "² " + LANGS[lang]["note_missing"]


def test_xlsx_cells_hold_the_figure_the_html_prints():
    """A restated group total of 37.785 prints 37.79 (half-up; half-even would give 37.78) and a
    calculated 1270.260000289303 prints 1,270.26: the XLSX cells hold those numbers, with the
    number format of 2 decimals (audit A5-M3: they held 37.785 and 1270.260000289303)."""
    from esgledger.report.document import Cell, Document, Footnote, HeaderCell, Row

    table = Table("KPI", [[HeaderCell("Indicator"), HeaderCell("2024")]],
                  [Row([Cell.label("Donations"), Cell.number(Decimal("37.785"), 2, marks=("1",))]),
                   Row([Cell.label("CO2"), Cell.number(Decimal("1270.260000289303"), 2)])],
                  [Footnote("1", "Restated")], ("text", "number"))
    doc = Document("Report", lang="en", period="2024", blocks=[Chapter("KPI", blocks=[table])])
    html = lxml.html.fromstring(render(doc, "html"))
    printed = [td.text_content().strip() for td in html.xpath("//table//td[contains(@class,'right')]")]
    assert printed == ["37.791", "1,270.26"]  # 37.79 with its footnote mark 1
    ws = openpyxl.load_workbook(io.BytesIO(render(doc, "xlsx"))).active
    assert [(ws[c].value, ws[c].number_format) for c in ("B3", "B4")] == [(37.79, '#,##0.00"¹"'), (1270.26, "#,##0.00")]


def test_long_english_sheet_names_are_shortened_without_cutting_a_word_and_stay_unique():
    """Audit A5-L7: the sheet of "GHG emissions (Scope 1 and Scope 2)" (35 characters, Excel
    takes 31) read "GHG emissions (Scope 1 and Scop". Its bracketed part goes first; two tables
    that shorten alike are told apart by (2); a name without brackets keeps whole words."""
    from esgledger.report.document import Cell, Document, HeaderCell, Row

    def table(caption):
        return Table(caption, [[HeaderCell("Indicator")]], [Row([Cell.label("x")])])

    doc = Document("Report", lang="en", period="2024", blocks=[Chapter("Tables", blocks=[
        table("GHG emissions (Scope 1 and Scope 2, location-based)"),
        table("GHG emissions (Scope 1 and Scope 2, market-based)"),
        table("Employee training and development by category and level"),
        table("温室气体排放量（范围一、范围二）")])])
    wb = openpyxl.load_workbook(io.BytesIO(render(doc, "xlsx")))
    assert wb.sheetnames == ["GHG emissions", "GHG emissions (2)", "Employee training and…", "温室气体排放量（范围一、范围二）"]
    assert [wb[n]["A1"].value for n in wb.sheetnames][0] == "GHG emissions (Scope 1 and Scope 2, location-based)"


def test_markdown_table_and_checklist(rendered):
    md = rendered("zh", "md")
    assert "| 指标 | 单位 | 年度 2022 | 年度 2023 | 年度 2024 |" in md
    assert "| 单位电解铝产品二氧化碳排放 | 吨CO₂/吨铝 | —[2] | 11.20 | 10.80 |" in md
    assert "| 温室气体排放总量（范围一+范围二）[3] | 万吨CO₂e | 1,198.40 | 1,254.14[1] | 1,270.26 |" in md
    assert "- [2] 2022年未统计该指标。" in md
    assert "- [x] 温室气体排放量 — ✓ 已披露 (第二十四条)" in md
    assert "2021年基准：12.50；2025年目标：10.25" in md
