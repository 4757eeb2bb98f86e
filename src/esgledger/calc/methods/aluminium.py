"""Aluminium electrolysis (铝电解): anode / paste consumption CO2 and PFC from anode effects (阳极效应).

Anode CO2 (能源作为原材料用途的排放)
    Tier 1      E = EF_P × MP                                            IPCC 2006 Vol.3 Eq.4.19, Table 4.10
    Tier 2/3    E = NAC × MP × (100 − S_a − Ash_a)/100 × 44/12           IPCC 2006 Vol.3 Eq.4.21; 40 CFR 98 Eq.F-5;
                                                                         NDRC 2013 / GB/T 32151.4 E = NC × (1 − S − A) × 44/12 × P
    Søderberg   E = (PC·MP − CSM·MP/1000 − BC/100·PC·MP·(S_p+Ash_p+H_p)/100
                     − (100−BC)/100·PC·MP·(S_c+Ash_c)/100 − MP·CD) × 44/12   IPCC 2006 Vol.3 Eq.4.24; 40 CFR 98 Eq.F-8
PFC (CF4, C2F6)
    Tier 1      E_CF4 = EF_CF4,tech × MP ; E_C2F6 = EF_C2F6,tech × MP     IPCC 2006 Vol.3 Eq.4.25, Table 4.14
    slope       E_CF4 = S_CF4 × AEM × MP ; E_C2F6 = E_CF4 × F_C2F6/CF4    IPCC 2006 Vol.3 Eq.4.26; 40 CFR 98 Eq.F-2;
                                                                         NDRC 2013 EF_CF4 = 0.143 × AEM, EF_C2F6 = 0.1 × EF_CF4
    overvoltage E_CF4 = OVC × AEO / CE × MP ; CE in PERCENT               IPCC 2006 Vol.3 Eq.4.27; EU MRR Annex IV §8 Method B
MP in t of aluminium (the ETS basis is liquid aluminium, 铝液产量); PFC coefficients give kg
per t, so results are divided by 1000 to tonnes. The cell technology is an attribute of the
potline entity (``cell_technology``: CWPB, SWPB, VSS, HSS).

>>> round(anode_co2_prebake(1, Decimal("0.40"), 2, Decimal("0.4")).total, 5)
Decimal('1.43147')
>>> round(pfc_slope(1000, Decimal("0.05"), "CWPB", gwp_set="AR5").gas("CF4"), 8)
Decimal('0.00715000')
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from esgledger.calc.methods import InvalidInput, MissingInput, UnknownTechnology
from esgledger.calc.methods.result import Param, Recorder, Result, co2_from_carbon, dec, exact, ghg_result
from esgledger.library.factors import FactorLibrary

METHOD_ID = "aluminium"
METHOD_VERSION = "1.0"
TECHNOLOGIES = ("CWPB", "SWPB", "VSS", "HSS")
PREBAKE = ("CWPB", "SWPB")
SODERBERG = ("VSS", "HSS")
# IPCC 2006: CWPB includes point-feed prebake (PFPB).
_ALIASES = {"PFPB": "CWPB", "CWPB": "CWPB", "SWPB": "SWPB", "VSS": "VSS", "HSS": "HSS"}
EQ_T1 = "E = EF_P × MP (IPCC 2006 Vol.3 Eq.4.19, Table 4.10)"
EQ_PREBAKE = ("E = NAC × MP × (100 − S_a − Ash_a)/100 × 44/12 (IPCC 2006 Vol.3 Eq.4.21; 40 CFR 98 Eq.F-5; "
              "NDRC 2013 / GB/T 32151.4-2015 §5.2)")
EQ_PASTE = "IPCC 2006 Vol.3 Eq.4.24; 40 CFR 98 Eq.F-8 (Søderberg paste)"
EQ_PFC_T1 = "E_CF4 = EF_CF4 × MP; E_C2F6 = EF_C2F6 × MP (IPCC 2006 Vol.3 Eq.4.25, Table 4.14)"
EQ_SLOPE = ("E_CF4 = S_CF4 × AEM × MP; E_C2F6 = E_CF4 × F_C2F6/CF4 (IPCC 2006 Vol.3 Eq.4.26; "
            "40 CFR 98 Eq.F-2; NDRC 2013)")
EQ_OVERVOLTAGE = ("E_CF4 = OVC × AEO/CE × MP, CE in %; E_C2F6 = E_CF4 × F_C2F6/CF4 "
                  "(IPCC 2006 Vol.3 Eq.4.27; EU MRR Annex IV §8 Method B)")


def cell_technology(text: str) -> str:
    """The canonical cell technology code (CWPB, SWPB, VSS, HSS) of ``text``."""
    t = str(text).strip()
    code = _ALIASES.get(t) or _ALIASES.get(t.upper())
    if code is None:
        raise UnknownTechnology(f"unknown cell technology {text!r}; expected one of {', '.join(TECHNOLOGIES)}",
                                zh=f"电解槽型 {text!r} 无法识别；应为 {'、'.join(TECHNOLOGIES)} 之一")
    return code


def _gwp(gwp_set: str | None) -> str:
    if not gwp_set:
        raise MissingInput("PFC results need a GWP set: gwp_set='AR5' (ETS, UNFCCC), 'AR4' (IAI), 'SAR' (NDRC 2013) …",
                           zh="全氟化碳（PFC）结果需指定全球增温潜势（GWP）版本：gwp_set='AR5'（全国碳市场、UNFCCC）、"
                              "'AR4'（IAI）、'SAR'（NDRC 2013）…")
    return gwp_set


def _production(rec: Recorder, production_t: Param) -> Decimal:
    return rec.nonnegative("production", rec.take("production", production_t, "吨"))


# --- anode / paste CO2 --------------------------------------------------------------------
@exact
def anode_co2_tier1(production_t: Param, cell_type: str = "prebake", ef: Param | None = None, *,
                    factors: FactorLibrary | None = None, on: Any = None, prefer: Sequence[str] = ()) -> Result:
    """Tier 1 process CO2: 1.6 t CO2/t Al for prebake, 1.7 for Søderberg (IPCC Table 4.10)."""
    if cell_type not in ("prebake", "soderberg"):
        raise UnknownTechnology(f"cell_type is prebake or soderberg, found {cell_type!r}",
                                zh=f"cell_type 应为 prebake（预焙槽）或 soderberg（自焙槽），实际为 {cell_type!r}")
    rec = Recorder()
    mp = _production(rec, production_t)
    f = rec.take_or_lookup("ef", ef, "tCO2/t", factors, "al.anode.ef_tier1", on, prefer, cell_type=cell_type)
    return ghg_result(f"{METHOD_ID}:anode_tier1", METHOD_VERSION, EQ_T1, {"CO2": f * mp}, rec, label=cell_type)


@exact
def anode_co2_prebake(production_t: Param, nac: Param | None = None, sulphur_pct: Param | None = None,
                      ash_pct: Param | None = None, *, tier: int = 2, ef: Param | None = None,
                      factors: FactorLibrary | None = None, on: Any = None, prefer: Sequence[str] = ()) -> Result:
    """CO2 from prebaked anode consumption.

    ``nac``: net anode consumption, t C per t Al; ``sulphur_pct``/``ash_pct``: of the baked
    anodes, in %. Tier 2 fills what is not given from the factor sets (IPCC: NAC 0.4, S 2 %,
    ash 0.4 %; NDRC 2013 with ``prefer=["cn_aluminium_ndrc2013"]``: NC 0.42); Tier 3 needs all
    three as plant data; Tier 1 uses ``ef`` (default 1.6 t CO2/t Al) and ignores them.
    """
    if tier == 1:
        return anode_co2_tier1(production_t, "prebake", ef, factors=factors, on=on, prefer=prefer)
    if tier not in (2, 3):
        raise InvalidInput(f"tier is 1, 2 or 3, found {tier!r}", zh=f"层级（tier）应为 1、2 或 3，实际为 {tier!r}")
    if tier == 3 and None in (nac, sulphur_pct, ash_pct):
        raise MissingInput("Tier 3 needs the plant's measured nac, sulphur_pct and ash_pct",
                           zh="Tier 3 需要本厂实测的阳极净耗量（nac）、阳极含硫量（sulphur_pct）和阳极灰分（ash_pct）")
    rec = Recorder()
    mp = _production(rec, production_t)
    n = rec.nonnegative("nac", rec.take_or_lookup("nac", nac, "tC/t", factors, "al.anode.nac", on, prefer))
    s = rec.percent("sulphur_pct", rec.take_or_lookup("sulphur_pct", sulphur_pct, "%", factors,
                                                      "al.anode.sulphur", on, prefer))
    a = rec.percent("ash_pct", rec.take_or_lookup("ash_pct", ash_pct, "%", factors, "al.anode.ash", on, prefer))
    if s + a > 100:
        raise InvalidInput(f"sulphur + ash exceed 100 % ({s} + {a})",
                           zh=f"阳极含硫量与灰分之和超过 100 %（{s} + {a}）")
    rec.step("ef", co2_from_carbon(n * (100 - s - a) / 100), "tCO2/t")
    co2 = co2_from_carbon(n * mp * (100 - s - a) / 100)
    return ghg_result(f"{METHOD_ID}:anode_prebake_tier{tier}", METHOD_VERSION, EQ_PREBAKE, {"CO2": co2}, rec,
                      label=f"tier {tier}")


@exact
def paste_co2_soderberg(production_t: Param, paste_consumption: Param | None = None, *, technology: str = "VSS",
                        paste: str = "dry", csm: Param | None = None, binder_pct: Param | None = None,
                        pitch_sulphur_pct: Param | None = None, pitch_ash_pct: Param | None = None,
                        pitch_hydrogen_pct: Param | None = None, coke_sulphur_pct: Param | None = None,
                        coke_ash_pct: Param | None = None, dust_carbon: Param | None = None,
                        factors: FactorLibrary | None = None, on: Any = None,
                        prefer: Sequence[str] = ()) -> Result:
    """CO2 from Søderberg paste consumption (IPCC Eq.4.24); defaults from 40 CFR 98 Table F-2.
    ``paste_consumption`` in t paste per t Al should be plant data (the default is R-low)."""
    tech = cell_technology(technology)
    if tech not in SODERBERG:
        raise UnknownTechnology(f"paste consumption applies to Søderberg cells (VSS, HSS), not {tech}",
                                zh=f"阳极糊消耗量只适用于自焙槽（VSS、HSS），不适用于 {tech}")
    rec = Recorder()
    mp = _production(rec, production_t)

    def get(name, value, unit, key, **dims):
        return rec.take_or_lookup(name, value, unit, factors, key, on, prefer, **dims)

    pc = get("paste_consumption", paste_consumption, "t/tAl", "al.paste.consumption", technology=tech)
    cs = get("csm", csm, "kg/t", "al.paste.csm", technology=tech)
    bc = get("binder_pct", binder_pct, "%", "al.paste.binder_content", paste=paste)
    sp = get("pitch_sulphur_pct", pitch_sulphur_pct, "%", "al.paste.pitch_sulphur")
    ap = get("pitch_ash_pct", pitch_ash_pct, "%", "al.paste.pitch_ash")
    hp = get("pitch_hydrogen_pct", pitch_hydrogen_pct, "%", "al.paste.pitch_hydrogen")
    sc = get("coke_sulphur_pct", coke_sulphur_pct, "%", "al.paste.coke_sulphur")
    ac = get("coke_ash_pct", coke_ash_pct, "%", "al.paste.coke_ash")
    cd = get("dust_carbon", dust_carbon, "tC/t", "al.paste.dust_carbon")
    paste_t = pc * mp
    carbon = (paste_t - cs * mp / 1000 - bc / 100 * paste_t * (sp + ap + hp) / 100
              - (100 - bc) / 100 * paste_t * (sc + ac) / 100 - mp * cd)
    rec.step("carbon", carbon, "吨")
    if carbon < 0:
        raise InvalidInput(f"the paste balance gives negative carbon ({carbon} t): check the inputs",
                           zh=f"阳极糊碳平衡得出的碳量为负数（{carbon} 吨）：请检查输入")
    return ghg_result(f"{METHOD_ID}:paste_soderberg", METHOD_VERSION, EQ_PASTE, {"CO2": co2_from_carbon(carbon)},
                      rec, label=tech)


# --- PFC ------------------------------------------------------------------------------------
def _pfc_result(rec: Recorder, variant: str, equation: str, mp: Decimal, cf4_kg_per_t: Decimal,
                c2f6_kg_per_t: Decimal, gwp_set: str, factors: FactorLibrary | None, tech: str) -> Result:
    rec.step("ef_cf4", cf4_kg_per_t, "kgCF4/t")
    rec.step("ef_c2f6", c2f6_kg_per_t, "kgC2F6/t")
    gases = {"CF4": cf4_kg_per_t * mp / 1000, "C2F6": c2f6_kg_per_t * mp / 1000}
    return ghg_result(f"{METHOD_ID}:{variant}", METHOD_VERSION, equation, gases, rec, gwp_set=gwp_set,
                      factors=factors, label=tech)


@exact
def pfc_tier1(production_t: Param, technology: str, factors: FactorLibrary | None = None,
              gwp_set: str | None = None, *, ef_cf4: Param | None = None, ef_c2f6: Param | None = None,
              on: Any = None, prefer: Sequence[str] = ()) -> Result:
    """PFC by default factors per t Al: IPCC 2006 Table 4.14 by technology, or with
    ``prefer=["cn_aluminium_ndrc2013"]`` the Chinese guideline default 0.034 / 0.0034 kg/t
    used when no anode-effect data exist."""
    tech = cell_technology(technology)
    gwp = _gwp(gwp_set)
    rec = Recorder()
    mp = _production(rec, production_t)
    cf4 = rec.take_or_lookup("ef_cf4", ef_cf4, "kgCF4/t", factors, "al.pfc.tier1_cf4", on, prefer, technology=tech)
    c2f6 = rec.take_or_lookup("ef_c2f6", ef_c2f6, "kgC2F6/t", factors, "al.pfc.tier1_c2f6", on, prefer,
                              technology=tech)
    return _pfc_result(rec, "pfc_tier1", EQ_PFC_T1, mp, rec.nonnegative("ef_cf4", cf4),
                       rec.nonnegative("ef_c2f6", c2f6), gwp, factors, tech)


def anode_effect_minutes(frequency: Param, duration_min: Param) -> Decimal:
    """AEM (AE-min/cell-day) = anode-effect frequency (AE/cell-day) × mean duration (min/AE)
    (IPCC 2006 Vol.3 Eq.4.26; 平均每天每槽阳极效应持续时间)."""
    return dec("frequency", frequency) * dec("duration_min", duration_min)


@exact
def pfc_slope(production_t: Param, aem: Param, technology: str, factors: FactorLibrary | None = None,
              gwp_set: str | None = None, *, slope: Param | None = None, c2f6_ratio: Param | None = None,
              on: Any = None, prefer: Sequence[str] = ()) -> Result:
    """PFC by the slope method from the anode-effect minutes per cell-day ``aem``.
    ``slope`` (kg CF4/t Al per AE-min/cell-day) and ``c2f6_ratio`` (kg/kg) default to the
    technology's IPCC coefficients, or the Chinese guideline's 0.143 and 0.1 with
    ``prefer=["cn_aluminium_ndrc2013"]``; smelter-measured ones are Tier 3."""
    tech = cell_technology(technology)
    gwp = _gwp(gwp_set)
    rec = Recorder()
    mp = _production(rec, production_t)
    a = rec.nonnegative("aem", rec.take("aem", aem, "AE-min/cell-day"))
    s = rec.take_or_lookup("slope", slope, "(kgCF4/t)/(AE-min/cell-day)", factors, "al.pfc.slope_cf4", on,
                           prefer, technology=tech)
    f = rec.take_or_lookup("c2f6_ratio", c2f6_ratio, "kgC2F6/kgCF4", factors, "al.pfc.c2f6_cf4_ratio", on,
                           prefer, technology=tech)
    cf4 = s * a                               # kg CF4 / t Al
    return _pfc_result(rec, "pfc_slope", EQ_SLOPE, mp, cf4, cf4 * f, gwp, factors, tech)


@exact
def pfc_overvoltage(production_t: Param, aeo_mv: Param, current_efficiency_pct: Param, technology: str,
                    factors: FactorLibrary | None = None, gwp_set: str | None = None, *,
                    ovc: Param | None = None, c2f6_ratio: Param | None = None, on: Any = None,
                    prefer: Sequence[str] = ()) -> Result:
    """PFC by the overvoltage method (Pechiney-type control). ``aeo_mv``: anode-effect
    overvoltage per cell (mV); ``current_efficiency_pct``: current efficiency in PERCENT
    (95, not 0.95 — with a fraction the result is 100 × too high, so a value ≤ 1 is refused).
    IPCC gives overvoltage coefficients for CWPB and SWPB only; other technologies need ``ovc``."""
    tech = cell_technology(technology)
    gwp = _gwp(gwp_set)
    rec = Recorder()
    mp = _production(rec, production_t)
    aeo = rec.nonnegative("aeo", rec.take("aeo", aeo_mv, "mV"))
    ce = rec.take("current_efficiency_pct", current_efficiency_pct, "%")
    if ce <= 1:
        raise InvalidInput(f"current efficiency is in percent (e.g. 95), found {ce}",
                           zh=f"电流效率以百分数表示（如 95），实际为 {ce}")
    rec.percent("current_efficiency_pct", ce)
    o = rec.take_or_lookup("ovc", ovc, "(kgCF4/t)/mV", factors, "al.pfc.ovc_cf4", on, prefer, technology=tech)
    f = rec.take_or_lookup("c2f6_ratio", c2f6_ratio, "kgC2F6/kgCF4", factors, "al.pfc.c2f6_cf4_ratio", on,
                           prefer, technology=tech)
    cf4 = o * aeo / ce                        # kg CF4 / t Al
    return _pfc_result(rec, "pfc_overvoltage", EQ_OVERVOLTAGE, mp, cf4, cf4 * f, gwp, factors, tech)


__all__ = ["METHOD_ID", "METHOD_VERSION", "PREBAKE", "SODERBERG", "TECHNOLOGIES", "anode_co2_prebake",
           "anode_co2_tier1", "anode_effect_minutes", "cell_technology", "paste_co2_soderberg", "pfc_overvoltage",
           "pfc_slope", "pfc_tier1"]
