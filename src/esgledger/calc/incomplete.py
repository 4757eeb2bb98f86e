"""The mark of a calculated figure that leaves out a source it should include.

When a methodology cannot run for one source of one entity (ESG-CALC-005: a per-tonne
equation with no output, a technology without the method's coefficients), the run still writes
the totals that should have included it — the entity's figure of that source (0 when none of
it could run), its Scope 1, its ETS enterprise's emissions, the product footprints of its
stage — and every consolidated figure and formula above them, each
with this mark in its ``comment``, so that none of them looks complete (audit A3-H2). An energy
carrier that cannot be converted to standard coal (GB/T 2589) is left out the same way: the
entity's energy consumption, its stage's energy per tonne of product and everything above them
carry the mark, its source written ``energy:<carrier>`` (:func:`energy_source`).

The comment is stored in one language-neutral form, the same whichever language the run is in
(a full and an incremental run write the same text), and :func:`describe` says it in the
reader's language::

    incomplete: V/pfc (ESG-CALC-005); W/combustion (ESG-CALC-005)

>>> m = mark([("V", "pfc", "ESG-CALC-005")])
>>> m
'incomplete: V/pfc (ESG-CALC-005)'
>>> merge([m, mark([("W", "combustion", "ESG-CALC-005")]), None])
'incomplete: V/pfc (ESG-CALC-005); W/combustion (ESG-CALC-005)'
>>> describe(m, "zh")
'不完整：未计入 V 的 pfc 排放源（ESG-CALC-005）'
>>> describe(m, "en")
'incomplete: leaves out source pfc of V (ESG-CALC-005)'
>>> describe(mark([("P", energy_source("heat"), "ESG-CALC-005")]), "en")
'incomplete: leaves out energy use heat of P (ESG-CALC-005)'
>>> describe(mark([("P", energy_source("heat"), "ESG-CALC-005")]), "zh")
'不完整：未计入 P 的 heat 能源消费（ESG-CALC-005）'
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

PREFIX = "incomplete: "
ENERGY = "energy:"  # an energy carrier left out of energy consumption, not an emission source
_ITEM = re.compile(r"^(.+)/((?:energy:)?[A-Za-z0-9_]+) \(([A-Z]+-[A-Z]+-\d+)\)$")

Item = tuple[str, str, str]  # (entity, emission source or energy:<carrier>, problem code)


def energy_source(carrier: str) -> str:
    """The source of an item that leaves an energy carrier out of energy consumption."""
    return ENERGY + carrier


def mark(items: Iterable[Item]) -> str | None:
    """The comment of a figure leaving out these (entity, source, code); None for none."""
    items = sorted(set(items))
    if not items:
        return None
    return PREFIX + "; ".join(f"{e}/{s} ({c})" for e, s, c in items)


def parse(comment: str | None) -> tuple[Item, ...]:
    """The (entity, source, code) a comment marks as left out; () for any other comment."""
    if not comment or not comment.startswith(PREFIX):
        return ()
    out = []
    for part in comment[len(PREFIX):].split("; "):
        m = _ITEM.match(part)
        if m:
            out.append((m.group(1), m.group(2), m.group(3)))
    return tuple(out)


def is_incomplete(comment: str | None) -> bool:
    return bool(comment) and comment.startswith(PREFIX)


def merge(comments: Iterable[str | None]) -> str | None:
    """One mark for a figure computed from figures with these comments (None: none marked)."""
    items: list[Item] = []
    for c in comments:
        if c and c.startswith(PREFIX):
            items += parse(c)
    return mark(items)


def describe(comment: str | None, lang: str, entity_name: Callable[[str], str] | None = None,
             source_name: Callable[[str], str] | None = None) -> str | None:
    """The mark in the reader's language, naming each entity and source (by the given namers,
    else by code) and the problem that kept it out; None for a comment that is not a mark."""
    items = parse(comment)
    if not items:
        return None
    ent = entity_name or (lambda c: c)
    src = source_name or (lambda s: s[len(ENERGY):] if s.startswith(ENERGY) else s)
    if lang == "zh":
        return "不完整：" + "；".join(f"未计入 {ent(e)} 的 {src(s)} {'能源消费' if s.startswith(ENERGY) else '排放源'}（{c}）"
                                   for e, s, c in items)
    return "incomplete: " + "; ".join(
        f"leaves out {'energy use' if s.startswith(ENERGY) else 'source'} {src(s)} of {ent(e)} ({c})"
        for e, s, c in items)


def namers(tree, library, lang: str) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """Entity and emission-source namers for :func:`describe`: ``V（上插槽系列）`` /
    ``V (VSS potline)``, and the source's member name of the ``emission_source`` dimension (an
    energy carrier's, ``energy:heat``, of the ``fuel`` dimension: 热力（heat） / Heat (heat))."""
    lang = lang if lang in ("zh", "en") else "en"

    def entity(code: str) -> str:
        e = tree.entities.get(code) if tree is not None else None
        name = e.name(lang) if e is not None else None
        if not name or name == code:
            return code
        return f"{code}（{name}）" if lang == "zh" else f"{code} ({name})"

    def source(code: str) -> str:
        dim = "emission_source"
        if code.startswith(ENERGY):
            dim, code = "fuel", code[len(ENERGY):]
        text = library.dimension_member_label(dim, code, lang) if library is not None else code
        if text == code:
            return code
        return f"{text}（{code}）" if lang == "zh" else f"{text} ({code})"

    return entity, source


class Footnotes:
    """The marks of the figures a printed table shows (``calc run --view``, ``calc reconcile``):
    a marked figure's cell takes a reference, ``*1``, ``*2`` … by mark in the order first met,
    and :meth:`lines` says each mark under the table in the reader's language.

    >>> notes = Footnotes()
    >>> notes.ref("incomplete: V/pfc (ESG-CALC-005)"), notes.ref(None), notes.ref("as published")
    ('*1', '', '')
    >>> notes.lines("en")
    ['*1 incomplete: leaves out source pfc of V (ESG-CALC-005)']
    """

    def __init__(self) -> None:
        self.marks: dict[str, int] = {}

    def ref(self, comment: str | None) -> str:
        """The reference of a figure with this comment: '' when it is not a mark."""
        if not parse(comment):
            return ""
        return f"*{self.marks.setdefault(comment, len(self.marks) + 1)}"

    def cell(self, text: str, comment: str | None) -> str:
        """A printed figure with its reference, if it has one: ``17,000 *1``."""
        ref = self.ref(comment)
        return f"{text} {ref}" if ref else text

    def lines(self, lang: str, entity_name: Callable[[str], str] | None = None,
              source_name: Callable[[str], str] | None = None) -> list[str]:
        return [f"*{n} {describe(c, lang, entity_name, source_name)}" for c, n in self.marks.items()]


__all__ = ["Footnotes", "ENERGY", "PREFIX", "describe", "energy_source", "is_incomplete", "mark", "merge", "namers", "parse"]
