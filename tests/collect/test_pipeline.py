"""A large CSV import checked in a second process while this one writes (collect/pipeline.py,
Store.append_stream): the ledger and the report come out exactly as from the ordinary import,
and whenever the fast path cannot finish, nothing of it lands and the ordinary import runs.
On SQLite and on PostgreSQL (where the load drops the batch index and the batch foreign key
too, and builds them again).

The thresholds are lowered so a few hundred rows take the pipelined path, in chunks of 50."""
from __future__ import annotations

import sqlite3

import pytest

from esgledger.collect import pipeline
from esgledger.store import ledger
from esgledger.store.ledger import KeyTaken, NewFact, Store
from tests.collect.test_interchange import CASES, HEADER, make_ws
from tests.conftest import write

# what the fact table keeps up besides its rows: indexes but the primary key, foreign keys
KEYS = {"sqlite": ["uq_fact_key_rev"],
        "postgresql": ["fact_batch_id_fkey", "ix_fact_batch", "uq_fact_key_rev"]}


@pytest.fixture
def ws(tmp_path, store_url):
    w = make_ws(tmp_path / "ws", None if store_url.startswith("sqlite") else store_url)
    yield w
    w.close()

ENTITIES = ["TLYX", "TRNY", "TSAL"]
MONTHS = [f"{y}-{m:02d}" for y in range(2020, 2025) for m in range(1, 13)]


def facts_csv(value_shift: int = 0) -> str:
    """720 rows: 3 entities × 60 months × (employees in total and by gender, output in 万吨 or
    in 吨 on alternate months), one comment in Chinese."""
    lines = [HEADER]
    for e in ENTITIES:
        for i, p in enumerate(MONTHS):
            lines.append(f"{e},employees,{p},{3000 + i + value_shift},人,,\n")
            lines.append(f"{e},employees,{p},{1000 + i},人,female,\n")
            lines.append(f"{e},employees,{p},{2000 + value_shift},人,male,按月度台账汇总\n")
            lines.append(f"{e},t_output,{p},{12500 + i},吨,,\n" if i % 2 else f"{e},t_output,{p},1.{i:02d},万吨,,\n")
    return "".join(lines)


@pytest.fixture
def streamed(monkeypatch):
    """Lower the thresholds so small files take the pipelined path; count its appends."""
    monkeypatch.setattr(ledger, "BULK_LOAD_MIN_ROWS", 1)
    monkeypatch.setattr(pipeline, "CHUNK", 50)
    calls = []
    real = Store.append_stream

    def spy(self, chunks, **kw):
        calls.append("start")
        out = real(self, chunks, **kw)
        calls.append("done")
        return out

    monkeypatch.setattr(Store, "append_stream", spy)
    return calls


def ledger_rows(ws):
    """Every stored fact as the user sees it, without ids and times."""
    return sorted((f.entity, f.indicator, f.period, f.dims, f.basis, f.revision, f.value, f.unit,
                   f.value_entered, f.unit_entered, f.status, f.location, f.comment)
                  for f in ws.store.current_facts())


def indexes(ws):
    """(name, definition) of the fact table's indexes but its primary key, and of its foreign
    keys."""
    if ws.store.dialect == "postgresql":
        with ws.store.engine.connect() as conn:
            return sorted(conn.exec_driver_sql(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c "
                "ON c.oid = i.indexrelid WHERE i.indrelid = 'fact'::regclass AND NOT i.indisprimary "
                "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'fact'::regclass AND contype = 'f'").all())
    con = sqlite3.connect(ws.store.engine.url.database)
    try:
        return sorted(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                  "AND tbl_name = 'fact'").fetchall())
    finally:
        con.close()


def batches(ws) -> list[int]:
    with ws.store.engine.connect() as conn:
        return [i for (i,) in conn.exec_driver_sql("SELECT id FROM batch ORDER BY id")]


def key_names(ws) -> list[str]:
    return [name for name, _ in indexes(ws)]


