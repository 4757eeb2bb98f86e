"""How a row of the interchange format (or of a collection CSV) may write what it says:
dimensions by code or name, category values in either language, numbers with thousands
separators, units to convert to the indicator's; and the "expected" texts of their errors.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from esgledger.library.loader import Library
from esgledger.model.errors import Bilingual
from esgledger.model.types import category_label
from esgledger.model.units import UNITS, UnitError, ungroup


# other names people give a dimension (the electricity-source dimension is 电力来源 in the
# library and in workbooks, 供电来源 in the electricity messages)
DIMENSION_ALIASES = {"供电来源": "supplier", "用电来源": "supplier"}


def dimension_names(library: Library) -> dict[str, str]:
    """Every way an import may name a dimension → its code: the code, its Chinese and English
    names (性别, Gender, gender), and :data:`DIMENSION_ALIASES`; English ones in lower case too."""
    out: dict[str, str] = {}
    for code, d in library.dimensions.items():
        for n in (code, d.name.zh, d.name.en):
            if n:
                out.setdefault(n, code)
                out.setdefault(n.lower(), code)
    for alias, code in DIMENSION_ALIASES.items():
        if code in library.dimensions:
            out.setdefault(alias, code)
    return out


def dimensions_text(library: Library, dims, suffix: str = "") -> Bilingual | str:
    """The dimensions an indicator takes, as an "allowed: …" list: codes with their Chinese
    names in Chinese (gender（性别）=…、age_band（年龄段）=…), codes in English; "-" for none."""
    if not dims:
        return "-"
    zh = "、".join(f"{d}{suffix}（{library.dimensions[d].name.zh}）" if d in library.dimensions else f"{d}{suffix}"
                  for d in dims)
    return Bilingual(zh, ", ".join(f"{d}{suffix}" for d in dims))


def category_choices(values) -> Bilingual:
    """A category indicator's values as an "expected one of" list in each language: 是 | 否
    in Chinese, yes | no in English (either is accepted)."""
    return Bilingual(" | ".join(category_label(v, "zh") for v in values),
                     " | ".join(category_label(v, "en") for v in values))


def _by_name(library: Library, text: str):
    hits = [i for i in library.indicators.values() if text in (i.name.zh, i.name.en)]
    return hits[0] if len(hits) == 1 else None


def _number(text: str) -> tuple[str, Decimal] | None:
    """A number cell's text (thousands separators as Excel shows them dropped) and its exact
    value; None if it is not a finite number (or has a comma that does not group thousands)."""
    text = ungroup(text)
    if text is None:  # a comma that is not a thousands separator (1,5: a decimal comma?)
        return None
    try:
        num = Decimal(text)
    except InvalidOperation:
        return None
    return (text, num) if num.is_finite() else None


def _conversion(src: str, dst: str | None) -> tuple[str, Decimal] | str:
    if dst is None:
        return (src, Decimal(1))
    try:
        canon = UNITS.canonical(src)
    except UnitError:
        return "unknown"
    try:
        return (canon, UNITS.factor(canon, dst))
    except UnitError as exc:
        return "unknown" if exc.kind == "unknown" else "incompatible"

