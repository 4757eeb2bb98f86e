"""Validation rules over the ledger: small, catalogued, selectable by code.

Each rule is a function registered under its problem code in :data:`RULES`; it reads an
input package (the current facts of one period) and yields warnings. Rules that belong to one
indicator are declared in the indicator library (``breakdown_sums``, ``check``); rules across
indicators live in the rule pack ``library/data/rules.yaml``.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Iterable, Iterator

from esgledger.calc.consolidate import formula_factor_for
from esgledger.library.loader import Library
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList, indicator_name
from esgledger.model.formula import FormulaZeroDivision, parse
from esgledger.model.period import Period
from esgledger.model.types import Dims, FactRecord
from esgledger.model.units import plain, range_text, with_unit

Package = dict[tuple[str, str, str, str], FactRecord]  # (entity, basis, indicator, dims) -> fact
Rule = Callable[[Library, Package, str], Iterator[Problem]]
RULES: dict[str, Rule] = {}
# rules that also read the same period a year earlier (run_rules gives them those facts)
WITH_LAST_YEAR: set[str] = set()


def rule(code: str, *, last_year: bool = False):
    def register(fn: Rule) -> Rule:
        RULES[code] = fn
        if last_year:
            WITH_LAST_YEAR.add(code)
        return fn
    return register


def round_half_up(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# a consolidated value, as a warning about it says so (A2-L2: the same figure warned about as
# entered and as consolidated read as one warning printed twice)
_CONSOLIDATED = {"control": ("运营控制权法合并值", "consolidated, operational control"),
                 "equity": ("股权比例法合并值", "consolidated, equity share")}


def _shown(f: FactRecord, ind) -> Bilingual:
    """A value with its unit as a warning shows it, and for a consolidated one its basis:
    运营控制权法合并值 132861.32 万元 / 132861.32 CNY 10k (consolidated, operational control)."""
    v = with_unit(_as_shown(f, ind), ind.unit)
    basis = _CONSOLIDATED.get(f.basis)
    return v if basis is None else Bilingual(f"{basis[0]} {v.zh}", f"{v.en} ({basis[1]})")


def _same_as_own(pkg: Package, before: Package, f: FactRecord, old: FactRecord) -> bool:
    """A consolidated value that is its entity's own entered figure carried up (a figure not
    additive, or a node whose children add nothing to it), this year and last: a change
    warning about it would repeat the one about the entered figure word for word."""
    if f.basis == "own":
        return False
    own = pkg.get((f.entity, "own", f.indicator, f.dims))
    own_old = before.get((old.entity, "own", old.indicator, old.dims))
    try:
        return own is not None and own_old is not None and Decimal(own.value) == Decimal(f.value) \
            and Decimal(own_old.value) == Decimal(old.value)
    except ArithmeticError:
        return False


def _loc(f: FactRecord) -> Location:
    return Location(field=f"{f.entity}/{f.indicator}/{f.period}" + (f"/{f.dims}" if f.dims else "")
                    + ("" if f.basis == "own" else f"/{f.basis}"))


@rule("ESG-VAL-001")
def breakdown_sums(lib: Library, pkg: Package, period: str) -> Iterator[Problem]:
    """Members of each dimension of a summed indicator add up to its total."""
    for (entity, basis, code, dims), total in pkg.items():
        ind = lib.get(code)
        if dims or ind is None or ind.aggregation != "sum" or not ind.breakdown_sums or not ind.dimensions:
            continue
        for d in ind.dimensions:
            parts = [pkg.get((entity, basis, code, f"{d}={m.code}")) for m in lib.dimensions[d].members]
            parts = [p for p in parts if p is not None]
            if not parts:
                continue
            s = sum((Decimal(p.value) for p in parts), Decimal(0))
            # entered figures are exact; calculated ones carry 34-40 significant digits of
            # non-terminating ratios (44/12): compare 6 decimals beyond what a reader sees
            places = ind.precision + 6
            if round_half_up(s, places) != round_half_up(Decimal(total.value), places):
                yield Problem("ESG-VAL-001", _loc(total), {
                    "indicator": code, "name": indicator_name(lib, code), "period": period, "entity": entity,
                    "field": d,
                    "found": plain(s), "expected": total.value})


@rule("ESG-VAL-005")
def parts_within(lib: Library, pkg: Package, period: str) -> Iterator[Problem]:
    """Members of a dimension reported within another (suppliers within a material) add up to
    no more than the member they are within; what they leave is the unattributed rest."""
    for (entity, basis, code, dims), whole in pkg.items():
        ind = lib.get(code)
        if ind is None or not dims or ";" in dims or "=" not in dims:
            continue
        outer, member = dims.split("=", 1)
        for c in ind.dimensions:
            if lib.dimensions[c].within != outer:
                continue
            parts = [pkg.get((entity, basis, code, Dims({outer: member, c: n.code}).key))
                     for n in lib.dimensions[c].members]
            parts = [p for p in parts if p is not None]
            s = sum((Decimal(p.value) for p in parts), Decimal(0))
            if parts and s > Decimal(whole.value):
                yield Problem("ESG-VAL-005", _loc(whole), {
                    "indicator": code, "name": indicator_name(lib, code), "period": period, "entity": entity,
                    "field": f"{c} ({dims})",
                    "found": plain(s), "expected": whole.value})


def reported_fact(pkg: Package, entity: str, indicator: str, dims: str = "") -> FactRecord | None:
    """The figure an entity reports: its consolidated value where it has one, else its own."""
    for basis in ("control", "equity", "own"):
        f = pkg.get((entity, basis, indicator, dims))
        if f is not None:
            return f
    return None


@rule("ESG-VAL-002")
def as_reported(lib: Library, pkg: Package, period: str) -> Iterator[Problem]:
    """A figure input as reported, that should equal a formula, does so at its precision
    (the formula read over the entity's reported figures)."""
    for code, node in lib.checks.items():
        ind = lib[code]
        for (entity, basis, c, dims), f in pkg.items():
            if c != code or dims or basis != "own":
                continue
            vals = {}
            for r in node.refs():
                g = reported_fact(pkg, entity, r.indicator, r.dims.key)
                if g is None:
                    break
                vals[r] = Decimal(g.value)
            else:
                try:
                    computed = node.evaluate(lambda r: vals[r])
                except FormulaZeroDivision:
                    continue
                computed *= formula_factor_for(lib, node, ind.unit)
                reported = Decimal(f.value)
                tol = Decimal(str(ind.check.tolerance))
                if abs(round_half_up(computed, ind.precision) - round_half_up(reported, ind.precision)) > tol:
                    yield Problem("ESG-VAL-002", _loc(f), {
                        "indicator": code, "name": indicator_name(lib, code), "period": period, "entity": entity,
                        "found": f.value, "formula": ind.check.formula,
                        "expected": str(round_half_up(computed, ind.precision))})


@rule("ESG-VAL-003")
def target_achieved(lib: Library, pkg: Package, period: str) -> Iterator[Problem]:
    """A target marked achieved agrees with the figure it is about (rule pack)."""
    for r in lib.rules:
        if r.get("code") != "ESG-VAL-003":
            continue
        for (entity, basis, code, dims), flag in pkg.items():
            if code != r["target"] or dims or basis != "own" or flag.value != r.get("achieved_value", "yes"):
                continue
            fact = reported_fact(pkg, entity, r["indicator"])
            if fact is None:
                continue
            node = parse(r["expect"])
            expected = node.evaluate(lambda ref: Decimal(0))
            ok = {"eq": Decimal(fact.value) == expected, "le": Decimal(fact.value) <= expected,
                  "ge": Decimal(fact.value) >= expected}[r.get("op", "eq")]
            if not ok:
                yield Problem("ESG-VAL-003", _loc(flag), {
                    "indicator": r["indicator"], "name": indicator_name(lib, r["indicator"]), "period": period,
                    "entity": entity,
                    "found": fact.value, "expected": f"{_OPS[r.get('op', 'eq')]} {r['expect']}"})


@rule("ESG-VAL-004")
def out_of_range(lib: Library, pkg: Package, period: str) -> Iterator[Problem]:
    """Every value, entered or calculated (a share recomputed from consolidated parts), within
    its indicator's declared range (``validation: {min, max}``): a female share above 100 %
    means a breakdown larger than its total somewhere below."""
    for (entity, basis, code, dims), f in pkg.items():
        ind = lib.get(code)
        if ind is None or ind.value_type != "number" or (ind.validation.min is None and ind.validation.max is None):
            continue
        v = ind.validation
        try:
            value = Decimal(f.value)
        except ArithmeticError:
            continue
        if (v.min is not None and value < Decimal(str(v.min))) or (v.max is not None and value > Decimal(str(v.max))):
            yield Problem("ESG-VAL-004", _loc(f), {
                "indicator": code, "name": indicator_name(lib, code), "period": period, "entity": entity,
                "found": with_unit(format(round_half_up(value, ind.precision), "f"), ind.unit),
                "expected": range_text(v.min, v.max, ind.unit)})


def _year_pairs(lib: Library, pkg: Package, before: Package | None):
    """The numbers of ``pkg`` with the same key's value a year earlier (``before``), for the
    rules that compare the two (ESG-VAL-006, -008): (fact, last year's fact, indicator, last
    year's value, this year's value), entered values with entered ones and calculated with
    calculated, last year's not zero; a consolidated value that is only its entity's own figure
    carried up, both years, is left to the own value's line."""
    for (entity, basis, code, dims), f in (pkg.items() if before else ()):
        ind = lib.get(code)
        old = before.get((entity, basis, code, dims))
        if ind is None or old is None or ind.value_type != "number" \
                or (f.status == "calculated") != (old.status == "calculated") or _same_as_own(pkg, before, f, old):
            continue
        try:
            was, now = Decimal(old.value), Decimal(f.value)
        except ArithmeticError:
            continue
        if was != 0:
            yield f, old, ind, was, now


@rule("ESG-VAL-006", last_year=True)
def change_from_last_year(lib: Library, pkg: Package, period: str, before: Package | None = None) -> Iterator[Problem]:
    """A value that moved from the same key's value a year earlier by more than its
    indicator's ``change_threshold_pct``: the check a collection workbook makes at submission
    (ESG-COLLECT-005), over the ledger, so that values imported from files get it too (a
    figure typed in 万 instead of 亿, ten times too small, is the usual cause). Entered values
    are compared with entered ones and calculated figures with calculated ones: a Scope 1 or
    energy total that moved beyond its threshold is named too (a plant's data missing, a
    method's input slipped), which the entered values alone may not show. Called without
    last year's facts (a workbook submission, which checks this cell by cell, ESG-COLLECT-005,
    against last year's approved value) it has nothing to compare and names nothing."""
    for f, old, ind, was, now in _year_pairs(lib, pkg, before):
        thr = ind.validation.change_threshold_pct
        if thr is None:
            continue
        entity, code = f.entity, f.indicator
        pct = (now - was) / abs(was) * 100
        if abs(pct) > Decimal(str(thr)):
            was = with_unit(_as_shown(old, ind), ind.unit)
            yield Problem("ESG-VAL-006", _loc(f), {
                "indicator": code, "name": indicator_name(lib, code), "period": period, "entity": entity,
                "found": _shown(f, ind),
                "expected": Bilingual(f"{was.zh}（{old.period}）", f"{was.en} ({old.period})"),
                "change": f"{'+' if pct > 0 else ''}{pct.quantize(Decimal('0.1'))} %", "threshold": plain(Decimal(str(thr)))})


@rule("ESG-VAL-007")
def part_not_above_whole(lib: Library, pkg: Package, period: str) -> Iterator[Problem]:
    """A figure no larger than the figure it is part of (rule pack: ``{code: ESG-VAL-007,
    indicator: purchased_electricity, than: electricity_consumption}``, 外购电量 ≤ 用电量), in
    the same entity, basis and period; the whole converted to the part's unit. A part 1,000
    times its whole is a unit mistake (kWh in a MWh cell): the collection desk says so
    (ESG-COLLECT-017)."""
    from esgledger.model.units import UNITS

    for r in lib.rules:
        if r.get("code") != "ESG-VAL-007":
            continue
        part_ind, whole_ind = lib.get(r["indicator"]), lib.get(r["than"])
        if part_ind is None or whole_ind is None:
            continue
        to_part = UNITS.factor(whole_ind.unit, part_ind.unit) if whole_ind.unit and part_ind.unit else Decimal(1)
        for (entity, basis, code, dims), f in pkg.items():
            if code != part_ind.code or dims:
                continue
            whole = pkg.get((entity, basis, whole_ind.code, ""))
            if whole is None:
                continue
            try:
                part, of = Decimal(f.value), Decimal(whole.value) * to_part
            except ArithmeticError:
                continue
            if part > of:
                yield Problem("ESG-VAL-007", _loc(f), {
                    "indicator": code, "name": indicator_name(lib, code), "period": period, "entity": entity,
                    "found": with_unit(_as_shown(f, part_ind), part_ind.unit),
                    "expected": with_unit(_as_shown(whole, whole_ind), whole_ind.unit),
                    "whole": indicator_name(lib, whole_ind.code), "than": whole_ind.code,
                    "part": plain(part), "whole_value": plain(of)})


# Without its own change_threshold_pct, a number at least this many times (or at most 1/this
# of) last year's is named (ESG-VAL-008 over the ledger, ESG-COLLECT-018 in a workbook);
# whole-number counts (people, cases) swing too much at small numbers to be flagged this way.
DEFAULT_CHANGE = Decimal(10)


def ratio_text(ratio: Decimal) -> Bilingual:
    """How many times, or what fraction of, the other value: ``1,028 倍`` / ``1,028 times``;
    ``1/10,000`` / ``1/10,000 of``."""
    if ratio >= 1:
        n = f"{int(ratio.to_integral_value()):,}"
        return Bilingual(f"{n} 倍", f"{n} times")
    n = f"{int((1 / ratio).to_integral_value()):,}"
    return Bilingual(f"1/{n}", f"1/{n} of")


@rule("ESG-VAL-008", last_year=True)
def tenfold_from_last_year(lib: Library, pkg: Package, period: str, before: Package | None = None) -> Iterator[Problem]:
    """A number whose indicator sets no ``change_threshold_pct``, at ten times or a tenth of
    the same key's value a year earlier or beyond: the check a workbook makes at submission
    (ESG-COLLECT-018), over the ledger, so that values imported from files get it too (a
    figure typed in 吨 instead of 万吨, in kWh instead of MWh). Whole-number counts are left
    out, as there; entered values are compared with entered ones, calculated with calculated."""
    for f, old, ind, was, now in _year_pairs(lib, pkg, before):
        if ind.validation.integer or ind.validation.change_threshold_pct is not None or now == 0:
            continue
        entity, code = f.entity, f.indicator
        ratio = abs(now / was)
        if ratio >= DEFAULT_CHANGE or ratio <= 1 / DEFAULT_CHANGE:
            was_shown = with_unit(_as_shown(old, ind), ind.unit)
            yield Problem("ESG-VAL-008", _loc(f), {
                "indicator": code, "name": indicator_name(lib, code), "period": period, "entity": entity,
                "found": _shown(f, ind),
                "expected": Bilingual(f"{was_shown.zh}（{old.period}）", f"{was_shown.en} ({old.period})"),
                "ratio": ratio_text(ratio)})


def _as_shown(f: FactRecord, ind) -> str:
    """An entered value as entered; a calculated one (30-odd digits stored) as the report
    rounds it, at the indicator's precision."""
    if f.status != "calculated":
        return f.value
    return plain(round_half_up(Decimal(f.value), ind.precision))


_OPS = {"eq": "=", "le": "≤", "ge": "≥"}  # a rule's op, as a reader writes it


def run_rules(ws, period: str, *, select: Iterable[str] | None = None,
              skip: Iterable[str] = ()) -> ProblemList:
    """Run the chosen rules (all by default) over the current facts of ``period``."""
    period = str(Period.parse(period))
    chosen = [c for c in (select or RULES) if c not in set(skip)]
    pkg = _package(ws, period)
    before = _package(ws, str(Period.parse(period).previous_year())) if WITH_LAST_YEAR.intersection(chosen) else {}
    out = ProblemList()
    for code in chosen:
        out.extend(RULES[code](ws.library, pkg, period, before) if code in WITH_LAST_YEAR
                   else RULES[code](ws.library, pkg, period))
    return out


def _package(ws, period: str) -> Package:
    """The current facts of ``period``, every basis, in key order."""
    return {(f.entity, f.basis, f.indicator, f.dims): f
            for f in sorted(ws.access.iter_current(period=period, basis=None),
                            key=lambda f: (f.entity, f.indicator, f.dims, f.basis))}


__all__ = ["DEFAULT_CHANGE", "RULES", "Dims", "ratio_text", "run_rules", "round_half_up"]
