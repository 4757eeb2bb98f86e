"""Charts draw Chinese with a CJK font, or refuse; output is deterministic SVG / PNG."""
import warnings
from decimal import Decimal as D

import pytest

from esgledger.report import charts
from esgledger.report.document import Chart, Series
from tests.report.conftest import require_cjk_font

YEARS = ("2022", "2023", "2024")
KINDS = [
    Chart("line", "综合能耗", [Series("综合能耗", [D("1270.26"), None, D("1288.04")])], YEARS,
          "万吨标准煤"),
    Chart("bar", "用水量", [Series("新鲜水", [D("1"), D("2"), D("3")]),
                         Series("循环水", [D("4"), D("5"), D("6")])], YEARS, "万吨"),
    Chart("stacked_bar", "范围一、二排放", [Series("范围一", [D("10"), D("11"), D("12")]),
                                     Series("范围二", [D("2"), None, D("3")])], YEARS, "万吨CO₂e"),
    Chart("pie", "2024年排放构成", [Series("2024", [D("1490"), D("190.2"), D("0")])],
          ("范围一", "范围二", "范围三"), "万吨CO₂e"),
    Chart("target", "单位产品碳排放", [Series("实际", [D("11.9"), D("11.2"), D("10.8")])], YEARS,
          "吨CO₂/吨铝", {"baseline_year": 2021, "baseline_value": "12.5", "target_year": 2025,
                       "target_change": "-0.18"}),
]


@pytest.mark.parametrize("chart", KINDS, ids=[c.kind for c in KINDS])
def test_every_kind_renders_svg_and_png_without_missing_glyphs(chart):
    require_cjk_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")       # matplotlib warns on a glyph missing from the font
        svg = charts.render_svg(chart, "zh", width=3, height=2)
        png = charts.render_png(chart, "zh", width=3, height=2, dpi=40)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<dc:date>" not in svg
    assert png.startswith(b"\x89PNG")
    assert charts.render_svg(chart, "zh", width=3, height=2) == svg    # deterministic


def test_without_a_cjk_font_chinese_charts_refuse_and_name_the_package(monkeypatch):
    monkeypatch.setattr(charts, "cjk_family", lambda: None)
    with pytest.raises(charts.ChartFontError, match="fonts-noto-cjk"):
        charts.render_svg(KINDS[0], "zh")
    english = Chart("line", "Energy use", [Series("Energy", [D("1"), D("2"), D("3")])], YEARS, "tce")
    assert "<svg" in charts.render_svg(english, "en", width=3, height=2)
