"""Energy: 综合能耗 in 吨标准煤 by the calorific-value and the equivalent methods, intensities,
and the arithmetic of targets against a baseline year.

    E = Σ e_i × k_i                           GB/T 2589-2020 §4 (综合能耗), Annex A coefficients
    calorific (当量值): electricity 0.1229 kgce/kWh (3 600 kJ/kWh ÷ 29 307 kJ/kgce)
    equivalent (等价值): electricity at the year's supply coal rate (≈0.300 kgce/kWh), or for
                         captive power the plant's own generation coal rate
    fuels and heat: the same coefficient in both methods
    intensity = energy / output value (吨标准煤/万元) or / product (吨标准煤/吨)
Targets (e.g. the seed's 2025 targets against 2021: −13.5 % energy per output value, −18 %
CO2 per unit of product):
    target      = baseline × (1 + p/100)
    even path   = baseline × (1 + p/100 × (y − y0)/(yT − y0))      (linear in value; esgledger's convention)
    required    = (target / current)^(1/(yT − y)) − 1                 per year from now

>>> standard_coal(1000, "吨", "1.4571")
Decimal('1457.1000')
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Sequence

from esgledger.calc.methods import CalcError, InvalidInput, MissingInput
from esgledger.calc.methods.result import (Param, Recorder, Result, dec, exact, library, product_factor)
from esgledger.library.factors import FactorLibrary, FactorValue
from esgledger.model.targets import TargetError, TargetProgress
from esgledger.model.targets import target_progress as _target_progress
from esgledger.model.units import UNITS, UnitError

METHOD_ID = "energy"
METHOD_VERSION = "1.0"
METHODS = ("calorific", "equivalent")
TCE = "吨标准煤"
EQUATION = ("E = Σ e_i × k_i (GB/T 2589-2020 §4); k_i = the fuel's NCV / 29.307 GJ per tce where its NCV is "
            "known (measured, or the default its CO2 takes), else Annex A")


_METHOD_ZH = {"calorific": "当量值", "equivalent": "等价值"}
_INTENSITY_ZH = {"intensity": "强度", "energy per output value": "单位产值综合能耗",
                 "per tonne of product": "单位产品强度"}


@dataclass(frozen=True)
class EnergyUse:
    """One energy carrier consumed: ``amount`` in ``unit``; ``coefficient`` (kgce per unit,
    a number in ``coefficient_unit`` or a FactorValue) overrides the GB/T 2589 default;
    ``density`` (kg/L) turns litres into mass."""

    carrier: str
    amount: Param
    unit: str
    coefficient: Param | None = None
    coefficient_unit: str = "kgce/kg"
    density: Param | None = None
    # the calorific-value route (GB/T 2589-2020 §4: a fuel's own NCV where known): ``ncv`` in
    # ``ncv_unit`` (a measured number or a FactorValue; GJ/t, GJ/万Nm3), or, with ``ncv_fuel``,
    # the factor sets' ``fuel.ncv`` of that fuel (the default its CO2 takes); tce = amount × NCV
    # / 29.307 GJ per tce
    ncv: Param | None = None
    ncv_unit: str = "GJ/t"
    ncv_fuel: str | None = None


def _not_energy(use: EnergyUse, k_unit: str) -> CalcError:
    """The amount times the coefficient (or NCV) is not energy: for an amount by volume, its
    density is wanted; otherwise the coefficient is for another unit of the carrier (steam's
    kgce per kg for heat metered in GJ)."""
    try:
        product_factor(use.unit, "kg/L", "吨")
    except UnitError:
        return InvalidInput(f"{use.carrier}: {use.unit} × {k_unit} is not energy: the coefficient's unit does not "
                            f"fit the amount's ({use.unit})",
                            zh=f"{use.carrier}：{use.unit} × {k_unit} 不是能量：系数的单位与用量的单位（{use.unit}）不相符")
    return MissingInput(f"{use.carrier}: {use.unit} × {k_unit} is not energy; give the density",
                        zh=f"{use.carrier}：{use.unit} × {k_unit} 不是能量；请给出密度")


def _tce(rec: Recorder, use: EnergyUse, k: Decimal, k_unit: str, prefix: str) -> Decimal:
    amount = rec.nonnegative(f"{prefix}amount", rec.take(f"{prefix}amount", use.amount, use.unit))
    unit = use.unit
    try:
        return amount * k * product_factor(unit, k_unit, TCE)
    except UnitError:
        if use.density is None:
            raise _not_energy(use, k_unit) from None
    mass_t = amount * rec.take(f"{prefix}density", use.density, "kg/L") * product_factor(unit, "kg/L", "吨")
    return mass_t * k * product_factor("吨", k_unit, TCE)


@exact
def standard_coal(amount: Param, unit: str, coefficient: Param, *, coefficient_unit: str = "kgce/kg",
                  density: Param | None = None) -> Decimal:
    """Tonnes of standard coal of one carrier (GB/T 2589-2020): amount × coefficient."""
    rec = Recorder()
    use = EnergyUse("-", amount, unit, coefficient, coefficient_unit, density)
    k_unit = coefficient.unit if isinstance(coefficient, FactorValue) else coefficient_unit
    k = rec.take("coefficient", coefficient, k_unit)
    return _tce(rec, use, k, k_unit, "")


def _use_tce(use: EnergyUse, method: str, factors: FactorLibrary | None, on: Any, prefer: Sequence[str]
             ) -> tuple[tuple, Decimal]:
    """One carrier of :func:`total_energy`: the parameters it records, and its tonnes of
    standard coal."""
    rec = Recorder()
    prefix = f"{use.carrier}."
    coef = use.coefficient
    ncv = use.ncv
    if coef is None and ncv is None and use.ncv_fuel:
        ncv = library(factors).find("fuel.ncv", on, prefer=prefer, fuel=use.ncv_fuel)
    if coef is None and ncv is not None:
        # by the fuel's own net calorific value: tce = amount × NCV / (GJ per tce), 1 kgce =
        # 29 307 kJ (GB/T 2589-2020), both recorded; litres through the density
        ncv_unit = ncv.unit if isinstance(ncv, FactorValue) else use.ncv_unit
        if not UNITS.is_known(ncv_unit):
            raise InvalidInput(f"unknown NCV unit {ncv_unit}", zh=f"低位发热量的单位 {ncv_unit} 无法识别")
        n = rec.nonnegative(f"{prefix}ncv", rec.take(f"{prefix}ncv", ncv, ncv_unit))
        per_tce = rec.take_or_lookup(f"{prefix}gj_per_tce", None, "GJ/tce", factors, "energy.ncv_standard_coal",
                                     on, prefer)
        amount = rec.nonnegative(f"{prefix}amount", rec.take(f"{prefix}amount", use.amount, use.unit))
        try:
            gj = amount * n * product_factor(use.unit, ncv_unit, "GJ")
        except UnitError:
            if use.density is None:
                raise _not_energy(use, ncv_unit) from None
            mass_t = (amount * rec.take(f"{prefix}density", use.density, "kg/L")
                      * product_factor(use.unit, "kg/L", "吨"))
            gj = mass_t * n * product_factor("吨", ncv_unit, "GJ")
        rec.step(f"{prefix}energy", gj, "GJ")
        return tuple(rec.params), gj / per_tce
    if coef is None:
        coef = library(factors).find("energy.sce", on, prefer=prefer, carrier=use.carrier, basis=method)
        if coef is None:
            raise MissingInput(f"no {method} standard-coal coefficient for {use.carrier}; give one",
                               zh=f"{use.carrier} 没有{_METHOD_ZH[method]}折标准煤系数（{method}）；请给出")
    k_unit = coef.unit if isinstance(coef, FactorValue) else use.coefficient_unit
    if not UNITS.is_known(k_unit):
        raise InvalidInput(f"unknown coefficient unit {k_unit}", zh=f"折标准煤系数的单位 {k_unit} 无法识别")
    k = rec.take(f"{prefix}coefficient", coef, k_unit)
    tce = _tce(rec, use, k, k_unit, prefix)
    return tuple(rec.params), tce


@exact
def total_energy(uses: Sequence[EnergyUse], *, method: str = "calorific", factors: FactorLibrary | None = None,
                 on: Any = None, prefer: Sequence[str] = (), label: str = "",
                 memo: Sequence[dict] | None = None, factors_of: Sequence[FactorLibrary] | None = None) -> Result:
    """综合能耗 in 吨标准煤 by carrier and in total, by the ``calorific`` (当量值) or the
    ``equivalent`` (等价值) method. Coefficients not given come from GB/T 2589 (``energy.sce``
    with ``carrier`` and ``basis``).

    ``memo``: one dict per use, kept by a caller that asks again about the same use objects
    (a calculation run's kept state): each use's parameters and tonnes are remembered there
    by method, factor library (by identity), date and preferred sets, and not worked out
    again; the result is the same. ``factors_of``: one factor library per use, for uses of
    several entities each asked at its own (a stage's total, where a value of the workspace's
    is for one plant); else ``factors`` for every use."""
    if method not in METHODS:
        raise InvalidInput(f"method is calorific or equivalent, found {method!r}",
                           zh=f"折算方法应为 calorific（当量值）或 equivalent（等价值），实际为 {method!r}")
    rec = Recorder()
    by: dict[str, Decimal] = {}
    for i, use in enumerate(uses):
        fx = factors if factors_of is None else factors_of[i]
        key = (method, id(fx), on, tuple(prefer))
        known = None if memo is None else memo[i]
        hit = None if known is None else known.get(key)
        if hit is None or hit[0] is not fx:
            params, tce = _use_tce(use, method, fx, on, prefer)
            if known is not None:
                known[key] = (fx, params, tce)  # the library itself kept: its id stays its own
        else:
            _f, params, tce = hit
        rec.params.extend(params)
        by[use.carrier] = by.get(use.carrier, Decimal(0)) + tce
    for carrier, v in by.items():
        rec.step(carrier, v, TCE)
    return Result(method=f"{METHOD_ID}:{method}", version=METHOD_VERSION, equation=EQUATION,
                  values=MappingProxyType(by), unit=TCE, total=sum(by.values(), Decimal(0)), total_unit=TCE,
                  parameters=tuple(rec.params), steps=tuple(rec.steps), label=label or method)


@exact
def total_energy_of_what_converts(uses: Sequence[EnergyUse], *, method: str = "calorific",
                                  factors: FactorLibrary | None = None, on: Any = None, prefer: Sequence[str] = (),
                                  label: str = "", memo: Sequence[dict] | None = None,
                                  factors_of: Sequence[FactorLibrary] | None = None
                                  ) -> tuple[Result, list[tuple[int, CalcError]]]:
    """:func:`total_energy` of the uses that convert to standard coal, and each one that does
    not, by its index, with why (its carrier has no coefficient for the method, its unit times
    the coefficient's is not energy …). A calculation run gives the total of the rest (0 when
    none converts) and marks it as leaving those out (calc/incomplete.py), as it does a Scope 1
    without a source it could not compute; :func:`total_energy` refuses the whole sum.
    ``memo`` and ``factors_of`` as for :func:`total_energy` (a stage's uses, each at its
    entity's factors).

    >>> from esgledger.library.factors import load_factor_sets
    >>> r, failed = total_energy_of_what_converts(
    ...     [EnergyUse("electricity", 1000, "兆瓦时"), EnergyUse("heat", 10, "吨")], factors=load_factor_sets())
    >>> r.total, [(i, type(e).__name__) for i, e in failed]
    (Decimal('122.9000'), [(1, 'InvalidInput')])
    """
    kw = {"method": method, "factors": factors, "on": on, "prefer": prefer, "label": label}
    try:
        return total_energy(uses, memo=memo, factors_of=factors_of, **kw), []
    except CalcError:
        if method not in METHODS:
            raise  # the method is wrong, not a use
    kept, failed = [], []
    for i, use in enumerate(uses):
        try:
            total_energy([use], memo=None if memo is None else [memo[i]],
                         factors_of=None if factors_of is None else [factors_of[i]], **kw)
        except CalcError as exc:
            failed.append((i, exc))
        else:
            kept.append(i)
    kept_memo = None if memo is None else [memo[i] for i in kept]
    kept_fx = None if factors_of is None else [factors_of[i] for i in kept]
    return total_energy([uses[i] for i in kept], memo=kept_memo, factors_of=kept_fx, **kw), failed


@exact
def intensity(value: Param, per: Param, *, name: str = "intensity") -> Decimal:
    """value / per, refusing a zero denominator (energy per 万元, CO2 per tonne …)."""
    v, p = dec("value", value if not isinstance(value, Result) else value.total), dec("per", per)
    if p == 0:
        raise InvalidInput(f"{name}: the denominator is zero", zh=f"{_INTENSITY_ZH.get(name, name)}：分母为零")
    return v / p


def energy_per_output_value(tce: Param | Result, output_value: Param, *, output_unit: str = "万元") -> Decimal:
    """吨标准煤 per 万元 of output value (产值)."""
    v = tce.total if isinstance(tce, Result) else tce
    per = UNITS.convert(dec("output_value", output_value), output_unit, "万元")
    return intensity(v, per, name="energy per output value")


def per_product(value: Param | Result, production_t: Param) -> Decimal:
    """Per tonne of product (吨标准煤/吨, t CO2e/t)."""
    v = value.total if isinstance(value, Result) else value
    return intensity(v, production_t, name="per tonne of product")


# --- targets --------------------------------------------------------------------------------
# The arithmetic lives in esgledger.model.targets (the report draws the same path without
# importing calc); here it takes the methods' parameters (Decimal, int or numeric string).
@exact
def target_progress(baseline_value: Param, current_value: Param, target_change_pct: Param, *,
                    baseline_year: int, current_year: int, target_year: int) -> TargetProgress:
    """Progress of an intensity or absolute target set as a % change against a baseline year.

    A reduction target has a negative ``target_change_pct`` (−13.5 for −13.5 %); "on track"
    and "achieved" then mean at or below the path, and at or above it for an increase target.
    See :func:`esgledger.model.targets.target_progress`.
    """
    b, c, p = dec("baseline_value", baseline_value), dec("current_value", current_value), \
        dec("target_change_pct", target_change_pct)
    try:
        return _target_progress(b, c, p, baseline_year=baseline_year, current_year=current_year,
                                target_year=target_year)
    except TargetError as exc:
        raise InvalidInput(str(exc), zh=exc.zh) from None


__all__ = ["EnergyUse", "METHODS", "METHOD_ID", "METHOD_VERSION", "TargetProgress", "energy_per_output_value",
           "intensity", "per_product", "standard_coal", "target_progress", "total_energy",
           "total_energy_of_what_converts"]
