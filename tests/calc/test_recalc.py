"""Incremental recalculation equals a full one, fact by fact (issue 3), on SQLite and PostgreSQL.

The demo group's 2024 activity data is computed in full; then one input changes and the kept
run recomputes only what reads it. The ledger it leaves is compared with a fresh full run,
computed from scratch over the same inputs (new GhgRun and Consolidation, nothing kept), and
the incremental run must have written exactly the facts whose value moved.
"""
from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest

from esgledger.calc.consolidate import Consolidation
from esgledger.model.units import plain
from esgledger.calc.ghg import GhgRun
from esgledger.calc.recalc import forget, recalculate
from esgledger.model.types import FactRecord
from esgledger.workspace import init_workspace
from tests.conftest import DEMO_ENTITIES, write

PERIOD = "2024"


@pytest.fixture
def demo(tmp_path, store_url):
    ws = init_workspace(tmp_path / "ws", db=store_url, lang="en")
    assert not ws.import_entities(DEMO_ENTITIES).errors
    with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
        assert ws.import_facts(p, status="approved").ok
    forget(ws.store)
    yield ws
    forget(ws.store)
    ws.close()


def run(ws, *, full=False, approach="control"):
    return recalculate(ws.store, ws.library, ws.tree, ws.factors, PERIOD, approach, gwp_set="AR5", full=full,
                       note="test")


def ledger(ws, approach="control") -> dict[tuple[str, str, str, str], FactRecord]:
    """The current calculated facts of the period (own and ``approach`` basis)."""
    return {(f.entity, f.indicator, f.dims, f.basis): f
            for f in ws.store.current_facts(period=PERIOD, basis=None)
            if f.status == "calculated" and f.basis in ("own", approach)}


def fresh_full(ws, approach="control") -> dict[tuple[str, str, str, str], str]:
    """Every calculated value, computed from the inputs alone by new run objects."""
    return {k: v for k, (v, _c) in _fresh(ws, approach).items()}


def fresh_marks(ws, approach="control") -> dict[tuple[str, str, str, str], str]:
    """The incomplete marks (calc/incomplete.py) a fresh full calculation gives, by key."""
    return {k: c for k, (_v, c) in _fresh(ws, approach).items() if c}


def marks(ws, approach="control") -> dict[tuple[str, str, str, str], str]:
    return {k: f.comment for k, f in ledger(ws, approach).items() if f.comment}


def _fresh(ws, approach):
    inputs = [f for f in ws.store.current_facts(period=PERIOD, basis="own") if f.status != "calculated"]
    g = GhgRun(ws.store, ws.library, ws.tree, ws.factors, PERIOD, gwp_set="AR5", facts=inputs).run(write=False)
    out = {(o.entity, o.indicator, o.dims, "own"): (plain(o.value), o.comment) for o in g.outputs}
    ghg_facts = [FactRecord(e, i, PERIOD, d, v, ws.library[i].unit, "own", status="calculated", comment=c)
                 for (e, i, d, _b), (v, c) in out.items()]
    cons = Consolidation(ws.store, ws.library, ws.tree, PERIOD, approach, facts=inputs + ghg_facts)
    cons.run(write=False)
    out.update({k: (v.text, v.mark) for k, v in cons.computed.items()})
    return out


def change(ws, tmp_path, row: str, dim: str = "") -> None:
    text = f"entity,indicator,period,value,unit{',' + dim if dim else ''}\n{row}\n"
    rep = ws.import_facts(write(tmp_path / "change.csv", text), status="approved")
    assert rep.ok, rep.problems.flat()


def marked_incrementally(ws, tmp_path, row: str, left_out: tuple[str, str, str]) -> dict:
    """Change one input so that ``left_out`` (entity, source, code) cannot be computed, run
    incrementally, check the values and the marks against a fresh full run; the marks."""
    change(ws, tmp_path, row)
    inc = run(ws)
    assert inc.incremental and inc.ghg.left_out == [left_out]
    assert {k: f.value for k, f in ledger(ws).items()} == fresh_full(ws)
    got = marks(ws)
    assert got == fresh_marks(ws)
    return got


def _stored(ws, *tables: str) -> tuple[int, ...]:
    with ws.store.engine.connect() as conn:
        return tuple(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables)


