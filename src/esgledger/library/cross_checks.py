"""The checks of a library across its files, each problem at the file and line it comes from:
an indicator's topic, unit, dimensions, members, kind and framework codes (ESG-LIB-002, -004,
-008), a formula parsed (ESG-LIB-005), what it reads and the unit it gives (ESG-LIB-006, -007),
formulas reading each other in a cycle (ESG-LIB-009), and a dimension member's ``within``.
:func:`esgledger.library.loader.load_library_from` runs them.
"""
from __future__ import annotations

from decimal import Decimal

from esgledger.model.errors import Bilingual, Location, Problem, ProblemList
from esgledger.model.formula import FormulaError, FormulaUnitMismatch, Node, parse, unit_of
from esgledger.model.units import UNITS, unit_name
from esgledger.library.indicator_library import FRAMEWORK_FILES
from esgledger.library.schema import Dimension


def check_member_within(dimensions: dict[str, Dimension], where: dict[tuple[str, str], tuple],
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

def check_indicator(ind, loc, topics, dimensions, frameworks, problems, rejected=frozenset()) -> None:
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


def parse_formula(text: str, loc: Location, problems: ProblemList) -> Node | None:
    try:
        return parse(text)
    except FormulaError as exc:
        problems.append(Problem("ESG-LIB-005", loc, {"formula": text, "found": exc.message}))
        return None


def check_formula(ind, node, loc, indicators, problems, rejected=frozenset()) -> None:
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


def check_cycles(formulas: dict[str, Node], origin: dict[str, str], problems: ProblemList) -> None:
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
