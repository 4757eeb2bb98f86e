"""Method uses and factor values stored once (migration 0008), on SQLite and PostgreSQL.

A calculated fact's lineage reads as before through the views ``fact_method`` and
``fact_factor``; underneath, each distinct factor value and each distinct method use (method,
version, view, GWP set, equation, factor values in order) is one row, whichever facts and
revisions share it.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from esgledger.store import NewFact, Store
from esgledger.store import schema as S
from esgledger.store.engine import head_revision
from esgledger.store.lineage import record_methods
from tests.store.test_store import _schema_at

NCV = ("cn_fuels_mee@2022", "fuel.ncv[fuel=natural_gas]", "2022", "389.31", "GJ/10^4 Nm3", "MEE 2022", "V")
CC = ("cn_fuels_mee@2022", "fuel.cc[fuel=natural_gas]", "2022", "0.01532", "tC/GJ", "MEE 2022", "V")
GWP = ("gwp@AR5", "gwp.ch4", None, "28", None, "IPCC AR5 WG1 Table 8.7", "V")


def rows(conn, fact_id: int):
    m = conn.execute(select(S.fact_method).where(S.fact_method.c.fact_id == fact_id)).first()
    fs = conn.execute(select(S.fact_factor).where(S.fact_factor.c.fact_id == fact_id)
                      .order_by(S.fact_factor.c.pos)).all()
    return (None if m is None else tuple(m)[1:]), [tuple(f)[2:] for f in fs]


def n_rows(conn, name: str) -> int:
    return conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar()


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.close()


def test_facts_calculated_alike_share_one_method_use_and_see_their_own_lineage(store):
    _b, ids = store.append_facts([NewFact("E", "scope1_emissions", "2024", f"k={i}", str(i), "tCO2e",
                                          status="calculated") for i in range(4)], kind="calc")
    a, b, c, d = ids
    with store.writer.begin() as conn:
        record_methods(conn, [(a, "combustion", "1.0", "inventory", "AR5", '{"equation": "Eq.1"}', [NCV, CC]),
                              (b, "combustion", "1.0", "inventory", "AR5", '{"equation": "Eq.1"}', [NCV, CC])])
    with store.writer.begin() as conn:  # a later run: the same use again, one in another order, one without factors
        record_methods(conn, [(c, "combustion", "1.0", "inventory", "AR5", '{"equation": "Eq.1"}', [CC, NCV]),
                              (d, "sum", "1.0", "inventory", "AR4", "{}", [])])
    with store.engine.connect() as conn:
        assert rows(conn, a) == rows(conn, b) == (("combustion", "1.0", "inventory", "AR5", '{"equation": "Eq.1"}'),
                                                  [NCV, CC])
        assert rows(conn, c) == (("combustion", "1.0", "inventory", "AR5", '{"equation": "Eq.1"}'), [CC, NCV])
        assert rows(conn, d) == (("sum", "1.0", "inventory", "AR4", "{}"), [])
        # two distinct factor values; three uses (a and b share one; c's order differs; d's method)
        assert (n_rows(conn, "factor_value"), n_rows(conn, "method_use"), n_rows(conn, "fact_calc")) == (2, 3, 4)


def test_a_value_none_is_not_an_empty_text(store):
    """NULL and "" are different facts about a factor (no edition vs an empty one): two values."""
    _b, (a, b) = store.append_facts([NewFact("E", "x", "2024", f"k={i}", "1", None, status="calculated")
                                     for i in range(2)], kind="calc")
    with store.writer.begin() as conn:
        record_methods(conn, [(a, "m", "1.0", "inventory", None, None, [GWP]),
                              (b, "m", "1.0", "inventory", None, None, [GWP[:2] + ("",) + GWP[3:]])])
    with store.engine.connect() as conn:
        assert rows(conn, a)[1][0][2] is None and rows(conn, b)[1][0][2] == ""
        assert n_rows(conn, "factor_value") == 2


def test_a_run_that_fails_leaves_no_method_use_behind(store):
    """The uses are written in the caller's transaction: rolled back with it."""
    _b, (a,) = store.append_facts([NewFact("E", "x", "2024", "", "1", None, status="calculated")], kind="calc")
    with pytest.raises(RuntimeError):
        with store.writer.begin() as conn:
            record_methods(conn, [(a, "m", "1.0", "inventory", "AR5", None, [NCV])])
            raise RuntimeError("the run fails after writing")
    with store.engine.connect() as conn:
        assert (n_rows(conn, "factor_value"), n_rows(conn, "method_use"), n_rows(conn, "fact_calc")) == (0, 0, 0)
    with store.writer.begin() as conn:  # and the next run writes them afresh
        record_methods(conn, [(a, "m", "1.0", "inventory", "AR5", None, [NCV])])
    with store.engine.connect() as conn:
        assert rows(conn, a) == (("m", "1.0", "inventory", "AR5", None), [NCV])


