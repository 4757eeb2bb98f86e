"""Purchased electricity (location- vs market-based Scope 2) and purchased heat."""
from decimal import Decimal

import pytest

from esgledger.calc.methods import InvalidInput
from esgledger.calc.methods.electricity import grid_factor, purchased_heat_co2, scope2
from esgledger.library.factors import load_factor_sets

D = Decimal


@pytest.fixture(scope="module")
def lib():
    return load_factor_sets()


def test_location_vs_market_based_with_a_green_power_contract(lib):
    # 2021 factors: national average 0.5568, residual mix 0.5942 t CO2/MWh.
    # 1 000 MWh bought, 400 MWh of it under a green-power contract (绿电), 100 MWh covered by certificates:
    #   location = 1 000 × 0.5568 = 556.8 t
    #   market   = (1 000 − 400 − 100) × 0.5942 = 500 × 0.5942 = 297.1 t
    avg = lib.lookup("grid.ef", 2021, basis="average", area="national")
    residual = lib.lookup("grid.ef", 2021, basis="residual", area="national")
    s = scope2(1000, avg, green_mwh=400, certificates_mwh=100, residual_factor=residual)
    assert (s.location.total, s.market.total) == (D("556.8000"), D("297.1000"))
    assert [f.ref for f in s.location.factors] == ["cn_grid@2026.1/grid.ef[area=national;basis=average]@2021"]
    assert [f.ref for f in s.market.factors] == ["cn_grid@2026.1/grid.ef[area=national;basis=residual]@2021"]
    assert s.market.step("residual_consumption") == D("500")


def test_market_based_without_instruments_is_the_residual_mix():
    # 1 000 MWh × 0.5942 = 594.2 t: higher than location-based, as the residual mix is
    s = scope2(1000, D("0.5568"), residual_factor=D("0.5942"))
    assert s.market.total - s.location.total == D("37.4000")


def test_units_exports_and_missing_residual():
    # 100 万千瓦时 = 1 000 MWh; 200 MWh exported -> net 800 × 0.5306 = 424.48 t
    s = scope2(100, D("0.5306"), unit="万千瓦时", exported_mwh=20)
    assert s.location.total == D("424.4800") and s.market is None
    with pytest.raises(InvalidInput):
        scope2(1000, D("0.5568"), green_mwh=1200, residual_factor=D("0.5942"))


def test_grid_factor_province_then_region_then_national(lib):
    assert grid_factor(lib, 2022, province="广西", region="south").value == D("0.4044")      # provincial
    assert grid_factor(lib, 2022, province="新疆", region="northwest").value == D("0.5857")   # regional
    assert grid_factor(lib, 2023, province="新疆").value == D("0.5306")                       # national
    # reporting 2024 with the latest published factor (2023)
    assert grid_factor(lib, 2024, province="新疆", region="northwest", latest=True).value == D("0.5543")


def test_the_latest_factor_never_mixes_vintages(lib):
    """UAT F9: 广西 has a provincial factor for 2022 only (0.4044); reporting 2024 with the latest
    published factors, every other site takes a 2023 one, so 广西 takes its region's 2023 factor
    (south 0.4042, MEE/NBS 2023), not the older provincial one: 612 877.03 MWh × 0.4042 =
    247 724.90 t, not × 0.4044 = 247 847.47 t. Reporting 2022 itself, the provincial factor is of
    the same vintage as the region's and, more specific, is taken."""
    v = grid_factor(lib, 2024, province="广西", region="south", latest=True)
    assert (v.value, v.valid_from.year) == (D("0.4042"), 2023)
    assert grid_factor(lib, 2022, province="广西", region="south", latest=True).value == D("0.4044")


def test_purchased_heat():
    # 10 000 GJ × 0.11 t CO2/GJ = 1 100 t
    r = purchased_heat_co2(10000)
    assert r.total == D("1100.00")
    assert r.factors[0].confidence == "V"
