"""Captive coal power plant (自备电厂): its CO2, and the factor per MWh it passes on.

    E_plant      = E_combustion + E_desulphurisation                MEE 发电设施 guideline; GB/T 32151.1-2015
    E_combustion = Σ FC × C_ar × OF × 44/12  (measured elemental carbon), or
                   Σ FC × NCV × CC_default × OF × 44/12  (carbon not measured: guideline default CC)
    E_desulph    = Σ B_k × I_k × EF_k  (EF_CaCO3 = 0.440 t CO2/t; conversion 100 %)
    EF_supply    = E_plant × (1 − heat share) / electricity supplied (供电量)    t CO2/MWh

The supply factor is what the plant's electricity carries into the units it feeds (potlines,
refineries) in the product-footprint view; in the corporate inventory the plant's emissions
are Scope 1 once, and in the ETS view the plant reports under the power-generation guideline —
the accounting view, not this module, decides which applies.

>>> coal = coal_combustion_co2(1000, carbon_pct=Decimal("55"), oxidation_pct=99)
>>> plant = captive_plant_factor([coal], supplied_mwh=2500)
>>> plant.ef
Decimal('0.7986')
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Sequence

from esgledger.calc.methods import InvalidInput
from esgledger.calc.methods.combustion import combustion
from esgledger.calc.methods.result import Param, Recorder, Result, combine, exact, ghg_result
from esgledger.library.factors import FactorLibrary
from esgledger.model.units import UNITS

METHOD_ID = "captive_power_plant"
METHOD_VERSION = "1.0"
EQ_COAL = "E = FC × C_ar × OF × 44/12, or FC × NCV × CC × OF × 44/12 (MEE 发电设施 guideline; GB/T 32151.1)"
EQ_DESULPH = ("E = B × I × EF_CaCO3, I = the sorbent's CaCO3 purity (100 % unless a measured one is given) "
              "(MEE 发电设施 guideline, desulphurisation)")
EQ_SUPPLY = "EF = E_plant × (1 − heat share) / electricity supplied (MEE 发电设施 guideline 供电排放强度)"
# a run's: the plant reports no heat supplied, so none of its emissions go to heat (said, not silent)
EQ_SUPPLY_NO_HEAT = ("EF = E_plant × (1 − heat share) / electricity supplied, heat share 0: no heat supplied "
                     "reported, all to electricity (MEE 发电设施 guideline 供电排放强度)")


@dataclass(frozen=True)
class PlantFactor:
    """A plant's emissions and the CO2 per MWh of the electricity it supplies (t CO2/MWh)."""

    emissions: Result
    supplied_mwh: Decimal
    ef: Decimal
    heat_share_pct: Decimal = Decimal(0)
    unit: str = "tCO2/MWh"


@exact
def coal_combustion_co2(coal_t: Param, *, carbon_pct: Param | None = None, ncv: Param | None = None,
                        carbon_content: Param | None = None, oxidation_pct: Param | None = None,
                        factors: FactorLibrary | None = None, on: Any = None, prefer: Sequence[str] = (),
                        label: str = "coal") -> Result:
    """CO2 of the coal a power plant burns: measured elemental carbon ``carbon_pct`` (% as
    received) if given, else measured ``ncv`` (GJ/t) with ``carbon_content`` (t C/GJ; the
    guideline's default when not measured). Oxidation defaults to the guideline's 99 %."""
    rec = Recorder()
    if carbon_pct is None and ncv is None:
        raise InvalidInput("coal needs its measured elemental carbon (carbon_pct) or its measured NCV",
                           zh="燃煤需要实测元素碳含量（carbon_pct）或实测低位发热量")
    _, co2, _ = combustion(rec, coal_t, fuel="", amount_unit="吨", ncv=ncv, ncv_unit="GJ/t",
                           carbon_content=carbon_content, oxidation_pct=oxidation_pct, carbon_pct=carbon_pct,
                           density=None, factors=factors, on=on, prefer=prefer,
                           cc_key="power.coal.carbon_content_default", of_key="power.coal.oxidation")
    return ghg_result(METHOD_ID, METHOD_VERSION, EQ_COAL, {"CO2": co2}, rec, label=label)


@exact
def desulphurisation_co2(sorbent_t: Param, purity_pct: Param = 100, ef: Param | None = None, *,
                         carbonate: str = "CaCO3", factors: FactorLibrary | None = None,
                         label: str = "desulphurisation") -> Result:
    """CO2 released by limestone (or another carbonate) in flue-gas desulphurisation."""
    rec = Recorder()
    b = rec.nonnegative("sorbent", rec.take("sorbent", sorbent_t, "吨"))
    i = rec.percent("purity_pct", rec.take("purity_pct", purity_pct, "%"))
    f = rec.take_or_lookup("ef", ef, "tCO2/t", factors, "carbonate.ef", None, (), carbonate=carbonate)
    return ghg_result(METHOD_ID, METHOD_VERSION, EQ_DESULPH, {"CO2": b * i / 100 * f}, rec, label=label)


@exact
def captive_plant_factor(sources: Sequence[Result], supplied_mwh: Param, *, heat_share_pct: Param = 0,
                         label: str = "captive plant") -> PlantFactor:
    """The plant's CO2 (the sum of ``sources``: coal, oil for start-up, desulphurisation) and
    its emission factor per MWh supplied. ``heat_share_pct``: the part of the emissions
    allocated to heat it supplies (供热比), which the electricity does not carry."""
    rec = Recorder()
    supplied = rec.take("supplied", supplied_mwh, "兆瓦时")
    if supplied <= 0:
        raise InvalidInput(f"electricity supplied must be positive, found {supplied}",
                           zh=f"供电量必须为正数，实际为 {supplied}")
    share = rec.percent("heat_share_pct", rec.take("heat_share_pct", heat_share_pct, "%"))
    total = combine(sources, method=METHOD_ID, label=label)
    ef = total.co2e * (100 - share) / 100 / supplied
    return PlantFactor(total, supplied, ef, share)


@exact
def supplied_electricity_co2(mwh: Param, plant: PlantFactor | Param, *, unit: str = "兆瓦时",
                             label: str = "captive electricity") -> Result:
    """CO2 carried by electricity taken from a captive plant: MWh × EF_supply."""
    rec = Recorder()
    e = UNITS.convert(rec.nonnegative("electricity", rec.take("electricity", mwh, unit)), unit, "兆瓦时")
    f = rec.take("plant_ef", plant.ef if isinstance(plant, PlantFactor) else plant, "tCO2/MWh")
    return ghg_result(METHOD_ID, METHOD_VERSION, "E = MWh × EF_supply", {"CO2": e * f}, rec, label=label)


__all__ = ["METHOD_ID", "METHOD_VERSION", "PlantFactor", "captive_plant_factor", "coal_combustion_co2",
           "desulphurisation_co2", "supplied_electricity_co2"]
