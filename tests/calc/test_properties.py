"""Property tests of the calculation engine (issue 3's acceptance, A3-M3).

1. Where a method is linear in its activity data, consolidating then computing equals computing
   then consolidating: on a random small tree (a group G, a holding company C under it, 2–4
   plants under G or C, each link with a random equity share and control), with random diesel
   (fuel combustion: litres × density × NCV × carbon content × oxidation × 44/12) and grid
   electricity (Scope 2 location-based: MWh × the grid factor of the plants' one region), the
   group's consolidated Scope 1 and Scope 2 (the engine: each plant computed, then consolidated)
   equal the method run once on the activity data consolidated by hand (Σ weight × amount, the
   weight the product of the links' equity shares, or 1 along controlled links and 0 else).
   Scope 2 is compared exactly; Scope 1 to 1e-18 t, as 44/12 does not terminate in decimal and
   each way rounds it once at 34 significant digits.
2. Every calculated fact's lineage resolves: its inputs are facts of the ledger, and every
   factor value it cites is a value of the factor library, with the same set and version, key,
   value and unit.
"""
from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from esgledger.calc.methods import combustion as m_comb
from esgledger.calc.methods import electricity as m_elec
from esgledger.store import schema as S
from tests.conftest import ghg_workspace

PLANT = st.tuples(st.booleans(),                       # under C (else directly under G)
                  st.integers(min_value=1, max_value=100),  # equity share, %
                  st.booleans(),                       # operational control
                  st.integers(min_value=0, max_value=2_000_000),  # diesel, L
                  st.integers(min_value=0, max_value=500_000))    # grid electricity, MWh
TREES = st.tuples(st.integers(min_value=1, max_value=100), st.booleans(),   # C: equity share, control
                  st.lists(PLANT, min_size=2, max_size=4))
_counter = itertools.count()


def build(tmp_path_factory, tree):
    c_share, c_control, plants = tree
    lines = ["entities:",
             "  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding, "
             "province: 新疆, grid_region: northwest}",
             f"  - {{code: C, name: {{zh: 公司, en: Company}}, level: company, process_type: holding, "
             f"province: 新疆, grid_region: northwest, parent: G, equity_share: {c_share}, "
             f"operational_control: {str(c_control).lower()}}}"]
    facts = ["entity,indicator,period,value,unit,supplier"]
    for i, (under_c, share, control, diesel, grid) in enumerate(plants, 1):
        lines.append(f"  - {{code: P{i}, name: {{zh: 工厂{i}, en: Plant {i}}}, level: site, process_type: office, "
                     f"province: 新疆, grid_region: northwest, parent: {'C' if under_c else 'G'}, "
                     f"equity_share: {share}, operational_control: {str(control).lower()}}}")
        facts.append(f"P{i},diesel_consumption,2024,{diesel},升,")
        facts.append(f"P{i},electricity_received,2024,{grid},兆瓦时,grid")
    root = tmp_path_factory.mktemp(f"prop{next(_counter)}") / "ws"
    return ghg_workspace(root, "\n".join(lines) + "\n", "\n".join(facts) + "\n")


def weights(tree, approach: str) -> list[Fraction]:
    """Each plant's weight in G's inventory, by hand."""
    c_share, c_control, plants = tree
    out = []
    for under_c, share, control, _d, _g in plants:
        if approach == "equity":
            w = Fraction(share, 100) * (Fraction(c_share, 100) if under_c else 1)
        else:
            w = Fraction(int(control and (c_control or not under_c)))
        out.append(w)
    return out


def dec(x: Fraction) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator)  # equity shares in % terminate


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=TREES)
def test_consolidate_then_compute_equals_compute_then_consolidate(tmp_path_factory, tree):
    ws = build(tmp_path_factory, tree)
    try:
        f = ws.factors
        density = f.find("fuel.density", 2024, fuel="diesel")
        grid = m_elec.grid_factor(f, 2024, basis="average", province="新疆", region="northwest", latest=True)
        for approach in ("control", "equity"):
            ws.calc("2024", approach)
            w = weights(tree, approach)
            diesel = sum((wi * d for wi, (_c, _s, _k, d, _g) in zip(w, tree[2])), Fraction(0))
            mwh = sum((wi * g for wi, (_c, _s, _k, _d, g) in zip(w, tree[2])), Fraction(0))
            scope1 = ws.value("G", "scope1_emissions", "2024", basis=approach)
            scope2 = ws.value("G", "scope2_location", "2024", basis=approach)
            # the method once, on the consolidated activity data
            want1 = m_comb.fuel_combustion_co2(dec(diesel), fuel="diesel", density=density, amount_unit="升",
                                               factors=f, on=2024).total
            want2 = m_elec.scope2(dec(mwh), grid).location.total
            # a group whose plants all weigh 0 has no consolidated value: nothing to count, 0
            got1 = Decimal(scope1.value) if scope1 is not None else Decimal(0)
            got2 = Decimal(scope2.value) if scope2 is not None else Decimal(0)
            assert abs(got1 - want1) <= Decimal("1e-18"), (approach, got1, want1)
            assert got2 == want2, (approach, got2, want2)
    finally:
        ws.close()


def resolves(ws) -> tuple[set, set]:
    """The calculated facts whose inputs are missing from the ledger, and the factor rows cited
    by a calculated fact that are no value of the factor library."""
    library = {(fv.row[0], fv.row[1], fv.row[3], fv.row[4]) for fv in ws.factors.values()}
    with ws.store.engine.connect() as conn:
        ids = {r[0] for r in conn.execute(select(S.fact.c.id))}
        calc = {r[0] for r in conn.execute(select(S.fact.c.id).where(S.fact.c.status == "calculated"))}
        edges = conn.execute(select(S.fact_input.c.fact_id, S.fact_input.c.input_fact_id)).all()
        cited = conn.execute(select(S.fact_factor.c.fact_id, S.fact_factor.c.factor_set, S.fact_factor.c.factor_key,
                                    S.fact_factor.c.value, S.fact_factor.c.unit)).all()
    linked = {a for a, _b in edges}
    missing = {a for a, b in edges if b not in ids} | (calc - linked)
    unknown = {tuple(r[1:]) for r in cited if tuple(r[1:]) not in library}
    return missing, unknown


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=TREES, approach=st.sampled_from(["control", "equity"]))
def test_every_calculated_facts_lineage_resolves(tmp_path_factory, tree, approach):
    ws = build(tmp_path_factory, tree)
    try:
        ws.calc("2024", approach)
        with ws.store.engine.connect() as conn:
            n_cited = len(conn.execute(select(S.fact_factor.c.fact_id)).all())
        assert n_cited > 0  # the methods cited factor values (the grid factor at least)
        assert resolves(ws) == (set(), set())
    finally:
        ws.close()
