"""Two small report documents (zh and en) used by the renderer tests.

Figures are the shape of the reference report's KPI table: a grouped header (indicator,
unit, years), dimension/topic group rows, a restated 2023 value, a missing 2022 value and
a footnote naming the method and factor set behind a figure.
"""
from __future__ import annotations

from decimal import Decimal as D

from esgledger.report.document import (
    BulletList,
    Cell,
    Chapter,
    Chart,
    CheckItem,
    Checklist,
    Cover,
    Document,
    Footnote,
    HeaderCell,
    Paragraph,
    Row,
    Section,
    Series,
    Table,
    TableOfContents,
)

YEARS = ("2022", "2023", "2024")

ZH = {
    "title": "2024年度环境、社会及治理报告",
    "company": "天山示范铝业集团股份有限公司",
    "ch_climate": "顺应低碳趋势，践行气候承诺",
    "ch_kpi": "绩效表",
    "ch_check": "披露核查",
    "sec_ghg": "温室气体排放",
    "sec_target": "减排目标",
    "indicator": "指标", "unit": "单位", "years": "年度",
    "dim": "环境", "topic": "应对气候变化",
    "ghg": "温室气体排放总量（范围一+范围二）", "ghg_unit": "万吨CO₂e",
    "intensity": "单位电解铝产品二氧化碳排放", "intensity_unit": "吨CO₂/吨铝",
    "water": "新鲜水消耗量", "water_unit": "万吨",
    "note_restated": "2023年数据已重述：补入南疆碳素的阳极焙烧燃料消耗。",
    "note_missing": "2022年未统计该指标。",
    "note_method": "按《中国电解铝生产企业温室气体排放核算方法与报告指南（试行）》核算，"
                   "电网排放因子采用生态环境部2022年全国平均值 0.5703 tCO₂/MWh。",
    "caption": "环境绩效（节选）",
    "para": "公司制定了集团碳达峰行动方案，**到2025年底单位产品二氧化碳排放比2021年降低18%**。",
    "bullets": ("电解槽节能改造", "自备电厂超低排放改造"),
    "scope1": "范围一", "scope2": "范围二",
    "chart_scope": "温室气体排放构成", "chart_target": "单位产品碳排放目标",
    "actual": "实际值", "baseline": "2021年基准", "trajectory": "目标路径", "target": "2025年目标",
    "checklist": "深交所指引第17号 核查",
    "checks": (("温室气体排放量", "ok", "第二十四条", ""),
               ("减排目标与进展", "partial", "第二十七条", "缺少范围三目标"),
               ("碳排放权交易", "missing", "第二十八条", "未填报"),
               ("科技伦理", "na", "第四十三条", "")),
}

EN = {
    "title": "2024 Environmental, Social and Governance Report",
    "company": "Tianshan Demo Aluminium Group Co., Ltd.",
    "ch_climate": "Acting on climate change",
    "ch_kpi": "Key performance indicators",
    "ch_check": "Disclosure check",
    "sec_ghg": "Greenhouse gas emissions",
    "sec_target": "Reduction targets",
    "indicator": "Indicator", "unit": "Unit", "years": "Year",
    "dim": "Environmental", "topic": "Climate change",
    "ghg": "Total GHG emissions (Scope 1 + Scope 2)", "ghg_unit": "10⁴ t CO₂e",
    "intensity": "CO₂ per tonne of primary aluminium", "intensity_unit": "t CO₂/t Al",
    "water": "Fresh water consumption", "water_unit": "10⁴ t",
    "note_restated": "2023 restated: anode baking fuel of the Alar plant added.",
    "note_missing": "Not collected in 2022.",
    "note_method": "Calculated with the MEE aluminium GHG guideline; grid factor 0.5703 t CO₂/MWh "
                   "(MEE national average 2022).",
    "caption": "Environmental performance (extract)",
    "para": "The group's carbon-peak plan commits to **cut CO₂ per unit of product by 18% "
            "from 2021 by the end of 2025**.",
    "bullets": ("Potline energy retrofit", "Ultra-low emission retrofit of the captive plant"),
    "scope1": "Scope 1", "scope2": "Scope 2",
    "chart_scope": "GHG emissions by scope", "chart_target": "CO₂ intensity target",
    "actual": "Actual", "baseline": "2021 baseline", "trajectory": "Trajectory",
    "target": "2025 target",
    "checklist": "SZSE No.17 check",
    "checks": (("GHG emissions", "ok", "Art. 24", ""),
               ("Reduction targets and progress", "partial", "Art. 27", "no Scope 3 target"),
               ("Carbon trading", "missing", "Art. 28", "not submitted"),
               ("S&T ethics", "na", "Art. 43", "")),
}