def check_incremental(ws, tmp_path, row, dim="", same_uses=False, approach="control"):
    """Change one input, run incrementally, compare; returns the keys the run rewrote.
    ``same_uses``: the run stores no method use or factor value (it only moved values)."""
    first = run(ws, full=True, approach=approach)
    assert not first.incremental and first.written > 0
    uses = _stored(ws, "method_use", "factor_value")
    before = {k: f.value for k, f in ledger(ws, approach).items()}
    assert before == fresh_full(ws, approach)
    change(ws, tmp_path, row, dim)
    inc = run(ws, approach=approach)
    assert inc.incremental
    after = ledger(ws, approach)
    expected = fresh_full(ws, approach)
    # fact by fact: every value the fresh full run computes is in the ledger, and nothing else,
    # with the same incomplete marks
    assert {k: f.value for k, f in after.items()} == expected
    assert marks(ws, approach) == fresh_marks(ws, approach)
    # it wrote exactly the facts whose value moved, nothing for the unchanged ones
    moved = {k for k, v in expected.items() if before.get(k) != v}
    rewritten = {k for k, f in after.items() if f.batch in (inc.batch_id, inc.ghg.batch_id if inc.ghg else None)}
    assert rewritten == moved and moved
    if same_uses:
        assert _stored(ws, "method_use", "factor_value") == uses
    # and a full recalculation afterwards finds nothing to change
    again = run(ws, full=True, approach=approach)
    assert again.written == 0 and (again.ghg.written if again.ghg else 0) == 0
    return moved


def test_fuel_at_one_plant(demo, tmp_path):
    # another quantity of gas, the same equations and factors: the facts rewritten point at the
    # method uses and factor values stored for their first revisions; none is stored again
    moved = check_incremental(demo, tmp_path, "JXTG,natural_gas_consumption,2024,15000000,立方米",
                              same_uses=True)
    # the refinery's combustion, Scope 1, Scope 3 (well-to-tank of the gas) and energy move, and
    # above it the group's totals and the alumina and liquid-aluminium footprints; the potlines
    # and the captive plant do not
    assert ("JXTG", "emissions_by_source", "emission_source=combustion", "own") in moved
    assert ("JXTG", "energy_consumption", "", "own") in moved
    assert ("TSAL", "scope1_emissions", "", "control") in moved
    assert ("TSAL", "product_footprint", "product=alumina", "own") in moved
    # and the refinery's energy per tonne of alumina, at the plant and for the stage
    assert ("JXTG", "energy_intensity_product", "product=alumina", "own") in moved
    assert ("TSAL", "energy_intensity_product", "product=alumina", "own") in moved
    assert not {k for k in moved if k[0] in ("TLYX-P1", "TLYX-P2", "TRNY")}


def test_captive_plant_coal_reaches_the_potlines(demo, tmp_path):
    moved = check_incremental(demo, tmp_path, "TRNY,solid_fuel_consumption,2024,4700000,吨,bituminous", "fuel")
    # more coal for the same MWh supplied: a higher factor per MWh, passed on to the potlines'
    # electricity in the product view (electrolysis and liquid aluminium footprints)
    assert ("TRNY", "captive_plant_ef", "", "own") in moved
    assert ("TRNY", "ets_emissions", "", "own") in moved
    assert ("TSAL", "product_footprint", "product=aluminium_electrolysis", "own") in moved
    assert ("TSAL", "product_footprint", "product=liquid_aluminium", "own") in moved
    assert ("TLYX", "scope1_emissions", "", "control") in moved


def test_electricity_fact(demo, tmp_path):
    moved = check_incremental(demo, tmp_path, "TLYX-P1,electricity_received,2024,600000,兆瓦时,grid", "supplier")
    assert ("TLYX-P1", "scope2_location", "", "own") in moved
    assert ("TLYX", "ets_aux_electricity", "", "own") in moved
    assert ("TSAL", "scope2_location", "", "control") in moved
    # the potline's direct emissions do not read its electricity; its energy per tonne does
    assert ("TLYX-P1", "scope1_emissions", "", "own") not in moved
    assert ("TLYX-P1", "energy_intensity_product", "product=aluminium_electrolysis", "own") in moved
    assert ("TLYX-P2", "energy_intensity_product", "product=aluminium_electrolysis", "own") not in moved


def test_foil_follows_the_metal_it_takes_in_and_the_liquid_aluminium(demo, tmp_path):
    """The demo publishes no foil output: a foil mill (XRLB) that reports 10 万吨 of foil from
    105 000 t of metal. Its metal changing moves the foil figures only; the potline's alumina
    changing moves liquid aluminium, and foil through it (its metal at that footprint)."""
    change(demo, tmp_path, "XRLB,aluminium_foil_output,2024,10,万吨")
    change(demo, tmp_path, "XRLB,foil_metal_input,2024,105000,吨")
    foil, liquid = (("TSAL", "product_footprint", f"product={p}", "own") for p in ("foil", "liquid_aluminium"))
    moved = check_incremental(demo, tmp_path, "XRLB,foil_metal_input,2024,106000,吨")
    assert foil in moved and liquid not in moved
    before = {k: f.value for k, f in ledger(demo).items()}
    change(demo, tmp_path, "TLYX-P1,alumina_consumption,2024,1135000,吨")
    assert run(demo).incremental
    after = {k: f.value for k, f in ledger(demo).items()}
    assert after == fresh_full(demo)
    assert {k for k in after if after[k] != before.get(k)} >= {foil, liquid}


