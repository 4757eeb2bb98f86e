"""A source that fails and comes back: the per-source breakdown, incrementally and in full, on
SQLite and PostgreSQL (calc/incomplete.py; the helpers of tests/calc/test_recalc.py).

The group of tests/data/ghg (G > S > P, G > W) with a second prebake line P2 under S, its
activity the same as P's. By hand (IPCC 2006 Vol.3 Eq.4.21, tests/calc/test_ghg.py): each
line's anode CO2 = 0.4 t/t × 10 000 t × (100 − 2 − 0.4) / 100 × 44/12 = 14 314.6667 t, so S's
and G's anode (control, 100 %) = 28 629.3333 t.

P's aluminium output corrected to 0 t while it still reports 4 000 t of anodes consumed: the
prebake equation, per tonne of aluminium, cannot run (ESG-CALC-005). P's anode row is then 0
(none of it could be computed), marked; S's and G's anode = 0 + 14 314.6667 = 14 314.6667,
marked, where before this change they carried no mark and nothing said they were low.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from esgledger.calc.recalc import forget
from esgledger.workspace import init_workspace
from tests.calc.test_recalc import PERIOD, change, fresh_full, fresh_marks, ledger, marks, run
from tests.conftest import DATA, write

GHG = DATA / "ghg"
P2_LINE = ("  - {code: P2, name: {zh: 电解二系列, en: Potline 2}, level: unit, process_type: smelter, "
           "province: 新疆, grid_region: northwest, parent: S, attrs: {cell_technology: CWPB}}\n")
P2_FACTS = ("entity,indicator,period,value,unit\nP2,aluminium_output,2024,10000,吨\n"
            "P2,net_anode_consumption,2024,4000,吨\nP2,anode_sulphur_content,2024,2,%\n"
            "P2,anode_ash_content,2024,0.4,%\nP2,anode_effect_minutes,2024,0.05,minute/day\n")
P_ANODE = "incomplete: P/anode (ESG-CALC-005)"
ANODE = "emission_source=anode"


@pytest.fixture
def ws(tmp_path, store_url):
    w = init_workspace(tmp_path / "ws", db=store_url, lang="en")
    tree = (GHG / "tree.yaml").read_text(encoding="utf-8") + P2_LINE
    assert not w.import_entities(write(tmp_path / "tree.yaml", tree)).errors
    assert w.import_facts(GHG / "facts.csv", status="approved").ok
    assert w.import_facts(write(tmp_path / "p2.csv", P2_FACTS), status="approved").ok
    forget(w.store)
    yield w
    forget(w.store)
    w.close()


def anode(w) -> list[tuple]:
    """(entity, basis, anode CO2 to 4 places, comment) of every anode figure."""
    return sorted((e, b, round(Decimal(f.value), 4), f.comment) for (e, i, d, b), f in ledger(w).items()
                  if i == "emissions_by_source" and d == ANODE)


def test_a_source_that_fails_and_comes_back_leaves_the_same_breakdown_incrementally_and_in_full(ws, tmp_path):
    assert not run(ws, full=True).incremental
    whole = Decimal("28629.3333")
    assert anode(ws) == [("G", "control", whole, None), ("P", "own", Decimal("14314.6667"), None),
                         ("P2", "own", Decimal("14314.6667"), None), ("S", "control", whole, None)]
    change(ws, tmp_path, f"P,aluminium_output,{PERIOD},0,吨")
    inc = run(ws)
    assert inc.incremental and inc.ghg.left_out == [("P", "anode", "ESG-CALC-005")]
    half = Decimal("14314.6667")
    assert anode(ws) == [("G", "control", half, P_ANODE), ("P", "own", Decimal(0), P_ANODE),
                         ("P2", "own", half, None), ("S", "control", half, P_ANODE)]
    # the ledger equals a full calculation from the inputs alone, marks included
    assert {k: f.value for k, f in ledger(ws).items()} == fresh_full(ws)
    assert marks(ws) == fresh_marks(ws)
    change(ws, tmp_path, f"P,aluminium_output,{PERIOD},10000,吨")
    back = run(ws)
    assert back.incremental and not back.ghg.left_out
    assert anode(ws) == [("G", "control", whole, None), ("P", "own", Decimal("14314.6667"), None),
                         ("P2", "own", Decimal("14314.6667"), None), ("S", "control", whole, None)]
    assert {k: f.value for k, f in ledger(ws).items()} == fresh_full(ws)
    assert marks(ws) == {} == fresh_marks(ws)
    again = run(ws, full=True)
    assert again.written == 0 and again.ghg.written == 0
