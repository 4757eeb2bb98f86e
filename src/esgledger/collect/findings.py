"""Warnings about an entity's values taken together, at import, at submission and in review.

Warnings do not block an import, but each needs a comment from the submitter before the entity
can be submitted (ESG-COLLECT-007):

* ESG-COLLECT-005 — a change from last year's approved value beyond the indicator's
  ``change_threshold_pct`` (without one, ESG-COLLECT-018: ten times or a tenth);
* ESG-COLLECT-017 — a value a hundred times (or a hundredth of) last year's, or of the whole it
  is part of: most likely in the wrong unit, cleared only by a comment saying it was verified;
* every rule of the validation catalogue (:data:`esgledger.calc.validate.RULES`) run over the
  entity's values: breakdowns that do not add up to their total (ESG-VAL-001), an as-reported
  figure that disagrees with its formula (ESG-VAL-002; not at an entity with entities below
  it: :data:`AT_PARENT_ONLY_OVER_LEDGER`), a target marked achieved against the
  figure (ESG-VAL-003), and any rule registered later — except those that read the year
  before (ESG-VAL-006: here ESG-COLLECT-005, against last year's approved value);
* ESG-COLLECT-006 — a ratio (a formula indicator with a range) out of its range.

A warning is explained when a value of the indicator it is about (for a ratio: one of its
inputs) carries a comment in the same period.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from esgledger.calc.validate import DEFAULT_CHANGE, ratio_text
from esgledger.collect.campaign import Desk
from esgledger.collect.values import declared_range, indicator_label
from esgledger.library.schema import Indicator
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.model.formula import FormulaZeroDivision
from esgledger.model.period import Period, PeriodError
from esgledger.model.types import FactRecord
from esgledger.model.units import UNITS, plain, slipped_units, with_unit


@dataclass
class Finding:
    """A warning about one entity, with the indicators whose comment explains it."""

    problem: Problem
    entity: str
    period: str
    indicators: frozenset[str]
    explained: bool = False
    verify: tuple[str, str, str] | None = None  # a likely unit mistake: the key whose comment must say "已核实"



def find_warnings(desk: Desk, entity: str, facts: Mapping[tuple[str, str, str], FactRecord],
                  references: Mapping[tuple[str, str, str], FactRecord],
                  place: Mapping[tuple[str, str, str], Location] | None = None,
                  lang: str = "en") -> list[Finding]:
    """The warnings about one entity's values (``facts``: (indicator, dims, period) → fact)."""
    from esgledger.calc.consolidate import formula_factor_for
    from esgledger.calc.validate import RULES

    lib = desk.library
    place = place or {}

    def where(key) -> Location:
        if key in place:
            return place[key]
        f = facts.get(key)
        if f is not None and f.location and "!" in f.location:  # a cell of an earlier workbook
            sheet, _, cell = f.location.rpartition("!")
            return Location(sheet=sheet, cell=cell)
        return Location(field=f.location) if f is not None and f.location else Location(
            field=f"{entity}/{key[0]}/{key[2]}" + (f"/{key[1]}" if key[1] else ""))

    out: list[Finding] = []
    # a change from last year: ≥100× or ≤1/100 a likely unit mistake (ESG-COLLECT-017), else
    # beyond the indicator's threshold (ESG-COLLECT-005) or, without one, ≥10× or ≤1/10 (-018)
    for key, f in facts.items():
        ind = lib.get(key[0])
        ref = references.get(key)
        if ind is None or ref is None or ind.value_type != "number":
            continue
        thr = ind.validation.change_threshold_pct
        old, new = Decimal(ref.value), Decimal(f.value)
        if old == 0:
            continue
        ratio = new / old
        if new != 0 and (ratio >= UNIT_SLIP or ratio <= 1 / UNIT_SLIP):
            out.append(Finding(_unit_slip(ind, key, where(key), f.value, ratio, Bilingual(
                f"上年（{ref.period}）{with_unit(_grouped(ref.value), ind.unit).zh}",
                f"last year's {with_unit(_grouped(ref.value), ind.unit).en} ({ref.period})")),
                entity, key[2], frozenset({key[0]}), verify=key))
            continue
        if thr is None:
            if not ind.validation.integer and new != 0 and (ratio >= DEFAULT_CHANGE or ratio <= 1 / DEFAULT_CHANGE):
                out.append(Finding(Problem("ESG-COLLECT-018", where(key), {
                    "indicator": _with_dims(indicator_label(ind), key[1]),
                    "found": with_unit(f.value, ind.unit), "expected": with_unit(ref.value, ind.unit),
                    "ratio": ratio_text(ratio)}), entity, key[2], frozenset({key[0]})))
            continue
        pct = (new - old) / abs(old) * 100
        if abs(pct) > Decimal(str(thr)):
            out.append(Finding(Problem("ESG-COLLECT-005", where(key), {
                "indicator": _with_dims(indicator_label(ind), key[1]), "found": f.value,
                "expected": ref.value, "change": f"{'+' if pct > 0 else ''}{pct.quantize(Decimal('0.1'))} %",
                "threshold": plain(Decimal(str(thr)))}), entity, key[2], frozenset({key[0]})))
    # the rule catalogue, period by period
    by_period: dict[str, dict] = {}
    for (ind_code, dims, period), f in facts.items():
        by_period.setdefault(period, {})[(entity, "own", ind_code, dims)] = f
    for period, pkg in by_period.items():
        parent = _has_children(desk, entity, period)
        for code, rule in RULES.items():
            if code in AT_PARENT_ONLY_OVER_LEDGER and parent:
                continue
            for p in rule(lib, pkg, period):
                key = _key_of(p.location.field, entity)
                # explained by a comment on the indicator named, or on the fact the rule flags
                # (ESG-VAL-003 flags the target, and names the figure it is about; ESG-VAL-007
                # the part, and names the whole)
                involved = {p.params.get("indicator", ""), p.params.get("than", "")} - {""} | (
                    {key[0]} if key else set())
                loc = where(key) if key in facts else p.location
                whole = (entity, "own", p.params.get("than"), "")
                if code == "ESG-VAL-007" and key in facts and whole in pkg and Decimal(p.params["whole_value"]) > 0:
                    ratio = Decimal(p.params["part"]) / Decimal(p.params["whole_value"])
                    if ratio >= UNIT_SLIP:  # 外购电量 1,000 × 用电量: kWh in a MWh cell
                        if not any(fd.verify == key for fd in out):  # said once per cell (last year's first)
                            ind, than = lib[key[0]], lib[p.params["than"]]
                            shown = with_unit(_grouped(pkg[whole].value), than.unit)
                            out.append(Finding(_unit_slip(ind, key, loc, facts[key].value, ratio, Bilingual(
                                f"同期{than.name.zh}（{than.code}）{shown.zh}",
                                f"the {than.name.en.lower()} ({than.code}) of {shown.en} in the same period")),
                                entity, period, frozenset(involved), verify=key))
                        continue
                out.append(Finding(Problem(code, loc, p.params), entity, period, frozenset(involved)))
        # ratios out of range
        for code, node in lib.formulas.items():
            ind = lib[code]
            v = ind.validation
            if v.min is None and v.max is None:
                continue
            vals = {}
            for r in node.refs():
                g = pkg.get((entity, "own", r.indicator, r.dims.key))
                if g is None:
                    break
                vals[r] = Decimal(g.value)
            else:
                try:
                    got = node.evaluate(lambda r: vals[r]) * formula_factor_for(lib, node, ind.unit)
                except FormulaZeroDivision:
                    continue
                if (v.min is not None and got < Decimal(str(v.min))) or (v.max is not None and got > Decimal(str(v.max))):
                    first = next(iter(node.refs()))
                    key = (first.indicator, first.dims.key, period)
                    out.append(Finding(Problem("ESG-COLLECT-006", where(key), {
                        "indicator": indicator_label(ind), "formula": ind.formula,
                        "found": with_unit(plain(got.quantize(Decimal(1).scaleb(-ind.precision))), ind.unit),
                        "expected": declared_range(ind)}), entity, period,
                        frozenset(r.indicator for r in node.refs())))
    commented = {(k[0], k[2]) for k, f in facts.items() if f.comment}
    for fd in out:
        if fd.verify is not None:  # a likely unit mistake: only the value's own "已核实：" comment
            fd.explained = verified(facts[fd.verify].comment)
        else:
            fd.explained = any((i, fd.period) in commented for i in fd.indicators)
    return out


