"""GHG accounting over the ledger: activity facts → emissions, in three reconciled views.

A run reads an input package (the period's own activity facts, the entity tree, the factor
library), applies the methodologies of :mod:`esgledger.calc.methods` by each entity's process
type, and appends calculated facts (status ``calculated``, basis ``own``) each with its lineage:
the activity facts it read (``fact_input``), the method and GWP set (``fact_method``) and every
factor value used with its set, edition, source and confidence (``fact_factor``).

Views over the same activity data (ARCHITECTURE.md "Accounting view"):

* **inventory** (GHG Protocol / ISO 14064-1): ``emissions_by_source`` and ``scope1_emissions``
  (by gas, CO2e) per entity; ``scope2_location`` / ``scope2_market`` for electricity bought
  from outside the group (grid, green-power contracts, certificates) and for heat bought from
  outside it (``purchased_heat`` × 0.11 t CO2/GJ, in both); ``scope3_emissions`` by
  category. Electricity a unit takes from the group's captive plant is not Scope 2 of the
  group: its CO2 is the plant's Scope 1. Consolidated up the tree by control or equity.
* **ets** (MEE CETS-AG-04.01-V01-2024): per enterprise (a company and its own sites and
  units, not its subsidiaries): electrolysis anode + PFC + enterprise-level combustion and
  carbonates, the PFC at the guideline's coefficients (C2F6/CF4 0.1, :meth:`GhgRun._ets_pfc`)
  and its GWP set whatever the report's (:meth:`GhgRun.ets_gwp`); purchased electricity as an
  auxiliary item only; the production basis, liquid aluminium, and the emissions per tonne of
  it; the captive plant under the power-generation guideline (its own ``ets_emissions``), also
  when it is a site or unit of the smelter company (:func:`ets_enterprises`).
* **product** (cradle-to-gate inside the group): t CO2e per tonne of alumina, baked anode,
  liquid aluminium (electrolysis stage, and with its alumina and anodes) and foil (the foil
  mills' own emissions and the metal they take in at the liquid-aluminium footprint,
  :meth:`GhgRun._foil`; none without that metal, ESG-CALC-015); electricity from a captive
  plant at the factor per MWh supplied of the plant that supplies the unit
  (:mod:`esgledger.calc.captive`; ESG-CALC-017 where the group has several and none is named),
  grid electricity at the market-based factors (green-power contracts at zero, the rest at the
  residual mix); heat bought from outside the group (``purchased_heat``) at the heat factor.

The run is :class:`GhgRun` here (what it reads, its parts and their order, a full run and an
update); its parts are mixins by concern in the modules beside this one: :mod:`.inventory`
(sources, Scope 1), :mod:`.scope23` (Scope 2 and 3), :mod:`.energy`, :mod:`.ets`,
:mod:`.products` and :mod:`.writing`.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from esgledger.calc import incomplete
from esgledger.calc.consolidate import no_longer_produced, period_bounds
from esgledger.calc.ghg.common import (BOUGHT_ELECTRICITY, GHG_INPUTS, PURCHASED_INDICATOR, GhgRunResult, Output,
                                       Source)
from esgledger.calc.ghg.energy import _Energy
from esgledger.calc.ghg.ets import _Ets, ets_enterprises
from esgledger.calc.ghg.inventory import _Inventory
from esgledger.calc.ghg.memo import MemoFactors, _Calls
from esgledger.calc.ghg.products import PRODUCT_READS, _Products
from esgledger.calc.ghg.scope23 import _Scope23
from esgledger.calc.ghg.writing import _Writing
from esgledger.calc.methods import CalcError
from esgledger.calc.methods.result import Result
from esgledger.library.factors import FactorLibrary
from esgledger.library.loader import Library
from esgledger.model.errors import Location, Problem
from esgledger.model.period import Period
from esgledger.model.tree import EntityTree
from esgledger.model.types import FactRecord
from esgledger.model.units import UNITS
from esgledger.store.ledger import Store

_PART_ORDER = {"plant": 0, "entity": 1, "ets": 2, "product": 3}


class GhgRun(_Inventory, _Scope23, _Energy, _Ets, _Products, _Writing):
    """One period's methodology run for every entity of the tree.

    :meth:`run` computes everything (a full run). The run keeps what it computed, per entity
    and per view, so that :meth:`update` can then recompute only what one changed activity
    fact reaches: that entity's sources and its inventory, Scope 2/3 and energy figures; the
    captive plant's factor per MWh when the change is in the plant; the ETS enterprise the
    entity belongs to; and the product view. Consolidation above them is
    :class:`~esgledger.calc.consolidate.Consolidation`'s work."""

    def __init__(self, store: Store, library: Library, tree: EntityTree, factors: FactorLibrary,
                 period: str, *, gwp_set: str = "AR5", author: str | None = None, note: str | None = None,
                 facts: Iterable[FactRecord] | None = None):
        """``facts``: the period's current own facts, when the caller has read them already
        (else they are read from ``store``)."""
        self.store, self.lib, self.tree = store, library, tree
        # every lookup of a run remembered (a run asks the same questions for every entity)
        self.factors = factors if isinstance(factors, MemoFactors) else MemoFactors(factors)
        self.period = str(Period.parse(period))
        self.year = Period.parse(period).year
        self._fx: dict[str, MemoFactors] = {}
        self.gwp = gwp_set
        self.author = author
        self.note = note
        self.res = GhgRunResult(self.period)
        self.facts: dict[tuple[str, str, str], FactRecord] = {}
        self.existing: dict[tuple[str, str, str], FactRecord] = {}
        # the dimension keys of each (entity, indicator) with a fact: the sources, Scope 3 and
        # energy read an entity's facts of a few indicators by every dimension key given
        self.dims_of: dict[tuple[str, str], set[str]] = {}
        for f in (facts if facts is not None else store.iter_current(period=self.period, basis="own")):
            if f.basis == "own":
                self.take(f)
        # what the last run computed: sources by entity, captive plants' factors, and the
        # outputs of each part of the run (("entity", code), ("plant", code), ("ets", company),
        # ("product", ""))
        self.sources: dict[str, dict[str, Source]] = {}
        # the sources of each entity whose methodology could not run: (source, problem code,
        # the facts it read); the totals that should include them are marked incomplete
        self.missing: dict[str, list[tuple[str, str, list[FactRecord]]]] = {}
        # the energy carriers of each entity that did not convert to standard coal, as
        # (entity, energy:<carrier>, problem code): its energy totals are marked incomplete
        self.energy_missing: dict[str, set[tuple[str, str, str]]] = {}
        # the captive plants' factors per MWh supplied: (factor, its emissions result, the output)
        self.plant_ef: dict[str, tuple[Decimal, Result, Output]] = {}
        self.produced: dict[tuple[str, str], list[Output]] = {}
        self._sink: list[Output] | None = None
        self.append = None  # how facts are appended (default: Store._append)
        self._ets_of: dict[str, list[str]] | None = None
        self._ets_gwp: str | None = None  # the ETS aluminium guideline's GWP set (ets_gwp)
        self._root: str | None = None
        self._grids: dict[tuple[str, str], object] = {}  # grid factors by (entity, basis)
        # the product view's stages (emissions and inputs, output and its facts) by product, as
        # the last run computed them; a stage goes when one of its entities or a captive plant
        # changes
        self._stages: dict[str, tuple] = {}
        # what each stage (and liquid aluminium) last emitted: (the stage tuple it was computed
        # from, its outputs, its warnings, its figures for liquid aluminium)
        self._stage_said: dict[str, tuple] = {}
        self._by_type: dict[str, list[str]] | None = None  # entities by process type (the tree's)
        self._stale: list[FactRecord] = []  # earlier results a full run no longer produced
        # the methodology calls of each entity's sources and Scope 2/3 the last time they were
        # computed, by their arguments (see _Calls)
        self._calls: dict[tuple[str, str], dict] = {}
        # the purchased-heat results of the last run or update, by their arguments (the
        # inventory and the product view ask the same)
        self._run_calls = _Calls(None)
        # each energy use by what it is made of (see _energy_uses), with its memo
        self._uses: dict[tuple, tuple] = {}
        # each entity's Scope 2 and fact-based Scope 3 as last computed, by the facts read
        self._scope23: dict[str, tuple] = {}
        # each entity's emissions_by_source outputs by source, as last computed: a product
        # stage's lineage goes through them (10.80 t/t ← emissions by source ← activity rows)
        self._source_out: dict[tuple[str, str], Output] = {}
        # the entities whose captive electricity the product view could not give a plant
        # (several plants, none named: ESG-CALC-017), as (entity, source, code) of the marks
        self._unassigned: list[tuple[str, str, str]] = []
        # the energy uses the product view's energy per tonne left out, (entity, energy:<carrier>,
        # code): a stage's energy reads captive electricity, which the entity's energy total does not
        self._stage_energy_out: list[tuple[str, str, str]] = []

    def take(self, f: FactRecord) -> bool:
        """Take one current own fact into the run's inputs; True if it is an activity input."""
        ind = self.lib.get(f.indicator)
        key = (f.entity, f.indicator, f.dims)
        if ind is not None and ind.kind == "method":
            self.existing[key] = f
            return False
        if key not in self.facts:
            self.dims_of.setdefault((f.entity, f.indicator), set()).add(f.dims)
        self.facts[key] = f
        return f.indicator in GHG_INPUTS

    # -- helpers ---------------------------------------------------------------------------
    def fact(self, entity: str, indicator: str, dims: str = "") -> FactRecord | None:
        return self.facts.get((entity, indicator, dims))

    def dims(self, entity: str, indicator: str) -> list[str]:
        """The dimension keys of the entity's facts of ``indicator``, sorted."""
        return sorted(self.dims_of.get((entity, indicator), ()))

    def num(self, entity: str, indicator: str, dims: str = "") -> Decimal | None:
        f = self.fact(entity, indicator, dims)
        return None if f is None else Decimal(f.value)

    def tonnes(self, entity: str, indicator: str, dims: str = "") -> Decimal | None:
        """A mass fact in tonnes, whatever unit the indicator keeps it in (万吨 → 吨)."""
        v = self.num(entity, indicator, dims)
        return None if v is None else UNITS.convert(v, self.lib[indicator].unit, "吨")

    def purchased_as_grid(self, code: str) -> tuple[Decimal, FactRecord | None]:
        """The MWh of the entity's purchased electricity (``purchased_electricity``, 外购电量)
        that its electricity_received from outside the group by supplier (grid, green
        contracts, certificates) does not account for, and the purchased_electricity fact;
        (0, None) when there is none. That electricity is counted as grid electricity without
        contractual instruments, wherever grid electricity is: Scope 2 (location-based at the
        grid factor of the entity's area, market-based at the residual mix, GHG Protocol Scope 2
        Guidance ch.6-7), Scope 3 cat.3, energy consumption, the ETS auxiliary electricity and
        the product view (at the residual mix), with ESG-CALC-013 naming the entity and the MWh."""
        p = self.fact(code, PURCHASED_INDICATOR)
        if p is None:
            return Decimal(0), None
        unit = self.lib["electricity_received"].unit
        by_supplier = sum((UNITS.convert(Decimal(f.value), unit, "兆瓦时") for f in (
            self.fact(code, "electricity_received", f"supplier={s}") for s in BOUGHT_ELECTRICITY) if f is not None),
            Decimal(0))
        rest = UNITS.convert(Decimal(p.value), self.lib[PURCHASED_INDICATOR].unit, "兆瓦时") - by_supplier
        return (rest, p) if rest > 0 else (Decimal(0), None)

    def emit(self, entity, indicator, dims, value, inputs, result, method, view, factors=(),
             equation: str | None = None, comment: str | None = None, gwp: str | None = None) -> Output:
        """An output of the run. ``inputs``: the facts it read, and outputs of this run it was
        computed from (the captive plant's factor for a product's electricity), which its
        lineage names by the fact that holds them once written. ``comment``: its mark if it
        leaves out a source it should include (:meth:`left_out`). ``gwp``: the GWP set its
        lineage records, where it is not the run's."""
        o = Output(entity, indicator, dims, value, [f for f in inputs if f is not None], result, method, view,
                   tuple(factors), equation, comment=comment, gwp=gwp)
        self.res.outputs.append(o)
        if self._sink is not None:
            self._sink.append(o)
        return o

    def defaulted(self, entity: str, what: str, found, expected) -> None:
        """A methodology ran on a default for want of the entity's own data (ESG-CALC-008)."""
        self.res.problems.append(Problem("ESG-CALC-008", Location(field=f"{entity}/{what}"), {
            "entity": entity, "indicator": what, "period": self.period, "found": found, "expected": expected}))

    def problem(self, entity: str, what: str, exc: Exception) -> None:
        self.res.problems.append(Problem("ESG-CALC-005", Location(field=f"{entity}/{what}"), {
            "entity": entity, "indicator": what, "period": self.period, "found": CalcError.message_of(exc)}))

    def left_out(self, codes: Iterable[str], sources: Iterable[str] | None = None,
                 but: tuple[str, ...] = ()) -> tuple[str | None, list[FactRecord]]:
        """The mark of a figure over these entities' ``sources`` (None: all, less ``but``) for
        the sources among them whose methodology could not run (None if none), and the facts
        those methodologies read (named in the lineage of a Scope 1 or ETS total, so that
        ``explain`` shows what it leaves out)."""
        wanted = None if sources is None else set(sources)
        items, reads = [], []
        for c in codes:
            for src, code, rs in self.missing.get(c, ()):
                if (wanted is None or src in wanted) and src not in but:
                    items.append((c, src, code))
                    reads += rs
        return incomplete.mark(items), reads

    def root(self) -> str:
        """The reporting root (the first root of the tree), found once: the tree is the
        run's for as long as it is kept."""
        if self._root is None:
            self._root = sorted(self.tree.roots())[0]
        return self._root

    def process_type(self, code: str) -> str:
        return self.tree.entities[code].process_type

    def attr(self, code: str, name: str) -> str | None:
        return self.tree.inherited_attr(code, name)

    # -- the run ---------------------------------------------------------------------------
    def run(self, *, write: bool = True, conn=None) -> GhgRunResult:
        """Everything, for every entity (a full run)."""
        self.res = GhgRunResult(self.period)
        self._stale = []
        self._run_calls = _Calls(self._run_calls)
        self.produced.clear()
        self._stages.clear()
        self._stage_said.clear()
        for code in sorted(self.tree.entities):
            self.sources[code] = self._sources(code)
        plants = [c for c in sorted(self.tree.entities) if self.process_type(c) == "power_plant"]
        for code in plants:
            self._produce(("plant", code))
        for code in sorted(self.tree.entities):
            self._produce(("entity", code))
        for company in sorted(self.ets_of_company()):
            self._produce(("ets", company))
        self._produce(("product", ""))
        produced = {(o.entity, o.indicator, o.dims) for o in self.res.outputs}
        self._withdraw(set(self.existing) - produced)
        self.res.left_out = self._left_out_all()
        if write:
            self._write(conn)
        return self.res

    def update(self, changed: Iterable[FactRecord], *, write: bool = True, conn=None) -> GhgRunResult:
        """Take changed own facts and recompute only what reads them (see the class note).
        The outputs equal those of a full run over the same facts."""
        self.res = GhgRunResult(self.period)
        self._stale = []
        dirty = {f.entity for f in changed if f.basis == "own" and self.take(f)}
        dirty &= set(self.tree.entities)
        if not dirty:
            return self.res
        self._run_calls = _Calls(self._run_calls)
        for code in sorted(dirty):
            self.sources[code] = self._sources(code)
        if any(self.process_type(c) == "power_plant" for c in dirty):
            self._stages.clear()  # the plant's factor reaches every stage's electricity
        else:
            for product in [p for p, st in self._stages.items() if dirty.intersection(st[0])]:
                del self._stages[product]
        parts: list[tuple[str, str]] = []
        parts += [("plant", c) for c in sorted(dirty) if self.process_type(c) == "power_plant"]
        parts += [("entity", c) for c in sorted(dirty)]
        parts += [("ets", co) for co, members in sorted(self.ets_of_company().items()) if dirty & set(members)]
        if any(self.process_type(c) in PRODUCT_READS for c in dirty):
            parts.append(("product", ""))
        before: set[tuple[str, str, str]] = set()
        for part in parts:
            old = self.produced.get(part, ())
            self._produce(part)
            new = self.produced[part]
            if len(old) != len(new) or not all(
                    a is b or (a.indicator == b.indicator and a.dims == b.dims and a.entity == b.entity)
                    for a, b in zip(old, new)):  # (the same keys in the same order: nothing gone)
                before |= {(o.entity, o.indicator, o.dims) for o in old}
        # what a recomputed part gave before and no part gives now (an input changed so that a
        # method cannot run: see ESG-CALC-005) is withdrawn, as a full run would
        gone = before - {(o.entity, o.indicator, o.dims) for o in self.res.outputs} if before else before
        if gone:
            self._withdraw(gone - {(o.entity, o.indicator, o.dims) for o in self.outputs()})
        self.res.left_out = self._left_out_all()
        if write:
            self._write(conn)
        return self.res

    def _left_out_all(self) -> list[tuple[str, str, str]]:
        return sorted({(c, src, code) for c, ms in self.missing.items() for src, code, _r in ms}
                      | set(self._unassigned) | set(self._stage_energy_out)
                      | {item for items in self.energy_missing.values() for item in items})

    def _withdraw(self, keys: set[tuple[str, str, str]]) -> None:
        """Results in the ledger that this run no longer produces: withdrawn when it writes
        (its method cannot run any more, see ESG-CALC-005, or an input was withdrawn)."""
        for key in sorted(keys):
            f = self.existing.get(key)
            if f is not None and f.status == "calculated":
                self._stale.append(f)
                self.res.problems.append(no_longer_produced(f))

    def outputs(self) -> list[Output]:
        """Every output of the last run and the updates since, as a full run would give them."""
        return [o for part in sorted(self.produced, key=_part_order) for o in self.produced[part]]

    def _produce(self, part: tuple[str, str]) -> None:
        kind, code = part
        self._sink = []
        try:
            if kind == "plant":
                self._captive_plant(code)
            elif kind == "entity":
                srcs = self.sources.get(code, {})
                self._inventory(code, srcs)
                self._scope2_and_3(code, srcs)
                self._energy(code)
                self._purchased_electricity(code)
                self._unattributed_electricity(code)
            elif kind == "ets":
                self._ets_company(code)
            else:
                self._products(self.sources, self.plant_ef)
            self.produced[part] = self._sink
        finally:
            self._sink = None

    def ets_of_company(self) -> dict[str, list[str]]:
        """ETS enterprises and their members (see :func:`ets_enterprises`)."""
        if self._ets_of is None:
            self._ets_of = ets_enterprises(self.tree)
        return self._ets_of

    def fx(self, code: str) -> MemoFactors:
        """The run's factor library as asked for ``code``: a value of the workspace's for some
        entities applies to them and what is under them (the entity's parents at the period's
        end); the run's one library where no value names an entity."""
        got = self._fx.get(code)
        if got is None:
            if not self.factors.scoped:
                got = self.factors
            else:
                _start, end = period_bounds(Period.parse(self.period))
                got = self.factors.at(self.tree.chain_on(code, end))
            self._fx[code] = got
        return got


def _part_order(part: tuple[str, str]) -> tuple[int, str]:
    return _PART_ORDER[part[0]], part[1]
