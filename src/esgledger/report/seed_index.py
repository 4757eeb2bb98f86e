"""The reference report's framework index (附录二：指标索引表), parsed from its PDF text.

The 2024 report of the reference customer ends with an index table: for each report section
(对应章节) the SZSE No.17 articles, GRI disclosures and CASS-ESG 6.0 codes it answers. The PDF
text extraction (``/work/shared/seed/000_3d13f24d4f2a16b8.txt`` lines 5025–5857, copied to
``tests/data/seed_index.txt``) reads the table as blocks of columns one after another, in an
order that changes from page to page. So parsing is two steps:

1. :func:`tokenize_page` cuts a page into its vertical chapter titles, its section-title text
   and its value cells (joining cells broken over lines: a line ending in ``/``, ``、`` or
   ``-``, or a line starting ``/x``, continues the cell);
2. :data:`PAGES` says, for each of the five pages, the table's rows in order and which rows
   and column each run of value cells fills. The parser checks the layout against the text:
   every cell must have the kind of its column (第…条, GRI ``305-1``, CASS ``E1.1.1``, or
   ``/``), the cell count must match exactly, and the section titles must account for all the
   page's text.

The result is saved as ``report/data/seed_index_2024.yaml`` (section → chapter, SZSE articles,
GRI, CASS) for the report definition and for the test that our index cites, for the same
sections, every SZSE No.17 article the seed's own index cites.

Where the layout could be read more than one way (see the notes in :data:`AMBIGUITIES`),
the reading chosen is the one that keeps every column's kind and count consistent and puts
each code on the section whose subject it names.

>>> index = load_seed_index()
>>> index["碳排放管理"].szse17, index["碳排放管理"].printed[0]
((24, 25, 26, 27, 28), '第二十四条至第二十八条')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from esgledger.model.errors import EsgledgerError

DATA_FILE = Path(__file__).parent / "data" / "seed_index_2024.yaml"
DEFAULT_TEXT = Path(__file__).resolve().parents[3] / "tests" / "data" / "seed_index.txt"

SZSE, GRI, CASS = "szse17", "gri", "cass"
COLUMNS = (SZSE, GRI, CASS)


class SeedIndexError(EsgledgerError, ValueError):
    """The index text does not fit the page layout described in :data:`PAGES`."""


@dataclass(frozen=True)
class IndexRow:
    """One row of the seed's index table."""

    section: str
    chapter: str | None
    szse17: tuple[int, ...]
    gri: tuple[str, ...]
    cass: tuple[str, ...]
    printed: tuple[str, str, str]  # the three cells as printed (SZSE, GRI, CASS)


@dataclass(frozen=True)
class PageLayout:
    """Rows of one PDF page (chapter ref, section title) and the runs of value cells.

    A chapter ref is an index into the page's vertical chapter titles, a literal title for
    a one-row chapter printed horizontally, or None (front matter and appendices).
    A run is (column, first row, end row) in the order the cells appear in the text.
    """

    rows: tuple[tuple[int | str | None, str], ...]
    runs: tuple[tuple[str, int, int], ...]


_MATERIAL = "物料高效循环，绿色低碳发展"
_ECOLOGY = "严守生态红线，保护生物多样"

