"""A fuel's energy takes the NCV its CO2 takes (UAT 1 F4), and the 29.307 GJ/tce of GB/T 2589's
standard coal is in the lineage (F13).

Hand figures: the refinery R burns 1 000 t of bituminous coal with no measured NCV: its CO2 takes
the MEE default NCV 23.204 GJ/t, so its energy is 1 000 × 23.204 / 29.307 = 791.756 tce (GB/T
2589 Annex A's raw coal, 0.7143 kgce/kg, would give 714.3). The anode plant A burns 500 t of
coal with a measured NCV of 25 GJ/t: 500 × 25 / 29.307 = 426.519 tce. The refinery's 100 000 m³
of natural gas at the MEE default 389.31 GJ/10⁴Nm³ (its CO2's): 3 893.1 GJ / 29.307 = 132.839 tce,
so R's total is 791.756 + 132.839 = 924.595 tce.
"""
from decimal import Decimal

import pytest

from esgledger.store import schema as S
from esgledger.workspace import init_workspace

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding, province: 新疆, grid_region: northwest}
  - {code: R, name: {zh: 氧化铝厂, en: Refinery}, level: company, process_type: alumina_refinery, province: 广西, grid_region: south, parent: G}
  - {code: A, name: {zh: 阳极厂, en: Anode plant}, level: company, process_type: anode_plant, province: 新疆, grid_region: northwest, parent: G}
"""
FACTS = """entity,indicator,period,value,unit,fuel
R,solid_fuel_consumption,2024,1000,吨,bituminous
R,natural_gas_consumption,2024,100000,立方米,
A,solid_fuel_consumption,2024,500,吨,bituminous
A,fuel_ncv_measured,2024,25,GJ/t,bituminous
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    root = tmp_path_factory.mktemp("ncv")
    (root / "tree.yaml").write_text(TREE, encoding="utf-8")
    (root / "facts.csv").write_text(FACTS, encoding="utf-8")
    w = init_workspace(root / "ws", lang="en")
    assert not w.import_entities(root / "tree.yaml").errors
    assert w.import_facts(root / "facts.csv").ok
    w.calc("2024")
    yield w
    w.close()


def _factors(ws, entity, indicator):
    [f] = ws.store.current_facts(entity=entity, indicator=indicator, period="2024", dims="")
    with ws.store.engine.connect() as conn:
        return {r.factor_key.split("@")[0] + "/" + r.factor_key.split("/", 1)[1]: r.value for r in
                conn.execute(S.fact_factor.select().where(S.fact_factor.c.fact_id == f.id))}


def _value(ws, entity, indicator):
    return Decimal(ws.value(entity, indicator, "2024").value)


def test_energy_takes_the_default_ncv_the_co2_takes(ws):
    assert round(_value(ws, "R", "energy_consumption"), 3) == Decimal("924.595")
    assert round(_value(ws, "R", "energy_consumption_equivalent"), 3) == Decimal("924.595")  # fuels: both methods
    factors = _factors(ws, "R", "energy_consumption")
    assert factors["cn_fuels_mee/fuel.ncv[fuel=bituminous]"] == "23.204"
    assert factors["gbt2589/energy.ncv_standard_coal"] == "29.307"
    assert factors["cn_fuels_mee/fuel.ncv[fuel=natural_gas]"] == "389.31"
    assert not any(k.startswith("gbt2589/energy.sce") for k in factors)   # not Annex A's 0.7143
    # the same NCV in its CO2
    assert _factors(ws, "R", "scope1_emissions")["cn_fuels_mee/fuel.ncv[fuel=bituminous]"] == "23.204"


def test_a_measured_ncv_and_the_constant_in_the_lineage(ws):
    assert round(_value(ws, "A", "energy_consumption"), 3) == Decimal("426.519")
    factors = _factors(ws, "A", "energy_consumption")
    assert factors == {"gbt2589/energy.ncv_standard_coal": "29.307"}
