r"""Placeholders in a report definition's text: ``{{ fact INDICATOR [YEAR] [options] }}``.

One small grammar, parsed by splitting words (never evaluated)::

    {{ fact INDICATOR [YEAR] [entity=CODE] [DIMENSION=MEMBER] [unit=no] [precision=N] }}
    {{ change INDICATOR YEAR YEAR [entity=CODE] [DIMENSION=MEMBER] [precision=N] }}
    {{ period }}    {{ company }}

A YEAR is ``2024``, ``P`` (the reporting year) or ``P-1``, ``P-2`` …

A fact shown with its unit and without ``precision=N`` reads as narrative names a large
quantity (:func:`esgledger.report.numbers.narrative_amount`): in 万 or 亿 of the base unit in
Chinese and in millions or billions (electricity in GWh/TWh) in English (``181.74亿千瓦时`` /
``18.17 TWh``); ``precision=N`` keeps the whole figure.

>>> parse_placeholder("fact employees P-1 gender=female")
Placeholder(kind='fact', indicator='employees', years=('P-1',), entity=None, dims=(('gender', 'female'),), unit=True, precision=None)
>>> [(line, whole) for line, whole, _inner in placeholders("纳税{{ fact taxes_paid P }}，\n{{ period }}年")]
[(0, '{{ fact taxes_paid P }}'), (1, '{{ period }}')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_YEAR = re.compile(r"^(?:\d{4}|P(?:-\d{1,2})?)$")
_WORD = re.compile(r"^[a-z][a-z0-9_]*$")
SYNTAX = {"fact": "{{ fact INDICATOR [YEAR] [entity=CODE] [DIMENSION=MEMBER] [unit=no] [precision=N] }}",
          "change": "{{ change INDICATOR YEAR YEAR [entity=CODE] [DIMENSION=MEMBER] [precision=N] }}",
          "period": "{{ period }}", "company": "{{ company }}"}


class PlaceholderError(ValueError):
    """``expected``: a :class:`Bilingual` phrase (or text that reads the same in both)."""

    def __init__(self, expected, found: str):
        self.expected, self.found = expected, found
        super().__init__(f"{found}: expected {expected}")


def _one_of(names):
    from esgledger.model.errors import Bilingual

    return Bilingual("以下之一：" + "、".join(names), "one of " + ", ".join(names))


@dataclass(frozen=True)
class Placeholder:
    kind: str                                 # fact | change | period | company
    indicator: str | None = None
    years: tuple[str, ...] = ()               # year tokens: "2024", "P", "P-1"
    entity: str | None = None
    dims: tuple[tuple[str, str], ...] = ()
    unit: bool = True
    precision: int | None = None


def parse_placeholder(inner: str) -> Placeholder:
    """Parse the inside of ``{{ … }}``; raises :class:`PlaceholderError`."""
    words = inner.split()
    if not words:
        raise PlaceholderError(_one_of(SYNTAX), "{{ }}")
    kind, args = words[0], words[1:]
    if kind in ("period", "company"):
        if args:
            raise PlaceholderError(SYNTAX[kind], " ".join(words))
        return Placeholder(kind)
    if kind not in ("fact", "change"):
        raise PlaceholderError(_one_of(SYNTAX), kind)
    positional = [a for a in args if "=" not in a]
    options = [a for a in args if "=" in a]
    if not positional or not _WORD.match(positional[0]):
        raise PlaceholderError(SYNTAX[kind], " ".join(words))
    indicator, years = positional[0], positional[1:]
    want = (0, 1) if kind == "fact" else (2,)
    if len(years) not in want or not all(_YEAR.match(y) for y in years):
        raise PlaceholderError(SYNTAX[kind], " ".join(words))
    entity, unit, precision, dims = None, True, None, []
    for opt in options:
        key, _, value = opt.partition("=")
        if not value:
            raise PlaceholderError("KEY=VALUE", opt)
        if key == "entity":
            entity = value
        elif key == "unit" and kind == "fact":
            if value not in ("yes", "no"):
                raise PlaceholderError(_one_of(["unit=yes", "unit=no"]), opt)
            unit = value == "yes"
        elif key == "precision":
            if not value.isdigit() or int(value) > 8:
                raise PlaceholderError("precision=0…8", opt)
            precision = int(value)
        elif _WORD.match(key):
            dims.append((key, value))
        else:
            raise PlaceholderError(_one_of(["entity=", "unit=", "precision=", "DIMENSION=MEMBER"]), opt)
    return Placeholder(kind, indicator, tuple(years) or ("P",), entity, tuple(sorted(dims)),
                       unit, precision)


def resolve_year(token: str, period: int) -> int:
    if token == "P":
        return period
    if token.startswith("P-"):
        return period - int(token[2:])
    return int(token)


def placeholders(text: str) -> Iterator[tuple[int, str, str]]:
    """``(line offset, whole match, inside)`` of every placeholder in ``text``."""
    for m in PLACEHOLDER.finditer(text):
        yield text.count("\n", 0, m.start()), m.group(0), m.group(1)


def stray_braces(text: str) -> Iterator[tuple[int, str]]:
    """``{{`` or ``}}`` left over once every complete placeholder is removed."""
    rest = PLACEHOLDER.sub(lambda m: "\0" * len(m.group(0)), text)
    for m in re.finditer(r"\{\{|\}\}", rest):
        line_end = rest.find("\n", m.start())
        snippet = text[m.start(): line_end if line_end >= 0 else len(text)][:40]
        yield text.count("\n", 0, m.start()), snippet
