"""One unit registry for the whole program: pint plus the units Chinese reports use.

The units table is data (``units.yaml`` beside this file). Conversion factors are exact
decimals, computed once per pair of units and cached, so a value converted on import keeps
every digit.

>>> UNITS.convert(Decimal("1270.26"), "万吨", "吨")
Decimal('12702600.00')
>>> UNITS.compatible("人", "%")
False
"""
from __future__ import annotations

import functools
import re
import warnings
from decimal import Decimal, localcontext
from importlib import resources
from typing import Any

import yaml


class UnitError(ValueError):
    """A unit is unknown (``unknown``) or two units cannot be converted (``incompatible``)."""

    def __init__(self, kind: str, unit: str, other: str | None = None):
        self.kind = kind
        self.unit = unit
        self.other = other
        super().__init__(f"{kind} unit: {unit}" + (f" -> {other}" if other else ""))


def _registry():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pint

        ureg = pint.UnitRegistry(non_int_type=Decimal, autoconvert_offset_to_baseunit=True)
    return ureg


DEFAULT_PRECISION = 2  # decimals shown of a figure whose indicator and unit give none


class UnitTable:
    """Symbols → pint expressions, with zh/en display names."""

    def __init__(self, spec: dict[str, Any]):
        self.ureg = _registry()
        for line in spec.get("pint_definitions", []):
            self.ureg.define(line)
        self.symbols: dict[str, dict[str, str]] = {}
        self._alias: dict[str, str] = {}
        for u in spec["units"]:
            sym = u["symbol"]
            self.symbols[sym] = u
            self._alias[sym] = sym
            self._alias[sym.lower()] = sym
            for a in u.get("aliases", []):
                self._alias[a] = sym
                self._alias[a.lower()] = sym
        # every name the product shows a unit by (a workbook's unit column, explain, a report)
        # reads back as that unit: 阳极效应分钟/(槽·日), t CO2e per t … (a symbol or alias wins)
        for sym, u in self.symbols.items():
            for lang in ("zh", "en"):
                shown = str(u.get(lang) or "").strip()
                if shown:
                    self._alias.setdefault(shown, sym)
                    self._alias.setdefault(shown.lower(), sym)

    # -- lookups -------------------------------------------------------------------------
    def canonical(self, unit: str | None) -> str | None:
        """The table's symbol for ``unit`` (an alias or spelling), or ``unit`` itself if pint
        understands it; raises :class:`UnitError` for an unknown unit."""
        if unit is None:
            return None
        u = str(unit).strip()
        if u == "":
            return None
        if u in self._alias:
            return self._alias[u]
        if u.lower() in self._alias:
            return self._alias[u.lower()]
        self._quantity(u)  # raises if pint does not know it either
        return u

    def is_known(self, unit: str) -> bool:
        try:
            self.canonical(unit)
            return True
        except UnitError:
            return False

    def display(self, unit: str | None, lang: str) -> str:
        if unit is None:
            return ""
        spec = self.symbols.get(unit)
        if spec is None:  # an alias (minute/day) reads as its unit does
            try:
                spec = self.symbols.get(self.canonical(unit))
            except UnitError:
                spec = None
        if spec is None:
            return unit
        return spec.get(lang) or unit

    def default_precision(self, unit: str | None) -> int:
        """The decimals a figure in ``unit`` is shown with when its indicator gives no
        ``precision``: ``precision`` in units.yaml (0 for head counts and counts), else 2.

        >>> UNITS.default_precision("人"), UNITS.default_precision("persons"), UNITS.default_precision("吨")
        (0, 0, 2)
        """
        try:
            spec = self.symbols.get(self.canonical(unit)) if unit else None
        except UnitError:
            spec = None
        return int(spec.get("precision", DEFAULT_PRECISION)) if spec else DEFAULT_PRECISION

    def en_amount(self, unit: str | None) -> tuple[int, str] | None:
        """``(power of ten, English text with {} for the number)`` of a unit counted in 万 or
        亿 (万吨 → ``(4, "{} t")``), or None: English names such a quantity by itself."""
        spec = self.symbols.get(unit) if unit else None
        amount = spec.get("en_amount") if spec else None
        return (int(amount[0]), str(amount[1])) if amount else None

    def zh_amount(self, unit: str | None) -> tuple[int, str] | None:
        """``(power of ten, Chinese base unit)`` of a unit whose quantity Chinese narrative names
        in 万 or 亿 of a base unit (兆瓦时 → ``(3, "千瓦时")``: 1,817.41万兆瓦时 reads 181.74亿千瓦时),
        or None for a unit narrative does not scale (人, 次, 小时 …)."""
        spec = self.symbols.get(unit) if unit else None
        amount = spec.get("zh_amount") if spec else None
        return (int(amount[0]), str(amount[1])) if amount else None

    @functools.lru_cache(maxsize=4096)
    def _quantity(self, unit: str):
        expr = self.symbols[unit]["pint"] if unit in self.symbols else unit
        try:
            return self.ureg.Quantity(Decimal(1), self.ureg.parse_units(expr)) \
                if " " not in expr and "*" not in expr and "(" not in expr \
                else self.ureg.Quantity(Decimal(1)) * self.ureg.parse_expression(expr)
        except Exception as exc:  # pint raises many kinds
            raise UnitError("unknown", unit) from exc

    def quantity(self, unit: str):
        """A pint quantity of magnitude 1 in ``unit`` (for dimensional analysis)."""
        return self._quantity(self.canonical(unit))

    # -- conversion ----------------------------------------------------------------------
    @functools.lru_cache(maxsize=4096)
    def factor(self, src: str, dst: str) -> Decimal:
        """Exact multiplier from ``src`` to ``dst`` units."""
        a = self.canonical(src)
        b = self.canonical(dst)
        if a == b:
            return Decimal(1)
        qa, qb = self._quantity(a), self._quantity(b)
        if qa.dimensionality != qb.dimensionality:
            raise UnitError("incompatible", a, b)
        with localcontext() as ctx:
            ctx.prec = 40
            ratio = (qa / qb).to_reduced_units().to("dimensionless").magnitude
            return Decimal(format(Decimal(ratio).normalize(), "f"))

    def compatible(self, src: str, dst: str) -> bool:
        try:
            self.factor(src, dst)
            return True
        except UnitError:
            return False

    def convert(self, value: Decimal, src: str, dst: str) -> Decimal:
        f = self.factor(src, dst)
        if f == 1:
            return value
        with localcontext() as ctx:
            ctx.prec = 40
            return value * f


