"""The store on SQLite and PostgreSQL: exact decimals, revisions, lineage, migrations."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from esgledger.store import NewFact, Store
from esgledger.store.engine import head_revision, make_engine


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.close()


decimal_text = st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e15"),
                           max_value=Decimal("1e15")).map(lambda d: format(d, "f"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(decimal_text, min_size=1, max_size=8))
def test_decimal_values_come_back_exactly_as_entered(store, values):
    facts = [NewFact("E", "employees", "2024", f"k={i}", v, "人") for i, v in enumerate(values)]
    batch, ids = store.append_facts(facts, kind="api")
    got = {f.id: f.value for f in store.current_facts(indicator="employees") if f.batch == batch}
    assert [got[i] for i in ids] == values


def test_trailing_zeros_and_long_decimals_survive(store):
    vals = ["85.70", "0.000000000000000001", "123456789012345678901234567890.123456789", "-0.50", "1E+3"]
    _, ids = store.append_facts([NewFact("E", "x", "2024", str(i), v, None) for i, v in enumerate(vals)],
                                kind="api")
    assert [store.fact(i).value for i in ids] == vals


@pytest.mark.parametrize("n", [49, 50, 51, 107])
def test_a_bulk_append_keeps_the_order_and_every_value(store, n):
    """SQLite appends many rows per INSERT statement (50 at a time, the rest one by one):
    every fact lands once, with its own values, and the ids follow the order given, for
    counts below, at and around a multiple of the group (first revisions, and repeats)."""
    facts = [NewFact(f"E{i % 7}", "x", "2024", f"k={i}", str(i * 3), "t", location=str(i + 2),
                     comment=None if i % 2 else f"c{i}") for i in range(n)]
    _, ids = store.append_facts(facts, kind="api")
    assert ids == sorted(ids) and len(set(ids)) == n
    got = [store.fact(i) for i in ids]
    assert [(g.entity, g.dims, g.value, g.location, g.comment, g.revision) for g in got] == [
        (f"E{i % 7}", f"k={i}", str(i * 3), str(i + 2), None if i % 2 else f"c{i}", 1) for i in range(n)]
    _, ids2 = store.append_facts(facts[::-1], kind="api")  # the same keys again: revision 2
    assert [(store.fact(i).dims, store.fact(i).revision) for i in ids2] == [(f"k={i}", 2) for i in reversed(range(n))]
    assert store.count_facts() == 2 * n


def test_current_facts_come_in_key_order_basis_last(store):
    """One order on both stores, whatever the query plan: entity, indicator, period, dims,
    basis (an entity's own value and its consolidated one come out in that order each time)."""
    store.append_facts([NewFact("E", "x", "2024", "", "1", None, basis="own"),
                        NewFact("E", "x", "2024", "", "3", None, basis="equity", status="calculated"),
                        NewFact("E", "x", "2024", "", "2", None, basis="control", status="calculated"),
                        NewFact("D", "x", "2024", "", "0", None)], kind="api")
    assert [(f.entity, f.basis) for f in store.current_facts(basis=None)] == [
        ("D", "own"), ("E", "control"), ("E", "equity"), ("E", "own")]


def test_revisions_are_appended_never_overwritten(store):
    store.append_facts([NewFact("E", "x", "2024", "", "1", None)], kind="api")
    store.append_facts([NewFact("E", "x", "2024", "", "2", None, comment="fix")], kind="api", author="li")
    store.append_facts([NewFact("E", "x", "2024", "", "3", None)], kind="api")
    assert [(f.revision, f.value) for f in store.history("E", "x", "2024")] == [(1, "1"), (2, "2"), (3, "3")]
    [cur] = store.current_facts(indicator="x")
    assert (cur.value, cur.revision) == ("3", 3)
    assert store.count_facts() == 3


def test_each_key_gets_its_next_revision_across_many_entities_periods_and_dims(store, monkeypatch):
    """The append looks up the latest revisions by entity, indicator and period on the unique
    key, some entities at a time; keys of other periods, dims and bases are not confused."""
    from esgledger.store import ledger

    monkeypatch.setattr(ledger, "_PROBE_ENTITIES", 2)
    ents = ["A", "B", "C", "D", "E"]
    first = [NewFact(e, ind, per, dims, "1", None) for e in ents for ind in ("x", "y")
             for per in ("2023", "2024") for dims in ("", "gender=male")]
    store.append_facts(first, kind="api", return_ids=False)
    again = [NewFact(e, "x", "2024", "", "2", None) for e in ents[1:]]
    again += [NewFact("A", "y", "2023", "gender=male", "2", None),
              NewFact("A", "y", "2023", "gender=male", "3", None),   # twice in one append
              NewFact("A", "y", "2025", "", "9", None),              # a new period
              NewFact("B", "x", "2024", "", "5", None, basis="control")]
    store.append_facts(again, kind="api", return_ids=False)
    cur = {(f.entity, f.indicator, f.period, f.dims, f.basis): (f.revision, f.value)
           for f in store.current_facts(basis=None)}
    assert len(cur) == len(first) + 2
    for e in ents[1:]:
        assert cur[(e, "x", "2024", "", "own")] == (2, "2")
    assert cur[("A", "x", "2024", "", "own")] == (1, "1")
    assert cur[("A", "y", "2023", "gender=male", "own")] == (3, "3")
    assert cur[("A", "y", "2023", "", "own")] == (1, "1")
    assert cur[("A", "y", "2025", "", "own")] == (1, "9")
    assert cur[("B", "x", "2024", "", "control")] == (1, "5")


def test_lineage_links(store):
    _, (a, b) = store.append_facts([NewFact("E", "x", "2024", "", "1", None),
                                    NewFact("F", "x", "2024", "", "2", None)], kind="api")
    _, (c,) = store.append_facts([NewFact("G", "x", "2024", "", "3", None, basis="control",
                                          inputs=((a, "child:E", None), (b, "child:F", "0.5")))], kind="calc")
    assert [(f.entity, role, w) for f, role, w in store.inputs_of(c)] == [("E", "child:E", None), ("F", "child:F", "0.5")]


def test_filters(store):
    store.append_facts([NewFact("E", "x", "2023", "", "1", None, status="approved"),
                        NewFact("E", "x", "2024", "", "2", None),
                        NewFact("F", "y", "2024", "", "3", None)], kind="api")
    assert [f.value for f in store.current_facts(period="2024")] == ["2", "3"]
    assert [f.value for f in store.current_facts(status="approved")] == ["1"]
    assert [f.value for f in store.current_facts(entity=["F"], indicator="y")] == ["3"]


def _schema_at(store_url: str, revision: str):
    """An engine on a store whose schema was made up to migration ``revision`` only."""
    from alembic import command
    from alembic.config import Config
    from importlib import resources

    engine = make_engine(store_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("esgledger.store").joinpath("migrations")))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return engine


