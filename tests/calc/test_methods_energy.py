"""Energy in 吨标准煤 by the calorific and equivalent methods, intensities, targets."""
from decimal import ROUND_HALF_UP, Decimal

import pytest

from esgledger.calc.methods import InvalidInput, MissingInput
from esgledger.calc.methods.energy import (EnergyUse, energy_per_output_value, per_product, standard_coal,
                                           target_progress, total_energy, total_energy_of_what_converts)

D = Decimal


def q(x: Decimal, places: str) -> Decimal:
    return x.quantize(D(places), rounding=ROUND_HALF_UP)


def test_a_memo_per_use_gives_the_same_result():
    """total_energy's memo (one dict per use, kept by a calculation run) changes nothing: the
    same values, parameters (in order) and steps, from the memo or worked out, per method."""
    uses = [EnergyUse("electricity", D("10000.0"), "兆瓦时"), EnergyUse("diesel", "1000", "吨"),
            EnergyUse("natural_gas", 1000000, "立方米")]
    memos = [{}, {}, {}]
    for method in ("calorific", "equivalent"):
        plain = total_energy(uses, method=method, label="x")
        first = total_energy(uses, method=method, label="x", memo=memos)
        again = total_energy(uses, method=method, label="x", memo=memos)
        assert plain == first == again
        assert [(p.name, str(p.value), p.unit, p.factor) for p in again.parameters] == \
            [(p.name, str(p.value), p.unit, p.factor) for p in plain.parameters]
    assert all(len(m) == 2 for m in memos)  # one entry per method
    # another use in the list (the gas changed): only its own figures are worked out anew
    changed = uses[:2] + [EnergyUse("natural_gas", 1200000, "立方米")]
    assert total_energy(changed, memo=memos[:2] + [{}]) == total_energy(changed)


def test_standard_coal_per_carrier():
    # GB/T 2589-2020 Annex A
    assert standard_coal(1000, "吨", "1.4571") == D("1457.1000")                    # diesel 1 000 t
    assert standard_coal(1000000, "立方米", "1.2143", coefficient_unit="kgce/m3") == D("1214.3000")
    # heat 10 000 GJ = 10 000 000 MJ × 0.03412 kgce/MJ = 341 200 kgce = 341.2 tce
    assert standard_coal(10000, "GJ", "0.03412", coefficient_unit="kgce/MJ") == D("341.20000")


def test_calorific_and_equivalent_methods():
    uses = [EnergyUse("electricity", 10000, "兆瓦时"), EnergyUse("diesel", 1000, "吨"),
            EnergyUse("natural_gas", 1000000, "立方米")]
    # calorific: 10 000 MWh × 0.1229 kgce/kWh = 1 229 tce; diesel 1 457.1; gas 1 214.3 -> 3 900.4
    cal = total_energy(uses)
    assert {k: q(v, "0.1") for k, v in cal.values.items()} == {
        "electricity": D("1229.0"), "diesel": D("1457.1"), "natural_gas": D("1214.3")}
    assert q(cal.total, "0.1") == D("3900.4") and cal.total_unit == "吨标准煤"
    # equivalent: electricity at ≈0.300 kgce/kWh -> 3 000 tce; fuels unchanged -> 5 671.4
    eq = total_energy(uses, method="equivalent")
    assert q(eq.values["electricity"], "0.1") == D("3000.0") and q(eq.total, "0.1") == D("5671.4")
    # not a GB/T 2589 value (the standard gives none for 等价值, UAT F12): a recalled placeholder
    k = eq.param("electricity.coefficient").factor
    assert k.confidence == "R-low" and "not in GB/T 2589-2020" in k.source
    # captive power at the plant's own generation coal rate, 0.305 kgce/kWh -> 3 050 tce
    own = total_energy([EnergyUse("electricity", 10000, "兆瓦时", D("0.305"), "kgce/kWh")], method="equivalent")
    assert q(own.total, "0.1") == D("3050.0")


