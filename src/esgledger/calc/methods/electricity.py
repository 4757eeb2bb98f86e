"""Purchased electricity (Scope 2, location- and market-based) and purchased heat.

    location-based  E = AD_net × EF_grid                       GHG Protocol Scope 2 Guidance (2015) ch.6;
                                                               NDRC 2013 / GB/T 32151.4 §5.2 E_elec = AD × EF
    market-based    E = (AD_net − green − certificates) × EF_residual
                                                               GHG Protocol Scope 2 Guidance ch.6–7: contractual
                                                               instruments (绿电 contracts, 绿证) at their own
                                                               factor (zero for renewables), the remainder at the
                                                               residual mix (MEE/NBS 不含市场化交易非化石电量的因子)
    purchased heat  E = AD_heat × EF_heat (0.11 t CO2/GJ)      NDRC 2013; MEE 补充数据表填报说明
    Scope 2         E_elec + E_heat, location- and market-based (heat bought from outside the
                    group has no contractual instrument: the same figure in both)

AD_net = purchased − exported (净购入电量). In the national ETS the aluminium guideline
reports purchased electricity and heat as auxiliary items only; the accounting view decides.

>>> s = scope2(1000, Decimal("0.5568"), green_mwh=400, residual_factor=Decimal("0.5942"))
>>> (s.location.total, s.market.total)
(Decimal('556.8000'), Decimal('356.5200'))
>>> h = with_heat(s, purchased_heat_co2(1000, Decimal("0.11")))
>>> (h.location.total, h.market.total)
(Decimal('666.8000'), Decimal('466.5200'))
"""
from __future__ import annotations

import datetime as dt

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Sequence

from esgledger.calc.methods import InvalidInput, MissingInput
from esgledger.calc.methods.result import Param, Recorder, Result, combine, exact, ghg_result, library
from esgledger.library.factors import FactorLibrary, FactorValue
from esgledger.model.units import UNITS

METHOD_ID = "purchased_electricity"
METHOD_VERSION = "1.0"
HEAT_METHOD_ID = "purchased_heat"
HEAT_METHOD_VERSION = "1.0"
EQ_LOCATION = "E = (purchased − exported) × EF_grid (GHG Protocol Scope 2 Guidance ch.6; GB/T 32151.4 §5.2)"
EQ_MARKET = ("E = (purchased − exported − green contracts − certificates) × EF_residual "
             "(GHG Protocol Scope 2 Guidance ch.6–7)")
EQ_HEAT = "E = AD_heat × EF_heat (NDRC 2013 aluminium guideline; GB/T 32151.4 §5.2)"


@dataclass(frozen=True)
class Scope2Result:
    """Both Scope 2 figures of one consumption; ``market`` is None without a residual factor."""

    location: Result
    market: Result | None


def _mwh(rec: Recorder, name: str, value: Param, unit: str) -> Decimal:
    v = rec.nonnegative(name, rec.take(name, value, unit))
    return UNITS.convert(v, unit, "兆瓦时") if unit != "兆瓦时" else v


@exact
def scope2(consumption_mwh: Param, grid_factor: Param, *, green_mwh: Param = 0, certificates_mwh: Param = 0,
           residual_factor: Param | None = None, exported_mwh: Param = 0, unit: str = "兆瓦时",
           label: str = "") -> Scope2Result:
    """Location- and market-based Scope 2 CO2 of purchased electricity.

    Quantities are in ``unit`` (兆瓦时 by default; 万千瓦时, 千瓦时 … are converted); factors
    in t CO2/MWh (a FactorValue in kg CO2/kWh is converted). ``green_mwh``: electricity bought
    under green-power contracts (绿电交易); ``certificates_mwh``: green certificates (绿证)
    retired for this consumption; both count at zero in the market-based figure.
    """
    rec = Recorder()
    used = _mwh(rec, "consumption", consumption_mwh, unit)
    exported = _mwh(rec, "exported", exported_mwh, unit)
    net = rec.step("net_purchased", used - exported, "兆瓦时")
    if net < 0:
        raise InvalidInput(f"exported electricity {exported} MWh exceeds purchased {used} MWh",
                           zh=f"外供电量 {exported} MWh 超过购入电量 {used} MWh")
    ef = rec.take("grid_factor", grid_factor, "tCO2/MWh")
    base = list(rec.params), list(rec.steps)
    location = ghg_result(METHOD_ID, METHOD_VERSION, EQ_LOCATION, {"CO2": net * ef}, rec,
                          label=label or "location-based")
    if residual_factor is None:
        return Scope2Result(location, None)
    mrec = Recorder()
    mrec.params, mrec.steps = [p for p in base[0] if p.name != "grid_factor"], list(base[1])
    green = _mwh(mrec, "green_contracts", green_mwh, unit)
    certs = _mwh(mrec, "certificates", certificates_mwh, unit)
    rest = mrec.step("residual_consumption", net - green - certs, "兆瓦时")
    if rest < 0:
        raise InvalidInput(f"green contracts and certificates ({green + certs} MWh) exceed "
                           f"the net purchased electricity ({net} MWh)",
                           zh=f"绿电交易与绿证电量（{green + certs} MWh）超过净购入电量（{net} MWh）")
    ref = mrec.take("residual_factor", residual_factor, "tCO2/MWh")
    market = ghg_result(METHOD_ID, METHOD_VERSION, EQ_MARKET, {"CO2": rest * ref}, mrec,
                        label=label or "market-based")
    return Scope2Result(location, market)


