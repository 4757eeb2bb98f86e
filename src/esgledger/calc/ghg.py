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
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from types import MappingProxyType
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Iterable

from esgledger.calc import incomplete
from esgledger.calc.captive import supplier as captive_supplier, supplying_plants
from esgledger.calc._rows import insert_rows
from esgledger.calc.consolidate import no_longer_produced, period_bounds
from esgledger.calc.methods import CalcError, InvalidInput
from esgledger.calc.methods import alumina as m_alumina
from esgledger.calc.methods import aluminium as m_al
from esgledger.calc.methods import anode_plant as m_anode
from esgledger.calc.methods import combustion as m_comb
from esgledger.calc.methods import electricity as m_elec
from esgledger.calc.methods import energy as m_energy
from esgledger.calc.methods import power_plant as m_power
from esgledger.calc.methods import scope3 as m_s3
from esgledger.calc.methods.result import Result, combine
from esgledger.library.factors import FactorLibrary, FactorLookupError, FactorValue
from esgledger.library.loader import Library
from esgledger.model.errors import Bilingual, Location, Problem, ProblemList
from esgledger.model.period import Period
from esgledger.model.tree import EntityTree
from esgledger.model.types import FACT_STATUS_NAMES, WITHDRAWN, Dims, FactRecord
from esgledger.model.units import UNITS, plain, with_unit
from esgledger.store import schema as S
from esgledger.store.ledger import NewFact, Store
from esgledger.store.lineage import record_methods

SCOPE1_SOURCES = ("combustion", "anode", "pfc", "carbonate", "pitch_volatiles", "packing_coke",
                  "power_generation", "desulphurisation")
ETS_SOURCES = ("combustion", "anode", "pfc", "carbonate")          # MEE aluminium guideline §5
# the national ETS view's coefficients: the 2024 guideline's, then its 2013 predecessor's
ETS_PREFER = ("cn_aluminium_mee2024", "cn_aluminium_ndrc2013")
# what the captive plant's factor per MWh supplied counts: all it burns, and desulphurisation
PLANT_SOURCES = ("power_generation", "desulphurisation", "combustion")
ETS_POWER_SOURCES = ("power_generation", "desulphurisation", "combustion")  # MEE 发电设施 guideline
FUEL_INDICATORS = {  # activity indicator -> (fuel key of the factor sets, unit of the fact)
    "diesel_consumption": "diesel",
    "natural_gas_consumption": "natural_gas",
}
GAS_DIMS = {"CO2": "co2", "CF4": "cf4", "C2F6": "c2f6", "CH4": "ch4", "N2O": "n2o"}
MAT = {"alumina", "petroleum_coke", "pitch", "caustic_soda", "aluminium_fluoride", "primary_aluminium"}
FACTOR_MATERIAL = {"pitch": "coal_tar_pitch"}          # library member -> factor-set member
FACTOR_MODE = {"ship": "inland_water"}
# fuel (a combustion result's label or its factors' fuel member) -> member of scope3.cat3.fuel_upstream;
# "coal" is the captive plant's coal when its facts name no fuel
UPSTREAM_FUEL = {"diesel": "diesel", "natural_gas": "natural_gas", "bituminous": "coal", "anthracite": "coal",
                 "raw_coal": "coal", "lignite": "coal", "coal": "coal"}
# Søderberg paste consumed by a line (t): not a shipped indicator yet; a workspace's own library
# may define it (unit a mass), and the Søderberg lines then take IPCC 2006 Vol.3 Eq.4.24
PASTE_INDICATOR = "paste_consumption"
# heat (steam, hot water) bought from outside the group, GJ: Scope 2 at the heat factor (cn_heat
# heat.ef, 0.11 t CO2/GJ), energy at GB/T 2589's 0.03412 kgce/MJ, and the product view's stages
HEAT_INDICATOR = "purchased_heat"
# electricity from outside the group (the group's energy total: the captive plant's coal counts
# where it burns), and all the electricity a process stage uses (its energy per tonne of product)
BOUGHT_ELECTRICITY = ("grid", "green_contract", "green_certificate")
STAGE_ELECTRICITY = ("grid", "captive", "green_contract", "green_certificate")
# electricity bought from the grid or from retailers (外购电量, green power included): where the
# entity's electricity_received by supplier from outside the group (BOUGHT_ELECTRICITY) does not
# account for all of it, the rest is counted as grid electricity without contractual instruments
# (location-based at the grid factor, market-based at the residual mix: GHG Protocol Scope 2
# Guidance ch.6-7; ref. §3.1), with ESG-CALC-013 (UAT 3 H2)
PURCHASED_INDICATOR = "purchased_electricity"
# the aluminium a foil mill takes in (t): foil is cradle-to-gate inside the group with that
# metal at the group's liquid-aluminium footprint per tonne (:meth:`GhgRun._foil`)
FOIL_METAL_INDICATOR = "foil_metal_input"
METHOD_VERSION = "1.0"
# the equations of figures that add up methodology results (recorded in their lineage, as a
# methodology's result records its own)
EQ_SCOPE1 = "Scope 1 = Σ sources' CO2e (GHG Protocol Corporate Standard; ISO 14064-1:2018)"
EQ_SCOPE1_GAS = "E_gas = Σ sources' mass of the gas × its GWP (GHG Protocol Corporate Standard)"
# an emission source none of whose parts could run (ESG-CALC-005): written at 0, marked incomplete,
# its lineage naming the facts its methodology could not take (GhgRun._inventory)
SOURCE_LEFT_OUT = "inventory.source_left_out"
EQ_SOURCE_LEFT_OUT = ("E_source = Σ of its parts whose methodology could run: none could (ESG-CALC-005), so 0, "
                      "marked incomplete: the figure leaves the source out")
# the gases each emission source's methodologies account (every method of a source gives the same
# ones: the anode-effect PFC methods CF4 and C2F6, IPCC 2006 Vol.3 §4.4.2.4; every other source
# CO2 under the NDRC 2013 aluminium guideline and IPCC 2006 Vol.3 ch.4); a source none of whose
# parts could run still has a per-gas part, at 0 and marked, for each of them
SOURCE_GASES = {"pfc": ("CF4", "C2F6")}
OTHER_SOURCE_GASES = ("CO2",)
EQ_SCOPE3 = "Scope 3 = Σ categories' CO2e (GHG Protocol Scope 3 Standard)"
EQ_ENERGY_CARRIER = ("E_carrier = amount × its coefficient: the fuel's NCV / 29.307 GJ per tce where its NCV is known, "
                     "else its GB/T 2589-2020 Annex A coefficient (tce)")
EQ_ETS = {"smelter": "E = E_combustion + E_anode + E_PFC + E_carbonate (MEE CETS-AG-04.01-V01-2024 §5); "
                     "purchased electricity is an auxiliary item, not counted",
          "power_plant": "E = E_combustion + E_desulphurisation (MEE 发电设施 guideline; the captive plant "
                         "reports on its own)"}
EQ_ETS_AUX = "purchased electricity, MWh (MEE CETS-AG-04.01-V01-2024: auxiliary item, not in the total)"
EQ_ETS_PRODUCTION = ("P = Σ liquid aluminium (铝液) tapped by the enterprise's lines, t (MEE CETS-AG-04.01-V01-2024 "
                     "§8: the production basis)")
EQ_ETS_INTENSITY = "intensity = the enterprise's ETS emissions / its liquid aluminium output (t CO2e per t)"
EQ_PRODUCT = ("E = Σ over the stage's entities of their direct sources (but power generation) + captive "
              "electricity × the supplying captive plant's factor per MWh supplied + grid electricity × the "
              "residual-mix factor (green contracts at 0) + bought heat × the heat factor (cradle-to-gate inside "
              "the group; the plant's factor = its emissions / net supply, domain reference §2.5)")
EQ_LIQUID_AL = (EQ_PRODUCT + "; liquid aluminium adds the alumina consumed × the alumina stage's t CO2e/t "
                "and the net anodes consumed × the baked-anode stage's t CO2e/t")
EQ_FOIL = ("E_foil = the foil mills' own emissions (" + EQ_PRODUCT + ") + the aluminium they took in × the "
           "group's liquid-aluminium footprint per t (cradle-to-gate inside the group)")
EQ_FOOTPRINT = "footprint = the product's emissions / its output (t CO2e per t)"
# the product view's process stages: (product, the process type of its entities, their output)
PRODUCT_STAGES = (("alumina", "alumina_refinery", "alumina_output"),
                  ("baked_anode", "anode_plant", "anode_output"),
                  ("aluminium_electrolysis", "smelter", "aluminium_output"),
                  ("foil", "foil_mill", "aluminium_foil_output"))
# what the smelters' consumption of an upstream stage's product is (liquid aluminium adds it)
UPSTREAM_USE = {"alumina": "alumina_consumption", "baked_anode": "net_anode_consumption"}
# products whose figure adds an upstream product's footprint to their own stage's emissions
# (foil: the metal taken in, at the liquid-aluminium footprint), emitted after it
CHAINED = frozenset({"foil"})
# entities whose activity facts the product view reads (and the captive plant, via its factor)
PRODUCT_READS = frozenset({"alumina_refinery", "anode_plant", "smelter", "foil_mill", "power_plant"})
_PART_ORDER = {"plant": 0, "entity": 1, "ets": 2, "product": 3}
# in the order Scope 3 reads them (by indicator, then dimension key)
_SCOPE3_READS = ("electricity_received", "freight_transport", "purchased_material", PURCHASED_INDICATOR)
# every indicator a GHG run reads: a change to anything else leaves its results as they are
GHG_INPUTS = frozenset({
    "diesel_consumption", "natural_gas_consumption", "solid_fuel_consumption", "fuel_ncv_measured",
    "fuel_carbon_content_measured", "limestone_consumption", "desulph_sorbent_purity", "soda_ash_consumption",
    "aluminium_output",
    "net_anode_consumption", "anode_sulphur_content", "anode_ash_content", "anode_effect_minutes",
    "anode_effect_overvoltage", "current_efficiency", "green_anode_input", "anode_output",
    "packing_coke_consumption", "power_supplied", "electricity_received", "purchased_material",
    "freight_transport", "alumina_output", "alumina_consumption", "aluminium_foil_output", FOIL_METAL_INDICATOR,
    PASTE_INDICATOR,
    HEAT_INDICATOR, "electricity_consumption", PURCHASED_INDICATOR})
# energy_consumption (kind method) is computed here too, from the same fuel, electricity and heat facts


def run_source(period: str) -> str:
    return f"ghg run {period}"


@dataclass
class Source:
    """One emission source of one entity: the methodology result and the facts it read."""

    result: Result
    reads: list[FactRecord]