@pytest.mark.parametrize("row,dim", [
    ("TSAL,operating_revenue,2024,2900000,万元", ""),                    # formulas only, at the root
    ("TRNY,employees,2024,120,人,female", "gender"),                     # a dimensioned formula's input
    ("TLYX-P1,anode_effect_minutes,2024,0.05,AE-min/cell-day", ""),      # a weighted mean and PFC
    ("TLYX-P2,aluminium_output,2024,590000,吨", ""),                     # its weight, and the product view
    ("JXTG,alumina_output,2024,230.5,万吨", ""),                         # a stage's output and its per-tonne formula
    ("XRLB,diesel_consumption,2024,15000,升", ""),                       # a site under a company
    ("TLYX-P1,electricity_received,2024,6200000,兆瓦时,captive", "supplier"),  # the captive plant's supply
    ("NJTS,waste_recycled,2024,11000,吨,general", "waste_class"),         # a dimensioned ratio's input
])
def test_one_row_changes_equal_a_full_run(demo, tmp_path, row, dim):
    """Incremental runs recompute only the formulas that read a key that moved (by dimension key
    for formulas without dimensions) and the sources and stages a change reaches: whatever the
    row, the ledger equals a fresh full calculation and exactly the moved facts are rewritten."""
    check_incremental(demo, tmp_path, row, dim)


def test_consecutive_incremental_runs_stay_equal_to_a_full_run(demo, tmp_path):
    """One kept state through many changes in a row (what it remembers of each stage, source
    and formula must follow every change, and a change back), each compared with a fresh full
    calculation."""
    run(demo, full=True)
    for row, dim in [("JXTG,natural_gas_consumption,2024,15000000,立方米", ""),
                     ("TLYX-P2,aluminium_output,2024,590000,吨", ""),
                     ("JXTG,natural_gas_consumption,2024,16000000,立方米", ""),
                     ("TRNY,solid_fuel_consumption,2024,4700000,吨,bituminous", "fuel"),
                     ("YDTS,anode_output,2024,0,万吨", ""),
                     ("TSAL,operating_revenue,2024,2900000,万元", ""),
                     ("YDTS,anode_output,2024,30,万吨", ""),
                     ("JXTG,natural_gas_consumption,2024,15000000,立方米", "")]:
        change(demo, tmp_path, row, dim)
        inc = run(demo)
        assert inc.incremental
        assert {k: f.value for k, f in ledger(demo).items()} == fresh_full(demo), row
    again = run(demo, full=True)
    assert again.written == 0 and again.ghg.written == 0 and not again.withdrawn and not again.ghg.withdrawn


# UAT 1, F1: NJTS held 100 % until 2024-07-01, 40 % after (control kept); YDTS held 100 % with
# control until 2024-07-01, then 40 % without control. Each membership counts for its own days.
MID_YEAR_TREE = """entities:
  - code: NJTS
    name: {zh: 南疆碳素, en: Nanjiang Carbon (anode plant)}
    level: company
    process_type: anode_plant
    province: 新疆
    grid_region: northwest
    memberships:
      - {parent: TSAL, equity_share: 100, operational_control: true, valid_to: 2024-07-01}
      - {parent: TSAL, equity_share: 40, operational_control: true, valid_from: 2024-07-01}
    attrs: {city: 阿拉尔, capacity_kt: "300"}
  - code: YDTS
    name: {zh: 盈达碳素, en: Yingda Carbon (anode plant)}
    level: company
    process_type: anode_plant
    province: 新疆
    grid_region: northwest
    memberships:
      - {parent: TLYX, equity_share: 100, operational_control: true, valid_to: 2024-07-01}
      - {parent: TLYX, equity_share: 40, operational_control: false, valid_from: 2024-07-01}
    attrs: {city: 石河子, capacity_kt: "300"}
"""


@pytest.mark.parametrize("approach,row,dim", [
    ("control", "YDTS,diesel_consumption,2024,90000,升", ""),   # control given up in mid-year
    ("equity", "YDTS,diesel_consumption,2024,90000,升", ""),
    ("equity", "NJTS,natural_gas_consumption,2024,7000000,立方米", ""),  # share cut in mid-year
])
def test_a_mid_year_change_of_share_or_control_equals_a_full_run(demo, tmp_path, approach, row, dim):
    """With memberships changed inside the period, the incremental run still equals a full one,
    and the changed plant's parent moves with it (its weight is the days under control, or the
    day-weighted share, never 0 or the last share for the whole year)."""
    assert not demo.import_entities(write(tmp_path / "tree.yaml", MID_YEAR_TREE)).errors
    entity = row.split(",", 1)[0]
    parent = {"YDTS": "TLYX", "NJTS": "TSAL"}[entity]
    moved = check_incremental(demo, tmp_path, row, dim, approach=approach)
    assert (parent, "scope1_emissions", "", approach) in moved
    assert ("TSAL", "scope1_emissions", "", approach) in moved
    # no ESG-CALC-007 in a full run: the control basis keeps YDTS's half year at TLYX
    again = run(demo, full=True, approach=approach)
    assert not again.withdrawn