PAGES: tuple[PageLayout, ...] = (
    PageLayout(  # page 1: front matter, 明确方针目标…, 党建引领前行…
        rows=((None, "关于本报告"), (None, "董事长致辞"), (None, "走进天山铝业"),
              (0, "可持续发展方针"), (0, "可持续发展愿景与目标"), (0, "可持续发展治理"),
              (0, "利益相关方沟通"), (0, "重要议题管理"),
              (1, "以党建促发展"), (1, "三会治理"), (1, "董监高薪酬管理"), (1, "合规经营"),
              (1, "风险管理"), (1, "内部控制"), (1, "投资者关系管理与股东权益")),
        runs=((GRI, 3, 8), (CASS, 3, 8), (SZSE, 0, 3), (SZSE, 8, 15), (GRI, 8, 9),
              (GRI, 9, 15), (CASS, 8, 15), (GRI, 0, 3), (CASS, 0, 3), (SZSE, 3, 8)),
    ),
    PageLayout(  # page 2: 构建反腐体系…, 顺应低碳趋势…, 完善管理体系…
        rows=((0, "反商业贿赂与反腐败体系"), (0, "商业贿赂与反贪污措施"), (0, "反不正当竞争措施"),
              (1, "应对气候变化治理"), (1, "应对气候变化战略"),
              (1, "应对气候变化影响、风险和机遇管理"), (1, "应对气候变化指标与目标"),
              (1, "碳排放管理"),
              (2, "环境管理治理"), (2, "环境管理战略"), (2, "环境影响、风险和机遇的管理"),
              (2, "环境管理指标和目标"), (2, "废气、废水与废弃物管理")),
        runs=((SZSE, 8, 13), (GRI, 8, 13), (CASS, 8, 13), (SZSE, 3, 8), (GRI, 3, 8),
              (CASS, 3, 8), (SZSE, 0, 3), (GRI, 0, 3), (CASS, 0, 3)),
    ),
    PageLayout(  # page 3: 强化生产质控…, 优化信息防护…, 保障劳工权益…
        rows=((0, "产品质量安全管理"), (0, "质量管理体系认证"), (0, "产品召回流程"),
              (0, "客户权益保障"),
              (1, "信息安全管理体系"), (1, "安全保障措施"), (1, "客户隐私保护"),
              (2, "劳工治理"), (2, "多元、平等与包容"), (2, "员工招聘与就业"), (2, "薪酬与福利"),
              (2, "员工民主管理"), (2, "员工培训与发展")),
        runs=((SZSE, 7, 13), (GRI, 7, 13), (CASS, 7, 13), (SZSE, 0, 4), (SZSE, 4, 7),
              (GRI, 4, 7), (CASS, 4, 7), (GRI, 0, 4), (CASS, 0, 4)),
    ),
    PageLayout(  # page 4: 加强能源管理…, two one-row chapters, 严筑供应体系…, 锚定研发方向…
        rows=((0, "能源、水资源治理"), (0, "能源、水资源管理战略"),
              (0, "资源管理的影响、风险和机遇的管理"),
              (_MATERIAL, _MATERIAL), (_ECOLOGY, _ECOLOGY),
              (1, "供应链管理体系"), (1, "供应链全生命管理周期"), (1, "供应商数字化管理"),
              (1, "阳光采购"),
              (2, "创新与研发体系"), (2, "创新成果转化"), (2, "创新研发项目"),
              (2, "创新发展培训"), (2, "知识产权保护")),
        runs=((CASS, 9, 14), (SZSE, 9, 14), (GRI, 9, 14), (SZSE, 0, 3), (GRI, 0, 3),
              (CASS, 0, 3), (SZSE, 3, 9), (GRI, 5, 9), (CASS, 5, 9), (GRI, 3, 5),
              (CASS, 3, 5)),
    ),
    PageLayout(  # page 5: 加强安全管理…, 践行社会责任…, appendices
        rows=((0, "职业健康与安全治理"), (0, "职业健康与安全战略"),
              (0, "职业健康与安全影响、风险和机遇管理"), (0, "职业健康与安全指标与目标"),
              (0, "安全管理措施"),
              (1, "社会公益"), (1, "乡村振兴"),
              (None, "绩效表"), (None, "指标索引表"), (None, "意见反馈")),
        runs=((SZSE, 5, 7), (SZSE, 7, 10), (GRI, 7, 10), (CASS, 7, 10), (GRI, 5, 7),
              (CASS, 5, 7), (SZSE, 0, 5), (GRI, 0, 5), (CASS, 0, 5)),
    ),
)

