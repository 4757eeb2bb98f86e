"""Only approved facts feed calculations and reports (issue 4, review): with users in the
workspace, a value that is submitted but not yet approved is left out of the consolidation, and a
value resubmitted after an approval does not replace the approved one until it is approved.

Hand-worked: TLYX consolidates TLYX-P1, TLYX-P2, TRNY and YDTS by operational control (all 100 %);
only TLYX-P1 and TLYX-P2 report employees here, so TLYX's employees are the sum of the approved
values among those two.
"""
import pytest

from esgledger.store.access import ScopedStore
from esgledger.workspace import WorkspaceError, open_workspace
from tests.conftest import write

PW = "correct horse battery"


def employees_of(ws, entity="TLYX"):
    f = ws.value(entity, "employees", "2024", basis="control")
    return None if f is None else f.value


def facts(tmp_path, name, rows):
    body = "".join(f"{e},employees,2024,{v},人\n" for e, v in rows)
    return write(tmp_path / name, "entity,indicator,period,value,unit\n" + body)


def test_only_approved_facts_feed_the_consolidation(workspace, tmp_path):
    assert workspace.inputs == "all"  # single-user: its one user approves
    admin = ScopedStore.system(workspace.store)
    admin.add_user("esg", PW, "manager")
    admin.add_user("p1", PW, "submitter", entity="TLYX-P1")
    assert workspace.inputs == "approved"  # a review workflow now exists

    with open_workspace(workspace.path, user="p1", password=PW) as ws:
        assert ws.import_facts(facts(tmp_path, "p1.csv", [("TLYX-P1", "100")])).written  # submitted
    with open_workspace(workspace.path, user="esg", password=PW) as ws:
        assert ws.import_facts(facts(tmp_path, "p2.csv", [("TLYX-P2", "200")]), status="approved").written
        ws.calc("2024")
        assert employees_of(ws) == "200"  # P1's submitted 100 is not approved yet

        # the manager approves P1's value: now it counts
        assert ws.import_facts(facts(tmp_path, "ok.csv", [("TLYX-P1", "100")]), status="approved").written
        ws.calc("2024")
        assert employees_of(ws) == "300"
        # in the same session (an incremental run): a value submitted, not approved, changes nothing
        assert ws.import_facts(facts(tmp_path, "sub.csv", [("TLYX-P2", "260")]), status="submitted").written
        res = ws.calc("2024")
        assert res.incremental and employees_of(ws) == "300"
        assert ws.import_facts(facts(tmp_path, "ok2.csv", [("TLYX-P2", "260")]), status="approved").written
        assert ws.calc("2024").incremental and employees_of(ws) == "360"  # approved: now it counts
        assert ws.import_facts(facts(tmp_path, "ok3.csv", [("TLYX-P2", "200")]), status="approved").written
        assert ws.calc("2024").incremental and employees_of(ws) == "300"
    # P1 resubmits a correction: the approved 100 still feeds until the 150 is approved
    with open_workspace(workspace.path, user="p1", password=PW) as ws:
        assert ws.import_facts(facts(tmp_path, "fix.csv", [("TLYX-P1", "150")])).written
    with open_workspace(workspace.path, user="esg", password=PW) as ws:
        assert ws.value("TLYX-P1", "employees", "2024", basis="own").value == "150"  # the current revision
        ws.calc("2024")
        assert employees_of(ws) == "300"
        # a full recalculation agrees with the incremental one
        ws.calc("2024", full=True)
        assert employees_of(ws) == "300"

    # a workspace may choose to report every current value instead
    cfg = workspace.path / "esgledger.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("[report]", '[report]\ninputs = "all"'),
                   encoding="utf-8")
    with open_workspace(workspace.path, user="esg", password=PW) as ws:
        assert ws.inputs == "all"
        ws.calc("2024")
        assert employees_of(ws) == "350"


def test_a_bad_inputs_setting_names_the_file_and_the_choices(sqlite_workspace):
    cfg = sqlite_workspace.path / "esgledger.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("[report]", '[report]\ninputs = "some"'),
                   encoding="utf-8")
    with open_workspace(sqlite_workspace.path) as ws:
        with pytest.raises(WorkspaceError) as exc:
            ws.calc("2024")
    p = exc.value.problem
    assert (p.code, p.location.field, p.params["found"], p.params["expected"]) == \
        ("ESG-WS-003", "report.inputs", "'some'", "approved, all")
    assert str(p.location.file).endswith("esgledger.toml")
    assert "应为 approved, all 之一" in p.render("zh")
