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


def _workspace(tmp_path, store_url, tree: str, facts: str):
    """A workspace with the test library, the tree and the facts given."""
    root = tmp_path / "ws"
    init_workspace(root, db=store_url, lang="en").close()
    (root / "library").mkdir()
    shutil.copy(DATA / "calc" / "indicators.yaml", root / "library")
    w = open_workspace(root)
    assert not w.import_entities(write(tmp_path / "tree.yaml", tree)).errors
    assert w.import_facts(write(tmp_path / "facts.csv", facts)).problems.flat() == []
    return w


@pytest.fixture
def ws(tmp_path, store_url):
    w = _workspace(tmp_path, store_url, TREE, FACTS)
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


# Links at two levels of one path changing in the same period: the share held is the path's
# weight day by day, not the product of each link's weight for the year.
#
# * H under G: 100 % with control until 2024-07-01, then 50 % with control.
#   R joins H on 2024-07-01 (80 %, control), emits 1830 t; S leaves H on 2024-07-01 (100 %,
#   control), emits 732 t.
# * J under G: 100 % with control until 2024-07-01, then 40 % without control.
#   T joins J on 2024-07-01 (100 %, control), emits 366 t.
#
# Worked by hand (182 days to 30 June, 184 after):
# * H's own consolidation: R 0.8 × 1830 × 184/366 = 0.8 × 920 = 736, S 732 × 182/366 = 364;
#   control 920 + 364 = 1284, equity 736 + 364 = 1100. J: T 366 × 184/366 = 184 on both bases.
# * G, equity: R only in the second half, when G holds 50 % of H: 920 × 0.5 × 0.8 = 368;
#   S only in the first half, at 100 %: 364; T only when G holds 40 % of J: 184 × 0.4 = 73.6;
#   G = 368 + 364 + 73.6 = 805.6. (Level by level it would be 1100 × 137/183 + 184 × 213/305
#   = 823.497… + 128.501… = 952.0 — R counted in months G held it at 100 %.)
# * G, control: H controlled all year, so R 920 + S 364; T only after J's control ended: 0.
#   G = 1284. (Level by level: 1284 + 184 × 91/183 = 1375.49…)
TREE2 = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding}
  - code: H
    name: {zh: 控股公司, en: Holding}
    level: company
    process_type: holding
    memberships:
      - {parent: G, equity_share: 100, valid_to: 2024-07-01}
      - {parent: G, equity_share: 50, valid_from: 2024-07-01}
  - code: J
    name: {zh: 合营公司, en: Joint venture}
    level: company
    process_type: holding
    memberships:
      - {parent: G, equity_share: 100, operational_control: true, valid_to: 2024-07-01}
      - {parent: G, equity_share: 40, operational_control: false, valid_from: 2024-07-01}
  - code: R
    name: {zh: 新购厂, en: Plant bought}
    level: site
    process_type: smelter
    memberships:
      - {parent: H, equity_share: 80, valid_from: 2024-07-01}
  - code: S
    name: {zh: 出售厂, en: Plant sold}
    level: site
    process_type: smelter
    memberships:
      - {parent: H, equity_share: 100, valid_to: 2024-07-01}
  - code: T
    name: {zh: 新建厂, en: Plant started}
    level: site
    process_type: anode_plant
    memberships:
      - {parent: J, equity_share: 100, valid_from: 2024-07-01}
"""
FACTS2 = """entity,indicator,period,value,unit
R,t_emissions,2024,1830,tCO2e
S,t_emissions,2024,732,tCO2e
T,t_emissions,2024,366,tCO2e
"""


@pytest.fixture
def ws2(tmp_path, store_url):
    w = _workspace(tmp_path, store_url, TREE2, FACTS2)
    yield w
    w.close()


def test_two_levels_changing_in_the_same_year_count_the_share_held_day_by_day(ws2):
    ws2.calc("2024", "equity")
    assert value(ws2, "H", "equity") == Decimal("1100")
    assert value(ws2, "J", "equity") == Decimal("184")
    assert value(ws2, "G", "equity") == Decimal("805.6")
    ws2.calc("2024", "control")
    assert value(ws2, "H", "control") == Decimal("1284")
    assert value(ws2, "G", "control") == Decimal("1284")


def test_two_levels_changing_shares_in_reconcile(ws2):
    from fractions import Fraction
    eq = inventory_shares(ws2, "2024", "equity")
    # R: 184/366 × 50 % × 80 % = 184/915; S: 182/366 = 91/183; T: 184/366 × 40 % = 184/915
    assert (eq["R"], eq["S"], eq["T"]) == (Fraction(184, 915), Fraction(91, 183), Fraction(184, 915))
    ctl = inventory_shares(ws2, "2024", "control")
    assert (ctl["R"], ctl["S"], ctl.get("T", 0)) == (Fraction(92, 183), Fraction(91, 183), 0)


def test_the_adjustment_is_in_the_lineage(ws2):
    ws2.calc("2024", "control")
    [f] = ws2.store.current_facts(entity="G", indicator="t_emissions", basis="control")
    roles = {role: w for _inp, role, w in ws2.store.inputs_of(f.id)}
    # T: 0 held day by day, 91/183 × 92/183 = 8372/33489 level by level
    assert roles["structure:T"] == "-8372/33489"
    assert roles["child:H"] == "1" and roles["child:J"] == "91/183"


@pytest.mark.parametrize("lang,words", [
    ("en", "× -8372/33489 (adjustment for a change of share or control at two levels in the period"),
    ("zh", "× -8372/33489（期内两级持股或控制变动的调整"),
])
def test_explain_names_the_adjustment(ws2, lang, words):
    from typer.testing import CliRunner

    from esgledger.cli import STATE, app
    ws2.calc("2024", "control")
    try:
        r = CliRunner().invoke(app, ["--lang", lang, "-w", str(ws2.path), "explain", "t_emissions",
                                     "--entity", "G", "--period", "2024", "--basis", "control"])
    finally:
        STATE.lang = "en"
    assert r.exit_code == 0, r.output
    line = next(ln for ln in r.output.splitlines() if ln.lstrip("│├└─ ").startswith("T "))
    assert words in line