@dataclass
class Output:
    entity: str
    indicator: str
    dims: str
    value: Decimal
    inputs: list[FactRecord]
    result: Result | None
    method: str
    view: str
    # factor values an aggregate used beyond its ``result``'s (a Scope 1 total, an ETS total, a
    # product's emissions: the factors of the results they add up), for its lineage
    factors: tuple = ()
    # the equation of a figure without a ``result`` of its own (a total, a product figure), or
    # of one that is not its result's (the captive plant's factor: its emissions / supply)
    equation: str | None = None
    # the mark of a figure that leaves out a source it should include (calc/incomplete.py),
    # stored as the calculated fact's comment
    comment: str | None = None
    # the GWP set the figure was weighted with, where it is not the run's (the report's): the
    # national ETS view's figures take their guideline's (:meth:`GhgRun.ets_gwp`)
    gwp: str | None = None


@dataclass
class GhgRunResult:
    period: str
    outputs: list[Output] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    written: int = 0
    unchanged: int = 0
    batch_id: int | None = None
    records: list[FactRecord] = field(default_factory=list)  # the facts appended
    withdrawn: list[FactRecord] = field(default_factory=list)  # revisions withdrawing stale results
    # the sources whose methodology could not run (ESG-CALC-005), (entity, source, code), and
    # the energy carriers that did not convert to standard coal (entity, energy:<carrier>, code),
    # in the entity's energy totals or a product stage's energy per tonne: the totals that should
    # include them are written marked incomplete (calc/incomplete.py)
    left_out: list[tuple[str, str, str]] = field(default_factory=list)

    def value(self, entity: str, indicator: str, dims: str = "") -> Decimal | None:
        for o in self.outputs:
            if (o.entity, o.indicator, o.dims) == (entity, indicator, dims):
                return o.value
        return None


