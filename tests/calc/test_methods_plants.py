"""Captive power plant, anode plant and alumina refinery."""
from decimal import Decimal

import pytest

from esgledger.calc.methods import InvalidInput, MissingInput, MixedGwpSets, UnknownTechnology
from esgledger.calc.methods.alumina import carbonate_co2, limestone_co2, soda_ash_co2
from esgledger.calc.methods.aluminium import pfc_slope
from esgledger.calc.methods.anode_plant import packing_coke_co2, pitch_volatiles_co2
from esgledger.calc.methods.power_plant import (captive_plant_factor, coal_combustion_co2, desulphurisation_co2,
                                                supplied_electricity_co2)
from esgledger.calc.methods.result import combine

D = Decimal


def test_captive_plant_factor_is_passed_on_per_mwh_supplied():
    # coal 1 000 000 t, measured C_ar 55 %, OF 99 %: 1e6 × 0.55 × 0.99 × 44/12 = 1 996 500 t CO2
    # desulphurisation 20 000 t limestone at 90 % CaCO3 × 0.440 = 7 920 t
    # supplied 2 500 000 MWh -> (1 996 500 + 7 920) / 2 500 000 = 0.801768 t CO2/MWh
    coal = coal_combustion_co2(1000000, carbon_pct=55, oxidation_pct=99)
    fgd = desulphurisation_co2(20000, 90)
    plant = captive_plant_factor([coal, fgd], supplied_mwh=2500000)
    assert (coal.total, fgd.total) == (D("1996500"), D("7920.000"))
    assert plant.ef == D("0.801768")
    # a potline taking 1 000 000 MWh carries 801 768 t
    assert supplied_electricity_co2(1000000, plant).total == D("801768.000000")
    # with 10 % of the emissions allocated to heat supplied: 0.801768 × 0.9 = 0.7215912
    assert captive_plant_factor([coal, fgd], 2500000, heat_share_pct=10).ef == D("0.7215912")


def test_coal_without_measured_carbon_uses_the_guideline_default():
    # NCV 20.908 GJ/t measured; 2022 revision CC 0.03085 t C/GJ, OF 99 %:
    #   1 000 × 20.908 × 0.03085 × 0.99 × 44/12 = 638.561682 t C × 3.666… = 2 341.392834 t
    r = coal_combustion_co2(1000, ncv=D("20.908"), on=2024)
    assert r.total.quantize(D("0.000001")) == D("2341.392834")
    # 2021 guideline: CC 0.03356 (OF given): 20 908 × 0.03356 × 0.99 × 44/12 = 2 547.071102 t
    r21 = coal_combustion_co2(1000, ncv=D("20.908"), oxidation_pct=99, on=2021)
    assert r21.total.quantize(D("0.000001")) == D("2547.071102")
    with pytest.raises(InvalidInput):
        coal_combustion_co2(1000)


def test_anode_baking_pitch_volatiles_and_packing_coke():
    # Eq.4.22, Riedhammer: GA 100 000, BA 96 000, H_w = WT = 0.005 × 100 000 = 500
    #   (100 000 − 500 − 96 000 − 500) × 44/12 = 3 000 × 3.666… = 11 000 t CO2
    r = pitch_volatiles_co2(100000, 96000, furnace="riedhammer")
    assert r.total == D("11000.000")
    # other furnaces: no waste tar -> (100 000 − 500 − 96 000) × 44/12 = 3 500 × 3.666… = 12 833.33 t
    assert pitch_volatiles_co2(100000, 96000).total.quantize(D("0.01")) == D("12833.33")
    # Eq.4.23: 0.015 × 96 000 × (100 − 2 − 2.5)/100 × 44/12 = 1 440 × 0.955 = 1 375.2 t C -> 5 042.4 t CO2
    assert packing_coke_co2(96000).total == D("5042.400")
    with pytest.raises(InvalidInput):
        pitch_volatiles_co2(100000, 110000)


def test_alumina_refinery_carbonates():
    # lime kiln: 10 000 t limestone at 90 % CaCO3 × 0.440 = 3 960 t
    assert carbonate_co2(10000, purity_pct=90).total == D("3960.000")
    # NDRC 2013 form: 10 000 t × 0.405 = 4 050 t
    assert limestone_co2(10000).total == D("4050.000")
    # soda ash 1 000 t at 99 % Na2CO3, all decomposed: 1 000 × 0.99 × 0.41509 (44/106) = 410.9391 t
    r = soda_ash_co2(1000, 99)
    assert r.total == D("410.9391000") and r.factors[0].confidence == "S"


def test_combining_keeps_parts_and_refuses_mixed_gwp_sets():
    a = pfc_slope(1000, D("0.05"), "CWPB", gwp_set="AR5")
    b = pfc_slope(1000, D("0.05"), "CWPB", gwp_set="AR4")
    with pytest.raises(MixedGwpSets):
        combine([a, b])
    both = combine([a, a.with_gwp("AR5")])
    assert both.total == 2 * a.total and len(both.parts) == 2
    lineage = both.lineage()
    assert lineage[0] == ("CWPB.production", "1000", "吨", "input")
    assert ("CWPB.gwp_CF4", "6630", "1", "gwp@2025.1/gwp[gas=CF4;gwp_set=AR5]") in lineage


def test_unknown_gwp_sets_and_carbonates_are_refused():
    with pytest.raises(MissingInput):
        pfc_slope(1000, D("0.05"), "CWPB", gwp_set="AR5").with_gwp("AR7")
    with pytest.raises(UnknownTechnology):
        carbonate_co2(100, "CaO")
