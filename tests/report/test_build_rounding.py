"""A small group's report: rounding half-up at the declared precision, restated values
footnoted (also through consolidation), missing values as a dash with a footnote, placeholders,
method and factor footnotes from the calculation lineage, and the gap check.

The ledger (demo entity tree, a few facts written as the interchange CSV):

    TSAL  taxes_paid         2023: 18.00, then restated to 18.10; 2024: 19.465  (亿元, 2 decimals)
    XRLB  charitable_donations 2023: 5.00, restated 5.25 (consolidated up to TSAL); 2024: 10.125
    XRLB  charitable_donations 2024 at XRLY: 1.00, submitted (not approved)
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from esgledger.model.errors import ProblemList
from esgledger.report.build import build_document, fill_placeholders
from esgledger.report.context import ReportContext
from esgledger.report.definition import load_definition
from esgledger.report.document import Checklist, tables, walk
from esgledger.report.figure_notes import method_notes
from esgledger.report.gap import check_gaps
from esgledger.store.lineage import record_methods
from esgledger.store.ledger import NewFact
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write

FACTS_1 = """\
entity,indicator,period,value,unit
TSAL,taxes_paid,2023,18.00,亿元
TSAL,taxes_paid,2024,19.465,亿元
XRLB,charitable_donations,2023,5.00,万元
XRLB,charitable_donations,2024,10.125,万元
"""
FACTS_2 = """\
entity,indicator,period,value,unit
TSAL,taxes_paid,2023,18.10,亿元
XRLB,charitable_donations,2023,5.25,万元
"""
FACTS_SUBMITTED = """\
entity,indicator,period,value,unit
XRLY,charitable_donations,2024,1.00,万元
"""

DEFINITION = """\
version: 1
title: {zh: "{{ company }} {{ period }}年报告", en: "{{ company }} {{ period }} report"}
organisation: {zh: 示范集团, en: Demo Group}
period: 2024
comparison_years: [2022, 2023]
material_topics: [climate_change, community]
chapters:
  - id: gov
    title: {zh: 治理, en: Governance}
    narrative:
      zh: |
        纳税{{ fact taxes_paid P }}，即{{ fact taxes_paid P unit=no precision=1 }}；较上年{{ change taxes_paid P-1 P }}。

        2021年纳税{{ fact taxes_paid 2021 }}。
      en: |
        Taxes paid: {{ fact taxes_paid P }}.
    indicators: [taxes_paid]
  - id: soc
    title: {zh: 社会公益, en: Community}
    narrative: {zh: "公益捐赠{{ fact charitable_donations P }}。", en: "Donations: {{ fact charitable_donations P }}."}
    indicators: [charitable_donations, scope1_emissions]
    charts:
      - kind: bar
        title: {zh: 公益捐赠, en: Donations}
        series: [{indicator: charitable_donations}]
      - kind: target
        title: {zh: 纳税目标, en: Tax target}
        indicator: taxes_paid
        baseline_year: 2021
        baseline_value: "17.5"
        target_year: 2026
        target_change: "0.2"
  - id: app
    title: {zh: 附录, en: Appendix}
    sections:
      - {id: app.kpi, title: {zh: 绩效表, en: KPI}, table: kpi_table}
      - {id: app.check, title: {zh: 核查, en: Check}, table: gap_checklist, index: false}
