"""A stock measured on the period's last day (``measured_at: period_end``: employees on the
payroll at the end of the period) is consolidated with the memberships in force on that day;
a flow (water used in the period) stays weighed by days (audit of issue 2, A2-M2). SQLite and
PostgreSQL.

2024 has 366 days: 1 January to 30 June is 182 days, 1 July to 31 December 184. The shipped
library's ``employees`` (a stock, by gender), ``female_employee_share`` (its formula) and
``water_consumption`` (a flow, 吨). Tree:

* G, the group: own 20 employees (10 women).
* A: 100 % with control until 30 June (``valid_to: 2024-07-01``, exclusive), then gone:
  410 employees (110 women) on its own payroll at year end, 366 t of water in the year.
* B: joins G on 1 July, 100 % with control: 300 employees (60 women), 732 t of water.
* E: 100 % with control until 30 June, 40 % with control from 1 July: 100 employees (50 women).
* H, a holding: 50 % with control all year, no staff of its own; Q under H from 1 July, 80 %
  with control: 200 employees (20 women).

Worked by hand, year end (31 December): A is out, B in whole, E at 40 % (equity), Q at
50 % × 80 % = 40 % (equity).

* control: employees 20 + 300 + 100 + 200 = 620; women 10 + 60 + 50 + 20 = 140;
  female share 140 / 620 = 22.5806… % → 22.58.
* equity:  employees 20 + 300 + 0.4 × 100 + 0.4 × 200 = 20 + 300 + 40 + 80 = 440;
  women 10 + 60 + 20 + 8 = 98; female share 98 / 440 = 22.2727… % → 22.27.
* H (equity): 80 % × 200 = 160 (Q at its year-end share under H).
* water, a flow, still by days (control): A 366 × 182/366 = 182, B 732 × 184/366 = 368 → 550.

Day-weighted, the year-end headcount would have been 20 + 410 × 182/366 + 300 × 184/366 + 100
+ 200 × 184/366 = 20 + 203.87… + 150.81… + 100 + 100.54… = 575.23…, no whole number of people.
"""
from decimal import Decimal

import pytest

from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import write

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding}
  - code: A
    name: {zh: 出售的厂, en: Plant sold}
    level: site
    process_type: anode_plant
    memberships:
      - {parent: G, equity_share: 100, operational_control: true, valid_to: 2024-07-01}
  - code: B
    name: {zh: 购入的厂, en: Plant bought}
    level: site
    process_type: anode_plant
    memberships:
      - {parent: G, equity_share: 100, operational_control: true, valid_from: 2024-07-01}
  - code: E
    name: {zh: 减持的厂, en: Plant partly sold}
    level: site
    process_type: anode_plant
    memberships:
      - {parent: G, equity_share: 100, operational_control: true, valid_to: 2024-07-01}
      - {parent: G, equity_share: 40, operational_control: true, valid_from: 2024-07-01}
  - {code: H, name: {zh: 控股公司, en: Holding}, level: company, process_type: holding, parent: G, equity_share: 50}
  - code: Q
    name: {zh: 新建的厂, en: New plant}
    level: site
    process_type: smelter
    memberships:
      - {parent: H, equity_share: 80, operational_control: true, valid_from: 2024-07-01}
"""
FACTS = """entity,indicator,period,value,unit,gender
G,employees,2024,20,人,
G,employees,2024,10,人,female
A,employees,2024,410,人,
A,employees,2024,110,人,female
B,employees,2024,300,人,
B,employees,2024,60,人,female
E,employees,2024,100,人,
E,employees,2024,50,人,female
Q,employees,2024,200,人,
Q,employees,2024,20,人,female
A,water_consumption,2024,366,吨,
B,water_consumption,2024,732,吨,
"""


def _workspace(tmp_path, store_url, facts: str):
    root = tmp_path / "ws"
    init_workspace(root, db=store_url, lang="en").close()
    w = open_workspace(root)
    assert not w.import_entities(write(tmp_path / "tree.yaml", TREE)).errors
    assert w.import_facts(write(tmp_path / "facts.csv", facts)).problems.flat() == []
    return w


@pytest.fixture
def ws(tmp_path, store_url):
    w = _workspace(tmp_path, store_url, FACTS)
    yield w
    w.close()


def value(ws, entity, indicator, basis, dims=""):
    f = ws.value(entity, indicator, "2024", basis=basis, dims=dims)
    return None if f is None else Decimal(f.value)


def test_control_counts_the_members_on_the_last_day_whole(ws):
    ws.calc("2024", "control")
    assert value(ws, "G", "employees", "control") == 620
    assert value(ws, "G", "employees", "control", "gender=female") == 140
    assert round(value(ws, "G", "female_employee_share", "control"), 2) == Decimal("22.58")
    # the lineage names the year-end members, each whole; A, sold on 30 June, is not there
    [f] = ws.store.current_facts(entity="G", indicator="employees", basis="control", dims="")
    assert sorted((inp.entity, role, w) for inp, role, w in ws.store.inputs_of(f.id)) == [
        ("B", "child:B", "1"), ("E", "child:E", "1"), ("G", "own", None), ("H", "child:H", "1")]


def test_equity_takes_the_share_held_on_the_last_day(ws):
    ws.calc("2024", "equity")
    assert value(ws, "H", "employees", "equity") == 160
    assert value(ws, "G", "employees", "equity") == 440
    assert value(ws, "G", "employees", "equity", "gender=female") == 98
    assert round(value(ws, "G", "female_employee_share", "equity"), 2) == Decimal("22.27")


def test_a_flow_is_still_weighed_by_days(ws):
    ws.calc("2024", "control")
    assert value(ws, "G", "water_consumption", "control") == 550


def test_an_update_after_a_changed_figure_keeps_the_year_end_rule(ws, tmp_path):
    ws.calc("2024", "control")
    # A's own figure changes: nothing at G moves (A is not a member on 31 December); B's does:
    # G = 620 − 300 + 310 = 630
    ws.import_facts(write(tmp_path / "more.csv", "entity,indicator,period,value,unit\n"
                                                   "A,employees,2024,400,人\nB,employees,2024,310,人\n"))
    ws.calc("2024", "control")
    assert value(ws, "G", "employees", "control") == 630


def test_a_share_over_the_entities_that_split_by_gender_looks_at_the_year_end_members(tmp_path, store_url):
    """A and B give no split by gender. B is a member on 31 December, so the share is taken over
    the members that split it (G, E, Q): (10 + 50 + 20) / (20 + 100 + 200) = 80 / 320 = 25 %,
    and ESG-CALC-014 names B. A, gone since 30 June, is neither counted nor named."""
    facts = "\n".join(ln for ln in FACTS.splitlines() if not ln.startswith(("A,employees,2024,110", "B,employees,2024,60")))
    w = _workspace(tmp_path, store_url, facts + "\n")
    try:
        res = w.calc("2024", "control")
        assert value(w, "G", "female_employee_share", "control") == 25
        [p] = [p for p in res.problems if p.code == "ESG-CALC-014" and p.params["indicator"] == "female_employee_share"]
        assert p.params["entity"] == "G" and p.params["expected"].en == "B"
    finally:
        w.close()
