"""Which printed figures carry which mark (UAT4 F-H1, F-M1, F-L1, F-L2, F-L7), on a small group.

The ledger (demo entity tree: TLYX and JXTG are companies of the group TSAL), 2024, with the
comment convention of docs/report.md ("Illustrative, split and calibrated figures"):

    TLYX employees 600  "split"            JXTG employees 400  "拆分：…"        (published total 1,000)
    TLYX female     100  "split"            JXTG female     50  "示意"           (JXTG's 50 is invented)
    TLYX rd_staff    60  "split"            JXTG rd_staff   40  "split"          (published total 100)
    TSAL operating_revenue 250,000 万元 "calibrated to rd_intensity: …"   (= 25 亿元, invented)
    TSAL rd_expenditure 5,000 万元, taxes_paid 19.47 亿元 "as published"

Worked by hand (the group is TSAL, whose totals are the published ones):

    figure                         value                      mark
    TSAL employees                 600 + 400 = 1,000          none: a sum of splits only is the published total
    TLYX employees                 600                        split: a company's share
    TSAL female employees          100 + 50 = 150             illustrative: JXTG's 50 is invented
    TSAL female share              150 / 1,000 = 15 %         illustrative (rests on the 150)
    TLYX female share              100 / 600 = 16.67 %        split: a company's figure from split inputs
    TSAL rd_staff / rd_staff_share 100; 100 / 1,000 = 10 %    none (splits summed at the group)
    TSAL rd_intensity              5,000 / 250,000 = 2.00 %   calibrated: the revenue names rd_intensity
    TSAL operating_revenue         25.00 亿元                 illustrative: calibrated, but not to itself
    TSAL revenue_per_employee      250,000 / 1,000 = 250 万元 illustrative: not a calibration target
    TSAL taxes_paid                19.47 亿元                 none ("as published" is no marker)
"""
from __future__ import annotations

import pytest

from esgledger.report.build import build_document
from esgledger.report.context import ReportContext
from esgledger.report.definition import load_definition
from esgledger.report.document import Chart, Paragraph, Table, walk
from esgledger.report.figure_notes import comment_status, figure_statuses
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write

FACTS = """\
entity,indicator,period,value,unit,gender,comment
TLYX,employees,2024,600,人,,split
JXTG,employees,2024,400,人,,拆分：集团合计为公布值
TLYX,employees,2024,100,人,female,split
JXTG,employees,2024,50,人,female,示意
TLYX,rd_staff,2024,60,人,,split
JXTG,rd_staff,2024,40,人,,split
TSAL,operating_revenue,2024,250000,万元,,"calibrated to rd_intensity: chosen so that the published 2.00 % comes out"
TSAL,rd_expenditure,2024,5000,万元,,as published
TSAL,taxes_paid,2024,19.47,亿元,,as published
"""