# and two levels of one path changing in the same year: TSAL holds TLYX 100 % until 2024-10-01,
# 70 % after, while YDTS leaves TLYX's control on 2024-07-01 (the consolidation adds, at TSAL,
# the difference between the share held day by day and the product of the two levels' weights)
TWO_LEVEL_TREE = MID_YEAR_TREE + """  - code: TLYX
    name: {zh: 天铝有限, en: Tianlu Co. Ltd. (smelter)}
    level: company
    process_type: smelter
    province: 新疆
    grid_region: northwest
    memberships:
      - {parent: TSAL, equity_share: 100, operational_control: true, valid_to: 2024-10-01}
      - {parent: TSAL, equity_share: 70, operational_control: true, valid_from: 2024-10-01}
    attrs: {city: 石河子, capacity_kt: "1200"}
"""


@pytest.mark.parametrize("approach,row,dim", [
    ("equity", "YDTS,diesel_consumption,2024,90000,升", ""),
    ("equity", "TLYX-P2,aluminium_output,2024,590000,吨", ""),
    ("control", "YDTS,diesel_consumption,2024,90000,升", ""),
])
def test_two_levels_changing_in_one_year_equal_a_full_run(demo, tmp_path, approach, row, dim):
    assert not demo.import_entities(write(tmp_path / "tree.yaml", TWO_LEVEL_TREE)).errors
    moved = check_incremental(demo, tmp_path, row, dim, approach=approach)
    assert ("TSAL", "scope1_emissions", "", approach) in moved


def test_a_non_ghg_input_and_no_change(demo, tmp_path):
    run(demo, full=True)
    nothing = run(demo)
    assert (nothing.incremental, nothing.computed, nothing.written) == (True, 0, 0)
    before = {k: f.value for k, f in ledger(demo).items()}
    change(demo, tmp_path, "NJTS,employees,2024,130,人,female", "gender")
    inc = run(demo)
    assert inc.incremental and inc.ghg is None  # no methodology reads head counts
    after = {k: f.value for k, f in ledger(demo).items()}
    assert after == fresh_full(demo)
    assert {k for k in after if before.get(k) != after[k]} == {
        k for k, f in ledger(demo).items() if f.batch == inc.batch_id}


def test_another_runs_calculations_force_a_full_run(demo, tmp_path):
    run(demo, full=True)
    change(demo, tmp_path, "JXTG,natural_gas_consumption,2024,15000000,立方米")
    forget(demo.store)  # a new process: it runs in full, and this state did not see it
    other = run(demo)
    assert not other.incremental
    change(demo, tmp_path, "JXTG,natural_gas_consumption,2024,16000000,立方米")
    assert run(demo).incremental
    assert {k: f.value for k, f in ledger(demo).items()} == fresh_full(demo)


def test_lineage_of_rewritten_facts_names_the_new_input(demo, tmp_path):
    run(demo, full=True)
    [old_gas] = demo.store.current_facts(entity="JXTG", indicator="natural_gas_consumption", period=PERIOD)
    change(demo, tmp_path, "JXTG,natural_gas_consumption,2024,15000000,立方米")
    run(demo)
    [gas] = demo.store.current_facts(entity="JXTG", indicator="natural_gas_consumption", period=PERIOD)
    [comb] = demo.store.current_facts(entity="JXTG", indicator="emissions_by_source", period=PERIOD,
                                      dims="emission_source=combustion")
    ids = [inp.id for inp, _r, _w in demo.store.inputs_of(comb.id)]
    assert gas.id in ids and old_gas.id not in ids
    [group] = demo.store.current_facts(entity="TSAL", indicator="scope1_emissions", period=PERIOD,
                                       basis="control", dims="")
    by_entity = {inp.entity: inp for inp, _r, _w in demo.store.inputs_of(group.id)}
    [jxtg] = demo.store.current_facts(entity="JXTG", indicator="scope1_emissions", period=PERIOD, dims="")
    assert by_entity["JXTG"].id == jxtg.id
    # every lineage link resolves to a stored fact
    assert all(inp is not None for inp, _r, _w in demo.store.inputs_of(group.id))
    assert Decimal(group.value) > 0