def test_a_pipelined_import_stores_what_the_ordinary_one_stores(tmp_path, streamed, store_url):
    text = facts_csv()
    fast = make_ws(tmp_path / "fast", None if store_url.startswith("sqlite") else store_url)
    keys_before = indexes(fast)
    rep = fast.import_facts(write(tmp_path / "facts.csv", text))
    assert streamed == ["start", "done"]  # it took the pipelined path
    assert rep.ok and rep.written and rep.rows == 720 and len(rep.facts) == 720
    assert [f.location for f in rep.facts[:3]] == ["2", "3", "4"]  # in file order, by line
    ledger.BULK_LOAD_MIN_ROWS = 10 ** 9  # (monkeypatched: restored after the test)
    slow = make_ws(tmp_path / "slow")  # the ordinary import, on SQLite
    rep2 = slow.import_facts(write(tmp_path / "facts2.csv", text))
    assert streamed == ["start", "done"]  # the ordinary path this time
    assert rep2.ok and rep2.written
    assert len(ledger_rows(fast)) == 720
    assert ledger_rows(fast) == ledger_rows(slow)
    # 12,500 t entered for a 万吨 indicator: 1.25 万吨, the entered value kept
    f = fast.store.current_facts(entity="TRNY", indicator="t_output", period="2020-02")[0]
    assert (f.value, f.unit, f.value_entered, f.unit_entered) == ("1.2501", "万吨", "12501", "吨")
    # the batch counts its rows; the key and the batch index are back, as they were
    assert fast.store.batch(rep.batch_id)["rows"] == 720
    assert indexes(fast) == keys_before and key_names(fast) == KEYS[fast.store.dialect]
    key = dict(keys_before)["uq_fact_key_rev"]
    assert "UNIQUE INDEX uq_fact_key_rev ON " in key and "(entity, indicator, period, dims, basis, revision)" in key
    with pytest.raises(Exception, match="UNIQUE|unique"):  # and the key refuses a duplicate again
        fast.store.append_stream([[tuple(NewFact("TLYX", "employees", "2020-01", "", "1", "人"))]],
                                 kind="api")
    fast.close()
    slow.close()


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_file_with_problems_reports_the_same_and_lands_nothing(ws, tmp_path, streamed, text, expected):
    rep = ws.import_facts(write(tmp_path / "facts.csv", text))
    assert rep.problems.flat() == expected
    assert not rep.written
    assert ws.store.count_facts() == 0
    assert ws.store.batch(1) is None  # not even the batch of the attempt


def test_a_problem_late_in_a_large_file_undoes_every_chunk_already_stored(ws, tmp_path, streamed):
    text = facts_csv() + "TLYX,employees,2024-12,abc,人,,\n"
    rep = ws.import_facts(write(tmp_path / "facts.csv", text))
    assert streamed == ["start"]  # the pipelined append began, stored chunks, and was undone
    assert rep.problems.flat() == [("facts.csv:722 [value]", "ESG-IMPORT-006")]
    assert not rep.written and ws.store.count_facts() == 0
    assert key_names(ws) == KEYS[ws.store.dialect]


def test_a_key_given_twice_is_reported_where_it_came_first(ws, tmp_path, streamed):
    # the child leaves repeats to the fact key; building it fails and the ordinary check reports
    text = facts_csv() + "TSAL,employees,2021-03,3014,人,,\n"
    rep = ws.import_facts(write(tmp_path / "facts.csv", text))
    assert streamed == ["start"]
    assert rep.problems.flat() == [("facts.csv:722", "ESG-IMPORT-009")]
    assert "facts.csv:538" in rep.problems[0].render("en")  # TSAL, the third entity: line 2 + 2×240 + 4×14
    assert ws.store.count_facts() == 0


def test_keys_already_in_the_ledger_get_their_next_revision(ws, tmp_path, streamed):
    first = ws.import_facts(write(tmp_path / "a.csv", facts_csv()))
    assert first.written and streamed == ["start", "done"]
    # the same keys again, some values changed: the ledger holds no more facts than the file
    # brings, so the pipelined path is tried, the key refuses revision 1, the ordinary append
    # numbers revision 2
    second = ws.import_facts(write(tmp_path / "b.csv", facts_csv(value_shift=7)))
    assert streamed == ["start", "done", "start"]
    # the attempt's batch was undone with it (PostgreSQL's batch ids may skip the one it took)
    assert second.written and ws.store.batch(second.batch_id)["rows"] == 720
    assert batches(ws) == [first.batch_id, second.batch_id]
    assert [(f.revision, f.value) for f in ws.store.history("TLYX", "employees", "2020-01")] == [
        (1, "3000"), (2, "3007")]
    assert ws.store.count_facts() == 1440
    assert key_names(ws) == KEYS[ws.store.dialect]