class GhgRun:
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

    def _sources(self, code: str) -> dict[str, Source]:
        """Direct emission sources of one entity, by methodology, each with the facts it read."""
        fx = self.fx(code)  # the factor library as asked for this entity
        out: dict[str, list[tuple[Result, list[FactRecord]]]] = {}
        pt = self.process_type(code)
        calls = self._calls[(code, "sources")] = _Calls(self._calls.get((code, "sources")))
        lost = self.missing[code] = []

        def not_run(source: str, what: str, exc: Exception, reads: Iterable[FactRecord | None]) -> None:
            """A source whose methodology cannot run: its problem (ESG-CALC-005), and the totals
            that should include it are marked incomplete."""
            self.problem(code, what, exc)
            lost.append((source, "ESG-CALC-005", [f for f in reads if f is not None]))

        def add(source: str, fn, *args, what: str, reads: Iterable[FactRecord | None], **kw) -> bool:
            """Run one methodology; False (and its problem reported) if it cannot run."""
            reads = list(reads)
            try:
                r = calls(fn, *args, **kw)
            except CalcError as exc:
                not_run(source, what, exc, reads)
                return False
            out.setdefault(source, []).append((r, [f for f in reads if f is not None]))
            return True

        on = self.year
        # fuels (the captive plant's coal is power generation, below)
        for ind_code, fuel in FUEL_INDICATORS.items():
            amount = self.fact(code, ind_code)
            if amount is not None:
                density = None
                if self.lib[ind_code].unit in ("升", "立方米") and fuel != "natural_gas":
                    # a liquid fuel metered by volume: its density from the factor sets (cited)
                    density = fx.find("fuel.density", on, fuel=fuel)
                add("combustion", m_comb.fuel_combustion_co2, amount.value, fuel=fuel, density=density,
                    amount_unit=amount.unit, factors=fx, on=on, what=ind_code, reads=[amount])
        ind_code = "solid_fuel_consumption"
        for dims in self.dims(code, ind_code):
            f = self.facts[(code, ind_code, dims)]
            fuel = _members(dims).get("fuel")
            ncv = self.num(code, "fuel_ncv_measured", dims)
            cc = self.num(code, "fuel_carbon_content_measured", dims)
            reads = [f, self.fact(code, "fuel_ncv_measured", dims), self.fact(code, "fuel_carbon_content_measured", dims)]
            if pt == "power_plant":
                # labelled with the fuel its facts name, which Scope 3 cat.3a reads
                add("power_generation", m_power.coal_combustion_co2, f.value, ncv=ncv, carbon_content=cc,
                    factors=fx, on=on, label=fuel or "coal", what=f"{ind_code}[{dims}]", reads=reads)
            else:
                add("combustion", m_comb.fuel_combustion_co2, f.value, fuel=fuel, amount_unit=f.unit, ncv=ncv,
                    carbon_content=cc, factors=fx, on=on, what=f"{ind_code}[{dims}]", reads=reads)
        limestone = self.fact(code, "limestone_consumption")
        if limestone is not None:
            if pt == "power_plant":  # the sorbent's CaCO3 content as measured, else 100 % (the method's default)
                purity = self.fact(code, "desulph_sorbent_purity")
                add("desulphurisation", m_power.desulphurisation_co2, limestone.value,
                    **({"purity_pct": purity.value} if purity is not None else {}), factors=fx,
                    what="limestone_consumption", reads=[limestone, purity])
            else:
                add("carbonate", m_alumina.limestone_co2, limestone.value, factors=fx, on=on,
                    what="limestone_consumption", reads=[limestone])
        soda = self.fact(code, "soda_ash_consumption")
        if soda is not None:
            add("carbonate", m_alumina.soda_ash_co2, soda.value, factors=fx, what="soda_ash_consumption",
                reads=[soda])
        # aluminium electrolysis (IPCC 2006 Vol.3 Eq.4.21; Eq.4.26/4.27)
        prod_t = self.tonnes(code, "aluminium_output")
        if prod_t is not None and pt == "smelter":
            production = self.fact(code, "aluminium_output")
            nac_total = self.tonnes(code, "net_anode_consumption")
            s, a = self.num(code, "anode_sulphur_content"), self.num(code, "anode_ash_content")
            tech = self.attr(code, "cell_technology") or "CWPB"
            try:
                soderberg = m_al.cell_technology(tech) in m_al.SODERBERG
            except CalcError:
                soderberg = False  # the PFC method names the unknown technology, below
            if soderberg:
                self._soderberg_anode(code, prod_t, production, add)
            elif nac_total is not None and prod_t == 0 and nac_total != 0:
                # a potline at a standstill that still reports anodes consumed (start-up, a
                # correction): Eq.4.21 works per tonne of aluminium, so it cannot say what they emitted
                not_run("anode", "net_anode_consumption", InvalidInput(
                    f"aluminium output is 0 t but {nac_total} t of anodes were consumed: the prebake "
                    "anode equation needs the net anode consumption per tonne of aluminium",
                    zh=f"原铝产量为 0 吨，但消耗阳极 {nac_total} 吨：预焙阳极排放公式需要吨铝阳极净耗"),
                        [production, self.fact(code, "net_anode_consumption")])
            elif nac_total is not None:
                with localcontext() as ctx:
                    ctx.prec = 34
                    nac = nac_total / prod_t if prod_t else Decimal(0)  # no metal, no anode: 0 t
                tier = 3 if s is not None and a is not None else 2
                add("anode", m_al.anode_co2_prebake, prod_t, nac, s, a, tier=tier, factors=fx,
                    on=on, what="net_anode_consumption",
                    reads=[production, self.fact(code, "net_anode_consumption"),
                           self.fact(code, "anode_sulphur_content"), self.fact(code, "anode_ash_content")])
            else:
                if add("anode", m_al.anode_co2_prebake, prod_t, tier=2, factors=fx, on=on,
                       prefer=("cn_aluminium_ndrc2013",), what="aluminium_output", reads=[production]):
                    self.defaulted(code, "net_anode_consumption", Bilingual(
                        "阳极净耗按 NDRC 2013 缺省值计", "net anode consumption at the NDRC 2013 default"),
                        Bilingual("阳极净耗量 net_anode_consumption（及硫分、灰分）",
                                  "the line's net_anode_consumption (and anode sulphur and ash)"))
            aem = self.num(code, "anode_effect_minutes")
            aeo, ce = self.num(code, "anode_effect_overvoltage"), self.num(code, "current_efficiency")
            if aeo is not None and ce is not None:
                if add("pfc", m_al.pfc_overvoltage, prod_t, aeo, ce, tech, fx, self.gwp, on=on,
                       what="anode_effect_overvoltage",
                       reads=[production, self.fact(code, "anode_effect_overvoltage"),
                              self.fact(code, "current_efficiency")]) and aem is not None:
                    self._method_chosen(code)
            elif aem is not None:
                add("pfc", m_al.pfc_slope, prod_t, aem, tech, fx, self.gwp, on=on,
                    what="anode_effect_minutes", reads=[production, self.fact(code, "anode_effect_minutes")])
            else:
                # no anode-effect data: centre-worked prebake lines (all of China's) take the
                # national guideline's default 0.034 / 0.0034 kg/t, as their anodes take its NAC
                # default; IPCC Table 4.14's Tier 1 (0.4 / 0.04 for CWPB) reflects 1990s cells
                # (domain reference §1.2, §2.1); other technologies take Table 4.14
                national = _technology_or_none(tech) == "CWPB"
                if add("pfc", m_al.pfc_tier1, prod_t, tech, fx, self.gwp, on=on, what="aluminium_output",
                       prefer=("cn_aluminium_ndrc2013",) if national else (), reads=[production]):
                    self.defaulted(code, "anode_effect_minutes", Bilingual(
                        "全氟化碳按缺省排放因子计（" + ("NDRC 2013" if national else "IPCC 2006 表 4.14") + "）",
                        "PFC at default factors (" + ("NDRC 2013" if national else "IPCC 2006 Table 4.14") + ")"),
                        Bilingual("阳极效应分钟数 anode_effect_minutes，或阳极效应过电压与电流效率",
                                  "the line's anode_effect_minutes, or its anode-effect overvoltage and current "
                                  "efficiency"))
        # anode plant (IPCC Eq.4.22, 4.23)
        green, baked = self.num(code, "green_anode_input"), self.tonnes(code, "anode_output")
        if pt == "anode_plant" and baked is not None:
            baked_f = self.fact(code, "anode_output")
            if green is not None:
                add("pitch_volatiles", m_anode.pitch_volatiles_co2, green, baked, factors=fx, on=on,
                    what="green_anode_input", reads=[self.fact(code, "green_anode_input"), baked_f])
            pcc_t = self.num(code, "packing_coke_consumption")
            if pcc_t is not None and baked == 0 and pcc_t != 0:
                # Eq.4.23 works per tonne of baked anode: coke burnt with no anode baked has no rate
                not_run("packing_coke", "packing_coke_consumption", InvalidInput(
                    f"no anode baked (0 t) but {pcc_t} t of packing coke consumed: the packing coke "
                    "equation needs the consumption per tonne of baked anode",
                    zh=f"焙烧阳极产量为 0 吨，但消耗填充焦 {pcc_t} 吨：填充焦排放公式需要吨焙烧阳极的填充焦消耗"),
                        [baked_f, self.fact(code, "packing_coke_consumption")])
            else:
                pcc = None if pcc_t is None else pcc_t / baked if baked else Decimal(0)  # 0 t of both
                add("packing_coke", m_anode.packing_coke_co2, baked, pcc=pcc, factors=fx, on=on,
                    what="anode_output", reads=[baked_f, self.fact(code, "packing_coke_consumption")])
        return {src: Source(rs[0][0] if len(rs) == 1 else calls(combine, tuple(r for r, _f in rs), label=src),
                            [f for _r, fs in rs for f in fs]) for src, rs in out.items()}

    def _method_chosen(self, code: str) -> None:
        """Anode-effect minutes on file beside the overvoltage and current efficiency: the PFC
        takes the overvoltage method (IPCC 2006 Vol.3 Eq.4.27) and the minutes are not used. Both
        are Tier 2/3 methods (Eq.4.26, 4.27); which one fits depends on what the cells' process
        control records (the overvoltage: Pechiney-type control; domain reference §1.2), and one
        source takes one method. The run says which it took and which data it left aside
        (ESG-CALC-016)."""
        self.res.problems.append(Problem("ESG-CALC-016", Location(field=f"{code}/anode_effect_minutes"), {
            "entity": code, "indicator": "anode_effect_minutes", "period": self.period,
            "field": Bilingual("全氟化碳（PFC）排放", "the PFC"),
            "found": Bilingual("过电压法（IPCC 2006 式 4.27，按阳极效应过电压 anode_effect_overvoltage 和电流效率 "
                               "current_efficiency）",
                               "the overvoltage method (IPCC 2006 Eq.4.27, from anode_effect_overvoltage and "
                               "current_efficiency)"),
            "expected": Bilingual("斜率法（IPCC 2006 式 4.26，按阳极效应分钟数）",
                                  "the slope method (IPCC 2006 Eq.4.26, from the anode-effect minutes)")}))

    def _soderberg_anode(self, code: str, prod_t: Decimal, production: FactRecord, add) -> None:
        """Process CO2 of Søderberg cells (VSS, HSS): the paste-consumption balance (IPCC 2006
        Vol.3 Eq.4.24; 40 CFR 98 Eq.F-8) when the line's paste consumption is given, else the
        Tier 1 default for Søderberg, 1.7 t CO2/t Al (Eq.4.19, Table 4.10). Never the prebake
        anode equation: prebaked anodes' NAC, S and ash do not describe paste."""
        tech = m_al.cell_technology(self.attr(code, "cell_technology"))
        paste = self.fact(code, PASTE_INDICATOR)
        if self.fact(code, "net_anode_consumption") is not None:
            self.problem(code, "net_anode_consumption", CalcError(
                f"{tech} cells consume paste, not prebaked anodes: net anode consumption is not used "
                f"(give {PASTE_INDICATOR} for IPCC Eq.4.24)",
                zh=f"{tech} 自焙槽消耗阳极糊而非预焙阳极：阳极净耗量不参与计算（请填报阳极糊消耗量 "
                   f"{PASTE_INDICATOR}，按 IPCC 式 4.24 核算）"))
        if paste is not None:
            with localcontext() as ctx:
                ctx.prec = 34
                pc = self.tonnes(code, PASTE_INDICATOR) / prod_t if prod_t else Decimal(0)
            add("anode", m_al.paste_co2_soderberg, prod_t, pc, technology=tech,
                paste=self.attr(code, "paste_type") or "dry", factors=self.fx(code), on=self.year,
                what=PASTE_INDICATOR, reads=[production, paste])
        else:
            add("anode", m_al.anode_co2_tier1, prod_t, "soderberg", factors=self.fx(code), on=self.year,
                what="aluminium_output", reads=[production])

    def _captive_plant(self, code: str) -> None:
        """The captive plant's emission factor per MWh supplied (passed on to the units it
        supplies, in the product view): every fuel it burns (GB/T 32151.1: its coal, and its
        own diesel or gas for start-up and mobile plant) and its desulphurisation, as in its
        power-guideline ETS total (UAT F10: the diesel was left out)."""
        self.plant_ef.pop(code, None)
        srcs = self.sources.get(code, {})
        supplied = self.fact(code, "power_supplied")
        parts = [srcs[s] for s in PLANT_SOURCES if s in srcs]
        if supplied is None or not parts:
            return
        try:
            pf = m_power.captive_plant_factor([p.result for p in parts], supplied.value)
        except CalcError as exc:
            self.problem(code, "power_supplied", exc)
            return
        out = self.emit(code, "captive_plant_ef", "", pf.ef, [supplied] + [f for p in parts for f in p.reads],
                        pf.emissions, "captive_power_plant", "product",
                        equation=m_power.EQ_SUPPLY_NO_HEAT if pf.heat_share_pct == 0 else m_power.EQ_SUPPLY,
                        comment=self.left_out([code], PLANT_SOURCES)[0])
        self.plant_ef[code] = (pf.ef, pf.emissions, out)

    def _inventory(self, code: str, srcs: dict[str, Source]) -> None:
        """The entity's emissions by source and its Scope 1 (and by gas); those that leave out a
        source whose methodology could not run are marked incomplete, and a Scope 1 is written
        (0 if nothing else) when every source failed, so that the totals above it carry the mark.
        A source none of whose parts could run is written too, at 0 and marked (the part of it
        that could be computed: nothing), so that the parent's figure of that source, which
        consolidation sums from its entities', carries the mark instead of being silently low;
        so do its gases' parts of Scope 1 (:data:`SOURCE_GASES`), at 0 where no source gives them."""
        mark, lost_reads = self.left_out([code])
        total = Decimal(0)
        by_gas: dict[str, Decimal] = {}
        used: list = []  # the factors of every source, for the total's lineage
        gas_used: dict[str, list] = {}  # and of the sources of each gas, with its GWP
        for src, source in srcs.items():
            r = source.result
            if r.gwp_set not in (None, self.gwp):
                r = r.with_gwp(self.gwp, self.fx(code))
            co2e, r_used = r.total, _factors(r)
            self._source_out[(code, src)] = self.emit(
                code, "emissions_by_source", f"emission_source={src}", co2e, source.reads, source.result,
                source.result.method, "inventory", factors=r_used if r is not source.result else (),
                comment=self.left_out([code], (src,))[0] if mark else None)
            total += co2e
            used += r_used
            for gas, mass in r.values.items():
                g = GAS_DIMS.get(gas)
                if g is None:
                    continue
                gas_used.setdefault(g, []).extend(r_used)
                if gas == "CO2":
                    w = Decimal(1)
                else:
                    gwp = self.fx(code).gwp(gas, self.gwp)
                    w = gwp.value
                    gas_used[g].append(gwp)
                by_gas[g] = by_gas.get(g, Decimal(0)) + mass * w
        for src in sorted({s for s, _c, _r in self.missing.get(code, ()) if s not in srcs}):
            self._source_out.pop((code, src), None)
            self.emit(code, "emissions_by_source", f"emission_source={src}", Decimal(0),
                      [f for s, _c, rs in self.missing[code] if s == src for f in rs], None, SOURCE_LEFT_OUT,
                      "inventory", equation=EQ_SOURCE_LEFT_OUT, comment=self.left_out([code], (src,))[0])
            # and so the parent's figure of each of its gases carries the mark, even a gas no
            # other source of the entity emits (the Søderberg line's CF4 and C2F6)
            for gas in SOURCE_GASES.get(src, OTHER_SOURCE_GASES):
                gas_used.setdefault(GAS_DIMS[gas], [])
                by_gas.setdefault(GAS_DIMS[gas], Decimal(0))
        if srcs or mark:
            inputs = [f for source in srcs.values() for f in source.reads] + lost_reads
            self.emit(code, "scope1_emissions", "", total, inputs, None, "inventory.scope1", "inventory",
                      factors=used, equation=EQ_SCOPE1, comment=mark)
            for g, v in sorted(by_gas.items()):
                self.emit(code, "scope1_emissions", f"gas={g}", v, inputs, None, "inventory.scope1", "inventory",
                          factors=gas_used[g], equation=EQ_SCOPE1_GAS, comment=mark)

    def _grid(self, code: str, basis: str):
        # the same answer every time for a kept run (same tree, year and factor library)
        hit = self._grids.get((code, basis))
        if hit is None:
            e = self.tree.entities[code]
            hit = self._grids[(code, basis)] = m_elec.grid_factor(
                self.fx(code), self.year, basis=basis, province=e.province, region=e.grid_region, latest=True)
        return hit

    def _heat_co2(self, code: str, *, report: bool = True) -> tuple[Result | None, FactRecord | None]:
        """CO2 of the heat an entity bought from outside the group (``purchased_heat``, GJ, at
        the heat factor), or (None, None) without the fact; (None, fact) when it fails (the
        problem is reported once, by the inventory: ``report``)."""
        heat = self.fact(code, HEAT_INDICATOR)
        if heat is None:
            return None, None
        try:
            return self._run_calls(m_elec.purchased_heat_co2, heat.value, unit=heat.unit, factors=self.fx(code),
                                   on=self.year), heat
        except CalcError as exc:
            if report:
                self.problem(code, HEAT_INDICATOR, exc)
            return None, heat

    def _scope2_and_3(self, code: str, srcs: dict[str, Source] | None = None) -> None:
        """Scope 2 (electricity bought from outside the group, and purchased heat) and Scope 3.
        Either part failing leaves no Scope 2 figure (a part of it would understate it).

        Scope 2, and the Scope 3 categories of the entity's own facts, are functions of the
        facts they read (and of the run's factors): read from the same fact objects as the
        last time, each gives what it gave then (its result and its warnings) without being
        worked out again; the well-to-tank of the fuels follows the sources."""
        grid = self.fact(code, "electricity_received", "supplier=grid")
        green = self.fact(code, "electricity_received", "supplier=green_contract")
        certs = self.fact(code, "electricity_received", "supplier=green_certificate")
        calls = self._calls[(code, "scope2_and_3")] = _Calls(self._calls.get((code, "scope2_and_3")))
        problems = self.res.problems
        kept = self._scope23.get(code)
        sig2 = (grid, green, certs, self.fact(code, HEAT_INDICATOR), self.fact(code, PURCHASED_INDICATOR))
        if kept is not None and _same(kept[0], sig2):
            r, ok, said = kept[1]
            problems += said
        else:
            first = len(problems)
            r, ok = self._scope2(code, grid, green, certs, calls)
            said = problems[first:]
        if ok and r is not None:
            ins = [grid, green, certs, sig2[3], self.purchased_as_grid(code)[1]]
            self.emit(code, "scope2_location", "", r.location.total, ins, r.location, r.location.method, "inventory")
            if r.market is not None:
                self.emit(code, "scope2_market", "", r.market.total, ins, r.market, r.market.method, "inventory")
        cats: dict[str, list[tuple[Result, list[FactRecord]]]] = {}

        def add(cat: str, what: str, fn, *args, inputs: list[FactRecord], **kw) -> None:
            try:
                cats.setdefault(cat, []).append((calls(fn, *args, factors=self.fx(code), on=self.year, **kw), inputs))
            except CalcError as exc:
                self.problem(code, what, exc)

        reads3 = [(ind, dims) for ind in _SCOPE3_READS for dims in self.dims(code, ind)]
        sig3 = tuple(self.facts[(code, ind, dims)] for ind, dims in reads3)
        if kept is not None and _same(kept[2], sig3):
            of_facts = kept[3]
            for cat, items in of_facts[0].items():
                cats[cat] = list(items)
            problems += of_facts[1]
        else:
            first = len(problems)
            self._scope3_of_facts(code, reads3, add)
            of_facts = ({cat: list(items) for cat, items in cats.items()}, problems[first:])
        self._scope23[code] = (sig2, (r, ok, said), sig3, of_facts)
        for src in ("combustion", "power_generation"):  # cat.3a: well-to-tank of the fuels burnt
            source = (srcs or {}).get(src)
            if source is None:
                continue
            for part in source.result.parts or (source.result,):
                fuel = UPSTREAM_FUEL.get(part.label) or UPSTREAM_FUEL.get(_fuel_of(part) or "")
                energy = next((st.value for st in part.steps if st.name == "energy"), None)
                if fuel is not None and energy is not None:
                    add("c3", f"fuel_upstream[{fuel}]", m_s3.fuel_upstream, energy, fuel=fuel,
                        inputs=source.reads)
        total = Decimal(0)
        for cat, items in sorted(cats.items()):
            v = sum((r.total for r, _f in items), Decimal(0))
            total += v
            # several items: their sum keeps each as a part, so every factor used is in the lineage
            r = items[0][0] if len(items) == 1 else calls(combine, tuple(r for r, _f in items), method=f"scope3:{cat}",
                                                          label=cat)
            self.emit(code, "scope3_emissions", f"scope3_category={cat}", v, [f for _r, fs in items for f in fs],
                      r, f"inventory.scope3.{cat}", "inventory")
        if cats:
            self.emit(code, "scope3_emissions", "", total, [f for it in cats.values() for _r, fs in it for f in fs],
                      None, "inventory.scope3", "inventory", equation=EQ_SCOPE3)

    def _scope2(self, code: str, grid, green, certs, calls):
        """Scope 2 of the entity, and whether it can be given (a part failing leaves none)."""
        heat_r, heat = self._heat_co2(code)
        r: m_elec.Scope2Result | None = None
        ok = heat is None or heat_r is not None
        rest, _purchased = self.purchased_as_grid(code)  # purchased electricity counted as grid
        if grid is not None or green is not None or rest:
            mwh = sum((Decimal(f.value) for f in (grid, green, certs) if f is not None), rest)
            try:
                r = calls(m_elec.scope2, mwh, self._grid(code, "average"),
                          green_mwh=Decimal(green.value) if green else 0,
                          certificates_mwh=Decimal(certs.value) if certs else 0,
                          residual_factor=self._grid(code, "residual"))
            except (CalcError, LookupError) as exc:
                self.problem(code, "electricity_received", exc)
                ok = False
        if ok and heat_r is not None:
            r = m_elec.with_heat(r, heat_r)
        return r, ok

    def _scope3_of_facts(self, code: str, reads: list[tuple[str, str]], add) -> None:
        """Scope 3 categories of the entity's own facts: cat.1 purchases, cat.4 freight,
        cat.3b/3c of grid electricity."""
        purchases: dict[str, list] = {}  # material -> [its total fact, [(vendor, fact) …]]
        for ind, dims in reads:
            f = self.facts[(code, ind, dims)]
            d = _members(dims)
            if ind == "purchased_material":
                if d.get("material") in MAT:
                    entry = purchases.setdefault(d["material"], [None, []])
                    if "vendor" in d:
                        entry[1].append((d["vendor"], f))
                    else:
                        entry[0] = f
            elif ind == "freight_transport":
                # cat.4: t·km × mode factor (GLEC-style defaults)
                add("c4", f"{ind}[{dims}]", m_s3.transport_tkm, f.value,
                    FACTOR_MODE.get(d["transport_mode"], d["transport_mode"]), unit=f.unit, inputs=[f])
            elif ind == "electricity_received" and d.get("supplier") == "grid":
                # cat.3b/3c: upstream of purchased electricity, and its T&D losses
                add("c3", f"{ind}[{dims}]", m_s3.electricity_upstream, f.value, inputs=[f])
                add("c3", f"{ind}[{dims}]", m_s3.td_losses, f.value, self._grid(code, "average"), inputs=[f])
            elif ind == PURCHASED_INDICATOR and not dims:
                # the same for purchased electricity counted as grid electricity (ESG-CALC-013)
                rest, p = self.purchased_as_grid(code)
                if p is not None:
                    add("c3", ind, m_s3.electricity_upstream, rest, inputs=[p])
                    add("c3", ind, m_s3.td_losses, rest, self._grid(code, "average"), inputs=[p])
        for material, (whole, by_vendor) in sorted(purchases.items()):
            self._purchased_goods(code, material, whole, by_vendor, add)

    def _purchased_goods(self, code: str, material: str, whole: FactRecord | None,
                         by_vendor: list[tuple[str, FactRecord]], add) -> None:
        """Scope 3 Standard cat.1 for one material (quantity × cradle-to-gate factor): what is
        reported by supplier at that supplier's factor (a user factor set's scope3.cat1 with
        ``supplier``; the material's default where the supplier has none), the rest of the
        material's total at the default (the Scope 3 Standard's hybrid method)."""
        fm = FACTOR_MATERIAL.get(material, material)
        what = f"purchased_material[material={material}]"
        if not by_vendor:
            add("c1", what, m_s3.purchased_goods, whole.value, unit=whole.unit, inputs=[whole], material=fm)
            return
        parts = sum((Decimal(f.value) for _v, f in by_vendor), Decimal(0))
        rest = None if whole is None else Decimal(whole.value) - parts
        if rest is not None and rest < 0:
            self.problem(code, what, InvalidInput(
                f"the quantities by supplier ({plain(parts)} t) exceed the material's total ({whole.value} t)",
                zh=f"按供应商填报的数量（{plain(parts)} 吨）大于该材料的合计（{whole.value} 吨）"))
            return
        for vendor, f in by_vendor:
            add("c1", f"purchased_material[{f.dims}]", m_s3.purchased_goods, f.value, unit=f.unit, inputs=[f],
                material=fm, supplier=vendor)
        if rest:
            add("c1", what, m_s3.purchased_goods, rest, unit=whole.unit,
                inputs=[whole] + [f for _v, f in by_vendor], material=fm)

    def _energy_uses(self, code: str, electricity: tuple[str, ...] = BOUGHT_ELECTRICITY
                     ) -> tuple[list[m_energy.EnergyUse], list[FactRecord], list[dict]]:
        """What one entity consumes, carrier by carrier, for GB/T 2589: its fuels (a measured
        NCV, or else the default NCV its CO2 takes, gives a fuel its own energy content, / 29.307
        GJ per tce, recorded as ``energy.ncv_standard_coal``), the electricity it
        receives from the sources ``electricity`` names, and bought heat; the facts read; and
        each use's memo for :func:`~esgledger.calc.methods.energy.total_energy`. A use is made
        once for the facts it is made of (the same fact objects give the same use object, and
        its memo)."""
        uses, reads, memos = [], [], []

        def use(key: tuple, facts: tuple, make) -> None:
            hit = self._uses.get(key)
            if hit is None or len(hit[0]) != len(facts) or any(a is not b for a, b in zip(hit[0], facts)):
                hit = self._uses[key] = (facts, make(), {})
            uses.append(hit[1])
            memos.append(hit[2])

        for ind_code, fuel in FUEL_INDICATORS.items():
            f = self.fact(code, ind_code)
            if f is not None:
                # at the NCV its CO2 takes (the MEE default: diesel 43.33 GJ/t, natural gas 389.31
                # GJ/10⁴Nm³), / 29.307 GJ per tce, not GB/T 2589 Annex A's mean coefficients
                use((code, ind_code), (f,), lambda: m_energy.EnergyUse(
                    fuel, f.value, f.unit, ncv_fuel=fuel,
                    density=self.fx(code).find("fuel.density", self.year, fuel=fuel) if f.unit in ("升",) else None))
                reads.append(f)
        ind_code = "solid_fuel_consumption"
        for dims in self.dims(code, ind_code):
            f = self.facts[(code, ind_code, dims)]
            ncv_f = self.fact(code, "fuel_ncv_measured", dims)

            def solid() -> m_energy.EnergyUse:
                # the NCV its CO2 takes, so that one tonne of coal has one energy content: the
                # measured one, else the named fuel's default NCV (JXTG's bituminous coal: 23.204
                # GJ/t, not GB/T 2589's raw-coal mean 20.908); / 29.307 GJ per tce, both in the
                # lineage. Only a fuel with neither takes GB/T 2589 Annex A's coefficient.
                named = _members(dims).get("fuel")
                fuel = named or "raw_coal"
                carrier = fuel if fuel in ("coke", "petroleum_coke") else "raw_coal"
                if ncv_f is not None:
                    return m_energy.EnergyUse(carrier, f.value, f.unit, ncv=Decimal(ncv_f.value), ncv_unit=ncv_f.unit)
                return m_energy.EnergyUse(carrier, f.value, f.unit, ncv_fuel=named)
            use((code, ind_code, dims), (f, ncv_f), solid)
            reads += [f, ncv_f]
        received = [self.fact(code, "electricity_received", f"supplier={s}") for s in electricity]
        received = tuple(f for f in received if f is not None)
        rest, purchased = self.purchased_as_grid(code)  # purchased electricity counted as grid
        if purchased is not None:
            received += (purchased,)
        if received:
            use((code, "electricity_received", electricity), received, lambda: m_energy.EnergyUse(
                "electricity", sum((Decimal(f.value) for f in received if f is not purchased), rest), "兆瓦时"))
            reads += received
        heat = self.fact(code, HEAT_INDICATOR)
        if heat is not None:
            use((code, HEAT_INDICATOR), (heat,), lambda: m_energy.EnergyUse("heat", heat.value, heat.unit))
            reads.append(heat)
        return uses, reads, memos

    def _purchased_electricity(self, code: str) -> None:
        """Purchased electricity without its breakdown by supplier is counted as grid electricity
        (:meth:`purchased_as_grid`): a method choice, which the run states (ESG-CALC-013) with
        the entity, the MWh so counted and the purchased total."""
        rest, purchased = self.purchased_as_grid(code)
        if purchased is None:
            return
        self.res.problems.append(Problem("ESG-CALC-013", Location(field=f"{code}/{PURCHASED_INDICATOR}"), {
            "entity": code, "indicator": PURCHASED_INDICATOR, "period": self.period,
            "found": with_unit(plain(rest), "兆瓦时"),
            "expected": with_unit(plain(Decimal(purchased.value)), purchased.unit)}))

    def _unattributed_electricity(self, code: str) -> None:
        """Electricity an entity reports consuming (``electricity_consumption``) beyond what it
        reports receiving by supplier (``electricity_received``) is counted nowhere: Scope 2,
        energy consumption and the product view all read the receipts by supplier. The run does
        not guess its source: it may be the grid (Scope 2 at the grid's factor and, market-based,
        the residual mix, GHG Protocol Scope 2 Guidance §6), the captive plant (the plant's
        Scope 1, not Scope 2) or the entity's own generation (its fuel already counted), and an
        entity abroad has no factor in the Chinese grid sets. It says so (ESG-CALC-012), with
        the MWh left out. A power plant's own use beyond what it receives is its own generation
        (station service, inside its gross output), not a gap. Purchased electricity counted as
        grid electricity (ESG-CALC-013) is counted: only what is beyond it is a gap."""
        consumed = self.num(code, "electricity_consumption")
        if consumed is None or self.process_type(code) == "power_plant":
            return
        mwh = UNITS.convert(consumed, self.lib["electricity_consumption"].unit, "兆瓦时")
        unit = self.lib["electricity_received"].unit
        received = sum((UNITS.convert(Decimal(self.facts[(code, "electricity_received", d)].value), unit, "兆瓦时")
                        for d in self.dims(code, "electricity_received")), Decimal(0))
        rest, _purchased = self.purchased_as_grid(code)
        if mwh > received + rest:
            counted = with_unit(plain(received + rest), "兆瓦时")
            if rest:
                as_grid = with_unit(plain(rest), "兆瓦时")
                counted = Bilingual(f"{counted.zh}，其中 {as_grid.zh}为按电网电力计入的外购电量",
                                    f"{counted.en}, {as_grid.en} of it purchased electricity counted as grid "
                                    "electricity")
            self.res.problems.append(Problem("ESG-CALC-012", Location(field=f"{code}/electricity_consumption"), {
                "entity": code, "indicator": "electricity_consumption", "period": self.period,
                "found": with_unit(plain(mwh - received - rest), "兆瓦时"), "expected": counted}))

    def _energy(self, code: str) -> None:
        """综合能耗 by GB/T 2589-2020: fuels burnt, and electricity and heat bought from outside
        the group (the captive plant's coal already counts where it burns), by the calorific
        (当量值) and the equivalent (等价值) methods; heat is 0.03412 kgce/MJ in both.

        A use that does not convert to standard coal (ESG-CALC-005: its carrier has no
        coefficient for the method, its unit times the coefficient's is not energy) is left out:
        the entity's total and its carrier's figure (0 when none of the carrier converts) are
        written marked incomplete (calc/incomplete.py, ``energy:<carrier>``), as a Scope 1
        without a source is, so that the mark reaches every figure above them."""
        uses, reads, memos = self._energy_uses(code)
        lost = self.energy_missing[code] = set()
        if not uses:
            return
        for method, indicator in (("calorific", "energy_consumption"), ("equivalent", "energy_consumption_equivalent")):
            r, failed = m_energy.total_energy_of_what_converts(uses, method=method, factors=self.fx(code),
                                                               on=self.year, memo=memos)
            out = set()
            for i, exc in failed:
                self.problem(code, f"{indicator}[fuel={uses[i].carrier}]", exc)
                out.add((code, incomplete.energy_source(uses[i].carrier), "ESG-CALC-005"))
            lost |= out
            self.emit(code, indicator, "", r.total, reads, r, r.method, "energy", comment=incomplete.mark(out))
            for carrier in sorted(set(r.values) | {uses[i].carrier for i, _e in failed}):
                member = {"raw_coal": "raw_coal"}.get(carrier, carrier)
                # the carrier's own coefficients (and density): its parameters are named "<carrier>.…"
                own = [p.factor for p in r.parameters if p.factor is not None and p.name.startswith(f"{carrier}.")]
                self.emit(code, indicator, f"fuel={member}", r.values.get(carrier, Decimal(0)), reads, None, r.method,
                          "energy", factors=own, equation=EQ_ENERGY_CARRIER,
                          comment=incomplete.mark(item for item in out if item[1] == incomplete.energy_source(carrier)))

    def ets_gwp(self) -> str:
        """The GWP set of the national ETS aluminium view for the run's year: the one the
        guideline's factor set declares (``gwp_set:`` of the first set of ETS_PREFER with a value
        for the year, the set its PFC coefficients come from: ``cn_aluminium_mee2024``, AR5, CF4
        6630 / C2F6 11100, from 2024; ``cn_aluminium_ndrc2013``, SAR, 6500 / 9200, before it;
        domain reference §2.1, §2.3, §4), whatever the report's GWP set (which the inventory
        follows: AR6 for CDP is legitimate there, not in a compliance figure). The report's set
        only where none of them declares one."""
        if self._ets_gwp is None:
            start, end = dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
            self._ets_gwp = self.gwp
            for name in ETS_PREFER:
                fs = self.factors.sets.get(name)
                if fs is not None and any(v.applies(start, end) for v in fs.values):
                    self._ets_gwp = fs.gwp_set or self.gwp
                    break
        return self._ets_gwp

    def _ets_company(self, code: str) -> None:
        e = self.tree.entities[code]
        members = self.ets_of_company()[code]
        smelter = e.process_type != "power_plant"
        wanted = ETS_SOURCES if smelter else ETS_POWER_SOURCES
        # the aluminium guideline's GWP set; the power-generation guideline's sources are CO2
        gwp = self.ets_gwp() if smelter else self.gwp
        total, ins, used = Decimal(0), [], []
        for m in members:
            for src in wanted:
                source = self.sources.get(m, {}).get(src)
                if src == "pfc" and source is not None:
                    source = self._ets_pfc(m, source, gwp)
                if source is not None:
                    r = source.result
                    if r.gwp_set not in (None, gwp):
                        r = r.with_gwp(gwp, self.fx(m))
                    total += r.total
                    ins += source.reads
                    used += _factors(r)
        mark, lost_reads = self.left_out(members, wanted)
        emissions = None
        if ins or mark:
            emissions = self.emit(code, "ets_emissions", "", total, ins + lost_reads, None, f"ets.{e.process_type}",
                                  "ets", factors=used, equation=EQ_ETS.get(e.process_type), comment=mark, gwp=gwp)
        if not smelter:
            return
        grid = [self.fact(m, "electricity_received", "supplier=grid") for m in members]
        grid = [g for g in grid if g is not None]
        mwh = sum((Decimal(g.value) for g in grid), Decimal(0))
        for m in members:  # purchased electricity counted as grid electricity (ESG-CALC-013)
            rest, purchased = self.purchased_as_grid(m)
            if purchased is not None:
                mwh += rest
                grid.append(purchased)
        if grid:
            self.emit(code, "ets_aux_electricity", "", mwh, grid, None,
                      "ets.auxiliary_electricity", "ets", equation=EQ_ETS_AUX, gwp=gwp)
        # the guideline's production basis, liquid aluminium (铝液产量: aluminium_output, the
        # metal tapped from the pots) of the enterprise's lines, and its emissions per tonne
        made = [f for f in (self.fact(m, "aluminium_output") for m in members) if f is not None]
        if not made:
            return
        tonnes = sum((self.tonnes(f.entity, "aluminium_output") for f in made), Decimal(0))
        basis = self.emit(code, "ets_liquid_aluminium", "", tonnes, made, None, "ets.production", "ets",
                          equation=EQ_ETS_PRODUCTION, gwp=gwp)
        if emissions is not None and tonnes:
            with localcontext() as ctx:
                ctx.prec = 34
                self.emit(code, "ets_intensity", "", total / tonnes, [emissions, basis], None, "ets.intensity",
                          "ets", factors=used, equation=EQ_ETS_INTENSITY, comment=mark, gwp=gwp)

    def _ets_pfc(self, code: str, source: Source, gwp: str) -> Source:
        """A line's PFC as the national ETS guideline computes it: the same method and activity
        data as the inventory's, with the guideline's coefficients first (MEE CETS-AG-04.01-V01-2024
        as implemented, then NDRC 2013 for years before it: slope 0.143 for every technology,
        EF_C2F6 = 0.1 × EF_CF4, 0.034 / 0.0034 kg/t without anode-effect data; domain reference
        §2.1, §2.3), where the inventory takes IPCC 2006's coefficients by cell technology
        (CWPB: C2F6/CF4 0.121), and the guideline's GWP set ``gwp`` (:meth:`ets_gwp`). A
        coefficient the guideline does not give (the overvoltage coefficient) stays IPCC's; the
        lineage names the set of every value."""
        kind = source.result.method.split(":")[-1]
        prod_t = self.tonnes(code, "aluminium_output")
        tech = self.attr(code, "cell_technology") or "CWPB"
        kw = {"on": self.year, "prefer": ETS_PREFER}
        try:
            if kind == "pfc_slope":
                r = m_al.pfc_slope(prod_t, self.num(code, "anode_effect_minutes"), tech, self.fx(code), gwp, **kw)
            elif kind == "pfc_overvoltage":
                r = m_al.pfc_overvoltage(prod_t, self.num(code, "anode_effect_overvoltage"),
                                         self.num(code, "current_efficiency"), tech, self.fx(code), gwp, **kw)
            elif kind == "pfc_tier1":
                r = m_al.pfc_tier1(prod_t, tech, self.fx(code), gwp, **kw)
            else:
                return source
        except CalcError:
            return source  # the inventory's own computation already reported what is wrong
        return Source(r, source.reads)

    def _electricity_co2(self, code: str, plant: tuple[Decimal, Result, Output] | None
                         ) -> tuple[Decimal, list[FactRecord], list, FactRecord | None]:
        """Electricity of one entity at product-view factors: captive at the factor of the plant
        that supplies it (``plant``: its factor, emissions and output, :mod:`esgledger.calc.captive`),
        grid market-based (green contracts at zero, the rest at the residual mix); with the
        facts read (and the plant's factor, a calculated fact whose own lineage is the plant's
        coal, its quality, limestone and the power supplied), the factor values used (the
        plant's, through its emissions result) and the captive electricity it could not count
        (no factor of its plant for the period), if any."""
        total, ins, used, uncounted = Decimal(0), [], [], None
        captive = self.fact(code, "electricity_received", "supplier=captive")
        if captive is not None and plant is not None:
            ef, emissions, plant_out = plant
            total += Decimal(captive.value) * ef  # E = MWh × the plant's EF per MWh supplied (ref. §2.5)
            ins += [captive, plant_out]
            used += _factors(emissions)
        elif captive is not None and Decimal(captive.value) != 0:
            uncounted = captive
        grid = self.fact(code, "electricity_received", "supplier=grid")
        rest, purchased = self.purchased_as_grid(code)  # purchased electricity counted as grid
        if grid is not None or purchased is not None:
            residual = self._grid(code, "residual")
            total += (Decimal(grid.value) if grid is not None else 0) * residual.value + rest * residual.value
            ins += [f for f in (grid, purchased) if f is not None]
            used.append(residual)
        return total, ins, used, uncounted

    def _products(self, sources, plant_ef) -> None:
        # the captive plants supplying power this period, of which each entity's supplier is
        # one (calc/captive.py: its attribute captive_plant, else the only one)
        plants = supplying_plants(
            self.tree, lambda c: c in plant_ef or self.fact(c, "power_supplied") is not None)

        def stage(codes: list[str], include: tuple[str, ...] | None = None):
            total, ins, used, missing, unassigned = Decimal(0), [], [], [], []
            # the stage's sources that could not run (but the captive plant's, which reach the
            # stage through its factor per MWh: marked when the stage uses it)
            mark, _r = self.left_out(codes, include, but=("power_generation", "desulphurisation"))
            marks = [mark]
            for c in codes:
                for src, source in sources.get(c, {}).items():
                    if src in ("power_generation", "desulphurisation"):
                        continue  # reaches the product through the electricity it supplies
                    if include is None or src in include:
                        total += source.result.total
                        by_source = self._source_out.get((c, src))
                        # through the entity's emissions by source where the figures are the same
                        # (its activity rows are that fact's inputs), else the rows themselves
                        if by_source is not None and by_source.value == source.result.total:
                            ins.append(by_source)
                        else:
                            ins += source.reads
                        used += _factors(source.result)
                supply = captive_supplier(self.tree, c, plants)
                e, ei, ef, uncounted = self._electricity_co2(c, plant_ef.get(supply.plant))
                total += e
                ins += ei
                used += ef
                if supply.plant in plant_ef and self.fact(c, "electricity_received", "supplier=captive") is not None:
                    marks.append(self.left_out([supply.plant], PLANT_SOURCES)[0])
                if uncounted is not None and supply.ambiguous:
                    # several plants and nothing says which: left out, the figure marked
                    # incomplete, the entity named (ESG-CALC-017)
                    unassigned.append((uncounted, supply.candidates))
                    marks.append(incomplete.mark([(c, "power_generation", "ESG-CALC-017")]))
                elif uncounted is not None:
                    missing.append(uncounted)
                h, hf = self._heat_co2(c, report=False)  # purchased heat at the heat factor
                if h is not None:
                    total += h.total
                    ins.append(hf)
                    used += _factors(h)
            return total, ins, used, missing, unassigned, incomplete.merge(marks)

        def out_t(codes, ind):
            vals = [self.tonnes(c, ind) for c in codes if self.fact(c, ind) is not None]
            if not vals:
                return None, []
            return sum(vals, Decimal(0)), [self.fact(c, ind) for c in codes if self.fact(c, ind) is not None]

        by_type = self._by_type
        if by_type is None:
            by_type = self._by_type = {}
            for code, e in self.tree.entities.items():
                by_type.setdefault(e.process_type, []).append(code)
        results: dict[str, tuple[Decimal, Decimal, list[FactRecord]]] = {}
        specs = PRODUCT_STAGES
        sink, problems = self._sink, self.res.problems
        stages = []  # the stage tuples this computation used (the liquid aluminium figure's key)
        for product, ptype, out_ind in specs:
            codes = sorted(by_type.get(ptype, []))
            if not codes:
                continue
            kept = self._stages.get(product)
            said = self._stage_said.get(product)
            if kept is not None and kept[0] == codes and said is not None and said[0] is kept:
                # the stage as the last run computed it: the same outputs and warnings again
                stages.append(kept)
                _kept, outs, warned, result = said
                self.res.outputs += outs
                if sink is not None:
                    sink += outs
                problems += warned
                if result is not None:
                    results[product] = result
                continue
            if kept is not None and kept[0] == codes:
                _codes, em, ins, used, qty, qins, energy, missing, unassigned, mark = kept
            else:
                em, ins, used, missing, unassigned, mark = stage(codes)
                qty, qins = out_t(codes, out_ind)
                energy = self._stage_energy(product, codes, out_ind)
                kept = self._stages[product] = (codes, em, ins, used, qty, qins, energy, missing, unassigned, mark)
            stages.append(kept)
            first_out, first_problem = len(self.res.outputs), len(problems)
            result = None
            for o in energy:
                self.emit(*o)
            for f, candidates in unassigned:
                # captive electricity of a group with several plants, none named for the entity
                problems.append(Problem("ESG-CALC-017", Location(field=f"{f.entity}/{f.indicator}/{f.dims}"), {
                    "entity": f.entity, "indicator": f.indicator, "period": self.period, "field": product,
                    "found": with_unit(plain(Decimal(f.value)), f.unit), "expected": ", ".join(candidates)}))
            if qty is not None and qty != 0 and ins:
                if not unassigned and not any(f.indicator in ("electricity_received", PURCHASED_INDICATOR)
                                              for f in ins):
                    # no electricity reported for any entity of the stage: its direct emissions only
                    problems.append(Problem("ESG-CALC-010", Location(
                        field=f"{self.root()}/product_footprint/product={product}"), {
                        "entity": self.root(), "indicator": "product_footprint", "period": self.period,
                        "field": product, "found": ", ".join(codes)}))
                elif missing:
                    # captive electricity the plant has no factor for this period: left out, so
                    # the figure is too low until the plant's data is in
                    mwh = sum((Decimal(f.value) for f in missing), Decimal(0))
                    problems.append(Problem("ESG-CALC-011", Location(
                        field=f"{self.root()}/product_footprint/product={product}"), {
                        "entity": self.root(), "indicator": "product_footprint", "period": self.period,
                        "field": product, "found": with_unit(plain(mwh), missing[0].unit),
                        "expected": ", ".join(sorted({f.entity for f in missing}))}))
                result = results[product] = (em, qty, ins + qins, used, mark)
                if product not in CHAINED:  # (foil: with the metal it takes in, below)
                    self._emit_product(product, em, qty, ins + qins, used, mark)
            self._stage_said[product] = (kept, self.res.outputs[first_out:], problems[first_problem:], result)
        # the entities whose captive electricity the stages left out (ESG-CALC-017), for the
        # run's list of what its figures leave out
        self._unassigned = sorted({(f.entity, "power_generation", "ESG-CALC-017")
                                   for st in stages for f, _c in st[8]})
        # the energy uses the stages' energy per tonne left out (the marks of those figures)
        self._stage_energy_out = sorted({item for st in stages for o in st[6] for item in incomplete.parse(o[10])})
        # liquid aluminium cradle-to-gate: electrolysis + the alumina and anodes it consumed (at
        # those stages' emissions per tonne: their inputs and factors are in its lineage too),
        # then foil with the metal it takes in at that figure; the same as the last run's when
        # they read the same stages (a smelter's alumina or anodes consumed changing is a change
        # of the electrolysis stage, a mill's metal taken in one of the foil stage)
        said = self._stage_said.get("liquid_aluminium")
        if said is not None and len(said[0]) == len(stages) and all(a is b for a, b in zip(said[0], stages)):
            self.res.outputs += said[1]
            if sink is not None:
                sink += said[1]
            problems += said[2]
            return
        first_out, first_problem = len(self.res.outputs), len(problems)
        liquid = self._liquid_aluminium(results, by_type)
        self._foil(results, by_type, liquid)
        self._stage_said["liquid_aluminium"] = (stages, self.res.outputs[first_out:], problems[first_problem:], None)

    def _liquid_aluminium(self, results, by_type) -> Output | None:
        """Liquid aluminium cradle-to-gate inside the group; its footprint output, or None."""
        if "aluminium_electrolysis" in results:
            em, qty, stage_ins, stage_used, mark = results["aluminium_electrolysis"]
            extra, ins, used, marks = Decimal(0), list(stage_ins), list(stage_used), [mark]
            smelters = sorted(by_type.get("smelter", []))
            alumina_used = [self.fact(c, "alumina_consumption") for c in smelters]
            alumina_used = [f for f in alumina_used if f is not None]
            if not alumina_used or "alumina" not in results:
                return None  # without the alumina it consumed, there is no cradle-to-gate figure
            a_em, a_qty, a_ins, a_used, a_mark = results["alumina"]
            extra += sum(self.tonnes(f.entity, "alumina_consumption") for f in alumina_used) * a_em / a_qty
            ins += alumina_used + a_ins
            used += a_used
            marks.append(a_mark)
            anode_used = [self.fact(c, "net_anode_consumption") for c in smelters]
            anode_used = [f for f in anode_used if f is not None]
            if anode_used and "baked_anode" in results:
                b_em, b_qty, b_ins, b_used, b_mark = results["baked_anode"]
                extra += sum(self.tonnes(f.entity, "net_anode_consumption") for f in anode_used) * b_em / b_qty
                ins += anode_used + b_ins
                used += b_used
                marks.append(b_mark)
            return self._emit_product("liquid_aluminium", em + extra, qty, ins, used, incomplete.merge(marks))
        return None

    def _foil(self, results, by_type, liquid: Output | None) -> None:
        """Aluminium foil cradle-to-gate inside the group (the product view's boundary: a partial
        carbon footprint in ISO 14067:2018's terms, over the upstream stages the group runs
        itself, as for liquid aluminium): the foil mills' own
        emissions (their fuels, electricity and bought heat: the foil stage), plus the aluminium
        they took in (``foil_metal_input``, t) at the group's liquid-aluminium footprint per
        tonne, per tonne of foil (:func:`foil_cradle_to_gate`). Its lineage names the metal
        taken in and the liquid-aluminium footprint (a calculated fact of this run) beside the
        mills' own facts.

        Without either, no foil figure is written, and ESG-CALC-015 names what is missing: the
        mills' own emissions alone are gate to gate (a foil mill's are a few per cent of its
        foil's footprint) and would read, under the view's cradle-to-gate label, as a foil
        thirty times cleaner than the metal it is rolled from."""
        if "foil" not in results:
            return
        em, qty, ins, used, mark = results["foil"]
        root = self.root()
        mills = sorted(by_type.get("foil_mill", []))
        metal = [f for f in (self.fact(c, FOIL_METAL_INDICATOR) for c in mills) if f is not None]
        lacking = [c for c in mills if self.fact(c, "aluminium_foil_output") is not None
                   and self.fact(c, FOIL_METAL_INDICATOR) is None]
        missing = []
        if lacking:
            names = ", ".join(lacking)
            missing.append(Bilingual(f"{names} 的投入铝量 {FOIL_METAL_INDICATOR}",
                                     f"the aluminium taken in, {FOIL_METAL_INDICATOR}, of {names}"))
        if liquid is None:
            missing.append(Bilingual(
                "集团铝液的产品碳足迹（product_footprint[product=liquid_aluminium]：需电解系列的产量、用电和氧化铝消耗量 "
                "alumina_consumption，以及氧化铝厂的产量和排放）",
                "the group's liquid-aluminium footprint (product_footprint[product=liquid_aluminium]: it needs the "
                "potlines' output, electricity and alumina_consumption, and the refinery's output and emissions)"))
        if missing:
            self.res.problems.append(Problem("ESG-CALC-015", Location(field=f"{root}/product_footprint/product=foil"), {
                "entity": root, "indicator": "product_footprint", "period": self.period,
                "field": Bilingual(self.lib.dimension_member_label("product", "foil", "zh"),
                                   self.lib.dimension_member_label("product", "foil", "en")),
                "found": Bilingual("；".join(m.zh for m in missing), "; and ".join(m.en for m in missing)),
                "expected": with_unit(plain(em.quantize(Decimal("0.01"))), "tCO2e")}))
            return
        metal_t = sum((self.tonnes(f.entity, FOIL_METAL_INDICATOR) for f in metal), Decimal(0))
        total = foil_cradle_to_gate(em, metal_t, liquid.value)
        self._emit_product("foil", total, qty, ins + metal + [liquid], used, incomplete.merge([mark, liquid.comment]),
                           equation=EQ_FOIL)

    def _stage_energy(self, product: str, codes: list[str], out_ind: str) -> list[tuple]:
        """单位产品综合能耗 of one process stage, in kgce per tonne of product: every plant of
        the stage with an output, and the stage as a whole at the reporting root (Σ energy of
        the stage's entities / Σ their output, as the stage's emissions are summed). Gate to
        gate: the fuels burnt at the stage, all the electricity it uses whatever its source,
        and bought heat, by GB/T 2589-2020's calorific-value (当量值) coefficients. The
        emit() arguments, computed once per stage and kept with it.

        A use that does not convert to standard coal (ESG-CALC-005, said once per use at its
        entity) is left out as it is of the entity's energy total (:meth:`_energy`): the plant's
        figure and the stage's are those of what converts, marked incomplete
        (``energy:<carrier>``, calc/incomplete.py)."""
        root = self.root()
        dims = f"product={product}"
        out: list[tuple] = []
        all_uses: list[m_energy.EnergyUse] = []
        all_memos: list[dict] = []
        all_reads: list[FactRecord] = []
        owner: list[str] = []  # the entity of each use of the stage
        total_t, out_facts = Decimal(0), []
        all_fx: list[MemoFactors] = []
        for c in codes:
            uses, reads, memos = self._energy_uses(c, STAGE_ELECTRICITY)
            all_uses += uses
            all_memos += memos
            all_fx += [self.fx(c)] * len(uses)  # each use at its entity's factors
            owner += [c] * len(uses)
            all_reads += reads
            qf = self.fact(c, out_ind)
            if qf is not None:
                total_t += self.tonnes(c, out_ind)
                out_facts.append(qf)
            if c == root or qf is None or not uses:
                continue
            try:
                r, failed = m_energy.total_energy_of_what_converts(uses, method="calorific", factors=self.fx(c),
                                                                   on=self.year, label=product, memo=memos)
                v = m_energy.per_product(r.total * 1000, self.tonnes(c, out_ind))
            except CalcError as exc:
                self.problem(c, "energy_intensity_product", exc)
                continue
            mark = incomplete.mark((c, incomplete.energy_source(uses[i].carrier), "ESG-CALC-005") for i, _e in failed)
            out.append((c, "energy_intensity_product", dims, v, reads + [qf], r, "energy.product:calorific",
                        "energy", (), None, mark))
        if all_uses and out_facts:
            # the stage's uses, each at its entity's factors: a use that does not convert here
            # does not at its entity either (the same use, factors and method), so it is said once
            r, failed = m_energy.total_energy_of_what_converts(
                all_uses, method="calorific", factors=self.factors, factors_of=all_fx, on=self.year, label=product,
                memo=all_memos)
            for i, exc in failed:
                self.problem(owner[i], f"energy_intensity_product[fuel={all_uses[i].carrier}]", exc)
            try:
                v = m_energy.per_product(r.total * 1000, total_t)
            except CalcError as exc:
                self.problem(root, "energy_intensity_product", exc)
            else:
                mark = incomplete.mark((owner[i], incomplete.energy_source(all_uses[i].carrier), "ESG-CALC-005")
                                       for i, _e in failed)
                out.append((root, "energy_intensity_product", dims, v, all_reads + out_facts, r,
                             "energy.product:calorific", "energy", (), None, mark))
        return out

    def _emit_product(self, product: str, em: Decimal, qty: Decimal, ins, used, mark: str | None = None,
                      equation: str | None = None) -> Output:
        """A product's emissions and its footprint per tonne, at the reporting root (``mark``:
        what it leaves out, calc/incomplete.py); the footprint output."""
        root = self.root()
        with localcontext() as ctx:
            ctx.prec = 34
            self.emit(root, "product_emissions", f"product={product}", em, ins, None, "product", "product",
                      factors=used, equation=equation or (EQ_LIQUID_AL if product == "liquid_aluminium" else EQ_PRODUCT),
                      comment=mark)
            return self.emit(root, "product_footprint", f"product={product}", em / qty, ins, None, "product",
                             "product", factors=used, equation=EQ_FOOTPRINT, comment=mark)

    # -- writing ---------------------------------------------------------------------------
    def _write(self, conn=None) -> None:
        """Append the outputs whose value changed, with their lineage, in one transaction (the
        caller's ``conn`` when it holds one)."""
        keep = []
        for o in self.res.outputs:
            old = self.existing.get((o.entity, o.indicator, o.dims))
            text = plain(o.value)
            if old is not None and old.value == text and (old.comment or None) == o.comment:
                self.res.unchanged += 1
            else:
                keep.append((o, text))
                if old is not None and old.status not in ("calculated", WITHDRAWN):
                    # a value someone entered for a figure the methods compute from the entity's
                    # activity data: the calculated one takes its place, and the run says so
                    unit = self.lib[o.indicator].unit
                    names = FACT_STATUS_NAMES.get(old.status, {"zh": old.status, "en": old.status})
                    was = with_unit(old.value, unit)
                    self.res.problems.append(Problem("ESG-CALC-009", Location(
                        field=f"{o.entity}/{o.indicator}" + (f"/{o.dims}" if o.dims else "")), {
                        "entity": o.entity, "indicator": o.indicator, "period": self.period,
                        "found": Bilingual(f"{was.zh}（{names['zh']}）", f"{was.en} ({names['en']})"),
                        "expected": with_unit(text, unit)}))
        if not keep and not self._stale:  # nothing changed: no batch either
            return
        if conn is None:
            with self.store.writer.begin() as conn:
                self._append(conn, keep)
        else:
            self._append(conn, keep)

    def _append(self, conn, keep) -> None:
        facts = [NewFact(o.entity, o.indicator, self.period, o.dims, text, self.lib[o.indicator].unit, "own",
                         "calculated", None, None, None, o.comment, _input_rows(o.inputs))
                 for o, text in keep]
        # outputs of this run another one was computed from: linked once all have their facts
        derived = [(i, d) for i, (o, _t) in enumerate(keep) for d in _derived_inputs(o.inputs)]
        stale, self._stale = self._stale, []
        tombstones = [NewFact(f.entity, f.indicator, self.period, f.dims, f.value, f.unit, "own", WITHDRAWN)
                      for f in stale]
        append = self.append or self.store._append
        batch_id, ids = append(conn, facts + tombstones, kind="calc", source=run_source(self.period),
                               author=self.author, note=self.note, return_ids=True)
        ids, withdrawn_ids = ids[:len(facts)], ids[len(facts):]
        for f, fid in zip(stale, withdrawn_ids):
            del self.existing[(f.entity, f.indicator, f.dims)]
            self.res.withdrawn.append(dataclasses.replace(f, revision=f.revision + 1, status=WITHDRAWN,
                                                          author=self.author, id=fid, batch=batch_id))
        record_methods(conn, [
            (fid, o.method, METHOD_VERSION, o.view, o.gwp or self.gwp,
             json.dumps({"equation": o.equation} if o.equation else
                        {"equation": o.result.equation} if o.result is not None else {}, ensure_ascii=False),
             [fv.row for fv in _dedup_factors(_factors(o.result) + list(o.factors))])
            for fid, (o, _t) in zip(ids, keep)])
        for fid, (o, text), nf in zip(ids, keep, facts):
            old = self.existing.get((o.entity, o.indicator, o.dims))
            rec = FactRecord(o.entity, o.indicator, self.period, o.dims, text, nf.unit, "own",
                             old.revision + 1 if old is not None else 1, "calculated", comment=o.comment,
                             author=self.author, id=fid, batch=batch_id)
            self.existing[(o.entity, o.indicator, o.dims)] = rec
            self.res.records.append(rec)
        if derived:  # the fact of each such output: written just now, or kept from before
            insert_rows(conn, S.fact_input, [
                (ids[i], self.existing[(d.entity, d.indicator, d.dims)].id, f"input:{d.indicator}", None)
                for i, d in derived], ("fact_id", "input_fact_id", "role", "weight"))
        self.res.batch_id = batch_id
        self.res.written = len(keep)