def _lineage(ws, keys) -> dict:
    """For the current calculated facts of ``keys``: their inputs (by key and value, with role
    and weight), method rows and factor rows — what a run records beside each value."""
    from sqlalchemy import select

    from esgledger.store import schema as S

    facts = {k: f for k, f in ledger(ws).items() if k in keys}
    by_id = {f.id: k for k, f in facts.items()}
    fi, fm, ff, fa = S.fact_input.c, S.fact_method.c, S.fact_factor.c, S.fact.c
    out: dict = {k: ([], [], []) for k in facts}
    ids = sorted(by_id)
    with ws.store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in conn.execute(select(fi.fact_id, fa.entity, fa.indicator, fa.dims, fa.basis, fa.value,
                                         fi.role, fi.weight)
                                  .join(S.fact, fa.id == fi.input_fact_id).where(fi.fact_id.in_(chunk))):
                out[by_id[r[0]]][0].append(tuple(r[1:]))
            for r in conn.execute(select(fm.fact_id, fm.method, fm.version, fm.view, fm.gwp_set, fm.detail)
                                  .where(fm.fact_id.in_(chunk))):
                out[by_id[r[0]]][1].append(tuple(r[1:]))
            for r in conn.execute(select(ff.fact_id, ff.factor_set, ff.factor_key, ff.edition, ff.value, ff.unit,
                                         ff.source, ff.confidence).where(ff.fact_id.in_(chunk))):
                out[by_id[r[0]]][2].append(tuple(r[1:]))
    return {k: tuple(sorted(v) for v in rows) for k, rows in out.items()}


@pytest.mark.parametrize("row,dim", [
    ("JXTG,natural_gas_consumption,2024,15000000,立方米", ""),          # a GHG input at the refinery
    ("TRNY,solid_fuel_consumption,2024,4700000,吨,bituminous", "fuel"),  # the captive plant's coal
    ("NJTS,employees,2024,130,人,female", "gender"),                     # an input no method reads
])
def test_lineage_factor_and_method_rows_equal_a_full_run(demo, tmp_path, row, dim):
    """The rows an incremental run records beside each fact it rewrites (fact_input, fact_method,
    fact_factor) equal those a full run from scratch records for the same facts."""
    run(demo, full=True)
    before = {k: f.value for k, f in ledger(demo).items()}
    change(demo, tmp_path, row, dim)
    inc = run(demo)
    assert inc.incremental
    moved = {k for k, f in ledger(demo).items() if before.get(k) != f.value}
    assert moved
    got = _lineage(demo, moved)
    # the same inputs, computed from scratch in a second ledger by a full run
    ref = init_workspace(tmp_path / "ref", lang="en")
    try:
        assert not ref.import_entities(DEMO_ENTITIES).errors
        with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
            assert ref.import_facts(p, status="approved").ok
        change(ref, tmp_path, row, dim)
        forget(ref.store)
        assert not run(ref, full=True).incremental
        want = _lineage(ref, moved)
    finally:
        forget(ref.store)
        ref.close()
    assert set(want) == moved
    assert got == want


def test_a_withdrawn_input_takes_its_results_with_it(demo, tmp_path):
    """The anode plant YDTS's output withdrawn: its anode-plant results and the baked-anode
    product figures cannot be computed any more. The next run (a full one: the kept state
    cannot vouch for a withdrawal) withdraws them, recomputes the rest, and the ledger then
    equals a fresh full calculation from the inputs alone."""
    first = run(demo, full=True)
    assert first.written > 0
    before = ledger(demo)
    assert ("YDTS", "energy_intensity_product", "product=baked_anode", "own") in before
    demo.withdraw_facts([("YDTS", "anode_output", PERIOD, "")], reason="test")
    res = run(demo)
    assert not res.incremental
    after = ledger(demo)
    assert {k: f.value for k, f in after.items()} == fresh_full(demo)
    gone = set(before) - set(after)
    assert ("YDTS", "energy_intensity_product", "product=baked_anode", "own") in gone
    withdrawn = {(f.entity, f.indicator, f.dims, f.basis) for f in res.withdrawn + res.ghg.withdrawn}
    assert withdrawn == gone
    # the following runs find nothing to do, incrementally and in full
    assert run(demo).written == 0
    again = run(demo, full=True)
    assert again.written == 0 and again.ghg.written == 0 and not again.withdrawn and not again.ghg.withdrawn


