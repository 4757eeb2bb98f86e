"""The gap check does not overstate, and the framework index cites only what a section prints
(UAT 4 F-H2, F-H5, F-H6, F-M15), on a small hand-built definition.

Ledger: XRLB charitable_donations 2024 = 10.125 万元 (consolidated to TSAL). Nothing else.

Definition (material_topics: community → Art. 40, sme_treatment → Art. 46):

- ``gov.mat`` cites Art. 5 with text: the materiality result is recorded (material_topics), so
  Art. 5 is disclosed;
- ``gov.structure`` cites Art. 13 and 51 with text that prints no figure; report-review.yaml
  confirms Art. 51 there for 2024, and Art. 13 only for 2023: Art. 51 disclosed, Art. 13 cited,
  not verified;
- a confirmation of Art. 14 names gov.structure, which does not cite it: ignored, Art. 14 missing;
- ``soc`` prints donations (Art. 40), lists socio-economic contribution (no value; the KPI table
  shows it) and protected-area sites (not printed), and has a placeholder of work fatalities
  (no value): Art. 40 partly disclosed; its index row cites donations' codes only;
- Art. 46 (conditional: SMEs) is neither cited nor has data: conditional, not missing;
- one entry of report-review.yaml lacks its date: a review item.
"""
from __future__ import annotations

import pytest

from esgledger.report.context import ReportContext
from esgledger.report.definition import load_definition
from esgledger.report.gap import check_gaps
from esgledger.report.index import gri_content_index
from esgledger.report.document import Table
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write

