"""`explain` without --basis reads an entity with no children in the period on its own value
(audit of issue 2, A2-L6: a former parent said "no such value" until --basis own was given).

Tree: G, the group; C, a company under G, with 40 employees of its own; P, a plant of 410
employees, under C until the end of 2023 (``valid_to: 2024-01-01``) and directly under G from
2024. Worked by hand:

* 2023: C has a child (P, all year): C is explained on its consolidated value, 40 + 410 = 450;
* 2024: C has none: C is explained on its own 40, with no --basis.
"""
from typer.testing import CliRunner

from esgledger.cli import STATE, app
from tests.conftest import write

runner = CliRunner()
TREE = """entities:
  - {code: G, name: {zh: 集团, en: Group}, level: group, process_type: holding}
  - {code: C, name: {zh: 公司, en: Company}, level: company, process_type: holding, parent: G}
  - code: P
    name: {zh: 工厂, en: Plant}
    level: site
    process_type: smelter
    memberships:
      - {parent: C, valid_to: 2024-01-01}
      - {parent: G, valid_from: 2024-01-01}
"""
FACTS = """entity,indicator,period,value,unit
C,employees,2023,40,人
P,employees,2023,410,人
C,employees,2024,40,人
P,employees,2024,410,人
"""


def cli(d, *args, lang="en"):
    STATE.lang = lang
    return runner.invoke(app, ["--lang", lang, "-w", str(d), *args])


def test_a_former_parent_is_explained_on_its_own_value(tmp_path):
    d = tmp_path / "ws"
    assert runner.invoke(app, ["--lang", "en", "init", str(d)]).exit_code == 0
    assert cli(d, "entities", "import", str(write(tmp_path / "tree.yaml", TREE))).exit_code == 0
    assert cli(d, "facts", "import", str(write(tmp_path / "facts.csv", FACTS))).exit_code == 0
    for year in ("2023", "2024"):
        assert cli(d, "calc", "run", "--period", year).exit_code == 0
    r = cli(d, "explain", "employees", "--entity", "C", "--period", "2024")
    assert r.exit_code == 0, r.output
    first = r.output.splitlines()[0]
    assert first.startswith("C Employees employees 2024: 40 persons  ← import") and "operational control" not in first
    r = cli(d, "explain", "employees", "--entity", "C", "--period", "2023")
    assert r.exit_code == 0, r.output
    # imported without --status, both 2023 values are submitted: the 450 rests on C's 40 and P's
    # 410, not yet approved (audit A5-L3; the first by entity code, C)
    assert r.output.splitlines()[0] == "C Employees employees 2023: 450 persons  (operational control)" \
                                       "  [rests on data not yet approved: 2 facts, e.g. C Employees]"
    r = cli(d, "explain", "employees", "--entity", "C", "--period", "2024", lang="zh")
    assert r.exit_code == 0 and "40 人" in r.output.splitlines()[0]
