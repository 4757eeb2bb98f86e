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

The run is :class:`Consolidation` here (its inputs, a full run and an update, consolidating a
node, what it emits); its parts are mixins by concern in the modules beside this one:
:mod:`.structure` (the tree for the period), :mod:`.formulas` and :mod:`.writing`.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal, Inexact, getcontext
from fractions import Fraction
from typing import Iterable

from esgledger.calc.consolidate.formulas import _Formulas, _FormulaSpec
from esgledger.calc.consolidate.structure import _Structure, period_bounds
from esgledger.calc.consolidate.values import _ONE, Value, to_decimal
from esgledger.calc.consolidate.writing import _Writing
from esgledger.calc.incomplete import PREFIX as INCOMPLETE, merge as merge_marks
from esgledger.library.loader import Library
from esgledger.model.errors import Location, Problem, ProblemList
from esgledger.model.period import Period
from esgledger.model.tree import EntityTree
from esgledger.model.types import WITHDRAWN, FactRecord
from esgledger.model.units import plain
from esgledger.store.ledger import NewFact, Store

APPROACHES = ("control", "equity")


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


class Consolidation(_Structure, _Formulas, _Writing):
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
        self._units: dict[str, tuple] = {}  # each indicator's unit (in a tuple: it may be None)
        self._node_info: dict[str, tuple] = {}  # each node's children, whether all weigh 1, and roles
        self._exists_of: dict[str, bool] = {}
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
        return self.lib.derived("weighted_means", lambda: [
            (code, ind.weight) for code, ind in self.lib.indicators.items()
            if ind.weight and ind.aggregation == "weighted_mean"])

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


def _index_discard(index: dict[str, dict[str, set[str]]], e: str, indicator: str, dims: str) -> None:
    by = index.get(e)
    if by is not None:
        ds = by.get(indicator)
        if ds is not None:
            ds.discard(dims)
            if not ds:
                del by[indicator]


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