def test_a_store_made_by_an_earlier_version_opens_in_a_later_one(store_url):
    """Create the schema at the first revision only, write a fact, then open with the current
    code: migrations run on open and the fact is still there."""
    engine = _schema_at(store_url, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO batch (kind, created_at, rows) VALUES ('api', '2024-01-01', 1)")
        conn.exec_driver_sql(
            "INSERT INTO fact (entity, indicator, period, dims, basis, revision, value, status, batch_id, created_at)"
            " VALUES ('E', 'x', '2024', '', 'own', 1, '42.10', 'approved', 1, '2024-01-01')")
        conn.exec_driver_sql(
            "INSERT INTO fact (entity, indicator, period, dims, basis, revision, value, status, batch_id, created_at)"
            " VALUES ('G', 'x', '2024', '', 'control', 1, '42.10', 'calculated', 1, '2024-01-01')")
        conn.exec_driver_sql("INSERT INTO fact_input (fact_id, input_fact_id, role) VALUES (2, 1, 'child:E')")
    engine.dispose()
    s = Store(store_url)
    assert s.schema_revision == head_revision()
    assert [f.value for f in s.current_facts(basis="own")] == ["42.10"]
    # 0004 dropped the (indicator, period) index; 0005 made the key a unique index (SQLite
    # rebuilt the table for it), and the lineage pointing into the rebuilt table still resolves
    from sqlalchemy import inspect

    indexes = {ix["name"]: ix for ix in inspect(s.engine).get_indexes("fact")}
    assert "ix_fact_indicator_period" not in indexes
    assert indexes["uq_fact_key_rev"]["unique"]
    assert indexes["uq_fact_key_rev"]["column_names"] == ["entity", "indicator", "period", "dims", "basis", "revision"]
    # 0006: the batch index only on PostgreSQL
    assert ("ix_fact_batch" in indexes) == (s.dialect == "postgresql")
    assert [(f.entity, role) for f, role, _ in s.inputs_of(2)] == [("E", "child:E")]
    s.append_facts([NewFact("E", "x", "2024", "", "43", None)], kind="api")
    assert [(f.revision, f.value) for f in s.history("E", "x", "2024")] == [(1, "42.10"), (2, "43")]
    with pytest.raises(Exception):  # the key still refuses a second revision 2
        with s.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO fact (entity, indicator, period, dims, basis, revision, value, status, batch_id)"
                " VALUES ('E', 'x', '2024', '', 'own', 2, '44', 'approved', 1)")
    if s.dialect == "sqlite":  # migrations ran with foreign keys off; the store's connections have them on
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            with pytest.raises(Exception):
                conn.exec_driver_sql("INSERT INTO fact_input (fact_id, input_fact_id) VALUES (999, 998)")
    s.close()