"""


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    root = tmp_path_factory.mktemp("small")
    ws = init_workspace(root / "ws", lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    for name, text, status in (("f1.csv", FACTS_1, "approved"), ("f2.csv", FACTS_2, "approved"),
                               ("f3.csv", FACTS_SUBMITTED, "submitted")):
        rep = ws.import_facts(write(root / name, text), status=status, author="test")
        assert rep.problems.flat() == []
    for year in ("2023", "2024"):
        ws.calc(year)
    # a methodology's result with its lineage, as the calculation engine records it
    _batch, (own_id,) = ws.store.append_facts(
        [NewFact("XRLB", "scope1_emissions", "2024", "", "1000", "tCO2e", status="calculated")], kind="calc")
    _batch, (group_id,) = ws.store.append_facts(
        [NewFact("TSAL", "scope1_emissions", "2024", "", "1000", "tCO2e", basis="control", status="calculated",
                 inputs=((own_id, None, None),))], kind="calc")
    with ws.store.engine.begin() as conn:
        record_methods(conn, [(own_id, "combustion", "1.0", "inventory", "AR5", None, [
            ("cn_fuels_mee", "fuel.ncv", "2022", "20.9", "GJ/t", "MEE 2022", "V"),
            ("gbt2589", "energy.sce", "2020", "1.1", "kgce/kg", "GB/T 2589-2020", "R-low")])])
    defn, problems = load_definition(text=DEFINITION, library=ws.library, name="report.yaml")
    assert problems.flat() == []
    ctx = ReportContext(ws, defn)
    yield {"ws": ws, "ctx": ctx, "group_fact": group_id}
    ws.close()


def kpi_row(doc, label: str):
    table = next(t for t in tables(doc) if t.sheet in ("绩效表", "KPI"))
    row = next(r for r in table.rows if r.kind == "data" and r.cells[0].text == label)
    return [(c.text, c.marks) for c in row.cells[2:]], {f.mark: f.text for f in table.footnotes}


def test_values_are_rounded_half_up_at_the_indicators_precision(group):
    doc = build_document(group["ctx"], "zh", checklist=False)
    cells, _notes = kpi_row(doc, "纳税总额")
    assert cells[2] == ("19.47", ())                 # 19.465 → 19.47 (half-up; half-even gives 19.46)
    cells, notes = kpi_row(doc, "公益慈善捐赠总额")
    assert cells[2][0] == "11.13"                    # 10.125 + 1.00 submitted at XRLY → 11.125 → 11.13
    # and says that it rests on XRLY's 1.00, submitted, not yet approved (audit A5-L3)
    assert [notes[m] for m in cells[2][1]] == ["所依据的数据尚未批准：XRLY 公益慈善捐赠总额。"]


def test_restated_values_are_footnoted_also_through_consolidation(group):
    doc = build_document(group["ctx"], "zh", checklist=False)
    taxes, notes = kpi_row(doc, "纳税总额")
    donations, _ = kpi_row(doc, "公益慈善捐赠总额")
    assert taxes[1] == ("18.10", ("2",)) and donations[1] == ("5.25", ("2",))
    assert notes["2"] == "该数据已重述，与此前披露值不同。"


def test_missing_values_are_a_dash_with_a_footnote_never_a_zero(group):
    doc = build_document(group["ctx"], "en", checklist=False)
    taxes, notes = kpi_row(doc, "Total taxes paid")
    assert taxes[0] == ("—", ("1",)) and notes["1"] == "Not disclosed or not applicable."


def test_placeholders_are_filled_half_up_with_units_and_missing_ones_reported(group):
    ctx = group["ctx"]
    problems = ProblemList()
    doc = build_document(ctx, "zh", checklist=False, problems=problems)
    gov = next(b for b in doc.blocks if getattr(b, "title", None) == "治理")
    texts = [b.text for b in gov.blocks]
    assert texts == ["纳税19.47亿元，即19.5；较上年+7.5%。", "2021年纳税—。"]
    assert problems.flat() == [("report.yaml:14 (gov)", "ESG-REPORT-007")]
    assert doc.title == "示范集团 2024年报告"
    # English names a quantity counted in 亿 by itself: 19.47 亿元 is CNY 1,947,000,000 (UAT 15)
    assert fill_placeholders(ctx, "{{ fact taxes_paid P }}", "en") == "CNY 1.947 billion"
    assert fill_placeholders(ctx, "{{ fact taxes_paid P unit=no }}", "en") == "19.47"


def test_method_and_factor_sets_behind_a_figure_come_from_the_lineage(group):
    notes = method_notes(group["ws"], [group["group_fact"]], "en")
    # factor sets by their titles in the report's language, with their editions when recorded;
    # a method id the name table does not know is shown as it is (UAT 14)
    # (the editions are those the lineage recorded for the values used: UAT1 F8)
    assert notes == ["Calculated as combustion, method version 1.0. GWP from IPCC AR5. Factors: Fuel defaults, "
                     "current MEE guideline Appendix A (edition 2022); GB/T 2589-2020 standard-coal conversion "
                     "coefficients (edition 2020)."]
    assert method_notes(group["ws"], [group["group_fact"]], "zh") == [
        "按combustion计算，方法版本 1.0。GWP 取 IPCC AR5。因子：《化石燃料缺省参数（生态环境部现行指南附录A）》（2022）；"
        "《GB/T 2589-2020 综合能耗计算通则 折标准煤系数》（2020）。"]


def test_charts_use_the_ledger_and_a_stated_baseline(group):
    doc = build_document(group["ctx"], "zh", checklist=False)
    charts = {c.title: c for c, _d in walk(doc) if type(c).__name__ == "Chart"}
    assert [str(v) if v is not None else None for v in charts["公益捐赠"].series[0].values] == [None, "5.25", "11.125"]
    target = charts["纳税目标"]
    assert target.spec["baseline_value"] == Decimal("17.5") and target.spec["target_change"] == Decimal("0.2")
    assert "2021年基准值 17.5 取自报告定义" in target.footnotes[0].text
    # +20 % by 2026 against 17.5 (2021) → 21.0; 2024 at 19.465: 19.465 / 17.5 − 1 = +11.23 %,
    # 11.23 / 20 = 56.1 % of the change; the even path, linear in value, steps +20 % / 5 years =
    # +4.0 % of the baseline a year, in 2024 17.5 × (1 + 0.20 × 3/5) = 17.5 × 1.12 = 19.60:
    # an increase target below its path is behind
    assert target.footnotes[1].text == ("2024年为19.47，较2021年基准变化+11.2%，已完成目标变化的56.1%；"
                                        "按均衡路径（每年变化基准值的+4.0%，线性），2024年应为19.60，进度落后于均衡路径。")
    en = build_document(group["ctx"], "en", checklist=False)
    target_en = {c.title: c for c, _d in walk(en) if type(c).__name__ == "Chart"}["Tax target"]
    assert target_en.footnotes[1].text == (
        "2024: 19.47, +11.2% against the 2021 baseline, 56.1% of the targeted change; on the even path (+4.0% of "
        "the baseline a year, linear) 2024 would be 19.60: behind the even path.")


def test_the_gap_check_follows_the_material_topics_and_flags_approvals_and_factors(group):
    gap = check_gaps(group["ctx"], "en")
    assert gap.required_from == "definition"
    articles = [i.article for i in gap.items if i.kind == "article"]
    # Art. 5 and 51 are mandatory whatever the topics; Art. 11-19 apply to financially material
    # topics, and material_topics does not say which those are (UAT 4 F-H2)
    assert articles == [5, *range(11, 20), 21, 22, 23, 24, 25, 26, 27, 28, 40, 51]
    assert sum(1 for i in gap.items if i.kind == "topic_na") == 19
    by_kind = {}
    for i in gap.items:
        by_kind.setdefault(i.kind, []).append(i)
    # not an article: a to-do of its own, not "partly disclosed" (audit A5-L5); the facts were
    # imported as submitted outside a collection campaign, so the way to approve them is to import
    # them again as approved (audit A5-M1: it named `esgledger review`, which does not exist)
    assert [(i.status, i.ref, i.text, i.action) for i in by_kind["not_approved"]] == [(
        "todo", "charitable_donations", "Charitable donations: 1 fact not approved (submitted 1)",
        "check them, then import them again as approved: esgledger facts import FILE --status approved (XRLY)")]
    assert {i.status for i in by_kind["low_factor"]} == {"todo"}  # a to-do, not an article's status (A5-L5)
    assert [(i.ref, i.detail, i.text) for i in by_kind["low_factor"]] == [
        ("energy.sce", "gbt2589",
         # one item per factor, with the figures that use it; the set by its title (gbt2589.yaml),
         # its id kept as the item's detail
         "low-confidence factor energy.sce of GB/T 2589-2020 standard-coal conversion coefficients (R-low), "
         "used by: Scope 1 GHG emissions")]
    zh = check_gaps(group["ctx"], "zh")
    assert [i.text for i in zh.items if i.kind == "low_factor"] == [
        "低置信度因子 energy.sce（GB/T 2589-2020 综合能耗计算通则 折标准煤系数，R-low），用于：范围一温室气体排放量"]
    assert [i.status for i in by_kind["placeholder"]] == ["missing"]
    art40 = next(i for i in gap.items if i.article == 40)
    # donations have data; the KPI table's socio-economic contribution has none
    assert (art40.status, art40.detail) == ("partial", "no data: Total socio-economic contribution; "
                                                       "narrative in: Community; a section citing it prints its "
                                                       "data: Community")
    assert art40.action == "collect and enter: Total socio-economic contribution"


def test_the_checklist_is_in_the_html_document_only(group):
    with_list = build_document(group["ctx"], "zh", checklist=True)
    without = build_document(group["ctx"], "zh", checklist=False)
    assert any(isinstance(b, Checklist) for b, _d in walk(with_list))
    assert not any(isinstance(b, Checklist) for b, _d in walk(without))


def test_a_recorded_double_materiality_result_overrides_the_definition(group, monkeypatch):
    """The assessment module (``esgledger.assess.materiality.material_topics(ws, period)``)
    decides the required topics when it has a result for the period."""
    import sys
    import types

    calls = []

    def material_topics(ws, period):
        calls.append(period)
        return ["community"] if period == 2024 else None

    assess = types.ModuleType("esgledger.assess")
    materiality = types.ModuleType("esgledger.assess.materiality")
    materiality.material_topics = material_topics
    assess.materiality = materiality
    monkeypatch.setitem(sys.modules, "esgledger.assess", assess)
    monkeypatch.setitem(sys.modules, "esgledger.assess.materiality", materiality)
    gap = check_gaps(group["ctx"], "zh")
    assert calls == [2024] and gap.required_from == "materiality"
    # 公益慈善 (community), with the mandatory Art. 5, 11-19 and 51
    assert [i.article for i in gap.items if i.kind == "article"] == [5, *range(11, 20), 40, 51]
    na = [i for i in gap.items if i.kind == "topic_na"]
    assert len(na) == 20 and na[0].detail == "非重要议题（双重重要性评估结果），不要求披露"


def test_a_target_chart_may_name_a_target_of_the_targets_file(group):
    """The same tax target as above, kept once in the workspace's targets.yaml and named by code:
    the same chart numbers, and the footnote says where the published baseline comes from."""
    ws = group["ws"]
    write(ws.path / "targets.yaml", """targets:
  - code: tax_2026
    name: {zh: 纳税较2021年增长20%, en: Taxes +20 % vs 2021}
    indicator: taxes_paid
    baseline_year: 2021
    baseline_value: "17.5"
    target_year: 2026
    change_pct: "20"
    source: test