def test_a_fuel_with_its_own_ncv_takes_it_not_annex_a():
    """GB/T 2589's calorific-value method: a fuel's own NCV / 29.307 GJ per tce (1 kgce = 29 307 kJ),
    the constant recorded as a factor (UAT F4, F13). Bituminous coal at the MEE default NCV
    23.204 GJ/t: 841 659.39 t × 23.204 / 29.307 = 666 389.1 tce (Annex A's raw-coal 0.7143 would
    give 601 197.3); at a measured 21.8 GJ/t: 4 600 000 × 21.8 / 29.307 = 3 421 708.1 tce."""
    default = total_energy([EnergyUse("raw_coal", D("841659.39"), "吨", ncv_fuel="bituminous")], on=2024)
    assert q(default.total, "0.1") == D("666389.1")
    assert default.param("raw_coal.ncv").factor.ref.startswith("cn_fuels_mee")
    assert default.param("raw_coal.ncv").value == D("23.204")
    per_tce = default.param("raw_coal.gj_per_tce")
    assert per_tce.value == D("29.307") and per_tce.factor.confidence == "V-calc"
    measured = total_energy([EnergyUse("raw_coal", 4600000, "吨", ncv=D("21.8"))], method="equivalent")
    assert q(measured.total, "0.1") == D("3421708.1")
    assert measured.param("raw_coal.ncv").factor is None          # the plant's measured value, an input
    # no NCV known: Annex A's coefficient, as before
    annex = total_energy([EnergyUse("raw_coal", 1000, "吨")])
    assert annex.total == D("714.3000")


def test_diesel_and_gas_at_the_ncv_their_co2_takes():
    """The same rule for liquid and gaseous fuels: natural gas 1 000 000 m³ at the MEE default
    389.31 GJ/10⁴Nm³ = 38 931 GJ / 29.307 = 1 328.386 tce (Annex A's 1.2143 kgce/m³ would give
    1 214.3); diesel 1 000 000 L × 0.85 kg/L = 850 t × 43.33 GJ/t = 36 830.5 GJ / 29.307 =
    1 256.713 tce (Annex A's 1.4571: 1 238.535)."""
    gas = total_energy([EnergyUse("natural_gas", 1000000, "立方米", ncv_fuel="natural_gas")], on=2024)
    assert q(gas.total, "0.001") == D("1328.386")
    diesel = total_energy([EnergyUse("diesel", 1000000, "升", density=D("0.85"), ncv_fuel="diesel")], on=2024)
    assert q(diesel.total, "0.001") == D("1256.713")
    assert diesel.param("diesel.ncv").value == D("43.33")
    with pytest.raises(MissingInput):   # litres and an NCV per tonne: the density is needed
        total_energy([EnergyUse("diesel", 1000000, "升", ncv_fuel="diesel")], on=2024)


def test_litres_need_a_density():
    # 1 000 000 L × 0.85 kg/L = 850 t × 1.4571 = 1 238.535 tce
    r = total_energy([EnergyUse("diesel", 1000000, "升", density=D("0.85"))])
    assert q(r.total, "0.001") == D("1238.535")
    with pytest.raises(MissingInput):
        total_energy([EnergyUse("diesel", 1000000, "升")])