def test_migration_0008_moves_every_method_and_factor_row_in_its_order_and_back(store_url):
    """A ledger with per-fact method and factor rows (0007) opens with them stored once, and
    every fact shows the same rows, in the same order, through the views; the downgrade
    restores the tables."""
    from alembic import command
    from alembic.config import Config
    from importlib import resources

    engine = _schema_at(store_url, "0007")
    ins_fact = ("INSERT INTO fact (entity, indicator, period, dims, basis, revision, value, status, batch_id) "
                "VALUES ('E', 'x', '2024', 'k={}', 'own', 1, '1', 'calculated', 1)")
    ins_m = 'INSERT INTO fact_method (fact_id, method, version, "view", gwp_set, detail) VALUES ({}, {})'
    ins_f = ("INSERT INTO fact_factor (fact_id, factor_set, factor_key, edition, value, unit, source, confidence) "
             "VALUES ({}, {})")

    def lit(v):
        return "NULL" if v is None else "'" + v.replace("'", "''") + "'"

    method = ("combustion", "1.0", "inventory", "AR5", '{"equation": "Eq.2.1"}')
    plan = {1: (method, [NCV, CC]), 2: (method, [NCV, CC]), 3: (method, [CC, NCV]),
            4: (None, [GWP]),  # factors with no method row (not written by esgledger)
            5: (("sum", "1.0", "inventory", "AR4", None), [])}
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO batch (kind, created_at, rows) VALUES ('calc', '2024-01-01', 5)")
        for fid in range(1, 6):
            conn.exec_driver_sql(ins_fact.format(fid))
        # written interleaved: each fact's factors come back in the order they were written
        for fid, (m, fs) in plan.items():
            if m is not None:
                conn.exec_driver_sql(ins_m.format(fid, ", ".join(map(lit, m))))
        for k in range(2):
            for fid, (_m, fs) in plan.items():
                if k < len(fs):
                    conn.exec_driver_sql(ins_f.format(fid, ", ".join(map(lit, fs[k]))))
    engine.dispose()
    s = Store(store_url)
    assert s.schema_revision == head_revision()
    with s.engine.connect() as conn:
        for fid, (m, fs) in plan.items():
            assert rows(conn, fid) == (m, fs), fid
        assert (n_rows(conn, "factor_value"), n_rows(conn, "method_use"), n_rows(conn, "fact_calc")) == (3, 4, 5)
    s.close()

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("esgledger.store").joinpath("migrations")))
    s = Store(store_url)
    with s.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
    with s.engine.connect() as conn:
        got_m = {r[0]: tuple(r[1:]) for r in conn.exec_driver_sql(
            'SELECT fact_id, method, version, "view", gwp_set, detail FROM fact_method')}
        got_f: dict[int, list] = {}
        for r in conn.exec_driver_sql("SELECT fact_id, factor_set, factor_key, edition, value, unit, source, "
                                      "confidence FROM fact_factor"):
            got_f.setdefault(r[0], []).append(tuple(r[1:]))
    assert got_m == {fid: m for fid, (m, _f) in plan.items() if m is not None}
    assert got_f == {fid: fs for fid, (_m, fs) in plan.items() if fs}
    s.close()
