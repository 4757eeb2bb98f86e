"""The demo group's 2024 greenhouse-gas figures, worked out by hand from its inputs.

Audit finding: the tests of the demo's totals asserted the numbers the code printed. This module
works them out again without esgledger (nothing of it is imported): the activity rows come from
src/esgledger/demo/data/facts-2024.csv, read with the csv module; the entities' process types
and grid regions from entities.yaml; every factor is written below with its published source
(shared/reference/domain-aluminium.md, "ref. §"). The arithmetic is Decimal at 60 digits, so
the only rounding is in the quotients (44/12, the captive plant's factor, the stage shares).

The result has the shape of `calc reconcile` (control approach: every entity at 100 %): lines
keyed (entity, item), each with the amount every column counts, and the columns' totals.

Methods (docs/methodology.md):
* fuels: E = amount × NCV × carbon content × oxidation × 44/12 (GB/T 32151.4 §5.2, MEE defaults);
  diesel in litres × 0.85 kg/L; natural gas in 10⁴ Nm³. The captive plant's coal at its measured
  NCV and carbon content and the power guideline's oxidation 99 %; its desulphurisation limestone
  as pure CaCO3 × 0.440; the refinery's limestone × 0.405 (NDRC 2013 form).
* anodes (IPCC 2006 Eq.4.21): net anodes × (100 − S − ash)/100 × 44/12; PFC (Eq.4.26, CWPB):
  CF4 = 0.143 × AEM × output / 1000 t, C2F6 = 0.121 × CF4 (inventory) or 0.1 × CF4 (ETS guideline),
  at AR5 (CF4 6630, C2F6 11100); baking (Eq.4.22, 4.23): (GA − 0.005 GA − BA) × 44/12 and packing
  coke × (100 − 2 − 2.5)/100 × 44/12.
* Scope 2: location = (grid + green contract) MWh × the area's 2023 grid factor; market = grid MWh
  × the 2023 residual mix (green power at 0). Captive power is the plant's Scope 1.
* Scope 3 (illustrative defaults): cat.1 material × factor; cat.3 fuel energy × upstream factor and
  grid MWh × (0.05 + 4.8 % × the area's grid factor); cat.4 t·km × the mode's factor.
* ETS: the smelter TLYX (its lines, without the anode plant YDTS or the power plant TRNY, each
  its own enterprise) with PFC at the guideline's ratio 0.1; TRNY under the power guideline.
* products: a stage's direct sources and market-based Scope 2 whole, and its captive MWh at the
  plant's factor (its Scope 1 / power supplied); liquid aluminium = electrolysis + alumina ×
  consumed / made + baked anodes × consumed / made. The stages: the smelter TLYX and its potlines,
  the anode plants YDTS and NJTS, the refinery JXTG; the high-purity plant, the foil mills (no
  foil output in the demo), the mine and the holding are in none.
* energy (GB/T 2589-2020, calorific): every fuel's GJ (the NCVs above) / 29.307 GJ per tce, and
  the electricity bought outside the group (grid, green contract) × 0.1229 kgce/kWh; the captive
  plant's power is its coal.

Worked (t CO2e; each line is checked against the code's in tests/calc/test_reconcile_views.py):
  TLYX-P1 anode 241 080 × 0.976 × 44/12 = 862 744.96; PFC 2.52252 t CF4 × 6630 + 0.30522492 t
  C2F6 × 11100 = 20 112.304212; TRNY coal 4 600 000 × 21.8 × 0.0262 × 0.99 × 44/12 = 9 537 229.68,
  + limestone 118 000 × 0.44 = 51 920 + diesel 1 118.10 = 9 590 267.78 (the ETS entry TRNY);
  JXTG coal 841 659.39 × 23.204 × 0.02618 × 0.93 × 44/12 = 1 743 505.22 + gas 31 378.33 + diesel
  791.62 = 1 775 675.17, limestone 150 407.40 × 0.405 = 60 914.997;
  Scope 1 13 311 757.03, Scope 2 2 486 171.81 / 2 084 030.72, Scope 3 2 263 042.34;
  ETS TLYX 1 764 713.05; alumina 1 836 590.17 + 612 877.03 × 0.6096 = 2 210 200.01 (published
  221.02 万吨); electrolysis 12 702 600.00 (published 1 270.26 万吨); baked anode 326 532.07;
  liquid aluminium 15 191 472.08; energy 4 701 968.35 tce.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal, localcontext
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml

D = Decimal
DEMO = Path(__file__).parents[1] / "src" / "esgledger" / "demo" / "data"

# the unit each indicator is used in here, and the rows entered in another one (the CSV's header)
UNIT = {"diesel_consumption": "升", "natural_gas_consumption": "立方米", "solid_fuel_consumption": "吨",
        "fuel_ncv_measured": "GJ/t", "fuel_carbon_content_measured": "tC/GJ", "limestone_consumption": "吨",
        "power_supplied": "兆瓦时", "electricity_received": "兆瓦时", "net_anode_consumption": "吨",
        "anode_sulphur_content": "%", "anode_ash_content": "%", "anode_effect_minutes": "AE-min/cell-day",
        "aluminium_output": "吨", "alumina_output": "吨", "alumina_consumption": "吨", "anode_output": "吨",
        "green_anode_input": "吨", "packing_coke_consumption": "吨", "purchased_material": "吨",
        "freight_transport": "t·km"}
TO_UNIT = {("万吨", "吨"): D(10000), ("万立方米", "立方米"): D(10000), ("立方米", "升"): D(1000)}

# --- factors, each as published (factor library file in brackets) ---
# MEE guideline Appendix A, third-party transcription, tag S (cn_fuels_mee): NCV, t C/GJ, oxidation
MEE_FUEL = {"diesel": (D("43.33"), D("0.0202"), D("0.98")),         # NCV GJ/t
            "natural_gas": (D("389.31"), D("0.0153"), D("0.99")),   # NCV GJ/10⁴ Nm³
            "bituminous": (D("23.204"), D("0.02618"), D("0.93"))}   # NCV GJ/t
DIESEL_KG_PER_L = D("0.85")          # esgledger default, tag R (conversions)
POWER_COAL_OXIDATION = D("0.99")     # 发电设施 guideline 2022 revision, R-low (cn_power_mee)
CACO3 = D("0.440")                   # t CO2 / t pure CaCO3, IPCC 2006 / IAI 2006 (carbonates)
LIMESTONE_NDRC = D("0.405")          # t CO2 / t limestone as fed, NDRC 2013 (cn_aluminium_ndrc2013)
SLOPE_CWPB = D("0.143")              # (kg CF4/t)/(AE-min/cell-day), IPCC 2006 Table 4.15 (ipcc2006_aluminium)
C2F6_RATIO = {"inventory": D("0.121"),  # IPCC 2006 Tables 4.15/4.16, CWPB
              "ets": D("0.1")}          # NDRC 2013 / MEE 2024 aluminium guideline (ref. §2.1)
GWP_AR5 = {"CF4": D(6630), "C2F6": D(11100)}   # IPCC AR5 WG I (gwp)
HYDROGEN_GA = D("0.005")             # H_w = 0.005 × GA, 40 CFR 98 Table F-2; WT 0 (no Riedhammer furnace)
PACKING_COKE_S_ASH = D("2") + D("2.5")  # %, IPCC 2006 Table 4.12
# MEE/NBS electricity CO2 emission factors for 2023, the latest published for a 2024 run
# (cn_grid); JXTG (广西): the south grid's 2023 factor, not 广西's older 2022 provincial 0.4044
GRID = {"northwest": D("0.5543"), "south": D("0.4042"), "east": D("0.5500")}
RESIDUAL_MIX = D("0.6096")           # national, excluding market-traded non-fossil power, 2023
# Scope 3 illustrative placeholders, R-low (scope3_defaults)
CAT1 = {"caustic_soda": D("1.5"), "petroleum_coke": D("0.4"), "pitch": D("0.9")}   # t CO2e/t
UPSTREAM_KG_PER_GJ = {"coal": D(12), "natural_gas": D(15), "diesel": D(17)}
ELEC_UPSTREAM, TD_LOSS = D("0.05"), D("0.048")   # t CO2e/MWh; 4.8 %
TRANSPORT_KG = {"rail": D("0.020"), "road": D("0.080")}   # kg CO2e/t·km
GJ_PER_TCE = D("29.307")             # 1 kgce = 29 307 kJ, GB/T 2589-2020 (gbt2589)
ELEC_KGCE_PER_KWH = D("0.1229")      # electricity, calorific value, GB/T 2589-2020 Annex A

STAGE = {"smelter": "aluminium_electrolysis", "anode_plant": "baked_anode", "alumina_refinery": "alumina"}
COLUMNS = ["inventory:scope1_emissions", "inventory:scope2_location", "inventory:scope2_market",
           "inventory:scope3_emissions", "ets:TLYX", "ets:TRNY", "product:alumina",
           "product:aluminium_electrolysis", "product:baked_anode", "product:liquid_aluminium"]


def read_facts() -> dict[tuple[str, str, str], Decimal]:
    """(entity, indicator, fuel / supplier / material / mode) → the 2024 value in UNIT."""
    rows = (ln for ln in (DEMO / "facts-2024.csv").read_text(encoding="utf-8").splitlines()
            if not ln.startswith("#"))
    facts: dict[tuple[str, str, str], Decimal] = {}
    for r in csv.DictReader(rows):
        if r["indicator"] not in UNIT or r["period"] != "2024":
            continue
        unit = UNIT[r["indicator"]]
        value = D(r["value"]) * (TO_UNIT[(r["unit"], unit)] if r["unit"] != unit else 1)
        dim = next((r[c] for c in ("fuel", "supplier", "material", "transport_mode") if r.get(c)), "")
        assert (r["entity"], r["indicator"], dim) not in facts, r
        facts[(r["entity"], r["indicator"], dim)] = value
    return facts


def _fuel(amount, fuel, ncv=None, cc=None, oxidation=None):
    """(t CO2, GJ) of an amount in UNIT: litres of diesel, m³ of gas, t of coal."""
    mee_ncv, mee_cc, mee_of = MEE_FUEL[fuel]
    quantity = {"diesel": amount * DIESEL_KG_PER_L / 1000, "natural_gas": amount / 10000}.get(fuel, amount)
    gj = quantity * (ncv or mee_ncv)
    return gj * (cc or mee_cc) * (oxidation or mee_of) * 44 / 12, gj


class Demo2024(NamedTuple):
    lines: dict[tuple[str, str], dict[str, Decimal]]   # (entity, item) → column → t CO2e
    totals: dict[str, Decimal]                         # column → t CO2e
    energy_tce: Decimal                                # the group's energy consumption (calorific)


@cache
def demo_2024() -> Demo2024:
    """The lines and column totals of the demo's 2024 `calc reconcile` (control), and its energy."""
    with localcontext() as ctx:
        ctx.prec = 60
        return _work(read_facts(), yaml.safe_load((DEMO / "entities.yaml").read_text(encoding="utf-8")))


