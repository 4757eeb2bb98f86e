"""A methodology that cannot run says why in the reader's language (ESG-CALC-005).

Every ``CalcError`` raised in ``esgledger.calc.methods`` carries a Chinese text beside its
English one; ``str(exc)`` stays the English, and the calculation run passes both to the
problem, which renders the one the reader asked for.
"""
from __future__ import annotations

import ast
import pickle
import re
from decimal import Decimal
from pathlib import Path

import pytest

import esgledger.calc.methods as methods_pkg
from esgledger.calc.methods import (CalcError, FactorUnitMismatch, InvalidInput, MissingInput, MixedGwpSets,
                                    UnknownTechnology)
from esgledger.calc.methods import alumina, aluminium, anode_plant, combustion, electricity, energy, power_plant
from esgledger.calc.methods import scope3
from esgledger.calc.methods.result import Recorder, combine, dec, ghg_result, zh_name
from esgledger.library.factors import FactorLookupError, load_factor_sets
from esgledger.model.errors import Bilingual, Location, Problem
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DATA

GHG = DATA / "ghg"
METHODS = Path(methods_pkg.__file__).parent
EXCEPTIONS = {"CalcError", "InvalidInput", "MissingInput", "UnknownTechnology", "FactorUnitMismatch",
              "MixedGwpSets"}
CJK = re.compile(r"[\u4e00-\u9fff]")


# -- (a) a real run, read in Chinese and in English ---------------------------------------------
@pytest.fixture
def plant_without_coal_quality(tmp_path):
    """The captive-plant site tree, its coal given without measured NCV or elemental carbon."""
    facts = tmp_path / "facts.csv"
    lines = (GHG / "captive_site_facts.csv").read_text(encoding="utf-8").splitlines()
    facts.write_text("\n".join(ln for ln in lines if not ln.startswith(
        ("W,fuel_ncv_measured,", "W,fuel_carbon_content_measured,"))) + "\n", encoding="utf-8")
    init_workspace(tmp_path / "ws", lang="zh").close()
    w = open_workspace(tmp_path / "ws")
    assert not w.import_entities(GHG / "captive_site_tree.yaml").errors
    assert w.import_facts(facts).ok
    yield w
    w.close()


def test_a_method_that_cannot_run_is_reported_in_chinese_and_english(plant_without_coal_quality):
    res = plant_without_coal_quality.calc("2024")
    [p] = [p for p in res.problems if p.code == "ESG-CALC-005"]
    where = "(W/solid_fuel_consumption[fuel=bituminous])"
    assert p.render("zh") == (
        f"{where}: ESG-CALC-005 核算方法无法执行：W 2024 的 solid_fuel_consumption[fuel=bituminous]："
        "燃煤需要实测元素碳含量（carbon_pct）或实测低位发热量")
    assert p.render("en") == (
        f"{where}: ESG-CALC-005 a methodology could not run: solid_fuel_consumption[fuel=bituminous] 2024 at W: "
        "coal needs its measured elemental carbon (carbon_pct) or its measured NCV")
    assert p.as_dict("zh")["params"]["found"] == (
        "coal needs its measured elemental carbon (carbon_pct) or its measured NCV")


def test_a_factor_lookup_a_run_meets_is_reported_in_each_language():
    lib = load_factor_sets()
    with pytest.raises(FactorLookupError) as info:
        lib.lookup("gwp", gas="CF4", gwp_set="AR9")
    found = CalcError.message_of(info.value)
    assert found == Bilingual(info.value.problem.render("zh"), str(info.value))
    assert CalcError.message_of(LookupError("no such thing")) == "no such thing"


