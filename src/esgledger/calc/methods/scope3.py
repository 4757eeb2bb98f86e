"""Scope 3: category 1 (purchased goods), 3 (fuel- and energy-related) and 4 (upstream transport).

    cat 1   E = Σ quantity × EF_cradle-to-gate (supplier-specific, else average-data)
                                          GHG Protocol Scope 3 Standard ch.5; Technical Guidance cat.1
    cat 3a  E = Σ fuel energy × EF_upstream (well-to-tank)                     Technical Guidance cat.3 (a)
    cat 3b  E = electricity × EF_upstream of generation fuels                    Technical Guidance cat.3 (b)
    cat 3c  E = electricity × T&D loss rate × EF_grid                           Technical Guidance cat.3 (c)
    cat 4   E = Σ mass × distance × EF_mode  (t·km)                             Technical Guidance cat.4, distance-based
Factors are CO2e already (results carry ``CO2e``, no GWP weighting here). The shipped defaults
are ILLUSTRATIVE placeholders (set ``scope3_illustrative``, R-low): supplier-specific factors
go in a user factor file with ``dims: {material: ..., supplier: ...}`` and win where they apply.

>>> transport(1000, 500, "rail", factor="0.020").total
Decimal('10.000')
"""
from __future__ import annotations

from typing import Any, Sequence

from esgledger.calc.methods import UnknownTechnology
from esgledger.calc.methods.result import Param, Recorder, Result, exact, ghg_result
from esgledger.library.factors import FactorLibrary
from esgledger.model.units import UNITS

METHOD_ID = "scope3"
METHOD_VERSION = "1.0"
MODES = ("road", "rail", "inland_water", "sea", "air")
EQ_CAT1 = "E = quantity × EF (GHG Protocol Scope 3 Technical Guidance, category 1)"
EQ_CAT3A = "E = fuel energy × EF_upstream (Scope 3 Technical Guidance, category 3a)"
EQ_CAT3B = "E = electricity × EF_upstream (Scope 3 Technical Guidance, category 3b)"
EQ_CAT3C = "E = electricity × T&D loss rate × EF_grid (Scope 3 Technical Guidance, category 3c)"
EQ_CAT4 = "E = t × km × EF_mode (Scope 3 Technical Guidance, category 4, distance-based)"


@exact
def purchased_goods(quantity: Param, factor: Param | None = None, *, material: str, supplier: str | None = None,
                    unit: str = "吨", factors: FactorLibrary | None = None, on: Any = None,
                    prefer: Sequence[str] = ()) -> Result:
    """Category 1: cradle-to-gate emissions of a purchased material (alumina, petroleum coke,
    coal-tar pitch, caustic soda …). ``factor`` in t CO2e/t, else the supplier's factor from a
    user factor set, else the default for the material."""
    rec = Recorder()
    q = rec.nonnegative("quantity", rec.take("quantity", quantity, unit))
    q_t = UNITS.convert(q, unit, "吨")
    dims = {"material": material, **({"supplier": supplier} if supplier else {})}
    f = rec.take_or_lookup("ef", factor, "tCO2e/t", factors, "scope3.cat1", on, prefer, **dims)
    return ghg_result(f"{METHOD_ID}:cat1", METHOD_VERSION, EQ_CAT1, {"CO2e": q_t * f}, rec,
                      label=material + (f"/{supplier}" if supplier else ""))


@exact
def fuel_upstream(energy_gj: Param, factor: Param | None = None, *, fuel: str, factors: FactorLibrary | None = None,
                  on: Any = None, prefer: Sequence[str] = ()) -> Result:
    """Category 3a: upstream (extraction, processing, transport) of fuels burnt; ``energy_gj``
    is the fuel's energy (the ``energy`` step of a combustion result)."""
    rec = Recorder()
    e = rec.nonnegative("energy", rec.take("energy", energy_gj, "GJ"))
    f = rec.take_or_lookup("ef", factor, "kgCO2e/GJ", factors, "scope3.cat3.fuel_upstream", on, prefer, fuel=fuel)
    return ghg_result(f"{METHOD_ID}:cat3a", METHOD_VERSION, EQ_CAT3A, {"CO2e": e * f / 1000}, rec, label=fuel)