DEFINITION = """\
version: 1
title: {zh: 报告, en: Report}
organisation: {zh: 示范集团, en: Demo Group}
period: 2024
comparison_years: [2023]
chapters:
  - id: people
    title: {zh: 员工, en: People}
    narrative:
      zh: |
        员工{{ fact employees P }}，女性占比{{ fact female_employee_share P }}，其中TLYX女性占比{{ fact female_employee_share P entity=TLYX }}；研发投入强度{{ fact rd_intensity P }}，纳税{{ fact taxes_paid P }}。
      en: |
        Employees {{ fact employees P unit=no }}, female share {{ fact female_employee_share P }}, at TLYX {{ fact female_employee_share P entity=TLYX }}; R&D intensity {{ fact rd_intensity P }}; taxes {{ fact taxes_paid P }}.
    indicators: [employees, female_employee_share, rd_intensity]
    charts:
      - kind: bar
        title: {zh: 员工人数, en: Employees}
        series: [{indicator: employees}]
      - kind: stacked_bar
        title: {zh: 员工人数（按性别）, en: Employees by gender}
        series: [{indicator: employees}]
        by: gender
      - kind: stacked_bar
        title: {zh: 研发人员与员工, en: R&D staff and employees}
        series: [{indicator: rd_staff}, {indicator: employees}]
      - kind: pie
        title: {zh: 研发人员与员工构成, en: R&D staff and employees}
        series: [{indicator: rd_staff}, {indicator: employees, dims: {gender: female}}]
  - id: data
    title: {zh: 数据, en: Data}
    table: indicators
    indicators: [employees, female_employee_share, rd_staff_share, rd_intensity, operating_revenue, taxes_paid]
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("marks")
    ws = init_workspace(root / "ws", lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    rep = ws.import_facts(write(root / "facts.csv", FACTS), status="approved", author="test")
    assert rep.problems.flat() == []
    ws.calc("2024")
    defn, problems = load_definition(text=DEFINITION, library=ws.library, name="report.yaml")
    assert problems.flat() == []
    ctx = ReportContext(ws, defn)
    yield {"ws": ws, "ctx": ctx, "docs": {lang: build_document(ctx, lang, checklist=False) for lang in ("zh", "en")}}
    ws.close()


def test_the_comment_convention_reads_both_languages():
    assert comment_status("illustrative; own alumina from JXTG") == ("illustrative", ())
    assert comment_status("示意") == ("illustrative", ())
    assert comment_status("split; entered in 吨: 58.79 万吨") == ("split", ())
    assert comment_status("拆分：集团合计为公布值") == ("split", ())
    assert comment_status("calibrated to co2_aluminium_production: solved") == ("calibrated", ("co2_aluminium_production",))
    assert comment_status("校准至 rd_intensity、rd_staff_share：见表头") == ("calibrated", ("rd_intensity", "rd_staff_share"))
    # a calibration that names no figure is an invented value like any other
    assert comment_status("calibrated inside the rounding interval") == ("illustrative", ())
    # no marker: as published, a unit note, "splitting" (not the word split), blank
    for text in ("as published", "entered in 吨: 58.79 万吨", "splitting the bill", "", None):
        assert comment_status(text) == (None, ())


@pytest.mark.parametrize("entity, indicator, dims, value, mark", [
    ("TSAL", "employees", "", "1000", None),
    ("TLYX", "employees", "", "600", "split"),
    ("TSAL", "employees", "gender=female", "150", "illustrative"),
    ("TSAL", "female_employee_share", "", "15", "illustrative"),
    ("TLYX", "female_employee_share", "", None, "split"),          # 100 / 600 = 16.67 %
    ("TSAL", "rd_staff", "", "100", None),
    ("TSAL", "rd_staff_share", "", "10", None),
    ("TSAL", "rd_intensity", "", "2", "calibrated"),
    ("TSAL", "operating_revenue", "", None, "illustrative"),        # 25 亿元
    ("TSAL", "revenue_per_employee", "", "250", "illustrative"),
    ("TSAL", "taxes_paid", "", "19.47", None),
])
def test_each_figure_gets_the_mark_its_inputs_give_it(small, entity, indicator, dims, value, mark):
    ws = small["ws"]
    f = ws.value(entity, indicator, "2024", dims)
    assert f is not None
    if value is not None:
        assert float(f.value) == float(value)
    assert figure_statuses(ws.store, {f.id}, "TSAL").get(f.id) == mark


def test_the_narrative_marks_each_figure_and_notes_each_mark_in_its_language(small):
    zh = [b.text for b, _d in walk(small["docs"]["zh"]) if isinstance(b, Paragraph)]
    # 1,000 persons: no mark; 15 %: illustrative ①; TLYX 16.67 %: split ②; 2.00 %: calibrated ③;
    # taxes: none
    assert zh[0] == "员工1,000人，女性占比15.00%①，其中TLYX女性占比16.67%②；研发投入强度2.00%③，纳税19.47亿元。"
    assert zh[1:4] == ["①示意值：所依据的输入数据在台账中标注为示意（见其备注），并非完全基于实际报告数据。",
                       "②分公司数据为示意：集团合计为公布值，其在各公司之间的分配为示意（见台账备注）。",
                       "③与公布值一致：所依据的输入数据为示意值，经校准与公布的合计一致（见台账备注）。"]
    en = [b.text for b, _d in walk(small["docs"]["en"]) if isinstance(b, Paragraph)]
    assert en[0] == "Employees 1,000, female share 15.00%[a], at TLYX 16.67%[b]; R&D intensity 2.00%[c]; " \
                    "taxes CNY 1.947 billion."
    assert en[1].startswith("[a] Illustrative value: it rests on input data marked illustrative")
    assert en[2].startswith("[b] Company-level figure illustrative: the group total is published")
    assert en[3] == "[c] As published: the inputs are illustrative, calibrated to the published total " \
                    "(see the ledger's comment)."


def test_the_indicator_table_marks_the_same_figures(small):
    table = next(b for b, _d in walk(small["docs"]["en"]) if isinstance(b, Table) and b.caption == "Data")
    notes = {f.mark: f.text for f in table.footnotes}
    marks = {r.cells[0].text.split("[")[0]: [notes[m][:20] for m in r.cells[-1].marks if not notes[m].startswith(
        ("Calculated", r.cells[0].text))] for r in table.rows}
    assert marks["Employees"] == []
    assert marks["Female share"] == ["Illustrative value: "]
    assert marks["R&D staff share"] == []
    assert marks["R&D expenditure / revenue"] == ["As published: the in"]
    assert marks["Operating revenue"] == ["Illustrative value: "]
    assert marks["Total taxes paid"] == []


def test_charts_note_the_values_resting_on_marked_inputs(small):
    charts = {c.title: c for c, _d in walk(small["docs"]["zh"]) if isinstance(c, Chart)}
    # the 2024 employees: a sum of splits, no note (2023 has no value: the gap note only)
    assert [f.text for f in charts["员工人数"].footnotes] == ["“—”或空缺表示台账中没有该年数据。"]
    # by gender: the female 150 rests on JXTG's invented 50
    assert [f.text for f in charts["员工人数（按性别）"].footnotes][-1] == \
        "2024年数值为示意值：所依据的输入数据在台账中标注为示意（见其备注），并非完全基于实际报告数据。"
    # layers of one indicator's breakdown carry their total; of two indicators, none (UAT4 F-L7)
    assert charts["员工人数（按性别）"].spec["total"] is True
    assert charts["研发人员与员工"].spec["total"] is False
    # a pie: the year in the title, the unit not (the drawing names it under the title and the
    # Markdown after it: F-L1); its slices named in the note
    pie = charts["研发人员与员工构成（2024年）"]
    assert pie.unit == "人"
    assert [f.text for f in pie.footnotes] == [
        "员工总人数数值为示意值：所依据的输入数据在台账中标注为示意（见其备注），并非完全基于实际报告数据。"]


def test_a_stacked_chart_of_different_indicators_draws_no_total(small):
    """R&D staff 100 on employees 1,000 add up to no figure: no 1,100 above the stack; the
    gender breakdown's stack (female 150 only) carries its total 150 above the layer's 150."""
    import matplotlib

    from esgledger.report import charts as draw

    def texts(title):
        chart = next(c for c, _d in walk(small["docs"]["en"]) if isinstance(c, Chart) and c.title == title)
        with matplotlib.rc_context(draw._rc(chart, "en")):
            fig = draw._figure(chart, "en", 6.4, 3.6)
        return [t.get_text() for ax in fig.axes for t in ax.texts]

    mixed = texts("R&D staff and employees")
    assert "100" in mixed and "1,000" in mixed and "1,100" not in mixed
    assert texts("Employees by gender").count("150") == 2
