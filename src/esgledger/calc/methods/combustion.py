"""Fossil-fuel combustion CO2 (化石燃料燃烧排放), by measured or default NCV and carbon content.

    E = FC × NCV × CC × OF × 44/12            NDRC 2013 aluminium guideline; GB/T 32151.4-2015 §5.2;
                                              IPCC 2006 Vol.2 Ch.2 Eq.2.1 with country-specific factors
    E = FC × C_ar × OF × 44/12                measured elemental carbon per mass (GB/T 32151.1 coal;
                                              MEE 发电设施 guideline), which equals CC = C_ar / NCV_ar

FC fuel consumed (t, or 10^4 Nm³ for gases); NCV net calorific value; CC carbon per unit of
heat (t C/GJ); OF oxidation rate; C_ar carbon mass fraction as received.

>>> r = fuel_combustion_co2(1, fuel="diesel", ncv=Decimal("43.33"), carbon_content=Decimal("0.0202"),
...                         oxidation_pct=98)
>>> round(r.total, 3)
Decimal('3.145')
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from esgledger.calc.methods import InvalidInput, MissingInput
from esgledger.calc.methods.result import (Param, Recorder, Result, co2_from_carbon, exact, ghg_result,
                                           library, product_factor)
from esgledger.library.factors import FactorLibrary, FactorValue
from esgledger.model.units import UNITS, UnitError

METHOD_ID = "fuel_combustion"
METHOD_VERSION = "1.0"
EQUATION = "E = FC × NCV × CC × OF × 44/12 (GB/T 32151.4-2015 §5.2; NDRC 2013; IPCC 2006 Vol.2 Eq.2.1)"
EQUATION_CAR = "E = FC × C_ar × OF × 44/12 (GB/T 32151.1-2015; MEE 发电设施 guideline)"


def _to_energy_basis(rec: Recorder, amount: Decimal, amount_unit: str, ncv_unit: str,
                     density: Param | None) -> tuple[Decimal, str]:
    """The amount in a unit that multiplies the NCV into energy; litres of a liquid fuel
    become tonnes through its density (kg/L) when the NCV is per tonne."""
    try:
        product_factor(amount_unit, ncv_unit, "GJ")
        return amount, amount_unit
    except UnitError:
        pass
    if density is None:
        raise MissingInput(f"fuel amount is in {amount_unit} but its NCV is in {ncv_unit}: give the density",
                           zh=f"燃料用量的单位为 {amount_unit}，而其低位发热量的单位为 {ncv_unit}：请给出密度")
    mass_t = amount * rec.take("density", density, "kg/L") * product_factor(amount_unit, "kg/L", "吨")
    rec.step("fuel_mass", mass_t, "吨")
    return mass_t, "吨"


def combustion(rec: Recorder, amount: Param, *, fuel: str, amount_unit: str, ncv: Param | None,
               ncv_unit: str, carbon_content: Param | None, oxidation_pct: Param | None,
               carbon_pct: Param | None, density: Param | None, factors: FactorLibrary | None,
               on: Any, prefer: Sequence[str], cc_key: str = "fuel.carbon_content",
               of_key: str = "fuel.oxidation") -> tuple[Decimal, Decimal, str]:
    """The shared combustion arithmetic: records into ``rec``; returns (amount, t CO2, equation)."""
    if not UNITS.is_known(amount_unit):
        raise InvalidInput(f"unknown unit {amount_unit}", zh=f"单位 {amount_unit} 无法识别")
    fc = rec.nonnegative("amount", rec.take("amount", amount, amount_unit))
    dims = {"fuel": fuel} if fuel and of_key.startswith("fuel.") else {}
    of = rec.percent("oxidation_pct",
                     rec.take_or_lookup("oxidation_pct", oxidation_pct, "%", factors, of_key, on, prefer, **dims))
    if carbon_pct is not None:
        # GB/T 32151.1: measured elemental carbon; carbon burnt = FC × C_ar × OF
        c = rec.percent("carbon_pct", rec.take("carbon_pct", carbon_pct, "%"))
        mass, mass_unit = _to_energy_basis(rec, fc, amount_unit, "GJ/t", density)
        carbon_t = rec.step("carbon", UNITS.convert(mass, mass_unit, "吨") * c / 100 * of / 100, "吨")
        return fc, co2_from_carbon(carbon_t), EQUATION_CAR
    if ncv is None:
        if not fuel:
            raise MissingInput("give the NCV or name the fuel so that its default NCV can be looked up",
                               zh="请给出低位发热量，或注明燃料品种以便查找其缺省低位发热量")
    dims_ncv = {"fuel": fuel} if fuel else {}
    if ncv is None:
        ncv = library(factors).find("fuel.ncv", on, prefer=prefer, **dims_ncv)
        if ncv is None:
            raise MissingInput(f"no NCV given and no default NCV applies for fuel {fuel}",
                               zh=f"未给出低位发热量，燃料 {fuel} 也没有适用的缺省低位发热量")
    unit = ncv.unit if isinstance(ncv, FactorValue) else ncv_unit
    if not UNITS.is_known(unit):
        raise InvalidInput(f"unknown NCV unit {unit}", zh=f"低位发热量的单位 {unit} 无法识别")
    n = rec.take("ncv", ncv, unit)
    qty, qty_unit = _to_energy_basis(rec, fc, amount_unit, unit, density)
    energy = rec.step("energy", qty * n * product_factor(qty_unit, unit, "GJ"), "GJ")
    cc = rec.take_or_lookup("carbon_content", carbon_content, "tC/GJ", factors, cc_key, on, prefer, **dims)
    carbon_t = rec.step("carbon", energy * cc * of / 100, "吨")
    return fc, co2_from_carbon(carbon_t), EQUATION


@exact
def fuel_combustion_co2(amount: Param, *, fuel: str = "", amount_unit: str = "吨", ncv: Param | None = None,
                        ncv_unit: str = "GJ/t", carbon_content: Param | None = None,
                        oxidation_pct: Param | None = None, carbon_pct: Param | None = None,
                        density: Param | None = None, factors: FactorLibrary | None = None, on: Any = None,
                        prefer: Sequence[str] = ()) -> Result:
    """CO2 from burning ``amount`` of ``fuel``.

    Measured values are given as numbers (``ncv`` in ``ncv_unit``, ``carbon_content`` in
    t C/GJ, ``oxidation_pct`` in %, ``carbon_pct`` = elemental carbon in % of mass); whatever
    is not given is looked up by ``fuel`` in the factor sets (``prefer`` names the sets,
    e.g. ``["cn_fuels_ndrc2013"]``). Gases: ``amount_unit="万Nm3"`` (or 立方米) with the NCV
    per 10^4 Nm³. Litres of a liquid fuel need ``density`` (kg/L).
    """
    rec = Recorder()
    fc, co2, eq = combustion(rec, amount, fuel=fuel, amount_unit=amount_unit, ncv=ncv, ncv_unit=ncv_unit,
                         carbon_content=carbon_content, oxidation_pct=oxidation_pct, carbon_pct=carbon_pct,
                         density=density, factors=factors, on=on, prefer=prefer)
    if fc:
        rec.step("ef", co2 / fc, f"tCO2/{amount_unit}")
    return ghg_result(METHOD_ID, METHOD_VERSION, eq, {"CO2": co2}, rec, factors=factors, label=fuel)


__all__ = ["EQUATION", "METHOD_ID", "METHOD_VERSION", "fuel_combustion_co2"]