""")
    text = DEFINITION.replace("""        indicator: taxes_paid
        baseline_year: 2021
        baseline_value: "17.5"
        target_year: 2026
        target_change: "0.2"
""", "        target: tax_2026\n")
    assert "target: tax_2026" in text
    defn, problems = load_definition(text=text, library=ws.library, name="report.yaml")
    assert problems.flat() == []
    doc = build_document(ReportContext(ws, defn), "zh", checklist=False)
    target = {c.title: c for c, _d in walk(doc) if type(c).__name__ == "Chart"}["纳税目标"]
    assert target.spec["baseline_value"] == Decimal("17.5") and target.spec["target_change"] == Decimal("0.2")
    assert target.footnotes[0].text == "2021年基准值 17.5 为目标文件（targets.yaml）中的公布值，台账中没有该年数据。"
    assert target.footnotes[1].text.endswith("2024年应为19.60，进度落后于均衡路径。")

    # a code the targets files do not have: the build stops with the codes it knows
    from esgledger.report.definition import DefinitionError

    defn, _ = load_definition(text=text.replace("tax_2026", "tax_2030"), library=ws.library, name="report.yaml")
    with pytest.raises(DefinitionError, match=r"ESG-REPORT-003.*tax_2030") as exc:
        build_document(ReportContext(ws, defn), "en", checklist=False)
    assert "co2_per_product_2025" in str(exc.value) and "tax_2026" in str(exc.value)
    # a target and its numbers both: one source of truth
    both = text.replace("        target: tax_2026\n", "        target: tax_2026\n        target_year: 2030\n")
    _defn, problems = load_definition(text=both, library=ws.library, name="report.yaml")
    assert [(p.code, p.params["field"]) for p in problems] == [("ESG-REPORT-003", "charts.target_year")]


def test_the_gap_check_names_a_year_of_the_report_never_calculated(sqlite_workspace, tmp_path):
    """UAT (2026-11-25): the 2024 column of a 2025 report read "—" throughout, because only
    2025 had been calculated. The gap check names each year of the report (2022–2024 here)
    with entered data and no calculated value: 2023 (imported, not run); not 2024 (run), nor
    2022 (no data at all)."""
    from importlib import resources

    from esgledger.report.definition import template_text

    ws = sqlite_workspace
    for year in ("2023", "2024"):
        with resources.as_file(resources.files("esgledger.demo").joinpath("data", f"facts-{year}.csv")) as p:
            assert ws.import_facts(p, status="approved").ok
    ws.calc("2024")
    defn, problems = load_definition(text=template_text(), library=ws.library, name="report.yaml")
    assert defn is not None, problems.flat()
    ctx = ReportContext(ws, defn, 2024)
    assert ctx.years == [2022, 2023, 2024]
    items = [i for i in check_gaps(ctx, "en").items if i.kind == "not_calculated"]
    assert [(i.status, i.text) for i in items] == [(
        "missing", "2023 has entered data but has not been calculated (its consolidated and method results are "
                   "empty and show as dashes): run esgledger calc run --period 2023 first")]
    zh = [i.text for i in check_gaps(ctx, "zh").items if i.kind == "not_calculated"]
    assert zh == ["2023年已有填报数据但尚未计算（合并值与核算结果为空，报告中显示为“—”）：请先运行 esgledger calc run --period 2023"]
    ws.calc("2023")
    assert [i for i in check_gaps(ReportContext(ws, defn, 2024), "en").items if i.kind == "not_calculated"] == []


def test_a_sections_indicator_table_footnotes_a_missing_value_as_the_kpi_table_does(group):
    """Audit A5-L1: the section's table printed a bare "—". The ledger has no 2022 value of
    either indicator: each 2022 cell is a dash with note 1, "未披露或不适用。" (the KPI table's
    note), and the 2023/2024 cells are the values, 18.10 → 18.10 and 19.465 → 19.47 half-up."""
    text = DEFINITION.replace("  - id: app\n", """\
  - id: tab
    title: {zh: 指标, en: Indicators}
    indicators: [taxes_paid, charitable_donations]
    table: indicators
  - id: app