def plain(d: Decimal) -> str:
    """A decimal in fixed point without trailing zeros, as the ledger keeps a calculated value
    and as messages quote one: ``12.5`` (not ``12.500`` or ``1.25E+1``), ``0``.

    >>> plain(Decimal("12.500")), plain(Decimal("1.25E+3")), plain(Decimal("0.000")), plain(Decimal("-3"))
    ('12.5', '1250', '0', '-3')
    """
    text = format(d, "f")
    return (text.rstrip("0").rstrip(".") or "0") if "." in text else text


def _plain(bound) -> str:
    """A range bound as a person writes it: ``0`` (not ``0.0``), ``12.5``, ``1,000``."""
    text = plain(Decimal(str(bound)))
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return sign + f"{int(whole.lstrip('-') or 0):,}" + dot + frac


# thousands grouped: a first group of 1–3 digits not starting with 0 (``0,045`` is a decimal
# comma, never 45), then groups of three
_GROUPED = re.compile(r"[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?")


# a Chinese input method's full-width digits, point, comma and signs (１３．５, 1，234.5): read as
# their ASCII forms, so a full-width comma groups thousands only where an ASCII one would
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")


def halfwidth(text: str) -> str:
    """``text`` with full-width digits, point, comma and signs as ASCII (１３．５ → 13.5)."""
    return text.translate(_FULL_WIDTH)


def ungroup(text: str) -> str | None:
    """A number cell's text without its thousands separators, as Excel shows them
    (``1,234,567.5``); None for any other comma: a decimal comma (``1,5``, ``1.234,5``) or a
    list is not read as a number, so it cannot turn 1.5 into 15 unseen. Full-width digits,
    point, comma and signs read as the ASCII ones.

    >>> ungroup("1,234,567.5"), ungroup("-12,000"), ungroup("1,5"), ungroup("1.234,5"), ungroup("58.9")
    ('1234567.5', '-12000', None, None, '58.9')
    >>> ungroup("0,045"), ungroup("-0,030"), ungroup("012,345")
    (None, None, None)
    >>> ungroup("１３．５"), ungroup("1，234.5"), ungroup("1，5")
    ('13.5', '1234.5', None)
    """
    if not text.isascii():  # (a check far cheaper than translating every cell of a large file)
        text = halfwidth(text)
    if "," not in text:
        return text
    return text.replace(",", "") if _GROUPED.fullmatch(text) else None


def with_unit(text: str, unit: str | None):
    """A value with its unit's display name, in both languages (``12 persons`` / ``12 人``);
    the text alone where there is no unit."""
    from esgledger.model.errors import Bilingual

    if not unit or unit == "1":
        return Bilingual(text, text)
    return Bilingual(f"{text} {UNITS.display(unit, 'zh')}", f"{text} {UNITS.display(unit, 'en')}")


def unit_name(unit: str | None, typed: bool = False):
    """A unit as each language names it (人 → ``persons`` / ``人``, 万元 → ``CNY 10k`` / ``万元``),
    for a message; a unit the table does not know, as written, in both. ``typed``: a unit as
    the user wrote it, kept as written in Chinese and, where written in Chinese, beside its
    English name (``t (吨)``), so the user finds it in the file."""
    from esgledger.model.errors import Bilingual

    text = "" if unit is None else str(unit).strip()
    try:
        sym = UNITS.canonical(text) if text else None
    except UnitError:
        sym = None
    if sym is None:
        return Bilingual(text, text)
    zh, en = UNITS.display(sym, "zh") or text, UNITS.display(sym, "en") or text
    if not typed:
        return Bilingual(zh, en)
    if text != en and any("\u4e00" <= ch <= "\u9fff" for ch in text):
        en = f"{en} ({text})"
    return Bilingual(text, en)