def foil_cradle_to_gate(mill_emissions: Decimal, metal_in_t: Decimal, liquid_footprint: Decimal) -> Decimal:
    """Foil's emissions cradle-to-gate inside the group, t CO2e: the foil mills' own (gate to
    gate) plus the aluminium they took in at the group's liquid-aluminium footprint per tonne.
    A mill with 1,000 t CO2e of its own that rolled 10,000 t of foil from 10,500 t of metal at
    12.9 t CO2e/t: (1,000 + 10,500 × 12.9) / 10,000 = 13.645 t CO2e per t of foil.

    >>> foil_cradle_to_gate(Decimal(1000), Decimal(10500), Decimal("12.9")) / 10000
    Decimal('13.645')
    """
    with localcontext() as ctx:
        ctx.prec = 34
        return mill_emissions + metal_in_t * liquid_footprint


def ets_enterprises(tree: EntityTree) -> dict[str, list[str]]:
    """The national ETS entries and their members, by the entity that reports.

    * a smelter or power-plant company with its own sites and units (not its subsidiary
      companies);
    * a captive power plant that is a site or unit of another company (or of the group), with
      its own sites and units: it reports under the power-generation guideline on its own
      (MEE CETS-AG-04.01-V01-2024: an aluminium enterprise's power-generation facilities are
      accounted under their own sector's guideline), so it is not a member of the company's
      entry."""
    kids: dict[str, set[str]] = {}
    for ch, ms in tree.memberships.items():
        for m in ms:
            if m.parent is not None:
                kids.setdefault(m.parent, set()).add(ch)

    def plant(code: str) -> bool:
        e = tree.entities[code]
        return e.level in ("site", "unit") and e.process_type == "power_plant"

    def members(top: str, power: bool) -> list[str]:
        out, todo = {top}, [top]
        while todo:
            for ch in sorted(kids.get(todo.pop(), ())):
                if ch in out or tree.entities[ch].level not in ("site", "unit"):
                    continue
                if plant(ch) and not power:
                    continue  # a captive plant: an entry of its own
                out.add(ch)
                todo.append(ch)
        return sorted(out)

    out = {code: members(code, e.process_type == "power_plant") for code, e in sorted(tree.entities.items())
           if e.level == "company" and e.process_type in ("smelter", "power_plant")}
    in_power = {m for top, ms in out.items() if tree.entities[top].process_type == "power_plant" for m in ms}
    for code in sorted(tree.entities):
        if not plant(code) or code in in_power:
            continue
        if any(m.parent is not None and plant(m.parent) for m in tree.memberships.get(code, [])):
            continue  # a unit of a captive plant site: a member of the plant's entry
        out[code] = members(code, True)
        in_power.update(out[code])
    return dict(sorted(out.items()))


