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


def _drawn(chart):
    """The chart's matplotlib figure, drawn as the renderers draw it."""
    import matplotlib

    require_cjk_font()
    with matplotlib.rc_context(charts._rc(chart, "zh")):
        fig = charts._figure(chart, "zh", 6.4, 3.6)
        fig.canvas.draw()
    return fig


def test_the_target_trajectory_is_the_even_path_to_the_target():
    # the seed's CO2-per-product target: −18 % by 2025 against 2021. Baseline 12.5:
    #   target 12.5 × 0.82 = 10.25; even path, linear in value, 12.5 × (1 − 0.18 × (y − 2021)/4):
    #   a step of 12.5 × 0.18 / 4 = 0.5625 a year → 11.9375, 11.375, 10.8125
    from esgledger.report.document import target_path

    path = target_path(KINDS[-1])
    assert path == [(2021, D("12.5")), (2022, D("11.9375")), (2023, D("11.375")), (2024, D("10.8125")),
                    (2025, D("10.25"))]


def test_axis_ticks_are_grouped_numbers_not_an_offset_exponent():
    assert [charts._axis_number(v) for v in (0, 2.5, 12.5, 17500000.0, 2000000.0)] == [
        "0", "2.5", "12.5", "17,500,000", "2,000,000"]
    big = Chart("bar", "用电量", [Series("用电量", [D("17900256.38"), D("18030932.78"), D("18174128.78")])],
                YEARS, "兆瓦时")
    ax = _drawn(big).axes[0]
    assert ax.yaxis.get_offset_text().get_text() == ""
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "20,000,000" in labels or "17,500,000" in labels


def test_a_thin_stacked_layer_gets_no_label_inside_it():
    require_cjk_font()
    # energy mix 2024 (吨标准煤): coal 4,022,905, diesel 2,735, gas 35,987 (< 4 % of the stack), power 571,694
    mix = Chart("stacked_bar", "能源消费结构", [Series("原煤", [D("4022905")]), Series("柴油", [D("2735")]),
                                           Series("天然气", [D("35987")]), Series("电力", [D("571694")])],
                ("2024",), "吨标准煤", {"precision": 0})
    texts = [t.get_text() for t in _drawn(mix).axes[0].texts]
    assert "4,022,905" in texts and "571,694" in texts and "4,633,321" in texts
    assert "2,735" not in texts and "35,987" not in texts