def range_text(lo=None, hi=None, unit: str | None = None, integer: bool = False):
    """What a value must be, as a user would write it, in both languages (an "expected …"
    phrase of a problem): ``a whole number ≥ 0`` / ``≥ 0 人的整数``, ``from 0 to 100 %`` /
    ``0–100 %``; the unit in each language's display name.

    >>> t = range_text(0.0, None, "人", integer=True)
    >>> t.en, t.zh
    ('a whole number ≥ 0 persons', '≥ 0 人的整数')
    >>> t = range_text(0, 100, "%")
    >>> t.en, t.zh
    ('from 0 to 100 %', '0–100 %')
    >>> range_text(integer=True).en
    'a whole number'
    """
    from esgledger.model.errors import Bilingual

    def bounds(lang: str) -> str:
        u = UNITS.display(unit, lang) if unit and unit != "1" else ""
        u = f" {u}" if u else ""
        if lo is not None and hi is not None:
            return (f"{_plain(lo)}–{_plain(hi)}{u}" if lang == "zh"
                    else f"from {_plain(lo)} to {_plain(hi)}{u}")
        if lo is not None:
            return f"≥ {_plain(lo)}{u}"
        if hi is not None:
            return f"≤ {_plain(hi)}{u}"
        return ""

    zh, en = bounds("zh"), bounds("en")
    if integer:
        zh = f"{zh}的整数" if zh else "整数"
        en = f"a whole number {en}".strip()
    return Bilingual(zh, en)


def _load() -> UnitTable:
    text = resources.files("esgledger.model").joinpath("units.yaml").read_text(encoding="utf-8")
    return UnitTable(yaml.safe_load(text))


UNITS = _load()


# A value entered for an indicator is at most this large (in absolute value) in the indicator's
# unit. No figure of a group report comes near it (the largest, energy in kWh or money in 元,
# stays below 10^13), while a fat finger (1e400, forty 9s) or a value in the wrong unit does.
CEILING = Decimal(10) ** 15


def ceiling_text(unit: str | None):
    """The "expected …" phrase of a value above :data:`CEILING`, in both languages.

    >>> t = ceiling_text("万元")
    >>> t.en
    'a number of at most 10^15 in absolute value, in CNY 10k (a larger one is a typo or in another unit)'
    >>> t.zh
    '绝对值不超过 10^15 的数，以万元为单位（更大的值多为输入错误或单位有误）'
    """
    from esgledger.model.errors import Bilingual

    zh_unit = UNITS.display(unit, "zh") if unit and unit != "1" else ""
    pad = "" if zh_unit and "\u2e80" <= zh_unit[0] else " "  # 以万元为单位 / 以 MWh 为单位
    en_unit = UNITS.display(unit, "en") if unit and unit != "1" else ""
    return Bilingual(f"绝对值不超过 10^15 的数{f'，以{pad}{zh_unit}{pad}为单位' if zh_unit else ''}"
                     f"（更大的值多为输入错误或单位有误）",
                     f"a number of at most 10^15 in absolute value{f', in {en_unit}' if en_unit else ''} "
                     f"(a larger one is a typo or in another unit)")


def slipped_units(unit: str | None, ratio: Decimal) -> list[str]:
    """The units a value ``ratio`` times what was expected in ``unit`` was probably typed in:
    those a quantity in ``unit`` reads about ``ratio`` times larger in (兆瓦时 × 1,000 → 千瓦时;
    万元 × 10,000 → 元; 吨 × 1/10,000 → 万吨), closest first, the simplest symbol first among
    equally close ones (吨 before tCO2e). Empty when no unit of the table fits (a slip of digits,
    not of units).

    >>> slipped_units("兆瓦时", Decimal(1028)), slipped_units("万元", Decimal(10000))
    (['千瓦时'], ['元'])
    >>> slipped_units("吨", Decimal("0.0001"))[0], slipped_units("人", Decimal(1000))
    ('万吨', [])
    """
    import math

    if not unit or unit == "1" or ratio <= 0:
        return []
    try:
        sym = UNITS.canonical(unit)
    except UnitError:
        return []
    target = math.log10(float(ratio))
    found = []
    for other in UNITS.symbols:
        if other == sym or other == "1":
            continue
        try:
            f = UNITS.factor(sym, other)  # 1 unit = f others: a value typed in others reads f times larger
        except UnitError:
            continue
        if f <= 0:
            continue
        gap = abs(math.log10(float(f)) - target)
        if gap <= 0.2:  # within a factor of about 1.6
            found.append((round(gap, 3), len(other), other))
    return [o for _, _, o in sorted(found)]