def _part_order(part: tuple[str, str]) -> tuple[int, str]:
    return _PART_ORDER[part[0]], part[1]


class MemoFactors:
    """A factor library that remembers every lookup's answer (or its refusal). One run asks
    the same questions for many entities; a kept run asks them again for each update. The
    answers cannot change while the library is the same object (a changed factor set is a new
    library, and a full run)."""

    def __init__(self, library: FactorLibrary, entity: tuple[str, ...] = (), memo: dict | None = None):
        self._lib = library
        self._memo: dict[tuple, tuple[bool, object]] = {} if memo is None else memo
        # the entity the lookups are for and its parents, nearest first (for a value of the
        # workspace's that names its entities); the answers to the other keys are shared
        self._entity = entity
        self._scoped = library.scoped_keys if entity else frozenset()
        self._at: dict[tuple[str, ...], MemoFactors] = {}

    @property
    def scoped(self) -> bool:
        """Whether some value of the library is for some entities only."""
        return bool(self._lib.scoped_keys)

    def at(self, entity: tuple[str, ...]) -> "MemoFactors":
        """The same library, asked for ``entity`` (the entity and its parents): itself where no
        value names an entity, else one object per entity, remembering with this one."""
        if not self._lib.scoped_keys:
            return self
        got = self._at.get(entity)
        if got is None:
            got = self._at[entity] = MemoFactors(self._lib, entity, self._memo)
        return got

    def lookup(self, key: str, on=None, *, prefer=(), sets=None, latest: bool = False, dims=None, **kw):
        if key in self._scoped:  # a value may be for some entities: asked for this one
            kw["entity"] = self._entity
        try:
            if dims is None and all(type(v) is str for v in kw.values()):
                # the usual question (members named as text): its dimensions as the call gives
                # them; the same question asked in another order is remembered twice, to the
                # same answer
                query = tuple(kw.items())
            else:  # members as the library compares them (as text)
                query = tuple(sorted((k, str(v)) for k, v in {**(dims or {}), **kw}.items()))
            memo_key = (key, on, tuple(prefer), None if sets is None else tuple(sets), latest, query)
            hit = self._memo.get(memo_key)
        except TypeError:  # an unhashable argument: ask the library
            return self._lib.lookup(key, on, prefer=prefer, sets=sets, latest=latest, dims=dims, **kw)
        if hit is None:
            try:
                hit = (True, self._lib.lookup(key, on, prefer=prefer, sets=sets, latest=latest, dims=dims, **kw))
            except FactorLookupError as exc:
                hit = (False, exc.problem)
            self._memo[memo_key] = hit
        if hit[0]:
            return hit[1]
        raise FactorLookupError(hit[1])

    # the library's own find and gwp, going through the remembering lookup above
    find = FactorLibrary.find
    gwp = FactorLibrary.gwp

    def __getattr__(self, name: str):
        return getattr(self._lib, name)