def test_migration_0007_keeps_who_and_when_of_every_fact_in_its_batch(store_url):
    """0007 drops fact.author and fact.created_at: a fact's author and time are its batch's.
    Facts written by other means with no batch, or with an author or time unlike their
    batch's, get a batch of their own first, so history shows what it showed before."""
    from sqlalchemy import inspect

    engine = _schema_at(store_url, "0006")
    cols = "(entity, indicator, period, dims, basis, revision, value, status, batch_id, author, created_at)"
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO batch (kind, source, author, created_at, rows, note) "
                             "VALUES ('import', 'a.csv', 'li', '2024-01-01T08:00', 3, 'monthly ledger')")
        for values in ("('E', 'x', '2024', '', 'own', 1, '1', 'submitted', 1, 'li', '2024-01-01T08:00')",
                       # same batch, another author and time (a hand-written row)
                       "('E', 'x', '2024', '', 'own', 2, '2', 'approved', 1, 'wang', '2024-02-01T09:00')",
                       # no batch, no author
                       "('E', 'x', '2024', '', 'own', 3, '3', 'approved', NULL, NULL, '2024-03-01T10:00')",
                       "('F', 'x', '2024', '', 'own', 1, '4', 'submitted', 1, 'li', '2024-01-01T08:00')"):
            conn.exec_driver_sql(f"INSERT INTO fact {cols} VALUES {values}")
    engine.dispose()
    s = Store(store_url)
    assert s.schema_revision == head_revision()
    columns = {c["name"]: c for c in inspect(s.engine).get_columns("fact")}
    assert "author" not in columns and "created_at" not in columns
    assert not columns["batch_id"]["nullable"]
    hist = s.history("E", "x", "2024")
    assert [(f.revision, f.value, f.author, f.created_at) for f in hist] == [
        (1, "1", "li", "2024-01-01T08:00"), (2, "2", "wang", "2024-02-01T09:00"),
        (3, "3", None, "2024-03-01T10:00")]
    assert hist[0].batch == 1 and len({f.batch for f in hist}) == 3
    assert (hist[0].source, hist[1].source, hist[2].source) == ("a.csv", "a.csv", None)
    # the split batch keeps the kind, source and note (the audit trail's reason) of the batch
    # its fact came from, which now counts one row fewer
    split = s.batch(hist[1].batch)
    assert (split["kind"], split["source"], split["rows"], split["note"]) == ("import", "a.csv", 1, "monthly ledger")
    assert s.batch(1)["rows"] == 2
    orphan = s.batch(hist[2].batch)
    assert (orphan["kind"], orphan["source"], orphan["rows"], orphan["note"]) == ("api", None, 1, None)
    assert [(f.value, f.author) for f in s.current_facts(entity="F")] == [("4", "li")]
    # a new append: author and time are the batch's
    s.append_facts([NewFact("F", "x", "2024", "", "5", None)], kind="api", author="zhao")
    (new,) = s.current_facts(entity="F")
    assert (new.value, new.author, new.created_at) == ("5", "zhao", s.batch(new.batch)["created_at"])
    s.close()


def test_a_new_sqlite_store_gets_large_pages_and_an_existing_one_keeps_its_own(tmp_path):
    """New SQLite ledgers are made with SQLITE_PAGE_SIZE pages (bulk imports are faster); a
    ledger made with another page size keeps it and opens as before."""
    import sqlite3

    from esgledger.store.engine import SQLITE_PAGE_SIZE

    s = Store(f"sqlite:///{tmp_path / 'new.db'}")
    s.append_facts([NewFact("E", "x", "2024", "", "1", None)], kind="api")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA page_size").scalar() == SQLITE_PAGE_SIZE
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    s.close()

    old = tmp_path / "old.db"
    raw = sqlite3.connect(old)
    raw.execute("PRAGMA page_size=4096")
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("CREATE TABLE t (x)")
    raw.close()
    s = Store(f"sqlite:///{old}")
    s.append_facts([NewFact("E", "x", "2024", "", "2", None)], kind="api")
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA page_size").scalar() == 4096
    assert [f.value for f in s.current_facts()] == ["2"]
    s.close()
