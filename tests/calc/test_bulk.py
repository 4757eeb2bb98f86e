"""The bulk activity × factor engine on DuckDB, with numbers worked by hand."""
from decimal import Decimal

import duckdb
import pytest

from esgledger.calc.bulk import BulkFactor, compute_emissions, contributing_rows

F = [
    # illustrative factors, t gas per unit
    BulkFactor("fuel:diesel", "吨", "1", "co2", Decimal("3.145"), Decimal(1), "t/diesel-co2"),
    BulkFactor("fuel:diesel", "吨", "1", "ch4", Decimal("0.000127"), Decimal(28), "t/diesel-ch4"),
    BulkFactor("electricity:grid", "兆瓦时", "2", "co2", Decimal("0.5568"), Decimal(1), "t/grid-2021"),
    BulkFactor("transport:rail", "t·km", "3.4", "co2e", Decimal("0.00001"), Decimal(1), "t/rail"),
]
# activity catalogue: id → (activity, the unit quantities are recorded in)
CATALOGUE = [(1, "fuel:diesel", "吨"), (2, "fuel:diesel", "千克"), (3, "electricity:grid", "兆瓦时"),
             (4, "electricity:grid", "千瓦时"), (5, "transport:rail", "万t·km")]
ROWS = [  # row_id, entity_id, month, activity_id, quantity
    (1, 1, 202401, 1, "10"),
    (2, 1, 202401, 2, "500"),       # 500 kg = 0.5 t
    (3, 1, 202401, 3, "100"),
    (4, 1, 202401, 4, "20000"),     # 20 000 kWh = 20 MWh
    (5, 2, 202402, 5, "3"),         # 3 万 t·km = 30 000 t·km
]


@pytest.fixture
def con():
    c = duckdb.connect()
    c.execute("CREATE TABLE act (row_id BIGINT, entity_id INTEGER, month INTEGER, activity_id SMALLINT,"
              " quantity DECIMAL(18,6))")
    c.executemany("INSERT INTO act VALUES (?, ?, ?, ?, ?)", ROWS)
    yield c
    c.close()


def test_emissions_by_entity_month_scope_gas(con):
    res = compute_emissions(con, "act", CATALOGUE, F)
    assert res.problems.flat() == []
    got = con.execute("SELECT entity_id, month, scope, gas, mass_t, co2e_t, n_rows FROM emissions ORDER BY ALL").fetchall()
    assert [(e, m, s, g, mass.normalize(), co2e.normalize(), n) for e, m, s, g, mass, co2e, n in got] == [
        # diesel 10.5 t × 0.000127 = 0.0013335 t CH4; × 28 = 0.037338 t CO2e
        (1, 202401, "1", "ch4", Decimal("0.0013335"), Decimal("0.037338"), 2),
        # diesel 10.5 t × 3.145 = 33.0225 t CO2
        (1, 202401, "1", "co2", Decimal("33.0225"), Decimal("33.0225"), 2),
        # grid 120 MWh × 0.5568 = 66.816 t CO2
        (1, 202401, "2", "co2", Decimal("66.816"), Decimal("66.816"), 2),
        # rail 30 000 t·km × 0.00001 = 0.3 t CO2e
        (2, 202402, "3.4", "co2e", Decimal("0.3"), Decimal("0.3"), 1),
    ]


def test_lineage_recovers_the_rows(con):
    compute_emissions(con, "act", CATALOGUE, F)
    rows = contributing_rows(con, "act", "emissions", 1, 202401, "2", "co2")
    assert [(r[0], r[2], r[3]) for r in rows] == [(3, Decimal("100"), "t/grid-2021"),
                                                  (4, Decimal("20000"), "t/grid-2021")]


def test_missing_factor_and_unit_that_does_not_fit(con):
    con.execute("INSERT INTO act VALUES (6, 1, 202401, 6, 1), (7, 1, 202401, 7, 800)")
    catalogue = CATALOGUE + [(6, "material:pitch", "吨"), (7, "fuel:diesel", "升")]
    res = compute_emissions(con, "act", catalogue, F)
    # 800 L of diesel cannot become tonnes by unit conversion alone (a density is needed)
    assert res.problems.flat() == [("(material:pitch [吨])", "ESG-CALC-003"), ("(fuel:diesel [升])", "ESG-CALC-004")]
