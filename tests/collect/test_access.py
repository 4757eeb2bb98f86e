"""Users, roles and scoped access in the store, on SQLite and PostgreSQL.

The demo group: TSAL (group) → TLYX (smelter company) → TLYX-P1, TLYX-P2 (potlines), TRNY, YDTS;
TSAL → JXTG, NJTS, … A submitter of TLYX-P1 sees only TLYX-P1; a submitter of TLYX sees its
subtree; an auditor sees everything and writes nothing. Every refusal is logged.
"""
from pathlib import Path

import pytest

from esgledger.model.errors import ProblemsError
from esgledger.store import NewFact
from esgledger.store.access import AccessDenied, Grant, ScopedStore, has_users

PW = "correct horse battery"


@pytest.fixture
def admin(workspace):
    return ScopedStore.system(workspace.store)


@pytest.fixture
def people(admin):
    admin.add_user("boss", PW, "admin")
    admin.add_user("esg", PW, "manager", display_name="Group ESG")
    admin.add_user("p1", PW, "submitter", entity="TLYX-P1")
    admin.add_user("tlyx", PW, "submitter", entity="TLYX")
    admin.add_user("audit", PW, "auditor")
    facts = [NewFact(e, "employees", "2024", "", v, "人") for e, v in
             (("TLYX-P1", "100"), ("TLYX-P2", "200"), ("TRNY", "300"), ("JXTG", "400"))]
    batch, ids = admin.append_facts(facts, kind="api", source="test")
    p2_batch, _ = admin.append_facts([NewFact("TLYX-P2", "employees", "2024", "gender=female", "20", "人")],
                                     kind="api")
    return {"batch": batch, "ids": dict(zip(("TLYX-P1", "TLYX-P2", "TRNY", "JXTG"), ids)),
            "p2_batch": p2_batch}


def login(ws, name):
    return ScopedStore.login(ws.store, name, PW)


def refused(admin):
    return [(r["username"], r["action"], r["reason"]) for r in reversed(admin.access_log())]


def test_passwords_are_argon2id_and_sign_in_checks_them(workspace, admin, people):
    from sqlalchemy import select

    from esgledger.store import schema_collect as C

    with workspace.store.engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(select(C.app_user.c.password_hash))]
    assert all(h.startswith("$argon2id$") for h in hashes) and PW not in "".join(hashes)
    assert login(workspace, "p1").user.grants == (Grant("submitter", "TLYX-P1"),)
    with pytest.raises(AccessDenied) as exc:
        ScopedStore.login(workspace.store, "p1", "wrong password")
    assert exc.value.problem.code == "ESG-ACCESS-001"
    with pytest.raises(AccessDenied) as exc:
        ScopedStore.login(workspace.store, "nobody", PW)
    assert exc.value.problem.code == "ESG-ACCESS-001"
    admin.set_disabled("p1")
    with pytest.raises(AccessDenied) as exc:
        login(workspace, "p1")
    assert exc.value.problem.code == "ESG-ACCESS-002"
    assert refused(admin) == [("p1", "login", "ESG-ACCESS-001"), ("nobody", "login", "ESG-ACCESS-001"),
                              ("p1", "login", "ESG-ACCESS-002")]


