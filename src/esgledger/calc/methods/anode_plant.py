"""Prebaked anode plant (炭素厂): baking-furnace pitch volatiles and packing coke, plus its fuel.

    pitch volatiles  E = (GA − H_w − BA − WT) × 44/12                 IPCC 2006 Vol.3 Eq.4.22; 40 CFR 98 Eq.F-6
                     H_w = 0.005 × GA ; WT = 0.005 × GA (Riedhammer furnaces), else insignificant
    packing coke     E = PCC × BA × (100 − S_pc − Ash_pc)/100 × 44/12   IPCC 2006 Vol.3 Eq.4.23; 40 CFR 98 Eq.F-7
                     PCC = 0.015 t/t baked anode ; S_pc 2 % ; Ash_pc 2.5 %
GA green anodes into the furnace, BA baked anodes out (t). Fuel fired in the calciner and the
baking furnace is stationary combustion (``combustion.fuel_combustion_co2``). The carbon of
the anodes themselves is counted where they are consumed, at the smelter, never here.
For Chinese reporting GB/T 32151.34 (炭素材料生产企业) applies.

>>> pitch_volatiles_co2(100000, 96000, furnace="riedhammer").total
Decimal('11000.000')
"""
from __future__ import annotations

from typing import Any, Sequence

from esgledger.calc.methods import InvalidInput, UnknownTechnology
from esgledger.calc.methods.result import Param, Recorder, Result, co2_from_carbon, exact, ghg_result
from esgledger.library.factors import FactorLibrary

METHOD_ID = "anode_plant"
METHOD_VERSION = "1.0"
FURNACES = ("riedhammer", "other")
EQ_PITCH = "E = (GA − H_w − BA − WT) × 44/12 (IPCC 2006 Vol.3 Eq.4.22; 40 CFR 98 Eq.F-6)"
EQ_PACKING = "E = PCC × BA × (100 − S_pc − Ash_pc)/100 × 44/12 (IPCC 2006 Vol.3 Eq.4.23; 40 CFR 98 Eq.F-7)"


@exact
def pitch_volatiles_co2(green_anodes_t: Param, baked_anodes_t: Param, *, hydrogen_t: Param | None = None,
                        waste_tar_t: Param | None = None, furnace: str = "other",
                        factors: FactorLibrary | None = None, on: Any = None,
                        prefer: Sequence[str] = ()) -> Result:
    """CO2 from burning the pitch volatiles released while baking. Hydrogen and waste tar not
    measured default to 0.5 % of the green anodes (waste tar only for Riedhammer furnaces)."""
    if furnace not in FURNACES:
        raise UnknownTechnology(f"furnace is riedhammer or other, found {furnace!r}",
                                zh=f"焙烧炉型应为 riedhammer 或 other，实际为 {furnace!r}")
    rec = Recorder()
    ga = rec.nonnegative("green_anodes", rec.take("green_anodes", green_anodes_t, "吨"))
    ba = rec.nonnegative("baked_anodes", rec.take("baked_anodes", baked_anodes_t, "吨"))
    if hydrogen_t is None:
        hw = rec.step("hydrogen", ga * rec.take_or_lookup("hydrogen_fraction", None, "1", factors,
                                                          "anode.baking.hydrogen_fraction", on, prefer), "吨")
    else:
        hw = rec.nonnegative("hydrogen", rec.take("hydrogen", hydrogen_t, "吨"))
    if waste_tar_t is None:
        wt = rec.step("waste_tar", ga * rec.take_or_lookup("waste_tar_fraction", None, "1", factors,
                                                           "anode.baking.waste_tar_fraction", on, prefer,
                                                           furnace=furnace), "吨")
    else:
        wt = rec.nonnegative("waste_tar", rec.take("waste_tar", waste_tar_t, "吨"))
    volatiles = rec.step("volatiles", ga - hw - ba - wt, "吨")
    if volatiles < 0:
        raise InvalidInput(f"green anodes − hydrogen − baked anodes − waste tar is negative ({volatiles} t)",
                           zh=f"入炉生阳极量 − 含氢量 − 焙烧阳极量 − 回收焦油量为负数（{volatiles} 吨）")
    return ghg_result(f"{METHOD_ID}:pitch_volatiles", METHOD_VERSION, EQ_PITCH,
                      {"CO2": co2_from_carbon(volatiles)}, rec, label=furnace)


@exact
def packing_coke_co2(baked_anodes_t: Param, *, pcc: Param | None = None, sulphur_pct: Param | None = None,
                     ash_pct: Param | None = None, factors: FactorLibrary | None = None, on: Any = None,
                     prefer: Sequence[str] = ()) -> Result:
    """CO2 from packing coke burnt in the baking furnace; ``pcc`` in t per t baked anode."""
    rec = Recorder()
    ba = rec.nonnegative("baked_anodes", rec.take("baked_anodes", baked_anodes_t, "吨"))
    p = rec.nonnegative("pcc", rec.take_or_lookup("pcc", pcc, "t/tBA", factors, "anode.packing_coke.consumption",
                                                  on, prefer))
    s = rec.percent("sulphur_pct", rec.take_or_lookup("sulphur_pct", sulphur_pct, "%", factors,
                                                      "anode.packing_coke.sulphur", on, prefer))
    a = rec.percent("ash_pct", rec.take_or_lookup("ash_pct", ash_pct, "%", factors, "anode.packing_coke.ash",
                                                  on, prefer))
    if s + a > 100:
        raise InvalidInput(f"sulphur + ash exceed 100 % ({s} + {a})",
                           zh=f"填充焦含硫量与灰分之和超过 100 %（{s} + {a}）")
    carbon = rec.step("carbon", p * ba * (100 - s - a) / 100, "吨")
    return ghg_result(f"{METHOD_ID}:packing_coke", METHOD_VERSION, EQ_PACKING, {"CO2": co2_from_carbon(carbon)},
                      rec, label="packing coke")


__all__ = ["FURNACES", "METHOD_ID", "METHOD_VERSION", "packing_coke_co2", "pitch_volatiles_co2"]