""")
    defn, problems = load_definition(text=text, library=group["ws"].library, name="report.yaml")
    assert defn is not None, problems.flat()
    # the 2024 donations rest on XRLY's 1.00, submitted: note 2 (audit A5-L3)
    for lang, note, pending in (("zh", "未披露或不适用。", "所依据的数据尚未批准：XRLY 公益慈善捐赠总额。"),
                                ("en", "Not disclosed or not applicable.",
                                 "Rests on data not yet approved: XRLY Charitable donations.")):
        doc = build_document(ReportContext(group["ws"], defn), lang, checklist=False)
        table = next(t for t in tables(doc) if t.caption in ("指标", "Indicators"))
        rows = [[(c.text, c.marks) for c in r.cells[2:]] for r in table.rows]
        assert rows == [[("—", ("1",)), ("18.10", ()), ("19.47", ())],
                        [("—", ("1",)), ("5.25", ()), ("11.13", ("2",))]]
        assert [(f.mark, f.text) for f in table.footnotes] == [("1", note), ("2", pending)]


def test_only_factors_below_v_and_s_are_low_confidence(tmp_path):
    """Audit A5-L4: a V-calc factor (checked by computation, docs/methodology.md; GB/T 2589's
    1 kgce = 29,307 kJ) was listed as low confidence. Of the tags V, V-calc, S, R, R-low,
    R-inferred and S-low behind one figure, the last four are (the framework index's † legend)."""
    from esgledger.report.figure_notes import low_confidence_factors

    ws = init_workspace(tmp_path / "ws", lang="en")
    try:
        assert not ws.import_entities(DEMO_ENTITIES).errors
        _batch, (fid,) = ws.store.append_facts(
            [NewFact("XRLB", "scope1_emissions", "2024", "", "1", "tCO2e", status="calculated")], kind="calc")
        tags = ("V", "V-calc", "S", "R", "R-low", "R-inferred", "S-low")
        with ws.store.engine.begin() as conn:
            record_methods(conn, [(fid, "combustion", "1.0", "inventory", "AR5", None, [
                ("gbt2589", f"energy.k{i}", "2020", "1", "kgce/kg", "GB/T 2589-2020", tag)
                for i, tag in enumerate(tags)])])
        assert sorted(f["confidence"] for f in low_confidence_factors(ws, [fid])) == \
            sorted(["R", "R-low", "R-inferred", "S-low"])
    finally:
        ws.close()