def test_plant_submitter_reads_and_writes_only_its_own_plant(workspace, admin, people):
    p1 = login(workspace, "p1")
    own = [(f.entity, f.value) for f in p1.current_facts()]
    assert own == [("TLYX-P1", "100")]
    assert [f.entity for f in p1.iter_current(indicator="employees")] == ["TLYX-P1"]
    assert p1.count_facts() == 1
    assert p1.fact(people["ids"]["TLYX-P1"]).value == "100"
    assert [f.value for f in p1.history("TLYX-P1", "employees", "2024")] == ["100"]

    attempts = [
        lambda: p1.current_facts(entity="TLYX-P2"),
        lambda: list(p1.iter_current(entity=["TLYX-P1", "JXTG"])),
        lambda: p1.history("TLYX-P2", "employees", "2024"),
        lambda: p1.fact(people["ids"]["TLYX-P2"]),
        lambda: p1.inputs_of(people["ids"]["TRNY"]),
        lambda: p1.batch(people["p2_batch"]),
        lambda: p1.append_facts([NewFact("TLYX-P2", "employees", "2024", "", "1", "人")], kind="api"),
        lambda: p1.append_facts([NewFact("TLYX-P1", "employees", "2024", "", "1", "人"),
                                 NewFact("TLYX", "employees", "2024", "", "1", "人")], kind="api"),
        lambda: p1.append_facts([NewFact("TLYX-P1", "employees", "2024", "", "100", "人",
                                         status="approved")], kind="api"),
        lambda: p1.add_user("x", PW, "admin"),
        lambda: p1.list_users(),
        lambda: p1.access_log(),
    ]
    codes = []
    for attempt in attempts:
        with pytest.raises(AccessDenied) as exc:
            attempt()
        codes.append(exc.value.problem.code)
    assert codes == ["ESG-ACCESS-004"] * 6 + ["ESG-ACCESS-004", "ESG-ACCESS-004", "ESG-ACCESS-003",
                                               "ESG-ACCESS-003", "ESG-ACCESS-003", "ESG-ACCESS-003"]
    log = admin.access_log()
    assert len(log) == len(attempts)
    assert [(r["action"], r["target"]) for r in reversed(log)][:4] == [
        ("read", "TLYX-P2"), ("read", "JXTG"), ("read", "TLYX-P2"), ("read", f"fact #{people['ids']['TLYX-P2']} (TLYX-P2)")]
    # the message says who, what and where
    with pytest.raises(AccessDenied, match=r"p1 may read only TLYX-P1 \(subtree\); refused: TLYX-P2"):
        p1.current_facts(entity="TLYX-P2")
    # a batch that wrote other plants too, as a group-wide load does: p1 reads it, for its own
    # fact's history, and its row count is p1's part only (1 of the batch's 4 rows), no
    # refusal logged
    logged = len(admin.access_log())
    rec = p1.batch(people["batch"])
    assert (rec["source"], rec["kind"], rec["rows"]) == ("test", "api", 1)
    assert admin.batch(people["batch"])["rows"] == 4
    assert len(admin.access_log()) == logged
    # nothing was written by the refused writes
    assert [f.value for f in admin.history("TLYX-P2", "employees", "2024")] == ["200"]
    assert [f.value for f in admin.history("TLYX-P1", "employees", "2024")] == ["100"]
    # its own plant it may write (as draft or submitted), and the author is the user
    p1.append_facts([NewFact("TLYX-P1", "employees", "2024", "", "101", "人", status="draft")], kind="api")
    [f] = p1.current_facts(entity="TLYX-P1", dims="")
    assert (f.value, f.status, f.author, f.revision) == ("101", "draft", "p1", 2)


def test_company_submitter_sees_its_subtree(workspace, people):
    tlyx = login(workspace, "tlyx")
    assert sorted(f.entity for f in tlyx.current_facts(dims="")) == ["TLYX-P1", "TLYX-P2", "TRNY"]
    with pytest.raises(AccessDenied):
        tlyx.current_facts(entity="JXTG")


def test_auditor_reads_everything_and_writes_nothing(workspace, admin, people):
    audit = login(workspace, "audit")
    assert len(audit.current_facts()) == 5
    assert audit.batch(people["batch"])["source"] == "test"
    assert [u.username for u in audit.list_users()] == ["audit", "boss", "esg", "p1", "tlyx"]
    for attempt in (lambda: audit.append_facts([NewFact("JXTG", "employees", "2024", "", "1", "人")], kind="api"),
                    lambda: audit.add_user("x", PW, "admin"),
                    lambda: audit.set_disabled("p1")):
        with pytest.raises(AccessDenied) as exc:
            attempt()
        assert exc.value.problem.code == "ESG-ACCESS-003"
    assert [r[:2] for r in refused(admin)] == [("audit", "write"), ("audit", "users"), ("audit", "users")]
    assert admin.count_facts() == 5


