"""`calc run` without --approach brings every consolidation approach the ledger holds for the
period up to date, not only the workspace's (audit of issue 2, A2-M1: after a plant left the
tree, the equity-share values still counted it).

Tree: G, the group; A under G at 100 % with control, 410 employees; E under G at 40 % with
control, 100 employees. Worked by hand for 2024:

* before: control 410 + 100 = 510; equity 410 + 0.4 × 100 = 450;
* A leaves on 1 January 2024 (``valid_to: 2024-01-01``: no day of 2024 in the group):
  control 100; equity 0.4 × 100 = 40.
"""
from decimal import Decimal

from typer.testing import CliRunner

from esgledger.cli import STATE, app
from esgledger.workspace import open_workspace
from tests.conftest import write

runner = CliRunner()
TREE = """entities:
  - {{code: G, name: {{zh: 集团, en: Group}}, level: group, process_type: holding}}
  - code: A
    name: {{zh: 出售的厂, en: Plant sold}}
    level: site
    process_type: anode_plant
    memberships:
      - {{parent: G, equity_share: 100, operational_control: true{a_to}}}
  - {{code: E, name: {{zh: 参股厂, en: Part-owned plant}}, level: site, process_type: anode_plant, parent: G, equity_share: 40}}
"""
FACTS = "entity,indicator,period,value,unit\nA,employees,2024,410,人\nE,employees,2024,100,人\n"


def cli(wsdir, *args, lang="en"):
    STATE.lang = lang
    r = runner.invoke(app, ["--lang", lang, "-w", str(wsdir), *args])
    assert r.exit_code == 0, r.output
    return " ".join(r.output.split())


def group_employees(wsdir) -> dict[str, Decimal]:
    with open_workspace(wsdir) as ws:
        return {b: Decimal(ws.value("G", "employees", "2024", basis=b).value) for b in ("control", "equity")
                if ws.value("G", "employees", "2024", basis=b) is not None}


def _workspace(tmp_path):
    d = tmp_path / "ws"
    assert runner.invoke(app, ["--lang", "en", "init", str(d)]).exit_code == 0
    cli(d, "entities", "import", str(write(tmp_path / "tree.yaml", TREE.format(a_to=""))))
    cli(d, "facts", "import", str(write(tmp_path / "facts.csv", FACTS)))
    return d


def test_a_tree_change_reaches_the_equity_values_stored(tmp_path):
    d = _workspace(tmp_path)
    cli(d, "calc", "run", "--period", "2024", "--approach", "equity")
    out = cli(d, "calc", "run", "--period", "2024")
    assert group_employees(d) == {"control": 510, "equity": 450}
    assert "2024 (operational control): computed" in out
    assert "2024 (equity share, whose consolidated values the ledger holds, recomputed too): computed" in out
    cli(d, "entities", "import", str(write(tmp_path / "tree2.yaml", TREE.format(a_to=", valid_to: 2024-01-01"))))
    out = cli(d, "calc", "run", "--period", "2024", lang="zh")
    assert group_employees(d) == {"control": 100, "equity": 40}
    assert "2024（运营控制权法） 计算完成" in out and "2024（股权比例法，账本中已有该口径的合并值，一并重新计算）" in out


def test_an_approach_never_run_is_not_started_and_approach_runs_only_that_one(tmp_path):
    d = _workspace(tmp_path)
    out = cli(d, "calc", "run", "--period", "2024")
    assert group_employees(d) == {"control": 510}  # no equity values in the ledger: none made
    assert "equity" not in out and out.startswith("2024: computed")
    cli(d, "calc", "run", "--period", "2024", "--approach", "equity")
    cli(d, "entities", "import", str(write(tmp_path / "tree2.yaml", TREE.format(a_to=", valid_to: 2024-01-01"))))
    out = cli(d, "calc", "run", "--period", "2024", "--approach", "control")
    assert group_employees(d) == {"control": 100, "equity": 450}  # asked for control only
    assert "equity" not in out