@exact
def electricity_upstream(consumption_mwh: Param, factor: Param | None = None, *, area: str = "national",
                         factors: FactorLibrary | None = None, on: Any = None,
                         prefer: Sequence[str] = ()) -> Result:
    """Category 3b: upstream emissions of the fuels that generated the electricity bought."""
    rec = Recorder()
    e = rec.nonnegative("consumption", rec.take("consumption", consumption_mwh, "兆瓦时"))
    f = rec.take_or_lookup("ef", factor, "tCO2/MWh", factors, "scope3.cat3.electricity_upstream", on, prefer,
                           area=area)
    return ghg_result(f"{METHOD_ID}:cat3b", METHOD_VERSION, EQ_CAT3B, {"CO2e": e * f}, rec, label="electricity")


@exact
def td_losses(consumption_mwh: Param, grid_factor: Param, loss_rate_pct: Param | None = None, *,
              area: str = "national", factors: FactorLibrary | None = None, on: Any = None,
              prefer: Sequence[str] = ()) -> Result:
    """Category 3c: generation emissions of the electricity lost in transmission and distribution."""
    rec = Recorder()
    e = rec.nonnegative("consumption", rec.take("consumption", consumption_mwh, "兆瓦时"))
    ef = rec.take("grid_factor", grid_factor, "tCO2/MWh")
    loss = rec.percent("loss_rate_pct", rec.take_or_lookup("loss_rate_pct", loss_rate_pct, "%", factors,
                                                           "scope3.cat3.td_loss_rate", on, prefer, area=area))
    lost = rec.step("lost", e * loss / 100, "兆瓦时")
    return ghg_result(f"{METHOD_ID}:cat3c", METHOD_VERSION, EQ_CAT3C, {"CO2e": lost * ef}, rec, label="T&D losses")


@exact
def transport(tonnes: Param, km: Param, mode: str, factor: Param | None = None, *,
              factors: FactorLibrary | None = None, on: Any = None, prefer: Sequence[str] = ()) -> Result:
    """Category 4: upstream transport of ``tonnes`` over ``km`` by ``mode`` (road, rail,
    inland_water, sea, air); ``factor`` in kg CO2e per t·km."""
    if mode not in MODES:
        raise UnknownTechnology(f"transport mode is one of {', '.join(MODES)}, found {mode!r}",
                                zh=f"运输方式应为 {'、'.join(MODES)} 之一，实际为 {mode!r}")
    rec = Recorder()
    t = rec.nonnegative("mass", rec.take("mass", tonnes, "吨"))
    d = rec.nonnegative("distance", rec.take("distance", km, "km"))
    tkm = rec.step("tonne_km", t * d, "t·km")
    f = rec.take_or_lookup("ef", factor, "kgCO2e/t·km", factors, "scope3.cat4.transport", on, prefer, mode=mode)
    return ghg_result(f"{METHOD_ID}:cat4", METHOD_VERSION, EQ_CAT4, {"CO2e": tkm * f / 1000}, rec, label=mode)


@exact
def transport_tkm(tonne_km: Param, mode: str, factor: Param | None = None, *, unit: str = "t·km",
                  factors: FactorLibrary | None = None, on: Any = None, prefer: Sequence[str] = ()) -> Result:
    """Category 4 from transport work already in t·km (or 万t·km)."""
    if mode not in MODES:
        raise UnknownTechnology(f"transport mode is one of {', '.join(MODES)}, found {mode!r}",
                                zh=f"运输方式应为 {'、'.join(MODES)} 之一，实际为 {mode!r}")
    rec = Recorder()
    w = rec.nonnegative("tonne_km", rec.take("tonne_km", tonne_km, unit))
    tkm = UNITS.convert(w, unit, "t·km")
    f = rec.take_or_lookup("ef", factor, "kgCO2e/t·km", factors, "scope3.cat4.transport", on, prefer, mode=mode)
    return ghg_result(f"{METHOD_ID}:cat4", METHOD_VERSION, EQ_CAT4, {"CO2e": tkm * f / 1000}, rec, label=mode)


__all__ = ["METHOD_ID", "METHOD_VERSION", "MODES", "electricity_upstream", "fuel_upstream", "purchased_goods",
           "td_losses", "transport", "transport_tkm"]
