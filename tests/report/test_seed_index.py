"""The reference report's index table (附录二：指标索引表) parsed from its PDF text."""
from pathlib import Path

import pytest

from esgledger.report.seed_index import (
    DATA_FILE,
    SeedIndexError,
    cn_number,
    framework_codes,
    load_seed_index,
    parse_index,
    szse_articles,
)

SEED_TEXT = Path(__file__).parents[1] / "data" / "seed_index.txt"


def _lines(text: str = "") -> list[str]:
    text = text or SEED_TEXT.read_text("utf-8")
    return [ln for ln in text.splitlines() if not ln.startswith("# ")]


@pytest.fixture(scope="module")
def rows():
    return parse_index(_lines())


def test_numerals_and_code_ranges():
    assert [cn_number(s) for s in ("五", "十", "十八", "五十七", "三十")] == [5, 10, 18, 57, 30]
    assert szse_articles("第十三条至第十七条、第二十一条、第二十二条") == (13, 14, 15, 16, 17, 21, 22)
    assert szse_articles("/") == ()
    assert framework_codes("E1.1.7-E1.1.9、E1.1.12") == ("E1.1.7", "E1.1.8", "E1.1.9", "E1.1.12")
    assert framework_codes("2-7/401-3/405-2/406-1") == ("2-7", "401-3", "405-2", "406-1")


def test_sixty_five_sections_on_five_pages_in_table_order(rows):
    assert len(rows) == 65 and len({r.section for r in rows}) == 65
    assert [r.section for r in rows[:4]] == ["关于本报告", "董事长致辞", "走进天山铝业", "可持续发展方针"]
    assert rows[-1].section == "意见反馈"
    assert {r.chapter for r in rows if r.section in ("碳排放管理", "应对气候变化治理")} == {
        "顺应低碳趋势，践行气候承诺"}


def test_articles_cited_per_section(rows):
    got = {r.section: r.szse17 for r in rows}
    assert [(s, got[s]) for s in (
        "可持续发展治理", "利益相关方沟通", "重要议题管理", "应对气候变化战略", "碳排放管理",
        "废气、废水与废弃物管理", "反不正当竞争措施", "客户权益保障", "劳工治理",
        "能源、水资源治理", "严守生态红线，保护生物多样", "阳光采购", "乡村振兴", "指标索引表",
        "董事长致辞")] == [
        ("可持续发展治理", (11, 12, 18, 19)), ("利益相关方沟通", (9, 53)), ("重要议题管理", (5,)),
        ("应对气候变化战略", (13, 14, 15, 16, 17, 21, 22)), ("碳排放管理", (24, 25, 26, 27, 28)),
        ("废气、废水与废弃物管理", (30, 31)), ("反不正当竞争措施", (56,)), ("客户权益保障", (44, 47)),
        ("劳工治理", (50,)), ("能源、水资源治理", (34, 35, 36)), ("严守生态红线，保护生物多样", (32,)),
        ("阳光采购", (45,)), ("乡村振兴", (39,)), ("指标索引表", (57,)), ("董事长致辞", ()),
    ]
    assert all(1 <= a <= 63 for r in rows for a in r.szse17)


def test_gri_and_cass_per_section(rows):
    got = {r.section: (r.gri, r.cass) for r in rows}
    assert got["碳排放管理"] == (("305-1", "305-2", "305-3", "305-4", "305-5"),
                            ("E1.1.7", "E1.1.8", "E1.1.9", "E1.1.12", "E1.1.13", "E1.1.14",
                             "E1.1.15", "E1.1.16"))
    assert got["董监高薪酬管理"][0] == ("2-19", "2-20")      # remuneration disclosures
    assert got["创新研发项目"][1] == ("S2.1.3", "S2.1.4", "S2.1.5", "S2.1.9", "S2.1.10",
                                  "S2.1.11", "S2.1.12")


def test_saved_data_file_is_the_parse(rows):
    saved = load_seed_index(DATA_FILE)
    assert list(saved.values()) == rows


def test_text_that_does_not_fit_the_layout_is_refused():
    lines = _lines()
    broken = lines.copy()
    broken.remove("第五十六条")             # one SZSE cell of page 2 lost
    with pytest.raises(SeedIndexError, match="page 2: 38 value cells, layout has 39"):
        parse_index(broken)
    swapped = [("第五十五条" if ln == "205-2" else ln) for ln in lines]
    with pytest.raises(SeedIndexError, match="cannot be gri"):
        parse_index(swapped)
    renamed = [("碳排放核算" if ln == "碳排放管理" else ln) for ln in lines]
    with pytest.raises(SeedIndexError, match="section '碳排放管理' not in the page text"):
        parse_index(renamed)