class _Calls:
    """The methodology calls of one part of a run (an entity's sources, or its Scope 2 and 3),
    each result by the call's arguments, with those of the part's last computation. A method is
    a function of its arguments (facts' values, factor values, the run's factor library and
    GWP set), so a call with the same arguments has that result: when one activity fact of an
    entity changes, the methods reading its other facts are not run again. Only the results of
    the part's last computation are kept (the call makes a new one, reading the old)."""

    def __init__(self, last: "_Calls | None"):
        self._last = {} if last is None else last._now
        # key -> (result, the arguments: kept alive, as a key names factor values by identity)
        self._now: dict[tuple, tuple] = {}

    def __call__(self, fn, *args, **kw):
        key = _call_key(fn, args, kw)
        if key is None:  # an argument of a kind not told apart exactly: not remembered
            return fn(*args, **kw)
        hit = self._now.get(key) or self._last.get(key)
        if hit is None:
            hit = (fn(*args, **kw), args, kw)
        self._now[key] = hit
        return hit[0]


def _call_key(fn, args: tuple, kw: dict) -> tuple | None:
    """A key equal to another only for the same call: text, whole numbers, booleans and None by
    type and value (1 is not True), decimals by their exact text (1.0 is not 1.00, -0 is not
    0), factor values, results and the factor library by identity (a _Calls entry keeps its
    arguments alive), energy uses by their fields, tuples of those; None if an argument is of
    any other kind. Flat: each argument is its type, then what tells it apart (a tuple: its
    length, then its items), each keyword argument its name first. (The usual kinds are
    handled here, the rest by _flat_key: the same key either way.) A call whose arguments are
    all text, whole numbers, None or the factor library — whose equality is exact, and the
    library's is identity — is keyed by them as they are: (fn, args, keyword items), a key the
    flat ones (whose second item is a type) never equal."""
    safe = _SAFE_TYPES
    for v in args:
        if type(v) not in safe:
            break
    else:
        for v in kw.values():
            if type(v) not in safe:
                break
        else:
            return fn, args, tuple(kw.items())
    out: list = [fn]
    add = out.append
    try:  # the positional arguments, then each keyword's name and value
        for name, v in (*((None, v) for v in args), *kw.items()):
            if name is not None:
                add(name)
            t = type(v)
            if t is str or t is Decimal or t is MemoFactors or t is FactorValue or t is int or v is None:
                add(t)
                add(str(v) if t is Decimal else id(v) if t is MemoFactors or t is FactorValue else v)
            else:
                _flat_key(v, add)
    except _NoKey:
        return None
    return tuple(out)