def test_an_input_changed_so_a_result_cannot_be_computed_withdraws_it_incrementally(demo, tmp_path):
    """The anode plant YDTS's output set to 0 (not withdrawn): its energy per tonne of baked
    anode (kgce/t = energy ÷ output) and the group's baked-anode figures per tonne cannot be
    computed any more. The incremental run withdraws exactly what a full run from the inputs
    no longer has, says so (ESG-CALC-007), and a full run afterwards changes nothing."""
    first = run(demo, full=True)
    before = ledger(demo)
    key = ("YDTS", "energy_intensity_product", "product=baked_anode", "own")
    assert key in before
    change(demo, tmp_path, f"YDTS,anode_output,{PERIOD},0,万吨")
    inc = run(demo)
    assert inc.incremental
    after = ledger(demo)
    expected = fresh_full(demo)
    assert key not in expected
    assert {k: f.value for k, f in after.items()} == expected
    gone = set(before) - set(after)
    assert key in gone
    withdrawn = {(f.entity, f.indicator, f.dims, f.basis) for f in inc.withdrawn + inc.ghg.withdrawn}
    assert withdrawn == gone
    said = {(p.params["entity"], p.params["indicator"]) for p in inc.problems if p.code == "ESG-CALC-007"}
    assert {(e, i) for e, i, _d, _b in gone} <= said
    # why: the packing coke it reports consumed has no rate per tonne of anode baked, and the
    # energy per tonne has a zero denominator
    why = {p.params["indicator"]: p for p in inc.problems if p.code == "ESG-CALC-005" and p.params["entity"] == "YDTS"}
    assert set(why) == {"packing_coke_consumption", "energy_intensity_product"}
    assert "0 t" in why["packing_coke_consumption"].render("en")
    assert "0 吨" in why["packing_coke_consumption"].render("zh")
    again = run(demo, full=True)
    assert again.written == 0 and again.ghg.written == 0 and not again.withdrawn and not again.ghg.withdrawn


def test_a_potline_at_a_standstill_with_anodes_consumed_is_a_warning_not_a_crash(demo, tmp_path):
    """Aluminium output 0 at the smelter TSAL-P1 while it reports net anode consumption (a
    month at a standstill, a correction): the prebake equation (per tonne of aluminium) cannot
    run; the run says so (ESG-CALC-005) and computes everything else."""
    smelter = next(e for e, i, *_ in _facts_of(demo, "net_anode_consumption"))
    change(demo, tmp_path, f"{smelter},aluminium_output,{PERIOD},0,万吨")
    res = run(demo, full=True)
    why = [p for p in res.problems if p.code == "ESG-CALC-005" and p.params["indicator"] == "net_anode_consumption"]
    assert [p.params["entity"] for p in why] == [smelter]
    assert "per tonne of aluminium" in why[0].render("en") and "吨铝阳极净耗" in why[0].render("zh")
    assert res.written > 0
    assert {k: f.value for k, f in ledger(demo).items()} == fresh_full(demo)


def test_a_source_that_cannot_run_marks_the_same_totals_incrementally_and_in_full(demo, tmp_path):
    """The potline TLYX-P1 at a standstill (aluminium output 0 t) while it reports anodes
    consumed: its prebake anode CO2 cannot be computed (ESG-CALC-005). The incremental run marks
    exactly the totals a fresh full run marks — the line's Scope 1 (and by gas), the smelter
    enterprise's ETS emissions, the electrolysis and liquid-aluminium footprints and every
    consolidated figure above them — and only the facts whose value or mark moved are rewritten;
    the output back at its value takes the marks away again, incrementally too."""
    run(demo, full=True)
    assert marks(demo) == {}                                   # the demo leaves nothing out
    original = next(f for f in demo.store.current_facts(period=PERIOD, entity="TLYX-P1", indicator="aluminium_output"))
    got = marked_incrementally(demo, tmp_path, f"TLYX-P1,aluminium_output,{PERIOD},0,万吨",
                               ("TLYX-P1", "anode", "ESG-CALC-005"))
    mark = "incomplete: TLYX-P1/anode (ESG-CALC-005)"
    for key in [("TLYX-P1", "scope1_emissions", "", "own"), ("TLYX", "ets_emissions", "", "own"),
                ("TSAL", "product_footprint", "product=aluminium_electrolysis", "own"),
                ("TSAL", "product_footprint", "product=liquid_aluminium", "own"),
                ("TLYX", "scope1_emissions", "", "control"), ("TSAL", "scope1_emissions", "", "control"),
                *[(e, "emissions_by_source", "emission_source=anode", b)   # the anode's row (0) and above
                  for e, b in (("TLYX-P1", "own"), ("TLYX", "control"), ("TSAL", "control"))]]:
        assert got.get(key) == mark, key
    # what does not read the potline's sources stays unmarked
    assert ("TLYX-P2", "scope1_emissions", "", "own") not in got
    assert ("TLYX-P1", "scope2_location", "", "own") not in got
    assert ("TSAL", "product_footprint", "product=alumina", "own") not in got
    change(demo, tmp_path, f"TLYX-P1,aluminium_output,{PERIOD},{original.value},{original.unit}")
    back = run(demo)
    assert back.incremental and not back.ghg.left_out
    assert marks(demo) == {} == fresh_marks(demo)
    assert {k: f.value for k, f in ledger(demo).items()} == fresh_full(demo)
    again = run(demo, full=True)
    assert again.written == 0 and again.ghg.written == 0


