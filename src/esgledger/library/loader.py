"""Load and check the indicator library: data files in, a :class:`Library` or problems out.

Loading is one function from files to ``(library, problems)``; a library with any error is
never returned half-loaded (:func:`load_library` raises :class:`LibraryError` instead).
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import ValidationError

from esgledger.model.errors import (Bilingual, EsgledgerError, Location, Problem, ProblemList, found_text,
                                    pydantic_problems, reason)
from esgledger.model.textfile import expected_utf8, read_utf8
from esgledger.model.formula import FormulaError, FormulaUnitMismatch, Node, Ref, parse, unit_of
from esgledger.model.units import UNITS, unit_name
from esgledger.library.schema import Dimension, Indicator, Member, Topic, UserDimension

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


class LibraryError(EsgledgerError, ValueError):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = ProblemList(problems)
        super().__init__("\n".join(p.render("en") for p in self.problems[:30]))


# Columns a framework table must fill on every row (checked at load, reported with file:line).
REQUIRED_COLUMNS = {
    "gri": ("title_zh",),  # the Chinese disclosure title printed by the zh GRI content index
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


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping as ``__line__``."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_lines(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip_lines(v) for v in obj]
    return obj


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


# --------------------------------------------------------------------------------------
def _read_frameworks(root, problems: ProblemList) -> dict[str, dict[str, FrameworkCode]]:
    out: dict[str, dict[str, FrameworkCode]] = {}
    for fw, (fname, key) in FRAMEWORK_FILES.items():
        text = root.joinpath("frameworks", fname).read_text(encoding="utf-8")
        where = f"frameworks/{fname}"
        reader = csv.DictReader(io.StringIO(text))
        required = REQUIRED_COLUMNS.get(fw, ())
        absent = [c for c in required if c not in (reader.fieldnames or [])]
        for c in absent:
            problems.append(Problem("ESG-LIB-001", Location(file=where, line=1), {
                "expected": Bilingual(f"含 {c} 列的 CSV 表", f"a CSV table with a {c} column"), "found": ",".join(reader.fieldnames or [])}))
        table: dict[str, FrameworkCode] = {}
        for row in reader:
            code = row[key].strip()
            for c in required:
                if c not in absent and not (row.get(c) or "").strip():
                    problems.append(Problem("ESG-LIB-002", Location(file=where, line=reader.line_num, field=code),
                                            {"field": c, "expected": Bilingual("非空的值", "a non-empty value"),
                                             "found": found_text(row.get(c) or None)}))
            title = (row.get("title") or row.get("topic_en") or row.get("name_en")
                     or row.get("title_en") or row.get("metric") or "")
            title_zh = (row.get("title_zh") or row.get("topic_zh") or row.get("name_zh") or "").strip()
            table[code] = FrameworkCode(fw, code, title, (row.get("confidence") or "R").strip(), row, title_zh)
        out[fw] = table
    return out


def _yaml_items(text: str, fname: str, section: str, problems: ProblemList) -> list[dict]:
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem("ESG-LIB-001", Location(file=fname, line=(mark.line + 1) if mark else None),
                                {"expected": "YAML", "found": reason(exc)}))
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(section), list):
        problems.append(Problem("ESG-LIB-001", Location(file=fname, line=1),
                                {"expected": Bilingual(f"含 {section} 列表的映射", f"a mapping with a list '{section}'"),
                                 "found": Bilingual("空文件", "an empty file") if doc is None else found_text(doc)}))
        return []
    return [item for item in doc[section]]


def _validate(model, item: Any, fname: str, problems: ProblemList):
    line = item.get("__line__") if isinstance(item, dict) else None
    if not isinstance(item, dict):
        problems.append(Problem("ESG-LIB-002", Location(file=fname, line=line),
                                {"field": "-", "expected": Bilingual("映射（键: 值）", "a mapping"), "found": found_text(item)}))
        return None
    try:
        return model.model_validate(_strip_lines(item)), line
    except ValidationError as exc:
        for where, expected, found in pydantic_problems(exc):
            fld = ".".join(str(p) for p in where)
            problems.append(Problem("ESG-LIB-002", Location(file=fname, line=line, field=item.get("code")),
                                    {"field": fld, "expected": expected, "found": found}))
        return None


def _member_lines(item, fname: str) -> dict[str, tuple[str, int | None]]:
    """Where each member of a dimensions.yaml entry is written: (file, line) by member code."""
    out = {}
    members = item.get("members") if isinstance(item, dict) else None
    for m in members if isinstance(members, list) else ():
        if isinstance(m, dict) and isinstance(m.get("code"), str):
            out[m["code"]] = (fname, m.get("__line__"))
    return out


def _check_member_within(dimensions: dict[str, Dimension], where: dict[tuple[str, str], tuple],
                         problems: ProblemList) -> None:
    """A member's ``within`` (the materials a supplier sells) names members of the dimension
    its own is reported within, and only a member of such a dimension has one (ESG-LIB-002)."""
    for d in dimensions.values():
        outer = dimensions.get(d.within) if d.within is not None else None
        for m in d.members:
            if m.within is None:
                continue
            fname, line = where.get((d.code, m.code), ("dimensions.yaml", None))
            loc = Location(file=fname, line=line, field=f"{d.code}={m.code}")
            if outer is None:
                problems.append(Problem("ESG-LIB-002", loc, {
                    "field": "within", "found": ", ".join(m.within),
                    "expected": Bilingual(f"无（维度 {d.code} 不嵌套在其他维度之下）",
                                          f"none (dimension {d.code} is not reported within another)")}))
                continue
            codes = [o.code for o in outer.members]
            unknown = [c for c in m.within if c not in codes]
            if unknown:
                problems.append(Problem("ESG-LIB-002", loc, {
                    "field": "within", "found": ", ".join(unknown),
                    "expected": Bilingual(f"{outer.code} 的成员：{', '.join(codes)}",
                                          f"members of {outer.code}: {', '.join(codes)}")}))


def _merge_dimensions(dimensions: dict[str, Dimension], text: str, fname: str, problems: ProblemList,
                      where: dict[tuple[str, str], tuple] | None = None, rejected: set[str] | None = None) -> None:
    """Add a workspace's ``dimensions.yaml`` to the shipped dimensions: members of a known
    dimension are appended to it (a member code it has already is ESG-LIB-003), an unknown
    code is a new dimension and needs a name (ESG-LIB-002). ``where`` gets the file and line
    of each member added; ``rejected`` the codes of entries that are malformed."""
    for item in _yaml_items(text, fname, "dimensions", problems):
        got = _validate(UserDimension, item, fname, problems)
        if not got:
            if rejected is not None:
                rejected.update(_code_of(item))
            continue
        ud, line = got
        if where is not None:
            where.update({(ud.code, c): at for c, at in _member_lines(item, fname).items()})
        known = dimensions.get(ud.code)
        if known is None:
            if ud.name is None:
                problems.append(Problem("ESG-LIB-002", Location(file=fname, line=line, field=ud.code), {
                    "field": "name", "expected": Bilingual("新维度的中英文名称", "the zh/en name of a new dimension"),
                    "found": Bilingual("无", "none")}))
                if rejected is not None:
                    rejected.add(ud.code)
                continue
            known = Dimension(code=ud.code, name=ud.name, members=[])
        members = list(known.members)
        codes = {m.code for m in members}
        for m in ud.members:
            if m.code in codes:
                problems.append(Problem("ESG-LIB-003", Location(file=fname, line=line, field=ud.code),
                                        {"found": f"{ud.code}={m.code}", "first": "dimensions.yaml"}))
                continue
            codes.add(m.code)
            members.append(m)
        dimensions[ud.code] = known.model_copy(update={"members": members})


def load_library_from(root, extra_dirs: Iterable[Path] = ()) -> tuple[Library | None, ProblemList]:
    """Load the library from ``root`` (a Traversable with ``indicators/*.yaml``,
    ``topics.yaml``, ``dimensions.yaml`` and ``frameworks/``) plus user folders."""
    problems = ProblemList()
    # codes of entries already reported as malformed: what names them is not reported again
    # (an indicator over a dimension, a formula over an indicator, that failed to load)
    rejected: set[str] = set()
    frameworks = _read_frameworks(root, problems)

    dimensions: dict[str, Dimension] = {}
    dim_lines: dict[str, int | None] = {}
    member_at: dict[tuple[str, str], tuple[str, int | None]] = {}  # (dimension, member) -> (file, line)
    for item in _yaml_items(root.joinpath("dimensions.yaml").read_text(encoding="utf-8"),
                            "dimensions.yaml", "dimensions", problems):
        got = _validate(Dimension, item, "dimensions.yaml", problems)
        if not got:
            rejected.update(_code_of(item))
        else:
            dimensions[got[0].code] = got[0]
            dim_lines[got[0].code] = got[1]
            member_at.update({(got[0].code, c): at for c, at in _member_lines(item, "dimensions.yaml").items()})
    for d in dimensions.values():  # one level: a supplier within a material, not deeper
        if d.within is not None and (d.within not in dimensions or d.within == d.code
                                     or dimensions[d.within].within is not None):
            problems.append(Problem(
                "ESG-LIB-002", Location(file="dimensions.yaml", line=dim_lines[d.code], field=d.code), {
                    "field": "within", "found": d.within,
                    "expected": Bilingual("dimensions.yaml 中另一个本身未嵌套的维度",
                                          "another dimension of dimensions.yaml, not itself within one")}))
    topics: dict[str, Topic] = {}
    for item in _yaml_items(root.joinpath("topics.yaml").read_text(encoding="utf-8"),
                            "topics.yaml", "topics", problems):
        got = _validate(Topic, item, "topics.yaml", problems)
        if got:
            topics[got[0].code] = got[0]

    files: list[tuple[str, str]] = []
    digest = hashlib.sha256()
    for name in ("dimensions.yaml", "topics.yaml", "rules.yaml"):
        digest.update(root.joinpath(name).read_bytes())
    ind_dir = root.joinpath("indicators")
    for entry in sorted(ind_dir.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            files.append((f"indicators/{entry.name}", entry.read_text(encoding="utf-8")))
    rules = _yaml_items(root.joinpath("rules.yaml").read_text(encoding="utf-8"), "rules.yaml", "rules", problems)
    for d in extra_dirs:
        for p in sorted(Path(d).glob("*.yaml")):
            text, bad = read_utf8(p)  # a workspace's own file, perhaps saved as GBK
            if bad is not None:
                problems.append(Problem("ESG-LIB-001", Location(file=str(p), line=bad.line),
                                        {"expected": expected_utf8("YAML"), "found": bad.found()}))
                continue
            if p.name == "rules.yaml":  # a workspace's own rule pack
                rules += _yaml_items(text, str(p), "rules", problems)
            elif p.name == "dimensions.yaml":  # a workspace's own members and dimensions
                digest.update(str(p).encode() + b"\0" + text.encode())
                _merge_dimensions(dimensions, text, str(p), problems, member_at, rejected)
            else:
                files.append((str(p), text))
    _check_member_within(dimensions, member_at, problems)

    indicators: dict[str, Indicator] = {}
    origin: dict[str, str] = {}
    for fname, text in files:
        digest.update(fname.encode() + b"\0" + text.encode())
        for item in _yaml_items(text, fname, "indicators", problems):
            got = _validate(Indicator, item, fname, problems)
            if not got:
                rejected.update(_code_of(item))
                continue
            ind, line = got
            where = f"{fname}:{line}"
            if ind.code in indicators:
                problems.append(Problem("ESG-LIB-003", Location(file=fname, line=line),
                                        {"found": ind.code, "first": origin[ind.code]}))
                continue
            indicators[ind.code] = ind
            origin[ind.code] = where

    formulas: dict[str, Node] = {}
    checks: dict[str, Node] = {}
    for code, ind in indicators.items():
        fname, _, line = origin[code].rpartition(":")
        loc = Location(file=fname, line=int(line), field=code)
        _check_indicator(ind, loc, topics, dimensions, frameworks, problems, rejected)
        if ind.kind == "formula":
            node = _parse_formula(ind.formula, loc, problems)
            if node is not None:
                formulas[code] = node
        if ind.check is not None:
            node = _parse_formula(ind.check.formula, loc, problems)
            if node is not None:
                checks[code] = node
    for code, node in list(formulas.items()) + list(checks.items()):
        fname, _, line = origin[code].rpartition(":")
        loc = Location(file=fname, line=int(line), field=code)
        _check_formula(indicators[code], node, loc, indicators, problems, rejected)
    _check_cycles(formulas, origin, problems)

    if problems.errors:
        return None, problems
    for r in rules:
        # ESG-VAL-003 names a target and the figure it is about; ESG-VAL-007 a part and its whole
        keys = ("indicator", "than") if isinstance(r, dict) and r.get("code") == "ESG-VAL-007" else ("target", "indicator")
        for key in keys:
            if isinstance(r, dict) and r.get(key) not in indicators:
                problems.append(Problem("ESG-LIB-006", Location(file="rules.yaml", line=r.get("__line__")), {
                    "formula": r.get("code"), "found": r.get(key)}))
    if problems.errors:
        return None, problems
    return (Library(indicators, topics, dimensions, frameworks, formulas, checks, origin,
                    [_strip_lines(r) for r in rules], digest.hexdigest()), problems)


def _code_of(item) -> set[str]:
    """The code a malformed entry gives itself, if any (to recognise it where it is named)."""
    code = item.get("code") if isinstance(item, dict) else None
    return {code} if isinstance(code, str) else set()


def _check_indicator(ind, loc, topics, dimensions, frameworks, problems, rejected=frozenset()) -> None:
    def bad(fld, expected, found):
        problems.append(Problem("ESG-LIB-002", loc, {"field": fld, "expected": expected, "found": found}))

    if ind.topic not in topics:
        bad("topic", Bilingual("topics.yaml 中的议题", "a topic of topics.yaml"), ind.topic)
    if ind.value_type == "number":
        if ind.unit is None:
            bad("unit", Bilingual("数值型指标的单位", "a unit for a number indicator"), Bilingual("无", "none"))
        elif not UNITS.is_known(ind.unit):
            problems.append(Problem("ESG-LIB-008", loc, {"found": ind.unit}))
    elif not ind.values:
        bad("values", Bilingual("分类型指标的允许取值", "the allowed values of a category indicator"),
            Bilingual("无", "none"))
    for d in ind.dimensions:
        if d not in dimensions and d not in rejected:  # a malformed dimension is reported once, itself
            bad("dimensions", Bilingual("dimensions.yaml 中的维度", "a dimension of dimensions.yaml"), d)
    for d, chosen in ind.members.items():  # the members it is broken down by
        if d not in ind.dimensions:
            bad("members", Bilingual(f"它所细分的维度：{', '.join(ind.dimensions) or '无'}",
                                     f"a dimension it takes: {', '.join(ind.dimensions) or 'none'}"), d)
        elif d in dimensions:
            codes = [m.code for m in dimensions[d].members]
            unknown = [c for c in chosen if c not in codes]
            if unknown or not chosen:
                bad("members", Bilingual(f"{d} 的成员：{', '.join(codes)}", f"members of {d}: {', '.join(codes)}"),
                    ", ".join(unknown) or Bilingual("无", "none"))
    if ind.kind == "formula" and not ind.formula:
        bad("formula", Bilingual("kind 为 formula 时的公式", "a formula for kind formula"), Bilingual("无", "none"))
    if ind.kind != "formula" and ind.formula:
        bad("kind", Bilingual("formula（已给出公式）", "formula (a formula is given)"), ind.kind)
    if ind.kind == "method" and not ind.method:
        bad("method", Bilingual("计算它的方法", "the methodology that computes it"), Bilingual("无", "none"))
    if ind.aggregation == "weighted_mean" and not ind.weight:
        bad("weight", Bilingual("weighted_mean 所用的权重指标", "a weighting indicator for weighted_mean"),
            Bilingual("无", "none"))
    if ind.measured_at == "period_end" and ind.kind == "formula":
        bad("measured_at", Bilingual("period（公式指标由其输入重新计算）", "period (a formula is recomputed from its inputs)"),
            ind.measured_at)
    if ind.aggregation == "recompute" and ind.kind != "formula":
        bad("aggregation", Bilingual("仅公式指标可用 recompute", "recompute only for formula indicators"), ind.kind)
    for fw in FRAMEWORK_FILES:
        for c in getattr(ind.frameworks, fw):
            if str(c) not in frameworks[fw]:
                problems.append(Problem("ESG-LIB-004", loc, {"framework": fw, "found": c}))


def _parse_formula(text: str, loc: Location, problems: ProblemList) -> Node | None:
    try:
        return parse(text)
    except FormulaError as exc:
        problems.append(Problem("ESG-LIB-005", loc, {"formula": text, "found": exc.message}))
        return None


def _check_formula(ind, node, loc, indicators, problems, rejected=frozenset()) -> None:
    text = ind.formula if ind.kind == "formula" else ind.check.formula
    ok = True
    for r in node.refs():
        target = indicators.get(r.indicator)
        if target is None:
            if r.indicator not in rejected:  # a malformed indicator is reported once, itself
                problems.append(Problem("ESG-LIB-006", loc, {"formula": text, "found": r.indicator}))
            ok = False
            continue
        if target.value_type == "number" and (target.unit is None or not UNITS.is_known(target.unit)):
            ok = False  # its unit is reported at it (ESG-LIB-002, -008): no unit to check against
            continue
        for k, _v in r.dims:
            if k not in target.dimensions:
                problems.append(Problem("ESG-LIB-006", loc, {"formula": text, "found": f"{r.indicator}[{k}]"}))
                ok = False
        if target.value_type != "number":
            problems.append(Problem("ESG-LIB-007", loc, {"formula": text, "found": Bilingual(
                f"分类型指标 {r.indicator}（非数值）", f"the category indicator {r.indicator} (not a number)"),
                                                           "expected": unit_name(ind.unit)}))
            ok = False
    if not ok or ind.unit is None or not UNITS.is_known(ind.unit):
        return
    try:
        q = unit_of(node, lambda r: UNITS.quantity(indicators[r.indicator].unit), UNITS.ureg.Quantity(Decimal(1)))
        target = UNITS.quantity(ind.unit)
        if getattr(q, "dimensionality", {}) != target.dimensionality:
            problems.append(Problem("ESG-LIB-007", loc, {"formula": text, "found": _units_text(q),
                                                         "expected": unit_name(ind.unit)}))
            return
    except FormulaUnitMismatch as exc:  # terms of a sum in different units
        if len(exc.quantities) == 2:
            a, b = (_units_text(q) for q in exc.quantities)
            found = Bilingual(f"{a.zh} ± {b.zh}", f"{a.en} ± {b.en}")
        else:
            found = f"{exc.left} ± {exc.right}"
        problems.append(Problem("ESG-LIB-007", loc, {"formula": text, "found": found,
                                                     "expected": unit_name(ind.unit)}))
    except Exception as exc:  # pint DimensionalityError or UnitError
        found = str(getattr(exc, "unit", "")) or type(exc).__name__
        problems.append(Problem("ESG-LIB-007", loc, {"formula": text, "found": found, "expected": unit_name(ind.unit)}))


def _units_text(q) -> Bilingual:
    """A formula's unit (a pint quantity) as a person writes it: in English pint's short form
    (``MWh / person``), in Chinese each unit by the name the units table gives it (兆瓦时/人)."""
    en = f"{q.units:~}" if hasattr(q, "units") else str(q)
    for sym in UNITS.symbols:  # a unit of the table (万元, 兆瓦时): by its name
        try:
            if UNITS.quantity(sym) == q:
                return Bilingual(UNITS.display(sym, "zh") or sym, UNITS.display(sym, "en") or sym)
        except Exception:  # noqa: BLE001 - a symbol pint cannot compare with q
            continue
    by_pint = {str(spec.get("pint")): sym for sym, spec in UNITS.symbols.items()}
    parts = []
    for name, power in getattr(q.units, "_units", {}).items():
        sym = by_pint.get(name)
        shown = UNITS.display(sym, "zh") if sym else f"{UNITS.ureg.Unit(name):~}"
        parts.append((shown, power))
    top = "·".join(s + (f"^{p}" if p != 1 else "") for s, p in parts if p > 0) or "1"
    bottom = "·".join(s + (f"^{-p}" if p != -1 else "") for s, p in parts if p < 0)
    return Bilingual(top + ("/" + bottom if bottom else ""), en)


def _check_cycles(formulas: dict[str, Node], origin: dict[str, str], problems: ProblemList) -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(code: str) -> bool:
        state[code] = 1
        stack.append(code)
        for r in formulas[code].refs():
            if r.indicator not in formulas:
                continue
            s = state.get(r.indicator, 0)
            if s == 1:
                cyc = stack[stack.index(r.indicator):] + [r.indicator]
                fname, _, line = origin[code].rpartition(":")
                problems.append(Problem("ESG-LIB-009", Location(file=fname, line=int(line), field=code),
                                        {"found": " -> ".join(cyc)}))
                return True
            if s == 0 and visit(r.indicator):
                return True
        stack.pop()
        state[code] = 2
        return False

    for code in formulas:
        if state.get(code, 0) == 0:
            if visit(code):
                return


_CACHE: dict[tuple, Library] = {}


def files_digest(path: Path) -> str:
    """What a workspace's folder of YAML files (or one such file) holds: names and bytes. The
    library and the factor sets are loaded once per content, not once per path."""
    h = hashlib.sha256()
    for p in [path] if path.is_file() else sorted(path.glob("*.yaml")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def load_library(extra_dirs: Iterable[Path] = ()) -> Library:
    """The shipped library (plus a workspace's own indicator files); raises LibraryError.
    Loaded once per content of those files: a file edited since (a supplier added to
    ``dimensions.yaml``) gives a new library, so a process that keeps running sees it."""
    key = tuple((str(d), files_digest(Path(d))) for d in extra_dirs)
    if key not in _CACHE:
        root = resources.files("esgledger.library").joinpath("data")
        lib, problems = load_library_from(root, extra_dirs)
        if lib is None:
            raise LibraryError(problems.errors)
        _CACHE[key] = lib
    return _CACHE[key]
