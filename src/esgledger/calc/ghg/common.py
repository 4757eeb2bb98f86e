"""What the parts of a GHG run share: the activity indicators it reads (:data:`GHG_INPUTS`, and
those several parts name), what it produces (:class:`Source`, :class:`Output`,
:class:`GhgRunResult`), and a dimension key's members and a result's factor values, worked out
once each."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from esgledger.calc.methods.result import Result
from esgledger.model.errors import ProblemList
from esgledger.model.types import Dims, FactRecord

FUEL_INDICATORS = {  # activity indicator -> (fuel key of the factor sets, unit of the fact)
    "diesel_consumption": "diesel",
    "natural_gas_consumption": "natural_gas",
}
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


@functools.lru_cache(maxsize=4096)
def _members_of(dims: str) -> MappingProxyType:
    return MappingProxyType(dict(Dims.parse(dims)))


def _members(dims: str):
    """A dimension key's members, by dimension (``"fuel=bituminous"`` → {"fuel": "bituminous"});
    read-only, parsed once per key."""
    return _members_of(dims)


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