def _work(f, tree):
    ent = {e["code"]: e for e in tree["entities"]}
    lines: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    direct: dict[tuple[str, str], Decimal] = defaultdict(D)     # (entity, source) → t CO2e
    fuel_gj: dict[tuple[str, str], Decimal] = defaultdict(D)  # (entity, coal / gas / diesel) → GJ burnt
    for (e, ind, dim), v in f.items():
        if ind == "diesel_consumption" or ind == "natural_gas_consumption":
            fuel = ind.removesuffix("_consumption")
            co2, gj = _fuel(v, fuel)
            direct[(e, "combustion")] += co2
            fuel_gj[(e, fuel)] += gj
        elif ind == "solid_fuel_consumption" and ent[e]["process_type"] == "power_plant":
            co2, gj = _fuel(v, dim, f[(e, "fuel_ncv_measured", dim)], f[(e, "fuel_carbon_content_measured", dim)],
                            POWER_COAL_OXIDATION)
            direct[(e, "power_generation")] += co2
            fuel_gj[(e, "coal")] += gj
        elif ind == "solid_fuel_consumption":
            co2, gj = _fuel(v, dim)
            direct[(e, "combustion")] += co2
            fuel_gj[(e, "coal")] += gj
        elif ind == "limestone_consumption" and ent[e]["process_type"] == "power_plant":
            direct[(e, "desulphurisation")] += v * CACO3          # CaCO3 content 100 % (none reported)
        elif ind == "limestone_consumption":
            direct[(e, "carbonate")] += v * LIMESTONE_NDRC
        elif ind == "net_anode_consumption":
            s_ash = f[(e, "anode_sulphur_content", "")] + f[(e, "anode_ash_content", "")]
            direct[(e, "anode")] = v * (100 - s_ash) / 100 * 44 / 12
        elif ind == "green_anode_input":
            direct[(e, "pitch_volatiles")] = (v - HYDROGEN_GA * v - f[(e, "anode_output", "")]) * 44 / 12
        elif ind == "packing_coke_consumption":
            direct[(e, "packing_coke")] = v * (100 - PACKING_COKE_S_ASH) / 100 * 44 / 12
    pfc = {}
    for view, ratio in C2F6_RATIO.items():
        for e in ("TLYX-P1", "TLYX-P2"):
            cf4 = SLOPE_CWPB * f[(e, "anode_effect_minutes", "")] * f[(e, "aluminium_output", "")] / 1000
            pfc[(view, e)] = cf4 * GWP_AR5["CF4"] + cf4 * ratio * GWP_AR5["C2F6"]
            direct[(e, "pfc")] = pfc[("inventory", e)]

    # a stage takes its captive MWh × the plant's factor (Scope 1 / MWh supplied) = its MWh /
    # the MWh supplied of each of the plant's sources; liquid aluminium takes the share of each
    # stage's output the potlines consumed
    plant = "TRNY"
    supplied = f[(plant, "power_supplied", "")]
    captive = defaultdict(D)                # stage → captive MWh
    for (e, ind, dim), v in f.items():
        if ind == "electricity_received" and dim == "captive":
            captive[STAGE[ent[e]["process_type"]]] += v
    assert sum(captive.values()) == supplied       # the stages take all the plant supplies
    on = {"aluminium_electrolysis": D(1),
          "alumina": sum(f[(e, "alumina_consumption", "")] for e in ("TLYX-P1", "TLYX-P2"))
          / f[("JXTG", "alumina_output", "")],
          "baked_anode": sum(f[(e, "net_anode_consumption", "")] for e in ("TLYX-P1", "TLYX-P2"))
          / sum(f[(e, "anode_output", "")] for e in ("YDTS", "NJTS"))}

    def in_product(line, stage, amount):
        line[f"product:{stage}"] = line.get(f"product:{stage}", D(0)) + amount
        line["product:liquid_aluminium"] = line.get("product:liquid_aluminium", D(0)) + amount * on[stage]

    for (e, source), v in direct.items():
        line = lines[(e, source)]
        line["inventory:scope1_emissions"] = v
        if e in ("TLYX", "TLYX-P1", "TLYX-P2", plant):
            line[f"ets:{'TLYX' if e != plant else plant}"] = v
        if e == plant:
            for stage, mwh in captive.items():
                in_product(line, stage, v * mwh / supplied)
        elif ent[e]["process_type"] in STAGE:
            in_product(line, STAGE[ent[e]["process_type"]], v)
    lines[("TLYX", "ets_method")]["ets:TLYX"] = sum(pfc[("ets", e)] - pfc[("inventory", e)]
                                                    for e in ("TLYX-P1", "TLYX-P2"))

    for (e, ind, dim), v in f.items():
        if ind == "electricity_received" and dim != "captive":
            grid_ef = GRID[ent[e]["grid_region"]]
            line = lines[(e, "scope2")]
            line["inventory:scope2_location"] = line.get("inventory:scope2_location", D(0)) + v * grid_ef
            market = v * RESIDUAL_MIX if dim == "grid" else D(0)   # green contract at 0
            line["inventory:scope2_market"] = line.get("inventory:scope2_market", D(0)) + market
            if dim == "grid":
                _scope3(lines, e, "c3", v * (ELEC_UPSTREAM + TD_LOSS * grid_ef))
        elif ind == "purchased_material":
            _scope3(lines, e, "c1", v * CAT1[dim])
        elif ind == "freight_transport":
            _scope3(lines, e, "c4", v * TRANSPORT_KG[dim] / 1000)
    for (e, fuel), gj in fuel_gj.items():
        _scope3(lines, e, "c3", gj * UPSTREAM_KG_PER_GJ[fuel] / 1000)
    for (e, item), line in lines.items():
        if item == "scope2" and ent[e]["process_type"] in STAGE:
            in_product(line, STAGE[ent[e]["process_type"]], line["inventory:scope2_market"])
    totals = {c: sum((ln.get(c, D(0)) for ln in lines.values()), D(0)) for c in COLUMNS}
    bought = sum(v for (_e, ind, dim), v in f.items() if ind == "electricity_received" and dim != "captive")
    return Demo2024(dict(lines), totals, sum(fuel_gj.values()) / GJ_PER_TCE + bought * ELEC_KGCE_PER_KWH)


def _scope3(lines, entity, category, amount):
    line = lines[(entity, f"scope3:{category}")]
    line["inventory:scope3_emissions"] = line.get("inventory:scope3_emissions", D(0)) + amount