def test_manager_approves_but_does_not_manage_users(workspace, people):
    esg = login(workspace, "esg")
    esg.append_facts([NewFact("JXTG", "employees", "2024", "", "400", "人", status="approved")], kind="review")
    assert esg.current_facts(entity="JXTG")[0].status == "approved"
    with pytest.raises(AccessDenied):
        esg.add_user("x", PW, "auditor")


def test_user_management(workspace, admin):
    assert not has_users(workspace.store)
    u = admin.add_user("li", PW, "submitter", entity="JXTG", display_name="李工", lang="zh")
    assert (u.username, u.display_name, u.grants, u.lang) == ("li", "李工", (Grant("submitter", "JXTG"),), "zh")
    assert has_users(workspace.store)
    admin.grant("li", "submitter", "NJTS")
    li = ScopedStore.as_user(workspace.store, "li")
    assert li.scope("write") == {"JXTG", "NJTS"}
    admin.revoke("li", "submitter", "NJTS")
    assert ScopedStore.as_user(workspace.store, "li").scope("write") == {"JXTG"}
    bad = [lambda: admin.add_user("li", PW, "auditor"),
           lambda: admin.add_user("wang", "short", "auditor"),
           lambda: admin.add_user("wang", PW, "submitter"),
           lambda: admin.add_user("wang", PW, "owner"),
           lambda: admin.add_user("wang", PW, "submitter", entity="NOPE"),
           lambda: admin.set_disabled("nobody")]
    codes = []
    for b in bad:
        with pytest.raises(ProblemsError) as exc:
            b()
        codes.append(exc.value.problems[0].code)
    assert codes == ["ESG-ACCESS-005", "ESG-ACCESS-007", "ESG-ACCESS-006", "ESG-ACCESS-006",
                     "ESG-ACCESS-006", "ESG-ACCESS-008"]
    li.set_password("li", "another long password")
    assert ScopedStore.login(workspace.store, "li", "another long password").username == "li"
    with pytest.raises(AccessDenied):
        li.set_password("boss-not-there", "another long password")
    assert [(x.username, x.disabled) for x in admin.list_users()] == [("li", False)]


# -- the same rules through the Workspace API (what the CLI and the report use) -------------
def as_user(workspace, name, password=PW):
    from esgledger.workspace import open_workspace

    return open_workspace(workspace.path, user=name, password=password, lang="en")


def test_workspace_functions_keep_a_submitter_inside_its_plant(workspace, admin, people, tmp_path):
    from tests.conftest import write

    with as_user(workspace, "p1") as ws:
        # reads: export, value, history, explain see TLYX-P1 only
        assert "TLYX-P2" not in ws.export_facts("csv") and "TLYX-P1,employees,2024" in ws.export_facts("csv")
        assert ws.value("TLYX-P1", "employees", "2024", basis="own").value == "100"
        assert [f.value for f in ws.history("TLYX-P1", "employees", "2024")] == ["100"]
        # its own value written by a batch that loaded four entities: the lineage names the
        # batch (no refusal logged: the log below holds only the four refusals)
        assert ws.explain("employees", "TLYX-P1", "2024", basis="own").source == f"api #{people['batch']} test"
        refusals = [
            lambda: ws.export_facts("csv", entity="TLYX-P2"),
            lambda: ws.value("TLYX-P2", "employees", "2024", basis="own"),
            lambda: ws.history("JXTG", "employees", "2024"),
            lambda: ws.explain("employees", "TRNY", "2024", basis="own"),
        ]
        for attempt in refusals:
            with pytest.raises(AccessDenied) as exc:
                attempt()
            assert exc.value.problem.code == "ESG-ACCESS-004"
        # writes: an import touching another plant is refused whole, before anything lands
        csv_file = write(tmp_path / "facts.csv", "entity,indicator,period,value,unit\n"
                                                 "TLYX-P1,employees,2024,111,人\n"
                                                 "TLYX-P2,employees,2024,222,人\n")
        with pytest.raises(AccessDenied) as exc:
            ws.import_facts(csv_file)
        assert exc.value.problem.code == "ESG-ACCESS-004" and "TLYX-P2" in str(exc.value)
        # a calculation run writes for the whole group: refused; so is changing the tree
        with pytest.raises(AccessDenied) as exc:
            ws.calc("2024")
        assert exc.value.problem.code == "ESG-ACCESS-004"
        with pytest.raises(AccessDenied):
            ws.import_entities(Path(__file__).parents[2] / "src" / "esgledger" / "demo" / "data" / "entities.yaml")
        # its own plant it may import, and the author is the signed-in user whatever is claimed
        own = write(tmp_path / "own.csv", "entity,indicator,period,value,unit\nTLYX-P1,employees,2024,111,人\n")
        rep = ws.import_facts(own, author="somebody-else")
        assert rep.ok and rep.written
    assert [f.value for f in admin.history("TLYX-P2", "employees", "2024")] == ["200"]
    assert [(f.value, f.author) for f in admin.history("TLYX-P1", "employees", "2024")][-1] == ("111", "p1")
    assert [(r["username"], r["action"]) for r in reversed(admin.access_log())] == \
        [("p1", "read")] * 4 + [("p1", "write"), ("p1", "write"), ("p1", "users")]