def test_what_converts_is_summed_and_each_use_that_does_not_is_named():
    """1 000 MWh = 1 000 000 kWh × 0.1229 kgce/kWh = 122.9 tce (GB/T 2589 Annex A, calorific);
    100 GJ of heat at a coefficient per kg (steam's) is not energy, and neither are litres of
    diesel at kgce/kg without a density: both are left out, each with why."""
    uses = [EnergyUse("electricity", 1000, "兆瓦时"), EnergyUse("heat", 100, "吉焦", D("0.1286"), "kgce/kg"),
            EnergyUse("diesel", 1000, "升", D("1.4571"))]
    r, failed = total_energy_of_what_converts(uses, on=2024)
    assert (q(r.total, "0.0001"), dict(r.values)) == (D("122.9000"), {"electricity": r.total})
    assert [(i, type(e).__name__) for i, e in failed] == [(1, "InvalidInput"), (2, "MissingInput")]
    heat, diesel = (e for _i, e in failed)
    assert str(heat) == "heat: 吉焦 × kgce/kg is not energy: the coefficient's unit does not fit the amount's (吉焦)"
    assert heat.message.zh == "heat：吉焦 × kgce/kg 不是能量：系数的单位与用量的单位（吉焦）不相符"
    assert str(diesel) == "diesel: 升 × kgce/kg is not energy; give the density"
    # everything converts: the same as total_energy; nothing converts: 0, every use named
    assert total_energy_of_what_converts(uses[:1], on=2024) == (total_energy(uses[:1], on=2024), [])
    r, failed = total_energy_of_what_converts(uses[1:], on=2024)
    assert (r.total, [i for i, _e in failed]) == (0, [0, 1])
    with pytest.raises(InvalidInput):  # a wrong method is refused, not taken for every use failing
        total_energy_of_what_converts(uses, method="primary")


def test_intensities():
    r = total_energy([EnergyUse("diesel", 1000, "吨")])          # 1 457.1 tce
    # per 万元: 1 457.1 / 2 000 万元 = 0.72855; 2 000 万元 = 0.2 亿元
    assert q(energy_per_output_value(r, D("0.2"), output_unit="亿元"), "0.00001") == D("0.72855")
    assert q(per_product(r, 1000), "0.0001") == D("1.4571")
    with pytest.raises(InvalidInput):
        per_product(r, 0)


def test_energy_intensity_target_against_2021():
    # the seed's target: energy per output value −13.5 % by 2025 against 2021.
    # baseline 2.000 tce/万元 (2021), 1.800 in 2024:
    #   target 2.000 × 0.865 = 1.730; change to date 1.8/2 − 1 = −10 %; progress 10/13.5 = 74.07 %
    #   even path (linear in value): −13.5 % / 4 years = −3.375 % of the baseline a year; its 2024
    #   value 2 × (1 − 0.135 × 3/4) = 2 × 0.89875 = 1.7975
    #   1.800 > 1.7975: behind the path; needed in 2025: 1.730/1.800 − 1 = −3.8889 %
    t = target_progress(D("2.000"), D("1.800"), D("-13.5"), baseline_year=2021, current_year=2024,
                        target_year=2025)
    assert (t.target_value, t.change_to_date_pct) == (D("1.730000"), D("-10.0"))
    assert q(t.progress_pct, "0.01") == D("74.07")
    assert t.even_step_pct == D("-3.375")
    assert t.planned_value == D("1.7975")
    assert (t.on_track, t.achieved, t.against_path) == (False, False, "behind")
    assert q(t.required_annual_pct, "0.0001") == D("-3.8889")
    assert t.trajectory == ((2025, D("1.730000")),)


def test_co2_intensity_target_trajectory():
    # −18 % CO2 per tonne by 2025 against 2021; 100 -> 95 by 2023 (indexed):
    #   target 82; needed per year (82/95)^(1/2) − 1 = 0.929063 − 1 = −7.0937 %;
    #   path 2024: 95 × 0.929063 = 88.2610, 2025: 82
    t = target_progress(100, 95, -18, baseline_year=2021, current_year=2023, target_year=2025)
    assert q(t.required_annual_pct, "0.0001") == D("-7.0937")
    assert [(y, q(v, "0.0001")) for y, v in t.trajectory] == [(2024, D("88.2610")), (2025, D("82.0000"))]
    # already below the target: achieved and on track
    done = target_progress(100, 80, -18, baseline_year=2021, current_year=2024, target_year=2025)
    assert (done.achieved, done.on_track) == (True, True)
    # an increase target (renewable share +30 points of a 10 % base = +300 %)
    up = target_progress(10, 25, 300, baseline_year=2021, current_year=2025, target_year=2030)
    assert (up.target_value, up.achieved) == (D("40"), False)
    with pytest.raises(InvalidInput):
        target_progress(100, 95, -18, baseline_year=2025, current_year=2023, target_year=2025)
