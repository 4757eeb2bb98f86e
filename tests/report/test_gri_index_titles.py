"""The GRI content index prints each disclosure's title in the document's language: the zh
index the Chinese title of the library's gri.csv (``title_zh``), the en index the English one."""
from __future__ import annotations

import pytest

from esgledger.library.loader import load_library
from esgledger.report.document import Table
from esgledger.report.index import IndexRow, Ref, gri_content_index

ROW = IndexRow("ghg", {"zh": "碳排放管理", "en": "Carbon emissions management"},
               {"zh": "碳排放管理", "en": "Carbon emissions management"}, (),
               {"szse17": (), "gri": (Ref("gri", "305-1", "S"), Ref("gri", "403-9", "S")),
                "cass": (), "issb_s2": (), "sasb": ()}, ())


def disclosures(lang: str, use: str = "with_reference") -> dict[str, str]:
    blocks = gri_content_index([ROW], load_library(), lang, organisation="Org", period=2024, use=use)
    table = next(b for b in blocks if isinstance(b, Table))
    cells = [r.cells[1].text for r in table.rows if r.kind == "data"]
    return {c.split(" ", 1)[0]: c for c in cells}


def test_the_zh_gri_index_prints_the_chinese_disclosure_titles():
    rows = disclosures("zh")
    assert rows["305-1"] == "305-1 直接（范畴1）温室气体排放"
    assert rows["403-9"] == "403-9 工伤"


def test_the_en_gri_index_prints_the_english_disclosure_titles():
    rows = disclosures("en")
    assert rows["305-1"] == "305-1 Direct (Scope 1) GHG emissions"
    assert rows["403-9"] == "403-9 Work-related injuries"


@pytest.mark.parametrize("lang,code,title", [("zh", "2-1", "2-1 组织详细情况"),
                                             ("zh", "3-3", "3-3 实质性议题的管理"),
                                             ("en", "2-1", "2-1 Organizational details")])
def test_in_accordance_lists_gri_2_and_3_with_titles_in_the_language(lang, code, title):
    assert disclosures(lang, "in_accordance")[code] == title


def test_the_zh_gri_index_says_that_its_scope_terms_are_the_reports():
    """UAT 4 F-M11: GRI's Chinese titles read 范畴1/2/3, the report 范围一/二/三; the index keeps
    GRI's wording and says they are the same."""
    from esgledger.report.document import Paragraph

    zh = gri_content_index([ROW], load_library(), "zh", organisation="Org", period=2024)
    assert isinstance(zh[-1], Paragraph) and "“范畴1”“范畴2”“范畴3”，即本报告所称的“范围一”“范围二”“范围三”" in zh[-1].text
    en = gri_content_index([ROW], load_library(), "en", organisation="Org", period=2024)
    assert isinstance(en[-1], Table)
