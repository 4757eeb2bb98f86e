"""The audit trail names the campaign a fact revision was written for (audit A4-L7), on SQLite and
PostgreSQL: every batch a campaign's submission or review writes is linked to the campaign
(``campaign_batch``, migration 0009), a re-import that leaves the entity in progress too."""
from esgledger.collect.audit import audit_trail
from esgledger.collect.review import approve_entity, return_entity
from esgledger.collect.submission import import_workbook, submit_values
from esgledger.store import NewFact
from tests.collect.group import WORKBOOKS

FEMALE = ("employees", "gender=female", "2025")


def test_fact_rows_name_the_campaign_they_were_written_for(group):
    p1, esg = group.desk("p1"), group.desk("esg")
    c = group.c2025.id  # campaign #2
    # 1. a workbook: P1 not started -> in progress
    assert import_workbook(p1, WORKBOOKS / "good.xlsx").ok
    # 2. a re-import of one changed value: P1 stays in progress, no status event
    rep = submit_values(p1, group.c2025, "P1", [{"indicator": "employees", "dims": "gender=female", "value": "251"}])
    assert rep.ok and rep.status["P1"][0] == "in_progress"
    # 3. the submission, 4. a return of that value, 5. the correction, submitted, 6. the approval
    assert submit_values(p1, group.c2025, "P1", [{"indicator": "employees", "dims": "gender=female",
                                                  "value": "250"}], submit=True).ok
    assert return_entity(esg, group.c2025, "P1", value_comments={FEMALE: "HR roster says 260"}).ok
    assert submit_values(p1, group.c2025, "P1", [{"indicator": "employees", "dims": "gender=female",
                                                  "value": "260", "comment": "per HR"}], submit=True).ok
    assert approve_entity(esg, group.c2025, "P1").ok
    # 7. a value written outside any campaign (an interchange import, a calculation) names none
    group.admin.store.append_facts([NewFact("P1", "employees", "2025", "gender=female", "261", None)],
                                   kind="import", source="hr.csv")
    trail = [r for r in audit_trail(group.desk("audit"), period="2025", entity="P1")
             if r["kind"] == "fact" and (r["indicator"], r["dims"]) == FEMALE[:2]]
    assert [(r["revision"], r["new_value"], r["new_status"], r["campaign"]) for r in trail] == [
        (1, "250", "draft", c), (2, "251", "draft", c), (3, "250", "submitted", c), (4, "250", "rejected", c),
        (5, "260", "submitted", c), (6, "260", "approved", c), (7, "261", "submitted", None)]
    # last year's approved values were written by the fixture, not by campaign #1
    trail = list(audit_trail(group.desk("audit"), period="2024", entity="P1"))
    assert {r["campaign"] for r in trail if r["kind"] == "fact"} == {None}
    assert {r["campaign"] for r in trail if r["kind"] == "status"} == {group.c2024.id}


def test_migration_0009_links_the_batches_status_events_name(store_url):
    """A ledger made before 0009: each batch a status event names gets its campaign; a batch no
    event names (a re-import that left the status as it was) stays without one."""
    from sqlalchemy import select

    from esgledger.store import Store
    from esgledger.store import schema_collect as C
    from tests.store.test_store import _schema_at

    engine = _schema_at(store_url, "0008")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO campaign (period, status, secret, opened_at) "
                             "VALUES ('2025', 'open', 'x', '2025-01-01')")
        for n in (1, 2, 3):
            conn.exec_driver_sql(f"INSERT INTO batch (kind, created_at, rows) VALUES ('import', '2025-02-0{n}', 1)")
        events = [(None, "not_started", None), ("not_started", "in_progress", 1), ("in_progress", "submitted", 3)]
        for version, (old, new, batch) in enumerate(events, start=1):
            conn.exec_driver_sql(
                "INSERT INTO status_event (campaign_id, entity, old_status, new_status, version, at, batch_id) "
                f"VALUES (1, 'P1', {'NULL' if old is None else repr(old)}, '{new}', {version}, '2025-02-01', "
                f"{'NULL' if batch is None else batch})")
    engine.dispose()
    s = Store(store_url)
    with s.engine.connect() as conn:
        assert conn.execute(select(C.campaign_batch).order_by(C.campaign_batch.c.batch_id)).all() == [(1, 1), (3, 1)]
    s.close()


def test_a_return_with_only_a_comment_on_the_entity_writes_no_batch_and_links_none(sqlite_group):
    g = sqlite_group
    rep = import_workbook(g.desk("p1"), WORKBOOKS / "good.xlsx", submit=True)
    assert rep.ok and _links(g) == [(rep.batch_id, g.c2025.id)]
    out = return_entity(g.desk("esg"), g.c2025, "P1", comment="please attach the HR roster")
    assert out.ok and (out.status, out.batch_id, out.facts) == ("returned", None, 0)
    assert _links(g) == [(rep.batch_id, g.c2025.id)]


def _links(g):
    from sqlalchemy import select

    from esgledger.store import schema_collect as C

    with g.admin.store.reading() as conn:
        return conn.execute(select(C.campaign_batch.c.batch_id, C.campaign_batch.c.campaign_id)).all()
