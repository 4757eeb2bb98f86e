"""Aluminium electrolysis: anode CO2 and PFC, worked by hand from the standards' equations."""
from decimal import ROUND_HALF_UP, Decimal

import pytest

from esgledger.calc.methods import InvalidInput, MissingInput, UnknownTechnology
from esgledger.calc.methods.aluminium import (anode_co2_prebake, anode_co2_tier1, anode_effect_minutes,
                                              cell_technology, paste_co2_soderberg, pfc_overvoltage, pfc_slope,
                                              pfc_tier1)

D = Decimal
NDRC = ["cn_aluminium_ndrc2013"]


def q(x: Decimal, places: str) -> Decimal:
    return x.quantize(D(places), rounding=ROUND_HALF_UP)


# --- anode consumption CO2 --------------------------------------------------------------------
def test_prebake_anode_co2_tier2_given_nac_sulphur_ash():
    # IPCC 2006 Eq.4.21: NAC 0.40, S 2 %, Ash 0.4 % -> 0.40 × (100 − 2 − 0.4)/100 × 44/12
    #   = 0.40 × 0.976 × 3.666… = 0.3904 × 3.666… = 1.431466… t CO2/t Al
    r = anode_co2_prebake(D("1000"), D("0.40"), D("2"), D("0.4"))
    assert q(r.step("ef"), "0.00001") == D("1.43147")
    assert q(r.total, "0.001") == D("1431.467")                 # × 1 000 t Al
    assert r.values == {"CO2": r.total} and r.gwp_set is None
    assert [(p.name, p.value, p.unit, p.given) for p in r.parameters] == [
        ("production", D("1000"), "吨", True), ("nac", D("0.40"), "tC/t", True),
        ("sulphur_pct", D("2"), "%", True), ("ash_pct", D("0.4"), "%", True)]


def test_prebake_anode_co2_with_plant_quality_data_tier3():
    # NAC 0.415, S 1.6 %, Ash 0.3 %: 0.415 × 0.981 × 44/12 = 0.407115 × 3.666… = 1.492755 t/t
    r = anode_co2_prebake(1, D("0.415"), D("1.6"), D("0.3"), tier=3)
    assert q(r.total, "0.000001") == D("1.492755")
    assert r.method == "aluminium:anode_prebake_tier3"
    with pytest.raises(MissingInput):
        anode_co2_prebake(1, D("0.415"), tier=3)


def test_prebake_anode_ipcc_tier2_defaults_fill_what_is_not_measured():
    # IPCC defaults NAC 0.4, S 2.0 %, Ash 0.4 % -> 1.43147 t/t; the factors used are recorded
    r = anode_co2_prebake(1)
    assert q(r.total, "0.00001") == D("1.43147")
    assert [(f.key, f.set_name, f.confidence) for f in r.factors] == [
        ("al.anode.nac", "ipcc2006_aluminium", "R"), ("al.anode.sulphur", "ipcc2006_aluminium", "V"),
        ("al.anode.ash", "ipcc2006_aluminium", "V")]


def test_ndrc_2013_anode_default():
    # NDRC 2013 / GB/T 32151.4: EF = NC × (1 − S − A) × 44/12 = 0.42 × 0.976 × 44/12
    #   = 0.40992 × 3.666… = 1.503040 t CO2/t Al
    r = anode_co2_prebake(1, prefer=NDRC)
    assert q(r.total, "0.001") == D("1.503")
    assert q(r.total, "0.000001") == D("1.503040")
    assert {f.set_name for f in r.factors} == {"cn_aluminium_ndrc2013"}
    # reference §7: 1.503 × 1 175 900 t ≈ 1.77 Mt CO2 (1 767 424.736 t)
    assert anode_co2_prebake(1175900, prefer=NDRC).total == D("1767424.736")


def test_anode_tier1():
    # IPCC Table 4.10: 1.6 t CO2/t Al prebake, 1.7 Søderberg
    assert anode_co2_prebake(1000, tier=1).total == D("1600.0")
    assert anode_co2_tier1(1000, "soderberg").total == D("1700.0")
    with pytest.raises(UnknownTechnology):
        anode_co2_tier1(1000, "inert anode")


