"""One submitted value checked against its indicator: a number in the indicator's unit and
range, or one of a category's values. Whatever brought it in — a workbook cell, a CSV row, an
API call — a value is checked here, and the problem names the place it came from.

A formula typed into an input cell is rejected (ESG-COLLECT-002), not evaluated: a formula's
cached result may be stale or missing (files saved by tools other than Excel have none), and
the ledger records what the submitter states, not what a spreadsheet computed.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from esgledger.library.schema import Indicator
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.types import category_value
from esgledger.model.units import CEILING, UNITS, ceiling_text, range_text, ungroup


def indicator_label(ind: Indicator, lang: str | None = None) -> Bilingual | str:
    """How a message names an indicator: its code and its name in the reader's language.
    Without ``lang``, both (the message reads in the language it is rendered in)."""
    label = Bilingual(f"{ind.code}（{ind.name.zh}）", f"{ind.code} ({ind.name.en})")
    return label if lang is None else label.in_lang(lang)


def declared_range(ind: Indicator) -> Bilingual:
    """The indicator's declared range, as a user would write it (units.range_text)."""
    return range_text(ind.validation.min, ind.validation.max, ind.unit)


def number_text(v) -> str | None:
    """A cell's number as the exact text the user typed (None when it is not a number)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        r = repr(v)  # the shortest text that reads back as the same double
        if "e" in r or "E" in r:
            r = format(Decimal(r), "f")
        return r[:-2] if r.endswith(".0") else r
    if isinstance(v, Decimal):
        return format(v, "f") if v.is_finite() else None
    if isinstance(v, str):
        s = ungroup(v.strip().replace("\u00a0", ""))  # thousands separators; not a decimal comma
        if s is None:
            return None
        try:
            d = Decimal(s)
        except InvalidOperation:
            return None
        return s if d.is_finite() else None
    return None


def check_value(ind: Indicator, raw, loc: Location, lang: str = "en") -> tuple[str | None, Problem | None]:
    """The value of an input as exact text in the indicator's unit, or the problem with it.
    The problem reads in the language it is rendered in (``lang`` is kept for callers)."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and ind.value_type == "number":
        text = number_text(raw)  # the common case: a number typed into a number cell
        v = ind.validation
        num = raw
        if (v.min is None or num >= v.min) and (v.max is None or num <= v.max) and \
                (not v.integer or float(num).is_integer()) and abs(num) <= CEILING:
            return text, None
    label = indicator_label(ind)
    if isinstance(raw, str) and raw.lstrip().startswith("="):
        return None, Problem("ESG-COLLECT-002", loc, {"indicator": label, "found": raw.strip()})
    if ind.value_type == "category":
        text = str(raw).strip()
        chosen = category_value(ind.values, text)  # yes, Yes or 是 for yes
        if chosen is None:
            from esgledger.collect.notation import category_choices

            return None, Problem("ESG-COLLECT-004", loc, {"indicator": label, "found": text,
                                                          "expected": category_choices(ind.values)})
        return chosen, None
    text = number_text(raw)
    if text is None:
        shown = raw.isoformat() if hasattr(raw, "isoformat") else str(raw)
        # "没有数据请留空": N/A, — or 约300000 is what people type where they have no figure
        takes = number_in(ind.unit)
        expected = Bilingual(takes.zh + "（没有数据请留空）",
                             takes.en + " (leave the cell empty when there is no data)")
        return None, Problem("ESG-COLLECT-001", loc, {"indicator": label, "found": shown, "expected": expected})
    num = Decimal(text)
    v = ind.validation
    if abs(num) > CEILING:  # 1e300 in a number cell: a fat finger or the wrong unit
        return None, Problem("ESG-COLLECT-003", loc, {"indicator": label,
                                                      "found": text if len(text) <= 24 else f"{num:.6E}",
                                                      "expected": ceiling_text(ind.unit)})
    if (v.min is not None and num < Decimal(str(v.min))) or (v.max is not None and num > Decimal(str(v.max))):
        return None, Problem("ESG-COLLECT-003", loc, {"indicator": label, "found": text,
                                                      "expected": declared_range(ind)})
    if v.integer and num != num.to_integral_value():
        return None, Problem("ESG-COLLECT-003", loc, {"indicator": label, "found": text,
                                                      "expected": Bilingual("整数", "a whole number")})
    return text, None


def number_in(unit: str | None) -> Bilingual:
    """"a number in 10k t" / 以万吨为单位的数字, as an error says what a cell takes."""
    if not unit:
        return Bilingual("数字", "a number")
    zh_unit = UNITS.display(unit, "zh")
    pad = "" if zh_unit and "\u2e80" <= zh_unit[0] else " "  # 以人为单位 / 以 MWh 为单位
    return Bilingual(f"以{pad}{zh_unit}{pad}为单位的数字", f"a number in {UNITS.display(unit, 'en')}")


__all__ = ["check_value", "declared_range", "indicator_label", "number_in", "number_text"]