def test_the_checking_process_stopping_early_falls_back_to_the_ordinary_import(ws, tmp_path, streamed, monkeypatch):
    real = pipeline.check_table

    def dies(table, *args, sink, **kw):  # runs in the child: one chunk, then it fails
        def once(facts):
            sink(facts)
            raise MemoryError("the child ran out of memory")
        return real(table, *args, sink=once, **kw)

    monkeypatch.setattr(pipeline, "check_table", dies)
    rep = ws.import_facts(write(tmp_path / "facts.csv", facts_csv()))
    assert streamed == ["start"]
    assert rep.written and ws.store.count_facts() == 720
    assert ws.store.batch(rep.batch_id)["rows"] == 720


def test_a_dry_run_and_a_small_file_take_the_ordinary_path(ws, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(Store, "append_stream", lambda *a, **k: calls.append(1))
    rep = ws.import_facts(write(tmp_path / "facts.csv", facts_csv()), dry_run=True)
    assert rep.ok and not rep.written
    rep = ws.import_facts(write(tmp_path / "facts.csv", facts_csv()))  # 720 < 100,000 rows
    assert rep.written and calls == []


def test_a_large_load_into_a_small_ledger_is_streamed(store_url, monkeypatch):
    s = Store(store_url)
    try:
        assert not s.bulk_load_pays(ledger.BULK_LOAD_MIN_ROWS - 1)
        assert s.bulk_load_pays(ledger.BULK_LOAD_MIN_ROWS)
        s.append_facts([NewFact("E", "x", "2024", f"k={i}", "1", None) for i in range(5)], kind="api")
        monkeypatch.setattr(ledger, "BULK_LOAD_MIN_ROWS", 1)
        assert not s.bulk_load_pays(4) and s.bulk_load_pays(5)  # not into a ledger larger than the load
    finally:
        s.close()


def test_a_key_taken_leaves_the_ledger_as_it_was(store_url):
    s = Store(store_url)
    s.append_facts([NewFact("E", "x", "2024", "", "1", None)], kind="api")
    with pytest.raises(KeyTaken):
        s.append_stream([[tuple(NewFact("F", "x", "2024", "", "2", None))],
                         [tuple(NewFact("E", "x", "2024", "", "3", None))]], kind="api")
    assert [(f.entity, f.value) for f in s.current_facts()] == [("E", "1")]
    assert s.batch(2) is None
    bid, facts = s.append_stream([[tuple(NewFact("F", "x", "2024", "", "2", None))]], kind="api")
    assert s.batch(bid)["rows"] == 1 and facts == [NewFact("F", "x", "2024", "", "2", None)]
    assert [(f.entity, f.value) for f in s.current_facts()] == [("E", "1"), ("F", "2")]
    s.close()


def test_a_role_that_does_not_own_the_tables_imports_the_ordinary_way(tmp_path, pg_url, streamed):
    """On PostgreSQL, a role that may read and write the ledger but does not own its tables
    cannot drop the keys: the pipelined path gives way (BulkLoadRefused) before anything is
    written or any process is started, and the ordinary import lands the file."""
    import tomllib
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    from esgledger.workspace import CONFIG_NAME, open_workspace, write_config
    from tests.conftest import PG_BASE

    w = make_ws(tmp_path / "ws", pg_url)  # tables made (and owned) by the test's superuser
    w.close()
    schema = pg_url.rsplit("%3D", 1)[1]
    role = "t_writer_" + uuid.uuid4().hex[:8]
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        conn.execute(f'GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
        conn.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"')
    try:
        cfg_path = tmp_path / "ws" / CONFIG_NAME
        cfg = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        cfg["store"]["url"] = make_url(pg_url).set(username=role, password=None).render_as_string(hide_password=False)
        write_config(cfg_path, cfg)
        w = open_workspace(tmp_path / "ws")
        try:
            with pytest.raises(ledger.BulkLoadRefused):
                w.store.append_stream([[tuple(NewFact("TLYX", "employees", "2020-01", "", "1", "人"))]],
                                      kind="api")
            assert w.store.count_facts() == 0
            rep = w.import_facts(write(tmp_path / "facts.csv", facts_csv()))
            assert streamed == ["start", "start"]  # tried, refused, then the ordinary append
            assert rep.ok and rep.written and w.store.count_facts() == 720
            assert key_names(w) == KEYS["postgresql"]
        finally:
            w.close()
    finally:
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


def _held_chunks(started, release):
    """Chunks for append_stream that hold the load open (its locks taken) until ``release``."""
    def chunks():
        started.set()
        release.wait(30)
        yield [tuple(NewFact("A", "x", "2024", "", "1", None))]
    return chunks()


def test_a_second_load_gives_way_instead_of_deadlocking(pg_url, monkeypatch):
    """Two streamed loads at once on PostgreSQL (UAT: one died of a deadlock): the second finds
    the tables taken, gives way within the lock timeout (BulkLoadRefused, nothing written),
    and its ordinary append lands once the first has committed."""
    import threading

    monkeypatch.setattr(ledger, "_PG_BULK_LOCK_TIMEOUT", "200ms")
    first, second = Store(pg_url), Store(pg_url)
    started, release = threading.Event(), threading.Event()
    out = {}

    def run_first():
        out["first"] = first.append_stream(_held_chunks(started, release), kind="api")

    t = threading.Thread(target=run_first)
    t.start()
    try:
        assert started.wait(30)
        with pytest.raises(ledger.BulkLoadRefused):
            second.append_stream([[tuple(NewFact("B", "x", "2024", "", "2", None))]], kind="api")
        done = {}
        appender = threading.Thread(target=lambda: done.setdefault("ids", second.append_facts(
            [NewFact("B", "x", "2024", "", "2", None)], kind="api")))
        appender.start()  # the ordinary append waits for the first load's commit
        release.set()
        t.join(30)
        appender.join(30)
        assert "first" in out and "ids" in done
        assert sorted((f.entity, f.value) for f in first.current_facts()) == [("A", "1"), ("B", "2")]
    finally:
        release.set()
        t.join(30)
        first.close()
        second.close()


def test_a_reader_holding_the_batch_table_does_not_stall_a_load(tmp_path, pg_url, streamed, monkeypatch):
    """A reader in an open transaction that has read the batch table (UAT: the load waited
    for it, and readers queued behind the load): the load does not wait for it beyond the
    lock timeout; the ordinary import, which readers do not block, lands the file."""
    import psycopg

    monkeypatch.setattr(ledger, "_PG_BULK_LOCK_TIMEOUT", "200ms")
    w = make_ws(tmp_path / "ws", pg_url)
    try:
        with psycopg.connect(pg_url) as reader:
            reader.execute("SELECT count(*) FROM batch").fetchone()  # its transaction stays open
            rep = w.import_facts(write(tmp_path / "facts.csv", facts_csv()))
            assert streamed == ["start"]  # tried, gave way
            assert rep.ok and rep.written and w.store.count_facts() == 720
            # the reader, still in its transaction, reads on (read committed: the new facts)
            assert reader.execute("SELECT count(*) FROM fact").fetchone() == (720,)
        assert key_names(w) == KEYS["postgresql"]
    finally:
        w.close()


def test_skipped_ids_do_not_make_a_small_postgresql_ledger_look_large(pg_url, monkeypatch):
    """PostgreSQL's ids skip what rolled back (a load that gave way, a file with errors): the
    ledger's size is counted (no further than the load), not read off the highest id."""
    s = Store(pg_url)
    try:
        s.append_facts([NewFact("E", "x", "2024", f"k={i}", "1", None) for i in range(5)], kind="api")
        with s.engine.begin() as conn:
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('fact', 'id'), 1000000)")
        s.append_facts([NewFact("E", "x", "2024", "k=5", "1", None)], kind="api")
        monkeypatch.setattr(ledger, "BULK_LOAD_MIN_ROWS", 1)
        assert s.bulk_load_pays(6) and not s.bulk_load_pays(5)
    finally:
        s.close()