def _facts_of(ws, indicator):
    return sorted((f.entity, f.indicator, f.value) for f in ws.store.current_facts(period=PERIOD, indicator=indicator))


def test_a_full_standstill_emits_nothing_and_warns_of_nothing(demo, tmp_path):
    """No metal and no anode consumed at a smelter, no anode baked and no packing coke at the
    anode plant: the anode and packing-coke emissions are 0 t (0 × anything), not a warning
    about a rate per tonne that nothing needs."""
    smelter = next(e for e, _i, _v in _facts_of(demo, "net_anode_consumption"))
    for row in (f"{smelter},aluminium_output,{PERIOD},0,万吨", f"{smelter},net_anode_consumption,{PERIOD},0,吨",
                f"YDTS,anode_output,{PERIOD},0,万吨", f"YDTS,packing_coke_consumption,{PERIOD},0,吨"):
        change(demo, tmp_path, row)
    res = run(demo, full=True)
    assert not [p for p in res.problems if p.code == "ESG-CALC-005"
                and p.params["indicator"] in ("net_anode_consumption", "packing_coke_consumption")]
    got = ledger(demo)
    assert got[(smelter, "emissions_by_source", "emission_source=anode", "own")].value == "0"
    assert got[("YDTS", "emissions_by_source", "emission_source=packing_coke", "own")].value == "0"
    assert {k: f.value for k, f in got.items()} == fresh_full(demo)


def test_a_run_that_changes_nothing_writes_nothing_not_even_a_batch(demo):
    """docs/cli.md: 'a run that changes nothing writes nothing' — a full run after a full run
    left two empty batches behind each time (UAT)."""
    run(demo, full=True)
    before = _stored(demo, "batch", "fact")
    again = run(demo, full=True)
    assert (again.written, again.ghg.written, again.batch_id, again.ghg.batch_id) == (0, 0, None, None)
    assert _stored(demo, "batch", "fact") == before


# -- two captive plants (tests/calc/test_captive_plants.py): each potline's captive electricity
# at the factor of the plant that supplies it, so a change at one plant must recompute the
# product figures of the units it supplies, and only what it reaches
@pytest.fixture
def two_plants(tmp_path, store_url):
    from tests.calc.test_captive_plants import FACTS, TREE, untied

    def make(tied: bool = True, facts: str = FACTS):
        ws = init_workspace(tmp_path / "ws", db=store_url, lang="en")
        made.append(ws)
        assert not ws.import_entities(write(tmp_path / "tree.yaml", TREE if tied else untied(TREE))).errors
        rep = ws.import_facts(write(tmp_path / "facts.csv", facts), status="approved")
        assert rep.ok, rep.problems.flat()
        forget(ws.store)
        return ws

    made: list = []
    yield make
    for ws in made:
        forget(ws.store)
        ws.close()


def test_a_change_at_one_of_two_plants_reaches_the_units_it_supplies(two_plants, tmp_path):
    """More coal at W2 (900 t instead of 800: 900 × 20 × 0.025 × 0.99 × 44/12 = 1633.5 t, its
    factor (1633.5 + 22) / 2000 = 0.82775 t/MWh): W2's factor and the electrolysis figure move,
    P2's 1000 MWh now at 827.75 t (31413.986633 − 737 + 827.75 = 31504.736633 t); W1's factor
    and the Xinjiang entities' own figures do not."""
    ws = two_plants()
    moved = check_incremental(ws, tmp_path, "W2,solid_fuel_consumption,2024,900,吨,bituminous", "fuel")
    assert ("W2", "captive_plant_ef", "", "own") in moved
    assert ("G", "product_emissions", "product=aluminium_electrolysis", "own") in moved
    assert ("W1", "captive_plant_ef", "", "own") not in moved
    assert not {k for k in moved if k[0] in ("P1", "W1", "S1")}
    [f] = ws.store.current_facts(entity="G", indicator="product_emissions", period=PERIOD,
                                 dims="product=aluminium_electrolysis")
    assert round(Decimal(f.value), 5) == Decimal("31504.73663")


