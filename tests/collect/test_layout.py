"""The header row of a collection sheet: one list, written by the template and compared by the
import (:func:`esgledger.collect.templates.locked_cells`)."""
from esgledger.collect.layout import header_texts


def test_the_annual_header_has_last_year_then_this_year():
    """Columns A–G of an annual block: 指标代码, 指标名称, 细分, 单位, 上年数值, 本年数值, 备注说明."""
    assert header_texts(False, "zh") == ["指标代码", "指标名称", "细分", "单位", "上年数值", "本年数值", "备注说明"]
    assert header_texts(False, "en") == ["Code", "Indicator", "Breakdown", "Unit", "Last year", "Value", "Comment"]


def test_the_monthly_header_has_the_twelve_months_between_the_unit_and_the_comment():
    """Columns A–R of a monthly block: four columns, "This year / Last year" (column E, beside
    the two rows of each indicator), the twelve months (F–Q), the comment (R): 18 in all."""
    en = header_texts(True, "en")
    assert en == ["Code", "Indicator", "Breakdown", "Unit", "This year / Last year",
                  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Comment"]
    zh = header_texts(True, "zh")
    assert zh[4:6] == ["本年 / 上年数值", "1月"] and zh[16:] == ["12月", "备注说明"] and len(zh) == 18
