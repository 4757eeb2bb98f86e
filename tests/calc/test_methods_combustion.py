"""Fuel combustion CO2: the MEE and NDRC 2013 defaults, measured values, gases and litres."""
from decimal import ROUND_HALF_UP, Decimal

import pytest

from esgledger.calc.methods import InvalidInput, MissingInput
from esgledger.calc.methods.combustion import fuel_combustion_co2

D = Decimal


def q(x: Decimal, places: str) -> Decimal:
    return x.quantize(D(places), rounding=ROUND_HALF_UP)


def test_diesel_with_the_mee_defaults():
    # 43.33 GJ/t × 0.0202 t C/GJ × 98 % × 44/12 = 0.875266 × 0.98 × 3.666… = 3.1451225 t CO2/t
    r = fuel_combustion_co2(1, fuel="diesel")
    assert q(r.total, "0.001") == D("3.145")
    assert q(r.total, "0.0000001") == D("3.1451225")
    assert [(f.key, f.value, f.set_name) for f in r.factors] == [
        ("fuel.oxidation", D("98"), "cn_fuels_mee"), ("fuel.ncv", D("43.33"), "cn_fuels_mee"),
        ("fuel.carbon_content", D("0.02020"), "cn_fuels_mee")]


def test_diesel_with_the_ndrc_2013_defaults():
    # 42.652 GJ/t × 20.2 t C/TJ (= 0.0202 t C/GJ) × 98 % × 44/12
    #   = 0.8615704 × 0.98 × 3.666… = 0.844338992 × 3.666… = 3.0959096 t CO2/t
    r = fuel_combustion_co2(1, fuel="diesel", prefer=["cn_fuels_ndrc2013"])
    assert q(r.total, "0.0000001") == D("3.0959096")
    assert r.param("carbon_content").value == D("0.0202")          # converted from t C/TJ
    assert r.param("carbon_content").factor.unit == "tC/TJ"


def test_natural_gas_in_cubic_metres():
    # 389.31 GJ/10⁴Nm³ × 0.0153 × 99 % × 44/12 = 21.621888 t CO2 per 10⁴ Nm³ (2.162 kg/Nm³);
    # the seed's 29 992 133.96 m³ = 2 999.213396 × 10⁴ m³ -> 64 848.66 t (reference §3.3: ≈ 64.8 kt)
    r = fuel_combustion_co2(D("29992133.96"), fuel="natural_gas", amount_unit="立方米")
    assert q(r.total, "0.01") == D("64848.66")
    assert q(r.step("ef") * 10000, "0.000001") == D("21.621888")


def test_diesel_in_litres_needs_a_density():
    # 1 859 144.65 L × 0.85 kg/L = 1 580.2729525 t × 3.1451225 = 4 970.15 t (reference: ≈ 4.97 kt)
    r = fuel_combustion_co2(D("1859144.65"), fuel="diesel", amount_unit="升", density=D("0.85"))
    assert q(r.total, "0.01") == D("4970.15")
    assert r.step("fuel_mass") == D("1580.2729525")
    with pytest.raises(MissingInput, match="density"):
        fuel_combustion_co2(D("1859144.65"), fuel="diesel", amount_unit="升")


def test_measured_ncv_and_carbon_content_win_over_defaults():
    # plant lab: NCV 22.5 GJ/t, CC 0.0265 t C/GJ, default OF 93 % (bituminous):
    #   1 000 t × 22.5 × 0.0265 × 0.93 × 44/12 = 554.5125 t C × 3.666… = 2 033.2125 t CO2
    r = fuel_combustion_co2(1000, fuel="bituminous", ncv=D("22.5"), carbon_content=D("0.0265"))
    assert r.total == D("2033.2125")
    assert [p.name for p in r.inputs] == ["amount", "ncv", "carbon_content"]
    assert [f.key for f in r.factors] == ["fuel.oxidation"]


def test_measured_elemental_carbon():
    # GB/T 32151.1: 1 000 t × C_ar 55 % × OF 99 % × 44/12 = 544.5 t C × 3.666… = 1 996.5 t CO2
    assert fuel_combustion_co2(1000, carbon_pct=55, oxidation_pct=99).total == D("1996.5")


def test_bad_inputs():
    with pytest.raises(MissingInput):
        fuel_combustion_co2(1)                                   # no fuel, no NCV
    with pytest.raises(MissingInput):
        fuel_combustion_co2(1, fuel="hydrogen")                  # no default for it
    with pytest.raises(InvalidInput):
        fuel_combustion_co2(-1, fuel="diesel")
    with pytest.raises(InvalidInput):
        fuel_combustion_co2(1, fuel="diesel", oxidation_pct=120)