def test_soderberg_paste_with_table_f2_defaults():
    # IPCC Eq.4.24, VSS dry paste, MP 1 000 t, PC 0.5 t/t (given):
    #   PC·MP = 500; CSM·MP/1000 = 0.5 × 1000/1000 = 0.5;
    #   binder: 0.24 × 500 × (0.6 + 0.2 + 3.3)/100 = 120 × 0.041 = 4.92;
    #   coke:  0.76 × 500 × (1.9 + 0.2)/100 = 380 × 0.021 = 7.98; dust: 1000 × 0.01 = 10
    #   C = 500 − 0.5 − 4.92 − 7.98 − 10 = 476.6 t -> × 44/12 = 1 747.5333 t CO2
    r = paste_co2_soderberg(1000, D("0.5"), technology="VSS", paste="dry")
    assert q(r.total, "0.0001") == D("1747.5333")
    with pytest.raises(UnknownTechnology):
        paste_co2_soderberg(1000, D("0.5"), technology="CWPB")


# --- PFC --------------------------------------------------------------------------------------
@pytest.mark.parametrize("tech, cf4_kg, c2f6_kg, co2e_t", [
    # slope × AEM 0.05 (kg CF4/t); × F_C2F6/CF4 (kg C2F6/t); CO2e with AR5 = CF4×6630 + C2F6×11100 (kg -> t)
    ("CWPB", "0.00715", "0.00086515", "0.057007665"),   # 0.143×0.05; ×0.121; 47.4045 + 9.603165
    ("SWPB", "0.0136", "0.0034272", "0.12820992"),      # 0.272×0.05; ×0.252; 90.168 + 38.04192
    ("VSS", "0.0046", "0.0002438", "0.03320418"),       # 0.092×0.05; ×0.053; 30.498 + 2.70618
    ("HSS", "0.00495", "0.00042075", "0.037488825"),    # 0.099×0.05; ×0.085; 32.8185 + 4.670325
])
def test_pfc_slope_by_technology(tech, cf4_kg, c2f6_kg, co2e_t):
    r = pfc_slope(1, D("0.05"), tech, gwp_set="AR5")
    assert (r.step("ef_cf4"), r.step("ef_c2f6")) == (D(cf4_kg), D(c2f6_kg))
    assert (r.gas("CF4"), r.gas("C2F6")) == (D(cf4_kg) / 1000, D(c2f6_kg) / 1000)   # tonnes per t Al
    assert r.total == D(co2e_t) and r.gwp_set == "AR5"


def test_pfc_slope_ndrc_2013_uses_0143_and_ratio_01_for_any_cell():
    # NDRC 2013: EF_CF4 = 0.143 × AEM; EF_C2F6 = 0.1 × EF_CF4. AEM 0.05, SWPB cells, 1 000 t:
    #   CF4 0.00715 kg/t × 1000 t = 7.15 kg; C2F6 0.715 kg; SAR: 7.15×6500 + 0.715×9200 = 46 475 + 6 578 = 53.053 t
    r = pfc_slope(1000, D("0.05"), "SWPB", gwp_set="SAR", prefer=NDRC)
    assert (r.gas("CF4"), r.gas("C2F6"), r.total) == (D("0.00715"), D("0.000715"), D("53.053"))


def test_anode_effect_minutes_are_frequency_times_duration():
    # 0.025 AE/cell-day × 2 min/AE = 0.05 AE-min/cell-day
    assert anode_effect_minutes(D("0.025"), 2) == D("0.050")


@pytest.mark.parametrize("tech, cf4_kg_per_t, ratio", [
    # OVC × AEO / CE, CE in percent: AEO 9 mV, CE 95 %
    ("CWPB", D("1.16") * 9 / 95, D("0.121")),   # 10.44/95 = 0.10989… kg CF4/t (reference: ≈0.11)
    ("SWPB", D("3.65") * 9 / 95, D("0.252")),   # 32.85/95 = 0.34578… kg CF4/t
])
def test_pfc_overvoltage_by_technology(tech, cf4_kg_per_t, ratio):
    r = pfc_overvoltage(1000, 9, 95, tech, gwp_set="AR5")
    assert q(r.step("ef_cf4"), "0.000001") == q(cf4_kg_per_t, "0.000001")
    assert q(r.gas("CF4"), "0.000001") == q(cf4_kg_per_t, "0.000001")          # × 1000 t / 1000 = t
    assert q(r.gas("C2F6"), "0.0000001") == q(cf4_kg_per_t * ratio, "0.0000001")