class _NoKey(Exception):
    pass


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})
_SAFE_TYPES = frozenset({str, int, type(None), MemoFactors})  # == only for the same value (or object)


def _flat_key(v, add) -> None:
    t = type(v)
    add(t)
    if t in _PLAIN_TYPES:
        add(v)
    elif t is Decimal:
        add(str(v))
    elif t is FactorValue or t is Result or t is MemoFactors:
        add(id(v))
    elif t is tuple:
        add(len(v))
        for x in v:
            _flat_key(x, add)
    elif t is m_energy.EnergyUse:
        _flat_key(v.carrier, add)
        _flat_key(v.amount, add)
        _flat_key(v.unit, add)
        _flat_key(v.coefficient, add)
        _flat_key(v.coefficient_unit, add)
        _flat_key(v.density, add)
    else:
        raise _NoKey


@functools.lru_cache(maxsize=4096)
def _members_of(dims: str) -> MappingProxyType:
    return MappingProxyType(dict(Dims.parse(dims)))


def _members(dims: str):
    """A dimension key's members, by dimension (``"fuel=bituminous"`` → {"fuel": "bituminous"});
    read-only, parsed once per key."""
    return _members_of(dims)


def _same(a: tuple | None, b: tuple) -> bool:
    """The same objects, one by one (facts: the same object is the same value)."""
    return a is not None and len(a) == len(b) and all(x is y for x, y in zip(a, b))


