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


_SCALES = ((12, "trillion"), (9, "billion"), (6, "million"))
NARRATIVE_DIGITS = 4  # significant digits at most, for a quantity named in millions or billions
ZH_DECIMALS = 2  # decimals at most, for a quantity named in 万 or 亿


def large_amount(value: Decimal, precision: int, lang: str) -> str | None:
    """A quantity of a million or more as a narrative names it, without its unit; None below.

    English counts it in millions or billions with the decimals it has there, but no more than
    four significant digits; Chinese in 万 (10⁴) or, from 10⁸, 亿, with at most two decimals:

    >>> large_amount(Decimal("18174128.78"), 2, "en"), large_amount(Decimal("18174128.78"), 2, "zh")
    ('18.17 million', '1,817.41万')
    >>> large_amount(Decimal("9320917"), 0, "zh"), large_amount(Decimal("1234567890"), 0, "zh")
    ('932.09万', '12.35亿')
    >>> large_amount(Decimal("999999.99"), 2, "en") is None
    True
    """
    if abs(value) < 1_000_000:
        return None
    if lang == "zh":
        exp, word = (8, "亿") if abs(value) >= 100_000_000 else (4, "万")
        return format_value(value.scaleb(-exp), min(ZH_DECIMALS, precision + exp)) + word
    for exp, word in _SCALES:
        if abs(value) >= Decimal(10) ** exp:
            scaled = value.scaleb(-exp)
            whole_digits = len(str(int(abs(scaled))))
            decimals = max(0, min(precision + exp, NARRATIVE_DIGITS - whole_digits))
            return f"{format_value(scaled, decimals)} {word}"
    raise AssertionError("unreachable: a million or more has a scale")  # pragma: no cover


_SI_KWH = ((9, "TWh"), (6, "GWh"))  # English names a large quantity of electricity in GWh or TWh


def _significant(scaled: Decimal, precision: int) -> str:
    """``scaled`` with the decimals it has (``precision``) but no more than four significant
    digits, at least none."""
    whole_digits = len(str(int(abs(scaled))))
    return format_value(scaled, max(0, min(precision, NARRATIVE_DIGITS - whole_digits)))


def english_amount(value: Decimal, precision: int, unit: str | None) -> str | None:
    """A quantity in a unit counted in 万 or 亿 (万吨, 亿千瓦时, 万元 …) or in MWh as English
    text names it, or None for any other unit: the same quantity in millions or billions of the
    base unit (thousands grouped below a million), as :func:`large_amount` names it; a quantity
    of electricity of a million kWh or more in GWh or TWh.

    >>> english_amount(Decimal("1270.26"), 2, "万吨")
    '12.70 million t'
    >>> english_amount(Decimal("135"), 0, "亿千瓦时")
    '13.5 TWh'
    >>> english_amount(Decimal("18174128.78"), 2, "兆瓦时")
    '18.17 TWh'
    >>> english_amount(Decimal("5653.9478"), 4, "万千瓦时/年")
    '56.54 GWh per year'
    >>> english_amount(Decimal("19.47"), 2, "亿元")
    'CNY 1.947 billion'
    >>> english_amount(Decimal("184543.28"), 2, "万元")
    'CNY 1.845 billion'
    >>> english_amount(Decimal("7.00"), 2, "万元")
    'CNY 70,000'
    >>> english_amount(Decimal("1270.26"), 2, "吨") is None, english_amount(Decimal("850.5"), 1, "兆瓦时") is None
    (True, True)
    """
    from esgledger.model.units import UNITS

    spec = UNITS.en_amount(unit)
    if spec is None or value is None:
        return None
    power, text = spec
    base = Decimal(value).scaleb(power)  # exact: the same quantity in the base unit
    if text.startswith("{} kWh"):
        for exp, word in _SI_KWH:
            if abs(base) >= Decimal(10) ** exp:
                return _significant(base.scaleb(-exp), precision - power + exp) + " " + word + text[len("{} kWh"):]
        if power < 4:  # less than a GWh of a quantity in MWh reads as it is, in MWh
            return None
    return text.format(large_amount(base, precision - power, "en") or format_value(base, max(0, precision - power)))


def chinese_amount(value: Decimal, precision: int, unit: str | None) -> str | None:
    """A quantity in a unit Chinese narrative counts in 万 or 亿 of a base unit (吨, 千瓦时, 元 …;
    ``zh_amount`` in units.yaml) as Chinese text names it, with its unit, from 万 (10⁴ of the
    base unit) up: in 万 or, from 10⁸, 亿 of the base unit with at most two decimals. None for
    any other unit, or below 10⁴ of the base unit (the figure then reads as it is).

    >>> chinese_amount(Decimal("824747.34"), 2, "吨"), chinese_amount(Decimal("3592632.15"), 2, "吨")
    ('82.47万吨', '359.26万吨')
    >>> chinese_amount(Decimal("18174128.78"), 2, "兆瓦时"), chinese_amount(Decimal("135"), 0, "亿千瓦时")
    ('181.74亿千瓦时', '135亿千瓦时')
    >>> chinese_amount(Decimal("184543.28"), 2, "万元"), chinese_amount(Decimal("659.00"), 2, "万元")
    ('18.45亿元', '659.00万元')
    >>> chinese_amount(Decimal("7126"), 0, "吨") is None, chinese_amount(Decimal("6756"), 0, "人") is None
    (True, True)
    """
    from esgledger.model.units import UNITS

    spec = UNITS.zh_amount(unit)
    if spec is None or value is None:
        return None
    power, base_unit = spec
    base = Decimal(value).scaleb(power)  # exact: the same quantity in the base unit
    if abs(base) < 10_000:
        return None
    exp, word = (8, "亿") if abs(base) >= 100_000_000 else (4, "万")
    return format_value(base.scaleb(-exp), max(0, min(ZH_DECIMALS, precision - power + exp))) + word + base_unit


def narrative_amount(value: Decimal, precision: int, unit: str | None, lang: str) -> str | None:
    """A quantity with its unit as narrative names it, or None when the figure reads as it is
    in the indicator's unit: Chinese in 万/亿 of the base unit (:func:`chinese_amount`),
    English in millions/billions of the base unit or in GWh/TWh (:func:`english_amount`).
    One sentence then names its quantities alike (359.26万吨 … 82.47万吨; 181.74亿千瓦时 …
    135亿千瓦时; 18.17 TWh … 13.5 TWh)."""
    return english_amount(value, precision, unit) if lang == "en" else chinese_amount(value, precision, unit)


def format_percent(ratio: Decimal | None, precision: int = 1, lang: str = "zh") -> str:
    """A ratio (0.1345) as a percentage (``13.5%``); ``—`` when missing."""
    if ratio is None:
        return DASH
    return format_value(Decimal(ratio) * 100, precision, lang) + "%"


def excel_number_format(precision: int) -> str:
    """The spreadsheet number format showing ``precision`` decimals with grouping."""
    return "#,##0" + ("." + "0" * precision if precision > 0 else "")