def test_pfc_overvoltage_cwpb_worked_value():
    # 1.16 × 9/95 = 0.1099 kg CF4/t (reference §1.2 sanity check 0.11)
    assert q(pfc_overvoltage(1, 9, 95, "CWPB", gwp_set="AR5").step("ef_cf4"), "0.0001") == D("0.1099")


@pytest.mark.parametrize("tech", ["VSS", "HSS"])
def test_pfc_overvoltage_has_no_ipcc_coefficient_for_soderberg(tech):
    with pytest.raises(MissingInput):
        pfc_overvoltage(1000, 9, 95, tech, gwp_set="AR5")
    # a smelter-measured coefficient (Tier 3) makes it computable: 0.5 × 9/90 = 0.05 kg/t
    r = pfc_overvoltage(1000, 9, 90, tech, gwp_set="AR5", ovc=D("0.5"), c2f6_ratio=D("0.1"))
    assert r.step("ef_cf4") == D("0.05")


def test_current_efficiency_as_a_fraction_is_refused():
    with pytest.raises(InvalidInput, match="percent"):
        pfc_overvoltage(1000, 9, D("0.95"), "CWPB", gwp_set="AR5")


def test_pfc_tier1_ipcc_defaults():
    # IPCC Table 4.14 CWPB 0.4 / 0.04 kg/t; AR5: 0.4×6630 + 0.04×11100 = 2 652 + 444 = 3 096 kg = 3.096 t/t
    assert pfc_tier1(1, "CWPB", gwp_set="AR5").total == D("3.096")


def test_pfc_chinese_default_and_switching_the_gwp_set():
    # 0.034 kg CF4 + 0.0034 kg C2F6 per t Al (NDRC 2013 / MEE default without AE data)
    #   AR5: 0.034×6630 + 0.0034×11100 = 225.42 + 37.74 = 263.16 kg -> 0.26316 t CO2e/t
    #   SAR: 0.034×6500 + 0.0034×9200  = 221    + 31.28 = 252.28 kg -> 0.25228
    #   AR4: 0.034×7390 + 0.0034×12200 = 251.26 + 41.48 = 292.74 kg -> 0.29274
    #   AR6: 0.034×7380 + 0.0034×12400 = 250.92 + 42.16 = 293.08 kg -> 0.29308
    ar5 = pfc_tier1(1, "CWPB", gwp_set="AR5", prefer=NDRC)
    assert ar5.total == D("0.26316")
    switched = [(s, ar5.with_gwp(s).total) for s in ("SAR", "AR4", "AR6")]
    assert switched == [("SAR", D("0.25228")), ("AR4", D("0.29274")), ("AR6", D("0.29308"))]
    sar = ar5.with_gwp("SAR")
    assert sar.values == ar5.values and sar.gwp_set == "SAR"                 # the gases do not change
    assert [(p.name, p.value, p.factor.edition) for p in sar.parameters if p.name.startswith("gwp_")] == [
        ("gwp_CF4", D("6500"), "IPCC SAR (1995)"), ("gwp_C2F6", D("9200"), "IPCC SAR (1995)")]
    assert pfc_tier1(1, "CWPB", gwp_set="SAR", prefer=NDRC).total == sar.total
    # reference §7: 0.26316 × 1 175 900 t ≈ 0.309 Mt CO2e
    assert pfc_tier1(1175900, "CWPB", gwp_set="AR5", prefer=NDRC).total == D("309449.844")


def test_pfc_needs_a_named_gwp_set_and_a_known_technology():
    with pytest.raises(MissingInput):
        pfc_slope(1, D("0.05"), "CWPB")
    with pytest.raises(UnknownTechnology):
        pfc_slope(1, D("0.05"), "PFPB_MW", gwp_set="AR5")
    assert cell_technology("pfpb") == "CWPB"      # point-feed prebake is CWPB in IPCC 2006


def test_binary_floats_are_refused():
    with pytest.raises(InvalidInput, match="float"):
        anode_co2_prebake(1000, 0.4, 2, 0.4)
