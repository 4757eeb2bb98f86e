"""Scope 3 category 1 by supplier (issue 3 item 2: "purchased alumina, petroleum coke, pitch,
caustic soda, by supplier-specific or default factors").

A workspace lists its material suppliers as members of the ``vendor`` dimension in its own
``library/dimensions.yaml`` and gives a supplier's cradle-to-gate factor in its ``factors/``
folder (``scope3.cat1`` with dims ``{material, supplier}``). ``purchased_material`` is then
reported by material and, where known, by supplier. The Scope 3 Standard's hybrid method: the
part bought from a supplier at that supplier's factor (or the material's default where the
supplier gave none), the rest of the material's total at the default. Hand arithmetic (2024,
the four-entity group of tests/data/ghg; illustrative default for alumina 1.2 t CO2e/t,
petroleum coke 0.4):

* potline P buys 20 000 t of alumina: 12 000 t from 靖西天桂 (code jxtg, its own footprint
  0.97 t CO2e/t), 3 000 t from another refinery (code hnzl, no factor of its own: the default
  1.2), and the remaining 5 000 t unattributed (default 1.2):
      12 000 × 0.97 + 3 000 × 1.2 + 5 000 × 1.2 = 11 640 + 3 600 + 6 000 = 21 240 t
  (all at the default it would be 24 000 t); and 1 000 t of petroleum coke with no supplier:
      1 000 × 0.4 = 400 t;  cat.1 = 21 640 t
* the smelter company S reports 100 t of alumina in all but 150 t from jxtg: inconsistent, so
  S has no cat.1 for alumina and the run says why
"""
from decimal import Decimal

import pytest

from tests.conftest import DATA, close, ghg_workspace, v, write

GHG = DATA / "ghg"
D = Decimal

VENDORS = """dimensions:
  - code: vendor
    members:
      - {code: jxtg, name: {zh: 靖西天桂, en: Jingxi Tiangui}}
      - {code: hnzl, name: {zh: 河南中铝, en: Henan refinery}}
"""
SUPPLIER_FACTORS = """set: supplier_pcf
version: "2024.1"
title: {zh: 供应商产品碳足迹, en: Supplier product footprints}
defaults:
  confidence: S
  edition: "2024"
  source: "靖西天桂 2024 product carbon footprint declaration (illustrative test data)"
factors:
  - {key: scope3.cat1, dims: {material: alumina, supplier: jxtg}, value: "0.97", unit: tCO2e/t}
"""
FACTS = """entity,indicator,period,value,unit,material,vendor
P,purchased_material,2024,20000,吨,alumina,
P,purchased_material,2024,12000,吨,alumina,靖西天桂
P,purchased_material,2024,3000,吨,alumina,hnzl
P,purchased_material,2024,1000,吨,petroleum_coke,
S,purchased_material,2024,100,吨,alumina,
S,purchased_material,2024,150,吨,alumina,jxtg
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    w = ghg_workspace(tmp_path_factory.mktemp("suppliers") / "ws", GHG / "tree.yaml", GHG / "facts.csv", FACTS,
                      files={"library/dimensions.yaml": VENDORS, "factors/suppliers.yaml": SUPPLIER_FACTORS})
    res = w.calc("2024")
    yield w, res
    w.close()


def test_supplier_factor_for_its_part_default_for_the_rest(run):
    ws, _res = run
    # 11 640 + 3 600 + 6 000 + 400 = 21 640
    assert v(ws, "P", "scope3_emissions", "scope3_category=c1") == D("21640")


def test_the_supplier_is_read_by_its_name_and_kept_as_its_code(run):
    ws, _res = run
    [f] = ws.store.current_facts(entity="P", indicator="purchased_material", period="2024",
                                 dims="material=alumina;vendor=jxtg")
    assert f.value == "12000"


def test_lineage_names_the_suppliers_factor(run):
    from sqlalchemy import select

    from esgledger.store import schema as S

    [f] = run[0].store.current_facts(entity="P", indicator="scope3_emissions", period="2024",
                                     dims="scope3_category=c1")
    with run[0].store.engine.connect() as conn:
        rows = {(r.factor_set.split("@")[0], r.value) for r in
                conn.execute(select(S.fact_factor).where(S.fact_factor.c.fact_id == f.id))}
    assert ("supplier_pcf", "0.97") in rows and ("scope3_illustrative", "1.2") in rows
    assert ("scope3_illustrative", "0.4") in rows


def test_quantities_by_supplier_above_the_total_are_refused(run):
    ws, res = run
    assert v(ws, "S", "scope3_emissions", "scope3_category=c1") is None
    [p] = [p for p in res.problems if p.code == "ESG-CALC-005" and p.params["entity"] == "S"]
    assert p.params["indicator"] == "purchased_material[material=alumina]"
    assert "150 t" in str(p.params["found"]) and "100 t" in str(p.params["found"])


def test_an_unlisted_supplier_is_an_import_error(run, tmp_path):
    ws, _res = run
    rep = ws.import_facts(write(tmp_path / "x.csv", "entity,indicator,period,value,unit,material,vendor\n"
                                                    "P,purchased_material,2024,5,吨,alumina,nobody\n"))
    assert [(p.code, p.location.line, p.location.column) for p in rep.problems] == [("ESG-IMPORT-011", 2, "vendor")]
    expected = rep.problems[0].params["expected"]  # the workspace's suppliers, with their names in zh
    assert (expected.en, expected.zh) == ("jxtg, hnzl", "jxtg（靖西天桂）、hnzl（河南中铝）")


def test_a_supplier_without_its_material_is_an_import_error(run, tmp_path):
    """A quantity by supplier means nothing without the material (vendor is within material):
    refused with the row and column, in both languages, and nothing lands."""
    ws, _res = run
    before = ws.store.count_facts()
    rep = ws.import_facts(write(tmp_path / "x.csv", "entity,indicator,period,value,unit,material,vendor\n"
                                                    "P,purchased_material,2024,5,吨,alumina,jxtg\n"
                                                    "P,purchased_material,2024,5,吨,,jxtg\n"))
    assert [(p.code, p.location.line, p.location.column) for p in rep.problems] == [("ESG-IMPORT-011", 3, "vendor")]
    assert "vendor=jxtg without material" in rep.problems[0].render("en")
    assert "缺少 material" in rep.problems[0].render("zh")
    assert not rep.written and ws.store.count_facts() == before


def test_no_supplier_listed_means_the_material_total_as_before(tmp_path):
    # without a dimensions file the vendor dimension has no members; the total takes the default
    w = ghg_workspace(tmp_path / "ws", GHG / "tree.yaml", GHG / "facts.csv",
                      "entity,indicator,period,value,unit,material\nP,purchased_material,2024,20000,吨,alumina\n")
    try:
        assert w.library.dimensions["vendor"].members == []
        w.calc("2024")
        assert close(v(w, "P", "scope3_emissions", "scope3_category=c1"), "24000")  # 20 000 × 1.2
    finally:
        w.close()


def test_validation_warns_where_the_suppliers_exceed_the_material(run):
    """ESG-VAL-005 says so before any calculation: S's 150 t from jxtg are more than its 100 t
    of alumina (P's 12 000 + 3 000 t are within its 20 000 t)."""
    ws, _res = run
    found = [p for p in ws.validate("2024") if p.code == "ESG-VAL-005"]
    assert [(str(p.location), p.params["found"], p.params["expected"]) for p in found] == [
        ("(S/purchased_material/2024/material=alumina)", "150", "100")]
    assert "vendor (material=alumina)" in found[0].render("en")
    assert "细分之和为 150" in found[0].render("zh")