_BASIS_ZH = {"average": "平均", "residual": "不含市场化交易非化石电力的", "fossil": "化石能源",
             "ets": "全国碳市场管理值"}


def grid_factor(factors: FactorLibrary | None, year: Any, *, basis: str = "average", province: str | None = None,
                region: str | None = None, latest: bool = False, prefer: Sequence[str] = ()) -> FactorValue:
    """The grid factor for a site: its province's if published, else its grid region's, else
    the national one. ``latest=True`` takes the most recent factor published by ``year``
    (ETS practice reports year Y with the Y−2 factor), and then the most specific area among
    those of the newest data year: a province whose latest factor is older than its region's
    or the national one gives way to them, so that the sites of one run never mix grid-factor
    vintages (domain reference §0; UAT F9: 广西's 2022 factor 0.4044 against the 2023 south
    regional 0.4042 that every other site's vintage matches)."""
    lib = library(factors)
    found = []
    for area in (province, region, "national"):
        if not area:
            continue
        v = lib.find("grid.ef", year, basis=basis, area=area, latest=latest, prefer=prefer)
        if v is not None:
            if not latest:
                return v
            found.append(v)
    if found:
        newest = max(v.valid_from or dt.date.min for v in found)
        return next(v for v in found if (v.valid_from or dt.date.min) == newest)
    raise MissingInput(f"no {basis} grid factor for {province or region or 'national'} in {year}",
                       zh=f"没有适用于 {province or region or '全国'} {year} 年的{_BASIS_ZH.get(basis, basis)}电网排放因子"
                          f"（{basis}）")


@exact
def purchased_heat_co2(heat_gj: Param, heat_factor: Param | None = None, *, unit: str = "GJ",
                       factors: FactorLibrary | None = None, on: Any = None,
                       prefer: Sequence[str] = (), exported_gj: Param = 0) -> Result:
    """CO2 of net purchased heat (热力), default factor 0.11 t CO2/GJ."""
    rec = Recorder()
    heat = rec.nonnegative("heat", rec.take("heat", heat_gj, unit))
    out = rec.nonnegative("exported", rec.take("exported", exported_gj, unit))
    net = rec.step("net_purchased", UNITS.convert(heat - out, unit, "GJ"), "GJ")
    if net < 0:
        raise InvalidInput(f"exported heat exceeds purchased heat ({out} > {heat} {unit})",
                           zh=f"外供热力超过外购热力（{out} > {heat} {unit}）")
    ef = rec.take_or_lookup("heat_factor", heat_factor, "tCO2/GJ", factors, "heat.ef", on, prefer)
    return ghg_result(HEAT_METHOD_ID, HEAT_METHOD_VERSION, EQ_HEAT, {"CO2": net * ef}, rec, label="heat")


def with_heat(electricity: Scope2Result | None, heat: Result) -> Scope2Result:
    """Scope 2 of electricity and purchased heat together: each figure of ``electricity`` plus
    ``heat`` (a :func:`purchased_heat_co2` result), both kept as parts for lineage. Heat has no
    contractual instruments, so it adds the same tonnes to the location- and the market-based
    figure; without electricity both figures are the heat's. A market-based figure that
    electricity could not give (no residual factor) stays None."""
    if electricity is None:
        return Scope2Result(heat, heat)

    def add(elec: Result | None, eq: str) -> Result | None:
        if elec is None:
            return None
        both = combine([elec, heat], method=f"{METHOD_ID}+{HEAT_METHOD_ID}", label=elec.label)
        return replace(both, version=METHOD_VERSION, equation=f"{eq}; + {EQ_HEAT}")

    return Scope2Result(add(electricity.location, EQ_LOCATION), add(electricity.market, EQ_MARKET))


__all__ = ["HEAT_METHOD_ID", "HEAT_METHOD_VERSION", "METHOD_ID", "METHOD_VERSION", "Scope2Result", "grid_factor",
           "purchased_heat_co2", "scope2", "with_heat"]