# Rules left to ``esgledger validate`` at an entity with entities below it. ESG-VAL-002 reads
# an as-reported ratio (a company's average training hours) against its formula's inputs; at a
# parent the reported ratio is the whole company's, while a submission holds only the parent's
# own part of the inputs (its head office's hours and people), so the "formula" figure it would
# quote (12,800 h / 180 = 71 against the group's 72) is not the figure the ratio should equal
# (518,184 h / 6,756 = 77). ``validate`` checks it on the consolidated inputs once ``calc run``
# has them.
AT_PARENT_ONLY_OVER_LEDGER = frozenset({"ESG-VAL-002"})


def _has_children(desk: Desk, entity: str, period: str) -> bool:
    """Whether ``entity`` has entities below it at the end of ``period``'s year."""
    import datetime as dt

    try:
        year = Period.parse(period).year
    except PeriodError:
        return False
    return bool(desk.tree.children_on(entity, dt.date(year, 12, 31)))


# A value at least this many times (or at most 1/this of) last year's, or of the figure it is
# part of, is most likely in the wrong unit (kWh in a MWh cell: 1,000; 元 in a 万元 cell:
# 10,000; kg in a t cell: 1,000): ESG-COLLECT-017, cleared only by a comment that says the
# figure was verified (VERIFIED), not by any comment (a note "产量205万吨" beside 2,050,000
# 万吨 restates the mistake).
UNIT_SLIP = Decimal(100)
# how a comment that clears ESG-COLLECT-017 starts (documented in docs/collect.md)
VERIFIED = ("已核实", "已确认", "核实", "确认无误", "verified", "confirmed")