def _technology_or_none(text: str) -> str | None:
    try:
        return m_al.cell_technology(text)
    except CalcError:
        return None  # the PFC method names the unknown technology


def _fuel_of(result: Result) -> str | None:
    for p in result.parameters:
        if p.factor is not None and "fuel" in p.factor.dim:
            return p.factor.dim["fuel"]
    return None


def _factors(result: Result | None) -> list:
    """The factor values a result used (and its parts), once each, in order. Worked out once
    per result (a result does not change; the list is kept on it) and given as a new list."""
    if result is None:
        return []
    kept = result.__dict__.get("_factor_values")
    if kept is None:
        kept = _dedup_factors(list(result.factors) + [f for p in result.parts for f in _factors(p)])
        object.__setattr__(result, "_factor_values", kept)  # frozen: a cache beside its fields
    return list(kept)


def _dedup_factors(values) -> list:
    """Factor values once each (by reference: set, version, key and dimensions), in order."""
    seen, out = set(), []
    for fv in values:
        if fv.ref not in seen:
            seen.add(fv.ref)
            out.append(fv)
    return out


def _input_rows(facts: list) -> tuple:
    """The lineage of an output: (fact id, role, weight) of each fact it read, once each, in
    the order read (a product's figures read ~50 facts, many twice); outputs of the run among
    them are linked after the append (:func:`_derived_inputs`)."""
    rows: dict[int | None, tuple] = {}
    for f in facts:
        if type(f) is not Output and f.id not in rows:
            rows[f.id] = (f.id, f"input:{f.indicator}", None)
    return tuple(rows.values())


def _derived_inputs(facts: list) -> list[Output]:
    """The outputs of the run among an output's inputs, once each."""
    out: dict[int, Output] = {}
    for f in facts:
        if type(f) is Output:
            out.setdefault(id(f), f)
    return list(out.values())