def kpi_table(t: dict, lang: str) -> Table:
    header = [
        [HeaderCell(t["indicator"], rowspan=2, align="left"), HeaderCell(t["unit"], rowspan=2),
         HeaderCell(t["years"], colspan=3)],
        [HeaderCell(y) for y in YEARS],
    ]
    n = lambda v, p, marks=(): Cell.number(None if v is None else D(v), p, marks, lang)  # noqa: E731
    rows = [
        Row.group(t["dim"]),
        Row.group(t["topic"], sub=True),
        Row([Cell.label(t["ghg"], marks=("3",)), Cell.label(t["ghg_unit"]),
             n("1198.4", 2), n("1254.137", 2, ("1",)), n("1270.255", 2)]),
        Row([Cell.label(t["intensity"]), Cell.label(t["intensity_unit"]),
             n(None, 2, ("2",)), n("11.2", 2), n("10.8", 2)]),
        Row([Cell.label(t["water"]), Cell.label(t["water_unit"]),
             n("2345.5", 0), n("2401.49", 0), n("2398.5", 0)]),
    ]
    notes = [Footnote("1", t["note_restated"]), Footnote("2", t["note_missing"]),
             Footnote("3", t["note_method"])]
    return Table(t["caption"], header, rows, notes, ("text", "unit", "number", "number", "number"),
                 sheet=t["ch_kpi"])


def sample_document(lang: str) -> Document:
    t = ZH if lang == "zh" else EN
    scope = Chart("stacked_bar", t["chart_scope"],
                  [Series(t["scope1"], [D("1003.1"), D("1049.6"), D("1061.3")]),
                   Series(t["scope2"], [D("195.3"), D("204.537"), D("208.955")])],
                  YEARS, t["ghg_unit"], {"precision": 1})
    target = Chart("target", t["chart_target"], [Series(t["actual"], [D("11.9"), D("11.2"), D("10.8")])],
                   YEARS, t["intensity_unit"],
                   {"precision": 2, "baseline_year": 2021, "baseline_value": "12.5",
                    "target_year": 2025, "target_change": "-0.18", "baseline_label": t["baseline"],
                    "trajectory_label": t["trajectory"], "target_label": t["target"]})
    checks = Checklist([CheckItem(text, status, detail=detail, ref=ref)
                       for text, status, ref, detail in t["checks"]], title=t["checklist"])
    return Document(
        title=t["title"], subtitle=t["company"], lang=lang, period="2024",
        meta={"author": t["company"]},
        blocks=[
            Cover(t["title"], t["company"], ("2025-04",)),
            TableOfContents(depth=2),
            Chapter(t["ch_climate"], number="一、" if lang == "zh" else "1", blocks=[
                Paragraph(t["para"]),
                BulletList(t["bullets"]),
                Section(t["sec_ghg"], [scope]),
                Section(t["sec_target"], [target]),
            ]),
            Chapter(t["ch_kpi"], number="二、" if lang == "zh" else "2", blocks=[kpi_table(t, lang)]),
            Chapter(t["ch_check"], number="三、" if lang == "zh" else "3", blocks=[checks]),
        ],
    )