def verified(comment: str | None) -> bool:
    """A comment that says the value was checked: it starts with 已核实/已确认/核实/确认无误,
    Verified or Confirmed (any case)."""
    c = (comment or "").strip().casefold()
    return any(c.startswith(w) for w in VERIFIED)


def _grouped(value: str) -> str:
    """A value with thousands grouped, as a message quotes a reference (5,400,000)."""
    d = Decimal(value)
    whole, dot, frac = plain(d).partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}{dot}{frac}"


def _unit_slip(ind: Indicator, key, loc: Location, value: str, ratio: Decimal, against: Bilingual) -> Problem:
    """ESG-COLLECT-017 at ``loc``: ``value`` is ``ratio`` times ``against``, and the units it
    was probably typed in (units.slipped_units)."""
    slips = slipped_units(ind.unit, ratio)
    unit_zh, unit_en = UNITS.display(ind.unit, "zh"), UNITS.display(ind.unit, "en")
    if slips:
        zh, en = UNITS.display(slips[0], "zh"), UNITS.display(slips[0], "en")
        cause = Bilingual(f"可能按{zh}而不是{unit_zh}填写", f"probably entered in {en}, not {unit_en}")
    else:
        cause = Bilingual("可能单位有误，或多写、少写了几位数", "a wrong unit, or digits too many or too few")
    return Problem("ESG-COLLECT-017", loc, {
        "indicator": _with_dims(indicator_label(ind), key[1]), "found": with_unit(_grouped(value), ind.unit),
        "against": against, "ratio": ratio_text(ratio), "cause": cause})


def _with_dims(label: Bilingual, dims: str) -> Bilingual:
    return Bilingual(label.zh + f" [{dims}]", label.en + f" [{dims}]") if dims else label


def _key_of(field_text: str | None, entity: str) -> tuple[str, str, str] | None:
    """(indicator, dims, period) from a validation rule's ``entity/indicator/period[/dims]``."""
    if not field_text:
        return None
    parts = field_text.split("/")
    if len(parts) < 3 or parts[0] != entity:
        return None
    dims = parts[3] if len(parts) > 3 and "=" in parts[3] else ""
    return (parts[1], dims, parts[2])


__all__ = ["AT_PARENT_ONLY_OVER_LEDGER", "Finding", "UNIT_SLIP", "VERIFIED", "find_warnings", "verified"]