# Where the text allows another reading; the chosen one is in PAGES.
AMBIGUITIES = {
    "风险管理": "page 1: SZSE cells of the 党建 chapter are '/' ×4, 第十一条、第十八条, 第十二条, '/' "
                "plus one '/' too many (the first 党建 row's GRI cell, read with the SZSE "
                "block). Taking the extra '/' last puts Art.11+18 (impact-risk-opportunity "
                "management, as in the climate and environment rows) on 风险管理 and Art.12 "
                "(governance) on 内部控制; taking it first would shift them to 合规经营 and "
                "风险管理. The GRI cells then put 2-19/2-20 (remuneration) on 董监高薪酬管理.",
    "内部控制": "see 风险管理",
    "环境管理治理": "page 2: printed as 第三十一条 although the parallel climate row cites "
                  "Art.12+21; kept as printed.",
    "创新研发项目": "page 4: the CASS cell 'S2.1.3、S2.1.4、S2.1.5、S2.1.9-S2.1.12' is split "
                  "over a blank line; the R&D rows need five cells, so it is one cell.",
    "阳光采购": "page 4: its title is extracted after the one-row chapters; it is the last "
              "row of 严筑供应体系 as in the report body (line 2686), so its GRI cell is '/'.",
    _MATERIAL: "page 4: one-row chapter printed horizontally; SZSE '/' (read with the supply "
               "chapter's SZSE block), GRI '/', CASS E3.3.",
}

_HEADER = frozenset({
    "附录二：指标索引表", "对应章节", "深圳证券交易所上市公司", "自律监管指引第17号——",
    "可持续发展报告（试行）", "GRI可持续发展", "报告标准", "中国企业可持续", "发展报告指南",
    "CASS-ESG6.0",
})
_VALUE_LINE = re.compile(r"^(/|第|[A-Z]\d|\d)")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class PageTokens:
    chapters: tuple[str, ...]   # vertical chapter titles, in text order
    text: str                   # all section-title text, concatenated
    cells: tuple[str, ...]      # value cells, in text order


def _read_lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("# ")]


def split_pages(lines: Iterable[str]) -> list[list[str]]:
    """Cut the index text at each page's repeated header cell 对应章节."""
    pages: list[list[str]] = []
    for line in lines:
        if line.strip() == "对应章节":
            pages.append([])
        elif pages:
            pages[-1].append(line)
    return pages


def tokenize_page(lines: list[str]) -> PageTokens:
    """Vertical chapter titles, section-title text and value cells of one page."""
    chapters: list[str] = []
    text: list[str] = []
    cells: list[str] = []
    vertical: list[str] = []
    open_cell = False
    for raw in lines + [""]:
        line = raw.strip()
        if len(line) != 1 and vertical:
            chapters.append("".join(vertical).replace("︐", "，"))
            vertical = []
        if not line or line in _HEADER:
            continue
        if _VALUE_LINE.match(line):
            if cells and (open_cell or (line.startswith("/") and len(line) > 1)):
                cells[-1] += line
            else:
                cells.append(line)
            open_cell = line != "/" and line.endswith(("/", "、", "-"))
        elif len(line) == 1:
            vertical.append(line)
        else:
            text.append(line)
    return PageTokens(tuple(chapters), "".join(text), tuple(cells))


def cn_number(s: str) -> int:
    """Chinese numeral below 100 as int: ``cn_number("五十七") == 57``."""
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[s]


def szse_articles(cell: str) -> tuple[int, ...]:
    """``第十三条至第十七条、第二十一条`` → (13, 14, 15, 16, 17, 21); ``/`` → ()."""
    out: list[int] = []
    for part in filter(None, cell.split("、")):
        if part == "/":
            continue
        nums = [cn_number(n) for n in re.findall(r"第([一二三四五六七八九十]+)条", part)]
        if not nums:
            raise SeedIndexError(f"not an SZSE article cell: {cell!r}")
        out.extend(range(nums[0], nums[-1] + 1) if "至" in part else nums)
    return tuple(out)


def framework_codes(cell: str) -> tuple[str, ...]:
    """``S2.1.2、S2.1.4-S2.1.6`` → S2.1.2, S2.1.4, S2.1.5, S2.1.6; GRI ``305-1`` stays whole."""
    out: list[str] = []
    for part in filter(None, re.split(r"[/、]", cell)):
        m = re.fullmatch(r"([A-Z][\d.]*?)(\d+)-\1(\d+)", part)
        if m:
            out.extend(f"{m[1]}{i}" for i in range(int(m[2]), int(m[3]) + 1))
        else:
            out.append(part)
    return tuple(out)


def _kind(cell: str) -> str | None:
    if cell == "/":
        return None
    if cell.startswith("第"):
        return SZSE
    return CASS if cell[0].isalpha() else GRI


