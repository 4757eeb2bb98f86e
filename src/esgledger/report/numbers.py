"""Numbers as a report prints them: half-up rounding at a precision, thousands separators.

Rounding happens only here, when presenting (ARCHITECTURE: "rounding happens only when
presenting, half-up at the indicator's precision"); the ledger keeps the value as entered.
Only :class:`~decimal.Decimal` arithmetic is used, never binary floats.

>>> format_value(Decimal("1270.255"), 2)
'1,270.26'
>>> format_value(Decimal("-2.5"), 0)
'-3'
>>> format_value(None, 2)
'—'
>>> format_percent(Decimal("0.1345"), 1)
'13.5%'
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

DASH = "—"  # U+2014: a missing value is a dash, never a zero


def round_half_up(value: Decimal, precision: int) -> Decimal:
    """``value`` rounded half away from zero to ``precision`` decimals (exact, any size)."""
    if not isinstance(value, Decimal):
        raise TypeError(f"round_half_up needs a Decimal, got {type(value).__name__}")
    with localcontext() as ctx:
        ctx.prec = max(28, len(value.as_tuple().digits) + precision + 2)
        return value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def format_value(value: Decimal | None, precision: int, lang: str = "zh") -> str:
    """Display text of ``value`` at ``precision`` decimals; ``—`` for a missing value.

    Both zh-CN and English reports group thousands with commas and use a point for decimals,
    so ``lang`` changes nothing today; it is part of the signature so a locale can.
    Negative zero after rounding prints as ``0``.
    """
    if value is None:
        return DASH
    if isinstance(value, (int, str)):
        value = Decimal(value)
    rounded = round_half_up(value, precision)
    if rounded.is_zero():
        rounded = abs(rounded)
    return f"{rounded:,.{precision}f}"


def format_percent(ratio: Decimal | None, precision: int = 1, lang: str = "zh") -> str:
    """A ratio (0.1345) as a percentage (``13.5%``); ``—`` when missing."""
    if ratio is None:
        return DASH
    return format_value(Decimal(ratio) * 100, precision, lang) + "%"


def excel_number_format(precision: int) -> str:
    """The spreadsheet number format showing ``precision`` decimals with grouping."""
    return "#,##0" + ("." + "0" * precision if precision > 0 else "")