# -- (b) every raise site has its own Chinese text -------------------------------------------
def _raise_sites():
    for path in sorted(METHODS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in EXCEPTIONS:
                yield f"{path.name}:{node.lineno}", node


SITES = list(_raise_sites())


def test_the_raise_sites_are_all_found():
    assert len(SITES) >= 45


@pytest.mark.parametrize("site,node", SITES, ids=[s for s, _n in SITES])
def test_every_raise_site_gives_a_chinese_text(site, node):
    zh = [k.value for k in node.keywords if k.arg == "zh"]
    assert zh, f"{site}: no zh= text"
    assert node.args, f"{site}: no English text"
    assert ast.dump(zh[0]) != ast.dump(node.args[0]), f"{site}: the zh text is the English one"
    if isinstance(zh[0], (ast.Constant, ast.JoinedStr)):
        literal = "".join(v.value for v in ([zh[0]] if isinstance(zh[0], ast.Constant) else zh[0].values)
                          if isinstance(v, ast.Constant))
        assert CJK.search(literal), f"{site}: the zh text has no Chinese"


def _fv(key, **dims):
    return load_factor_sets().lookup(key, **dims)


CASES = [
    # result.py: the shared recorder and helpers
    lambda: dec("ncv", 1.5),
    lambda: dec("ncv", "abc"),
    lambda: dec("ncv", "NaN"),
    lambda: dec("ncv", Decimal("Infinity")),
    lambda: dec("ncv", [1]),
    lambda: Recorder().nonnegative("production", Decimal(-1)),
    lambda: Recorder().percent("oxidation_pct", Decimal(150)),
    lambda: Recorder().take_or_lookup("ef", None, "tCO2/t", None, "carbonate.ef", carbonate="none"),
    lambda: Recorder().take("grid_factor", _fv("carbonate.ef", carbonate="CaCO3"), "tCO2/MWh"),
    lambda: combine([]),
    lambda: combine([aluminium.pfc_slope(1, 1, "CWPB", gwp_set="AR5"),
                     aluminium.pfc_slope(1, 1, "CWPB", gwp_set="AR4")]),
    lambda: ghg_result("m", "1", "E", {"CF4": Decimal(1)}, Recorder()),
    lambda: ghg_result("m", "1", "E", {"CF4": Decimal(1)}, Recorder(), gwp_set="AR9"),
    lambda: energy.total_energy([energy.EnergyUse("electricity", 1, "兆瓦时")]).co2e,
    # combustion.py, power_plant.py
    lambda: combustion.fuel_combustion_co2(1, amount_unit="no-such-unit"),
    lambda: combustion.fuel_combustion_co2(1, oxidation_pct=98),
    lambda: combustion.fuel_combustion_co2(1, fuel="diesel", amount_unit="升", ncv=43, carbon_content="0.02",
                                           oxidation_pct=98),
    lambda: combustion.fuel_combustion_co2(1, fuel="diesel", ncv=43, ncv_unit="no-such-unit"),
    lambda: power_plant.coal_combustion_co2(1000),
    lambda: power_plant.captive_plant_factor([power_plant.coal_combustion_co2(1, carbon_pct=50)], 0),
    # alumina.py, anode_plant.py, scope3.py
    lambda: alumina.carbonate_co2(1, "CaSO4"),
    lambda: anode_plant.pitch_volatiles_co2(1, 1, furnace="tunnel"),
    lambda: anode_plant.pitch_volatiles_co2(1, 2),
    lambda: anode_plant.packing_coke_co2(1, pcc=1, sulphur_pct=60, ash_pct=50),
    lambda: scope3.transport(1, 1, "teleport"),
    lambda: scope3.transport_tkm(1, "teleport"),
    # aluminium.py
    lambda: aluminium.cell_technology("XYZ"),
    lambda: aluminium.pfc_slope(1, 1, "CWPB"),
    lambda: aluminium.anode_co2_tier1(1, "inert"),
    lambda: aluminium.anode_co2_prebake(1, tier=4),
    lambda: aluminium.anode_co2_prebake(1, tier=3),
    lambda: aluminium.anode_co2_prebake(1, "0.4", 60, 50),
    lambda: aluminium.paste_co2_soderberg(1, "0.5", technology="CWPB"),
    lambda: aluminium.paste_co2_soderberg(1, 0, technology="VSS"),
    lambda: aluminium.pfc_overvoltage(1, 1, "0.95", "CWPB", gwp_set="AR5"),
    # electricity.py
    lambda: electricity.scope2(1, "0.5", exported_mwh=2),
    lambda: electricity.scope2(1, "0.5", green_mwh=2, residual_factor="0.6"),
    lambda: electricity.grid_factor(None, 1800, basis="average"),
    lambda: electricity.purchased_heat_co2(1, "0.11", exported_gj=2),
    # energy.py
    lambda: energy.standard_coal(1, "升", "1.4571"),
    lambda: energy.total_energy([], method="physical"),
    lambda: energy.total_energy([energy.EnergyUse("unobtainium", 1, "吨")]),
    lambda: energy.total_energy([energy.EnergyUse("coal", 1, "吨", "1", coefficient_unit="no-such-unit")]),
    lambda: energy.per_product(1, 0),
    lambda: energy.target_progress(0, 1, -10, baseline_year=2021, current_year=2024, target_year=2025),
    lambda: energy.target_progress(1, 1, -100, baseline_year=2021, current_year=2024, target_year=2025),
    lambda: energy.target_progress(1, 1, -10, baseline_year=2025, current_year=2025, target_year=2025),
    lambda: energy.target_progress(1, 0, -10, baseline_year=2021, current_year=2024, target_year=2025),
    lambda: energy.target_progress(1, 1, -10, baseline_year=2021, current_year=2026, target_year=2025),
]


@pytest.mark.parametrize("call", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_methods_that_cannot_run_say_why_in_both_languages(call):
    with pytest.raises(CalcError) as info:
        call()
    exc = info.value
    assert str(exc) == exc.en and exc.en
    assert exc.zh and exc.zh != exc.en and CJK.search(exc.zh), exc.zh
    assert exc.message == Bilingual(exc.zh, exc.en)


def test_a_missing_factor_is_explained_in_chinese_too():
    with pytest.raises(MissingInput) as info:
        combustion.fuel_combustion_co2(1, fuel="no_such_fuel", ncv=20, oxidation_pct=98)
    exc = info.value
    assert str(exc).startswith("carbon_content was not given and no factor applies: ")
    assert exc.zh.startswith("未给出单位热值含碳量（carbon_content），也没有适用的因子：")
    assert "ESG-FACTOR-009 没有适用的因子：" in exc.zh and "fuel=no_such_fuel" in exc.zh


def test_some_texts_word_for_word():
    with pytest.raises(InvalidInput) as info:
        aluminium.pfc_overvoltage(1, 1, "0.95", "CWPB", gwp_set="AR5")
    assert (info.value.zh, str(info.value)) == (
        "电流效率以百分数表示（如 95），实际为 0.95", "current efficiency is in percent (e.g. 95), found 0.95")
    with pytest.raises(InvalidInput) as info:
        Recorder().percent("oxidation_pct", Decimal(150))
    assert info.value.zh == "碳氧化率（oxidation_pct）是百分数，应在 0 到 100 之间，实际为 150"
    with pytest.raises(UnknownTechnology) as info:
        scope3.transport(1, 1, "teleport")
    assert info.value.zh == "运输方式应为 road、rail、inland_water、sea、air 之一，实际为 'teleport'"
    with pytest.raises(MixedGwpSets):
        combine([aluminium.pfc_slope(1, 1, "CWPB", gwp_set="AR5"), aluminium.pfc_slope(1, 1, "CWPB", gwp_set="AR4")])
    with pytest.raises(FactorUnitMismatch) as info:
        Recorder().take("grid_factor", _fv("carbonate.ef", carbonate="CaCO3"), "tCO2/MWh")
    assert info.value.zh.startswith("电网排放因子（grid_factor）：因子 ")


# -- the exception class ------------------------------------------------------------------------
def test_the_exception_keeps_english_as_its_text_and_carries_chinese():
    exc = MissingInput("give the NCV", zh="请给出低位发热量")
    assert str(exc) == "give the NCV" and exc.args == ("give the NCV",)
    assert exc.message == Bilingual("请给出低位发热量", "give the NCV")
    assert CalcError.message_of(exc) is not None and CalcError.message_of(exc).in_lang("zh") == "请给出低位发热量"
    again = pickle.loads(pickle.dumps(exc))
    assert (type(again), str(again), again.zh) == (MissingInput, "give the NCV", "请给出低位发热量")
    # without a Chinese text (callers outside the methods) the English stands in
    plain = CalcError("cells consume paste")
    assert plain.message == Bilingual("cells consume paste", "cells consume paste")
    p = Problem("ESG-CALC-005", Location(field="P/x"), {"entity": "P", "indicator": "x", "period": "2024",
                                                         "found": exc.message})
    assert p.message("zh") == "核算方法无法执行：P 2024 的 x：请给出低位发热量"
    assert p.message("en") == "a methodology could not run: x 2024 at P: give the NCV"


def test_every_parameter_a_method_records_has_a_chinese_name():
    names = set()
    for path in METHODS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'(?:take|take_or_lookup|nonnegative|percent|dec|_mwh|get)\((?:rec, )?f?"([^"]+)"',
                                text))
    assert len(names) > 50
    names = {n.replace("{prefix}", "diesel.") for n in names}      # energy's per-carrier names
    missing = sorted(n for n in names if zh_name(n) == n)
    assert missing == []


def test_parameter_names_read_in_chinese_with_their_code():
    assert zh_name("ncv") == "低位发热量（ncv）"
    assert zh_name("electricity.amount") == "用量（electricity.amount）"
    assert zh_name("gwp_CF4") == "CF4 的全球增温潜势（gwp_CF4）"
    assert zh_name("something_new") == "something_new"
