"""Consolidation and derived indicators, with numbers worked out by hand in each test."""
import shutil
from decimal import Decimal

import pytest

from esgledger.store import schema as S
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DATA, write

CALC = DATA / "calc"
FACTS = """entity,indicator,period,value,unit
G,t_emissions,2024,10,tCO2e
P,t_emissions,2024,1000,tCO2e
P,t_output,2024,100,万吨
D,t_emissions,2024,500,tCO2e
M,t_emissions,2024,366,tCO2e
C,t_rate,2024,85.70,%
C,t_conc,2024,20,mg/m3
C,t_flow,2024,300,立方米
P,t_conc,2024,10,mg/m3
P,t_flow,2024,100,立方米
"""


@pytest.fixture
def ws(tmp_path, store_url):
    root = tmp_path / "ws"
    init_workspace(root, db=store_url, lang="en").close()
    (root / "library").mkdir()
    shutil.copy(CALC / "indicators.yaml", root / "library")
    w = open_workspace(root)
    assert not w.import_entities(CALC / "tree.yaml").errors
    rep = w.import_facts(write(tmp_path / "facts.csv", FACTS))
    assert rep.problems.flat() == []
    yield w
    w.close()


def value(ws, entity, indicator, basis):
    f = ws.value(entity, indicator, "2024", basis=basis)
    return None if f is None else Decimal(f.value)


def test_operational_control(ws):
    ws.calc("2024", "control")
    # G own 10 + P 1000 (through C, controlled) + M 366 × 182/366 (Jan–Jun under C);
    # D is not controlled, so D's 500 and M's second half (under D) are out.
    assert value(ws, "G", "t_emissions", "control") == Decimal("1192")
    assert value(ws, "C", "t_emissions", "control") == Decimal("1182")


def test_equity_share(ws):
    ws.calc("2024", "equity")
    # G 10 + 50 % × (60 % × 1000 + 100 % × 366 × 182/366) + 40 % × (500 + 366 × 184/366)
    # = 10 + 0.5 × (600 + 182) + 0.4 × (500 + 184) = 10 + 391 + 273.6 = 674.6
    assert value(ws, "G", "t_emissions", "equity") == Decimal("674.6")
    # the plant held 60 % through a 50 %-owned company counts 30 %: 300 t of P's 1000
    [f] = ws.store.current_facts(entity="G", indicator="t_emissions", basis="equity")
    via_c = [(inp.entity, w) for inp, role, w in ws.store.inputs_of(f.id)]
    assert ("C", "0.5") in via_c and ("D", "0.4") in via_c


def test_ratio_is_recomputed_not_summed(ws):
    ws.calc("2024", "control")
    # P own: 1000 t / 100 万吨 = 1000 / 1 000 000 t = 0.001 t/t
    assert value(ws, "P", "t_intensity", "own") == Decimal("0.001")
    # G: 1192 t / 100 万吨 = 0.001192 t/t (from consolidated parts, never a sum of ratios)
    assert value(ws, "G", "t_intensity", "control") == Decimal("0.001192")


def test_not_additive_and_weighted_mean(ws):
    ws.calc("2024", "control")
    f = ws.value("C", "t_rate", "2024", basis="control")
    assert f.value == "85.70"   # carried as entered, not summed
    assert ws.value("G", "t_rate", "2024", basis="control") is None
    # (20 × 300 + 10 × 100) / (300 + 100) = 7000 / 400 = 17.5 mg/m3
    assert value(ws, "C", "t_conc", "control") == Decimal("17.5")


def test_rerun_writes_nothing_and_one_change_rewrites_only_its_dependents(ws, tmp_path):
    first = ws.calc("2024", "control")
    assert first.written == first.computed > 0 and not first.incremental
    again = ws.calc("2024", "control")
    assert (again.incremental, again.computed, again.written) == (True, 0, 0)  # nothing changed
    full = ws.calc("2024", "control", full=True)
    assert (full.written, full.unchanged) == (0, first.computed)
    ws.import_facts(write(tmp_path / "fix.csv", "entity,indicator,period,value,unit\nD,t_emissions,2024,600,tCO2e\n"))
    third = ws.calc("2024", "control")
    assert third.incremental
    # D is outside G's control: only D's own consolidated total (D + M from July) changes
    assert [(f.entity, f.indicator) for f in ws.store.current_facts(basis="control")
            if f.batch == third.batch_id] == [("D", "t_emissions")]
    assert value(ws, "G", "t_emissions", "control") == Decimal("1192")
    ws.import_facts(write(tmp_path / "fix2.csv", "entity,indicator,period,value,unit\nP,t_output,2024,50,万吨\n"))
    fourth = ws.calc("2024", "control")
    changed = sorted((f.entity, f.indicator, f.basis) for f in ws.store.current_facts(basis=None)
                     if f.batch == fourth.batch_id)
    # 50 万吨 at P: P's own intensity, and t_output + t_intensity at C and G
    assert changed == [("C", "t_intensity", "control"), ("C", "t_output", "control"),
                       ("G", "t_intensity", "control"), ("G", "t_output", "control"),
                       ("P", "t_intensity", "own")]
    assert value(ws, "G", "t_intensity", "control") == Decimal("0.002384")  # 1192 / 500 000


def test_lineage_resolves_to_existing_facts(ws):
    ws.calc("2024", "control")
    ws.calc("2024", "equity")
    from sqlalchemy import select

    with ws.store.engine.connect() as conn:
        ids = {r[0] for r in conn.execute(select(S.fact.c.id))}
        links = conn.execute(select(S.fact_input.c.fact_id, S.fact_input.c.input_fact_id)).all()
    assert links and all(a in ids and b in ids for a, b in links)
    node = ws.explain("t_intensity", "G", "2024")
    leaves = []

    def walk(n):
        if not n.children:
            leaves.append((n.fact.entity, n.fact.indicator, n.source.split()[-1]))
        for c in n.children:
            walk(c)

    walk(node)
    assert sorted(leaves) == [("G", "t_emissions", "facts.csv:2"), ("M", "t_emissions", "facts.csv:6"),
                              ("P", "t_emissions", "facts.csv:3"), ("P", "t_output", "facts.csv:4")]


def test_incremental_equals_full(ws, tmp_path):
    """After an incremental run, a full recalculation finds nothing to change."""
    ws.calc("2024", "control")
    ws.import_facts(write(tmp_path / "fix.csv", "entity,indicator,period,value,unit\n"
                          "P,t_output,2024,80,万吨\nC,t_flow,2024,100,立方米\n"))
    inc = ws.calc("2024", "control")
    assert inc.incremental and inc.written > 0
    full = ws.calc("2024", "control", full=True)
    assert full.written == 0
    # (20 × 100 + 10 × 100) / 200 = 15 mg/m3 after the flow change
    assert value(ws, "C", "t_conc", "control") == Decimal(15)


def test_a_tree_change_forces_a_full_run(ws, tmp_path):
    ws.calc("2024", "control")
    tree = (CALC / "tree.yaml").read_text(encoding="utf-8").replace("equity_share: 40", "equity_share: 45")
    assert not ws.import_entities(write(tmp_path / "tree.yaml", tree)).errors
    assert not ws.calc("2024", "control").incremental
