"""Alumina refinery (Bayer, 氧化铝厂): carbonate decomposition and soda ash, plus its fuel.

    carbonate     E = m × purity × calcination × EF_carbonate           IAI Aluminium Sector GHG Protocol (2006)
                  EF: CaCO3 0.440, MgCO3 44/84.3, Na2CO3 44/106 t CO2/t   App. A supporting processes; GB/T 32151.4 §5.2
    limestone     E = L × EF_lime  (EF 0.405 t CO2/t limestone)          NDRC 2013 aluminium guideline (E_limestone)
    soda ash      E = m × frac_Na2CO3 × frac_calcined × 44/106           IAI 2006 via AMEE (domain reference §1.4)
Plain Bayer refining has no IPCC process-CO2 factor: steam boilers, calciners and lime kilns
burn fuel (``combustion``), lime kilns decompose limestone (here); purchased lime (quicklime)
carries no process CO2 at the refinery. Electricity and steam bought are indirect.

>>> carbonate_co2(10000, purity_pct=90, ef="0.440").total
Decimal('3960.000')
"""
from __future__ import annotations

from typing import Any, Sequence

from esgledger.calc.methods import UnknownTechnology
from esgledger.calc.methods.result import Param, Recorder, Result, exact, ghg_result
from esgledger.library.factors import FactorLibrary

METHOD_ID = "alumina_refinery"
METHOD_VERSION = "1.0"
CARBONATES = ("CaCO3", "MgCO3", "Na2CO3")
EQ_CARBONATE = ("E = m × purity × calcination × EF (IAI Aluminium Sector GHG Protocol 2006 App. A; "
                "GB/T 32151.4-2015 §5.2)")
EQ_LIMESTONE = "E = L × EF_lime (NDRC 2013 aluminium guideline)"


@exact
def carbonate_co2(mass_t: Param, carbonate: str = "CaCO3", *, purity_pct: Param = 100,
                  calcination_pct: Param = 100, ef: Param | None = None, factors: FactorLibrary | None = None,
                  on: Any = None, prefer: Sequence[str] = (), label: str = "") -> Result:
    """CO2 from decomposing ``mass_t`` of a carbonate raw material (limestone in a lime kiln,
    dolomite, soda ash). ``purity_pct``: carbonate content (GB/T 3286.9 for limestone);
    ``calcination_pct``: share decomposed."""
    if carbonate not in CARBONATES:
        raise UnknownTechnology(f"carbonate is one of {', '.join(CARBONATES)}, found {carbonate!r}",
                                zh=f"碳酸盐应为 {'、'.join(CARBONATES)} 之一，实际为 {carbonate!r}")
    rec = Recorder()
    m = rec.nonnegative("mass", rec.take("mass", mass_t, "吨"))
    p = rec.percent("purity_pct", rec.take("purity_pct", purity_pct, "%"))
    c = rec.percent("calcination_pct", rec.take("calcination_pct", calcination_pct, "%"))
    f = rec.take_or_lookup("ef", ef, "tCO2/t", factors, "carbonate.ef", on, prefer, carbonate=carbonate)
    return ghg_result(f"{METHOD_ID}:carbonate", METHOD_VERSION, EQ_CARBONATE,
                      {"CO2": m * p / 100 * c / 100 * f}, rec, label=label or carbonate)


@exact
def limestone_co2(limestone_t: Param, ef: Param | None = None, *, factors: FactorLibrary | None = None,
                  on: Any = None, prefer: Sequence[str] = ("cn_aluminium_ndrc2013",)) -> Result:
    """CO2 from limestone by the NDRC 2013 form, one factor per tonne of limestone as fed
    (default 0.405 t CO2/t, R-low). Prefer :func:`carbonate_co2` with the measured CaCO3 content."""
    rec = Recorder()
    m = rec.nonnegative("limestone", rec.take("limestone", limestone_t, "吨"))
    f = rec.take_or_lookup("ef", ef, "tCO2/t", factors, "carbonate.limestone_ef", on, prefer)
    return ghg_result(f"{METHOD_ID}:limestone", METHOD_VERSION, EQ_LIMESTONE, {"CO2": m * f}, rec,
                      label="limestone")


def soda_ash_co2(soda_ash_t: Param, na2co3_pct: Param = 100, calcined_pct: Param = 100, *,
                 ef: Param | None = None, factors: FactorLibrary | None = None) -> Result:
    """CO2 from soda ash (Na2CO3) used in the process: m × frac_Na2CO3 × frac_calcined × 44/106."""
    return carbonate_co2(soda_ash_t, "Na2CO3", purity_pct=na2co3_pct, calcination_pct=calcined_pct, ef=ef,
                         factors=factors, label="soda ash")


__all__ = ["CARBONATES", "METHOD_ID", "METHOD_VERSION", "carbonate_co2", "limestone_co2", "soda_ash_co2"]