def test_workspace_functions_let_an_auditor_read_but_not_write(workspace, admin, people, tmp_path):
    from tests.conftest import write

    f = write(tmp_path / "facts.csv", "entity,indicator,period,value,unit\nJXTG,employees,2024,1,人\n")
    with as_user(workspace, "audit") as ws:
        assert ws.export_facts("csv").count("employees") == 5
        for attempt in (lambda: ws.import_facts(f, dry_run=True),  # a dry run reports the refusal too
                        lambda: ws.import_facts(f),
                        lambda: ws.calc("2024")):
            with pytest.raises(AccessDenied) as exc:
                attempt()
            assert exc.value.problem.code == "ESG-ACCESS-003"
    assert admin.count_facts() == 5


def test_a_workspace_with_users_needs_a_sign_in(workspace, people):
    from esgledger.workspace import open_workspace

    with open_workspace(workspace.path, lang="en") as ws:  # nobody signed in: nothing readable
        with pytest.raises(AccessDenied) as exc:
            ws.export_facts("csv")
        assert exc.value.problem.code == "ESG-ACCESS-003"
    with pytest.raises(AccessDenied) as exc:
        as_user(workspace, "p1", password="wrong password")
    assert exc.value.problem.code == "ESG-ACCESS-001"


def test_a_refusal_naming_many_entities_says_how_many_more_it_left_out(workspace, admin, people):
    p1 = login(workspace, "p1")
    others = [f"X{n:02d}" for n in range(1, 13)]  # twelve entities outside TLYX-P1
    with pytest.raises(AccessDenied) as exc:
        p1.append_facts([NewFact(e, "employees", "2024", "", "1", "人") for e in reversed(others)], kind="api")
    assert exc.value.problem.code == "ESG-ACCESS-004"
    # the first ten in order, then the two left out counted
    assert "refused: X01, X02, X03, X04, X05, X06, X07, X08, X09, X10, … (+2)" in str(exc.value)


def test_refused_targets_read_in_chinese():
    """The access log keeps its targets in English; a Chinese reader sees the known phrases in
    Chinese, with entity codes and file names as they are."""
    from esgledger.store.access import action_name, target_text

    assert target_text("statuses of rt.csv").zh == "rt.csv 中的状态"
    assert target_text("close campaign #1 (2025)").zh == "关闭收集任务 #1（2025）"
    assert target_text("TLYX-P1 (workbook 2025_TLYX-P1_zh.xlsx)").zh == "TLYX-P1（工作簿 2025_TLYX-P1_zh.xlsx）"
    assert target_text("TLYX-P2, TLYX-P3").zh == "TLYX-P2, TLYX-P3"
    assert target_text("statuses of rt.csv").en == "statuses of rt.csv"
    assert (action_name("review").zh, action_name("review").en, action_name("odd").zh) == ("审核", "review", "odd")
