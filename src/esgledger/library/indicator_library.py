"""The loaded indicator library as a record: :class:`Library` (indicators, topics, dimensions,
framework tables, parsed formulas) with the lookups the rest of esgledger asks of it, and
:class:`FrameworkCode` (one row of a framework table).

The files it is read from, and the checks on them, are :mod:`esgledger.library.loader` (which
hands on these names) and :mod:`esgledger.library.cross_checks`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from esgledger.model.formula import Node
from esgledger.library.schema import Dimension, Indicator, Member, Topic

FRAMEWORK_FILES = {
    "szse17": ("szse17.csv", "article_no"),
    "gri": ("gri.csv", "code"),
    "cass": ("cass_esg6.csv", "code"),
    "issb_s2": ("issb_s2.csv", "code"),
    "sasb": ("sasb_em_mm.csv", "code"),
    "sdg": ("sdgs.csv", "sdg"),
}
FRAMEWORK_NAMES = {
    "szse17": {"zh": "深交所《上市公司自律监管指引第17号——可持续发展报告》", "en": "SZSE Guideline No.17"},
    "gri": {"zh": "GRI 可持续发展报告标准", "en": "GRI Standards"},
    "cass": {"zh": "中国企业可持续发展报告指南 CASS-ESG 6.0", "en": "CASS-ESG 6.0"},
    "issb_s2": {"zh": "IFRS S2 气候相关披露", "en": "IFRS S2"},
    "sasb": {"zh": "SASB 金属与采矿", "en": "SASB Metals & Mining"},
    "sdg": {"zh": "联合国可持续发展目标", "en": "UN SDGs"},
}


@dataclass(frozen=True)
class FrameworkCode:
    framework: str
    code: str
    title: str
    confidence: str
    row: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    title_zh: str = ""  # the Chinese title, where the table has one (gri: required)

    def title_in(self, lang: str) -> str:
        """The title in ``lang``: the Chinese title for zh where there is one, else the English."""
        return self.title_zh if lang == "zh" and self.title_zh else self.title

def reachable(start: Iterable[str], deps: dict[str, set[str]]) -> set[str]:
    """Every code reachable from ``start`` along ``deps`` (code → codes that depend on it),
    transitively; ``start`` itself only where another start code leads to it."""
    out: set[str] = set()
    todo = list(start)
    while todo:
        for d in deps.get(todo.pop(), ()):
            if d not in out:
                out.add(d)
                todo.append(d)
    return out


@dataclass
class Library:
    """The loaded indicator library: indicators, topics, dimensions and framework tables."""

    indicators: dict[str, Indicator]
    topics: dict[str, Topic]
    dimensions: dict[str, Dimension]
    frameworks: dict[str, dict[str, FrameworkCode]]
    formulas: dict[str, Node]
    checks: dict[str, Node]
    origin: dict[str, str]  # indicator code -> "file:line"
    rules: list[dict] = field(default_factory=list)  # the cross-indicator rule pack
    fingerprint: str = ""  # sha256 of every file read: a calculation run records it
    # what :meth:`derived` built, by name
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def derived(self, name: str, build):
        """``build()``, computed once for this library and kept under ``name``: lookups a
        calculation makes from the library alone (which formulas read an indicator, the
        weighted means), shared by every run over it. A library is not changed once loaded (a
        calculation's kept state already holds to the library object it ran with), and what
        this returns is read, never changed."""
        got = self._derived.get(name)
        if got is None:
            got = self._derived[name] = build()
        return got

    def closure(self, changed: set[str]) -> set[str]:
        """``changed`` and every indicator whose value depends on them (formulas reading them,
        weighted means weighted by them), transitively."""
        deps = self.dependents()
        for code, ind in self.indicators.items():
            if ind.weight:
                deps.setdefault(ind.weight, set()).add(code)
        return set(changed) | reachable(changed, deps)

    def __contains__(self, code: str) -> bool:
        return code in self.indicators

    def __getitem__(self, code: str) -> Indicator:
        return self.indicators[code]

    def get(self, code: str) -> Indicator | None:
        return self.indicators.get(code)

    def framework_refs(self, ind: Indicator) -> dict[str, list[FrameworkCode]]:
        out: dict[str, list[FrameworkCode]] = {}
        for fw in FRAMEWORK_FILES:
            codes = getattr(ind.frameworks, fw)
            out[fw] = [self.frameworks[fw][str(c)] for c in codes]
        return out

    def dependents(self) -> dict[str, set[str]]:
        """indicator -> the formula indicators that read it."""
        deps: dict[str, set[str]] = {}
        for code, node in self.formulas.items():
            for r in node.refs():
                deps.setdefault(r.indicator, set()).add(code)
        return deps

    def formula_order(self) -> list[str]:
        """Formula indicators in an order where inputs come before what reads them."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(code: str) -> None:
            if code in seen:
                return
            seen.add(code)
            for r in self.formulas[code].refs():
                if r.indicator in self.formulas:
                    visit(r.indicator)
            order.append(code)

        for code in self.formulas:
            visit(code)
        return order

    def levels_of(self, code: str) -> tuple[str, ...]:
        """The entity levels a campaign asks ``code`` of: the indicator's ``levels``, else its
        topic's; empty: every level."""
        ind = self.indicators[code]
        if ind.levels:
            return tuple(ind.levels)
        topic = self.topics.get(ind.topic)
        return tuple(topic.levels) if topic is not None else ()

    def members_of(self, code: str, dim: str) -> list[Member]:
        """The members of ``dim`` that indicator ``code`` is broken down by: those its
        ``members`` names for the dimension, else every member."""
        chosen = self.indicators[code].members.get(dim)
        members = self.dimensions[dim].members
        return members if chosen is None else [m for m in members if m.code in chosen]

    def members_text(self, code: str, dim: str):
        """The members of ``dim`` indicator ``code`` takes, as an "allowed: …" list in both
        languages: codes with their Chinese names in Chinese (female（女性）、male（男性）), codes
        in English."""
        from esgledger.model.errors import Bilingual

        ms = self.members_of(code, dim)
        return Bilingual("、".join(f"{m.code}（{m.name.zh}）" if m.name.zh and m.name.zh != m.code else m.code
                                  for m in ms),
                         ", ".join(m.code for m in ms))

    def dimension_member_label(self, dim: str, member: str, lang: str) -> str:
        d = self.dimensions.get(dim)
        if d is None:
            return member
        for m in d.members:
            if m.code == member:
                return m.name.get(lang)
        return member

    def resolve_member(self, dim: str, text: str) -> str | None:
        """A dimension member code from its code or its zh/en name."""
        d = self.dimensions.get(dim)
        if d is None:
            return None
        t = str(text).strip()
        for m in d.members:
            if t in (m.code, m.name.zh, m.name.en) or t.lower() == m.name.en.lower():
                return m.code
        return None
