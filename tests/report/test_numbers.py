"""Numbers as the report prints them: half-up at the precision, grouped, dash for missing."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esgledger.report.numbers import excel_number_format, format_percent, format_value


@pytest.mark.parametrize("value, precision, shown", [
    ("2.345", 2, "2.35"),          # half-up, where float rounding gives 2.34 or 2.35 by luck
    ("2.344999", 2, "2.34"),
    ("0.5", 0, "1"),               # not banker's rounding (which gives 0)
    ("-2.5", 0, "-3"),             # half away from zero
    ("1270.255", 2, "1,270.26"),
    ("85.7", 2, "85.70"),          # trailing zeros kept at the precision
    ("1234567.8", 0, "1,234,568"),
    ("-0.001", 2, "0.00"),         # no negative zero
    ("1E+3", 1, "1,000.0"),
    ("0.0000005", 6, "0.000001"),
])
def test_format_value_hand_worked(value, precision, shown):
    assert format_value(Decimal(value), precision, "zh") == shown
    assert format_value(Decimal(value), precision, "en") == shown


def test_missing_value_is_a_dash_never_zero():
    assert format_value(None, 2) == "—"
    assert format_percent(None) == "—"


def test_percent_and_excel_format():
    assert [format_percent(Decimal("0.1345"), 1), format_percent(Decimal("0.3"), 0)] == ["13.5%", "30%"]
    assert [excel_number_format(0), excel_number_format(2)] == ["#,##0", "#,##0.00"]


def test_float_is_refused():
    with pytest.raises(TypeError):
        format_value(2.345, 2)


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False,
                   allow_infinity=False, places=6),
       st.integers(min_value=0, max_value=4))
def test_shown_value_is_within_half_a_unit_and_halves_round_away_from_zero(value, precision):
    shown = format_value(value, precision)
    back = Decimal(shown.replace(",", ""))
    unit = Decimal(1).scaleb(-precision)
    assert len(shown.partition(".")[2]) == precision
    diff = abs(back - value)
    assert diff <= unit / 2
    if diff == unit / 2:           # an exact half went away from zero
        assert abs(back) > abs(value)


@pytest.mark.parametrize("value, precision, unit, expected", [
    # UAT4 F-M10: a sentence names its quantities alike, from 10⁴ of the base unit in 万, 10⁸ 亿
    ("824747.34", 2, "吨", "82.47万吨"),            # 824,747.34 ÷ 10⁴ = 82.4747 → 82.47 (seed: 82.47万吨)
    ("3592632.15", 2, "吨", "359.26万吨"),
    ("18174128.78", 2, "兆瓦时", "181.74亿千瓦时"),  # × 10³ kWh = 18,174,128,780 kWh ÷ 10⁸ = 181.7413
    ("135", 0, "亿千瓦时", "135亿千瓦时"),
    ("184543.28", 2, "万元", "18.45亿元"),          # 1,845,432,800 元 ÷ 10⁸ = 18.454 (F-L6)
    ("659.00", 2, "万元", "659.00万元"),
    ("12.25", 2, "万元/人", "12.25万元/人"),
    ("4701968.35", 2, "吨标准煤", "470.20万吨标准煤"),
])
def test_chinese_amounts(value, precision, unit, expected):
    from esgledger.report.numbers import chinese_amount

    assert chinese_amount(Decimal(value), precision, unit) == expected


def test_chinese_amount_leaves_small_quantities_and_other_units_alone():
    from esgledger.report.numbers import chinese_amount

    # 7,126 t < 10⁴ t reads as it is; a head count is never 万人 in a report's sentence
    assert chinese_amount(Decimal("7126"), 0, "吨") is None
    assert chinese_amount(Decimal("6756"), 0, "人") is None and chinese_amount(Decimal("518184"), 0, "小时") is None
