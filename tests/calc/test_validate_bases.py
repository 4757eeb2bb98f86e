"""A change warning about a consolidated value says it is one, and a consolidated value that
is only its entity's own entered figure carried up is not warned about twice (audit of
issue 2, A2-L2: the demo printed the R&D warning twice in the same words).

Tree: G, the group, with P (100 %, control). ``employees`` has a ±30 % change threshold.

* P: 100 employees in 2023, 200 in 2024: +100 % as entered at P.
* G: no staff of its own, so its consolidated headcount is P's: 100 → 200, +100 %, a second
  figure (the group's), warned about as such: "200 persons (consolidated, operational control)".
* ``rd_expenditure`` (not additive, ±100 %) entered at G only: 1,000 → 2,500 万元 (+150 %).
  G's consolidated value is the same entered figure both years: one warning, the entered one.
"""
from esgledger.calc.validate import run_rules
from esgledger.workspace import init_workspace, open_workspace
from tests.conftest import write

TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding}
  - {code: P, name: {zh: 电解厂, en: Smelter}, level: site, process_type: smelter, parent: G}
"""
FACTS = """entity,indicator,period,value,unit
P,employees,2023,100,人
P,employees,2024,200,人
G,rd_expenditure,2023,1000,万元
G,rd_expenditure,2024,2500,万元
"""


def test_a_consolidated_value_is_named_as_one_and_a_carried_figure_once(tmp_path, store_url):
    root = tmp_path / "ws"
    init_workspace(root, db=store_url, lang="en").close()
    with open_workspace(root) as ws:
        assert not ws.import_entities(write(tmp_path / "tree.yaml", TREE)).errors
        assert ws.import_facts(write(tmp_path / "facts.csv", FACTS)).problems.flat() == []
        ws.calc("2023")
        ws.calc("2024")
        found = {str(p.location): p for p in run_rules(ws, "2024", select=["ESG-VAL-006"])}
    assert sorted(found) == ["(G/employees/2024/control)", "(G/rd_expenditure/2024)", "(P/employees/2024)"]
    group = found["(G/employees/2024/control)"]
    assert "200 persons (consolidated, operational control) is +100.0 % from 100 persons (2023)" in group.render("en")
    assert "运营控制权法合并值 200 人 较 100 人（2023） 变化 +100.0 %" in group.render("zh")
    assert "consolidated" not in found["(P/employees/2024)"].render("en")