FACTS = """\
entity,indicator,period,value,unit
XRLB,charitable_donations,2024,10.125,万元
"""
DEFINITION = """\
version: 1
title: {zh: 报告, en: Report}
organisation: {zh: 示范集团, en: Demo Group}
period: 2024
comparison_years: [2023]
material_topics: [community, sme_treatment]
chapters:
  - id: gov
    title: {zh: 治理, en: Governance}
    sections:
      - id: gov.mat
        title: {zh: 重要议题, en: Material topics}
        narrative: {zh: 公司从财务和影响两个维度评估议题。, en: We assess topics for financial and impact materiality.}
        refs: {szse17: [5]}
      - id: gov.structure
        title: {zh: 可持续发展治理, en: Sustainability governance}
        narrative: {zh: 董事会监督可持续发展事务。, en: The board oversees sustainability.}
        refs: {szse17: [13, 51]}
  - id: soc
    title: {zh: 社会公益, en: Community}
    narrative:
      zh: "公益捐赠{{ fact charitable_donations P }}，工亡{{ fact work_fatalities P }}。"
      en: "Donations: {{ fact charitable_donations P }}; fatalities: {{ fact work_fatalities P }}."
    indicators: [charitable_donations, socio_economic_contribution, sites_near_protected_areas]
"""
REVIEW = """\
confirmations:
  - {article: 51, section: gov.structure, period: 2024, by: 王敏, date: 2025-03-20}
  - {article: 13, section: gov.structure, period: 2023, by: 王敏, date: 2024-03-20}
  - {article: 14, section: gov.structure, period: 2024, by: 王敏, date: 2025-03-20}
  - {article: 5, section: gov.mat, period: 2024, by: 王敏}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("gap")
    ws = init_workspace(root / "ws", lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    assert ws.import_facts(write(root / "f.csv", FACTS), status="approved", author="test").problems.flat() == []
    ws.calc("2024")
    write(ws.path / "report-review.yaml", REVIEW)
    defn, problems = load_definition(text=DEFINITION, library=ws.library, name="report.yaml")
    assert problems.flat() == []
    yield ReportContext(ws, defn)
    ws.close()


def _articles(gap):
    return {i.article: i for i in gap.items if i.kind == "article"}


def test_each_article_gets_the_status_its_evidence_supports(small):
    arts = _articles(check_gaps(small, "en"))
    # Art. 5 and 51 mandatory, 11-19 because nothing says which topics are financially material
    assert sorted(arts) == [5, *range(11, 20), 40, 46, 51]
    assert {a: i.status for a, i in arts.items() if a in (5, 13, 14, 40, 46, 51)} == {
        5: "ok", 13: "cited", 14: "missing", 40: "partial", 46: "conditional", 51: "ok"}
    assert "the materiality result is recorded (material_topics of the report definition)" in arts[5].detail
    assert "confirmed disclosed by 王敏 on 2025-03-20 (Sustainability governance)" in arts[51].detail
    assert arts[13].detail.endswith("cited only: no section citing it prints its data, and no reviewer confirmed it")
    assert arts[13].action == ("have a reviewer read Sustainability governance and record the confirmation "
                               "in report-review.yaml")
    assert arts[14].action == "write the narrative in the section that answers it and add szse17: [14] to its refs"
    assert arts[40].action == "collect and enter: Total socio-economic contribution"
    assert arts[46].detail.startswith("conditional: state why it does not apply (Art. 7)")
    assert arts[46].action == "say in the section on the topic why it does not apply and add szse17: [46, 7] to its refs"


def test_the_zh_check_names_the_new_statuses_in_chinese(small):
    arts = _articles(check_gaps(small, "zh"))
    assert arts[13].detail.endswith("仅有引用：引用该条款的章节未列示其数据，也无审阅确认")
    assert arts[46].detail.startswith("视情况适用：如不适用，请说明原因（第七条）")
    assert "王敏于2025-03-20确认已披露（可持续发展治理）" in arts[51].detail


def test_counts_separate_articles_from_other_items(small):
    gap = check_gaps(small, "en")
    # 5, 51 ok; 13 and the other framework articles 11, 12, 15-19 without text: 11-19 less 13
    # are missing (8), 14 among them; 40 partial; 46 conditional
    assert gap.counts() == {"missing": 8, "partial": 1, "cited": 1, "conditional": 1, "ok": 2, "na": 19}
    assert gap.other_counts()["review"] == 1
    review = next(i for i in gap.items if i.kind == "review")
    assert review.text == "reviewer confirmations report-review.yaml: confirmations #4: needs article, section, period, by, date"
    review = next(i for i in check_gaps(small, "zh").items if i.kind == "review")
    assert review.text == "审阅确认文件 report-review.yaml：confirmations 第 4 条：须填写 article、section、period、by、date"


def test_a_review_file_saved_as_gbk_or_broken_is_named_in_the_readers_language(small):
    path = small.ws.path / "report-review.yaml"
    try:
        # "王敏" in GBK: 0xcd 0xf5 … at line 2, column 61 (before it: "  - " 4, "{article: 51, " 14,
        # "section: gov.structure, " 24, "period: 2024, " 14, "by: " 4 = 60 characters)
        path.write_bytes("confirmations:\n  - {article: 51, section: gov.structure, period: 2024, by: 王敏, date: 2025-03-20}\n"
                         .encode("gbk"))
        zh = next(i for i in check_gaps(small, "zh").items if i.kind == "review").text
        en = next(i for i in check_gaps(small, "en").items if i.kind == "review").text
        assert zh == ("审阅确认文件 report-review.yaml：第 2 行第 61 列的字节 0xcd"
                      "（不是 UTF-8，文件可能是 GBK 编码：请在编辑器中另存为 UTF-8）")
        assert en.startswith("reviewer confirmations report-review.yaml: byte 0xcd at line 2, column 61 (not UTF-8")
        path.write_text("confirmations: [\n", encoding="utf-8")  # unclosed: a YAML error
        zh = next(i for i in check_gaps(small, "zh").items if i.kind == "review").text
        # the flow list is still open where the file ends: line 2, column 1
        assert zh == "审阅确认文件 report-review.yaml：YAML 语法错误（第 2 行第 1 列）"
    finally:
        write(path, REVIEW)


def test_the_index_cites_only_what_a_section_prints_with_a_value(small):
    rows = {r.node_id: r for r in small.index}
    soc = rows["soc"]
    # donations printed: Art. 40, GRI 201-1 and 413-1; protected-area sites only listed (Art. 32,
    # 304-1) and fatalities printed without a value (Art. 50, 403-9) are not cited
    assert soc.articles() == (40,)
    assert soc.codes("gri") == ("201-1", "413-1")
    assert soc.indicators == ("charitable_donations",)
    assert rows["gov.structure"].articles() == (13, 51)
    blocks = gri_content_index(small.index, small.library, "en", organisation="Demo", period=2024)
    table = next(b for b in blocks if isinstance(b, Table))
    listed = [r.cells[1].text.split(" ")[0] for r in table.rows if r.kind == "data"]
    assert listed == ["201-1", "413-1"]


def test_a_confirmation_naming_a_section_that_does_not_exist_is_reported_with_the_closest_ids(small):
    """Audit A5-L6: a typo in the section id was silently ignored (the article just stayed
    "cited, not verified"). Entry 5 names gov.structur (gov.structure is the closest id: the
    only one difflib rates 0.6 or more); entry 6 names env.climate.nope, close to none of the
    definition's ids (gov, gov.mat, gov.structure, soc)."""
    path = small.ws.path / "report-review.yaml"
    try:
        write(path, REVIEW + "  - {article: 13, section: gov.structur, period: 2024, by: 王敏, date: 2025-03-20}\n"
                             "  - {article: 22, section: env.climate.nope, period: 2024, by: 王敏, date: 2025-03-20}\n")
        en = check_gaps(small, "en")
        assert [i.text for i in en.items if i.kind == "review"] == [
            "reviewer confirmations report-review.yaml: confirmations #4: needs article, section, period, by, date",
            "reviewer confirmations report-review.yaml: confirmations #5: the report definition has no section "
            "gov.structur; closest sections: gov.structure",
            "reviewer confirmations report-review.yaml: confirmations #6: the report definition has no section "
            "env.climate.nope"]
        assert _articles(en)[13].status == "cited"  # not confirmed by the typo
        zh = [i.text for i in check_gaps(small, "zh").items if i.kind == "review"]
        assert zh[1:] == [
            "审阅确认文件 report-review.yaml：confirmations 第 5 条：报告定义中没有章节 gov.structur；相近的章节：gov.structure",
            "审阅确认文件 report-review.yaml：confirmations 第 6 条：报告定义中没有章节 env.climate.nope"]
    finally:
        write(path, REVIEW)