def test_a_second_plant_starting_to_supply_makes_the_unnamed_units_incomplete(two_plants, tmp_path):
    """P1 names no plant; W2 has reported its coal but not yet the power it supplied, so W1 is
    the only plant supplying and P1 takes its factor (P2 names W2: left out, ESG-CALC-011).
    W2's power_supplied arriving makes two: P1's 1000 MWh are then left out (ESG-CALC-017, the
    figure marked incomplete) and P2's counted at W2's 0.737. The incremental run equals a full
    one, marks included: 2 × 14884.743317 + 737 = 30506.486633 t."""
    from tests.calc.test_captive_plants import FACTS

    ws = two_plants(tied=False, facts=FACTS.replace("W2,power_supplied,2024,2000,兆瓦时,,\n", ""))
    moved = check_incremental(ws, tmp_path, "W2,power_supplied,2024,2000,兆瓦时")
    key = ("G", "product_emissions", "product=aluminium_electrolysis", "own")
    assert key in moved and key in marks(ws)
    assert round(Decimal(ledger(ws)[key].value), 5) == Decimal("30506.48663")


def test_an_energy_use_that_cannot_convert_marks_the_same_totals_incrementally_and_in_full(tmp_path, store_url):
    """The workspace's own factor file gives heat the coefficient of steam per kg (0.1286
    kgce/kg) and the potline TLYX-P1 then reports 500 GJ of heat bought: GJ × kgce/kg is not
    energy, so its heat does not convert to standard coal (ESG-CALC-005). The incremental run
    marks exactly what a fresh full run marks — the line's energy totals by both methods and its
    heat figure (0), and the company's and the group's above them; the line's and the
    electrolysis stage's energy per tonne of aluminium, of what converts — and leaves unmarked
    what does not read the heat: the line's electricity, the other potline, and its Scope 2 (the
    heat's CO2 is at the heat factor per GJ). A full run afterwards finds nothing to rewrite."""
    (tmp_path / "ws" / "factors").mkdir(parents=True)
    write(tmp_path / "ws" / "factors" / "steam.yaml", 'set: park_steam\nversion: "2024.1"\n'
          "title: {zh: 园区蒸汽折标系数, en: Park steam coefficient}\n"
          "defaults: {confidence: S, edition: park steam contract 2024, source: test data}\n"
          'factors:\n  - {key: energy.sce, dims: {carrier: heat}, value: "0.1286", unit: kgce/kg}\n')
    ws = init_workspace(tmp_path / "ws", db=store_url, lang="en")
    try:
        assert not ws.import_entities(DEMO_ENTITIES).errors
        with resources.as_file(resources.files("esgledger.demo").joinpath("data", "facts-2024.csv")) as p:
            assert ws.import_facts(p, status="approved").ok
        forget(ws.store)
        run(ws, full=True)
        assert marks(ws) == {}                                  # the demo buys no heat
        got = marked_incrementally(ws, tmp_path, f"TLYX-P1,purchased_heat,{PERIOD},500,吉焦",
                                   ("TLYX-P1", "energy:heat", "ESG-CALC-005"))
        mark = "incomplete: TLYX-P1/energy:heat (ESG-CALC-005)"
        # the totals and heat figures by both methods, the group's energy per output value, and
        # the energy per tonne of aluminium of the line and of the stage (at the root)
        stage = "product=aluminium_electrolysis"
        assert got == {(e, i, d, b): mark for i in ("energy_consumption", "energy_consumption_equivalent")
                       for d in ("", "fuel=heat") for e, b in (("TLYX-P1", "own"), ("TLYX", "control"),
                                                                ("TSAL", "control"))} | {
            ("TSAL", "energy_intensity_output_value", "", "control"): mark,
            ("TLYX-P1", "energy_intensity_product", stage, "own"): mark,
            ("TSAL", "energy_intensity_product", stage, "own"): mark,
            ("TSAL", "energy_intensity_product", stage, "control"): mark}
        assert ("TLYX-P1", "energy_consumption", "fuel=electricity", "own") not in got
        assert ("TLYX-P2", "energy_consumption", "", "own") not in got
        assert ("TLYX-P1", "scope2_location", "", "own") not in got
        again = run(ws, full=True)
        assert again.written == 0 and again.ghg.written == 0
    finally:
        forget(ws.store)
        ws.close()


def test_a_full_run_gives_the_collector_back_as_it_found_it(demo, monkeypatch):
    """A full run pauses the cyclic garbage collector while it builds its state (store.ledger.
    gc_paused); after the run, and after a run that fails, it is on again."""
    import gc

    seen = []
    real = GhgRun.run

    def spy(self, *a, **k):
        seen.append(gc.isenabled())
        return real(self, *a, **k)

    monkeypatch.setattr(GhgRun, "run", spy)
    assert gc.isenabled()
    run(demo, full=True)
    assert seen == [False] and gc.isenabled()

    def fails(self, *a, **k):
        raise RuntimeError("a methodology failed")

    monkeypatch.setattr(GhgRun, "run", fails)
    with pytest.raises(RuntimeError):
        run(demo, full=True)
    assert gc.isenabled()