def parse_page(tokens: PageTokens, layout: PageLayout, page_no: int) -> list[IndexRow]:
    """Rows of one page, checked against its layout."""
    n = len(layout.rows)
    expected_cells = sum(end - first for _, first, end in layout.runs)
    if expected_cells != 3 * n or len(tokens.cells) != expected_cells:
        raise SeedIndexError(f"page {page_no}: {len(tokens.cells)} value cells, layout "
                             f"has {expected_cells} for {n} rows")
    grid: list[dict[str, str]] = [{} for _ in range(n)]
    it = iter(tokens.cells)
    for column, first, end in layout.runs:
        for row in range(first, end):
            cell = next(it)
            kind = _kind(cell)
            if kind not in (None, column) or column in grid[row]:
                raise SeedIndexError(f"page {page_no}: cell {cell!r} cannot be {column} of "
                                     f"{layout.rows[row][1]}")
            grid[row][column] = cell
    titles = [title for _, title in layout.rows]
    rest = tokens.text
    for title in sorted(set(titles), key=len, reverse=True):
        if title not in rest:
            raise SeedIndexError(f"page {page_no}: section {title!r} not in the page text")
        rest = rest.replace(title, "", 1)
    for ref, _ in layout.rows:  # one-row chapters print in the section text
        if isinstance(ref, str) and ref not in titles:
            rest = rest.replace(ref, "", 1)
    if rest:
        raise SeedIndexError(f"page {page_no}: text not assigned to any section: {rest!r}")
    rows = []
    for (ref, title), cells in zip(layout.rows, grid):
        chapter = tokens.chapters[ref] if isinstance(ref, int) else ref
        rows.append(IndexRow(
            section=title, chapter=chapter,
            szse17=szse_articles(cells[SZSE]), gri=framework_codes(cells[GRI]),
            cass=framework_codes(cells[CASS]),
            printed=(cells[SZSE], cells[GRI], cells[CASS]),
        ))
    return rows


def parse_index(lines: Iterable[str]) -> list[IndexRow]:
    """All rows of the seed's index table, in the table's order."""
    pages = split_pages(lines)
    if len(pages) != len(PAGES):
        raise SeedIndexError(f"{len(pages)} pages found, layout describes {len(PAGES)}")
    rows: list[IndexRow] = []
    for page_no, (page, layout) in enumerate(zip(pages, PAGES), start=1):
        rows.extend(parse_page(tokenize_page(page), layout, page_no))
    return rows


def to_yaml_data(rows: list[IndexRow]) -> dict:
    return {
        "source": "2024 ESG report of the reference customer, 附录二：指标索引表 (PDF text "
                  "lines 5025-5857); parsed by esgledger.report.seed_index",
        "columns": {"szse17": "SZSE No.17 article numbers", "gri": "GRI disclosures",
                    "cass": "CASS-ESG 6.0 codes (ranges expanded)"},
        "sections": {
            r.section: {
                "chapter": r.chapter, "szse17": list(r.szse17), "gri": list(r.gri),
                "cass": list(r.cass),
                "printed": dict(zip(COLUMNS, r.printed)),
                **({"note": AMBIGUITIES[r.section]} if r.section in AMBIGUITIES else {}),
            }
            for r in rows
        },
    }


def load_seed_index(path: Path = DATA_FILE) -> dict[str, IndexRow]:
    """The saved index: section title (zh) → :class:`IndexRow`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        title: IndexRow(title, v["chapter"], tuple(v["szse17"]), tuple(v["gri"]),
                        tuple(v["cass"]), tuple(v["printed"][c] for c in COLUMNS))
        for title, v in data["sections"].items()
    }


def write_yaml(rows: list[IndexRow], path: Path = DATA_FILE) -> None:
    header = ("# Generated by `python -m esgledger.report.seed_index` from "
              "tests/data/seed_index.txt; do not edit by hand.\n")
    body = yaml.safe_dump(to_yaml_data(rows), allow_unicode=True, sort_keys=False, width=100)
    path.write_text(header + body, encoding="utf-8")


if __name__ == "__main__":  # regenerate the data file
    write_yaml(parse_index(_read_lines(DEFAULT_TEXT)))
    print(f"wrote {DATA_FILE}")
