"""Derived indicators and consolidation up the entity tree.

A run reads an input package (the tree, the library, the current facts of one period),
computes in memory, and appends to the ledger only the calculated facts whose value changed,
each with its lineage (the facts it was computed from). Rules (ARCHITECTURE.md):

* ``sum``: value(N) = own(N) + Σ_children w(c) × value(c), per dimension key;
  w = 1 under operational control (0 for an uncontrolled link), the equity share under the
  equity approach (GHG Protocol Corporate Standard ch.3), each dated membership of the pair
  counted for its own days of the period at its own terms (a change of structure, share or
  control in mid-year is pro-rated by days: :func:`membership_weights`); where links at two
  levels of one path change in the same period, N also counts each descendant's own value ×
  (the path's weight day by day − the product of the levels' weights), so it holds exactly
  the share held (:meth:`Consolidation._structure_corrections`). That is for flows over the
  period (emissions, energy, revenue). A stock measured on the period's last day
  (``measured_at: period_end``: employees on the payroll, patents in force) is summed over the
  memberships in force on that day, at that day's terms (control: the child whole or not at
  all; equity: the share held that day), so a plant sold on 30 June adds none of its staff to
  the year-end headcount and one bought on 1 July all of them (:func:`period_end_weights`);
* ``not_additive``: value(N) = own(N) (a figure that only exists at the entity it describes);
* ``weighted_mean``: Σ w·x / Σ w over own(N) and the children, w = the weighting indicator;
* ``recompute`` (formula indicators): the formula over the consolidated inputs at N; ratios
  are never summed. A share of a total by a breakdown of the same indicator
  (``employees[gender=female] / employees``) whose breakdown some of N's entities did not
  report is computed over the entities that reported both, numerator and denominator alike,
  with ESG-CALC-014 naming the rest (:meth:`Consolidation._share_over_covered`).

Calculated facts are stored with ``basis`` = ``control`` or ``equity`` (consolidated), and
formula values of a single entity's own data with ``basis`` = ``own``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from fractions import Fraction
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, Inexact, InvalidOperation, getcontext, localcontext
from typing import Iterable, NamedTuple

from esgledger.calc._rows import insert_rows
from esgledger.calc.incomplete import PREFIX as INCOMPLETE, merge as merge_marks
from esgledger.library.loader import Library, reachable
from esgledger.store import schema as S
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList
from esgledger.model.formula import Bin, FormulaZeroDivision, Neg, Node, Num, Ref, unit_of
from esgledger.model.period import Period
from esgledger.model.tree import EntityTree
from esgledger.model.types import WITHDRAWN, Dims, FactRecord
from esgledger.model.units import UNITS, plain, with_unit
from esgledger.store.ledger import NewFact, Store

APPROACHES = ("control", "equity")


class Value(NamedTuple):
    """A value in the run: the number, and where it came from (a fact id, or a pending
    calculated fact's index in the run's output). A tuple: a run makes one for every value it
    takes or computes, and resolves each pending one when it writes (a frozen dataclass cost
    twice as much to make)."""

    number: Decimal
    fact_id: int | None = None
    pending: int | None = None
    text: str | None = None
    # the mark of a value that leaves out a source it should include (calc/incomplete.py): a
    # methodology result's, and of every value computed from one
    mark: str | None = None


@dataclass
class RunResult:
    period: str
    approach: str
    computed: int = 0
    written: int = 0
    unchanged: int = 0
    problems: ProblemList = field(default_factory=ProblemList)
    batch_id: int | None = None
    incremental: bool = False
    ghg: object = None  # the methodology run that preceded the consolidation, if any
    withdrawn: list = field(default_factory=list)  # revisions withdrawing values no longer produced
    incomplete: int = 0  # values computed from one that leaves out a source (calc/incomplete.py)
    from_months: int = 0  # years of monthly indicators made from their months and written (calc/months.py)


def no_longer_produced(f: FactRecord) -> Problem:
    """ESG-CALC-007 for a calculated value a run no longer produces (and withdraws)."""
    return Problem("ESG-CALC-007", Location(field=f.indicator), {
        "indicator": f.indicator, "period": f.period, "entity": f.entity,
        "found": f"{f.basis}{'; ' + f.dims if f.dims else ''}: {f.value}"})


def period_bounds(p: Period) -> tuple[dt.date, dt.date]:
    if p.kind == "year":
        return dt.date(p.year, 1, 1), dt.date(p.year + 1, 1, 1)
    months = p.months()
    start = dt.date(p.year, months[0], 1)
    end_m = months[-1] + 1
    end = dt.date(p.year + (end_m > 12), (end_m - 1) % 12 + 1, 1)
    return start, end


def membership_weights(tree: EntityTree, child: str, parent: str, start: dt.date, end: dt.date
                       ) -> tuple[Fraction, Fraction]:
    """(operational-control weight, equity-share weight) of ``child`` under ``parent`` for the
    period [start, end): each membership of the pair counts for the days it was in force, at
    its own terms, so a change of share or of control inside the period is pro-rated by days
    like a membership that starts or ends there. Control: the days under control / the
    period's days; equity: Σ days × share / the period's days. Exact rationals: 182/366 of a
    year stays 91/183, never a rounded decimal.

    >>> from esgledger.model.types import EntityRecord, Membership
    >>> t = EntityTree.build([EntityRecord("G", "集团", "Group", "group", "holding"),
    ...     EntityRecord("P", "厂", "Plant", "site", "smelter")],
    ...     [Membership("P", "G", Decimal(100), True, None, dt.date(2024, 7, 1)),
    ...      Membership("P", "G", Decimal(40), False, dt.date(2024, 7, 1), None)])[0]
    >>> membership_weights(t, "P", "G", dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    (Fraction(91, 183), Fraction(213, 305))
    """
    days = (end - start).days
    if not days:
        return Fraction(0), Fraction(0)
    control_days = 0
    share_days = Fraction(0)
    for m in tree.memberships.get(child, []):
        if m.parent != parent:
            continue
        a = max(start, m.valid_from or start)
        b = min(end, m.valid_to or end)
        if b > a:
            control_days += (b - a).days if m.operational_control else 0
            share_days += (b - a).days * Fraction(m.equity_share) / 100
    return Fraction(control_days, days), share_days / days


def period_end_weights(tree: EntityTree, child: str, parent: str, last_day: dt.date
                       ) -> tuple[Fraction, Fraction]:
    """(operational-control weight, equity-share weight) of ``child`` under ``parent`` for a
    stock measured on ``last_day`` (the period's last day): the membership in force that day,
    whole (1, or 0 without control) and at its equity share; (0, 0) if none is.

    >>> from esgledger.model.types import EntityRecord, Membership
    >>> t = EntityTree.build([EntityRecord("G", "集团", "Group", "group", "holding"),
    ...     EntityRecord("P", "厂", "Plant", "site", "smelter")],
    ...     [Membership("P", "G", Decimal(100), True, None, dt.date(2024, 7, 1)),
    ...      Membership("P", "G", Decimal(40), False, dt.date(2024, 7, 1), None)])[0]
    >>> period_end_weights(t, "P", "G", dt.date(2024, 12, 31))
    (Fraction(0, 1), Fraction(2, 5))
    """
    for m in tree.memberships.get(child, []):
        if m.parent == parent and m.active_on(last_day):
            return Fraction(int(m.operational_control)), Fraction(m.equity_share) / 100
    return Fraction(0), Fraction(0)


def structure_segments(tree: EntityTree, start: dt.date, end: dt.date
                       ) -> list[tuple[int, dict[str, list[tuple[str, Fraction, Fraction]]]]]:
    """The period [start, end) cut wherever a membership starts or ends inside it: for each
    piece, its days and the links in force throughout it, by parent: (child, control weight
    1 or 0, equity share as a fraction)."""
    cuts = {start, end}
    for ms in tree.memberships.values():
        for m in ms:
            for d in (m.valid_from, m.valid_to):
                if d is not None and start < d < end:
                    cuts.add(d)
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        kids: dict[str, list[tuple[str, Fraction, Fraction]]] = {}
        for child, ms in sorted(tree.memberships.items()):
            for m in ms:
                if m.parent is not None and m.active_on(a):
                    kids.setdefault(m.parent, []).append(
                        (child, Fraction(int(m.operational_control)), Fraction(m.equity_share) / 100))
        out.append(((b - a).days, kids))
    return out


def _descendant_weights(node: str, children) -> dict[str, Fraction]:
    """Σ over the paths from ``node`` down to each descendant of the product of the links'
    weights (``children(n)``: n's children with their weights)."""
    out: dict[str, Fraction] = {}
    stack = [(node, Fraction(1))]
    while stack:
        n, w = stack.pop()
        for ch, cw in children(n):
            c = w * cw
            if c:
                out[ch] = out.get(ch, Fraction(0)) + c
                stack.append((ch, c))
    return out


def to_decimal(x: Fraction | Decimal) -> Decimal:
    """An exact rational as a decimal: exact when it terminates, else 40 significant digits."""
    if isinstance(x, Decimal):
        return x
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(x.numerator) / Decimal(x.denominator)


_FACTORS: dict[tuple[int, str, str], Decimal] = {}


def formula_factor_for(lib: Library, node: Node, unit: str) -> Decimal:
    """Multiplier from a formula's natural unit to ``unit`` (e.g. a ratio → 100 for %)."""
    key = (id(lib), str(node), unit)
    if key not in _FACTORS:
        q = unit_of(node, lambda r: UNITS.quantity(lib.indicators[r.indicator].unit),
                    UNITS.ureg.Quantity(Decimal(1)))
        target = UNITS.quantity(unit)
        with localcontext() as ctx:
            ctx.prec = 40
            ratio = (q / target).to_reduced_units().to("dimensionless").magnitude
        _FACTORS[key] = Decimal(format(Decimal(ratio).normalize(), "f"))
    return _FACTORS[key]


def formula_factor(lib: Library, code: str) -> Decimal:
    return formula_factor_for(lib, lib.formulas[code], lib.indicators[code].unit)


def run_source(period: str, approach: str) -> str:
    return f"calc run {period} {approach}"


class Consolidation:
    """One calculation run over a period, from own facts to derived and consolidated facts.

    :meth:`run` computes everything (or, with ``only``, just those indicators). The run keeps
    every value it computed, so that :meth:`update` can then take changed own facts and
    recompute only what reads them: the entity's own formulas, and up its chain of parents
    the consolidated values of the changed keys (and the weighted means they weight) and the
    formulas reading those. Either way the values equal those of a full run."""

    def __init__(self, store: Store, library: Library, tree: EntityTree, period: str,
                 approach: str = "control", *, author: str | None = None,
                 only: set[str] | None = None, note: str | None = None,
                 facts: Iterable[FactRecord] | None = None):
        """``only``: recompute just these indicators (an incremental run); ``note`` is kept on
        the run's batch (the library and tree fingerprints); ``facts``: the period's current
        facts (own and ``approach`` basis), when the caller has read them already."""
        if approach not in APPROACHES:
            raise ValueError(f"approach must be one of {APPROACHES}")
        self.store = store
        self.lib = library
        self.tree = tree
        self.period = str(Period.parse(period))
        self.p = Period.parse(period)
        self.approach = approach
        self.author = author
        self.note = note
        self.only = only
        load = None
        if only is not None:
            load = set(only)
            for code in only:
                if code in library.formulas:
                    load |= {r.indicator for r in library.formulas[code].refs()}
                if library.indicators.get(code) and library.indicators[code].weight:
                    load.add(library.indicators[code].weight)
            self.load = load
        self.start, self.end = period_bounds(self.p)
        self.roots = {c for c in tree.entities if not any(m.parent for m in tree.memberships.get(c, []))}
        # the tree as this period sees it, worked out once
        self.children_of: dict[str, list[tuple[str, Fraction]]] = {c: self._find_children(c) for c in tree.entities}
        self.parents_of: dict[str, list[str]] = {}
        for c, chs in self.children_of.items():
            for ch, _w in chs:
                self.parents_of.setdefault(ch, []).append(c)
        self.order = self._post_order()
        # the tree on the period's last day, for stocks (measured_at: period_end); each such
        # child is also a child above (in force on the last day: some days of the period)
        self.last_day = self.end - dt.timedelta(days=1)
        self.stock_children_of: dict[str, list[tuple[str, Fraction]]] = {
            c: self._find_children_at_end(c) for c in tree.entities}
        # structure changes at two levels of one path inside the period: see _structure_corrections
        self.corrections: dict[str, list[tuple[str, Fraction]]] = self._structure_corrections()
        self.formula_order = library.formula_order()
        self._formula_pos = {code: i for i, code in enumerate(self.formula_order)}
        self._formula_factors: dict[str, Decimal] = {}
        self._fspecs: dict[str, _FormulaSpec] = {}  # each formula's refs, evaluator and factor
        self._units: dict[str, tuple] = {}
        self._node_info: dict[str, tuple] = {}  # each node's children, whether all weigh 1, and roles
        self._exists_of: dict[str, bool] = {}
        # indicator -> the formulas reading it, each with the keys it reads (None: any)
        self._readers_of: dict[str, list[tuple[str, frozenset | None]]] | None = None  # each indicator's unit (in a tuple: it may be None)
        # the lineage text of each child's weight (the weights are these very objects)
        self._weight_texts = {id(w): _weight_text(w) for of in (self.children_of, self.stock_children_of)
                              for chs in of.values() for _c, w in chs}
        self.out: list[NewFact] = []
        self._pending: list[tuple] = []  # the keys of computed (and cons) values still pending
        self._dropped: set | None = None  # during update(): keys recomputed from scratch
        self._stale: list[FactRecord] = []  # calculated values a run no longer produces
        self.result = RunResult(self.period, approach)
        self.append = None  # how facts are appended (default: Store._append)
        # input package
        self.own: dict[tuple[str, str, str], Value] = {}
        self.own_keys: dict[str, set[tuple[str, str]]] = {}
        # the same keys by indicator (entity -> indicator -> its dimension keys): what a
        # formula looks for at an entity, without a pass over all of the entity's keys
        self.own_index: dict[str, dict[str, set[str]]] = {}
        self.existing: dict[tuple[str, str, str, str], FactRecord] = {}
        # every value the run computed: consolidated (and formula) values by (entity, indicator,
        # dims), and all of them by (entity, indicator, dims, basis)
        self.cons: dict[tuple[str, str, str], Value] = {}
        self.cons_keys: dict[str, set[tuple[str, str]]] = {}
        # the consolidated keys that are not formula values, by indicator (as own_index)
        self.cons_index: dict[str, dict[str, set[str]]] = {}
        self.computed: dict[tuple[str, str, str, str], Value] = {}
        # the dimension keys computed of each (entity, indicator, basis), for dropping an
        # indicator's values before they are recomputed
        self.computed_dims: dict[tuple[str, str, str], set[str]] = {}
        if facts is None:
            filters = {} if load is None else {"indicator": sorted(load)}
            facts = store.iter_current(period=self.period, basis=["own", approach], **filters)
        for f in facts:
            self.take(f)

    def take(self, f: FactRecord) -> bool:
        """Take one current fact into the run's inputs; True if it is an own input (one that
        calculations read), False for a calculated fact of the run's own kind. A withdrawing
        revision (a methodology result the run before this one no longer produced) takes the
        key's value out."""
        if f.status == WITHDRAWN:
            if f.basis == "own" and self.own.pop((f.entity, f.indicator, f.dims), None) is not None:
                self.own_keys.get(f.entity, set()).discard((f.indicator, f.dims))
                _index_discard(self.own_index, f.entity, f.indicator, f.dims)
            self.existing.pop((f.entity, f.indicator, f.dims, f.basis), None)
            return f.basis == "own"
        ind = self.lib.indicators.get(f.indicator) if f.basis == "own" else None
        if ind and ind.kind != "formula":
            key = (f.entity, f.indicator, f.dims)
            own = self.own
            if key not in own:
                self.own_keys.setdefault(f.entity, set()).add((f.indicator, f.dims))
                self.own_index.setdefault(f.entity, {}).setdefault(f.indicator, set()).add(f.dims)
            c = f.comment
            own[key] = Value(_num(f.value, ind), f.id, None, f.value,
                             c if c and f.status == "calculated" and c.startswith(INCOMPLETE) else None)
            return True
        if f.basis in ("own", self.approach):
            self.existing[(f.entity, f.indicator, f.dims, f.basis)] = f
        return False

    # -- the run -------------------------------------------------------------------------
    def run(self, *, write: bool = True, conn=None) -> RunResult:
        cons = self.cons
        cons.clear()
        self.cons_keys.clear()
        self.cons_index.clear()
        self.computed.clear()
        self.computed_dims.clear()
        self.out = []
        self._pending = []
        self.result = RunResult(self.period, self.approach)
        entities = [c for c in self.tree.entities if self._exists(c)]
        # own-basis formulas for every entity with own inputs
        for e in entities:
            self._formulas(e, "own", lambda ind, dims, e=e: self.own.get((e, ind, dims)),
                           self.own_index.get(e, {}), only=self.only)
        # consolidation, children before parents
        for e in self.order:
            children = self._children(e)
            if not children:
                continue
            self._consolidate_node(e, children, cons)
            self._formulas(e, self.approach, lambda ind, dims, e=e: cons.get((e, ind, dims)),
                           self.cons_index.get(e, {}), cons, only=self.only)
        self._no_longer_produced()
        if write:
            self._write(conn)
        return self.result

    def _no_longer_produced(self) -> None:
        """Calculated values of an earlier run that this full run does not produce (a formula
        that now divides by zero, a breakdown no longer given, an input withdrawn): the run
        withdraws them when it writes, and says which (ESG-CALC-007)."""
        self._stale = []
        self._withdraw(k for k in self.existing
                       if k not in self.computed and (self.only is None or k[1] in self.only))

    def _withdraw(self, keys: Iterable[tuple[str, str, str, str]]) -> None:
        """Withdraw (when the run writes) the calculated values of these keys, saying which."""
        for key in sorted(keys):
            f = self.existing.get(key)
            if f is not None and f.status == "calculated":
                self._stale.append(f)
                self.result.problems.append(no_longer_produced(f))

    def update(self, changed: Iterable[FactRecord], *, write: bool = True, conn=None) -> RunResult:
        """Take changed own facts and recompute only what depends on them (after a full
        :meth:`run` of this object)."""
        self.out = []
        self._pending = []
        self._dropped = set()  # keys recomputed from scratch below; those not computed again go
        self.result = RunResult(self.period, self.approach, incremental=True)
        dirty: dict[str, set[tuple[str, str]]] = {}
        for f in changed:
            if self.take(f):
                dirty.setdefault(f.entity, set()).add((f.indicator, f.dims))
        deps = self._dependents()
        exists = self._exists_of
        for e in sorted(dirty):
            if not (exists[e] if e in exists else exists.setdefault(e, self._exists(e))):
                continue
            codes = self._formulas_reading(dirty[e], deps)
            if codes:
                self._forget(e, codes, "own")
                self._formulas(e, "own", lambda ind, dims, e=e: self.own.get((e, ind, dims)),
                               self.own_index.get(e, {}), only=codes)
        # up the tree: a node's consolidated keys move with its own and its children's values
        moved: dict[str, set[tuple[str, str]]] = {}
        todo, stack = set(dirty), list(dirty)
        while stack:
            for parent in self.parents_of.get(stack.pop(), ()):
                if parent not in todo:
                    todo.add(parent)
                    stack.append(parent)
        weighted = self._weighted()
        # a share over the entities that reported its breakdown reads which entities below a node
        # reported it, which the node's consolidated values need not show (a plant's first
        # female count of 0): recomputed at every node above a change of its indicator
        shares = self._shares_reading({i for keys in dirty.values() for i, _d in keys}, deps)
        for e in self.order:
            if e not in todo:
                continue
            children = self._children(e)
            if not children:
                continue
            keys = set(dirty.get(e, ()))
            for ch, _w in children:
                keys |= moved.get(ch, set()) if self.children_of.get(ch) else dirty.get(ch, set())
            for d, _w in self.corrections.get(e, ()):
                keys |= dirty.get(d, set())
            if not keys and not shares:
                continue
            # weighted means move with their weights
            inds = {i for i, _d in keys}
            for code, weight in weighted:
                if weight in inds:
                    keys |= {(code, d) for i, d in list(keys) if i == weight}
                    inds.add(code)
            before = {k: self.cons.get((e, *k)) for k in keys}
            self._consolidate_node(e, children, self.cons, keys=keys)
            moved[e] = {k for k in keys if _state(self.cons.get((e, *k))) != _state(before[k])}
            # the formulas reading a value that moved (one recomputed to the same value keeps
            # its fact, so what reads it is as the last run left it)
            codes = self._formulas_reading(moved[e], deps) | shares
            if codes:
                self._forget(e, codes, self.approach)
                self._formulas(e, self.approach, lambda ind, dims, e=e: self.cons.get((e, ind, dims)),
                               self.cons_index.get(e, {}), self.cons, only=codes)
        # a value recomputed from scratch that could not be computed again (its inputs gone, a
        # divisor now zero) is withdrawn, as a full run would
        self._stale = []
        self._withdraw(k for k in self._dropped if k not in self.computed)
        self._dropped = None
        if write:
            self._write(conn)
        return self.result

    def _weighted(self) -> list[tuple[str, str]]:
        """The weighted-mean indicators and their weights (the library does not change)."""
        if not hasattr(self, "_weighted_of"):
            self._weighted_of = [(code, ind.weight) for code, ind in self.lib.indicators.items()
                                 if ind.weight and ind.aggregation == "weighted_mean"]
        return self._weighted_of

    def _dependents(self) -> dict[str, set[str]]:
        if not hasattr(self, "_deps"):
            self._deps = self.lib.dependents()
        return self._deps

    def _formula_closure(self, indicators: set[str], deps) -> set[str]:
        return reachable(indicators, deps)

    def _formulas_reading(self, keys: Iterable[tuple[str, str]], deps) -> set[str]:
        """The formulas that read one of ``keys`` ((indicator, dimension key) of values that
        moved at an entity), and the formulas reading those. A formula without dimensions
        reads only the keys its references name (``product_emissions[product=alumina]`` does
        not read ``product=foil``); one with dimensions may read any key of its inputs."""
        readers = self._readers_of
        if readers is None:
            readers = self._readers_of = {}
            for code, node in self.lib.formulas.items():
                by: dict[str, set[str]] = {}
                for r in node.refs():
                    by.setdefault(r.indicator, set()).add(r.dims.key)
                anyway = bool(self.lib[code].dimensions)
                for ind, read in by.items():
                    readers.setdefault(ind, []).append((code, None if anyway else frozenset(read)))
        start = set()
        for ind, dims in keys:
            for code, read in readers.get(ind, ()):
                if read is None or dims in read:
                    start.add(code)
        return start | reachable(start, deps) if start else start

    def _shares_reading(self, indicators: set[str], deps) -> set[str]:
        """The share formulas (see :func:`_share_refs`) of one of ``indicators``, and the
        formulas reading those."""
        of = getattr(self, "_share_of", None)
        if of is None:
            of = self._share_of = {}
            for code, node in self.lib.formulas.items():
                pair = _share_refs(node)
                if pair is not None:
                    of.setdefault(pair[0].indicator, set()).add(code)
        start = {code for i in indicators for code in of.get(i, ())}
        return start | reachable(start, deps) if start else start

    def _forget(self, e: str, codes: set[str], basis: str) -> None:
        """Drop the values of ``codes`` at ``e`` before they are recomputed (a formula that
        cannot be computed any more must not be read from the last run)."""
        for code in codes:
            for dims in self.computed_dims.pop((e, code, basis), ()):
                key = (e, code, dims, basis)
                if self._dropped is not None:
                    self._dropped.add(key)
                del self.computed[key]
                if basis != "own" and basis == self.approach:
                    self.cons.pop(key[:3], None)
                    self.cons_keys.get(e, set()).discard(key[1:3])
                    _index_discard(self.cons_index, e, code, dims)

    def _exists(self, code: str) -> bool:
        ms = self.tree.memberships.get(code, [])
        return not ms or any((m.valid_from or self.start) < self.end and (m.valid_to or self.end) > self.start
                             for m in ms)

    def _children(self, code: str) -> list[tuple[str, Fraction]]:
        return self.children_of.get(code, [])

    def _find_children(self, code: str) -> list[tuple[str, Fraction]]:
        out = []
        for child, ms in self.tree.memberships.items():
            if not any(m.parent == code for m in ms):
                continue
            control, equity = membership_weights(self.tree, child, code, self.start, self.end)
            w = control if self.approach == "control" else equity
            if w != 0:
                out.append((child, w))
        return sorted(out)

    def _find_children_at_end(self, code: str) -> list[tuple[str, Fraction]]:
        out = []
        for child, ms in self.tree.memberships.items():
            if not any(m.parent == code for m in ms):
                continue
            control, equity = period_end_weights(self.tree, child, code, self.last_day)
            w = control if self.approach == "control" else equity
            if w != 0:
                out.append((child, w))
        return sorted(out)

    def _is_stock(self, code: str) -> bool:
        ind = self.lib.indicators.get(code)
        return ind is not None and ind.measured_at == "period_end"

    def _structure_corrections(self) -> dict[str, list[tuple[str, Fraction]]]:
        """Consolidating level by level weights a descendant by the product of each link's
        weight for the period. Where links at two levels of one path both change inside the
        period, that is not the share the node held: 100 % of a holding until 1 July, 50 %
        after, with the holding taking a plant on 1 July, is 50 % of the plant for 184 days
        (184/366 × 0.5), not (274/366) × (184/366). The share held is the weight of the path
        on each day, averaged over the period (the membership weights on each piece of the
        period cut at every change). For each node, the difference for each descendant whose
        share differs: the consolidation adds the descendant's own value × that difference
        (lineage role ``structure:<descendant>``), so a node's value counts each descendant at
        exactly the share held day by day."""
        segments = structure_segments(self.tree, self.start, self.end)
        if len(segments) < 2:
            return {}
        days = (self.end - self.start).days
        pick = 1 if self.approach == "control" else 2
        out: dict[str, list[tuple[str, Fraction]]] = {}
        for node in sorted(self.tree.entities):
            if not self.children_of.get(node):
                continue
            exact: dict[str, Fraction] = {}
            for n_days, kids in segments:
                for d, w in _descendant_weights(node, lambda n, k=kids: [(c[0], c[pick]) for c in k.get(n, ())]).items():
                    exact[d] = exact.get(d, Fraction(0)) + w * Fraction(n_days, days)
            level = _descendant_weights(node, self._children)
            diff = [(d, exact.get(d, Fraction(0)) - level.get(d, Fraction(0))) for d in sorted(set(exact) | set(level))]
            diff = [(d, w) for d, w in diff if w != 0]
            if diff:
                out[node] = diff
        return out

    def _post_order(self) -> list[str]:
        order: list[str] = []
        seen: set[str] = set()

        def visit(c: str) -> None:
            if c in seen:
                return
            seen.add(c)
            for ch, _w in self._children(c):
                visit(ch)
            order.append(c)

        for c in sorted(self.tree.entities):
            visit(c)
        return order

    def _value_at(self, code: str, key: tuple[str, str], cons) -> Value | None:
        """The consolidated value of a child: its consolidated fact if it has children, else own."""
        v = cons.get((code, *key))
        if v is not None:
            return v
        if self._children(code):
            return None
        return self.own.get((code, *key))

    def _consolidate_node(self, e: str, children: list[tuple[str, Fraction]], cons,
                          keys: set[tuple[str, str]] | None = None) -> None:
        given = keys
        if keys is None:
            keys = set(self.own_keys.get(e, ()))
            for ch, _w in children:
                keys |= self.own_keys.get(ch, set())
                keys |= self.cons_keys.get(ch, set())
            for d, _w in self.corrections.get(e, ()):
                keys |= self.own_keys.get(d, set())
        done: set[tuple[str, str]] = set()  # the keys emitted below
        node_info = self._node_info.get(e)
        if node_info is None or node_info[0] is not children:
            # every child weighs 1 (whole period, control) and no structure correction; each
            # child with its weight, its lineage role and whether it is a node (whose value is
            # its consolidated one) or a leaf (its own value): _value_at's answer, per key below;
            # then the same for a stock, over the children in force on the period's last day
            stock_children = self.stock_children_of.get(e, [])
            node_info = self._node_info[e] = (
                children, all(w == 1 for _c, w in children) and not self.corrections.get(e),
                [(ch, w, f"child:{ch}", bool(self._children(ch))) for ch, w in children],
                all(w == 1 for _c, w in stock_children),
                [(ch, w, f"child:{ch}", bool(self._children(ch))) for ch, w in stock_children])
        _children, flow_unit, flow_kids, stock_unit, stock_kids = node_info
        ctx = getcontext().copy()  # _exact_sum's: 40 digits, an inexact sum trapped
        ctx.prec = 40
        ctx.traps[Inexact] = True
        own_values = self.own
        indicators = self.lib.indicators
        for ind_code, dims in sorted(keys):
            ind = indicators.get(ind_code)
            if ind is None or ind.kind == "formula":
                continue
            own = own_values.get((e, ind_code, dims))
            if ind.aggregation == "not_additive" or ind.value_type == "category":
                if own is not None:
                    self._emit(e, ind_code, dims, self.approach, own.number, [(own, "own", None)], cons,
                               text=own.text)
                    done.add((ind_code, dims))
                continue
            parts: list[tuple[Value, str, Fraction | None]] = []
            if own is not None:
                parts.append((own, "own", None))
            stock = ind.measured_at == "period_end"
            unit, kids = (stock_unit, stock_kids) if stock else (flow_unit, flow_kids)
            for ch, w, role, node in kids:
                # a node's value is its consolidated one; a leaf has none (only nodes are
                # consolidated), its value is its own
                v = cons.get((ch, ind_code, dims)) if node else own_values.get((ch, ind_code, dims))
                if v is not None:
                    parts.append((v, role, w))
            for d, w in () if stock else self.corrections.get(e, ()):
                # a structure change at two levels of the path: the descendant's own value at the
                # difference between the share held day by day and the product of the levels'
                v = own_values.get((d, ind_code, dims))
                if v is not None:
                    parts.append((v, f"structure:{d}", w))
            if not parts:
                continue
            if ind.aggregation == "weighted_mean":
                num = den = Fraction(0)
                for v, role, w in parts:
                    ent = e if role == "own" else role.split(":", 1)[1]
                    wt = self.own.get((ent, ind.weight, dims)) if role == "own" or role.startswith("structure:") \
                        else self._value_at(ent, (ind.weight, dims), cons)
                    if wt is None:
                        continue
                    num += Fraction(v.number) * Fraction(wt.number) * (w if w is not None else 1)
                    den += Fraction(wt.number) * (w if w is not None else 1)
                if den == 0:
                    continue
                total = to_decimal(num / den)
            else:
                total = _exact_sum(parts, unit, ctx)
            self._emit(e, ind_code, dims, self.approach, total, parts, cons)
            done.add((ind_code, dims))
        if given is not None:
            # recomputed from scratch: what could not be computed again goes (nothing above
            # reads the node's own consolidated values, so they are dropped only now)
            for k in keys:
                if k not in done and cons.pop((e, *k), None) is not None:
                    if self._dropped is not None:
                        self._dropped.add((e, *k, self.approach))
                    self.cons_keys[e].discard(k)
                    _index_discard(self.cons_index, e, *k)
                    self.computed.pop((e, *k, self.approach), None)
                    self.computed_dims.get((e, k[0], self.approach), set()).discard(k[1])

    def _formulas(self, e: str, basis: str, get, available: dict[str, set[str]], cons=None, *,
                  only: set[str] | None = None) -> None:
        """The formulas at ``e`` on ``basis``. ``available``: the entity's keys of that basis
        that are not formula values, by indicator (own_index or cons_index of ``e``)."""
        computed = self.computed

        def lookup(ind: str, dims: str) -> Value | None:
            # a formula's value at this entity and basis, computed earlier in this loop (or,
            # in an update, kept from the last run as nothing it reads has changed)
            return computed.get((e, ind, dims, basis)) or get(ind, dims)

        if only is None:
            order = self.formula_order
        else:  # the same order, without a pass over every formula
            pos = self._formula_pos
            order = sorted((c for c in only if c in pos), key=pos.__getitem__)
        ctx = getcontext().copy()  # the formulas' arithmetic at 40 digits (as Bin.evaluate)
        ctx.prec = 40
        for code in order:
            spec = self._fspecs.get(code) or self._formula_spec(code)
            refs, evaluate, has_dims = spec.refs, spec.evaluate, spec.has_dims
            if not any(available.get(i) or (e, i, "", basis) in computed for i in spec.ref_inds):
                continue
            for dims in (self._formula_dims(code, spec, available) if has_dims else ("",)):
                vals: list[tuple[_Ref, Value]] = []
                missing = None
                for r in refs:
                    v = lookup(r.indicator, r.key(dims) if has_dims else r.dims_key)
                    if v is None:
                        missing = r.text
                        break
                    vals.append((r, v))
                if missing is not None:
                    # a formula the reporting root cannot compute is a gap worth a warning; one an
                    # intermediate node cannot (an input only reported at the group) is not
                    if vals and basis != "own" and e in self.roots:
                        self.result.problems.append(Problem("ESG-CALC-001", Location(field=code), {
                            "indicator": code, "period": self.period, "entity": e, "found": missing}))
                    continue
                if spec.share is not None and basis != "own":
                    over = self._share_over_covered(e, spec.share, dims if has_dims else None)
                    if over is not None:
                        self._covered_share(e, code, dims, over, vals, ctx, cons)
                        continue
                table = {r.ref: v.number for r, v in vals}
                try:
                    raw = evaluate(table, ctx)
                except FormulaZeroDivision as z:
                    self.result.problems.append(Problem("ESG-CALC-002", Location(field=code), {
                        "indicator": code, "period": self.period, "entity": e, "found": str(z.ref)}))
                    continue
                number = ctx.multiply(raw, self._formula_factors.get(code) or self._formula_factor(code))
                seen_ids = set()
                inputs = []
                for r, v in vals:
                    ident = (v.fact_id, v.pending)
                    if ident in seen_ids:
                        continue
                    seen_ids.add(ident)
                    inputs.append((v, r.role, None))
                self._emit(e, code, dims, basis, number, inputs, cons)

    def _formula_spec(self, code: str) -> "_FormulaSpec":
        """What the run needs of one formula, worked out once (its library does not change)."""
        node = self.lib.formulas[code]
        ind = self.lib[code]
        refs = tuple(_Ref(r) for r in node.refs())
        pair = _share_refs(node)
        share = None if pair is None else tuple(next(r for r in refs if r.ref is x) for x in pair)
        spec = self._fspecs[code] = _FormulaSpec(refs, tuple(dict.fromkeys(r.indicator for r in refs)),
                                                 _compile(node), bool(ind.dimensions),
                                                 frozenset(ind.dimensions or ()), {}, share)
        return spec

    def _share_over_covered(self, e: str, share: tuple["_Ref", "_Ref"], dims: str | None):
        """A share of a total by a breakdown of the same indicator at the consolidated node
        ``e``, where some of its entities report the total without the breakdown (UAT 3 H3:
        employees by gender from two plants of six entities). Dividing the breakdown of a few
        by the total of all would state a share nobody has (390 women / 5 980 staff = 6.52 %
        where the plants that split by gender have 390 / 2 380 = 16.39 %); the share is then
        computed over the entities that reported both, numerator and denominator alike, each
        at the weight consolidation gives it (its own value at 1, a child's at the child's
        weight, a structure correction at its difference: the walk mirrors
        :meth:`_consolidate_node`). None where every entity reporting either reported both
        (the consolidated values then are the covered ones); else (numerator, denominator,
        lineage inputs, the entities left out)."""
        num, den = share
        ind = num.indicator
        kn = num.dims_key if dims is None else num.key(dims)
        kd = den.dims_key if dims is None else den.key(dims)
        own = self.own
        n_sum = d_sum = Fraction(0)
        inputs: dict[tuple, list] = {}  # (fact id, role) -> [value, role, weight]
        left_out: set[str] = set()

        def take(x: str, w: Fraction) -> None:
            nonlocal n_sum, d_sum
            vn, vd = own.get((x, ind, kn)), own.get((x, ind, kd))
            if vn is None or vd is None:
                if vn is not None or vd is not None:
                    left_out.add(x)
                return
            n_sum += Fraction(vn.number) * w
            d_sum += Fraction(vd.number) * w
            for v, role in ((vn, num.role), (vd, den.role)):
                got = inputs.get((v.fact_id, role))
                if got is None:
                    inputs[(v.fact_id, role)] = [v, role, w]
                else:
                    got[2] += w

        # a stock (measured_at: period_end) counts the children in force on the last day
        stock = self._is_stock(ind)
        children_of = self.stock_children_of if stock else self.children_of
        corrections = {} if stock else self.corrections
        stack = [(e, _ONE)]
        while stack:
            x, w = stack.pop()
            take(x, w)
            for ch, cw in children_of.get(x, ()):
                if w * cw:
                    stack.append((ch, w * cw))
            for d, dw in corrections.get(x, ()):
                if w * dw:
                    take(d, w * dw)
        if not left_out:
            return None
        return n_sum, d_sum, [(v, role, None if w == _ONE else w) for v, role, w in inputs.values()], left_out

    def _covered_share(self, e: str, code: str, dims: str, over, vals, ctx, cons) -> None:
        """Emit a share computed over the entities that reported its breakdown (see
        :meth:`_share_over_covered`), and at the reporting root say so (ESG-CALC-014): which
        entities are left out and how much of the total the share covers."""
        n_sum, d_sum, inputs, left_out = over
        if e in self.roots:
            total = next(v for r, v in vals if r is self._fspecs[code].share[1])
            unit = self.lib[self._fspecs[code].share[1].indicator].unit
            covered, of = with_unit(plain(to_decimal(d_sum)), unit), with_unit(total.text or plain(total.number), unit)
            names = sorted(left_out)
            shown = "、".join(names[:12]), ", ".join(names[:12])
            more = (Bilingual(f" 等 {len(names)} 个主体", f" and {len(names) - 12} more") if len(names) > 12
                    else Bilingual("", ""))
            self.result.problems.append(Problem("ESG-CALC-014", Location(field=code), {
                "indicator": code, "period": self.period, "entity": e,
                "field": _breakdown_label(self.lib, self._fspecs[code].share[0], dims),
                "found": Bilingual(f"{of.zh}中的 {covered.zh}", f"{covered.en} of {of.en}"),
                "expected": Bilingual(shown[0] + more.zh, shown[1] + more.en)}))
        if d_sum == 0:
            return  # no entity reported both: nothing to divide
        number = ctx.multiply(to_decimal(n_sum / d_sum), self._formula_factors.get(code) or self._formula_factor(code))
        self._emit(e, code, dims, self.approach, number, inputs, cons)

    def _formula_factor(self, code: str) -> Decimal:
        """formula_factor of ``code``, kept by the run (its library does not change; finding it
        in the module's table renders the formula as text first)."""
        f = self._formula_factors.get(code)
        if f is None:
            f = self._formula_factors[code] = formula_factor(self.lib, code)
        return f

    def _formula_dims(self, code: str, spec: "_FormulaSpec", available: dict[str, set[str]]) -> list[str]:
        """The dimension keys a dimensioned formula is computed for at an entity: "" and every
        key of its inputs there made only of the formula's own dimensions."""
        keys = {""}
        fit = spec.dim_keys  # an input's key -> the formula's key it gives (or None), remembered
        for i in spec.ref_inds:
            for d in available.get(i, ()):
                if not d:
                    continue
                k = fit.get(d, _UNSEEN)
                if k is _UNSEEN:
                    parsed = Dims.parse(d)
                    sub = {k: v for k, v in parsed if k in spec.dimensions}
                    k = fit[d] = Dims(sub).key if sub and len(sub) == len(parsed) else None
                if k is not None:
                    keys.add(k)
        return sorted(keys)

    def _emit(self, e, code, dims, basis, number: Decimal, inputs, cons, text: str | None = None) -> Value:
        self.result.computed += 1
        value_text = text if text is not None else plain(number)
        out = self.out
        idx = len(out)
        wt = self._weight_texts
        unit = self._units.get(code)
        if unit is None:
            unit = self._units[code] = (self.lib[code].unit,)
        # a value computed from one that leaves out a source leaves it out too (calc/incomplete.py)
        marks = [v.mark for v, _role, _w in inputs if v.mark]
        mark = None if not marks else marks[0] if len(marks) == 1 else merge_marks(marks)
        if mark:
            self.result.incomplete += 1
        out.append(NewFact(e, code, self.period, dims, value_text, unit[0], basis, "calculated",
                           None, None, None, mark,
                           tuple([(v.fact_id, v.pending, role, None) if w is None else
                                  (v.fact_id, v.pending, role, wt.get(id(w)) or _weight_text(w))
                                  for v, role, w in inputs])))
        v = Value(number, None, idx, value_text, mark)
        key = (e, code, dims, basis)
        self.computed[key] = v
        dims_of = self.computed_dims.get((e, code, basis))
        if dims_of is None:
            self.computed_dims[(e, code, basis)] = {dims}
        else:
            dims_of.add(dims)
        if cons is not None and basis != "own":
            ckey = (e, code, dims)
            cons[ckey] = v
            self.cons_keys.setdefault(e, set()).add((code, dims))
            if code not in self.lib.formulas:
                self.cons_index.setdefault(e, {}).setdefault(code, set()).add(dims)
            self._pending.append((cons, ckey))
        self._pending.append((self.computed, key))
        return v

    # -- writing -------------------------------------------------------------------------
    def _write(self, conn=None) -> None:
        """Append only the calculated facts whose value changed; resolve pending lineage (in
        the caller's transaction ``conn`` when given)."""
        keep: list[int] = []
        # a kept fact may read an unchanged one: its id is the existing fact's id
        resolved: dict[int, int] = {}
        for i, f in enumerate(self.out):
            old = self.existing.get((f.entity, f.indicator, f.dims, f.basis))
            if old is not None and old.value == f.value and old.status == "calculated" \
                    and (old.comment or None) == f.comment:
                self.result.unchanged += 1
                resolved[i] = old.id
            else:
                if old is not None:
                    resolved[i] = old.id
                keep.append(i)
        rows = [self.out[i]._replace(inputs=()) for i in keep]
        stale, self._stale = self._stale, []
        rows += [NewFact(f.entity, f.indicator, f.period, f.dims, f.value, f.unit, f.basis, WITHDRAWN)
                 for f in stale]
        if not rows:  # nothing changed: no batch either (a run that changes nothing writes nothing)
            batch_id, ids = None, []
        elif conn is None:
            with self.store.writer.begin() as conn:
                batch_id, ids = self._append(conn, rows, keep, resolved)
        else:
            batch_id, ids = self._append(conn, rows, keep, resolved)
        self.result.batch_id = batch_id
        self.result.written = len(keep)
        for f, fid in zip(stale, ids[len(keep):]):
            del self.existing[(f.entity, f.indicator, f.dims, f.basis)]
            self.result.withdrawn.append(dataclasses.replace(
                f, revision=f.revision + 1, status=WITHDRAWN, author=self.author, id=fid, batch=batch_id))
        for i, fid in zip(keep, ids):
            f = self.out[i]
            old = self.existing.get((f.entity, f.indicator, f.dims, f.basis))
            self.existing[(f.entity, f.indicator, f.dims, f.basis)] = FactRecord(
                f.entity, f.indicator, f.period, f.dims, f.value, f.unit, f.basis,
                old.revision + 1 if old is not None else 1, "calculated", comment=f.comment, author=self.author,
                id=fid, batch=batch_id)
        # what this run computed now names its facts, for the lineage of the next update (only
        # values emitted by this run can be pending)
        for store, key in self._pending:
            v = store.get(key)
            if v is not None and v.pending is not None:
                store[key] = Value(v.number, resolved.get(v.pending), None, v.text, v.mark)
        self._pending = []

    def _append(self, conn, rows, keep, resolved) -> tuple[int, list[int]]:
        append = self.append or self.store._append
        batch_id, ids = append(conn, rows, kind="calc",
                                           source=run_source(self.period, self.approach),
                                           author=self.author, note=self.note)
        for i, fid in zip(keep, ids):
            resolved[i] = fid
        links = []
        add = links.append
        for i, fid in zip(keep, ids):
            for fact_id, pending, role, weight in self.out[i].inputs:
                src = fact_id if fact_id is not None else resolved.get(pending)
                if src is not None:
                    add((fid, src, role, weight))
        insert_rows(conn, S.fact_input, links, ("fact_id", "input_fact_id", "role", "weight"))
        return batch_id, ids


_ONE = Fraction(1)
_UNSEEN = object()


def _index_discard(index: dict[str, dict[str, set[str]]], e: str, indicator: str, dims: str) -> None:
    by = index.get(e)
    if by is not None:
        ds = by.get(indicator)
        if ds is not None:
            ds.discard(dims)
            if not ds:
                del by[indicator]


class _Ref:
    """A formula's reference, with what the run asks of it worked out once."""

    __slots__ = ("ref", "indicator", "dims", "dims_key", "text", "role", "_keys")

    def __init__(self, ref: Ref):
        self.ref = ref
        self.indicator = ref.indicator
        self.dims = dict(ref.dims)
        self.dims_key = ref.dims.key
        self.text = str(ref)
        self.role = f"ref:{self.text}"
        self._keys: dict[str, str] = {}

    def key(self, dims: str) -> str:
        """The key this reference reads for the formula's value of ``dims``."""
        k = self._keys.get(dims)
        if k is None:
            k = self._keys[dims] = Dims({**dict(Dims.parse(dims)), **self.dims}).key
        return k


class _FormulaSpec(NamedTuple):
    refs: tuple[_Ref, ...]
    ref_inds: tuple[str, ...]
    evaluate: object  # (table of ref values, 40-digit context) -> Decimal
    has_dims: bool
    dimensions: frozenset
    dim_keys: dict
    share: tuple[_Ref, _Ref] | None = None  # (numerator, denominator) of a share: see _share_refs


def _breakdown_label(lib: Library, ref: "_Ref", dims: str = "") -> Bilingual:
    """A share's numerator as the workbook names its row, in both languages: 员工总人数（性别: 女性）
    / Employees (Gender: Female)."""
    ind = lib.indicators.get(ref.indicator)
    items = list(Dims.parse(ref.key(dims) if dims else ref.dims_key))
    out = []
    for lang in ("zh", "en"):
        name = ind.name.get(lang) if ind is not None else ref.indicator
        parts = []
        for d, m in items:
            dim = lib.dimensions.get(d)
            dn = dim.name.get(lang) if dim is not None else d
            parts.append(f"{dn}: {lib.dimension_member_label(d, m, lang) or m}")
        joined = ("；" if lang == "zh" else "; ").join(parts)
        out.append(f"{name}（{joined}）" if lang == "zh" else f"{name} ({joined})")
    return Bilingual(*out)


def _share_refs(node: Node) -> tuple[Ref, Ref] | None:
    """(numerator, denominator) of a formula that is a share of a total by a breakdown of the
    same indicator: ``X[d=m] / X`` (``employees[gender=female] / employees``), or more generally
    a reference divided by the same indicator at a key it narrows (``X[a=1,b=2] / X[a=1]``);
    None for any other formula (a ratio of two indicators, ``waste_recycled[…] /
    waste_generated[…]``, is not one: what one entity lacks of it is not a breakdown)."""
    if type(node) is not Bin or node.op != "/" or type(node.left) is not Ref or type(node.right) is not Ref:
        return None
    num, den = node.left, node.right
    narrow, wide = set(num.dims), set(den.dims)
    if num.indicator != den.indicator or not wide < narrow:
        return None
    return num, den


def _compile(node: Node):
    """``node.evaluate`` as a closure over a table of the refs' values and a 40-digit context:
    the same operations in the same contexts (a binary operation at 40 digits, a negation in
    the caller's context), without a decimal context entered for each operation."""
    if type(node) is Num:
        value = node.value
        return lambda t, ctx: value
    if type(node) is Ref:
        return lambda t, ctx: t[node]
    if type(node) is Neg:
        operand = _compile(node.operand)
        return lambda t, ctx: -operand(t, ctx)
    if type(node) is Bin:
        left, right, op, divisor = _compile(node.left), _compile(node.right), node.op, node.right
        if op == "+":
            return lambda t, ctx: ctx.add(left(t, ctx), right(t, ctx))
        if op == "-":
            return lambda t, ctx: ctx.subtract(left(t, ctx), right(t, ctx))
        if op == "*":
            return lambda t, ctx: ctx.multiply(left(t, ctx), right(t, ctx))

        def divide(t, ctx):
            a, b = left(t, ctx), right(t, ctx)
            if b == 0:
                raise FormulaZeroDivision(divisor)
            try:
                return ctx.divide(a, b)
            except (DivisionByZero, InvalidOperation) as exc:  # pragma: no cover
                raise FormulaZeroDivision(divisor) from exc
        return divide
    return lambda t, ctx: node.evaluate(lambda r: t[r])  # a node of another kind: as it evaluates


def _exact_sum(parts, unit: bool = False, ctx=None) -> Decimal:
    """``to_decimal`` of Σ w·x over ``parts`` (value, role, weight). Where every weight is 1
    (``unit``: the node's children all weigh 1, i.e. operational control over the whole
    period) and the decimal sum is exact within the 40 digits ``to_decimal`` keeps, it is that
    sum (the same number); else the exact rational. ``ctx``: the context of that sum (the
    current one at 40 digits, trapping Inexact), when the caller has made it already."""
    if unit or all(w is None or w == _ONE for _v, _r, w in parts):
        if ctx is None:
            ctx = getcontext().copy()
            ctx.prec = 40
            ctx.traps[Inexact] = True
        try:
            total = Decimal(0)
            add = ctx.add
            for v, _r, _w in parts:
                total = add(total, v.number)
            if total.is_finite():
                return total
        except Inexact:
            pass
    return to_decimal(sum((Fraction(v.number) * (w if w is not None else 1) for v, _r, w in parts), Fraction(0)))


def _state(v: "Value | None") -> tuple | None:
    """What a value's fact says: its text and its mark (a mark that changes is a change)."""
    return None if v is None else (v.text, v.mark)


def _num(text: str, ind) -> Decimal:
    if ind.value_type == "category":
        return Decimal(0)
    return Decimal(text)


@functools.lru_cache(maxsize=4096)
def _weight_text(w: Fraction) -> str:
    d = to_decimal(w)
    return plain(d) if to_decimal(Fraction(d)) == d and Fraction(d) == w else str(w)
