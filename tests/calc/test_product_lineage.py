"""The product view's lineage goes through the captive plant's factor (UAT: `explain` of a
footprint listed the plant's factor values but not its coal, supply or the factor itself, so an
auditor could not rebuild the figure from it).

A product stage that takes electricity from the captive plant names the plant's factor per MWh
supplied (``captive_plant_ef``, a calculated fact) among its inputs; that fact's own inputs are
the plant's coal, its measured quality, the limestone of desulphurisation and the power it
supplied. The figures without a methodology result of their own record their equation.
"""
from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import pytest
from sqlalchemy import select

from esgledger.calc.recalc import forget
from esgledger.store import schema as S
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write


@pytest.fixture
def ws(tmp_path, store_url):
    w = init_workspace(tmp_path / "ws", db=store_url, lang="en")
    assert not w.import_entities(DEMO_ENTITIES).errors
    with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
        assert w.import_facts(p).ok
    forget(w.store)
    yield w
    forget(w.store)
    w.close()


def current(ws, entity, indicator, dims=""):
    (f,) = [f for f in ws.store.current_facts(entity=entity, indicator=indicator, period="2024", basis="own")
            if f.dims == dims]
    return f


def inputs(ws, fact_id) -> dict[tuple[str, str, str], int]:
    return {(f.entity, f.indicator, f.dims): f.id for f, _role, _w in ws.store.inputs_of(fact_id)}


def test_a_footprint_reads_the_captive_plants_factor_and_through_it_the_plant(ws, tmp_path):
    ws.calc("2024")
    plant = current(ws, "TRNY", "captive_plant_ef")
    for product in ("aluminium_electrolysis", "liquid_aluminium"):
        for ind in ("product_emissions", "product_footprint"):
            f = current(ws, "TSAL", ind, f"product={product}")
            assert inputs(ws, f.id)[("TRNY", "captive_plant_ef", "")] == plant.id, (product, ind)
    # the alumina stage takes no captive electricity in the demo: no plant factor in its lineage
    alumina = current(ws, "TSAL", "product_emissions", "product=alumina")
    assert ("TRNY", "captive_plant_ef", "") not in inputs(ws, alumina.id)
    assert set(inputs(ws, plant.id)) == {
        ("TRNY", "power_supplied", ""), ("TRNY", "solid_fuel_consumption", "fuel=bituminous"),
        ("TRNY", "fuel_ncv_measured", "fuel=bituminous"), ("TRNY", "fuel_carbon_content_measured", "fuel=bituminous"),
        ("TRNY", "limestone_consumption", ""), ("TRNY", "diesel_consumption", "")}  # all it burns (UAT F10)
    # explain walks it: the footprint's tree holds the plant's coal under the plant's factor
    node = ws.explain("product_footprint", entity="TSAL", period="2024", dims="product=liquid_aluminium")
    if node.fact.basis != "own":  # the group's reported figure: its own product figure below it
        (node,) = node.children
    ef = next(n for n in node.children if n.fact.indicator == "captive_plant_ef")
    assert "solid_fuel_consumption" in {c.fact.indicator for c in ef.children}
    # equations recorded for the figures that add up other results
    with ws.store.engine.connect() as conn:
        detail = {r.fact_id: json.loads(r.detail) for r in conn.execute(select(S.fact_method))}
    liquid = current(ws, "TSAL", "product_emissions", "product=liquid_aluminium")
    assert "captive plant's factor per MWh supplied" in detail[liquid.id]["equation"]
    assert "alumina consumed" in detail[liquid.id]["equation"]
    assert detail[current(ws, "TSAL", "product_footprint", "product=alumina").id]["equation"].startswith("footprint =")
    assert detail[current(ws, "TLYX-P1", "scope1_emissions").id]["equation"].startswith("Scope 1 = Σ")
    # the plant's factor: its emissions over its supply, not its emissions' own "Σ parts"
    assert detail[plant.id]["equation"].startswith("EF = E_plant × (1 − heat share) / electricity supplied")


def test_an_incremental_run_links_the_plants_new_factor(ws, tmp_path):
    """More coal for the same supply: a new factor, and the footprints rewritten by the
    incremental run read that new revision, not the one before."""
    ws.calc("2024")
    before = current(ws, "TRNY", "captive_plant_ef")
    rep = ws.import_facts(write(tmp_path / "coal.csv", "entity,indicator,period,value,unit,fuel\n"
                                                      "TRNY,solid_fuel_consumption,2024,4700000,吨,bituminous\n"))
    assert rep.ok
    res = ws.calc("2024")
    assert res.incremental
    after = current(ws, "TRNY", "captive_plant_ef")
    assert after.id != before.id and Decimal(after.value) > Decimal(before.value)
    f = current(ws, "TSAL", "product_footprint", "product=liquid_aluminium")
    assert inputs(ws, f.id)[("TRNY", "captive_plant_ef", "")] == after.id


def test_explain_carries_each_calculated_values_equation(ws):
    ws.calc("2024")
    node = ws.explain("product_emissions", entity="TSAL", period="2024", dims="product=alumina")
    if node.fact.basis != "own":
        (node,) = node.children
    assert node.equation.startswith("E = Σ over the stage's entities")
    anode = ws.explain("emissions_by_source", entity="TLYX-P1", period="2024", dims="emission_source=anode")
    assert "IPCC 2006 Vol.3 Eq.4.21" in anode.equation  # a methodology's own equation
