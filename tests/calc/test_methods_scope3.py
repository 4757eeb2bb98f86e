"""Scope 3 categories 1, 3 and 4 with supplier-specific and (illustrative) default factors."""
from decimal import Decimal
from pathlib import Path

import pytest

from esgledger.calc.methods import UnknownTechnology
from esgledger.calc.methods.scope3 import (electricity_upstream, fuel_upstream, purchased_goods, td_losses,
                                           transport, transport_tkm)
from esgledger.library.factors import load_factor_sets

D = Decimal
USER = Path(__file__).parents[1] / "data" / "factors" / "user"


def test_cat1_default_factor_is_marked_illustrative():
    # 10 000 t alumina × 1.2 t CO2e/t (illustrative default) = 12 000 t CO2e
    r = purchased_goods(10000, material="alumina")
    assert r.total == D("12000.0") and r.values == {"CO2e": D("12000.0")}
    f = r.factors[0]
    assert (f.set_name, f.confidence, f.status) == ("scope3_illustrative", "R-low", "illustrative")


def test_cat1_supplier_specific_factor_takes_priority():
    # the refinery's own footprint 0.97 t CO2e/t × 10 000 t = 9 700 t; another supplier gets the default
    lib = load_factor_sets([USER])
    own = purchased_goods(10000, material="alumina", supplier="靖西天桂", factors=lib)
    other = purchased_goods(10000, material="alumina", supplier="another", factors=lib)
    assert (own.total, own.factors[0].set_name) == (D("9700.00"), "tianlu_measured")
    assert (other.total, other.factors[0].set_name) == (D("12000.0"), "scope3_illustrative")
    # a factor given directly: 2 500 t pitch × 0.85 = 2 125 t; in 万吨: 0.25 万吨 = 2 500 t
    assert purchased_goods(D("0.25"), "0.85", material="coal_tar_pitch", unit="万吨").total == D("2125.0000")


def test_cat3_fuel_and_energy_related():
    # (a) 100 000 GJ of natural gas × 15 kg CO2e/GJ = 1 500 t
    assert fuel_upstream(100000, fuel="natural_gas").total == D("1500")
    # (b) 1 000 MWh × 0.05 t/MWh = 50 t
    assert electricity_upstream(1000).total == D("50.00")
    # (c) 1 000 MWh × 4.8 % lost × 0.5306 t/MWh = 48 MWh × 0.5306 = 25.4688 t
    r = td_losses(1000, D("0.5306"))
    assert (r.step("lost"), r.total) == (D("48.0"), D("25.46880"))


def test_cat4_transport_by_mode():
    # 1 000 t over 500 km: rail 500 000 t·km × 0.020 kg = 10 t; road × 0.080 kg = 40 t
    assert [transport(1000, 500, m).total for m in ("rail", "road")] == [D("10.000"), D("40.000")]
    # 5 万t·km by road = 50 000 t·km × 0.080 kg = 4 t
    assert transport_tkm(5, "road", unit="万t·km").total == D("4.000")
    with pytest.raises(UnknownTechnology):
        transport(1000, 500, "pipeline")
