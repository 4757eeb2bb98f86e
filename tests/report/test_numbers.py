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
