"""A change of equity share or of operational control inside the period (UAT 1, F1), on SQLite
and PostgreSQL: every dated membership of a parent-child pair counts for its own days at its
own terms, like a membership that starts or ends inside the period (docs/entities.md).

2024 has 366 days: 1 January to 30 June is 182 days, 1 July to 31 December 184.
Tree (the calc test library's ``t_emissions``, a plain sum):

* G, the group, own 10 t.
* A under G: 100 % with control until 2024-07-01, then 40 % with control; A emits 366 t.
* B under G: 100 % with control until 2024-07-01, then 40 % without control; B emits 732 t.
* H under G: 100 % with control until 2024-07-01, then 50 % with control; no own emissions.
  Q under H: 80 % with control all year; Q emits 1830 t (a two-level case: the intermediate
  holding's share changes).

Worked by hand:

* A: control weight 366/366 = 1 → 366; equity weight (182 × 1 + 184 × 0.4) / 366
  = 255.6/366 = 213/305 → 366 × 255.6/366 = 255.6.
* B: control weight 182/366 → 732 × 182/366 = 364; equity 732 × 255.6/366 = 511.2.
* H: control 1830 (Q controlled); equity 80 % × 1830 = 1464.
  G's weight of H: control 1 → 1830; equity (182 × 1 + 184 × 0.5) / 366 = 274/366 = 137/183
  → 1464 × 137/183 = 8 × 137 = 1096.
* G control: 10 + 366 + 364 + 1830 = 2570.
* G equity:  10 + 255.6 + 511.2 + 1096 = 1872.8.

Before the fix the last membership's terms applied to every day of the pair: equity A 0.4 × 366
= 146.4, B 0.4 × 732 = 292.8, H 0.5 × 1464 = 732, and B fell out of the control basis
altogether.
"""
import shutil
from decimal import Decimal

import pytest

from esgledger.calc.reconcile import inventory_shares
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import DATA, write

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding}
  - code: A
    name: {zh: 减持厂, en: Plant partly sold}
    level: site
    process_type: anode_plant
    memberships:
      - {parent: G, equity_share: 100, operational_control: true, valid_to: 2024-07-01}
      - {parent: G, equity_share: 40, operational_control: true, valid_from: 2024-07-01}
  - code: B
    name: {zh: 失去控制的厂, en: Plant whose control ends}
    level: site
    process_type: anode_plant
    memberships:
      - {parent: G, equity_share: 100, operational_control: true, valid_to: 2024-07-01}
      - {parent: G, equity_share: 40, operational_control: false, valid_from: 2024-07-01}
  - code: H
    name: {zh: 控股公司, en: Holding}
    level: company
    process_type: holding
    memberships:
      - {parent: G, equity_share: 100, valid_to: 2024-07-01}
      - {parent: G, equity_share: 50, valid_from: 2024-07-01}
  - {code: Q, name: {zh: 电解厂, en: Smelter}, level: site, process_type: smelter, parent: H, equity_share: 80}
"""
FACTS = """entity,indicator,period,value,unit
G,t_emissions,2024,10,tCO2e
A,t_emissions,2024,366,tCO2e
B,t_emissions,2024,732,tCO2e
Q,t_emissions,2024,1830,tCO2e
"""


@pytest.fixture
def ws(tmp_path, store_url):
    root = tmp_path / "ws"
    init_workspace(root, db=store_url, lang="en").close()
    (root / "library").mkdir()
    shutil.copy(DATA / "calc" / "indicators.yaml", root / "library")
    w = open_workspace(root)
    assert not w.import_entities(write(tmp_path / "tree.yaml", TREE)).errors
    assert w.import_facts(write(tmp_path / "facts.csv", FACTS)).problems.flat() == []
    yield w
    w.close()


def value(ws, entity, basis):
    f = ws.value(entity, "t_emissions", "2024", basis=basis)
    return None if f is None else Decimal(f.value)


def weights(ws, entity, basis) -> dict[str, str]:
    [f] = ws.store.current_facts(entity=entity, indicator="t_emissions", basis=basis)
    return {inp.entity: w for inp, role, w in ws.store.inputs_of(f.id) if role != "own"}


def test_operational_control_given_up_in_mid_year_counts_the_months_under_control(ws):
    res = ws.calc("2024", "control")
    assert not res.problems.errors
    assert value(ws, "G", "control") == Decimal("2570")
    # B counts for its 182 days under control (not dropped for the whole year), A whole
    assert weights(ws, "G", "control") == {"A": "1", "B": "91/183", "H": "1"}
    assert value(ws, "H", "control") == Decimal("1830")


def test_equity_share_changed_in_mid_year_is_pro_rated_by_days(ws):
    ws.calc("2024", "equity")
    assert value(ws, "G", "equity") == Decimal("1872.8")
    # (182 + 184 × 0.4) / 366 = 213/305 for A and B; (182 + 184 × 0.5) / 366 = 137/183 for H
    assert weights(ws, "G", "equity") == {"A": "213/305", "B": "213/305", "H": "137/183"}
    # the intermediate holding's own consolidated figure holds its 80 % of Q all year
    assert value(ws, "H", "equity") == Decimal("1464")


def test_reconcile_shares_use_the_same_weights(ws):
    # the plant two levels down: 137/183 × 80 % = 548/915 of Q in the group's equity inventory
    from fractions import Fraction
    eq = inventory_shares(ws, "2024", "equity")
    assert eq["A"] == eq["B"] == Fraction(2556, 3660)
    assert eq["Q"] == Fraction(137, 183) * Fraction(4, 5)
    ctl = inventory_shares(ws, "2024", "control")
    assert (ctl["A"], ctl["B"], ctl["Q"]) == (1, Fraction(182, 366), 1)
